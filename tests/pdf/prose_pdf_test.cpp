// The varied prose of tests/data/prose/ (harakat, Latin names, URLs, digits) as a PDF: valid,
// and its Arabic words back from poppler intact and in order.
#include <catch2/catch.hpp>

#include "input/input.hpp"
#include "support/test_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

bool has_arabic_letter(const std::string& word) {
  // U+0621..U+064A are two-byte sequences D8 A1 .. D9 8A.
  for (std::size_t i = 0; i + 1 < word.size(); ++i) {
    const auto a = static_cast<unsigned char>(word[i]), b = static_cast<unsigned char>(word[i + 1]);
    if ((a == 0xD8 && b >= 0xA1) || (a == 0xD9 && b <= 0x8A)) return true;
  }
  return false;
}

// Only words with Arabic letters: digits follow the layout's style and may differ from the
// source by design.
std::string arabic_words(const std::string& text) {
  std::string out;
  for (const auto& w : test::split_words(text))
    if (has_arabic_letter(w)) out += w + " ";
  return out;
}

}  // namespace

TEST_CASE("varied prose copies out of the PDF intact", "[pdf][prose]") {
  const fs::path source = test::source_dir() / "tests" / "data" / "prose" / "edition-prose.xml";
  const auto dir = test::scratch_dir("pdf-prose");
  const auto pdf = dir / "prose.pdf";
  const auto r = test::run_warraq({"pdf", source.string(), "-o", pdf.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(test::run({"qpdf", "--check", pdf.string()}).status == 0);

  model::Diagnostics d;
  const auto edition = input::read_edition(source, d);
  REQUIRE(edition);
  std::string body;
  for (const auto& section : edition->sections)
    for (const auto& article : section.articles)
      for (const auto& block : article.body)
        if (block.kind == model::BlockKind::paragraph)
          body += model::plain_text(block.content) + "\n";
  const auto text = test::run({"pdftotext", "-enc", "UTF-8", pdf.string(), "-"});
  REQUIRE(text.status == 0);
  const auto score = test::score_words(arabic_words(body), arabic_words(text.out));
  std::string missing;
  for (const auto& m : score.missing) missing += " " + m;
  INFO("words intact " << score.intact << "%, pairs " << score.pairs << "% of "
                       << score.source_words << "; missing:" << missing);
  REQUIRE(score.source_words > 250);
  // Known gap (docs/extraction.md): poppler splits some fully vocalised words (a shadda or
  // tanwin over a letter next to a joining stroke lands on a line of its own), and its
  // bidi embedding marks separate '#' from a hashtag. 97.9% today; raise this bar when
  // the emission of harakat improves.
  CHECK(score.intact >= 97.5);
  CHECK(score.pairs >= 90.0);
}
