// schema/warraq.rng describes the samples, and can fail: xmllint refuses a bad document.
#include <catch2/catch.hpp>
#include <filesystem>

#include "input/input.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace warraq;

namespace {

test::RunResult xmllint(const fs::path& file) {
  return test::run({"xmllint", "--noout", "--relaxng",
                    (test::source_dir() / "schema" / "warraq.rng").string(), file.string()});
}

}  // namespace

TEST_CASE("every sample validates against schema/warraq.rng", "[input][schema]") {
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(test::source_dir() / "samples")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".xml") continue;
    INFO(entry.path().string());
    const auto result = xmllint(entry.path());
    INFO(result.err);
    CHECK(result.status == 0);
    ++checked;
  }
  CHECK(checked >= 2);
}

TEST_CASE("the schema rejects what the reader rejects", "[input][schema]") {
  const auto dir = test::scratch_dir("schema-invalid");
  // Each document is well-formed XML that breaks one rule of the format.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"no-headline", "<article version=\"1\" id=\"a\"><body><p>x</p></body></article>"},
      {"unknown-element",
       "<article version=\"1\" id=\"a\"><headline>H</headline><body><table/></body></article>"},
      {"bad-date",
       "<article version=\"1\" id=\"a\" date=\"2024-13-40\"><headline>H</headline>"
       "<body><p>x</p></body></article>"},
      {"bad-weight",
       "<article version=\"1\" id=\"a\" weight=\"7\"><headline>H</headline>"
       "<body><p>x</p></body></article>"},
      {"no-version", "<article id=\"a\"><headline>H</headline><body><p>x</p></body></article>"},
      {"path-outside",
       "<edition version=\"1\" date=\"2024-11-25\"><title>T</title><section id=\"s\" name=\"n\">"
       "<article-ref href=\"../x.xml\"/></section></edition>"},
  };
  for (const auto& [name, xml] : cases) {
    INFO(name);
    const auto file = dir / (name + ".xml");
    test::write_file(file, xml);
    const auto result = xmllint(file);
    CHECK(result.status != 0);
    model::Diagnostics diagnostics;
    CHECK_FALSE(input::read_edition(file, diagnostics));
  }
}

TEST_CASE("every shipped layout validates against schema/layout.rng", "[input][schema]") {
  const auto schema = (test::source_dir() / "schema" / "layout.rng").string();
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(test::source_dir() / "layouts")) {
    if (entry.path().extension() != ".xml") continue;
    INFO(entry.path().string());
    const auto result =
        test::run({"xmllint", "--noout", "--relaxng", schema, entry.path().string()});
    INFO(result.err);
    CHECK(result.status == 0);
    ++checked;
  }
  CHECK(checked >= 1);

  const auto bad = test::scratch_dir("layout-schema") / "bad.xml";
  test::write_file(bad,
                   "<layout version=\"1\" name=\"x\"><page width=\"210\"/>"
                   "<role name=\"body\" family=\"Amiri\"/></layout>");
  CHECK(test::run({"xmllint", "--noout", "--relaxng", schema, bad.string()}).status != 0);
}
