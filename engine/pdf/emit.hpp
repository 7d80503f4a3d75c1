// How a line's glyph runs become Cairo text calls. This decides what text extractors
// (poppler, MuPDF, pdf.js, pdfminer) read back, so it is kept apart from page drawing;
// ../shared/research/pdf-text-extraction.md has the measurements behind it.
#pragma once

#include <cairo.h>

#include <vector>

#include "typeset/typeset.hpp"

namespace warraq::pdf {

// Draws the runs of one line (as the typesetter set them) on `cr`.
void emit_line(cairo_t* cr, const std::vector<const typeset::GlyphRun*>& runs);

// Sets the run's font on `cr`.
void use_font(cairo_t* cr, const typeset::FontRef& font);

// Draws glyphs as filled outlines: ink that extractors cannot read as text. A glyph with a
// positive `advance` is stretched horizontally to that width.
void draw_outlines(cairo_t* cr, const typeset::FontRef& font, const model::Color& color,
                   const std::vector<typeset::Glyph>& glyphs);

}  // namespace warraq::pdf
