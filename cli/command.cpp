#include "command.hpp"

#include <cstdlib>
#include <iostream>
#include <map>

#include "input/input.hpp"

namespace warraq::cli {

int print(const model::Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.all()) std::cerr << d.to_string() << "\n";
  return diagnostics.has_errors() ? bad_input : ok;
}

std::int64_t build_time(const model::Edition& edition) {
  // reproducible-builds.org's convention wins; otherwise the edition's own date.
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    const long long value = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && value >= 0) return value;
  }
  return edition.date.unix_seconds();
}

std::optional<model::DigitStyle> digits_option(const std::string& value) {
  if (value == "latn") return model::DigitStyle::western;
  if (value == "arab") return model::DigitStyle::arabic_indic;
  return std::nullopt;
}

FontsLoading::FontsLoading()
    : fonts_(std::async(std::launch::async, [this] {
        return typeset::FontSet::load(input::data_dir() / "fonts", diagnostics_);
      })) {}

FontsLoading::~FontsLoading() {
  if (fonts_.valid()) fonts_.wait();
}

std::shared_ptr<typeset::FontSet> FontsLoading::get(model::Diagnostics& diagnostics) {
  auto fonts = fonts_.get();
  for (const auto& d : diagnostics_.all()) diagnostics.add(d);
  return fonts;
}

std::optional<Resources> load_resources(const std::string& layout_option,
                                        const std::string& edition_layout, FontsLoading& loading,
                                        model::Diagnostics& diagnostics) {
  const std::filesystem::path data = input::data_dir();
  std::string name = layout_option;
  if (name.empty()) name = edition_layout.empty() ? "a4-digest" : edition_layout;
  auto layout = input::read_layout(input::resolve_layout(name, data / "layouts"), diagnostics);
  if (!layout) return std::nullopt;
  auto fonts = loading.get(diagnostics);
  if (!fonts || !fonts->check_layout(*layout, diagnostics)) return std::nullopt;
  return Resources{std::move(*layout), std::move(fonts)};
}

std::multimap<int, Setup>& registry() {
  static std::multimap<int, Setup> commands;
  return commands;
}

bool register_command(int order, Setup setup) {
  registry().emplace(order, std::move(setup));
  return true;
}

}  // namespace warraq::cli
