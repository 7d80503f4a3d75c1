// warraq batch SOURCE -o OUTDIR: many editions with a pool of workers (engine/batch).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <thread>

#include "batch/batch.hpp"
#include "command.hpp"
#include "io/io.hpp"

namespace warraq::cli {
namespace {

struct BatchArguments {
  std::string source;
  std::string output;
  unsigned jobs = 0;
  std::string report;
  bool force = false;
  std::string shard = "1/1";
};

std::optional<std::int64_t> source_date_epoch() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    const long long value = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && value >= 0) return value;
  }
  return std::nullopt;
}

int run_batch(const BatchArguments& args) {
  // First, before any thread exists, so that every worker inherits the blocked signals.
  batch::StopOnSignals signals;
  const auto shard = batch::parse_shard(args.shard);
  if (!shard) {
    std::cerr << "warraq: error: --shard expects K/N with 1 <= K <= N, not '" << args.shard
              << "'\n";
    return bad_input;
  }
  model::Diagnostics diagnostics;
  auto jobs = batch::read_source(args.source, diagnostics);
  print(diagnostics);
  if (!jobs) return bad_input;
  std::error_code ec;
  std::filesystem::create_directories(args.output, ec);
  if (ec || !std::filesystem::is_directory(args.output)) {
    std::cerr << args.output << ": error: cannot create the output folder"
              << (ec ? ": " + ec.message() : "") << " [output-unwritable]\n";
    return failure;
  }

  batch::Options options;
  options.output_dir = args.output;
  options.workers = args.jobs;
  options.force = args.force;
  options.source_date_epoch = source_date_epoch();
  options.shard = *shard;
  options.stop = &signals.stop();
  options.progress = batch::console_progress(::isatty(STDERR_FILENO) == 1);
  const auto selected = batch::select_shard(*jobs, *shard);
  const batch::Report report = batch::run(selected, options);

  const auto t = report.totals();
  std::cerr << "warraq batch: " << t.built << " built, " << t.up_to_date << " up to date, "
            << t.failed << " failed";
  if (t.cancelled) std::cerr << ", " << t.cancelled << " not done (interrupted)";
  std::cerr << " of " << t.editions << " edition(s) in " << report.seconds << " s\n";
  std::string report_error;
  if (!args.report.empty() &&
      !io::write_file(args.report, batch::report_json(report), report_error)) {
    std::cerr << args.report << ": error: cannot write the report [output-unwritable]\n";
    return failure;
  }
  return batch::exit_status(report, signals.stop().load());
}

const bool batch_registered = register_command(60, [](CLI::App& app) {
  auto args = std::make_shared<BatchArguments>();
  auto* command = app.add_subcommand(
      "batch",
      "Build many editions (a manifest or a folder) to PDF and EPUB with a pool of workers");
  command
      ->add_option("SOURCE", args->source,
                   "Manifest file (docs/batch.md) or a folder whose every input file is an "
                   "edition")
      ->required()
      ->check(CLI::ExistingPath);
  command->add_option("-o,--output", args->output, "Output folder")->required();
  command->add_option("-j,--jobs", args->jobs, "Workers (default: the number of cores)")
      ->check(CLI::Range(1u, 1024u));
  command->add_option("--report", args->report, "Write a JSON report of the run to FILE");
  command->add_flag("--force", args->force, "Rebuild editions the cache says are up to date");
  command->add_option("--shard", args->shard,
                      "Build only share K of N (K/N, 1-based) for N parallel jobs");
  command->footer(
      "Exit status: 0 every edition built or up to date; 2 usage error or unusable source; 1 "
      "the output folder or report cannot be written; 3 some editions failed, the rest were "
      "built; 4 every edition failed; 130/143 interrupted by SIGINT/SIGTERM (complete outputs "
      "stay, a rerun finishes the rest).");
  return Registered{command, [args] { return run_batch(*args); }};
});

}  // namespace
}  // namespace warraq::cli
