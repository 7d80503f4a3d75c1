// The EPUB packager: an EPUB 3 digest (with an EPUB 2 NCX) of an edition, right to left,
// packaged with libzip in a fixed order with fixed times, written atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "model/model.hpp"
#include "typeset/typeset.hpp"

namespace warraq::epub {

struct Options {
  std::int64_t modified_time = 0;  // Unix seconds for dcterms:modified and zip entry times
  bool embed_fonts = true;
  std::optional<model::DigitStyle> digits;  // overrides the layout
};

struct Result {
  std::size_t documents = 0;
  std::uintmax_t font_bytes_whole = 0;   // size of the source font files
  std::uintmax_t font_bytes_subset = 0;  // size embedded after subsetting
};

bool write_epub(const model::Edition& edition, const model::Layout& layout,
                const typeset::FontSet& fonts, const Options& options,
                const std::filesystem::path& output, model::Diagnostics& diagnostics,
                Result* result = nullptr);

}  // namespace warraq::epub
