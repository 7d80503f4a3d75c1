// Shaping through a cache of shaped words (private to engine/typeset), the idea of Gecko's
// gfxShapedWord cache and Blink's CachingWordShaper: news text repeats its words, and every
// paragraph is shaped in a discarding composition pass and again for output, so most words
// reach HarfBuzz once. An item is cut into segments, each a run of spaces and the word after
// it, each shaped with the whole paragraph as context as Pango shapes the item; the segments'
// glyph strings are spliced into the string Pango gives for the whole item, glyph for glyph.
//
// Exact, because of what can cross a segment's edge:
//  - Outside the item HarfBuzz sees text only as context characters, read for cursive
//    joining and for a mark at the start of text: a segment is cached only where a space or
//    a non-joining character stands beside it, or the paragraph starts or ends (the key says
//    which), so joining stops there; other segments are shaped for their place only.
//  - Inside the item a segment starts with its spaces. No lookup HarfBuzz runs for the font
//    may read the space glyph as input or lookahead, nor substitute looking back at it; a
//    positioning lookup may look back across a space (Amiri kerns a kaf that starts a word
//    after a word ending in heh): where glyphs it looks back at and glyphs it moves meet
//    across a space, the two segments are shaped together. Fonts that fail this, fonts
//    with tables HarfBuzz uses besides GSUB and GPOS (kern, morx), and items whose
//    attributes reach the shaper are shaped whole.
// The lookups' glyphs come from HarfBuzz, which does not list those a class-based rule
// matches as "any other glyph" (class 0); so tests/typeset/shaping_test.cpp also shapes
// every pair of edge letters across a space in every face of the font set, and
// WARRAQ_CHECK_SHAPING=1 shapes every item both ways and reports any difference.
#pragma once

#include <pango/pango.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "handles.hpp"

namespace warraq::typeset {

struct ShapingCounters {
  std::uint64_t items = 0;        // items shaped
  std::uint64_t whole_items = 0;  // items shaped whole: no segment of theirs can be cached exactly
  std::uint64_t segments = 0;     // segments of the other items
  std::uint64_t hits = 0;         // segments served from the cache
  std::uint64_t uncacheable = 0;  // segments a neighbouring letter could change, shaped directly
  std::uint64_t joined = 0;       // segments shaped with the one before (kerning across a space)
  std::uint64_t flushes = 0;      // times the older half of the cache was dropped at the cap
  std::uint64_t checked = 0;      // items compared with whole-item shaping (checking mode)
  std::uint64_t mismatches = 0;   // of those, items that differed
};

class WordShaper {
 public:
  // About 4 MiB of shaped words at most: enough for the working vocabulary of an edition's
  // roles, bounded however long the edition.
  static constexpr std::size_t default_capacity = std::size_t{4} << 20;

  explicit WordShaper(std::size_t capacity = default_capacity);
  ~WordShaper();
  WordShaper(const WordShaper&) = delete;
  WordShaper& operator=(const WordShaper&) = delete;

  // Shapes `item` of the paragraph `text` into `glyphs`: the same glyph string as
  // pango_shape_with_flags(text + item.offset, item.length, text, length, &item.analysis,
  // glyphs, PANGO_SHAPE_NONE).
  void shape(const char* text, int length, const PangoItem& item, PangoGlyphString* glyphs);

  // Off: every item is shaped whole, as Pango would (for tests and comparisons).
  void set_enabled(bool enabled) { enabled_ = enabled; }
  // On: every item is also shaped whole and compared; differences are counted and printed.
  void set_checking(bool checking) { checking_ = checking; }
  bool checking() const { return checking_; }
  const ShapingCounters& counters() const { return counters_; }
  // Estimated heap bytes held by the cache.
  std::size_t bytes() const { return young_bytes_ + old_bytes_; }

 private:
  struct CachedGlyph {
    PangoGlyphInfo info;
    int cluster;  // byte offset from the segment's start
  };
  using Glyphs = std::vector<CachedGlyph>;
  using Map = std::unordered_map<std::string, Glyphs>;
  // A segment's glyphs in the cache, or in scratch_ for one shaped for this item only.
  struct Piece {
    const CachedGlyph* glyphs;  // null: in scratch_ from scratch_at
    std::size_t scratch_at;
    int count;
    int offset;  // segment start, from the item's start
  };
  // What a font's lookups do with spaces, for one script, direction and language.
  struct FontRules {
    bool segmentable = false;
    // Glyphs a positioning lookup looks back at across a space, and glyphs it may move:
    // indexed by glyph id, empty when no lookup looks back at a space.
    std::vector<bool> looked_back_at, moved;
  };

  static FontRules rules_for(PangoFont* font, const PangoAnalysis& analysis);
  const FontRules* rules(const PangoAnalysis& analysis);
  const Glyphs* find(const std::string& key);
  // `count`: in the counters (a joined pair is counted as its two segments).
  Piece piece(const char* text, int length, const PangoAnalysis& analysis, int item_start,
              int start, int end, bool count);
  void shape_directly(const char* text, int length, const PangoAnalysis& analysis, int start,
                      int end);
  bool any_in(const Piece& piece, const std::vector<bool>& set) const;
  void check(const char* text, int length, const PangoItem& item, const PangoGlyphString& glyphs);

  std::size_t capacity_;
  bool enabled_ = true;
  bool checking_ = false;
  ShapingCounters counters_;
  // Two generations approximate least-recently-used at the cost of two hash lookups: a hit
  // in the old one moves the word to the young one; when the young one reaches half the
  // capacity it becomes the old one and the previous old one is dropped.
  Map young_, old_;
  std::size_t young_bytes_ = 0, old_bytes_ = 0;
  // Whether each font, in each script, direction and language, may be shaped by segments;
  // the font is held while it is a key here or in the cache, so its address is not reused.
  std::map<std::tuple<PangoFont*, int, int, PangoLanguage*>, FontRules> rules_;
  std::map<PangoFont*, GObjectPtr<PangoFont>> held_;
  // Reused between calls.
  std::string key_;
  std::vector<int> starts_;
  std::vector<Piece> pieces_;
  std::vector<bool> joined_;
  Glyphs scratch_;
  GlyphStringPtr segment_glyphs_;
  GlyphStringPtr whole_glyphs_;
};

// True when both strings have the same glyphs, geometry, attributes and log clusters (all
// of them, or the i-th glyph of each).
bool same_glyphs(const PangoGlyphString& a, const PangoGlyphString& b);
bool same_glyph(const PangoGlyphString& a, const PangoGlyphString& b, int i);

}  // namespace warraq::typeset
