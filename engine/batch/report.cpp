// The batch report as JSON (docs/batch.md), reading it back, and merging shard reports.
// Everything but the "run" object and each edition's "seconds" is a function of the source
// and the options, so a merged report equals the unsharded one apart from timings.
#include <algorithm>
#include <cmath>
#include <set>

#include "batch.hpp"
#include "json.hpp"

namespace warraq::batch {

std::string_view status_name(Status status) {
  switch (status) {
    case Status::built:
      return "built";
    case Status::up_to_date:
      return "up-to-date";
    case Status::failed:
      return "failed";
    case Status::cancelled:
      return "cancelled";
  }
  return "cancelled";
}

Totals Report::totals() const {
  Totals t;
  for (const auto& e : editions) {
    ++t.editions;
    switch (e.status) {
      case Status::built:
        ++t.built;
        break;
      case Status::up_to_date:
        ++t.up_to_date;
        break;
      case Status::failed:
        ++t.failed;
        break;
      case Status::cancelled:
        ++t.cancelled;
        break;
    }
    t.articles += e.articles;
    t.pages += static_cast<std::size_t>(e.pages);
    for (const auto& o : e.outputs) t.bytes += o.bytes;
    for (const auto& d : e.diagnostics)
      ++(d.severity == model::Severity::error ? t.errors : t.warnings);
  }
  return t;
}

int exit_status(const Report& report, int stop_signal) {
  if (stop_signal) return 128 + stop_signal;  // the shell's convention for "killed by"
  const Totals t = report.totals();
  if (t.failed == 0 && t.cancelled == 0) return all_built;
  if (t.built + t.up_to_date == 0) return none_built;
  return some_built;
}

namespace {

double rounded(double seconds) { return std::round(seconds * 1000) / 1000; }

json::Value diagnostic_json(const model::Diagnostic& d) {
  return json::Object{{"severity", d.severity == model::Severity::error ? "error" : "warning"},
                      {"code", d.code},
                      {"file", d.where.file},
                      {"line", d.where.line},
                      {"column", d.where.column},
                      {"message", d.message},
                      {"text", d.to_string()}};
}

json::Value edition_json(const EditionReport& e) {
  json::Array inputs(e.inputs.begin(), e.inputs.end());
  json::Array outputs;
  for (const auto& o : e.outputs)
    outputs.push_back(json::Object{{"format", std::string(format_name(o.format))},
                                   {"path", o.path},
                                   {"bytes", static_cast<unsigned long long>(o.bytes)},
                                   {"sha256", o.sha256}});
  json::Array diagnostics;
  std::size_t errors = 0;
  for (const auto& d : e.diagnostics) {
    diagnostics.push_back(diagnostic_json(d));
    errors += d.severity == model::Severity::error;
  }
  return json::Object{
      {"name", e.name},
      {"index", static_cast<unsigned long long>(e.index)},
      {"status", std::string(status_name(e.status))},
      {"inputs", std::move(inputs)},
      {"layout", e.layout},
      {"date", e.date},
      {"sections", static_cast<unsigned long long>(e.sections)},
      {"articles", static_cast<unsigned long long>(e.articles)},
      {"pages", e.pages},
      {"outputs", std::move(outputs)},
      {"warnings", static_cast<unsigned long long>(e.diagnostics.size() - errors)},
      {"errors", static_cast<unsigned long long>(errors)},
      {"diagnostics", std::move(diagnostics)},
      {"seconds", json::Object{{"read", rounded(e.seconds.read)},
                               {"pdf", rounded(e.seconds.pdf)},
                               {"epub", rounded(e.seconds.epub)},
                               {"total", rounded(e.seconds.total)}}},
  };
}

}  // namespace

std::string report_json(const Report& report) {
  const Totals t = report.totals();
  json::Array editions;
  for (const auto& e : report.editions) editions.push_back(edition_json(e));
  const auto n = [](std::size_t v) { return static_cast<unsigned long long>(v); };
  const json::Value doc = json::Object{
      {"warraq-batch-report", 1},
      {"version", WARRAQ_VERSION},
      {"totals", json::Object{{"editions", n(t.editions)},
                              {"built", n(t.built)},
                              {"up-to-date", n(t.up_to_date)},
                              {"failed", n(t.failed)},
                              {"cancelled", n(t.cancelled)},
                              {"articles", n(t.articles)},
                              {"pages", n(t.pages)},
                              {"bytes", static_cast<unsigned long long>(t.bytes)},
                              {"warnings", n(t.warnings)},
                              {"errors", n(t.errors)}}},
      {"run", json::Object{{"shard", report.shard},
                           {"workers", report.workers},
                           {"interrupted", report.interrupted},
                           {"seconds", rounded(report.seconds)},
                           {"editions-per-minute",
                            report.seconds > 0
                                ? rounded(static_cast<double>(t.built) * 60 / report.seconds)
                                : 0.0}}},
      {"editions", std::move(editions)},
  };
  return json::write(doc);
}

std::optional<Report> parse_report(const std::string& text, const std::string& name,
                                   model::Diagnostics& diagnostics) {
  std::string error;
  auto doc = json::parse(text, error);
  if (!doc) {
    diagnostics.error("report-malformed", {name}, "not JSON: " + error);
    return std::nullopt;
  }
  if ((*doc)["warraq-batch-report"].num() != 1) {
    diagnostics.error("report-malformed", {name},
                      "expected a Warraq batch report (\"warraq-batch-report\": 1)");
    return std::nullopt;
  }
  Report report;
  const json::Value& run = (*doc)["run"];
  report.shard = run["shard"].str("1/1");
  report.workers = static_cast<unsigned>(run["workers"].num());
  report.seconds = run["seconds"].num();
  report.interrupted = run["interrupted"].boolean();
  for (const auto& e : (*doc)["editions"].array()) {
    EditionReport r;
    r.name = e["name"].str();
    r.index = static_cast<std::size_t>(e["index"].num());
    const std::string status = e["status"].str();
    r.status = status == "built"        ? Status::built
               : status == "up-to-date" ? Status::up_to_date
               : status == "failed"     ? Status::failed
                                        : Status::cancelled;
    for (const auto& i : e["inputs"].array()) r.inputs.push_back(i.str());
    r.layout = e["layout"].str();
    r.date = e["date"].str();
    r.sections = static_cast<std::size_t>(e["sections"].num());
    r.articles = static_cast<std::size_t>(e["articles"].num());
    r.pages = static_cast<int>(e["pages"].num());
    for (const auto& o : e["outputs"].array())
      r.outputs.push_back(OutputFile{o["format"].str() == "epub" ? Format::epub : Format::pdf,
                                     o["path"].str(), static_cast<std::uintmax_t>(o["bytes"].num()),
                                     o["sha256"].str()});
    for (const auto& d : e["diagnostics"].array()) {
      model::Diagnostic diagnostic;
      diagnostic.severity =
          d["severity"].str() == "warning" ? model::Severity::warning : model::Severity::error;
      diagnostic.code = d["code"].str();
      diagnostic.where = {d["file"].str(), static_cast<int>(d["line"].num()),
                          static_cast<int>(d["column"].num())};
      diagnostic.message = d["message"].str();
      r.diagnostics.push_back(std::move(diagnostic));
    }
    const json::Value& s = e["seconds"];
    r.seconds = {s["read"].num(), s["pdf"].num(), s["epub"].num(), s["total"].num()};
    if (r.name.empty()) {
      diagnostics.error("report-malformed", {name}, "an edition without a name");
      return std::nullopt;
    }
    report.editions.push_back(std::move(r));
  }
  return report;
}

std::optional<Report> merge_reports(const std::vector<Report>& reports,
                                    model::Diagnostics& diagnostics) {
  Report merged;
  std::set<std::string> names;
  std::set<std::size_t> indices;
  for (const Report& r : reports) {
    merged.workers += r.workers;
    // Shards run side by side: the merged run took as long as the slowest.
    merged.seconds = std::max(merged.seconds, r.seconds);
    merged.interrupted = merged.interrupted || r.interrupted;
    for (const EditionReport& e : r.editions) {
      if (!names.insert(e.name).second || !indices.insert(e.index).second) {
        diagnostics.error("report-overlap", {e.name},
                          "edition '" + e.name + "' is in more than one report");
        continue;
      }
      merged.editions.push_back(e);
    }
  }
  if (diagnostics.has_errors()) return std::nullopt;
  std::sort(merged.editions.begin(), merged.editions.end(),
            [](const EditionReport& a, const EditionReport& b) { return a.index < b.index; });
  merged.shard = "1/1";
  return merged;
}

}  // namespace warraq::batch
