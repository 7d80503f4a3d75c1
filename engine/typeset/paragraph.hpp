// The paragraph engine (private to engine/typeset): itemise and shape a paragraph once,
// break it into lines with a total-fit breaker whose stretch comes from kashida first and
// inter-word space second, then reorder and position each line.
#pragma once

#include <string>
#include <vector>

#include "fonts_impl.hpp"
#include "typeset/typeset.hpp"
#include "word_shaper.hpp"

namespace warraq::typeset {

enum class Align { justify, start, center, end };

// A stretch of paragraph text with one style.
struct StyledText {
  std::string text;
  const model::TypeRole* role = nullptr;
  unsigned style = model::plain;
  std::string lang;
  std::string dir;
  std::string href;
  bool line_break = false;
};

struct ParagraphSpec {
  std::vector<StyledText> parts;
  std::string role_name;  // for dumps
  const model::TypeRole* role = nullptr;
  model::Direction direction = model::Direction::rtl;
  Align align = Align::justify;
  model::Justification justification = model::Justification::kashida;
  const model::JustificationLimits* limits = nullptr;
  model::DigitStyle digits = model::DigitStyle::western;
  std::string latin_family;
  std::string language = "ar";
  double first_indent = 0;  // pt, on the start side of the first line
};

// A line set in its measure: items positioned with x from the measure's left edge and y
// from the baseline; moved into place on the page by the composer.
struct SetLine {
  std::vector<Item> items;
  LineBox box;  // x and baseline relative, like the items
  double ascent = 0;
  double descent = 0;
  double leading = 0;
  // Items a discarding composition pass was spared (metrics-only lines): the composer
  // counts them so that a page is empty or not exactly as it would be with the items.
  std::size_t items_left_out = 0;
};

// Everything that lives as long as one typesetting job: the Pango context, which must not
// round glyph positions (rounding opens gaps inside joined Arabic words that extractors
// read as spaces — see ../shared/research/pdf-text-extraction.md), and font handles.
class Shaper {
 public:
  explicit Shaper(const FontSet& fonts);
  ~Shaper();
  Shaper(const Shaper&) = delete;
  Shaper& operator=(const Shaper&) = delete;

  // With `metrics_only`, lines carry what composition measures (leading, ascent, descent,
  // width and role in the box, and whether they hold any glyphs) but no items: for passes
  // whose pages are discarded.
  std::vector<SetLine> set(const ParagraphSpec& spec, double width, Statistics* stats,
                           bool metrics_only = false);
  // Natural width of a single-line text (running heads, folios).
  const FontSet& fonts() const { return fonts_; }
  PangoContext* context() const { return context_.get(); }
  FontRef font_ref(PangoFont* font, double size);
  bool kashida_glyph(PangoFont* font, std::uint32_t* glyph);
  // Shapes items word by word through a cache (see word_shaper.hpp).
  WordShaper& words() { return words_; }

 private:
  const FontSet& fonts_;
  GObjectPtr<PangoContext> context_;
  std::map<PangoFont*, std::shared_ptr<void>> fonts_held_;
  std::map<PangoFont*, std::uint32_t> kashida_glyphs_;
  WordShaper words_;
};

}  // namespace warraq::typeset
