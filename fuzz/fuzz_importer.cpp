// libFuzzer entry point for one importer, chosen at build time with WARRAQ_FUZZ_FORMAT
// (scraped, nitf, rss or atom). The same file links into a plain replay program that runs
// the seed corpus (tests/data/import) as an ordinary test, so every seed stays a regression
// test even where clang and libFuzzer are not installed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "input/input.hpp"

#ifndef WARRAQ_FUZZ_FORMAT
#error "define WARRAQ_FUZZ_FORMAT as scraped, nitf, rss or atom"
#endif
#define WARRAQ_STRINGIFY2(x) #x
#define WARRAQ_STRINGIFY(x) WARRAQ_STRINGIFY2(x)

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto format = warraq::input::parse_format(WARRAQ_STRINGIFY(WARRAQ_FUZZ_FORMAT));
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  warraq::model::Diagnostics diagnostics;
  std::vector<warraq::input::Dropped> dropped;
  // A folder that cannot exist, so no image path ever resolves to a host file.
  const auto edition =
      warraq::input::read_any_text(bytes, "/dev/null/fuzz/input", format, diagnostics, &dropped);
  // The importer's contract: an edition, or at least one error saying why not.
  if (!edition && !diagnostics.has_errors()) __builtin_trap();
  if (edition) {
    // Every imported edition is one the typesetter may rely on: a headline and a body.
    for (const auto& section : edition->sections)
      for (const auto& article : section.articles)
        if (article.headline.empty() || article.body.empty() || article.id.empty())
          __builtin_trap();
    for (const auto& d : diagnostics.all())
      if (d.severity == warraq::model::Severity::error) __builtin_trap();
  }
  return 0;
}
