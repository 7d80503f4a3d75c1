#include "digest.hpp"

namespace warraq::epub {

std::vector<EmbeddedFont> embed_fonts(const Plan&, const typeset::FontSet&, const CodePoints&,
                                      model::Diagnostics&) {
  return {};
}

}  // namespace warraq::epub
