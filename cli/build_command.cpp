// warraq pdf / warraq epub: one edition to a PDF or an EPUB digest.
#include <iostream>

#include "command.hpp"
#include "epub/epub.hpp"
#include "input/input.hpp"
#include "pdf/pdf.hpp"

namespace warraq::cli {
namespace {

// A build that stopped on the input (a missing image, an unknown font) is bad input (2);
// one that stopped while writing (no such folder, disk full) is a failure (1).
int failure_status(const model::Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.all())
    if (d.severity == model::Severity::error &&
        (d.code == "output-unwritable" || d.code == "pdf-write" || d.code.rfind("epub-", 0) == 0 ||
         d.code.rfind("zip-", 0) == 0))
      return failure;
  return diagnostics.has_errors() ? bad_input : failure;
}

struct BuildArguments {
  std::vector<std::string> inputs;
  std::string from;
  bool keep_going = false;
  std::string output;
  std::string layout;
  std::string justify;
  std::string digits;
};

// Any supported input (detected, or --from), several joined into one edition in order.
std::optional<model::Edition> read_inputs(const BuildArguments& args,
                                          model::Diagnostics& diagnostics) {
  const std::vector<std::filesystem::path> paths(args.inputs.begin(), args.inputs.end());
  return input::read_inputs(paths, input::parse_format(args.from), args.keep_going, diagnostics);
}

int run_pdf(const BuildArguments& args) {
  model::Diagnostics diagnostics;
  FontsLoading fonts;
  auto edition = read_inputs(args, diagnostics);
  if (!edition) return print(diagnostics);
  auto resources = load_resources(args.layout, edition->layout, fonts, diagnostics);
  if (!resources) return print(diagnostics);
  pdf::Options options;
  options.creation_time = build_time(*edition);
  options.typesetting.digits = digits_option(args.digits);
  if (args.justify == "kashida") options.typesetting.justification = model::Justification::kashida;
  if (args.justify == "spaces") options.typesetting.justification = model::Justification::spaces;
  if (args.justify == "none") options.typesetting.justification = model::Justification::none;
  const bool written = pdf::write_pdf(*edition, resources->layout, *resources->fonts, options,
                                      args.output, diagnostics);
  print(diagnostics);
  return written ? ok : failure_status(diagnostics);
}

int run_epub(const BuildArguments& args) {
  model::Diagnostics diagnostics;
  FontsLoading fonts;
  auto edition = read_inputs(args, diagnostics);
  if (!edition) return print(diagnostics);
  auto resources = load_resources(args.layout, edition->layout, fonts, diagnostics);
  if (!resources) return print(diagnostics);
  epub::Options options;
  options.modified_time = build_time(*edition);
  options.digits = digits_option(args.digits);
  const bool written = epub::write_epub(*edition, resources->layout, *resources->fonts, options,
                                        args.output, diagnostics);
  print(diagnostics);
  return written ? ok : failure_status(diagnostics);
}

void add_build_options(CLI::App* command, BuildArguments& args, bool pdf) {
  command
      ->add_option("INPUT", args.inputs,
                   "Edition or article (Warraq XML), NITF, RSS, Atom or scraped text; several "
                   "make one edition")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--from", args.from, "Input format (default: detected from the content)")
      ->check(CLI::IsMember({"native", "scraped", "nitf", "rss", "atom"}));
  command->add_flag("--keep-going", args.keep_going,
                    "Report a bad input and build the edition from the others");
  command->add_option("-o,--output", args.output, "Output file")->required();
  command->add_option("--layout", args.layout,
                      "Layout name from layouts/ or a layout file (default: the edition's, "
                      "else a4-digest)");
  command->add_option("--digits", args.digits, "Digit shapes: latn (0-9) or arab (٠-٩)")
      ->check(CLI::IsMember({"latn", "arab"}));
  if (pdf)
    command->add_option("--justify", args.justify, "Justification: kashida, spaces or none")
        ->check(CLI::IsMember({"kashida", "spaces", "none"}));
}

const bool pdf_registered = register_command(10, [](CLI::App& app) {
  auto args = std::make_shared<BuildArguments>();
  auto* command = app.add_subcommand("pdf", "Typeset an edition to a PDF");
  add_build_options(command, *args, true);
  return Registered{command, [args] { return run_pdf(*args); }};
});

const bool epub_registered = register_command(20, [](CLI::App& app) {
  auto args = std::make_shared<BuildArguments>();
  auto* command = app.add_subcommand("epub", "Package an edition as an EPUB 3 digest");
  add_build_options(command, *args, false);
  return Registered{command, [args] { return run_epub(*args); }};
});

}  // namespace
}  // namespace warraq::cli
