// Each kind of bad input gets one diagnostic with its code, file:line[:column] and a message
// that says what was expected (docs/format.md, "Diagnostics").
#include <catch2/catch.hpp>

#include "input_test_helpers.hpp"
#include "support/test_support.hpp"

using namespace warraq;
using test::expect_error;
using test::read_xml;

namespace {

// An edition whose line 4 is `section_body` (for line numbers in the checks below).
std::string edition_with(const std::string& section_body) {
  return "<edition version=\"1\" date=\"2024-11-25\">\n"
         "<title>T</title>\n"
         "<section id=\"s\" name=\"n\">\n" +
         section_body +
         "\n</section>\n"
         "</edition>\n";
}

const char* const kGoodArticle =
    "<article id=\"a\"><headline>H</headline><body><p>x</p></body></article>";

}  // namespace

TEST_CASE("invalid UTF-8 names line and column of the first bad byte", "[input][diagnostics]") {
  const auto outcome = read_xml(
      "<article version=\"1\" id=\"a\">\n  <headline>حموشي \xC0\xAF</headline>\n</article>\n");
  // Columns count characters: two spaces, "<headline>" (10), five letters, a space.
  expect_error(outcome, "invalid-utf8", "bad.xml", 2, 19,
               "expected the file to be encoded in UTF-8");
}

TEST_CASE("malformed XML reports the line and what was expected", "[input][diagnostics]") {
  SECTION("mismatched closing tag") {
    const auto d = expect_error(
        read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n<body><p>x</body>\n"
                 "</article>\n"),
        "xml-malformed", "bad.xml", 3, -1, "expected a closing tag </p>");
    CHECK_THAT(d.message, Catch::Contains("XML_ERROR_MISMATCHED_ELEMENT"));
  }
  SECTION("element left open at the end of the file") {
    expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n"
                          "  <body><p>x</p>\n"),
                 "xml-malformed", "bad.xml", 3, 3, "expected a closing tag </body>");
  }
  SECTION("unquoted attribute") {
    expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline x=1>H</headline>\n"),
                 "xml-malformed", "bad.xml", 2, -1, "name=\"value\"");
  }
  SECTION("undefined entity") {
    expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>a&nbsp;b</headline>\n"
                          "<body><p>x</p></body></article>\n"),
                 "xml-malformed", "bad.xml", 2, 12, "unknown entity '&nbsp;'");
  }
  SECTION("two root elements") {
    expect_error(read_xml("<article version=\"1\" id=\"a\"><headline>H</headline><body><p>x</p>"
                          "</body></article>\n<article/>\n"),
                 "xml-malformed", "bad.xml", 2, 1, "expected a single root element");
  }
  SECTION("control character") {
    expect_error(read_xml("<article>\n a\x01</article>"), "xml-malformed", "bad.xml", 2, 3,
                 "control character U+0001");
  }
  SECTION("empty file") {
    expect_error(read_xml(""), "xml-malformed", "bad.xml", 0, -1, "expected an XML document");
  }
}

TEST_CASE("a root other than edition or article is refused", "[input][diagnostics]") {
  expect_error(read_xml("<?xml version=\"1.0\"?>\n<news version=\"1\"/>\n"), "wrong-root",
               "bad.xml", 2, 1, "expected <edition> or <article>");
}

TEST_CASE("unknown elements name themselves, their parent and what is allowed",
          "[input][diagnostics]") {
  const auto d =
      expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n<body>\n"
                            "  <p>x</p><table/>\n</body>\n</article>\n"),
                   "unknown-element", "bad.xml", 4, 11, "unknown element <table> in <body>");
  CHECK_THAT(d.message, Catch::Contains("<p>, <subheading>, <quote>, <pullquote>, <list> or "
                                        "<figure>"));
  expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>H <u>x</u></headline>\n"
                        "<body><p>x</p></body></article>\n"),
               "unknown-element", "bad.xml", 2, 13, "unknown element <u> in <headline>");
}

TEST_CASE("unknown attributes are errors", "[input][diagnostics]") {
  expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n<body>\n"
                        "<p class=\"x\">x</p>\n</body>\n</article>\n"),
               "unknown-attribute", "bad.xml", 4, 1,
               "unknown attribute 'class' on <p>: expected no attributes");
}

TEST_CASE("children of article must come in order", "[input][diagnostics]") {
  expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n"
                        "<body><p>x</p></body>\n<kicker>K</kicker>\n</article>\n"),
               "element-order", "bad.xml", 4, 1, "<kicker> is out of place in <article>");
}

TEST_CASE("text directly in an element-only container is refused", "[input][diagnostics]") {
  expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n<body>\n"
                        "stray text\n<p>x</p></body>\n</article>\n"),
               "unexpected-text", "bad.xml", 4, 0, "text is not allowed directly in <body>");
}

TEST_CASE("missing headline, body, title and id", "[input][diagnostics]") {
  expect_error(read_xml("<article version=\"1\" id=\"a\">\n<body><p>x</p></body>\n</article>\n"),
               "missing-headline", "bad.xml", 1, 1, "expected a <headline> in <article id=\"a\">");
  expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline> \n</headline>\n"
                        "<body><p>x</p></body>\n</article>\n"),
               "missing-headline", "bad.xml", 2, 1, "empty <headline>");
  expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n</article>\n"),
               "missing-body", "bad.xml", 1, 1, "expected a <body>");
  expect_error(read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n<body>\n"
                        "</body>\n</article>\n"),
               "missing-body", "bad.xml", 3, 1, "expected at least one block");
  expect_error(read_xml("<edition version=\"1\" date=\"2024-11-25\">\n"
                        "<section id=\"s\" name=\"n\">" +
                        std::string(kGoodArticle) + "</section>\n</edition>\n"),
               "missing-title", "bad.xml", 1, 1, "expected a <title>");
  expect_error(read_xml(edition_with("<article><headline>H</headline><body><p>x</p></body>"
                                     "</article>")),
               "missing-id", "bad.xml", 4, 1, "expected id=\"...\" on <article>");
}

TEST_CASE("ids must be XML names", "[input][diagnostics]") {
  expect_error(read_xml(edition_with("  <article id=\"1st story\"><headline>H</headline>"
                                     "<body><p>x</p></body></article>")),
               "bad-id", "bad.xml", 4, 3, "bad article id '1st story': expected an XML name");
}

TEST_CASE("dates must be YYYY-MM-DD calendar days", "[input][diagnostics]") {
  expect_error(read_xml("<edition version=\"1\" date=\"2024-13-40\">\n<title>T</title>\n"
                        "<section id=\"s\" name=\"n\">" +
                        std::string(kGoodArticle) + "</section>\n</edition>\n"),
               "bad-date", "bad.xml", 1, 1, "expected YYYY-MM-DD, got '2024-13-40'");
  expect_error(read_xml(edition_with("<article id=\"a\" date=\"25/11/2024\"><headline>H</headline>"
                                     "<body><p>x</p></body></article>")),
               "bad-date", "bad.xml", 4, 1, "expected YYYY-MM-DD, got '25/11/2024'");
}

TEST_CASE("weights run from 1 to 5", "[input][diagnostics]") {
  expect_error(read_xml(edition_with("<article id=\"a\" weight=\"7\"><headline>H</headline>"
                                     "<body><p>x</p></body></article>")),
               "bad-weight", "bad.xml", 4, 1, "expected an integer from 1 to 5, got '7'");
}

TEST_CASE("only format version 1 is read", "[input][diagnostics]") {
  expect_error(read_xml("<edition version=\"2\" date=\"2024-11-25\">\n<title>T</title>\n"
                        "<section id=\"s\" name=\"n\">" +
                        std::string(kGoodArticle) + "</section>\n</edition>\n"),
               "unsupported-version", "bad.xml", 1, 1, "expected version=\"1\"");
  expect_error(read_xml("<article id=\"a\"><headline>H</headline><body><p>x</p></body></article>"),
               "unsupported-version", "bad.xml", 1, 1, "expected version=\"1\" on <article>");
}

TEST_CASE("article-ref problems name the resolved path on the ref's line", "[input][diagnostics]") {
  const auto dir = test::scratch_dir("article-ref");
  const std::string edition_file = (dir / "edition.xml").string();
  SECTION("missing file") {
    test::write_file(dir / "edition.xml", edition_with("  <article-ref href=\"articles/x.xml\"/>"));
    model::Diagnostics diagnostics;
    test::ReadOutcome outcome;
    outcome.edition = input::read_edition(dir / "edition.xml", outcome.diagnostics);
    expect_error(outcome, "missing-file", edition_file, 4, 3,
                 "resolved to '" + (dir / "articles" / "x.xml").string() + "'");
  }
  SECTION("absolute path or ..") {
    expect_error(read_xml(edition_with("<article-ref href=\"/etc/passwd\"/>")), "path-outside",
                 "bad.xml", 4, 1, "refused article-ref href '/etc/passwd'");
    expect_error(read_xml(edition_with("<article-ref href=\"a/../../x.xml\"/>")), "path-outside",
                 "bad.xml", 4, 1, "no '..'");
  }
  SECTION("errors inside the referenced file carry that file's name") {
    test::write_file(dir / "articles" / "x.xml",
                     "<article version=\"1\" id=\"x\">\n<headline>H</headline>\n</article>\n");
    test::write_file(dir / "edition.xml", edition_with("<article-ref href=\"articles/x.xml\"/>"));
    test::ReadOutcome outcome;
    outcome.edition = input::read_edition(dir / "edition.xml", outcome.diagnostics);
    expect_error(outcome, "missing-body", (dir / "articles" / "x.xml").string(), 1, 1,
                 "expected a <body>");
  }
  SECTION("a referenced file must hold an article") {
    test::write_file(dir / "x.xml", "<edition version=\"1\"/>");
    test::write_file(dir / "edition.xml", edition_with("<article-ref href=\"x.xml\"/>"));
    test::ReadOutcome outcome;
    outcome.edition = input::read_edition(dir / "edition.xml", outcome.diagnostics);
    expect_error(outcome, "wrong-root", (dir / "x.xml").string(), 1, 1, "expected <article>");
  }
}

TEST_CASE("duplicate article ids point at the first occurrence", "[input][diagnostics]") {
  const auto dir = test::scratch_dir("duplicate-id");
  test::write_file(dir / "x.xml",
                   "<article version=\"1\" id=\"a\">\n<headline>H</headline>\n<body><p>x</p>"
                   "</body>\n</article>\n");
  test::write_file(dir / "edition.xml",
                   edition_with("<article-ref href=\"x.xml\"/>\n" + std::string(kGoodArticle)));
  test::ReadOutcome outcome;
  outcome.edition = input::read_edition(dir / "edition.xml", outcome.diagnostics);
  expect_error(outcome, "duplicate-id", (dir / "edition.xml").string(), 5, 1,
               "duplicate article id 'a': expected ids unique in the edition; first used at " +
                   (dir / "x.xml").string() + ":1:1");
}

TEST_CASE("reading goes on after an error to report several at once", "[input][diagnostics]") {
  const auto outcome = read_xml(
      edition_with("<article id=\"a\" date=\"2024-13-40\"><body><p>x</p></body></article>\n"
                   "<article id=\"a\" weight=\"9\"><headline>H</headline></article>"));
  INFO(outcome.all());
  CHECK_FALSE(outcome.edition);
  std::vector<std::string> codes;
  for (const auto& d : outcome.diagnostics.all()) codes.push_back(d.code);
  CHECK(codes == std::vector<std::string>{"bad-date", "missing-headline", "duplicate-id",
                                          "bad-weight", "missing-body"});
}

TEST_CASE("a file that cannot be read is a missing-file error", "[input][diagnostics]") {
  test::ReadOutcome outcome;
  outcome.edition = input::read_edition("no/such/edition.xml", outcome.diagnostics);
  expect_error(outcome, "missing-file", "no/such/edition.xml", 0, 0, "cannot read");
}

TEST_CASE("diagnostics print as one line with file:line:column and code", "[input][diagnostics]") {
  const auto outcome = read_xml("<news/>", "x.xml");
  REQUIRE(outcome.diagnostics.all().size() == 1);
  CHECK(outcome.diagnostics.all()[0].to_string() ==
        "x.xml:1:1: error: unknown root element <news>: expected <edition> or <article> "
        "[wrong-root]");
}
