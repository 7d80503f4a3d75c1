// One edition, start to finish, on one worker: read, resolve the layout, consult the cache,
// write each output atomically, record the cache entry.
#include <chrono>
#include <fstream>
#include <set>

#include "epub/epub.hpp"
#include "input/input.hpp"
#include "internal.hpp"
#include "io/io.hpp"
#include "json.hpp"
#include "pdf/pdf.hpp"
#include "sha256.hpp"

namespace warraq::batch {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool stopping(const Options& options) { return options.stop && options.stop->load() != 0; }

// The fonts a worker typesets with, as the cache key sees them: a new font package version
// changes every output.
std::string fonts_key(const typeset::FontSet& fonts) {
  Sha256 h;
  for (const auto& f : fonts.files()) {
    std::error_code ec;
    const auto size = fs::file_size(f.path, ec);
    h.update(f.family + "\t" + f.style + "\t" + f.path.string() + "\t" + std::to_string(f.index) +
             "\t" + f.version + "\t" + f.package + "\t" + std::to_string(ec ? 0 : size) + "\n");
  }
  return h.hex();
}

// Every file the edition was made from: the inputs, the article files they refer to and the
// figures. A change to any of them rebuilds the edition.
std::set<std::string> dependencies(const Job& job, const model::Edition& edition) {
  std::set<std::string> files;
  for (const auto& p : job.inputs) files.insert(p.string());
  for (const auto& section : edition.sections)
    for (const auto& article : section.articles) {
      if (!article.where.file.empty()) files.insert(article.where.file);
      for (const auto& block : article.body)
        if (block.kind == model::BlockKind::figure && !block.figure.src.empty())
          files.insert(block.figure.src);
    }
  return files;
}

fs::path cache_dir(const Options& options) { return options.output_dir / ".warraq-cache"; }
fs::path record_path(const Options& options, const std::string& name) {
  return cache_dir(options) / (name + ".json");
}

std::optional<json::Value> read_record(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string error;
  return json::parse(text, error);
}

// The cache entry goes in last, atomically: its presence vouches for complete outputs.
bool write_record(const fs::path& path, const json::Value& record) {
  std::string error;
  return io::write_file(path, json::write(record), error);
}

// Up to date when the key matches and every recorded output is still there, unchanged.
bool up_to_date(const json::Value& record, const std::string& key, const Options& options,
                EditionReport& report) {
  if (record["key"].str() != key) return false;
  std::vector<OutputFile> outputs;
  for (const auto& o : record["outputs"].array()) {
    OutputFile f;
    f.format = o["format"].str() == "epub" ? Format::epub : Format::pdf;
    f.path = o["path"].str();
    f.bytes = static_cast<std::uintmax_t>(o["bytes"].num());
    f.sha256 = o["sha256"].str();
    const fs::path file = options.output_dir / f.path;
    std::error_code ec;
    if (fs::file_size(file, ec) != f.bytes || ec) return false;
    if (sha256_file(file) != f.sha256) return false;
    outputs.push_back(std::move(f));
  }
  report.outputs = std::move(outputs);
  report.pages = static_cast<int>(record["pages"].num());
  return true;
}

json::Value record_of(const std::string& key, const EditionReport& report) {
  json::Array outputs;
  for (const auto& o : report.outputs)
    outputs.push_back(json::Object{{"format", std::string(format_name(o.format))},
                                   {"path", o.path},
                                   {"bytes", static_cast<unsigned long long>(o.bytes)},
                                   {"sha256", o.sha256}});
  return json::Object{{"warraq-cache", 1},
                      {"name", report.name},
                      {"key", key},
                      {"pages", report.pages},
                      {"outputs", std::move(outputs)}};
}

// Removes an output from the in-flight list however the write ends.
class InFlight {
 public:
  explicit InFlight(fs::path path) : path_(std::move(path)) { inflight_add(path_); }
  ~InFlight() { inflight_remove(path_); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  fs::path path_;
};

}  // namespace

EditionReport build_edition(const Job& job, Shared& shared, Worker& worker) {
  const Options& options = shared.options;
  const auto start = Clock::now();
  EditionReport report;
  report.name = job.name;
  report.index = job.index;
  for (const auto& p : job.inputs) report.inputs.push_back(p.generic_string());
  model::Diagnostics diagnostics;
  const auto finish = [&](Status status) {
    report.status = status;
    report.diagnostics = diagnostics.all();
    report.seconds.total = since(start);
    return std::move(report);
  };

  // Read.
  auto edition = read_job(job, diagnostics);
  report.seconds.read = since(start);
  if (!edition) return finish(Status::failed);
  report.date = edition->date.iso();
  report.sections = edition->sections.size();
  report.articles = edition->article_count();

  // Layout (shared) and fonts (this worker's).
  report.layout = !job.layout.empty()        ? job.layout
                  : !edition->layout.empty() ? edition->layout
                                             : "a4-digest";
  const LayoutCache::Entry& layout = shared.layouts.get(report.layout);
  for (const auto& d : layout.diagnostics.all()) diagnostics.add(d);
  if (!layout.layout) return finish(Status::failed);
  if (!worker.loaded) {
    worker.loaded = true;
    worker.fonts = typeset::FontSet::load(shared.data_dir / "fonts", worker.font_diagnostics);
    if (worker.fonts) worker.fonts_key = fonts_key(*worker.fonts);
  }
  for (const auto& d : worker.font_diagnostics.all()) diagnostics.add(d);
  if (!worker.fonts || !worker.fonts->check_layout(*layout.layout, diagnostics))
    return finish(Status::failed);

  // Output names.
  std::vector<std::pair<Format, std::string>> targets;
  for (Format format : job.formats) {
    std::string error;
    auto name = expand_output(job.output, job.name, *edition, report.layout, error);
    if (!name) {
      diagnostics.error("batch-output", job.where, "output name: " + error);
      return finish(Status::failed);
    }
    targets.emplace_back(format, *name + "." + std::string(format_name(format)));
  }

  // The cache key: everything the outputs are a function of.
  const std::int64_t time = options.source_date_epoch.value_or(edition->date.unix_seconds());
  Sha256 key;
  key.update("warraq-batch-cache 1\nversion " WARRAQ_VERSION "\n");
  for (const auto& file : dependencies(job, *edition)) {
    auto digest = sha256_file(file);
    key.update("file " + file + " " + digest.value_or("unreadable") + "\n");
  }
  key.update("layout " + report.layout + " " + layout.sha256 + "\n");
  key.update("fonts " + worker.fonts_key + "\n");
  key.update("time " + std::to_string(time) + "\n");
  key.update("title " + job.title + "\ndate " + (job.date ? job.date->iso() : "") + "\n");
  key.update("digits " + std::to_string(job.digits ? static_cast<int>(*job.digits) : -1) + "\n");
  key.update("justify " +
             std::to_string(job.justification ? static_cast<int>(*job.justification) : -1) + "\n");
  key.update(std::string("bad-input ") + (job.skip_bad_inputs ? "skip" : "fail") + "\n");
  for (const auto& [format, name] : targets) key.update("output " + name + "\n");
  const std::string cache_key = key.hex();

  const fs::path record = record_path(options, job.name);
  if (!options.force)
    if (auto previous = read_record(record);
        previous && up_to_date(*previous, cache_key, options, report))
      return finish(Status::up_to_date);

  // Build. The old record goes first: from here on the outputs are being replaced.
  std::error_code ec;
  fs::create_directories(cache_dir(options), ec);
  fs::remove(record, ec);
  for (const auto& [format, name] : targets) {
    if (stopping(options)) return finish(Status::cancelled);
    const fs::path path = options.output_dir / name;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      diagnostics.error("output-unwritable", {path.parent_path().string()},
                        "cannot create the folder: " + ec.message());
      return finish(Status::failed);
    }
    remove_stale_temporaries(path);
    const auto began = Clock::now();
    model::Diagnostics own;
    bool written = false;
    {
      InFlight inflight(path);
      if (format == Format::pdf) {
        pdf::Options o;
        o.creation_time = time;
        o.typesetting.digits = job.digits;
        o.typesetting.justification = job.justification;
        pdf::Result result;
        written = pdf::write_pdf(*edition, *layout.layout, *worker.fonts, o, path, own, &result);
        if (written) report.pages = result.pages;
        report.seconds.pdf = since(began);
      } else {
        epub::Options o;
        o.modified_time = time;
        o.digits = job.digits;
        written = epub::write_epub(*edition, *layout.layout, *worker.fonts, o, path, own);
        report.seconds.epub = since(began);
      }
    }
    for (const auto& d : own.all()) diagnostics.add(d);
    if (!written) return finish(Status::failed);
    OutputFile out;
    out.format = format;
    out.path = name;
    out.bytes = fs::file_size(path, ec);
    out.sha256 = sha256_file(path).value_or("");
    report.outputs.push_back(std::move(out));
  }
  if (!write_record(record, record_of(cache_key, report)))
    diagnostics.warning("batch-cache", {record.string()},
                        "cannot write the cache entry; the edition will be rebuilt next time");
  return finish(Status::built);
}

}  // namespace warraq::batch
