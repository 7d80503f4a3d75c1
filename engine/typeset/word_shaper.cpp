// Shaping through a cache of shaped words: see word_shaper.hpp for why it is exact.
#include "word_shaper.hpp"

#include <hb-ot.h>
#include <hb.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <initializer_list>

namespace warraq::typeset {

namespace {

// Longer segments (addresses, long compounds) are rare to repeat: shaped directly.
constexpr int longest_cached_segment = 128;  // bytes

// Estimated heap bytes of one entry: key and glyphs, plus a hash node and allocator overhead.
std::size_t entry_bytes(const std::string& key, std::size_t glyphs) {
  return key.size() + glyphs * sizeof(PangoGlyphInfo) + glyphs * sizeof(int) + 112;
}

// Whether HarfBuzz's cursive joining ends at this character whatever stands beside it: a
// few blocks of characters of joining type U (non-joining), which are not transparent either
// (the soft hyphen is: joining looks through it). Beside such a character, or a space, a
// segment is shaped as beside any other; others, a letter above all, may join with it.
bool ends_joining(const char* text, int at) {
  const char32_t c = static_cast<char32_t>(g_utf8_get_char(text + at));
  if (c < 0x0300) return c != 0x00AD;                // Latin, punctuation, digits
  if (c >= 0x2010 && c <= 0x2027) return true;       // dashes, quotes, ellipsis
  if (c >= 0x2030 && c <= 0x205E) return true;       // per mille, primes, guillemets
  if (c >= 0x0660 && c <= 0x066D) return true;       // Arabic-Indic digits, % and separators
  if (c >= 0x06F0 && c <= 0x06F9) return true;       // extended Arabic-Indic digits
  return c == 0x060C || c == 0x061B || c == 0x061F;  // Arabic comma, semicolon, question mark
}

int previous_char(const char* text, int at) {
  do --at;
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80);
  return at;
}

template <typename T>
void append(std::string& key, const T& value) {
  key.append(reinterpret_cast<const char*>(&value), sizeof value);
}

bool has_table(hb_face_t* face, hb_tag_t tag) {
  const HbBlobPtr blob(hb_face_reference_table(face, tag));
  return hb_blob_get_length(blob.get()) > 0;
}

std::vector<bool> glyph_set(const hb_set_t* set, unsigned int glyph_count) {
  std::vector<bool> out(glyph_count, false);
  for (hb_codepoint_t g = HB_SET_VALUE_INVALID; hb_set_next(set, &g);)
    if (g < glyph_count) out[g] = true;
  return out;
}

}  // namespace

// What the lookups HarfBuzz runs for this font, script, direction and language do with the
// space glyph. Tables HarfBuzz may use besides GSUB and GPOS (legacy kerning, AAT) are not
// examined: a font that has them is shaped item by item.
WordShaper::FontRules WordShaper::rules_for(PangoFont* font, const PangoAnalysis& analysis) {
  FontRules rules;
  hb_font_t* hb_font = pango_font_get_hb_font(font);
  if (!hb_font) return rules;
  hb_face_t* face = hb_font_get_face(hb_font);
  for (hb_tag_t tag : {HB_TAG('k', 'e', 'r', 'n'), HB_TAG('k', 'e', 'r', 'x'),
                       HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't')})
    if (has_table(face, tag)) return rules;
  hb_codepoint_t space = 0;
  if (!hb_font_get_nominal_glyph(hb_font, ' ', &space)) {
    // Pango draws an unknown-glyph box for the space, a glyph no lookup can name.
    rules.segmentable = true;
    return rules;
  }

  hb_segment_properties_t props = HB_SEGMENT_PROPERTIES_DEFAULT;
  props.direction = analysis.level % 2 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR;
  props.script = static_cast<hb_script_t>(
      g_unicode_script_to_iso15924(static_cast<GUnicodeScript>(analysis.script)));
  props.language = hb_language_from_string(pango_language_to_string(analysis.language), -1);
  // The features Pango asks for are the font's own: items with attributes that add features
  // are not shaped by segments.
  hb_feature_t features[32];
  guint feature_count = 0;
  pango_font_get_features(font, features, G_N_ELEMENTS(features), &feature_count);
  const HbShapePlanPtr plan_owner(
      hb_shape_plan_create_cached(face, &props, features, feature_count, nullptr));
  hb_shape_plan_t* plan = plan_owner.get();
  bool spared = true;
  HbSetPtr sets[7];
  for (HbSetPtr& set : sets) set.reset(hb_set_create());
  hb_set_t *lookups = sets[0].get(), *before = sets[1].get(), *input = sets[2].get(),
           *after = sets[3].get(), *output = sets[4].get(), *looked_back_at = sets[5].get(),
           *moved = sets[6].get();
  for (hb_tag_t table : {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS}) {
    hb_set_clear(lookups);
    hb_ot_shape_plan_collect_lookups(plan, table, lookups);
    for (hb_codepoint_t l = HB_SET_VALUE_INVALID; spared && hb_set_next(lookups, &l);) {
      for (hb_set_t* s : {before, input, after, output}) hb_set_clear(s);
      hb_ot_layout_lookup_collect_glyphs(face, table, l, before, input, after, output);
      spared = !hb_set_has(input, space) && !hb_set_has(after, space) && !hb_set_has(output, space);
      if (!hb_set_has(before, space)) continue;
      // A substitution looking back at a space could change glyphs that later lookups read:
      // not followed. A positioning one (Amiri kerns a word's first kaf after a word ending
      // in heh) moves a glyph after the space for glyphs before it, and is undone only where
      // such glyphs meet (see shape()).
      if (table == HB_OT_TAG_GSUB) spared = false;
      hb_set_union(looked_back_at, before);
      hb_set_union(moved, input);
    }
  }
  hb_set_del(looked_back_at, space);
  if (spared) {
    rules.segmentable = true;
    if (!hb_set_is_empty(moved)) {
      const unsigned int glyph_count = hb_face_get_glyph_count(face);
      rules.looked_back_at = glyph_set(looked_back_at, glyph_count);
      rules.moved = glyph_set(moved, glyph_count);
    }
  }
  return rules;
}

WordShaper::WordShaper(std::size_t capacity)
    : capacity_(capacity),
      segment_glyphs_(pango_glyph_string_new()),
      whole_glyphs_(pango_glyph_string_new()) {}

WordShaper::~WordShaper() = default;

const WordShaper::FontRules* WordShaper::rules(const PangoAnalysis& a) {
  // Attributes that reach the shaper (features, letter spacing, shown spaces, transforms),
  // vertical or upside-down text, hyphens and ellipses: shaped as Pango would, whole. (Pango
  // keeps a private flag of its own in the same field: only the public ones count.)
  constexpr int shaping_flags = PANGO_ANALYSIS_FLAG_CENTERED_BASELINE |
                                PANGO_ANALYSIS_FLAG_IS_ELLIPSIS | PANGO_ANALYSIS_FLAG_NEED_HYPHEN;
  if (!a.font || a.extra_attrs || (a.flags & shaping_flags) || a.gravity != PANGO_GRAVITY_SOUTH)
    return nullptr;
  const auto key = std::make_tuple(a.font, static_cast<int>(a.script), a.level % 2, a.language);
  auto it = rules_.find(key);
  if (it == rules_.end()) {
    it = rules_.emplace(key, rules_for(a.font, a)).first;
    if (!held_.count(a.font)) {
      g_object_ref(a.font);
      held_.emplace(a.font, GObjectPtr<PangoFont>(a.font));
    }
  }
  return it->second.segmentable ? &it->second : nullptr;
}

const WordShaper::Glyphs* WordShaper::find(const std::string& key) {
  if (auto it = young_.find(key); it != young_.end()) return &it->second;
  auto it = old_.find(key);
  if (it == old_.end()) return nullptr;
  const std::size_t bytes = entry_bytes(it->first, it->second.size());
  auto node = old_.extract(it);
  old_bytes_ -= bytes;
  young_bytes_ += bytes;
  return &young_.insert(std::move(node)).position->second;
}

void WordShaper::shape_directly(const char* text, int length, const PangoAnalysis& analysis,
                                int start, int end) {
  PangoGlyphString* g = segment_glyphs_.get();
  pango_shape_with_flags(text + start, end - start, text, length, &analysis, g, PANGO_SHAPE_NONE);
  for (int i = 0; i < g->num_glyphs; ++i) scratch_.push_back({g->glyphs[i], g->log_clusters[i]});
}

WordShaper::Piece WordShaper::piece(const char* text, int length, const PangoAnalysis& a,
                                    int item_start, int s, int e, bool count) {
  // A letter just before or after (in the next item) could join with the segment's first
  // or last letter: then the segment is shaped for this place only.
  const bool cacheable = (s == 0 || text[s] == ' ' || ends_joining(text, previous_char(text, s))) &&
                         (e == length || ends_joining(text, e)) && e - s <= longest_cached_segment;
  if (!cacheable) {
    if (count) ++counters_.uncacheable;
    const std::size_t at = scratch_.size();
    shape_directly(text, length, a, s, e);
    return {nullptr, at, static_cast<int>(scratch_.size() - at), s - item_start};
  }
  key_.clear();
  append(key_, a.font);
  append(key_, a.language);
  append(key_, a.script);
  // Context: the direction, and whether HarfBuzz sees the start or end of the text.
  key_ += static_cast<char>((a.level % 2) | (s == 0 ? 2 : 0) | (e == length ? 4 : 0));
  key_.append(text + s, static_cast<std::size_t>(e - s));
  if (const Glyphs* cached = find(key_)) {
    if (count) ++counters_.hits;
    return {cached->data(), 0, static_cast<int>(cached->size()), s - item_start};
  }
  const std::size_t at = scratch_.size();
  shape_directly(text, length, a, s, e);
  Glyphs stored(scratch_.begin() + static_cast<long>(at), scratch_.end());
  scratch_.resize(at);
  young_bytes_ += entry_bytes(key_, stored.size());
  const Glyphs& placed = young_.emplace(key_, std::move(stored)).first->second;
  return {placed.data(), 0, static_cast<int>(placed.size()), s - item_start};
}

bool WordShaper::any_in(const Piece& p, const std::vector<bool>& set) const {
  const CachedGlyph* g = p.glyphs ? p.glyphs : scratch_.data() + p.scratch_at;
  for (int i = 0; i < p.count; ++i)
    if (g[i].info.glyph < set.size() && set[g[i].info.glyph]) return true;
  return false;
}

void WordShaper::shape(const char* text, int length, const PangoItem& item,
                       PangoGlyphString* glyphs) {
  ++counters_.items;
  const PangoAnalysis& a = item.analysis;
  const int begin = item.offset, end = item.offset + item.length;
  const FontRules* font_rules = enabled_ ? rules(a) : nullptr;
  if (!font_rules) {
    ++counters_.whole_items;
    pango_shape_with_flags(text + begin, item.length, text, length, &a, glyphs, PANGO_SHAPE_NONE);
    return;
  }
  if (young_bytes_ > capacity_ / 2) {
    // Between items, so no piece below points into the generation dropped here.
    old_ = std::move(young_);
    old_bytes_ = young_bytes_;
    young_ = {};
    young_bytes_ = 0;
    ++counters_.flushes;
  }

  // Each run of spaces starts a segment, so that a lookup looking back from a word's first
  // letter at the space before it sees the space.
  starts_.clear();
  for (int i = begin; i < end; ++i)
    if (i == begin || (text[i] == ' ' && text[i - 1] != ' ')) starts_.push_back(i);
  starts_.push_back(end);
  const std::size_t n = starts_.size() - 1;

  pieces_.clear();
  scratch_.clear();
  for (std::size_t k = 0; k < n; ++k) {
    ++counters_.segments;
    pieces_.push_back(piece(text, length, a, begin, starts_[k], starts_[k + 1], true));
  }
  if (!font_rules->moved.empty()) {
    // Where a lookup may move a glyph of a segment for a glyph of the one before, across
    // the space between them, the two are shaped together as Pango shapes them.
    joined_.assign(n, false);
    bool any = false;
    for (std::size_t k = 1; k < n; ++k) {
      joined_[k] = any_in(pieces_[k - 1], font_rules->looked_back_at) &&
                   any_in(pieces_[k], font_rules->moved);
      any |= joined_[k];
    }
    if (any) {
      std::size_t out = 0;
      for (std::size_t k = 0; k < n; ++k) {
        std::size_t last = k;
        while (last + 1 < n && joined_[last + 1]) ++last;
        if (last == k) {
          pieces_[out++] = pieces_[k];
          continue;
        }
        counters_.joined += last - k;
        pieces_[out++] = piece(text, length, a, begin, starts_[k], starts_[last + 1], false);
        k = last;
      }
      pieces_.resize(out);
    }
  }

  int total = 0;
  for (const Piece& p : pieces_) total += p.count;
  pango_glyph_string_set_size(glyphs, total);
  // Glyphs are in visual order: a right-to-left item's last word comes first.
  if (a.level % 2) std::reverse(pieces_.begin(), pieces_.end());
  int g = 0;
  for (const Piece& p : pieces_) {
    const CachedGlyph* from = p.glyphs ? p.glyphs : scratch_.data() + p.scratch_at;
    for (int i = 0; i < p.count; ++i, ++g) {
      glyphs->glyphs[g] = from[i].info;
      glyphs->log_clusters[g] = from[i].cluster + p.offset;
    }
  }
  if (checking_) check(text, length, item, *glyphs);
}

void WordShaper::check(const char* text, int length, const PangoItem& item,
                       const PangoGlyphString& glyphs) {
  ++counters_.checked;
  pango_shape_with_flags(text + item.offset, item.length, text, length, &item.analysis,
                         whole_glyphs_.get(), PANGO_SHAPE_NONE);
  if (same_glyphs(glyphs, *whole_glyphs_)) return;
  ++counters_.mismatches;
  FontDescriptionPtr d(pango_font_describe(item.analysis.font));
  const GCharPtr font(pango_font_description_to_string(d.get()));
  const PangoGlyphString& whole = *whole_glyphs_;
  int i = 0;
  while (i < std::min(glyphs.num_glyphs, whole.num_glyphs) && same_glyph(glyphs, whole, i)) ++i;
  auto describe = [&](const PangoGlyphString& g) {
    if (i >= g.num_glyphs) return std::string("none");
    const PangoGlyphInfo& x = g.glyphs[i];
    return "glyph " + std::to_string(x.glyph) + " width " + std::to_string(x.geometry.width) +
           " offset " + std::to_string(x.geometry.x_offset) + "," +
           std::to_string(x.geometry.y_offset) + " byte " + std::to_string(g.log_clusters[i]);
  };
  std::fprintf(stderr,
               "warraq: shaped words differ from the whole item (font %s, level %d) at glyph %d "
               "of %d/%d (words: %s; whole: %s): %.*s\n",
               font.get(), item.analysis.level, i, glyphs.num_glyphs, whole.num_glyphs,
               describe(glyphs).c_str(), describe(whole).c_str(), item.length, text + item.offset);
}

bool same_glyph(const PangoGlyphString& a, const PangoGlyphString& b, int i) {
  const PangoGlyphInfo &x = a.glyphs[i], &y = b.glyphs[i];
  return x.glyph == y.glyph && x.geometry.width == y.geometry.width &&
         x.geometry.x_offset == y.geometry.x_offset && x.geometry.y_offset == y.geometry.y_offset &&
         x.attr.is_cluster_start == y.attr.is_cluster_start && x.attr.is_color == y.attr.is_color &&
         a.log_clusters[i] == b.log_clusters[i];
}

bool same_glyphs(const PangoGlyphString& a, const PangoGlyphString& b) {
  if (a.num_glyphs != b.num_glyphs) return false;
  for (int i = 0; i < a.num_glyphs; ++i)
    if (!same_glyph(a, b, i)) return false;
  return true;
}

}  // namespace warraq::typeset
