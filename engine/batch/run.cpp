// The worker pool: N threads take the next job in source order until none is left or a stop
// is asked for. Each edition's report lands in its own slot, so the report (and every
// output) is the same whatever N is and whichever worker built what.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include "input/input.hpp"
#include "internal.hpp"
#include "sha256.hpp"

namespace warraq::batch {
namespace fs = std::filesystem;

const LayoutCache::Entry& LayoutCache::get(const std::string& name_or_path) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = entries_[name_or_path];
  if (!slot) {
    slot = std::make_unique<Entry>();
    const fs::path path = input::resolve_layout(name_or_path, dir_);
    slot->layout = input::read_layout(path, slot->diagnostics);
    slot->sha256 = sha256_file(path).value_or("");
  }
  return *slot;
}

namespace {

std::mutex inflight_mutex;
std::multiset<std::string>& inflight() {
  static std::multiset<std::string> paths;
  return paths;
}

}  // namespace

void inflight_add(const fs::path& output) {
  std::lock_guard<std::mutex> lock(inflight_mutex);
  inflight().insert(output.string());
}

void inflight_remove(const fs::path& output) {
  std::lock_guard<std::mutex> lock(inflight_mutex);
  if (auto it = inflight().find(output.string()); it != inflight().end()) inflight().erase(it);
}

void inflight_remove_temporaries() {
  std::lock_guard<std::mutex> lock(inflight_mutex);
  for (const auto& path : inflight()) remove_stale_temporaries(path);
}

void remove_stale_temporaries(const fs::path& output) {
  // The writers (pdf::write_pdf, epub::write_epub) name their temporary files
  // ".<file>.tmp-XXXXXX" (mkstemp) in the target folder.
  const std::string prefix = "." + output.filename().string() + ".tmp-";
  std::error_code ec;
  const fs::path folder = output.parent_path().empty() ? fs::path(".") : output.parent_path();
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

Report run(const std::vector<Job>& jobs, const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  Shared shared{options, input::data_dir(), LayoutCache(input::data_dir() / "layouts")};
  Report report;
  report.shard = std::to_string(options.shard.index) + "/" + std::to_string(options.shard.count);
  report.editions.resize(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    report.editions[i].name = jobs[i].name;
    report.editions[i].index = jobs[i].index;
    for (const auto& p : jobs[i].inputs) report.editions[i].inputs.push_back(p.generic_string());
  }

  unsigned workers = options.workers ? options.workers : std::thread::hardware_concurrency();
  workers = std::max(1u, std::min<unsigned>(workers, static_cast<unsigned>(jobs.size())));
  report.workers = workers;

  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  Progress progress;
  progress.total = jobs.size();

  const auto work = [&] {
    Worker worker;
    for (;;) {
      if (options.stop && options.stop->load() != 0) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= jobs.size()) return;
      EditionReport done;
      try {
        done = build_edition(jobs[i], shared, worker);
      } catch (const std::exception& e) {
        // One edition's surprise (out of memory, a library throwing) fails that edition.
        done = report.editions[i];
        done.status = Status::failed;
        done.diagnostics.push_back(
            {"internal-error", model::Severity::error, jobs[i].where, e.what()});
      }
      std::lock_guard<std::mutex> lock(progress_mutex);
      report.editions[i] = std::move(done);
      const EditionReport& e = report.editions[i];
      if (e.status == Status::cancelled) continue;
      ++progress.done;
      progress.built += e.status == Status::built;
      progress.up_to_date += e.status == Status::up_to_date;
      progress.failed += e.status == Status::failed;
      progress.articles += e.articles;
      progress.elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      progress.last = &e;
      if (options.progress) options.progress(progress);
    }
  };

  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work);
  work();  // the calling thread is a worker too
  for (auto& t : threads) t.join();

  report.interrupted = options.stop && options.stop->load() != 0;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::function<void(const Progress&)> console_progress(bool terminal) {
  return [terminal](const Progress& p) {
    const EditionReport& e = *p.last;
    std::string text;
    if (terminal) text += "\r\033[K";  // clear the live line before printing above it
    for (const auto& d : e.diagnostics) text += d.to_string() + "\n";
    const double rate = p.elapsed > 0 ? static_cast<double>(p.done) * 60 / p.elapsed : 0;
    const double left =
        p.done ? p.elapsed / static_cast<double>(p.done) * static_cast<double>(p.total - p.done)
               : 0;
    char line[256];
    if (terminal) {
      if (e.status == Status::failed) text += "failed: " + e.name + "\n";
      std::snprintf(line, sizeof line,
                    "[%zu/%zu editions] %zu articles, %zu failed, %.1f editions/min, %d:%02d left",
                    p.done, p.total, p.articles, p.failed, rate, static_cast<int>(left) / 60,
                    static_cast<int>(left) % 60);
      text += line;
      if (p.done == p.total) text += "\n";
    } else {
      std::snprintf(line, sizeof line, "[%zu/%zu] %s %s (%zu articles, %d pages, %.2f s)\n", p.done,
                    p.total, std::string(status_name(e.status)).c_str(), e.name.c_str(), e.articles,
                    e.pages, e.seconds.total);
      text += line;
    }
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  };
}

}  // namespace warraq::batch
