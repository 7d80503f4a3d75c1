#include "pdf/embedded_font.hpp"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <string>
#include <vector>

namespace warraq::pdf {

namespace {

struct HbRelease {
  void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
  void operator()(hb_face_t* f) const { hb_face_destroy(f); }
  void operator()(hb_font_t* f) const { hb_font_destroy(f); }
  void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); }
  void operator()(hb_draw_funcs_t* d) const { hb_draw_funcs_destroy(d); }
};
using Blob = std::unique_ptr<hb_blob_t, HbRelease>;
using Face = std::unique_ptr<hb_face_t, HbRelease>;
using Font = std::unique_ptr<hb_font_t, HbRelease>;
using SubsetInput = std::unique_ptr<hb_subset_input_t, HbRelease>;
using DrawFuncs = std::unique_ptr<hb_draw_funcs_t, HbRelease>;

// ---------------------------------------------------------------------------------------
// Outlines. The callbacks append to the std::string passed as draw data; the funcs object
// holds no state of its own, so one immutable instance serves every thread.

void append_point(std::string& out, double x, double y) {
  append_number(out, x);
  out += ' ';
  append_number(out, y);
  out += ' ';
}

void append_cubic(std::string& out, double x1, double y1, double x2, double y2, double x,
                  double y) {
  append_point(out, x1, y1);
  append_point(out, x2, y2);
  append_point(out, x, y);
  out += "c\n";
}

void move_to(hb_draw_funcs_t*, void* data, hb_draw_state_t*, float x, float y, void*) {
  auto& out = *static_cast<std::string*>(data);
  append_point(out, x, y);
  out += "m\n";
}

void line_to(hb_draw_funcs_t*, void* data, hb_draw_state_t*, float x, float y, void*) {
  auto& out = *static_cast<std::string*>(data);
  append_point(out, x, y);
  out += "l\n";
}

void cubic_to(hb_draw_funcs_t*, void* data, hb_draw_state_t*, float x1, float y1, float x2,
              float y2, float x, float y, void*) {
  append_cubic(*static_cast<std::string*>(data), x1, y1, x2, y2, x, y);
}

// PDF paths have no quadratic segment; TrueType outlines have nothing else. A quadratic is
// exactly the cubic whose control points lie 2/3 of the way from each end to its control.
// HarfBuzz updates the current point after the callback: it is still the segment's start.
void quadratic_to(hb_draw_funcs_t*, void* data, hb_draw_state_t* state, float qx, float qy, float x,
                  float y, void*) {
  const double x0 = state->current_x, y0 = state->current_y;
  append_cubic(*static_cast<std::string*>(data), x0 + 2.0 / 3 * (qx - x0), y0 + 2.0 / 3 * (qy - y0),
               x + 2.0 / 3 * (qx - x), y + 2.0 / 3 * (qy - y), x, y);
}

void close_path(hb_draw_funcs_t*, void* data, hb_draw_state_t*, void*) {
  *static_cast<std::string*>(data) += "h\n";
}

hb_draw_funcs_t* draw_funcs() {
  // Function-local static: initialised once even when documents are written on several
  // threads; immutable afterwards, so sharing it needs no lock.
  static const DrawFuncs funcs = [] {
    DrawFuncs f(hb_draw_funcs_create());
    hb_draw_funcs_set_move_to_func(f.get(), move_to, nullptr, nullptr);
    hb_draw_funcs_set_line_to_func(f.get(), line_to, nullptr, nullptr);
    hb_draw_funcs_set_quadratic_to_func(f.get(), quadratic_to, nullptr, nullptr);
    hb_draw_funcs_set_cubic_to_func(f.get(), cubic_to, nullptr, nullptr);
    hb_draw_funcs_set_close_path_func(f.get(), close_path, nullptr, nullptr);
    hb_draw_funcs_make_immutable(f.get());
    return f;
  }();
  return funcs.get();
}

// ---------------------------------------------------------------------------------------
// Names and strings.

// The PostScript name as a PDF font name wants it: printable ASCII without the characters
// PostScript reserves (a name with a space would be escaped, and some viewers then fail to
// match the subset tag).
std::string postscript_safe(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool reserved = c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
                          c == '{' || c == '}' || c == '/' || c == '%' || c == '#';
    if (c > ' ' && c <= '~' && !reserved) out += c;
  }
  return out.substr(0, 63 - 7);  // PostScript's name limit, less the subset tag "ABCDEF+"
}

std::string postscript_name(hb_face_t* face, const typeset::FontFile& file) {
  unsigned length = hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID,
                                        nullptr, nullptr);
  if (length > 0) {
    std::string name(length + 1, '\0');
    unsigned size = length + 1;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &size,
                        name.data());
    name.resize(size);
    std::string safe = postscript_safe(name);
    if (!safe.empty()) return safe;
  }
  std::string fallback = postscript_safe(file.family);
  if (!file.style.empty()) fallback += "-" + postscript_safe(file.style);
  return fallback.empty() ? "Font" : fallback;
}

const char hex_digits[] = "0123456789ABCDEF";

void append_hex4(std::string& out, unsigned value) {
  for (int shift = 12; shift >= 0; shift -= 4) out += hex_digits[(value >> shift) & 15];
}

// UTF-8 as UTF-16BE hexadecimal, for a bfchar destination; malformed bytes become U+FFFD.
// The CMap syntax allows 512 bytes per destination: longer text is cut at a character.
void append_utf16_hex(std::string& out, std::string_view utf8) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    auto cont = [&](std::size_t k) {
      return i + k < utf8.size() && (static_cast<unsigned char>(utf8[i + k]) & 0xC0) == 0x80;
    };
    auto bits = [&](std::size_t k) { return static_cast<char32_t>(utf8[i + k] & 0x3F); };
    char32_t cp = 0xFFFD;
    std::size_t n = 1;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0 && cont(1)) {
      cp = ((b & 0x1Fu) << 6) | bits(1);
      n = 2;
    } else if ((b & 0xF0) == 0xE0 && cont(1) && cont(2)) {
      cp = ((b & 0x0Fu) << 12) | (bits(1) << 6) | bits(2);
      n = 3;
    } else if ((b & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
      cp = ((b & 0x07u) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
      n = 4;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    i += n;
    const std::size_t need = cp >= 0x10000 ? 2 : 1;
    if (units + need > 256) break;
    units += need;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_hex4(out, 0xD800 + static_cast<unsigned>(cp >> 10));
      append_hex4(out, 0xDC00 + static_cast<unsigned>(cp & 0x3FF));
    } else {
      append_hex4(out, static_cast<unsigned>(cp));
    }
  }
}

// A signed big-endian field of `bytes` bytes from a table HarfBuzz has no accessor for
// (head's bounding box, post's italic angle); 0 when the table is missing or short.
std::int32_t read_signed(const Blob& table, unsigned offset, unsigned bytes) {
  unsigned length = 0;
  const char* data = hb_blob_get_data(table.get(), &length);
  if (!data || offset + bytes > length) return 0;
  std::uint32_t value = 0;
  for (unsigned i = 0; i < bytes; ++i)
    value = (value << 8) | static_cast<unsigned char>(data[offset + i]);
  if (bytes == 2) return static_cast<std::int16_t>(value);
  return static_cast<std::int32_t>(value);
}

std::string ref(int id) { return std::to_string(id) + " 0 R"; }

}  // namespace

// ---------------------------------------------------------------------------------------

struct EmbeddedFont::Impl {
  // What is known of a glyph, filled as the page drawing asks: show(), advance() and box()
  // run once per glyph drawn, so each is an index into this vector and no allocation.
  // These caches make even the const members unsafe to call from two threads at once: an
  // EmbeddedFont belongs to its document's one drawing thread.
  struct Glyph {
    float advance = 0;                                 // font units
    float x_min = 0, y_min = 0, x_max = 0, y_max = 0;  // font units, y upwards
    std::uint32_t text = 0;                            // 1 + index into texts; 0: no text recorded
    bool used = false;
    bool has_advance = false;
    bool has_box = false;
  };

  typeset::FontFile file;
  std::string error;
  Blob blob;
  Face face;
  Font font;
  unsigned upem = 1000;
  std::vector<Glyph> glyphs;       // by glyph id, the face's glyph count
  std::vector<std::string> texts;  // the text each glyph was first shown for, "" included

  Glyph* glyph(std::uint32_t id) { return id < glyphs.size() ? &glyphs[id] : nullptr; }

  std::string subset_tag() const;
  bool subset(std::string& out);
  std::string widths() const;
  std::string to_unicode() const;
};

EmbeddedFont::EmbeddedFont(const typeset::FontFile& file, int object_id)
    : impl_(std::make_unique<Impl>()), object_id_(object_id) {
  Impl& m = *impl_;
  m.file = file;
  m.blob.reset(hb_blob_create_from_file_or_fail(file.path.c_str()));
  if (m.blob) m.face.reset(hb_face_create(m.blob.get(), static_cast<unsigned>(file.index)));
  // hb_face_create never fails: a file that is not a font (or an index past its faces)
  // gives the empty face, which has no glyphs.
  const unsigned count = m.face ? hb_face_get_glyph_count(m.face.get()) : 0;
  if (count == 0) {
    m.error = "cannot read font " + file.path.string();
    return;
  }
  // FontFile2 holds TrueType outlines only; CFF ones would need another font type.
  const Blob glyf(hb_face_reference_table(m.face.get(), HB_TAG('g', 'l', 'y', 'f')));
  if (hb_blob_get_length(glyf.get()) == 0) {
    m.error = "cannot embed font " + file.path.string() + ": no TrueType outlines (glyf)";
    return;
  }
  m.upem = hb_face_get_upem(m.face.get());
  m.font.reset(hb_font_create(m.face.get()));  // scale defaults to units per em
  m.glyphs.resize(count);
}

EmbeddedFont::~EmbeddedFont() = default;

bool EmbeddedFont::ok() const { return impl_->error.empty(); }
const std::string& EmbeddedFont::error() const { return impl_->error; }
unsigned EmbeddedFont::units_per_em() const { return impl_->upem; }

bool EmbeddedFont::has_glyph(std::uint32_t id) const { return id < impl_->glyphs.size(); }

double EmbeddedFont::advance(std::uint32_t id) const {
  Impl::Glyph* g = impl_->glyph(id);
  if (!g) return 0;
  if (!g->has_advance) {
    g->advance = static_cast<float>(hb_font_get_glyph_h_advance(impl_->font.get(), id));
    g->has_advance = true;
  }
  return g->advance / impl_->upem;
}

GlyphBox EmbeddedFont::box(std::uint32_t id) const {
  Impl::Glyph* g = impl_->glyph(id);
  if (!g) return {};
  if (!g->has_box) {
    hb_glyph_extents_t e{};
    if (hb_font_get_glyph_extents(impl_->font.get(), id, &e)) {
      // HarfBuzz measures from the top-left corner: height is negative.
      g->x_min = static_cast<float>(e.x_bearing);
      g->x_max = static_cast<float>(e.x_bearing + e.width);
      g->y_max = static_cast<float>(e.y_bearing);
      g->y_min = static_cast<float>(e.y_bearing + e.height);
    }
    g->has_box = true;
  }
  const double em = impl_->upem;
  return {g->x_min / em, g->y_min / em, g->x_max / em, g->y_max / em};
}

bool EmbeddedFont::show(std::uint32_t id, std::string_view text) {
  Impl& m = *impl_;
  Impl::Glyph* g = m.glyph(id);
  // A glyph the face does not have cannot be embedded: no ToUnicode entry will speak for
  // it, so the caller's /ActualText must.
  if (!g) return false;
  g->used = true;
  if (g->text == 0) {
    m.texts.emplace_back(text);
    g->text = static_cast<std::uint32_t>(m.texts.size());
    return true;
  }
  // Empty text counts as text: a glyph first shown standing for nothing (a mark inside a
  // cluster whose text went to the base) gets no entry, and a later showing that stands
  // for something needs /ActualText. True therefore means: ToUnicode yields exactly `text`.
  return m.texts[g->text - 1] == text;
}

void EmbeddedFont::use(std::uint32_t id) {
  if (Impl::Glyph* g = impl_->glyph(id)) g->used = true;
}

std::string EmbeddedFont::outline(std::uint32_t id) const {
  std::string out;
  if (!impl_->glyph(id)) return out;
#if HB_VERSION_ATLEAST(7, 0, 0)
  hb_font_draw_glyph(impl_->font.get(), id, draw_funcs(), &out);
#else
  hb_font_get_glyph_shape(impl_->font.get(), id, draw_funcs(), &out);
#endif
  return out;
}

// The six letters tell subsets of one font apart (PDF 32000-1, 9.6.4). Derived from the
// glyph set alone, with FNV-1a, so the same glyphs shown give the same name and bytes.
std::string EmbeddedFont::Impl::subset_tag() const {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (std::size_t id = 0; id < glyphs.size(); ++id) {
    if (!glyphs[id].used) continue;
    for (int shift = 0; shift < 32; shift += 8) {
      hash ^= (id >> shift) & 0xFF;
      hash *= 0x100000001b3ull;
    }
  }
  std::string tag(6, 'A');
  for (char& c : tag) {
    c = static_cast<char>('A' + hash % 26);
    hash /= 26;
  }
  return tag;
}

bool EmbeddedFont::Impl::subset(std::string& out) {
  SubsetInput input(hb_subset_input_create_or_fail());
  if (!input) {
    error = "cannot allocate a subset plan for " + file.path.string();
    return false;
  }
  hb_set_t* keep = hb_subset_input_glyph_set(input.get());
  hb_set_add(keep, 0);  // .notdef: every TrueType font has it first
  for (std::size_t id = 0; id < glyphs.size(); ++id)
    if (glyphs[id].used) hb_set_add(keep, static_cast<hb_codepoint_t>(id));
  // Glyph ids stay as they are: the CIDs in the page's strings are the font's glyph ids,
  // which then need no /CIDToGIDMap stream. The empty glyphs up to the highest id cost
  // little once deflated (Amiri, 50 glyphs up to id 6727: 52 KB raw, 7 KB deflated).
  // Hinting goes: poppler and MuPDF rasterise without the TrueType bytecode, print needs
  // none, and it is most of a hinted Latin subset (Noto Serif, 60 glyphs: 10.2 KB deflated with
  // it, 5.4 KB without).
  hb_subset_input_set_flags(input.get(), HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_NO_HINTING);
  // Text in a PDF is already shaped: the layout tables only make the file bigger, and
  // dropping GSUB also stops hb-subset adding every glyph substitutions can reach (Amiri,
  // 50 glyphs: 20 KB deflated with GSUB/GPOS/GDEF, 7 KB without). The cmap is left empty
  // (no code points asked for): the CIDs reach the glyphs directly.
  hb_set_t* drop = hb_subset_input_set(input.get(), HB_SUBSET_SETS_DROP_TABLE_TAG);
  for (const hb_tag_t tag :
       {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
        HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('h', 'd', 'm', 'x'),
        HB_TAG('V', 'D', 'M', 'X'), HB_TAG('L', 'T', 'S', 'H')})
    hb_set_add(drop, tag);
  // Keep every name record: the copyright and licence (name IDs 0, 13, 14) must travel
  // with an OFL font, subset or not (SIL OFL 1.1, condition 2). The input's sets start as
  // hb-subset's defaults (IDs 0-6, English); emptied, then inverted, they hold everything.
  for (const auto which : {HB_SUBSET_SETS_NAME_ID, HB_SUBSET_SETS_NAME_LANG_ID}) {
    hb_set_t* set = hb_subset_input_set(input.get(), which);
    hb_set_clear(set);
    hb_set_invert(set);
  }
  Face result(hb_subset_or_fail(face.get(), input.get()));
  if (!result) {
    error = "hb-subset failed on " + file.path.string();
    return false;
  }
  Blob bytes(hb_face_reference_blob(result.get()));
  unsigned length = 0;
  const char* data = hb_blob_get_data(bytes.get(), &length);
  if (!data || length == 0) {
    error = "hb-subset produced nothing for " + file.path.string();
    return false;
  }
  out.assign(data, length);
  return true;
}

// /W in its compact form: "first [w1 w2 ...]" per run of consecutive glyph ids.
std::string EmbeddedFont::Impl::widths() const {
  std::string out = "[";
  bool open = false;
  for (std::size_t id = 0; id < glyphs.size(); ++id) {
    if (!glyphs[id].used) {
      if (open) out += "]";
      open = false;
      continue;
    }
    if (!open) {
      out += std::to_string(id);
      out += " [";
      open = true;
    } else {
      out += ' ';
    }
    const float units = glyphs[id].has_advance ? glyphs[id].advance
                                               : static_cast<float>(hb_font_get_glyph_h_advance(
                                                     font.get(), static_cast<hb_codepoint_t>(id)));
    append_number(out, units * 1000.0 / upem);
  }
  if (open) out += "]";
  return out + "]";
}

std::string EmbeddedFont::Impl::to_unicode() const {
  std::string out =
      "/CIDInit /ProcSet findresource begin\n"
      "12 dict begin\n"
      "begincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n"
      "/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<std::uint32_t> mapped;
  for (std::size_t id = 0; id < glyphs.size(); ++id)
    if (glyphs[id].text != 0 && !texts[glyphs[id].text - 1].empty())
      mapped.push_back(static_cast<std::uint32_t>(id));
  // The CMap format allows at most 100 entries per block.
  for (std::size_t start = 0; start < mapped.size(); start += 100) {
    const std::size_t end = std::min(mapped.size(), start + 100);
    out += std::to_string(end - start);
    out += " beginbfchar\n";
    for (std::size_t i = start; i < end; ++i) {
      out += '<';
      append_hex4(out, mapped[i]);
      out += "> <";
      append_utf16_hex(out, texts[glyphs[mapped[i]].text - 1]);
      out += ">\n";
    }
    out += "endbfchar\n";
  }
  out +=
      "endcmap\n"
      "CMapName currentdict /CMap defineresource pop\n"
      "end\n"
      "end\n";
  return out;
}

bool EmbeddedFont::write(PdfFile& file) {
  Impl& m = *impl_;
  if (!ok()) return false;
  std::string font_file;
  if (!m.subset(font_file)) return false;

  const int cid_font = file.reserve();
  const int descriptor = file.reserve();
  const int font_stream = file.reserve();
  const int to_unicode = file.reserve();
  const std::string base_font = name(m.subset_tag() + "+" + postscript_name(m.face.get(), m.file));

  file.object(object_id_, "<</Type/Font/Subtype/Type0/BaseFont" + base_font +
                              "/Encoding/Identity-H/DescendantFonts[" + ref(cid_font) +
                              "]/ToUnicode " + ref(to_unicode) + ">>");
  file.object(cid_font, "<</Type/Font/Subtype/CIDFontType2/BaseFont" + base_font +
                            "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>"
                            "/FontDescriptor " +
                            ref(descriptor) + "/CIDToGIDMap/Identity/DW 1000/W" + m.widths() +
                            ">>");

  // Descriptor metrics are in glyph space, 1000 units per em.
  const double scale = 1000.0 / m.upem;
  hb_font_t* font = m.font.get();
  hb_position_t ascent = 0, descent = 0, cap_height = 0;
  hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &ascent);
  hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &descent);
  if (!hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap_height) ||
      cap_height <= 0)
    cap_height = ascent;
  const Blob head(hb_face_reference_table(m.face.get(), HB_TAG('h', 'e', 'a', 'd')));
  const Blob post(hb_face_reference_table(m.face.get(), HB_TAG('p', 'o', 's', 't')));
  std::string d = "<</Type/FontDescriptor/FontName" + base_font + "/Flags 4/FontBBox[";
  for (unsigned offset = 36; offset <= 42; offset += 2) {
    append_number(d, read_signed(head, offset, 2) * scale);
    if (offset < 42) d += ' ';
  }
  d += "]/ItalicAngle ";
  append_number(d, read_signed(post, 4, 4) / 65536.0);  // Fixed 16.16
  d += "/Ascent ";
  append_number(d, ascent * scale);
  d += "/Descent ";
  append_number(d, descent * scale);
  d += "/CapHeight ";
  append_number(d, cap_height * scale);
  // No font program states its stems; 80 is the customary middle weight.
  d += "/StemV 80/FontFile2 " + ref(font_stream) + ">>";
  file.object(descriptor, d);

  file.stream(font_stream, "/Length1 " + std::to_string(font_file.size()), font_file);
  file.stream(to_unicode, {}, m.to_unicode());
  return true;
}

}  // namespace warraq::pdf
