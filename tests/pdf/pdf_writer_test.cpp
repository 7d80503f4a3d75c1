// The PDF stage's own writer on inputs the samples do not have: characters no font draws,
// an outline whose first articles have no section entry, links in the structure tree.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "pdf/canvas.hpp"
#include "support/test_support.hpp"

using namespace warraq;

namespace {

std::string edition(const std::string& sections) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<edition version=\"1\" locale=\"ar-MA\" dir=\"rtl\" layout=\"a4-digest\" "
         "date=\"2024-11-25\" number=\"1\"><title>اختبار</title>\n" +
         sections + "</edition>\n";
}

std::string article(const std::string& id, const std::string& headline, const std::string& body) {
  return "<article id=\"" + id + "\" date=\"2024-11-25\" weight=\"1\"><headline>" + headline +
         "</headline><body><p>" + body + "</p></body></article>\n";
}

std::filesystem::path render(const std::filesystem::path& dir, const std::string& xml) {
  test::write_file(dir / "edition.xml", xml);
  const auto pdf = dir / "edition.pdf";
  const auto r = test::run_warraq({"pdf", (dir / "edition.xml").string(), "-o", pdf.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto check = test::run({"qpdf", "--check", pdf.string()});
  INFO(check.out << check.err);
  REQUIRE(check.status == 0);
  return pdf;
}

}  // namespace

TEST_CASE("characters no font draws are left out, not drawn as other glyphs", "[pdf][writer]") {
  // A soft hyphen (Pango's empty glyph) inside a Latin word, and a Thaana letter no face in
  // fonts.list has (Pango's unknown-glyph id): neither may move the pen or become a glyph.
  const auto dir = test::scratch_dir("pdf-writer-missing");
  const auto pdf =
      render(dir, edition("<section id=\"s\" name=\"قسم\">\n" +
                          article("a1", "عنوان", "alpha test\u00ADword okay beta \u0780 نهاية.") +
                          "</section>\n"));
  const auto text = test::run({"pdftotext", pdf.string(), "-"});
  REQUIRE(text.status == 0);
  // With the pen a full em off after the soft hyphen, "okay" was drawn over "word".
  CHECK_THAT(text.out, Catch::Matches("(.|\\n)*word okay beta(.|\\n)*"));
  const auto mupdf = test::run({"mutool", "draw", "-F", "txt", "-o", "-", pdf.string()});
  REQUIRE(mupdf.status == 0);
  CHECK(mupdf.out.find("beta") != std::string::npos);
}

TEST_CASE("articles before any section entry stay at the outline's top level", "[pdf][writer]") {
  const auto dir = test::scratch_dir("pdf-writer-outline");
  const auto pdf =
      render(dir, edition("<section id=\"s\" name=\"\">\n" + article("a1", "أول", "نص.") +
                          article("a2", "ثان", "نص.") + article("a3", "ثالث", "نص.") +
                          "</section>\n<section id=\"t\" name=\"قسم\">\n" +
                          article("b1", "رابع", "نص.") + "</section>\n"));
  const auto outline = test::run({"mutool", "show", pdf.string(), "outline"});
  REQUIRE(outline.status == 0);
  INFO(outline.out);
  // mutool prints a tab per level before an entry; the three articles without a section entry
  // are not children of the first of them.
  const std::regex nested("\\t\\t[^\\n]*(ثان|ثالث)");
  CHECK_FALSE(std::regex_search(outline.out, nested));
  CHECK(std::regex_search(outline.out, std::regex("\\t\\t[^\\n]*رابع")));
}

TEST_CASE("every link annotation is in the structure tree", "[pdf][writer][structure]") {
  const auto dir = test::scratch_dir("pdf-writer-links");
  const auto pdf = test::source_dir() / "samples" / "edition-ar-MA.xml";
  const auto out = dir / "sample.pdf";
  const auto r = test::run_warraq({"pdf", pdf.string(), "-o", out.string()});
  REQUIRE(r.status == 0);
  const auto json = test::run({"qpdf", "--json", out.string()});
  REQUIRE(json.status == 0);
  const auto count = [&](const std::string& pattern) {
    const std::regex re(pattern);
    return std::distance(std::sregex_iterator(json.out.begin(), json.out.end(), re),
                         std::sregex_iterator());
  };
  const auto links = count(R"rx("/Subtype":\s*"/Link")rx");
  REQUIRE(links > 0);
  // Each annotation names its Link element through /StructParent; each Link element holds
  // its annotation by an object reference.
  CHECK(count(R"rx("/StructParent":\s*\d+)rx") == links);
  CHECK(count(R"rx("/S":\s*"/Link")rx") == links);
  CHECK(count(R"rx("/Type":\s*"/OBJR")rx") == links);
}

TEST_CASE("glyph ids that are not the face's are not written", "[pdf][writer]") {
  // Pango's ids for an empty glyph (0x0FFFFFFF) and for a character no font has
  // (0x10000000 | code point) cut to 16 bits were glyphs of the face: <FFFF> and, for
  // U+0780, <0780>, one of Amiri's letters.
  typeset::FontFile amiri;
  amiri.family = "Amiri";
  amiri.path = "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf";
  const auto dir = test::scratch_dir("pdf-writer-glyph-ids");
  std::FILE* f = std::fopen((dir / "scratch.pdf").c_str(), "wb");
  REQUIRE(f);
  {
    pdf::PdfFile file(f);
    pdf::Resources resources(file);
    pdf::Canvas canvas(resources, 800);
    const typeset::FontRef font(nullptr, &amiri, 12);
    const std::vector<pdf::ShownGlyph> glyphs{
        {0x0FFFFFFF, 10, 20}, {0x10000780, 20, 20}, {3, 30, 20}};
    const std::vector<std::pair<int, int>> clusters{{2, 1}, {2, 1}, {1, 1}};
    canvas.show(font, {0, 0, 0}, "\u00AD\u0780 ", glyphs, clusters, false);
    const std::string& content = canvas.content();
    INFO(content);
    CHECK(content.find("<FFFF>") == std::string::npos);
    CHECK(content.find("<0780>") == std::string::npos);
    CHECK(content.find("<0003>") != std::string::npos);  // the space, a glyph of the face
    CHECK(content.find("/ActualText") != std::string::npos);
  }
  std::fclose(f);
}
