// Golden tests of the paragraph engine: every tests/golden/paragraph/<case>.xml is set
// paragraph by paragraph on the narrow layout beside it, and the text dump (lines, bidi
// runs in visual order, glyph runs with positions, kashidas) is compared with
// <case>.expected. WARRAQ_UPDATE_GOLDEN=1 rewrites the expectations (then review the diff).
// Beside the dumps, each case checks the rule it is about, so a wrong expectation cannot
// be blessed silently.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>

#include "input/input.hpp"
#include "support/test_support.hpp"
#include "typeset/typeset.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

fs::path golden_dir() { return test::source_dir() / "tests" / "golden" / "paragraph"; }

struct Case {
  std::vector<typeset::Page> paragraphs;
  std::string dump;
};

Case set_case(const std::string& name) {
  model::Diagnostics d;
  const auto edition = input::read_edition(golden_dir() / (name + ".xml"), d);
  const auto layout = input::read_layout(golden_dir() / "layout.xml", d);
  const auto fonts = typeset::FontSet::load(test::source_dir() / "fonts", d);
  for (const auto& x : d.all()) INFO(x.to_string());
  REQUIRE(edition);
  REQUIRE(layout);
  REQUIRE(fonts);
  const double width = layout->page_width - layout->margin_inner - layout->margin_outer;
  Case c;
  int index = 0;
  for (const auto& block : edition->sections.at(0).articles.at(0).body) {
    auto page = typeset::set_paragraph(block.content, "body", width, *layout, *fonts, {});
    page.number = ++index;
    c.dump += "paragraph " + std::to_string(index) + "\n" + typeset::dump_page(page, true);
    c.paragraphs.push_back(std::move(page));
  }
  return c;
}

void compare_with_expected(const std::string& name, const std::string& dump) {
  const fs::path expected = golden_dir() / (name + ".expected");
  if (const char* update = std::getenv("WARRAQ_UPDATE_GOLDEN"); update && *update == '1') {
    test::write_file(expected, dump);
    WARN("rewrote " << expected.string());
    return;
  }
  REQUIRE(fs::exists(expected));
  const std::string want = test::read_file(expected);
  if (want != dump) {
    const auto out = test::scratch_dir("golden-" + name) / (name + ".actual");
    test::write_file(out, dump);
    FAIL("layout dump differs from " << expected.string() << "; see: diff -u " << expected.string()
                                     << " " << out.string());
  }
}

std::vector<const typeset::LineBox*> lines_of(const typeset::Page& page) {
  std::vector<const typeset::LineBox*> out;
  for (const auto& l : page.lines) out.push_back(&l);
  return out;
}

// The source bytes of the word holding the letter that a kashida leaves.
std::string word_of_kashida(const typeset::GlyphRun& run, const typeset::Kashida& k) {
  // Clusters are in glyph order; a backward run consumes its text from the end.
  std::size_t offset = 0;
  for (int c = 0; c < k.cluster; ++c) offset += static_cast<std::size_t>(run.clusters[c].bytes);
  const std::size_t bytes = static_cast<std::size_t>(run.clusters[k.cluster].bytes);
  const std::size_t start = run.backward ? run.text.size() - offset - bytes : offset;
  std::size_t a = run.text.rfind(' ', start);
  a = a == std::string::npos ? 0 : a + 1;
  std::size_t b = run.text.find(' ', start);
  return run.text.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

}  // namespace

TEST_CASE("golden: Latin phrases and an English quote inside Arabic", "[typeset][golden]") {
  const auto c = set_case("latin-phrases");
  compare_with_expected("latin-phrases", c.dump);
  std::string runs;
  for (const auto* l : lines_of(c.paragraphs[0])) runs += l->visual_runs + "\n";
  // Multi-word Latin runs stay one left-to-right run each (never reversed word by word).
  CHECK(runs.find("L2:European Commission") != std::string::npos);
  CHECK(runs.find("L2:Francesca Bostyn") != std::string::npos);
}

TEST_CASE("golden: dates, percentages and mirrored brackets", "[typeset][golden]") {
  const auto c = set_case("dates-numbers");
  compare_with_expected("dates-numbers", c.dump);
  std::string runs;
  for (const auto* l : lines_of(c.paragraphs[0])) runs += l->visual_runs + "\n";
  CHECK(runs.find("L2:25/11/2024") != std::string::npos);
  CHECK(runs.find("L2:12,5") != std::string::npos);
  // The day and the year are separate left-to-right runs around the right-to-left month.
  CHECK(runs.find("L2:2024 | R1: نونبر  | L2:25") != std::string::npos);
}

// Arabic-Indic digits reach dates and times as they reach every number (the EPUB does the
// same), and never a word with Latin letters or an address.
TEST_CASE("Arabic-Indic digits reach dates and times but not codes or addresses",
          "[typeset][digits]") {
  model::Diagnostics d;
  const auto layout = input::read_layout(golden_dir() / "layout.xml", d);
  const auto fonts = typeset::FontSet::load(test::source_dir() / "fonts", d);
  REQUIRE(layout);
  REQUIRE(fonts);
  typeset::Options options;
  options.digits = model::DigitStyle::arabic_indic;
  const model::Inlines text{model::Span{
      "نشرت يوم 25/11/2024 على الساعة 10:30 بنسبة 12 تحت الرمز A320 في https://example.org/2024 "
      "و info2024@example.org",
      model::plain,
      "",
      "",
      "",
      false,
      {}}};
  const auto page = typeset::set_paragraph(text, "body", 400, *layout, *fonts, options);
  std::string all;
  for (const auto& line : page.lines) all += line.text + " ";
  INFO(all);
  CHECK(all.find("٢٥/١١/٢٠٢٤") != std::string::npos);
  CHECK(all.find("١٠:٣٠") != std::string::npos);
  CHECK(all.find("١٢") != std::string::npos);
  CHECK(all.find("A320") != std::string::npos);
  CHECK(all.find("info2024@example.org") != std::string::npos);
  // The URL may break after a slash; its digits stay Western, only the date's turn.
  const auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = all.find(what); at != std::string::npos; at = all.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(all.find("https://example.org/") != std::string::npos);
  CHECK(count("2024") == 2);
  CHECK(count("٢٠٢٤") == 1);
}

TEST_CASE("golden: a line that starts with a Latin word", "[typeset][golden]") {
  const auto c = set_case("latin-line-start");
  compare_with_expected("latin-line-start", c.dump);
  bool found = false;
  for (const auto* l : lines_of(c.paragraphs[0])) found |= l->text.rfind("Warraq", 0) == 0;
  CHECK(found);
}

TEST_CASE("golden: a number range near a line end", "[typeset][golden]") {
  const auto c = set_case("number-range");
  compare_with_expected("number-range", c.dump);
  // Wherever the lines break, the digits of each number stay in one left-to-right run.
  for (const auto* l : lines_of(c.paragraphs[0])) {
    INFO(l->visual_runs);
    const auto& v = l->visual_runs;
    const bool whole_years =
        v.find("L2:202") == std::string::npos || v.find("L2:2020") != std::string::npos ||
        v.find("L2:2019") != std::string::npos || v.find("L2:2023") != std::string::npos ||
        v.find("L2:2024") != std::string::npos;
    CHECK(whole_years);
  }
}

TEST_CASE("golden: an unterminated override stays in its paragraph", "[typeset][golden]") {
  const auto c = set_case("unterminated-rlo");
  compare_with_expected("unterminated-rlo", c.dump);
  REQUIRE(c.paragraphs.size() == 2);
  std::string second;
  for (const auto* l : lines_of(c.paragraphs[1])) second += l->visual_runs + "\n";
  INFO(second);
  CHECK(second.find("L2:Warraq | L2: 2024") != std::string::npos);
  CHECK(second.find("R1:") != std::string::npos);  // the paragraph is right to left again
}

TEST_CASE("golden: words with tatweel get no kashida", "[typeset][golden][kashida]") {
  const auto c = set_case("existing-tatweel");
  compare_with_expected("existing-tatweel", c.dump);
  int kashidas = 0;
  for (const auto& item : c.paragraphs[0].items) {
    if (item.kind != typeset::Item::Kind::glyphs) continue;
    for (const auto& k : item.run.kashidas) {
      ++kashidas;
      const auto word = word_of_kashida(item.run, k);
      INFO(word);
      CHECK(word.find("\u0640") == std::string::npos);
    }
  }
  CHECK(kashidas > 0);  // the other words of the paragraph are justified with kashida
}

TEST_CASE("golden: lone proclitics and Arabic punctuation", "[typeset][golden]") {
  const auto c = set_case("proclitic");
  compare_with_expected("proclitic", c.dump);
  for (const auto* l : lines_of(c.paragraphs[0])) {
    INFO(l->text);
    const bool ends_with_lone_waw =
        l->text.size() >= 3 && l->text.compare(l->text.size() - 3, 3, " \u0648") == 0;
    CHECK_FALSE(ends_with_lone_waw);
    for (const char* p : {"\u060C", "\u061B", "\u061F", "."}) {
      const bool starts_with_punctuation = l->text.rfind(p, 0) == 0;
      CHECK_FALSE(starts_with_punctuation);
    }
  }
}
