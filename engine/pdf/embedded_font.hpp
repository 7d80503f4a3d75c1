// A font file as the PDF embeds it (private to the PDF stage): a Type 0 font with Identity-H
// encoding over a CIDFontType2 whose CIDs are the font's own glyph ids, the file subset by
// hb-subset keeping glyph ids, widths for the glyphs shown, and a ToUnicode map from the
// text each glyph was shown for. Also the glyphs' outlines, for ink that must not be text.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "pdf/pdf_file.hpp"
#include "typeset/typeset.hpp"

namespace warraq::pdf {

struct GlyphBox {  // ink box in em (font size 1), y upwards; empty when the glyph has no ink
  double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
  bool empty() const { return x_max <= x_min || y_max <= y_min; }
};

class EmbeddedFont {
 public:
  // Opens the file (face `file.index`). `object_id` is the number of the Type 0 font object
  // that write() will fill; pages refer to it from the start. Check ok() after.
  EmbeddedFont(const typeset::FontFile& file, int object_id);
  ~EmbeddedFont();
  EmbeddedFont(const EmbeddedFont&) = delete;
  EmbeddedFont& operator=(const EmbeddedFont&) = delete;

  bool ok() const;
  const std::string& error() const;
  int object_id() const { return object_id_; }

  // Whether `glyph` is one of the face's glyph ids (Pango also hands out ids for empty and
  // missing glyphs, which are not).
  bool has_glyph(std::uint32_t glyph) const;
  // Advance in em (font units / units per em), unhinted: what the shaper used.
  double advance(std::uint32_t glyph) const;
  GlyphBox box(std::uint32_t glyph) const;

  // Records that `glyph` is shown as text standing for `text` (UTF-8, one or more
  // characters). Returns false when the glyph was already shown for other text: its
  // ToUnicode entry keeps the first, and the caller marks this showing with /ActualText.
  bool show(std::uint32_t glyph, std::string_view text);
  // Records that `glyph` is shown without text of its own (inside an /ActualText span).
  void use(std::uint32_t glyph);

  // The glyph's outline as PDF path operators in font units, y upwards ("m l c h"), ready to
  // be filled with "f" (non-zero winding); empty for a glyph without ink. Units per em in
  // units_per_em(); glyph boxes for forms from box() × units_per_em().
  std::string outline(std::uint32_t glyph) const;
  unsigned units_per_em() const;

  // Writes the Type 0 font (object_id), its CIDFont, descriptor, subset font file and
  // ToUnicode CMap. Same glyphs shown, same bytes. False, with error(), when hb-subset fails.
  bool write(PdfFile& file);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int object_id_;
};

}  // namespace warraq::pdf
