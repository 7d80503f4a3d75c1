// The batch stage's private pieces, shared by its files.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "batch.hpp"
#include "typeset/typeset.hpp"

namespace warraq::batch {

// Reads a job's inputs into one edition (the one place an input format plugs in).
std::optional<model::Edition> read_job(const Job& job, model::Diagnostics& diagnostics);

// Layouts are plain data, read once per run and shared by every worker.
class LayoutCache {
 public:
  explicit LayoutCache(std::filesystem::path layouts_dir) : dir_(std::move(layouts_dir)) {}
  struct Entry {
    std::optional<model::Layout> layout;
    model::Diagnostics diagnostics;
    std::string sha256;  // of the file's bytes, for the cache key
  };
  // The layout by name or path; the entry lives as long as the cache.
  const Entry& get(const std::string& name_or_path);

 private:
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

// What every worker shares.
struct Shared {
  const Options& options;
  std::filesystem::path data_dir;
  LayoutCache layouts;
};

// What one worker owns: its font set. Pango font maps are not safe to share between threads
// (typeset::FontSet serialises a whole edition on its mutex), so each worker loads its own
// once and keeps it for every edition it builds.
struct Worker {
  std::shared_ptr<typeset::FontSet> fonts;
  model::Diagnostics font_diagnostics;
  std::string fonts_key;  // the faces, for the cache key
  bool loaded = false;
};

EditionReport build_edition(const Job& job, Shared& shared, Worker& worker);

// Outputs being written right now, so that a second signal can remove their temporary
// files before the process exits (the writers' own clean-up never runs then).
void inflight_add(const std::filesystem::path& output);
void inflight_remove(const std::filesystem::path& output);
void inflight_remove_temporaries();

// Removes ".<file>.tmp-XXXXXX" beside `output`: what a killed writer leaves behind.
void remove_stale_temporaries(const std::filesystem::path& output);

}  // namespace warraq::batch
