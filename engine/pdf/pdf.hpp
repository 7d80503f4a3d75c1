// The PDF writer: draws the typesetter's frames on a Cairo PDF surface, with subset fonts,
// metadata, outline, links and page labels, written to a temporary file and renamed.
#pragma once

#include <cstdint>
#include <filesystem>

#include "model/model.hpp"
#include "typeset/typeset.hpp"

namespace warraq::pdf {

struct Options {
  std::int64_t creation_time = 0;  // Unix seconds; the CLI passes SOURCE_DATE_EPOCH or the edition date
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
