#include "pdf/canvas.hpp"

#include <cmath>
#include <stdexcept>

#include "pdf/image_xobject.hpp"

namespace warraq::pdf {

// ---- resources ------------------------------------------------------------------------

EmbeddedFont& Resources::font(const typeset::FontRef& ref) {
  const typeset::FontFile* file = ref.file();
  if (file == last_file_ && last_font_) return *last_font_;
  if (!file) throw std::runtime_error("a glyph run has no font file");
  auto found = fonts_.find(file);
  if (found == fonts_.end()) {
    auto font = std::make_unique<EmbeddedFont>(*file, file_.reserve());
    if (!font->ok()) throw std::runtime_error(font->error());
    font_order_.push_back(font.get());
    found = fonts_.emplace(file, std::move(font)).first;
  }
  last_file_ = file;
  last_font_ = found->second.get();
  return *last_font_;
}

int Resources::font_number(const EmbeddedFont& font) const {
  for (std::size_t k = 0; k < font_order_.size(); ++k)
    if (font_order_[k] == &font) return static_cast<int>(k) + 1;
  return 0;
}

int Resources::ink_form(EmbeddedFont& font, std::uint32_t glyph) {
  const auto [at, inserted] = forms_.emplace(FormKey{&font, glyph}, 0);
  if (!inserted) return at->second;
  const GlyphBox box = font.box(glyph);
  std::string path = font.outline(glyph);
  if (box.empty() || path.empty()) return 0;
  // In font units, y upwards; no colour of its own, so it fills with the colour current
  // where it is painted.
  const double upem = font.units_per_em();
  std::string dictionary = "/Type/XObject/Subtype/Form/BBox[";
  append_number(dictionary, std::floor(box.x_min * upem) - 1);
  dictionary += ' ';
  append_number(dictionary, std::floor(box.y_min * upem) - 1);
  dictionary += ' ';
  append_number(dictionary, std::ceil(box.x_max * upem) + 1);
  dictionary += ' ';
  append_number(dictionary, std::ceil(box.y_max * upem) + 1);
  dictionary += ']';
  path += "f\n";
  const int id = file_.reserve();
  file_.stream(id, dictionary, path);
  form_objects_.push_back(id);
  at->second = static_cast<int>(form_objects_.size());
  return at->second;
}

int Resources::image(const typeset::Image& image, std::string& error) {
  const std::string path = image.path.string();
  if (auto found = images_.find(path); found != images_.end()) return found->second;
  const int id = file_.reserve();
  int number = 0;
  if (write_image(file_, id, image, error)) {
    image_objects_.push_back(id);
    number = static_cast<int>(image_objects_.size());
  }
  images_.emplace(path, number);
  return number;
}

bool Resources::finish(std::string& error) {
  std::string dictionary = "<</ProcSet[/PDF/Text/ImageB/ImageC]";
  if (!font_order_.empty()) {
    dictionary += "/Font<<";
    for (std::size_t k = 0; k < font_order_.size(); ++k) {
      if (!font_order_[k]->write(file_)) {
        error = font_order_[k]->error();
        return false;
      }
      dictionary +=
          "/F" + std::to_string(k + 1) + ' ' + std::to_string(font_order_[k]->object_id()) + " 0 R";
    }
    dictionary += ">>";
  }
  if (!form_objects_.empty() || !image_objects_.empty()) {
    dictionary += "/XObject<<";
    for (std::size_t k = 0; k < form_objects_.size(); ++k)
      dictionary += "/G" + std::to_string(k + 1) + ' ' + std::to_string(form_objects_[k]) + " 0 R";
    for (std::size_t k = 0; k < image_objects_.size(); ++k)
      dictionary += "/I" + std::to_string(k + 1) + ' ' + std::to_string(image_objects_[k]) + " 0 R";
    dictionary += ">>";
  }
  dictionary += ">>";
  file_.object(dictionary_id_, dictionary);
  return true;
}

// ---- canvas ---------------------------------------------------------------------------

Canvas::Canvas(Resources& resources, double page_height) : resources_(resources) {
  out_.reserve(1 << 16);
  // The frames' coordinates: origin top-left, y downwards.
  out_ += "1 0 0 -1 0 ";
  append_number(out_, page_height);
  out_ += " cm\n";
}

double Canvas::advance(const typeset::FontRef& font, std::uint32_t glyph) {
  return resources_.font(font).advance(glyph) * font.size();
}

GlyphBox Canvas::box(const typeset::FontRef& font, std::uint32_t glyph) {
  const GlyphBox em = resources_.font(font).box(glyph);
  const double s = font.size();
  return {em.x_min * s, -em.y_max * s, em.x_max * s, -em.y_min * s};
}

void Canvas::fill(const model::Color& c) {
  if (fill_known_ && c.r == fill_.r && c.g == fill_.g && c.b == fill_.b) return;
  fill_ = c;
  fill_known_ = true;
  operands({c.r, c.g, c.b});
  out_ += "rg\n";
}

void Canvas::operands(std::initializer_list<double> values) {
  for (double v : values) {
    append_number(out_, v);
    out_ += ' ';
  }
}

void Canvas::hex_glyph(std::uint32_t id) {
  static const char hex[] = "0123456789ABCDEF";
  out_ += hex[(id >> 12) & 15];
  out_ += hex[(id >> 8) & 15];
  out_ += hex[(id >> 4) & 15];
  out_ += hex[id & 15];
}

void Canvas::show(const typeset::FontRef& font, const model::Color& color, std::string_view text,
                  std::span<const ShownGlyph> glyphs, std::span<const std::pair<int, int>> clusters,
                  bool clip_speck, double x_scale) {
  if (glyphs.empty()) return;
  EmbeddedFont& embedded = resources_.font(font);
  const double size = font.size();
  fill(color);
  if (clip_speck) {
    // A speck of 1/128 pt at the whole point just above and left of the glyphs' ink: the
    // text stays in the content stream, where extractors read it, and is never painted.
    double left = 0, top = 0;
    bool any = false;
    for (const auto& g : glyphs) {
      const GlyphBox em = embedded.box(g.id);
      if (em.empty()) continue;
      const double l = g.x + em.x_min * size * x_scale;
      const double t = g.y - em.y_max * size;
      left = any ? std::min(left, l) : l;
      top = any ? std::min(top, t) : t;
      any = true;
    }
    if (!any) left = glyphs.front().x, top = glyphs.front().y;
    out_ += "q ";
    append_number(out_, std::floor(left));
    out_ += ' ';
    append_number(out_, std::floor(top));
    out_ += " 0.008 0.008 re W n\n";
  }
  out_ += "BT/F";
  out_ += std::to_string(resources_.font_number(embedded));
  out_ += " 1 Tf\n";
  const double h = size * x_scale;  // text space to user space, horizontally
  double pen = 0, line_y = 0;
  bool positioned = false, in_array = false, in_hex = false;
  auto close_hex = [&] {
    if (in_hex) out_ += '>';
    in_hex = false;
  };
  auto close_array = [&] {
    close_hex();
    if (in_array) out_ += "]TJ\n";
    in_array = false;
  };
  auto put = [&](const ShownGlyph& g) {
    if (!positioned || g.y != line_y) {
      close_array();
      operands({h, 0, 0, -size, g.x, g.y});
      out_ += "Tm\n";
      positioned = true;
      line_y = g.y;
      pen = g.x;
    }
    if (!in_array) {
      out_ += '[';
      in_array = true;
    }
    // TJ numbers are thousandths of text space, subtracted from the pen: whole ones, the
    // rounding carried to the next glyph, so that a gap of less than a thousandth of an em
    // that close_gaps left inside a word closes, as readers' word breaking wants.
    const double adjust = std::round((pen - g.x) * 1000 / h);
    if (adjust != 0) {
      close_hex();
      append_number(out_, adjust);
      pen -= adjust * h / 1000;
    }
    if (!in_hex) {
      out_ += '<';
      in_hex = true;
    }
    hex_glyph(g.id);
    pen += embedded.advance(g.id) * h;
  };
  // Pango's ids for a default-ignorable character (PANGO_GLYPH_EMPTY) and for one no font
  // has (PANGO_GLYPH_UNKNOWN_FLAG | code point) are not glyphs of the font: not drawn, their
  // text kept by /ActualText.
  auto drawable = [&](std::uint32_t id) { return embedded.has_glyph(id); };
  std::size_t glyph = 0, byte = 0;
  for (const auto& [bytes, count] : clusters) {
    const std::string_view cluster_text = text.substr(byte, static_cast<std::size_t>(bytes));
    byte += static_cast<std::size_t>(bytes);
    const std::size_t first = glyph;
    glyph += static_cast<std::size_t>(count);
    if (count == 0) continue;
    bool mapped = count == 1 && drawable(glyphs[first].id) && !cluster_text.empty() &&
                  embedded.show(glyphs[first].id, cluster_text);
    if (mapped) {
      put(glyphs[first]);
      continue;
    }
    // The glyph already stands for other text, or several glyphs stand for this text:
    // /ActualText gives readers the cluster's text (poppler reads it; the glyphs' own
    // ToUnicode entries are what MuPDF and pdf.js print).
    close_array();
    out_ += "/Span<</ActualText";
    out_ += text_string(cluster_text);
    out_ += ">>BDC\n";
    bool text_given = false;
    for (std::size_t k = first; k < glyph && k < glyphs.size(); ++k) {
      if (!drawable(glyphs[k].id)) continue;
      if (!text_given)
        embedded.show(glyphs[k].id, cluster_text);
      else
        embedded.use(glyphs[k].id);
      text_given = true;
      put(glyphs[k]);
    }
    close_array();
    out_ += "EMC\n";
  }
  close_array();
  out_ += "ET\n";
  if (clip_speck) out_ += "Q\n";
}

void Canvas::ink(const typeset::FontRef& font, const model::Color& color, std::uint32_t glyph,
                 double x, double y, double stretch_to) {
  EmbeddedFont& embedded = resources_.font(font);
  const int form = resources_.ink_form(embedded, glyph);
  if (form == 0) return;
  const double size = font.size();
  const double unit = size / embedded.units_per_em();
  double sx = unit;
  const double advance = embedded.advance(glyph) * size;
  if (stretch_to > 0 && advance > 0) {
    // Overlap the neighbours a little so the stroke joins without a hairline seam.
    const double overlap = std::min(0.3, advance * 0.1);
    x -= overlap;
    sx = unit * (stretch_to + 2 * overlap) / advance;
  }
  fill(color);
  out_ += "q ";
  operands({sx, 0, 0, -unit, x, y});
  out_ += "cm/G";
  out_ += std::to_string(form);
  out_ += " Do Q\n";
}

void Canvas::rule(const typeset::Rule& r) {
  operands({r.color.r, r.color.g, r.color.b});
  out_ += "RG ";
  operands({r.width});
  out_ += "w ";
  operands({r.x0, r.y0});
  out_ += "m ";
  operands({r.x1, r.y1});
  out_ += "l S\n";
}

void Canvas::image(int resource, double x, double y, double width, double height) {
  // Image space's unit square, top row first, onto the box (y downwards).
  out_ += "q ";
  operands({width, 0, 0, -height, x, y + height});
  out_ += "cm/I";
  out_ += std::to_string(resource);
  out_ += " Do Q\n";
}

void Canvas::begin_marked(std::string_view tag, int mcid) {
  out_ += name(tag);
  out_ += "<</MCID ";
  out_ += std::to_string(mcid);
  out_ += ">>BDC\n";
}

void Canvas::begin_artifact() { out_ += "/Artifact BMC\n"; }

void Canvas::end_marked() { out_ += "EMC\n"; }

}  // namespace warraq::pdf
