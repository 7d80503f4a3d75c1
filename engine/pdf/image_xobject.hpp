// Figures as image XObjects (private to the PDF stage). A JPEG goes in as its own bytes
// (DCTDecode, never re-encoded); a PNG is decoded to 8-bit samples, deflated, with a soft
// mask when it has transparency. The typesetter has checked format and pixel count from
// the header (typeset::probe_image) before anything gets here.
#pragma once

#include <string>

#include "pdf/pdf_file.hpp"
#include "typeset/typeset.hpp"

namespace warraq::pdf {

// Writes `image.path` as image XObject `id` (and its soft mask, a new object, if any).
// False, with a one-line reason in `error`, when the file cannot be read or decoded.
bool write_image(PdfFile& file, int id, const typeset::Image& image, std::string& error);

}  // namespace warraq::pdf
