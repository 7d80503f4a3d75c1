// Shared pieces of the `warraq` program. Each command lives in its own cli/<name>_command.cpp
// and registers itself; main.cpp only parses and dispatches.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "model/model.hpp"
#include "typeset/typeset.hpp"

namespace warraq::cli {

// Exit statuses, documented in the README.
enum Exit : int { ok = 0, failure = 1, bad_input = 2 };

// Prints diagnostics one a line on standard error; bad_input if any is an error, else ok.
int print(const model::Diagnostics& diagnostics);

// SOURCE_DATE_EPOCH when set, else the edition's date: never the clock.
std::int64_t build_time(const model::Edition& edition);

std::optional<model::DigitStyle> digits_option(const std::string& value);

// The layout a run uses (the option, else the edition's, else a4-digest) and the font set.
struct Resources {
  model::Layout layout;
  std::shared_ptr<typeset::FontSet> fonts;
};
// The font set does not depend on the edition, so it loads on a second thread while the
// inputs are read (2-3 ms of a ~40 ms `warraq epub`). Its diagnostics join the others in
// load_resources, after the inputs', so the report does not depend on timing.
class FontsLoading {
 public:
  FontsLoading();
  ~FontsLoading();
  FontsLoading(const FontsLoading&) = delete;
  FontsLoading& operator=(const FontsLoading&) = delete;
  // Waits for the font set; its diagnostics go to `diagnostics`.
  std::shared_ptr<typeset::FontSet> get(model::Diagnostics& diagnostics);

 private:
  model::Diagnostics diagnostics_;
  std::future<std::shared_ptr<typeset::FontSet>> fonts_;
};

std::optional<Resources> load_resources(const std::string& layout_option,
                                        const std::string& edition_layout, FontsLoading& fonts,
                                        model::Diagnostics& diagnostics);

// A command adds its subcommand to the app and returns what runs it when it was chosen.
struct Registered {
  CLI::App* command = nullptr;
  std::function<int()> run;
};
using Setup = std::function<Registered(CLI::App& app)>;

// Called from a static initialiser in each command's file; `order` sorts --help.
bool register_command(int order, Setup setup);

}  // namespace warraq::cli
