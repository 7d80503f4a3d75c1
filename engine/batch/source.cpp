// Batch sources: a manifest file (docs/batch.md) or a folder of inputs, read into jobs.
//
// The manifest is a line format rather than XML so that the batch stage needs no XML parser
// (only engine/input includes tinyxml2) and so a shell script can write one with echo:
//
//   warraq-batch 1
//   formats = pdf epub          # settings before the first [edition] are defaults
//   [national]
//   input = national.xml
//   output = {date}/national
#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "batch.hpp"

namespace warraq::batch {
namespace fs = std::filesystem;

std::string_view format_name(Format format) { return format == Format::pdf ? "pdf" : "epub"; }

bool is_input_file(const fs::path& path) {
  // Native editions and articles (.xml, and NITF which is XML too), feeds and scraped text:
  // the input stage tells the formats apart by content.
  static const std::set<std::string> extensions = {".xml", ".nitf", ".rss", ".atom", ".txt"};
  const std::string name = path.filename().string();
  if (name.empty() || name.front() == '.') return false;  // hidden files, editors' backups
  return extensions.count(path.extension().string()) > 0;
}

namespace {

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\r'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Edition names become file names and cache keys: keep them to a portable set.
bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name.front() == '.') return false;
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.' || c >= 0x80)) return false;
  return true;
}

bool valid_pattern(const std::string& pattern, std::string& error) {
  model::Edition probe;
  std::string expanded_error;
  if (!expand_output(pattern, "name", probe, "layout", expanded_error)) {
    error = expanded_error;
    return false;
  }
  return true;
}

struct Settings {
  std::vector<fs::path> inputs;
  std::optional<std::string> layout, output, title;
  std::optional<std::vector<Format>> formats;
  std::optional<model::DigitStyle> digits;
  std::optional<model::Justification> justification;
  std::optional<bool> skip_bad_inputs;
  std::optional<model::Date> date;
};

class ManifestReader {
 public:
  ManifestReader(const fs::path& path, model::Diagnostics& diagnostics)
      : path_(path), base_(path.parent_path()), diagnostics_(diagnostics) {}

  std::optional<std::vector<Job>> read() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
      diagnostics_.error("batch-source", {path_.string()}, "cannot read the manifest");
      return std::nullopt;
    }
    std::string line;
    bool header = false;
    while (std::getline(in, line)) {
      ++line_;
      if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      line = trim(line);
      if (line.empty()) continue;
      if (!header) {
        if (line != "warraq-batch 1") {
          error("expected the first line 'warraq-batch 1' (a Warraq batch manifest, version 1)");
          return std::nullopt;
        }
        header = true;
        continue;
      }
      if (line.front() == '[') {
        section(line);
        continue;
      }
      const auto eq = line.find('=');
      if (eq == std::string::npos) {
        error("expected 'key = value' or '[edition-name]'");
        continue;
      }
      setting(trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
    }
    if (!header) {
      error("expected the first line 'warraq-batch 1'; the manifest is empty");
      return std::nullopt;
    }
    finish_edition();
    if (diagnostics_.has_errors()) return std::nullopt;
    if (jobs_.empty()) diagnostics_.warning("batch-empty", {path_.string()}, "no edition listed");
    return std::move(jobs_);
  }

 private:
  void error(const std::string& message) {
    diagnostics_.error("batch-manifest", {path_.string(), line_, 0}, message);
  }

  void section(const std::string& line) {
    finish_edition();
    if (line.back() != ']') {
      error("expected ']' closing the edition name");
      return;
    }
    const std::string name = trim(line.substr(1, line.size() - 2));
    if (!valid_name(name)) {
      error("expected an edition name of letters, digits, '-', '_' and '.', not '" + name + "'");
      return;
    }
    if (!names_.insert(name).second) {
      error("edition '" + name + "' is listed twice");
      return;
    }
    in_edition_ = true;
    current_ = Settings{};
    current_name_ = name;
    current_where_ = {path_.string(), line_, 0};
  }

  void setting(const std::string& key, const std::string& value) {
    Settings& s = in_edition_ ? current_ : defaults_;
    if (key == "input") {
      if (!in_edition_) return error("'input' belongs inside an [edition]");
      if (value.empty()) return error("expected a file after 'input ='");
      const fs::path p(value);
      s.inputs.push_back(p.is_absolute() ? p : base_ / p);
    } else if (key == "layout") {
      s.layout = value;
    } else if (key == "output") {
      std::string why;
      if (!valid_pattern(value, why)) return error("bad output name '" + value + "': " + why);
      s.output = value;
    } else if (key == "title") {
      s.title = value;
    } else if (key == "date") {
      auto d = model::Date::parse_iso(value);
      if (!d) return error("expected a date YYYY-MM-DD, not '" + value + "'");
      s.date = d;
    } else if (key == "formats") {
      std::vector<Format> formats;
      std::istringstream words(value);
      for (std::string w; words >> w;) {
        if (w == "pdf")
          formats.push_back(Format::pdf);
        else if (w == "epub")
          formats.push_back(Format::epub);
        else
          return error("expected formats 'pdf' and/or 'epub', not '" + w + "'");
      }
      if (formats.empty()) return error("expected at least one format (pdf, epub)");
      s.formats = formats;
    } else if (key == "digits") {
      if (value == "latn")
        s.digits = model::DigitStyle::western;
      else if (value == "arab")
        s.digits = model::DigitStyle::arabic_indic;
      else
        return error("expected digits 'latn' or 'arab', not '" + value + "'");
    } else if (key == "justify") {
      if (value == "kashida")
        s.justification = model::Justification::kashida;
      else if (value == "spaces")
        s.justification = model::Justification::spaces;
      else if (value == "none")
        s.justification = model::Justification::none;
      else
        return error("expected justify 'kashida', 'spaces' or 'none', not '" + value + "'");
    } else if (key == "bad-input") {
      if (value == "skip")
        s.skip_bad_inputs = true;
      else if (value == "fail")
        s.skip_bad_inputs = false;
      else
        return error("expected bad-input 'skip' or 'fail', not '" + value + "'");
    } else {
      error("unknown key '" + key +
            "' (expected input, layout, formats, output, title, date, digits, justify, "
            "bad-input)");
    }
  }

  void finish_edition() {
    if (!in_edition_) return;
    in_edition_ = false;
    if (current_.inputs.empty()) {
      diagnostics_.error("batch-manifest", current_where_,
                         "edition '" + current_name_ + "' has no 'input ='");
      return;
    }
    Job job;
    job.name = current_name_;
    job.index = jobs_.size();
    job.inputs = current_.inputs;
    job.where = current_where_;
    const auto pick = [](const auto& own, const auto& fallback) { return own ? own : fallback; };
    if (auto v = pick(current_.layout, defaults_.layout)) job.layout = *v;
    if (auto v = pick(current_.output, defaults_.output)) job.output = *v;
    if (auto v = pick(current_.title, defaults_.title)) job.title = *v;
    if (auto v = pick(current_.formats, defaults_.formats)) job.formats = *v;
    if (auto v = pick(current_.skip_bad_inputs, defaults_.skip_bad_inputs))
      job.skip_bad_inputs = *v;
    job.digits = pick(current_.digits, defaults_.digits);
    job.justification = pick(current_.justification, defaults_.justification);
    job.date = pick(current_.date, defaults_.date);
    // Two editions whose names expand alike would overwrite each other's files; the check
    // is on the pattern (dates are only known once the inputs are read).
    const std::string probe = expand_name(job.output, job.name);
    if (auto [it, fresh] = outputs_.emplace(probe, job.name); !fresh)
      diagnostics_.error("batch-manifest", current_where_,
                         "edition '" + job.name + "' writes the same files as '" + it->second +
                             "' (output = " + job.output + ")");
    jobs_.push_back(std::move(job));
  }

  static std::string expand_name(std::string pattern, const std::string& name) {
    for (std::size_t at; (at = pattern.find("{name}")) != std::string::npos;)
      pattern.replace(at, 6, name);
    return pattern;
  }

  fs::path path_, base_;
  model::Diagnostics& diagnostics_;
  int line_ = 0;
  Settings defaults_, current_;
  bool in_edition_ = false;
  std::string current_name_;
  model::SourceLocation current_where_;
  std::set<std::string> names_;
  std::map<std::string, std::string> outputs_;
  std::vector<Job> jobs_;
};

std::optional<std::vector<Job>> read_folder(const fs::path& folder,
                                            model::Diagnostics& diagnostics) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && is_input_file(it->path())) files.push_back(it->path());
  if (ec) {
    diagnostics.error("batch-source", {folder.string()}, "cannot list the folder: " + ec.message());
    return std::nullopt;
  }
  // Directory order is the file system's whim; sorted names make the job list, and so the
  // report and the shards, the same everywhere.
  std::sort(files.begin(), files.end());
  std::vector<Job> jobs;
  std::map<std::string, fs::path> names;
  for (const fs::path& file : files) {
    const std::string name = file.stem().string();
    if (auto [it, fresh] = names.emplace(name, file); !fresh) {
      diagnostics.error("batch-source", {file.string()},
                        "two inputs make the edition '" + name + "': " + it->second.string() +
                            " and this one; rename one");
      continue;
    }
    if (!valid_name(name)) {
      diagnostics.error("batch-source", {file.string()},
                        "the file name does not make an edition name (letters, digits, '-', "
                        "'_', '.')");
      continue;
    }
    Job job;
    job.name = name;
    job.index = jobs.size();
    job.inputs = {file};
    job.where = {file.string()};
    jobs.push_back(std::move(job));
  }
  if (diagnostics.has_errors()) return std::nullopt;
  if (jobs.empty())
    diagnostics.warning("batch-empty", {folder.string()}, "no input file in the folder");
  return jobs;
}

}  // namespace

std::optional<std::vector<Job>> read_source(const fs::path& source,
                                            model::Diagnostics& diagnostics) {
  std::error_code ec;
  if (fs::is_directory(source, ec)) return read_folder(source, diagnostics);
  if (!fs::exists(source, ec)) {
    diagnostics.error("batch-source", {source.string()}, "no such manifest or folder");
    return std::nullopt;
  }
  return ManifestReader(source, diagnostics).read();
}

std::optional<std::string> expand_output(const std::string& pattern, const std::string& name,
                                         const model::Edition& edition, const std::string& layout,
                                         std::string& error) {
  const auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  const std::string layout_name = fs::path(layout).stem().string();
  const std::map<std::string, std::string> tokens = {
      {"name", name},
      {"date", edition.date.iso()},
      {"year", std::to_string(edition.date.year)},
      {"month", two(edition.date.month)},
      {"day", two(edition.date.day)},
      {"layout", layout_name},
      {"locale", edition.locale},
      {"number", edition.number},
  };
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{') {
      out += pattern[i++];
      continue;
    }
    const auto close = pattern.find('}', i);
    if (close == std::string::npos) {
      error = "'{' without '}'";
      return std::nullopt;
    }
    const std::string token = pattern.substr(i + 1, close - i - 1);
    const auto it = tokens.find(token);
    if (it == tokens.end()) {
      error = "unknown {" + token + "} (expected {name}, {date}, {year}, {month}, {day}, " +
              "{layout}, {locale} or {number})";
      return std::nullopt;
    }
    out += it->second;
    i = close + 1;
  }
  // The name must stay inside OUTDIR: relative, no '..', no empty or hidden part (hidden
  // names are where temporary files and the cache live).
  if (out.empty() || out.front() == '/') {
    error = "an output name must be a relative path inside the output folder";
    return std::nullopt;
  }
  std::istringstream parts(out);
  for (std::string part; std::getline(parts, part, '/');)
    if (part.empty() || part == "." || part == ".." || part.front() == '.') {
      error = "an output name has an empty, '.', '..' or hidden part: " + out;
      return std::nullopt;
    }
  return out;
}

std::optional<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto number = [](std::string_view s) -> int {
    if (s.empty() || s.size() > 6) return -1;
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  const int k = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (k < 1 || n < 1 || k > n) return std::nullopt;
  return Shard{k, n};
}

std::vector<Job> select_shard(const std::vector<Job>& jobs, Shard shard) {
  if (shard.count <= 1) return jobs;
  // By position in the name-sorted list: balanced to within one edition, independent of the
  // order the manifest lists editions in, the same on every machine.
  std::vector<const Job*> sorted;
  for (const Job& j : jobs) sorted.push_back(&j);
  std::sort(sorted.begin(), sorted.end(),
            [](const Job* a, const Job* b) { return a->name < b->name; });
  std::set<std::size_t> mine;
  for (std::size_t i = 0; i < sorted.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(shard.count)) == shard.index - 1)
      mine.insert(sorted[i]->index);
  std::vector<Job> out;
  for (const Job& j : jobs)
    if (mine.count(j.index)) out.push_back(j);
  return out;
}

}  // namespace warraq::batch
