// Batch builds: many editions from a manifest or a folder, built by a pool of workers into
// one output folder, with a content-hash cache, a JSON report, deterministic shards for
// cluster schedulers, and a clean stop on SIGINT/SIGTERM (docs/batch.md, docs/scaling.md).
//
// The pipeline reads as run(): select the shard, start the workers; each worker takes the
// next job in source order, reads its inputs, resolves the layout (shared, loaded once),
// checks the cache, writes the PDF and the EPUB with its own font set, records the cache
// entry and the edition's report. Outputs depend only on the job, never on the worker or
// the number of workers.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace warraq::batch {

// ---------------------------------------------------------------------------------------
// Jobs: one per edition, as the source describes it.

enum class Format { pdf, epub };
std::string_view format_name(Format format);  // "pdf", "epub"

struct Job {
  std::string name;                           // unique in the source; {name} in output names
  std::size_t index = 0;                      // position in the whole source (before sharding)
  std::vector<std::filesystem::path> inputs;  // read in order into one edition
  std::string layout;                         // name or file; empty: the edition's, else a4-digest
  std::vector<Format> formats{Format::pdf, Format::epub};
  std::string output = "{name}";            // name pattern relative to OUTDIR, no extension
  std::optional<model::DigitStyle> digits;  // overrides the layout
  std::optional<model::Justification> justification;  // overrides the layout (PDF)
  bool skip_bad_inputs = true;      // a bad input (article) is left out; false: the edition fails
  std::string title;                // overrides the edition's title when not empty
  std::optional<model::Date> date;  // overrides the edition's date
  model::SourceLocation where;      // the manifest line, or the input file
};

// Reads SOURCE: a manifest file (docs/batch.md) or a folder whose every input file is one
// edition. Returns nullopt (with diagnostics naming file:line) when the source is unusable.
std::optional<std::vector<Job>> read_source(const std::filesystem::path& source,
                                            model::Diagnostics& diagnostics);

// The file names a folder source takes as inputs (by extension), in one place so a new
// importer is one line.
bool is_input_file(const std::filesystem::path& path);

// Expands an output pattern: {name}, {date} (YYYY-MM-DD), {year}, {month}, {day}, {layout},
// {locale}, {number}. Returns nullopt with `error` for an unknown token or a name that leaves
// the output folder.
std::optional<std::string> expand_output(const std::string& pattern, const std::string& name,
                                         const model::Edition& edition, const std::string& layout,
                                         std::string& error);

// ---------------------------------------------------------------------------------------
// Shards: job i of the name-sorted list goes to shard (i mod N) + 1, so every shard gets
// its share to within one edition and the split does not depend on the machine.

struct Shard {
  int index = 1;  // K, 1-based
  int count = 1;  // N
};
std::optional<Shard> parse_shard(std::string_view text);  // "K/N", 1 <= K <= N
std::vector<Job> select_shard(const std::vector<Job>& jobs, Shard shard);

// ---------------------------------------------------------------------------------------
// The report.

enum class Status { built, up_to_date, failed, cancelled };
std::string_view status_name(Status status);  // "built", "up-to-date", "failed", "cancelled"

struct OutputFile {
  Format format = Format::pdf;
  std::string path;  // relative to OUTDIR, '/'-separated
  std::uintmax_t bytes = 0;
  std::string sha256;
};

struct Timings {  // seconds; vary from run to run, unlike everything else in a report
  double read = 0, pdf = 0, epub = 0, total = 0;
};

struct EditionReport {
  std::string name;
  std::size_t index = 0;
  std::vector<std::string> inputs;
  Status status = Status::cancelled;
  std::string layout;  // the layout name or file used
  std::string date;    // the edition's date, YYYY-MM-DD
  std::size_t sections = 0, articles = 0;
  int pages = 0;
  std::vector<OutputFile> outputs;
  std::vector<model::Diagnostic> diagnostics;
  Timings seconds;
};

struct Totals {
  std::size_t editions = 0, built = 0, up_to_date = 0, failed = 0, cancelled = 0;
  std::size_t articles = 0, pages = 0, warnings = 0, errors = 0;
  std::uintmax_t bytes = 0;
};

struct Report {
  std::vector<EditionReport> editions;  // in source order (by index)
  // Facts of the run rather than of the editions; they differ between runs and shards.
  std::string shard = "1/1";
  unsigned workers = 0;
  double seconds = 0;
  bool interrupted = false;

  Totals totals() const;
};

std::string report_json(const Report& report);
std::optional<Report> parse_report(const std::string& text, const std::string& name,
                                   model::Diagnostics& diagnostics);
// Joins shard reports: editions by index (a name twice is an error), totals recomputed.
std::optional<Report> merge_reports(const std::vector<Report>& reports,
                                    model::Diagnostics& diagnostics);

// Exit statuses of `warraq batch` (docs/batch.md): 0 every edition built or up to date,
// 3 some failed and the rest built, 4 every edition failed; 128+signal when interrupted.
enum Exit : int { all_built = 0, some_built = 3, none_built = 4 };
int exit_status(const Report& report, int stop_signal);

// ---------------------------------------------------------------------------------------
// Running.

struct Progress {
  std::size_t total = 0;  // editions in this run
  std::size_t done = 0, built = 0, up_to_date = 0, failed = 0;
  std::size_t articles = 0;             // articles in the editions done
  double elapsed = 0;                   // seconds since the start
  const EditionReport* last = nullptr;  // the edition just finished
};

struct Options {
  std::filesystem::path output_dir;
  unsigned workers = 0;                           // 0: the number of hardware threads
  bool force = false;                             // rebuild even what the cache says is up to date
  std::optional<std::int64_t> source_date_epoch;  // else each edition's date
  Shard shard;                                    // recorded in the report
  // Polled between editions and between an edition's outputs: when set, workers finish
  // the output they are writing and take no more work.
  const std::atomic<int>* stop = nullptr;
  // Called (serialised) after each edition.
  std::function<void(const Progress&)> progress;
};

// Builds the jobs (already sharded); never throws for a bad edition, which fails alone.
Report run(const std::vector<Job>& jobs, const Options& options);

// Prints progress: a live line on a terminal (editions, articles, rate, time left), plain
// lines otherwise, and each edition's diagnostics.
std::function<void(const Progress&)> console_progress(bool terminal);

// SIGINT and SIGTERM for the lifetime of this object: the first one sets stop() (workers
// finish what they are writing, temporary files are removed, complete outputs stay); a
// second one removes the temporary files of the outputs being written and exits at once.
// Signals are handled by a thread of its own (sigtimedwait), so nothing runs in a signal
// handler. Construct it before any other thread starts.
class StopOnSignals {
 public:
  StopOnSignals();
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
  const std::atomic<int>& stop() const;  // the signal number, 0 until one arrives

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warraq::batch
