// warraq check / warraq fonts: reading inputs and layouts without building anything.
#include <iostream>

#include "command.hpp"
#include "input/input.hpp"

namespace warraq::cli {
namespace {

int run_check(const std::vector<std::string>& inputs, const std::string& from) {
  int status = ok;
  for (const auto& input : inputs) {
    model::Diagnostics diagnostics;
    const auto edition = input::read_any(input, input::parse_format(from), diagnostics);
    print(diagnostics);
    if (!edition) {
      status = bad_input;
      continue;
    }
    std::cout << input << ": ok, " << edition->sections.size() << " section(s), "
              << edition->article_count() << " article(s)\n";
  }
  return status;
}

// What each role of a layout resolves to in the private font set: the check a designer makes
// before a run, and the answer to "which file is this PDF's font".
int run_fonts(const std::string& layout_arg) {
  model::Diagnostics diagnostics;
  const std::filesystem::path data = input::data_dir();
  auto layout =
      input::read_layout(input::resolve_layout(layout_arg, data / "layouts"), diagnostics);
  if (!layout) return print(diagnostics);
  auto fonts = typeset::FontSet::load(data / "fonts", diagnostics);
  if (!fonts) return print(diagnostics);
  const bool complete = fonts->check_layout(*layout, diagnostics);
  auto show = [&](const std::string& role, const std::string& family, int weight, bool italic) {
    std::cout << role << ": " << family << " " << weight << (italic ? " italic" : "") << " -> ";
    if (const auto file = fonts->match(family, weight, italic))
      std::cout << file->path.string() << " (" << file->family << " " << file->style << ", version "
                << file->version << ", " << file->package << ")\n";
    else
      std::cout << "missing\n";
  };
  for (const auto& [name, role] : layout->roles) show(name, role.family, role.weight, role.italic);
  if (!layout->latin_family.empty()) show("latin", layout->latin_family, 400, false);
  print(diagnostics);
  return complete ? ok : bad_input;
}

const bool check_registered = register_command(30, [](CLI::App& app) {
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto from = std::make_shared<std::string>();
  auto* command = app.add_subcommand("check", "Read inputs and report every problem found");
  command->add_option("INPUT", *inputs, "Edition, article, NITF, RSS, Atom or scraped files")
      ->required();
  command->add_option("--from", *from, "Input format (default: detected from the content)")
      ->check(CLI::IsMember({"native", "scraped", "nitf", "rss", "atom"}));
  return Registered{command, [inputs, from] { return run_check(*inputs, *from); }};
});

const bool fonts_registered = register_command(40, [](CLI::App& app) {
  auto layout = std::make_shared<std::string>();
  auto* command = app.add_subcommand("fonts", "Show the font file each role of a layout uses");
  command->add_option("--layout", *layout, "Layout name from layouts/ or a layout file")
      ->required();
  return Registered{command, [layout] { return run_fonts(*layout); }};
});

}  // namespace
}  // namespace warraq::cli
