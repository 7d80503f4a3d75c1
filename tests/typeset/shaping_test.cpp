// The shaped-word cache (engine/typeset/word_shaper.hpp) must give, item for item, the glyph
// string Pango gives for the whole item: glyphs, geometry, attributes and clusters. Checked
// on real paragraphs, and on every pair of letters that meet across a space in each face of
// the font set (a font may kern or substitute across a space, as Amiri does before a kaf),
// then through the paragraph engine, where lines set with and without the cache must match.
#include <pango/pangocairo.h>

#include <catch2/catch.hpp>
#include <set>

#include "input/input.hpp"
#include "support/test_support.hpp"
#include "typeset/paragraph.hpp"
#include "typeset/typeset.hpp"
#include "typeset/word_shaper.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  model::Diagnostics diagnostics;
  std::shared_ptr<typeset::FontSet> fonts;
  std::optional<model::Layout> layout;
  Fixture() {
    fonts = typeset::FontSet::load(test::source_dir() / "fonts", diagnostics);
    layout = input::read_layout(test::source_dir() / "layouts" / "a4-digest.xml", diagnostics);
    for (const auto& d : diagnostics.all()) INFO(d.to_string());
    REQUIRE(fonts);
    REQUIRE(layout);
  }
};

// The paragraphs of an edition's article bodies and heads, as plain text.
std::vector<std::string> paragraphs_of(const fs::path& path) {
  model::Diagnostics d;
  const auto edition = input::read_edition(path, d);
  REQUIRE(edition);
  std::vector<std::string> out;
  for (const auto& section : edition->sections)
    for (const auto& article : section.articles) {
      out.push_back(model::plain_text(article.headline));
      for (const auto& block : article.body) {
        if (!block.content.empty()) out.push_back(model::plain_text(block.content));
        for (const auto& item : block.items) out.push_back(model::plain_text(item));
      }
    }
  return out;
}

// Itemises `text` in one face and shapes every item both ways; returns the items compared.
int compare_items(typeset::Shaper& shaper, typeset::WordShaper& words, const std::string& text,
                  const std::string& family, int weight, bool rtl = true) {
  PangoContext* context = shaper.context();
  typeset::AttrListPtr attrs(pango_attr_list_new());
  typeset::FontDescriptionPtr d(pango_font_description_new());
  pango_font_description_set_family(d.get(), family.c_str());
  pango_font_description_set_absolute_size(d.get(), 11 * PANGO_SCALE);
  pango_font_description_set_weight(d.get(), static_cast<PangoWeight>(weight));
  pango_attr_list_insert(attrs.get(), pango_attr_font_desc_new(d.get()));
  const PangoDirection dir = rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR;
  pango_context_set_language(context, pango_language_from_string(rtl ? "ar" : "en"));
  const int length = static_cast<int>(text.size());
  GList* list =
      pango_itemize_with_base_dir(context, dir, text.c_str(), 0, length, attrs.get(), nullptr);
  typeset::GlyphStringPtr whole(pango_glyph_string_new());
  typeset::GlyphStringPtr by_words(pango_glyph_string_new());
  int compared = 0;
  for (GList* l = list; l; l = l->next) {
    typeset::ItemPtr item(static_cast<PangoItem*>(l->data));
    pango_shape_with_flags(text.c_str() + item->offset, item->length, text.c_str(), length,
                           &item->analysis, whole.get(), PANGO_SHAPE_NONE);
    words.shape(text.c_str(), length, *item, by_words.get());
    INFO(family << " " << weight << ": "
                << text.substr(static_cast<std::size_t>(item->offset),
                               static_cast<std::size_t>(item->length)));
    REQUIRE(typeset::same_glyphs(*by_words, *whole));
    ++compared;
  }
  g_list_free(list);
  return compared;
}

std::string utf8(char32_t c) {
  char buffer[8] = {};
  const int n = g_unichar_to_utf8(static_cast<gunichar>(c), buffer);
  return std::string(buffer, static_cast<std::size_t>(n));
}

// Words that end or start with each character that can meet another across a space:
// Arabic letters alone and joined (final and initial forms), digits, punctuation, Latin.
std::vector<std::string> edge_words() {
  std::vector<std::string> chars;
  for (char32_t c = 0x0621; c <= 0x064A; ++c)
    if (c < 0x063B || c > 0x063F) chars.push_back(utf8(c));
  for (const char* extra : {"ٱ", "پ", "چ", "ژ", "ڤ", "ک", "گ", "ی", "ە", "ہ", "ۃ", "0",
                            "٣", "(", ")", "«", "»", "،", ".", "-", "a", "k", "T", "%"})
    chars.push_back(extra);
  std::vector<std::string> words;
  for (const auto& c : chars) {
    words.push_back(c);
    words.push_back("ب" + c);  // c final (or after a non-joining letter)
    words.push_back(c + "ب");  // c initial
  }
  return words;
}

}  // namespace

TEST_CASE("shaping by words gives the glyph strings of whole items", "[typeset][shaping]") {
  Fixture f;
  std::lock_guard<std::mutex> lock(f.fonts->impl().mutex);
  typeset::Shaper shaper(*f.fonts);
  typeset::WordShaper words;
  std::vector<std::string> texts =
      paragraphs_of(test::source_dir() / "samples" / "edition-ar-MA.xml");
  for (auto& p :
       paragraphs_of(test::source_dir() / "tests" / "data" / "prose" / "edition-prose.xml"))
    texts.push_back(std::move(p));
  REQUIRE(texts.size() > 20);
  int items = 0;
  for (const char* family : {"Amiri", "Noto Naskh Arabic", "Noto Sans Arabic"})
    for (int weight : {400, 700})
      for (const auto& text : texts) items += compare_items(shaper, words, text, family, weight);
  for (const char* family : {"Noto Sans", "Noto Serif"})
    for (const auto& text : texts) items += compare_items(shaper, words, text, family, 400, false);
  CHECK(items > 500);
  // Real text repeats words within a paragraph and between paragraphs.
  CHECK(words.counters().hits > words.counters().segments / 4);
  CHECK(words.counters().whole_items == 0);
}

TEST_CASE("every pair of letters across a space is shaped as in the whole item",
          "[typeset][shaping]") {
  Fixture f;
  std::lock_guard<std::mutex> lock(f.fonts->impl().mutex);
  typeset::Shaper shaper(*f.fonts);
  const auto words = edge_words();
  std::set<std::string> families;
  for (const auto& file : f.fonts->files()) families.insert(file.family);
  REQUIRE(families.size() >= 5);
  for (const auto& family : families)
    for (int weight : {400, 700}) {
      typeset::WordShaper cache;
      // One paragraph per word: it meets every other word on both sides ("w a w b w c ..."),
      // so each pair of edges is shaped once beside the other.
      for (const auto& w : words) {
        std::string text;
        for (const auto& other : words) text += w + " " + other + " ";
        compare_items(shaper, cache, text, family, weight);
      }
      // Amiri kerns kaf after heh across a space: such pairs are shaped together.
      if (family == "Amiri") CHECK(cache.counters().joined > 0);
    }
}

TEST_CASE("a repeated word is shaped once", "[typeset][shaping]") {
  Fixture f;
  std::lock_guard<std::mutex> lock(f.fonts->impl().mutex);
  typeset::Shaper shaper(*f.fonts);
  typeset::WordShaper words;
  compare_items(shaper, words, "قال الوزير إن الوزير قال", "Amiri", 400);
  // Segments: "قال", " الوزير", " إن", " الوزير", " قال"; the first "قال" starts the text
  // and is another segment than " قال".
  CHECK(words.counters().segments == 5);
  CHECK(words.counters().hits == 1);
  compare_items(shaper, words, "قال الوزير إن الوزير قال", "Amiri", 400);
  CHECK(words.counters().hits == 6);
  typeset::WordShaper off;
  off.set_enabled(false);
  compare_items(shaper, off, "قال الوزير", "Amiri", 400);
  CHECK(off.counters().whole_items == 1);
  CHECK(off.counters().hits == 0);
}

TEST_CASE("paragraphs set with and without the word cache are the same", "[typeset][shaping]") {
  Fixture f;
  std::lock_guard<std::mutex> lock(f.fonts->impl().mutex);
  typeset::Shaper cached(*f.fonts);
  typeset::Shaper uncached(*f.fonts);
  uncached.words().set_enabled(false);
  const double width = 240;
  std::size_t runs = 0;
  for (const auto& path : {test::source_dir() / "samples" / "edition-ar-MA.xml",
                           test::source_dir() / "tests" / "data" / "prose" / "edition-prose.xml"}) {
    model::Diagnostics d;
    const auto edition = input::read_edition(path, d);
    REQUIRE(edition);
    for (const auto& section : edition->sections)
      for (const auto& article : section.articles)
        for (const auto& block : article.body) {
          if (block.content.empty()) continue;
          typeset::ParagraphSpec spec;
          spec.role_name = "body";
          spec.role = &f.layout->role("body");
          spec.limits = &f.layout->limits;
          spec.latin_family = f.layout->latin_family;
          for (const auto& span : block.content)
            spec.parts.push_back(
                {span.text, nullptr, span.style, span.lang, span.dir, span.href, span.line_break});
          const auto a = cached.set(spec, width, nullptr);
          const auto b = uncached.set(spec, width, nullptr);
          REQUIRE(a.size() == b.size());
          for (std::size_t l = 0; l < a.size(); ++l) {
            REQUIRE(a[l].items.size() == b[l].items.size());
            CHECK(a[l].box.natural_width == b[l].box.natural_width);
            for (std::size_t i = 0; i < a[l].items.size(); ++i) {
              const auto &x = a[l].items[i].run, &y = b[l].items[i].run;
              REQUIRE(x.glyphs.size() == y.glyphs.size());
              for (std::size_t g = 0; g < x.glyphs.size(); ++g) {
                CHECK(x.glyphs[g].id == y.glyphs[g].id);
                CHECK(x.glyphs[g].x == y.glyphs[g].x);
                CHECK(x.glyphs[g].y == y.glyphs[g].y);
                CHECK(x.glyphs[g].advance == y.glyphs[g].advance);
              }
              REQUIRE(x.clusters.size() == y.clusters.size());
              for (std::size_t c = 0; c < x.clusters.size(); ++c) {
                CHECK(x.clusters[c].bytes == y.clusters[c].bytes);
                CHECK(x.clusters[c].glyphs == y.clusters[c].glyphs);
              }
              CHECK(x.kashidas.size() == y.kashidas.size());
              ++runs;
            }
          }
        }
  }
  CHECK(runs > 100);
  CHECK(cached.words().counters().hits > 0);
  CHECK(uncached.words().counters().hits == 0);
}
