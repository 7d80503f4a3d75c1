// warraq report merge A.json B.json... -o OUT.json: joins the reports of shards.
#include <fstream>
#include <iostream>
#include <sstream>

#include "batch/batch.hpp"
#include "command.hpp"
#include "io/io.hpp"

namespace warraq::cli {
namespace {

struct ReportArguments {
  std::vector<std::string> inputs;
  std::string output;
};

int run_merge(const ReportArguments& args) {
  model::Diagnostics diagnostics;
  std::vector<batch::Report> reports;
  for (const auto& name : args.inputs) {
    std::ifstream in(name, std::ios::binary);
    if (!in) {
      diagnostics.error("report-unreadable", {name}, "cannot read the report");
      continue;
    }
    std::stringstream text;
    text << in.rdbuf();
    if (auto r = batch::parse_report(text.str(), name, diagnostics))
      reports.push_back(std::move(*r));
  }
  if (diagnostics.has_errors()) return print(diagnostics);
  auto merged = batch::merge_reports(reports, diagnostics);
  if (!merged) return print(diagnostics);
  std::string error;
  if (!io::write_file(args.output, batch::report_json(*merged), error)) {
    std::cerr << args.output << ": error: cannot write the report: " << error
              << " [output-unwritable]\n";
    return failure;
  }
  return ok;
}

const bool report_registered = register_command(70, [](CLI::App& app) {
  auto args = std::make_shared<ReportArguments>();
  auto* command = app.add_subcommand("report", "Work with batch reports");
  command->require_subcommand(1);
  auto* merge = command->add_subcommand(
      "merge", "Join the reports of `warraq batch --shard K/N` runs into one");
  merge->add_option("REPORT", args->inputs, "Shard reports (JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  merge->add_option("-o,--output", args->output, "Merged report")->required();
  return Registered{merge, [args] { return run_merge(*args); }};
});

}  // namespace
}  // namespace warraq::cli
