// The XML writer and the text rules of the content documents: escaping, characters XML
// forbids, links that are kept or dropped, untrusted text that looks like markup.
#include "epub/digest.hpp"
#include "epub/digest_id.hpp"
#include "epub/xml_writer.hpp"
#include "epub_test_helpers.hpp"

using namespace warraq;

TEST_CASE("the writer escapes text and attributes and drops what XML forbids", "[epub][xml]") {
  epub::CodePoints shown;
  epub::XmlWriter w(epub::XmlWriter::Mode::xhtml, &shown);
  w.open("p", {{"title", "a\"b<c>&\td"}});
  w.text("x < y && z > \"q\" \x01\x1f\xef\xbf\xbe ok \xff");
  w.close("p");
  const std::string out = w.finish();
  CHECK(out ==
        "<p title=\"a&quot;b&lt;c&gt;&amp;&#9;d\">x &lt; y &amp;&amp; z &gt; \"q\"  ok "
        "\xef\xbf\xbd</p>\n");
  CHECK(shown.count(U'x') == 1);
  CHECK(shown.count(0xFFFD) == 1);
  CHECK(shown.count(0x01) == 0);
}

TEST_CASE("the writer makes nesting structural and refuses scripts", "[epub][xml]") {
  epub::XmlWriter w(epub::XmlWriter::Mode::xhtml);
  w.open("div");
  w.open("p");
  CHECK_THROWS_AS(w.close("div"), std::logic_error);
  w.close("p");
  CHECK_THROWS_AS(w.open("script"), std::logic_error);
  CHECK_THROWS_AS(w.open("a", {{"onclick", "x()"}}), std::logic_error);
  CHECK_THROWS_AS(w.open("a", {{"bad name", "x"}}), std::logic_error);
  CHECK_THROWS_AS(w.finish(), std::logic_error);  // <div> is still open
  w.close("div");
  CHECK(w.finish() == "<div>\n <p></p>\n</div>\n");
}

TEST_CASE("only http, https and mailto links are kept, percent-encoded", "[epub][xml]") {
  CHECK(epub::safe_href("https://example.com/a b?q=«x»") ==
        "https://example.com/a%20b?q=%C2%ABx%C2%BB");
  CHECK(epub::safe_href("  HTTP://example.com/%41%zz ") == "http://example.com/%41%25zz");
  CHECK(epub::safe_href("mailto:desk@example.com") == "mailto:desk@example.com");
  CHECK_FALSE(epub::safe_href("javascript:alert(1)"));
  CHECK_FALSE(epub::safe_href("JaVaScRiPt:alert(1)"));
  CHECK_FALSE(epub::safe_href("data:text/html,<script>"));
  CHECK_FALSE(epub::safe_href("file:///etc/passwd"));
  CHECK_FALSE(epub::safe_href("../other.xhtml"));
  CHECK_FALSE(epub::safe_href("//example.com"));
  CHECK_FALSE(epub::safe_href("http:foo"));
}

TEST_CASE("language tags and right-to-left languages", "[epub][xml]") {
  CHECK(epub::is_language_tag("ar-MA"));
  CHECK(epub::is_language_tag("fr"));
  CHECK_FALSE(epub::is_language_tag(""));
  CHECK_FALSE(epub::is_language_tag("fr\" onclick=\"x"));
  CHECK(epub::is_rtl_language("ar"));
  CHECK(epub::is_rtl_language("fa-IR"));
  CHECK(epub::is_rtl_language("ku-Arab"));
  CHECK_FALSE(epub::is_rtl_language("fr"));
  CHECK_FALSE(epub::is_rtl_language("ar-Latn"));
}

TEST_CASE("SHA-1 and the name-based identifier", "[epub][xml]") {
  const auto hex = [](const std::array<std::uint8_t, 20>& d) {
    std::string s;
    char b[3];
    for (auto c : d) {
      std::snprintf(b, sizeof b, "%02x", c);
      s += b;
    }
    return s;
  };
  // FIPS 180-2 appendix A test vectors.
  CHECK(hex(epub::sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(hex(epub::sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(hex(epub::sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(epub::name_based_urn_uuid("x") == epub::name_based_urn_uuid("x"));
  CHECK(epub::name_based_urn_uuid("x") != epub::name_based_urn_uuid("y"));
}

TEST_CASE("untrusted text that looks like markup stays text", "[epub][xml]") {
  const auto dir = test::scratch_dir("epub-untrusted-text");
  model::Edition edition = test::generated_edition(1, 1);
  auto& article = edition.sections[0].articles[0];
  article.headline = {test::text("<script>alert(1)</script> & «عنوان»")};
  model::Span evil = test::text("<img src=x onerror=alert(1)>");
  evil.lang = "en\" onmouseover=\"x";  // not a language tag: dropped
  evil.dir = "sideways";               // not a direction: dropped
  article.body.insert(article.body.begin(), test::paragraph({evil}));
  model::Block figure;
  figure.kind = model::BlockKind::figure;
  figure.figure.src = "https://example.com/remote.png";
  figure.figure.alt = "صورة";
  figure.figure.caption = {test::text("تعليق")};
  article.body.push_back(figure);

  const auto fonts = test::repository_fonts();
  model::Diagnostics diagnostics;
  epub::Options options;
  options.modified_time = test::sample_time;
  REQUIRE(epub::write_epub(edition, test::repository_layout(), *fonts, options, dir / "u.epub",
                           diagnostics));
  auto files = test::zip_files(dir / "u.epub");
  const std::string& a = files["OEBPS/text/a001.xhtml"];
  CHECK(a.find("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; «عنوان»</h1>") !=
        std::string::npos);
  CHECK(a.find("<title>&lt;script&gt;") != std::string::npos);
  CHECK(a.find("<p>&lt;img src=x onerror=alert(1)&gt;</p>") != std::string::npos);
  CHECK(a.find("onmouseover") == std::string::npos);
  CHECK(a.find("sideways") == std::string::npos);
  // The remote image is left out with a warning; its caption stays.
  CHECK(a.find("remote.png") == std::string::npos);
  CHECK(a.find("<figcaption>تعليق</figcaption>") != std::string::npos);
  bool warned = false;
  for (const auto& d : diagnostics.all()) warned = warned || d.code == "epub-image-missing";
  CHECK(warned);
  const auto check = test::epubcheck(dir / "u.epub");
  INFO(check.output);
  CHECK(check.clean);
}
