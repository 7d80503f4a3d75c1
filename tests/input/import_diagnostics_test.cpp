// Each malformed input gives one exact diagnostic with file:line, and no edition.
#include "import_test_helpers.hpp"

using namespace warraq;

namespace {

void expect(const std::string& file, const std::string& code, int line, int column,
            const std::string& message) {
  const auto path = test::import_data() / "bad" / file;
  const auto r = test::import_file(path);
  INFO(r.all());
  CHECK_FALSE(r.edition);
  REQUIRE(r.diagnostics.error_count() == 1);
  const auto& d = r.diagnostics.all().front();
  CHECK(d.code == code);
  CHECK(d.where.file == path.string());
  CHECK(d.where.line == line);
  CHECK(d.where.column == column);
  CHECK(d.message == message);
}

}  // namespace

TEST_CASE("malformed inputs: one diagnostic each, with file:line", "[input][import]") {
  expect("truncated-rss.xml", "xml-malformed", 7, 1,
         "malformed XML: expected a closing tag </description> for this <description> before "
         "the end of the file");
  expect("wrong-root.xml", "wrong-root", 2, 0,
         "unknown root element <news>: expected <edition> or <article> (Warraq XML), <nitf>, "
         "<rss> or <feed> (Atom)");
  expect("missing-title-rss.xml", "missing-title", 3, 3,
         "expected a non-empty <title> in <channel>");
  expect("bad-date-rss.xml", "bad-date", 7, 7,
         "bad pubDate 'Mon, 32 Nov 2024 08:00:00 +0000' in <item>: expected an RFC 822 date "
         "such as 'Mon, 25 Nov 2024 08:30:00 +0100'");
  expect("bad-date-atom.xml", "bad-date", 6, 5,
         "bad published '2024-11-25 08:30' in <entry>: expected an RFC 3339 date-time such as "
         "'2024-11-25T08:30:00+01:00'");
  expect("bad-date-nitf.xml", "bad-date", 5, 7,
         "bad date on <date.issue norm=\"20241340T083000+0100\">: expected ISO 8601 such as "
         "20241125T083000+0100 or 2024-11-25");
  expect("undeclared-latin1-nitf.xml", "invalid-utf8", 3, 33,
         "invalid UTF-8 byte sequence and no encoding declared: expected UTF-8, or an XML "
         "declaration naming the encoding (encoding=\"windows-1256\")");
  expect("item-without-body-rss.xml", "missing-body", 5, 5,
         "item 'No body' has no text: expected a <content:encoded> or <description> with the "
         "story");
  expect("entry-script-only-atom.xml", "missing-body", 7, 5,
         "nothing is left of entry 'Only a script' once scripts, styles and frames are "
         "removed: expected paragraphs of text");
  expect("scraped-no-paragraphs.txt", "missing-body", 3, 0,
         "no paragraphs after the headline: expected the article's text, one paragraph a line");
}

TEST_CASE("forced formats and encodings", "[input][import]") {
  SECTION("--from nitf on a feed names what it expected") {
    const auto r =
        test::import_file(test::import_data() / "rss" / "wire-en.xml", input::Format::nitf);
    CHECK_FALSE(r.edition);
    CHECK_THAT(r.all(), Catch::Contains("expected <nitf> (IPTC NITF 3.x) [wrong-root]"));
  }
  SECTION("an unknown declared encoding") {
    const auto r = test::import_text("<?xml version='1.0' encoding='klingon-1'?>\n<rss/>", "k.xml");
    CHECK_FALSE(r.edition);
    CHECK(r.all() ==
          "k.xml:1: error: unknown encoding 'klingon-1' in the XML declaration: "
          "expected UTF-8, ISO-8859-1, windows-1256 or another encoding iconv knows "
          "[unsupported-encoding]\n");
  }
  SECTION("declared UTF-8 that is not") {
    const auto r = test::import_text(
        "<?xml version='1.0' encoding='UTF-8'?>\n<rss>\n<channel><title>\xe9</title>", "u.xml");
    CHECK(r.all() ==
          "u.xml:3:17: error: invalid UTF-8 byte sequence: the file declares UTF-8, "
          "expected UTF-8 [invalid-utf8]\n");
  }
  SECTION("a byte Windows-1256 does not define is impossible; one ISO-8859-1 lacks is not") {
    const auto r = test::import_text(
        "<?xml version='1.0' encoding='ISO-8859-1'?>\n<rss version='2.0'><channel><title>"
        "\xe9t\xe9</title><item><title>\xc0 la une</title><pubDate>Mon, 25 Nov 2024 08:00:00 "
        "+0000</pubDate><description>x</description></item></channel></rss>",
        "l.xml");
    INFO(r.all());
    REQUIRE(r.edition);
    CHECK(r.edition->title == "été");
    CHECK(model::plain_text(r.article().headline) == "À la une");
  }
  SECTION("an empty feed") {
    const auto r =
        test::import_text("<rss version='2.0'><channel><title>t</title></channel></rss>", "e.xml");
    CHECK(r.all() == "e.xml:1:20: error: expected at least one <item> in <channel> [empty-feed]\n");
  }
  SECTION("no date anywhere") {
    const auto r = test::import_text(
        "<rss version='2.0'><channel><title>t</title><item><title>a</title><description>b"
        "</description></item></channel></rss>",
        "n.xml");
    CHECK_THAT(r.all(), Catch::Contains("n.xml:1: error: no article has a date"));
  }
}
