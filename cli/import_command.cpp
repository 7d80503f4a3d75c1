// warraq import: scraped text, NITF, RSS and Atom (and native editions) to the native format.
#include <iostream>

#include "command.hpp"
#include "input/input.hpp"

namespace warraq::cli {
namespace {

struct ImportArguments {
  std::vector<std::string> inputs;
  std::string output;
  std::string from;
  bool keep_going = false;
  bool verbose = false;
};

int run_import(const ImportArguments& args) {
  model::Diagnostics diagnostics;
  std::vector<input::Dropped> dropped;
  std::vector<std::filesystem::path> paths(args.inputs.begin(), args.inputs.end());
  const auto edition = input::read_inputs(paths, input::parse_format(args.from), args.keep_going,
                                          diagnostics, args.verbose ? &dropped : nullptr);
  // What the importers left out on purpose, for an editor checking a feed: "file:line: dropped".
  for (const auto& d : dropped) std::cerr << d.where.to_string() << ": dropped: " << d.what << "\n";
  if (!edition) return print(diagnostics);
  const bool written = input::write_native(*edition, args.output, diagnostics);
  const int status = print(diagnostics);
  if (!written) return failure;
  if (args.verbose)
    std::cerr << "wrote " << edition->article_count() << " article(s) in "
              << edition->sections.size() << " section(s) to " << args.output << "\n";
  return status;
}

const bool import_registered = register_command(25, [](CLI::App& app) {
  auto args = std::make_shared<ImportArguments>();
  auto* command =
      app.add_subcommand("import", "Convert scraped text, NITF, RSS or Atom to Warraq XML");
  command->add_option("INPUT", args->inputs, "Input files, joined into one edition in order")
      ->required()
      ->check(CLI::ExistingFile);
  command
      ->add_option("-o,--output", args->output,
                   "Output folder (edition.xml and articles/), or the edition file's path")
      ->required();
  command->add_option("--from", args->from, "Input format (default: detected from the content)")
      ->check(CLI::IsMember({"native", "scraped", "nitf", "rss", "atom"}));
  command->add_flag("--keep-going", args->keep_going,
                    "Report a bad input and build the edition from the others");
  command->add_flag("-v,--verbose", args->verbose,
                    "List what the importers dropped (scripts, event attributes, remote images)");
  return Registered{command, [args] { return run_import(*args); }};
});

}  // namespace
}  // namespace warraq::cli
