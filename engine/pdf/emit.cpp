// Emission: the runs of a line go out in reading (logical) order, each right-to-left run's
// glyphs reversed into logical order, so extractors that print glyphs in content-stream
// order (MuPDF, pdfminer) read the sentence as written; poppler places glyphs by position
// and reads any order. Kashida strokes are drawn as outlines so they never come back as
// U+0640 characters.
#include "emit.hpp"

#include <pango/pangocairo.h>

#include <algorithm>

namespace warraq::pdf {

void use_font(cairo_t* cr, const typeset::FontRef& font) {
  auto* pango_font = static_cast<PangoFont*>(font.handle());
  cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(pango_font)));
}

void draw_outlines(cairo_t* cr, const typeset::FontRef& font, const model::Color& color,
                   const std::vector<typeset::Glyph>& glyphs) {
  if (glyphs.empty()) return;
  use_font(cr, font);
  cairo_set_source_rgb(cr, color.r, color.g, color.b);
  for (const auto& g : glyphs) {
    cairo_glyph_t glyph{g.id, 0, 0};
    cairo_save(cr);
    cairo_translate(cr, g.x, g.y);
    if (g.advance > 0) {
      cairo_text_extents_t extents;
      cairo_glyph_extents(cr, &glyph, 1, &extents);
      if (extents.x_advance > 0) {
        // Overlap the neighbours a little so the stroke joins without a hairline seam.
        const double overlap = std::min(0.3, extents.x_advance * 0.1);
        cairo_translate(cr, -overlap, 0);
        cairo_scale(cr, (g.advance + 2 * overlap) / extents.x_advance, 1);
      }
    }
    cairo_new_path(cr);
    cairo_glyph_path(cr, &glyph, 1);
    cairo_restore(cr);
    cairo_fill(cr);
  }
}

namespace {

void emit_run(cairo_t* cr, const typeset::GlyphRun& run) {
  std::vector<cairo_glyph_t> glyphs;
  std::vector<cairo_text_cluster_t> clusters;
  glyphs.reserve(run.glyphs.size());
  for (const auto& g : run.glyphs) glyphs.push_back({g.id, g.x, g.y});
  for (const auto& c : run.clusters) clusters.push_back({c.bytes, c.glyphs});
  if (run.backward) {
    // Cairo 1.16 checks the UTF-8 of backward clusters from the wrong end, so right-to-left
    // runs are turned into logical order instead of using CAIRO_TEXT_CLUSTER_FLAG_BACKWARD.
    std::reverse(glyphs.begin(), glyphs.end());
    std::reverse(clusters.begin(), clusters.end());
  }
  use_font(cr, run.font);
  cairo_set_source_rgb(cr, run.color.r, run.color.g, run.color.b);
  cairo_show_text_glyphs(cr, run.text.data(), static_cast<int>(run.text.size()), glyphs.data(),
                         static_cast<int>(glyphs.size()), clusters.data(),
                         static_cast<int>(clusters.size()), static_cast<cairo_text_cluster_flags_t>(0));
  std::vector<typeset::Glyph> strokes;
  for (const auto& k : run.kashidas) strokes.push_back({k.glyph, k.x, k.y, k.width});
  draw_outlines(cr, run.font, run.color, strokes);
}

}  // namespace

void emit_line(cairo_t* cr, const std::vector<const typeset::GlyphRun*>& runs) {
  std::vector<const typeset::GlyphRun*> logical(runs);
  std::stable_sort(logical.begin(), logical.end(), [](const auto* a, const auto* b) {
    return a->logical_index < b->logical_index;
  });
  for (const auto* run : logical) emit_run(cr, *run);
}

}  // namespace warraq::pdf
