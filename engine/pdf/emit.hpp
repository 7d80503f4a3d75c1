// How a line's glyph runs become Cairo text calls. This decides what text extractors
// (poppler, MuPDF, pdf.js, pdfminer) read back, so it is kept apart from page drawing;
// ../shared/research/pdf-text-extraction.md has the measurements behind it.
#pragma once

#include <cairo.h>

#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "typeset/typeset.hpp"

namespace warraq::pdf {

// Ink that extractors cannot read as text: glyph outlines, each drawn once into the PDF as
// a form XObject and painted by reference wherever it is used (about 40 bytes a use instead
// of the 1-2 KB of path operators a fresh outline costs). One per document, used from the
// thread that draws.
//
// Cairo 1.16 lists an XObject in a page's resources once per use, and qpdf reports the
// repeated key; so the n-th use of a glyph on a page paints the glyph's n-th form. Pages
// share the forms: the document holds, per glyph, as many as one page uses at most.
class InkForms {
 public:
  InkForms();
  ~InkForms();
  InkForms(const InkForms&) = delete;
  InkForms& operator=(const InkForms&) = delete;

  // Call before drawing each page.
  void begin_page();

  // Draws glyphs as ink. A glyph with a positive `advance` is stretched horizontally to that
  // width (kashida strokes).
  void draw(cairo_t* cr, const typeset::FontRef& font, const model::Color& color,
            const std::vector<typeset::Glyph>& glyphs);

 private:
  struct Form;
  using Key = std::tuple<const void*, std::uint32_t, double, double, double>;
  Form& form(cairo_t* cr, const Key& key, std::uint32_t glyph, const model::Color& color);
  std::map<Key, std::vector<std::unique_ptr<Form>>> forms_;
  std::map<Key, std::size_t> used_on_page_;
};

// Draws the runs of one line (as the typesetter set them) on `cr`; ink goes through `ink`.
void emit_line(cairo_t* cr, InkForms& ink, const std::vector<const typeset::GlyphRun*>& runs);

// Sets the run's font on `cr`.
void use_font(cairo_t* cr, const typeset::FontRef& font);

}  // namespace warraq::pdf
