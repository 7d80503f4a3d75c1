// Page content as PDF operators (private to the PDF stage), and the resources pages share:
// embedded fonts, glyph-outline forms and images. A page's coordinates are the frames' own
// (points, origin top-left, y downwards): the content stream starts by flipping the page.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/embedded_font.hpp"
#include "pdf/pdf_file.hpp"
#include "typeset/typeset.hpp"

namespace warraq::pdf {

// What every page of one document draws with; one shared resource dictionary names it all.
class Resources {
 public:
  explicit Resources(PdfFile& file) : file_(file), dictionary_id_(file.reserve()) {}

  int dictionary_id() const { return dictionary_id_; }
  // The embedded font of a run's font file, made at first use. Throws std::runtime_error
  // when the font file cannot be read.
  EmbeddedFont& font(const typeset::FontRef& font);
  int font_number(const EmbeddedFont& font) const;
  // The form XObject (resource number) that fills `glyph`'s outline in font units; written
  // at first use. 0 for a glyph without ink.
  int ink_form(EmbeddedFont& font, std::uint32_t glyph);
  // The image XObject (resource number) for a figure file, written at first use; 0 when
  // it cannot be read, with the reason in `error`.
  int image(const typeset::Image& image, std::string& error);

  // Writes the fonts and the resource dictionary. False with `error` when a font fails.
  bool finish(std::string& error);

 private:
  PdfFile& file_;
  int dictionary_id_;
  std::map<const typeset::FontFile*, std::unique_ptr<EmbeddedFont>> fonts_;
  std::vector<EmbeddedFont*> font_order_;  // resource number - 1
  const typeset::FontFile* last_file_ = nullptr;
  EmbeddedFont* last_font_ = nullptr;
  struct FormKey {
    const EmbeddedFont* font;
    std::uint32_t glyph;
    bool operator<(const FormKey& o) const {
      // By object number, not address: the forms' order must not depend on the heap.
      return font != o.font ? font->object_id() < o.font->object_id() : glyph < o.glyph;
    }
  };
  std::map<FormKey, int> forms_;       // -> resource number, 0: no ink
  std::vector<int> form_objects_;      // resource number - 1 -> object id
  std::map<std::string, int> images_;  // path -> resource number
  std::vector<int> image_objects_;
};

struct ShownGlyph {
  std::uint32_t id = 0;
  double x = 0, y = 0;
};

// One page's content stream.
class Canvas {
 public:
  Canvas(Resources& resources, double page_height);

  Resources& resources() { return resources_; }
  // Metrics at the font's size, in points; a glyph box with y downwards from the origin.
  double advance(const typeset::FontRef& font, std::uint32_t glyph);
  GlyphBox box(const typeset::FontRef& font, std::uint32_t glyph);

  // Shows glyphs as text: clusters map them to `text` (bytes, glyphs; in order). With
  // `clip_speck`, the text is clipped to a speck off its ink (kept for extraction, never
  // painted). `x_scale` stretches the glyphs horizontally about the first one's origin.
  void show(const typeset::FontRef& font, const model::Color& color, std::string_view text,
            std::span<const ShownGlyph> glyphs, std::span<const std::pair<int, int>> clusters,
            bool clip_speck, double x_scale = 1);
  // Fills a glyph's outline at (x, y); with `stretch_to` > 0 its advance is stretched to
  // that width (a kashida stroke, overlapping its neighbours a little).
  void ink(const typeset::FontRef& font, const model::Color& color, std::uint32_t glyph, double x,
           double y, double stretch_to);
  void rule(const typeset::Rule& rule);
  void image(int resource, double x, double y, double width, double height);

  // Marked content for the structure tree: a tagged element's content, or an artifact.
  void begin_marked(std::string_view tag, int mcid);
  void begin_artifact();
  void end_marked();

  std::string& content() { return out_; }

 private:
  void fill(const model::Color& color);
  // Appends the numbers, each followed by a space: an operator's operands.
  void operands(std::initializer_list<double> values);
  void hex_glyph(std::uint32_t id);

  Resources& resources_;
  std::string out_;
  model::Color fill_{0, 0, 0};
  bool fill_known_ = false;
};

}  // namespace warraq::pdf
