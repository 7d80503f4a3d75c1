// How a line's glyph runs become text and ink on the page. This decides what text
// extractors (poppler, MuPDF, pdf.js, pdfminer) read back, so it is kept apart from page
// drawing; ../shared/research/pdf-text-extraction.md has the measurements behind it.
#pragma once

#include <span>
#include <vector>

#include "pdf/canvas.hpp"
#include "typeset/typeset.hpp"

namespace warraq::pdf {

// Draws glyphs as ink (outline forms that extractors cannot read as text). A glyph with a
// positive `advance` is stretched horizontally to that width (kashida strokes).
void draw_ink(Canvas& canvas, const typeset::FontRef& font, const model::Color& color,
              std::span<const typeset::Glyph> glyphs);

// Draws the runs of one line (as the typesetter set them).
void emit_line(Canvas& canvas, const std::vector<const typeset::GlyphRun*>& runs);

}  // namespace warraq::pdf
