// Shared by the importer tests: reading fixtures and comparing models without locations.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "input/input.hpp"
#include "model/model.hpp"
#include "support/test_support.hpp"

namespace warraq::test {

inline std::filesystem::path import_data() { return source_dir() / "tests" / "data" / "import"; }

struct Imported {
  std::optional<model::Edition> edition;
  model::Diagnostics diagnostics;
  std::vector<input::Dropped> dropped;

  std::string all() const {
    std::string out;
    for (const auto& d : diagnostics.all()) out += d.to_string() + "\n";
    return out;
  }
  const model::Article& article(std::size_t n = 0) const {
    std::size_t k = 0;
    for (const auto& s : edition->sections)
      for (const auto& a : s.articles)
        if (k++ == n) return a;
    FAIL("no article " << n);
    return edition->sections.at(0).articles.at(0);
  }
  bool dropped_contains(const std::string& text) const {
    for (const auto& d : dropped)
      if (d.what.find(text) != std::string::npos) return true;
    return false;
  }
};

inline Imported import_file(const std::filesystem::path& path,
                            std::optional<input::Format> format = std::nullopt) {
  Imported out;
  out.edition = input::read_any(path, format, out.diagnostics, &out.dropped);
  return out;
}

inline Imported import_text(const std::string& bytes, const std::string& name,
                            std::optional<input::Format> format = std::nullopt) {
  Imported out;
  out.edition = input::read_any_text(bytes, name, format, out.diagnostics, &out.dropped);
  return out;
}

// Spans equal in everything but their source location.
inline bool same_inlines(const model::Inlines& a, const model::Inlines& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].text != b[i].text || a[i].style != b[i].style || a[i].href != b[i].href ||
        a[i].lang != b[i].lang || a[i].dir != b[i].dir || a[i].line_break != b[i].line_break)
      return false;
  return true;
}

inline bool same_blocks(const std::vector<model::Block>& a, const std::vector<model::Block>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto &x = a[i], &y = b[i];
    if (x.kind != y.kind || !same_inlines(x.content, y.content) || x.ordered != y.ordered ||
        x.cite != y.cite || x.items.size() != y.items.size())
      return false;
    for (std::size_t k = 0; k < x.items.size(); ++k)
      if (!same_inlines(x.items[k], y.items[k])) return false;
    if (x.kind == model::BlockKind::figure &&
        (std::filesystem::path(x.figure.src).filename() !=
             std::filesystem::path(y.figure.src).filename() ||
         x.figure.alt != y.figure.alt || x.figure.columns != y.figure.columns ||
         !same_inlines(x.figure.caption, y.figure.caption) ||
         !same_inlines(x.figure.credit, y.figure.credit)))
      return false;
  }
  return true;
}

// Everything an article holds but locations (and, when asked, the id).
inline void check_same_article(const model::Article& a, const model::Article& b,
                               bool compare_id = true) {
  if (compare_id) CHECK(a.id == b.id);
  CHECK(same_inlines(a.kicker, b.kicker));
  CHECK(same_inlines(a.headline, b.headline));
  CHECK(same_inlines(a.subheadline, b.subheadline));
  CHECK(same_inlines(a.byline, b.byline));
  CHECK(same_inlines(a.dateline, b.dateline));
  CHECK(same_inlines(a.lead, b.lead));
  CHECK(a.date == b.date);
  CHECK(a.section == b.section);
  CHECK(a.weight == b.weight);
  CHECK(same_blocks(a.body, b.body));
  CHECK(a.related == b.related);
}

}  // namespace warraq::test
