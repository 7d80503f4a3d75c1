// The PDF writer: writes the typesetter's frames as PDF content streams, with subset fonts,
// metadata, outline, links, page labels and tagged structure, to a temporary file renamed
// into place.
#pragma once

#include <cstdint>
#include <filesystem>

#include "model/model.hpp"
#include "typeset/typeset.hpp"

namespace warraq::pdf {

struct Options {
  std::int64_t creation_time =
      0;  // Unix seconds; the CLI passes SOURCE_DATE_EPOCH or the edition date
  typeset::Options typesetting;
};

struct Result {
  int pages = 0;
  typeset::Statistics statistics;
};

// Typesets the edition and writes the PDF to `output` atomically: nothing is left at
// `output` (nor a temporary file) when any error is reported.
bool write_pdf(const model::Edition& edition, const model::Layout& layout,
               const typeset::FontSet& fonts, const Options& options,
               const std::filesystem::path& output, model::Diagnostics& diagnostics,
               Result* result = nullptr);

}  // namespace warraq::pdf
