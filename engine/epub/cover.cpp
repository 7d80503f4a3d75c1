#include "digest.hpp"

namespace warraq::epub {

std::optional<Cover> draw_cover(const Plan&, const typeset::FontSet&, model::Diagnostics&) {
  return std::nullopt;
}

}  // namespace warraq::epub
