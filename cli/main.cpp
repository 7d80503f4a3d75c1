// The `warraq` program: parses the command line and calls the engine. No typesetting,
// parsing or packaging happens here; only argument handling, diagnostics printing and
// exit statuses (documented in the README).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "epub/epub.hpp"
#include "input/input.hpp"
#include "pdf/pdf.hpp"
#include "typeset/typeset.hpp"

namespace {

namespace fs = std::filesystem;
using warraq::model::Diagnostics;

enum Exit : int { ok = 0, failure = 1, bad_input = 2 };

int print(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.all()) std::cerr << d.to_string() << "\n";
  return diagnostics.has_errors() ? bad_input : ok;
}

// SOURCE_DATE_EPOCH wins (reproducible-builds.org); otherwise the edition's own date, never
// the clock, so the same input always gives the same bytes.
std::int64_t build_time(const warraq::model::Edition& edition) {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    const long long value = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && value >= 0) return value;
  }
  return edition.date.unix_seconds();
}

struct BuildArguments {
  std::string input;
  std::string output;
  std::string layout;
  std::string justify;
  std::string digits;
};

struct Loaded {
  warraq::model::Edition edition;
  warraq::model::Layout layout;
  std::shared_ptr<warraq::typeset::FontSet> fonts;
};

std::optional<Loaded> load(const BuildArguments& args, Diagnostics& diagnostics) {
  auto edition = warraq::input::read_edition(args.input, diagnostics);
  if (!edition) return std::nullopt;
  const fs::path data = warraq::input::data_dir();
  std::string layout_name = args.layout;
  if (layout_name.empty()) layout_name = edition->layout.empty() ? "a4-digest" : edition->layout;
  const fs::path layout_path = warraq::input::resolve_layout(layout_name, data / "layouts");
  auto layout = warraq::input::read_layout(layout_path, diagnostics);
  if (!layout) return std::nullopt;
  auto fonts = warraq::typeset::FontSet::load(data / "fonts", diagnostics);
  if (!fonts || !fonts->check_layout(*layout, diagnostics)) return std::nullopt;
  return Loaded{std::move(*edition), std::move(*layout), std::move(fonts)};
}

std::optional<warraq::model::DigitStyle> digits_option(const std::string& value) {
  if (value == "latn") return warraq::model::DigitStyle::western;
  if (value == "arab") return warraq::model::DigitStyle::arabic_indic;
  return std::nullopt;
}

int run_pdf(const BuildArguments& args) {
  Diagnostics diagnostics;
  auto loaded = load(args, diagnostics);
  if (!loaded) return print(diagnostics);
  warraq::pdf::Options options;
  options.creation_time = build_time(loaded->edition);
  options.typesetting.digits = digits_option(args.digits);
  if (args.justify == "kashida")
    options.typesetting.justification = warraq::model::Justification::kashida;
  if (args.justify == "spaces")
    options.typesetting.justification = warraq::model::Justification::spaces;
  if (args.justify == "none")
    options.typesetting.justification = warraq::model::Justification::none;
  const bool written = warraq::pdf::write_pdf(loaded->edition, loaded->layout, *loaded->fonts,
                                              options, args.output, diagnostics);
  print(diagnostics);
  if (!written) return diagnostics.has_errors() ? failure : failure;
  return ok;
}

int run_epub(const BuildArguments& args) {
  Diagnostics diagnostics;
  auto loaded = load(args, diagnostics);
  if (!loaded) return print(diagnostics);
  warraq::epub::Options options;
  options.modified_time = build_time(loaded->edition);
  options.digits = digits_option(args.digits);
  const bool written = warraq::epub::write_epub(loaded->edition, loaded->layout, *loaded->fonts,
                                                options, args.output, diagnostics);
  print(diagnostics);
  return written ? ok : failure;
}

// What each role of a layout resolves to in the private font set: the check a designer makes
// before a run, and the answer to "which file is this PDF's font".
int run_fonts(const std::string& layout_arg) {
  Diagnostics diagnostics;
  const fs::path data = warraq::input::data_dir();
  auto layout = warraq::input::read_layout(
      warraq::input::resolve_layout(layout_arg, data / "layouts"), diagnostics);
  if (!layout) return print(diagnostics);
  auto fonts = warraq::typeset::FontSet::load(data / "fonts", diagnostics);
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

int run_check(const std::vector<std::string>& inputs) {
  int status = ok;
  for (const auto& input : inputs) {
    Diagnostics diagnostics;
    const auto edition = warraq::input::read_edition(input, diagnostics);
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

void add_build_options(CLI::App* command, BuildArguments& args, bool pdf) {
  command->add_option("INPUT", args.input, "Edition or article file (Warraq XML)")
      ->required()
      ->check(CLI::ExistingFile);
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Warraq: right-to-left news editions as PDF and EPUB", "warraq"};
  app.set_version_flag("-V,--version", "warraq " WARRAQ_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success; 1 the output could not be written; 2 usage error or bad "
      "input (no output file is left behind).");

  BuildArguments pdf_args, epub_args;
  auto* pdf = app.add_subcommand("pdf", "Typeset an edition to a PDF");
  add_build_options(pdf, pdf_args, true);
  auto* epub = app.add_subcommand("epub", "Package an edition as an EPUB 3 digest");
  add_build_options(epub, epub_args, false);
  std::vector<std::string> check_inputs;
  auto* check = app.add_subcommand("check", "Read inputs and report every problem found");
  check->add_option("INPUT", check_inputs, "Edition or article files")->required();

  std::string fonts_layout;
  auto* fonts = app.add_subcommand("fonts", "Show the font file each role of a layout uses");
  fonts->add_option("--layout", fonts_layout, "Layout name from layouts/ or a layout file")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "warraq: error: " << e.what() << " (run 'warraq --help')\n";
    return bad_input;
  }

  try {
    if (*pdf) return run_pdf(pdf_args);
    if (*epub) return run_epub(epub_args);
    if (*check) return run_check(check_inputs);
    if (*fonts) return run_fonts(fonts_layout);
  } catch (const std::exception& e) {
    std::cerr << "warraq: internal error: " << e.what() << "\n";
    return failure;
  }
  return bad_input;
}
