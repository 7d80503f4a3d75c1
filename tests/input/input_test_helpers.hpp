// Shared by the input tests: read a document from a string and find its diagnostics.
#pragma once

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "input/input.hpp"
#include "model/model.hpp"

namespace warraq::test {

struct ReadOutcome {
  std::optional<model::Edition> edition;
  model::Diagnostics diagnostics;

  std::string all() const {
    std::string out;
    for (const auto& d : diagnostics.all()) out += d.to_string() + "\n";
    return out;
  }
};

inline ReadOutcome read_xml(const std::string& xml, const std::string& name = "bad.xml") {
  ReadOutcome outcome;
  outcome.edition = input::read_edition_text(xml, name, outcome.diagnostics);
  return outcome;
}

// Asserts the read failed with a diagnostic of `code` at file:line[:column] whose message
// contains `text`; returns it for further checks.
inline model::Diagnostic expect_error(const ReadOutcome& outcome, const std::string& code,
                                      const std::string& file, int line, int column,
                                      const std::string& text) {
  INFO(outcome.all());
  CHECK_FALSE(outcome.edition.has_value());
  for (const auto& d : outcome.diagnostics.all()) {
    if (d.code != code) continue;
    CHECK(d.severity == model::Severity::error);
    CHECK(d.where.file == file);
    CHECK(d.where.line == line);
    if (column >= 0) CHECK(d.where.column == column);
    CHECK_THAT(d.message, Catch::Contains(text));
    return d;
  }
  FAIL("no diagnostic with code " << code);
  return {};
}

}  // namespace warraq::test
