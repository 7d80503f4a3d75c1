// Paragraph engine. The pipeline: collect the paragraph's text and attributes, itemise
// (Pango: script, font, bidi levels through FriBidi), shape each item once (HarfBuzz),
// measure per source byte, cut into break units (UAX #14 opportunities from Pango), choose
// breaks by total fit, then set each line: distribute stretch (kashida before spaces),
// reorder runs visually (UAX #9 L2), and emit glyph runs that map back to the source.
#include "paragraph.hpp"

#include <glib.h>
#include <hb.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>

#include "kashida.hpp"
#include "locale/locale.hpp"

namespace warraq::typeset {

namespace {

double from_pango(int units) { return static_cast<double>(units) / PANGO_SCALE; }

char32_t decode(const std::string& s, std::size_t i, int* length) {
  const gunichar c = g_utf8_get_char(s.c_str() + i);
  *length = static_cast<int>(g_utf8_next_char(s.c_str() + i) - (s.c_str() + i));
  return static_cast<char32_t>(c);
}

bool is_space(char32_t c) {
  return c == U' ' || c == 0x00A0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F;
}

bool is_proclitic(char32_t c) {  // و ف ب ل ك written as a word of their own
  return c == 0x0648 || c == 0x0641 || c == 0x0628 || c == 0x0644 || c == 0x0643;
}

bool is_digit(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9);
}

// Units and magnitudes that must stay on the line of the number before them ("12 %",
// "25 كلم", "3 ملايين"): a break there strands a bare number.
bool is_unit(const std::u32string& word) {
  static const std::u32string units[] = {
      U"%",     U"٪",     U"‰",      U"كلم",    U"كم",      U"كغ",      U"كلغ",  U"غ",
      U"م",     U"سم",    U"مم",     U"ملم",    U"طن",      U"لتر",     U"ل",    U"درهم",
      U"دراهم", U"دينار", U"دنانير", U"دولار",  U"دولارات", U"يورو",    U"جنيه", U"ريال",
      U"ألف",   U"آلاف",  U"مليون",  U"ملايين", U"مليار",   U"مليارات", U"ساعة", U"دقيقة",
      U"km",    U"kg",    U"m",      U"cm",     U"mm",      U"MAD",     U"USD",  U"EUR"};
  for (const auto& u : units)
    if (word == u) return true;
  return false;
}

struct ShapedItem {
  ItemPtr item;
  GlyphStringPtr glyphs;
  int start = 0, end = 0;  // bytes
  int level = 0;
  double size = 0;
  bool arabic = false;
};

// One unit between two break opportunities: a box, then the white space after it.
struct Unit {
  int start = 0;        // byte
  int content_end = 0;  // byte: end of the box, start of trailing white space
  int content_end_char = 0;
  int end = 0;      // byte
  double box = 0;   // natural width of the box
  double glue = 0;  // natural width of the trailing white space
  double glue_stretch = 0, glue_shrink = 0;
  double inner_stretch = 0, inner_shrink = 0;  // no-break spaces inside the box
  double inner_space = 0;
  double kashida_capacity = 0;
  int kashida_byte = -1;  // byte where the chosen join leaves its letter (end of cluster)
  int kashida_priority = 0;
  double em = 0;
  bool breakable = true;  // a line may end after this unit
  bool forced = false;    // a line must end after this unit (line separator)
};

struct Break {
  double demerits = 0;
  int previous = -1;
};

struct LineFit {
  double natural = 0, space = 0, space_stretch = 0, space_shrink = 0, kashida_capacity = 0;
  int kashida_points = 0;
};

}  // namespace

Shaper::Shaper(const FontSet& fonts) : fonts_(fonts) {
  context_.reset(pango_font_map_create_context(fonts.impl().font_map.get()));
  // Points are our units: 72 "dpi" makes a Pango size in points one user unit per point.
  pango_cairo_context_set_resolution(context_.get(), 72.0);
  pango_context_set_round_glyph_positions(context_.get(), FALSE);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context_.get(), options);
  cairo_font_options_destroy(options);
  if (const char* check = std::getenv("WARRAQ_CHECK_SHAPING"); check && *check == '1')
    words_.set_checking(true);
}

Shaper::~Shaper() {
  if (!words_.checking()) return;
  const ShapingCounters& c = words_.counters();
  const std::string report =
      "warraq: shaping: " + std::to_string(c.items) + " items (" + std::to_string(c.whole_items) +
      " whole), " + std::to_string(c.segments) + " segments, " + std::to_string(c.hits) +
      " from the cache, " + std::to_string(c.uncacheable) + " uncacheable, " +
      std::to_string(c.joined) + " joined, " + std::to_string(c.flushes) + " flushes (" +
      std::to_string(words_.bytes() / 1024) + " KiB held), " + std::to_string(c.checked) +
      " items checked, " + std::to_string(c.mismatches) + " differ\n";
  std::fputs(report.c_str(), stderr);
}

// The glyph that draws an elongated join. Fonts like Amiri map U+0640 itself to an empty,
// zero-width glyph and substitute a visible stroke only between joining letters, so the
// stroke is found by shaping a tatweel in that context (beh, tatweel, beh) once per font.
bool Shaper::kashida_glyph(PangoFont* font, std::uint32_t* glyph) {
  auto [it, inserted] = kashida_glyphs_.try_emplace(font, 0);
  if (inserted) {
    hb_buffer_t* buffer = hb_buffer_create();
    hb_buffer_add_utf8(buffer, "\u0628\u0640\u0628", -1, 0, -1);
    hb_buffer_guess_segment_properties(buffer);
    hb_shape(pango_font_get_hb_font(font), buffer, nullptr, 0);
    unsigned int count = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer, &count);
    const hb_glyph_position_t* position = hb_buffer_get_glyph_positions(buffer, &count);
    for (unsigned int i = 0; i < count; ++i)
      if (info[i].cluster == 2 && position[i].x_advance > 0) it->second = info[i].codepoint;
    hb_buffer_destroy(buffer);
  }
  *glyph = it->second;
  return it->second != 0;
}

FontRef Shaper::font_ref(PangoFont* font, double size) {
  auto& held = fonts_held_[font];
  if (!held) held = share_font(font);
  return FontRef(held, fonts_.impl().file_of(font), size);
}

namespace {

FontDescriptionPtr describe(const model::TypeRole& role, unsigned style,
                            const std::string& family) {
  FontDescriptionPtr d(pango_font_description_new());
  pango_font_description_set_family(d.get(), family.c_str());
  pango_font_description_set_absolute_size(d.get(), role.size * PANGO_SCALE);
  const int weight = (style & model::strong) ? 700 : role.weight;
  pango_font_description_set_weight(d.get(), static_cast<PangoWeight>(weight));
  const bool italic = role.italic || (style & model::emphasis);
  pango_font_description_set_style(d.get(), italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  return d;
}

void add_attr(PangoAttrList* list, PangoAttribute* attr, int start, int end) {
  attr->start_index = static_cast<guint>(start);
  attr->end_index = static_cast<guint>(end);
  pango_attr_list_insert(list, attr);
}

bool latin_lang(const std::string& lang) { return !lang.empty() && lang.rfind("ar", 0) != 0; }

// Byte ranges of Latin words inside otherwise Arabic text: a run starts and ends with a
// Latin letter and may hold spaces, digits and punctuation in between, so "Francesca
// Bostyn" takes the Latin face as a whole.
std::vector<std::pair<int, int>> latin_ranges(const std::string& text, int from, int to) {
  std::vector<std::pair<int, int>> ranges;
  int run_start = -1, run_end = -1;
  for (int i = from; i < to;) {
    int len = 0;
    const char32_t c = decode(text, static_cast<std::size_t>(i), &len);
    if (is_latin_letter(c)) {
      if (run_start < 0) run_start = i;
      run_end = i + len;
    } else if (is_arabic_letter(c) && run_start >= 0) {
      ranges.emplace_back(run_start, run_end);
      run_start = -1;
    }
    i += len;
  }
  if (run_start >= 0) ranges.emplace_back(run_start, run_end);
  return ranges;
}

// Digits follow the layout's style in Arabic text, dates and times included («٢٥/١١/٢٠٢٤»,
// as the EPUB writes them); digits that belong to a word with Latin letters (a code, a
// name) or to an address (a URL, an e-mail: they have letters too) keep their form.
std::string shape_digits(const std::string& text, model::DigitStyle digits) {
  if (digits == model::DigitStyle::western) return locale::convert_digits(text, digits);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    bool latin = false;
    while (j < text.size()) {
      int len = 0;
      const char32_t c = decode(text, j, &len);
      if (is_space(c)) break;
      latin |= is_latin_letter(c) || c == U'@';
      j += static_cast<std::size_t>(len);
    }
    const std::string word = text.substr(i, j - i);
    out += latin ? word : locale::convert_digits(word, digits);
    if (j < text.size()) {
      int len = 0;
      decode(text, j, &len);
      out += text.substr(j, static_cast<std::size_t>(len));
      j += static_cast<std::size_t>(len);
    }
    i = j;
  }
  return out;
}

}  // namespace

std::vector<SetLine> Shaper::set(const ParagraphSpec& spec, double width, Statistics* stats,
                                 bool metrics_only) {
  // ---- collect -------------------------------------------------------------------------
  std::string text;
  AttrListPtr attrs(pango_attr_list_new());
  struct PartRange {
    int start, end;
    const StyledText* part;
  };
  std::vector<PartRange> ranges;
  for (const StyledText& part : spec.parts) {
    const int start = static_cast<int>(text.size());
    if (part.line_break) {
      text += "\u2028";
    } else {
      const bool keep_digits = latin_lang(part.lang) || !part.href.empty();
      text += keep_digits ? part.text : shape_digits(part.text, spec.digits);
    }
    const int end = static_cast<int>(text.size());
    if (start == end) continue;
    ranges.push_back({start, end, &part});
    const model::TypeRole& role = part.role ? *part.role : *spec.role;
    const bool latin = latin_lang(part.lang);
    const std::string& family =
        latin && !spec.latin_family.empty() ? spec.latin_family : role.family;
    add_attr(attrs.get(), pango_attr_font_desc_new(describe(role, part.style, family).get()), start,
             end);
    if (!latin && !spec.latin_family.empty()) {
      for (auto [a, b] : latin_ranges(text, start, end))
        add_attr(attrs.get(), pango_attr_family_new(spec.latin_family.c_str()), a, b);
    }
    if (!part.lang.empty())
      add_attr(attrs.get(), pango_attr_language_new(pango_language_from_string(part.lang.c_str())),
               start, end);
  }
  if (text.empty()) return {};
  const int length = static_cast<int>(text.size());

  // ---- itemise and shape ---------------------------------------------------------------
  pango_context_set_language(context_.get(), pango_language_from_string(spec.language.c_str()));
  const PangoDirection base =
      spec.direction == model::Direction::rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR;
  pango_context_set_base_dir(context_.get(), base);
  GList* list = pango_itemize_with_base_dir(context_.get(), base, text.c_str(), 0, length,
                                            attrs.get(), nullptr);
  std::vector<ShapedItem> items;
  for (GList* l = list; l; l = l->next) {
    ShapedItem s;
    s.item.reset(static_cast<PangoItem*>(l->data));
    s.start = s.item->offset;
    s.end = s.item->offset + s.item->length;
    s.level = s.item->analysis.level;
    s.arabic = s.item->analysis.script == PANGO_SCRIPT_ARABIC;
    s.glyphs.reset(pango_glyph_string_new());
    words_.shape(text.c_str(), length, *s.item, s.glyphs.get());
    FontDescriptionPtr d(pango_font_describe(s.item->analysis.font));
    s.size = from_pango(pango_font_description_get_size(d.get()));
    items.push_back(std::move(s));
  }
  g_list_free(list);

  // Natural advance of each source byte (a cluster's width sits on its first byte), and the
  // item each byte belongs to.
  std::vector<double> advance(static_cast<std::size_t>(length) + 1, 0.0);
  std::vector<int> item_of(static_cast<std::size_t>(length), 0);
  for (int k = 0; k < static_cast<int>(items.size()); ++k) {
    const auto& s = items[static_cast<std::size_t>(k)];
    for (int b = s.start; b < s.end; ++b) item_of[static_cast<std::size_t>(b)] = k;
    for (int g = 0; g < s.glyphs->num_glyphs; ++g)
      advance[static_cast<std::size_t>(s.start + s.glyphs->log_clusters[g])] +=
          from_pango(s.glyphs->glyphs[g].geometry.width);
  }
  auto width_of = [&](int a, int b) {
    double w = 0;
    for (int i = a; i < b; ++i) w += advance[static_cast<std::size_t>(i)];
    return w;
  };

  // ---- break opportunities (UAX #14 through Pango) -------------------------------------
  const int chars = static_cast<int>(g_utf8_strlen(text.c_str(), length));
  std::vector<PangoLogAttr> log(static_cast<std::size_t>(chars) + 1);
  pango_get_log_attrs(text.c_str(), length, -1, pango_context_get_language(context_.get()),
                      log.data(), chars + 1);
  std::vector<int> byte_of(static_cast<std::size_t>(chars) + 1);
  std::vector<char32_t> cp(static_cast<std::size_t>(chars));
  for (int c = 0, b = 0; c < chars; ++c) {
    byte_of[static_cast<std::size_t>(c)] = b;
    int len = 0;
    cp[static_cast<std::size_t>(c)] = decode(text, static_cast<std::size_t>(b), &len);
    b += len;
  }
  byte_of[static_cast<std::size_t>(chars)] = length;

  const model::JustificationLimits& limits = *spec.limits;
  const bool kashida_mode = spec.justification == model::Justification::kashida;
  const bool justify =
      spec.align == Align::justify && spec.justification != model::Justification::none;

  std::vector<Unit> units;
  for (int c = 0; c < chars;) {
    int next = c + 1;
    while (next < chars && !log[static_cast<std::size_t>(next)].is_line_break) ++next;
    Unit u;
    u.start = byte_of[static_cast<std::size_t>(c)];
    u.end = byte_of[static_cast<std::size_t>(next)];
    int content_end_char = next;
    while (content_end_char > c && is_space(cp[static_cast<std::size_t>(content_end_char - 1)]))
      --content_end_char;
    if (content_end_char > c && cp[static_cast<std::size_t>(content_end_char - 1)] == 0x2028) {
      u.forced = true;
      --content_end_char;
    }
    u.content_end = byte_of[static_cast<std::size_t>(content_end_char)];
    u.content_end_char = content_end_char;
    u.box = width_of(u.start, u.content_end);
    u.glue = width_of(u.content_end, u.end);
    u.em = items[static_cast<std::size_t>(item_of[static_cast<std::size_t>(u.start)])].size;
    u.glue_stretch = u.glue * limits.max_space_stretch;
    u.glue_shrink = u.glue * limits.max_space_shrink;
    std::vector<char32_t> word;
    for (int k = c; k < content_end_char; ++k) {
      const char32_t ch = cp[static_cast<std::size_t>(k)];
      word.push_back(ch);
      if (is_space(ch)) {
        const double w = advance[static_cast<std::size_t>(byte_of[static_cast<std::size_t>(k)])];
        u.inner_space += w;
        u.inner_stretch += w * limits.max_space_stretch;
        u.inner_shrink += w * limits.max_space_shrink;
      }
    }
    if (kashida_mode && !word.empty() &&
        items[static_cast<std::size_t>(item_of[static_cast<std::size_t>(u.start)])].arabic) {
      const auto points = kashida_points(word);
      if (!points.empty() && limits.max_kashidas_per_word > 0) {
        // The join must be between two glyphs set on the baseline; Amiri stacks some
        // letter pairs vertically, and a stroke drawn there would float.
        const int byte = byte_of[static_cast<std::size_t>(c + points[0].after)];
        const auto& item = items[static_cast<std::size_t>(item_of[static_cast<std::size_t>(byte)])];
        bool flat = true;
        for (int g = 0; g < item.glyphs->num_glyphs; ++g) {
          const int b = item.start + item.glyphs->log_clusters[g];
          if (b >= u.start && b < u.content_end && item.glyphs->glyphs[g].geometry.y_offset != 0)
            flat = false;
        }
        if (flat) {
          u.kashida_byte = byte;
          u.kashida_priority = points[0].priority;
          u.kashida_capacity = limits.max_kashida_width * u.em * limits.max_kashidas_per_word;
        }
      }
    }
    // A lone proclitic stays with the word it belongs to.
    if (content_end_char - c == 1 && is_proclitic(cp[static_cast<std::size_t>(c)]) && next < chars)
      u.breakable = false;
    // A number keeps its unit: no break between them.
    if (!units.empty()) {
      const std::u32string this_word(word.begin(), word.end());
      std::u32string stripped = this_word;
      while (!stripped.empty() && (stripped.back() == U'.' || stripped.back() == U'،' ||
                                   stripped.back() == U',' || stripped.back() == U'؛'))
        stripped.pop_back();
      Unit& previous = units.back();
      const int prev_last = previous.content_end_char - 1;
      if (is_unit(stripped) && prev_last >= 0 && is_digit(cp[static_cast<std::size_t>(prev_last)]))
        previous.breakable = false;
    }
    units.push_back(u);
    c = next;
  }
  // Trailing white space at the very end is never set.
  units.back().glue = units.back().glue_stretch = units.back().glue_shrink = 0;

  // ---- total-fit line breaking ---------------------------------------------------------
  const int n = static_cast<int>(units.size());
  const double em = spec.role->size;
  const double kashida_line_cap =
      std::min(limits.max_kashida_per_line * em,
               limits.max_kashidas_per_line * limits.max_kashida_width * em);
  auto fit = [&](int i, int j) {  // units i..j-1 on one line
    LineFit f;
    for (int k = i; k < j; ++k) {
      const Unit& u = units[static_cast<std::size_t>(k)];
      f.natural += u.box;
      f.space += u.inner_space;
      f.space_stretch += u.inner_stretch;
      f.space_shrink += u.inner_shrink;
      if (u.kashida_byte >= 0) {
        f.kashida_capacity += u.kashida_capacity;
        ++f.kashida_points;
      }
      if (k + 1 < j) {
        f.natural += u.glue;
        f.space += u.glue;
        f.space_stretch += u.glue_stretch;
        f.space_shrink += u.glue_shrink;
      }
    }
    f.kashida_capacity = std::min(f.kashida_capacity, kashida_line_cap);
    return f;
  };
  const double big = 1e12;
  auto badness = [&](const LineFit& f, double measure, bool last) -> double {
    const double d = measure - f.natural;
    if (d < 0) {
      if (f.space_shrink <= 0 || -d > f.space_shrink) return big;  // overfull
      const double r = -d / f.space_shrink;
      return 100 * r * r * r;
    }
    if (last || !justify) {
      // Ragged or last lines: only their fullness matters, and only a little.
      if (last) return 0;
      const double r = d / measure;
      return 100 * r * r * 4;
    }
    const double kashida = std::min(d, f.kashida_capacity);
    const double rest = d - kashida;
    double b = f.kashida_capacity > 0 ? 30 * std::pow(kashida / f.kashida_capacity, 3) : 0;
    if (rest > 0) {
      if (f.space_stretch <= 0) return 1e7 + rest;
      const double r = rest / f.space_stretch;
      // Past the layout's maximum space stretch (r > 1) a line is acceptable only when it
      // has nothing else to give: with kashida points it must be avoided at almost any cost.
      if (r > 1 && f.kashida_points > 0) return 1e6 * r;
      b += r > 3 ? 1e6 * r : 100 * r * r * r;
    }
    return b;
  };

  std::vector<Break> best(static_cast<std::size_t>(n) + 1,
                          Break{std::numeric_limits<double>::infinity(), -1});
  best[0].demerits = 0;
  for (int j = 1; j <= n; ++j) {
    const Unit& end_unit = units[static_cast<std::size_t>(j - 1)];
    if (j < n && !end_unit.breakable && !end_unit.forced) continue;
    const bool last = j == n || end_unit.forced;
    for (int i = j - 1; i >= 0; --i) {
      if (!std::isfinite(best[static_cast<std::size_t>(i)].demerits)) {
        if (i > 0 && units[static_cast<std::size_t>(i - 1)].forced) break;
        continue;
      }
      const double measure = width - (i == 0 ? spec.first_indent : 0);
      const LineFit f = fit(i, j);
      double b = badness(f, measure, last);
      if (b >= big && i != j - 1) break;  // longer candidates only overflow more
      if (b >= big) b = 1e9;              // a single unit wider than the measure
      const double d = (10 + b) * (10 + b);
      const double total = best[static_cast<std::size_t>(i)].demerits + d;
      if (total < best[static_cast<std::size_t>(j)].demerits)
        best[static_cast<std::size_t>(j)] = {total, i};
      if (i > 0 && units[static_cast<std::size_t>(i - 1)].forced) break;
    }
  }
  std::vector<int> breaks;
  for (int j = n; j > 0; j = best[static_cast<std::size_t>(j)].previous) breaks.push_back(j);
  std::reverse(breaks.begin(), breaks.end());

  // ---- set each line -------------------------------------------------------------------
  std::vector<SetLine> lines;
  int line_start = 0;
  for (int j : breaks) {
    const int i = line_start;
    line_start = j;
    const bool last = j == n || units[static_cast<std::size_t>(j - 1)].forced;
    const double measure = width - (i == 0 ? spec.first_indent : 0);
    const LineFit f = fit(i, j);
    const double slack = measure - f.natural;

    if (metrics_only) {
      // Whether the line would hold a glyph run: any glyph of an item inside [a, b).
      const int a = units[static_cast<std::size_t>(i)].start;
      const int b = units[static_cast<std::size_t>(j - 1)].content_end;
      bool has_glyphs = false;
      for (const auto& s : items) {
        if (std::max(a, s.start) >= std::min(b, s.end)) continue;
        for (int g = 0; g < s.glyphs->num_glyphs && !has_glyphs; ++g) {
          const int byte = s.start + s.glyphs->log_clusters[g];
          has_glyphs = byte >= a && byte < b;
        }
        if (has_glyphs) break;
      }
      SetLine line;
      line.leading = spec.role->leading;
      line.ascent = spec.role->size * 0.8;
      line.descent = spec.role->size * 0.3;
      line.box.role = spec.role_name;
      line.box.width = measure;
      line.box.natural_width = f.natural;
      line.box.justified = justify && !last;
      line.items_left_out = has_glyphs ? 1 : 0;
      lines.push_back(std::move(line));
      continue;
    }

    // Stretch: kashida first (best-priority joins first, evenly within a priority), then
    // the inter-word spaces for what remains.
    std::map<int, double> kashida_at;  // byte -> width
    double space_delta = 0;            // added to each pt of natural space width
    double kashida_total = 0;
    const bool justify_line = justify && !last;
    if (justify_line && slack > 0) {
      double want = std::min(slack, f.kashida_capacity);
      std::vector<const Unit*> candidates;
      for (int k = i; k < j; ++k)
        if (units[static_cast<std::size_t>(k)].kashida_byte >= 0)
          candidates.push_back(&units[static_cast<std::size_t>(k)]);
      std::stable_sort(candidates.begin(), candidates.end(), [](const Unit* a, const Unit* b) {
        return a->kashida_priority < b->kashida_priority;
      });
      // Few, visible elongations read better than many slight ones (and each opens a gap
      // in the text layer), so use as few joins as the slack needs, each at most the
      // layout's longest kashida, the best-placed joins first.
      const double per_point = candidates.empty() ? 0 : candidates.front()->kashida_capacity;
      std::size_t wanted =
          per_point > 0 ? static_cast<std::size_t>(std::ceil(want / (0.6 * per_point))) : 0;
      wanted = std::min({wanted, candidates.size(),
                         static_cast<std::size_t>(std::max(0, limits.max_kashidas_per_line))});
      std::vector<double> given(candidates.size(), 0.0);
      auto spread = [&](std::size_t count, double scale) {
        // Evenly over the first `count` joins, never past `scale` times one kashida's
        // maximum length.
        for (int round = 0; round < 4 && want > 1e-6; ++round) {
          int open = 0;
          for (std::size_t k = 0; k < count; ++k)
            if (given[k] < scale * candidates[k]->kashida_capacity - 1e-9) ++open;
          if (!open) break;
          const double share = want / open;
          for (std::size_t k = 0; k < count; ++k) {
            const double room = scale * candidates[k]->kashida_capacity - given[k];
            if (room <= 1e-9) continue;
            const double add = std::min(share, room);
            given[k] += add;
            want -= add;
          }
        }
      };
      spread(wanted, 1.0);
      // Spaces may not stretch past the layout's maximum while a join can still give. The
      // breaker avoids such lines; when one is forced (a long unbreakable run follows), the
      // remaining joins are used beyond the per-line count, then up to twice the longest
      // kashida, before the spaces go past their limit.
      for (double scale : {1.0, 2.0}) {
        const double used = std::accumulate(given.begin(), given.end(), 0.0);
        if (f.space <= 0 || (slack - used) / f.space <= limits.max_space_stretch) break;
        want = slack - used - limits.max_space_stretch * f.space;
        spread(candidates.size(), scale);
      }
      for (std::size_t k = 0; k < candidates.size(); ++k) {
        // An elongation shorter than a fifth of an em reads as a glitch, not a kashida:
        // such slack is left to the spaces.
        if (given[k] < 0.2 * candidates[k]->em) continue;
        kashida_at[candidates[k]->kashida_byte] = given[k];
        kashida_total += given[k];
      }
      if (f.space > 0) space_delta = (slack - kashida_total) / f.space;
    } else if (justify_line && slack < 0 && f.space > 0) {
      space_delta = slack / f.space;
    }

    // Logical byte range set on this line, without the trailing white space and separator.
    const int a = units[static_cast<std::size_t>(i)].start;
    const int b = units[static_cast<std::size_t>(j - 1)].content_end;

    // Runs: pieces of items inside [a, b), then reordered visually by UAX #9 rule L2.
    struct Run {
      int item, start, end, level, logical_index;
    };
    std::vector<Run> runs;
    for (int k = 0; k < static_cast<int>(items.size()); ++k) {
      const auto& s = items[static_cast<std::size_t>(k)];
      const int rs = std::max(a, s.start), re = std::min(b, s.end);
      if (rs < re) runs.push_back({k, rs, re, s.level, static_cast<int>(runs.size())});
    }
    int max_level = 0, min_odd = 1000;
    for (const Run& r : runs) {
      max_level = std::max(max_level, r.level);
      if (r.level % 2) min_odd = std::min(min_odd, r.level);
    }
    for (int level = max_level; level >= min_odd && level > 0; --level) {
      for (std::size_t k = 0; k < runs.size();) {
        if (runs[k].level < level) {
          ++k;
          continue;
        }
        std::size_t e = k;
        while (e < runs.size() && runs[e].level >= level) ++e;
        std::reverse(runs.begin() + static_cast<long>(k), runs.begin() + static_cast<long>(e));
        k = e;
      }
    }

    const double line_width = justify_line ? measure : f.natural;
    double x = 0;
    const bool rtl = spec.direction == model::Direction::rtl;
    switch (spec.align) {
      case Align::center:
        x = (measure - line_width) / 2;
        break;
      case Align::end:
        x = rtl ? 0 : measure - line_width;
        break;
      default:  // start and justify: flush to the start side
        x = rtl ? measure - line_width : 0;
        break;
    }
    if (!rtl && i == 0) x += spec.first_indent;

    SetLine line;
    line.leading = spec.role->leading;
    std::string visual;
    double space_added = 0, space_natural = 0;
    for (const Run& r : runs) {
      const auto& s = items[static_cast<std::size_t>(r.item)];
      const bool backward = s.level % 2 == 1;
      Item run_item{Item::Kind::glyphs, {}, {}, {}, {}, {}, {}, {}};
      GlyphRun& run = run_item.run;
      run.font = font_ref(s.item->analysis.font, s.size);
      run.backward = backward;
      run.bidi_level = s.level;
      run.logical_index = r.logical_index;
      run.color = spec.role->color;
      for (const auto& pr : ranges)
        if (r.start >= pr.start && r.start < pr.end && pr.part->role)
          run.color = pr.part->role->color;
      run.text =
          text.substr(static_cast<std::size_t>(r.start), static_cast<std::size_t>(r.end - r.start));

      // Glyphs of this run in visual order.
      std::vector<int> glyph_ids;
      for (int g = 0; g < s.glyphs->num_glyphs; ++g) {
        const int cb = s.start + s.glyphs->log_clusters[g];
        if (cb >= r.start && cb < r.end) glyph_ids.push_back(g);
      }
      // Cluster boundaries: each cluster's first byte, and where the next one starts.
      std::vector<int> starts;
      for (int g : glyph_ids) starts.push_back(s.start + s.glyphs->log_clusters[g]);
      std::sort(starts.begin(), starts.end());
      starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
      auto cluster_end = [&](int cb) {
        const auto it = std::upper_bound(starts.begin(), starts.end(), cb);
        return it == starts.end() ? r.end : *it;
      };

      hb_codepoint_t tatweel = 0;
      const bool has_tatweel = kashida_glyph(s.item->analysis.font, &tatweel);
      int previous_cluster = -1;
      for (int g : glyph_ids) {
        const PangoGlyphInfo& info = s.glyphs->glyphs[g];
        const int cb = s.start + s.glyphs->log_clusters[g];
        if (cb != previous_cluster) {
          // Kashida: in a right-to-left run the join leaving a letter lies just left of the
          // letter's cluster, so the gap opens before the cluster's first glyph in visual order.
          if (backward) {
            const auto it = kashida_at.lower_bound(cb);
            if (it != kashida_at.end() && it->first < cluster_end(cb)) {
              if (has_tatweel)
                run.kashidas.push_back(
                    {tatweel, x, 0, it->second, static_cast<int>(run.clusters.size())});
              x += it->second;
            }
          }
          run.clusters.push_back({cluster_end(cb) - cb, 0});
          previous_cluster = cb;
        }
        ++run.clusters.back().glyphs;
        double adv = from_pango(info.geometry.width);
        int clen = 0;
        const char32_t c = decode(text, static_cast<std::size_t>(cb), &clen);
        if (is_space(c)) {
          space_natural += adv;
          if (justify_line) {
            space_added += adv * space_delta;
            adv += adv * space_delta;
          }
        }
        run.glyphs.push_back({info.glyph, x + from_pango(info.geometry.x_offset),
                              -from_pango(info.geometry.y_offset), adv});
        x += adv;
      }
      visual += (visual.empty() ? "" : " | ") + std::string(backward ? "R" : "L") +
                std::to_string(s.level) + ":" + run.text;
      if (!run.glyphs.empty()) line.items.push_back(std::move(run_item));
    }

    line.box.role = spec.role_name;
    line.box.text = text.substr(static_cast<std::size_t>(a), static_cast<std::size_t>(b - a));
    line.box.visual_runs = visual;
    line.box.width = measure;
    line.box.natural_width = f.natural;
    line.box.justified = justify_line;
    line.box.kashida_width = kashida_total;
    line.box.kashida_count = static_cast<int>(kashida_at.size());
    line.box.kashida_points = f.kashida_points;
    line.box.max_space_stretch = limits.max_space_stretch;
    line.box.space_stretch = space_natural > 0 ? space_added / space_natural : 0;
    line.ascent = spec.role->size * 0.8;
    line.descent = spec.role->size * 0.3;
    if (stats) {
      ++stats->lines;
      if (justify_line) {
        ++stats->justified_lines;
        stats->space_stretch.push_back(line.box.space_stretch);
        stats->kashidas += line.box.kashida_count;
      }
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

Page set_paragraph(const model::Inlines& text, const std::string& role, double width,
                   const model::Layout& layout, const FontSet& fonts, const Options& options,
                   model::Direction direction, const std::string& language) {
  ParagraphSpec spec;
  spec.role_name = role;
  spec.role = &layout.role(role);
  spec.direction = direction;
  spec.align = Align::justify;
  spec.justification = options.justification.value_or(layout.justification);
  spec.limits = &layout.limits;
  spec.digits = options.digits.value_or(layout.digits);
  spec.latin_family = layout.latin_family;
  spec.language = language;
  for (const model::Span& span : text)
    spec.parts.push_back(
        {span.text, nullptr, span.style, span.lang, span.dir, span.href, span.line_break});
  std::lock_guard<std::mutex> lock(fonts.impl().mutex);
  Shaper shaper(fonts);
  Page page;
  page.width = width;
  double baseline = 0;
  int line_number = 0;
  for (SetLine& line : shaper.set(spec, width, nullptr)) {
    baseline += line.leading;
    ++line_number;
    for (Item& item : line.items) {
      if (item.kind != Item::Kind::glyphs) continue;
      item.run.line = line_number;
      for (Glyph& g : item.run.glyphs) g.y += baseline;
      for (Kashida& k : item.run.kashidas) k.y += baseline;
      page.items.push_back(std::move(item));
    }
    line.box.baseline = baseline;
    page.lines.push_back(std::move(line.box));
  }
  page.height = baseline;
  return page;
}

}  // namespace warraq::typeset
