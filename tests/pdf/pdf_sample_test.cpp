// The sample edition as a user gets it from `warraq pdf`: a valid PDF (qpdf), every font
// embedded (pdffonts), the article's words back from poppler intact and in order, the same
// bytes on every run, and nothing left behind when a run fails.
#include <catch2/catch.hpp>
#include <sstream>

#include "input/input.hpp"
#include "support/test_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

fs::path sample_edition() { return test::source_dir() / "samples" / "edition-ar-MA.xml"; }

fs::path render(const fs::path& dir, const std::string& name, const fs::path& input) {
  const fs::path out = dir / name;
  const auto r = test::run_warraq({"pdf", input.string(), "-o", out.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  REQUIRE(fs::exists(out));
  return out;
}

// Text of the article body as the source has it, one paragraph a line.
std::string article_body(const std::string& id) {
  model::Diagnostics diagnostics;
  const auto edition = input::read_edition(sample_edition(), diagnostics);
  REQUIRE(edition);
  for (const auto& section : edition->sections)
    for (const auto& article : section.articles)
      if (article.id == id) {
        std::string text;
        for (const auto& block : article.body) text += model::plain_text(block.content) + "\n";
        return text;
      }
  FAIL("no article " << id);
  return {};
}

}  // namespace

TEST_CASE("the sample edition renders to a PDF that qpdf accepts", "[pdf][sample]") {
  const auto dir = test::scratch_dir("pdf-qpdf");
  const auto pdf = render(dir, "edition.pdf", sample_edition());
  const auto check = test::run({"qpdf", "--check", pdf.string()});
  INFO(check.out << check.err);
  REQUIRE(check.status == 0);
  CHECK(check.out.find("No syntax or stream encoding errors") != std::string::npos);
  // Nothing but the output in the folder: the temporary file was renamed, not copied.
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    (void)entry;
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("every font in the sample PDF is embedded", "[pdf][sample]") {
  const auto pdf = render(test::scratch_dir("pdf-fonts"), "edition.pdf", sample_edition());
  const auto fonts = test::run({"pdffonts", pdf.string()});
  REQUIRE(fonts.status == 0);
  std::istringstream lines(fonts.out);
  std::string line;
  int rows = 0;
  std::getline(lines, line);  // header
  std::getline(lines, line);  // rule
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++rows;
    // Columns: name type encoding emb sub uni object ID; read the three yes/no from the end.
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string x; fields >> x;) f.push_back(x);
    REQUIRE(f.size() >= 7);
    INFO(line);
    CHECK(f[f.size() - 5] == "yes");  // emb
    CHECK(f[f.size() - 3] == "yes");  // uni: a ToUnicode map, so text can be extracted
  }
  CHECK(rows >= 2);  // Arabic and Latin faces at least
  CHECK(fonts.out.find("Amiri") != std::string::npos);
}

TEST_CASE("the article's words come back from pdftotext intact and in order", "[pdf][sample]") {
  const auto pdf = render(test::scratch_dir("pdf-text"), "edition.pdf", sample_edition());
  const auto text = test::run({"pdftotext", "-enc", "UTF-8", pdf.string(), "-"});
  REQUIRE(text.status == 0);
  const auto score = test::score_words(article_body("hammouchi-belgium"), text.out);
  INFO("words intact " << score.intact << "%, pairs in order " << score.pairs << "% of "
                       << score.source_words << " words");
  std::string missing;
  for (const auto& m : score.missing) missing += " " + m;
  INFO("missing:" << missing);
  REQUIRE(score.source_words > 200);
  CHECK(score.intact >= 99.0);
  CHECK(score.pairs >= 90.0);
}

TEST_CASE("the same edition gives the same PDF bytes", "[pdf][determinism]") {
  const auto dir = test::scratch_dir("pdf-determinism");
  const auto a = render(dir, "a.pdf", sample_edition());
  const auto b = render(dir, "b.pdf", sample_edition());
  REQUIRE(test::read_file(a) == test::read_file(b));
  // The creation date is the edition's, never the clock.
  const auto info = test::run({"pdfinfo", a.string()});
  CHECK(info.out.find("2024") != std::string::npos);
}

TEST_CASE("a failing run leaves no output file", "[pdf][errors]") {
  const auto dir = test::scratch_dir("pdf-failure");
  const auto bad = dir / "bad.xml";
  test::write_file(bad, "<edition version=\"1\" date=\"2024-11-25\"><title>x</title>\n<section");
  const auto out = dir / "out.pdf";
  const auto r = test::run_warraq({"pdf", bad.string(), "-o", out.string()});
  CHECK(r.status == 2);
  CHECK_FALSE(fs::exists(out));
  CHECK(r.err.find("bad.xml:") != std::string::npos);

  // An output folder that does not exist: status 1, nothing written anywhere.
  const auto nowhere = dir / "missing" / "out.pdf";
  const auto w = test::run_warraq({"pdf", sample_edition().string(), "-o", nowhere.string()});
  CHECK(w.status == 1);
  CHECK_FALSE(fs::exists(nowhere));
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    (void)entry;
    ++files;
  }
  CHECK(files == 1);  // only bad.xml
}

// Tagged structure as poppler reads it (pdfinfo -struct-text): one "Art" element per
// article, its headline an H1 holding the headline's words, its paragraphs P elements, and
// the contents block's links outside every article.
TEST_CASE("the sample PDF has a logical structure: articles, headlines, paragraphs",
          "[pdf][sample][structure]") {
  const auto dir = test::scratch_dir("pdf-structure");
  const auto pdf = render(dir, "edition.pdf", sample_edition());
  const auto r = test::run({"pdfinfo", "-struct-text", pdf.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  model::Diagnostics diagnostics;
  const auto edition = input::read_edition(sample_edition(), diagnostics);
  REQUIRE(edition);

  std::istringstream in(r.out);
  std::string line;
  int arts = 0, headlines = 0, paragraphs = 0, links_inside = 0;
  std::string headline_text;
  bool in_art = false, in_h1 = false;
  while (std::getline(in, line)) {
    const auto indent = line.find_first_not_of(' ');
    if (indent == std::string::npos) continue;
    const std::string entry = line.substr(indent);
    if (indent == 2) in_art = entry == "Art";
    if (indent == 2 && entry == "Art") ++arts;
    if (indent == 4) in_h1 = in_art && entry.rfind("H1", 0) == 0;
    if (in_art && indent == 4 && entry.rfind("H1", 0) == 0) ++headlines;
    if (in_art && indent == 4 && entry.rfind("P ", 0) == 0) ++paragraphs;
    if (in_art && entry.rfind("Link", 0) == 0) ++links_inside;
    if (in_h1 && indent == 6) headline_text += entry;
  }
  const auto articles = static_cast<int>(edition->article_count());
  CHECK(arts >= articles);  // an article continued on a later page has an Art there too
  CHECK(headlines == articles);
  CHECK(paragraphs > 2 * articles);
  CHECK(links_inside == 0);
  // The first article's headline words are in its H1 (pdfinfo prints them in stream
  // order, so compare a word, not the phrase).
  CHECK_THAT(headline_text, Catch::Contains("البلجيكية"));
}
