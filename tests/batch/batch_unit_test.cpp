// The batch stage's pieces on their own: SHA-256 vectors, the report's JSON, manifest
// diagnostics, output names and shard arithmetic.
#include <catch2/catch.hpp>
#include <set>

#include "batch/batch.hpp"
#include "batch/sha256.hpp"
#include "support/test_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

TEST_CASE("SHA-256 matches the FIPS 180-4 examples", "[batch]") {
  CHECK(batch::sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(batch::sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(batch::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Fed in pieces that straddle the 64-byte blocks, a million 'a's.
  batch::Sha256 h;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(chunk);
  CHECK(h.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a report survives a round trip through its JSON", "[batch]") {
  batch::Report report;
  report.shard = "2/3";
  report.workers = 2;
  report.seconds = 1.5;
  batch::EditionReport e;
  e.name = "sport";
  e.index = 4;
  e.inputs = {"in/sport.xml"};
  e.status = batch::Status::failed;
  e.layout = "tabloid";
  e.date = "2024-11-25";
  e.articles = 3;
  e.outputs.push_back({batch::Format::epub, "2024-11-25/sport.epub", 1234, "ab"});
  model::Diagnostic diagnostic;
  diagnostic.code = "xml-malformed";
  diagnostic.where.file = "in/sport.xml";
  diagnostic.where.line = 7;
  diagnostic.where.column = 3;
  diagnostic.message = "expected \"</p>\"\n";
  e.diagnostics.push_back(diagnostic);
  report.editions.push_back(e);
  const std::string text = batch::report_json(report);
  model::Diagnostics diagnostics;
  auto back = batch::parse_report(text, "r.json", diagnostics);
  REQUIRE(back);
  CHECK(batch::report_json(*back) == text);
  CHECK(back->totals().failed == 1);
  CHECK(back->totals().errors == 1);

  SECTION("not a report") {
    model::Diagnostics d;
    CHECK_FALSE(batch::parse_report("{\"a\": [1, 2", "x.json", d));
    CHECK(d.all().at(0).to_string().find("x.json") != std::string::npos);
    CHECK_FALSE(batch::parse_report("{}", "y.json", d));
  }
  SECTION("merging a report with itself is an overlap") {
    model::Diagnostics d;
    CHECK_FALSE(batch::merge_reports({*back, *back}, d));
    CHECK(d.all().at(0).code == "report-overlap");
  }
}

TEST_CASE("manifest problems name the file and the line", "[batch]") {
  const fs::path dir = test::scratch_dir("batch manifest problems");
  const auto problems = [&](const std::string& text) {
    test::write_file(dir / "m.batch", text);
    model::Diagnostics d;
    const bool read = batch::read_source(dir / "m.batch", d).has_value();
    std::string all;
    for (const auto& x : d.all()) all += x.to_string() + "\n";
    return std::make_pair(read, all);
  };
  CHECK(problems("[a]\ninput = a.xml\n").second.find("m.batch:1:") != std::string::npos);
  auto [ok, text] = problems("warraq-batch 1\n[a]\ninput = a.xml\nlayut = x\n");
  CHECK_FALSE(ok);
  CHECK(text.find("m.batch:4:") != std::string::npos);
  CHECK(text.find("unknown key 'layut'") != std::string::npos);
  CHECK(problems("warraq-batch 1\n[a]\n").second.find("no 'input") != std::string::npos);
  CHECK(problems("warraq-batch 1\n[a]\ninput=a\n[a]\ninput=b\n").second.find("twice") !=
        std::string::npos);
  CHECK(problems("warraq-batch 1\noutput = ../{name}\n[a]\ninput=a\n").second.find("'..'") !=
        std::string::npos);
  CHECK(problems("warraq-batch 1\noutput = {nmae}\n[a]\ninput=a\n").second.find("{nmae}") !=
        std::string::npos);
  CHECK(problems("warraq-batch 1\noutput = daily\n[a]\ninput=a\n[b]\ninput=b\n")
            .second.find("same files") != std::string::npos);

  auto good = problems(
      "warraq-batch 1\n# comment\nformats = pdf\nlayout = tabloid\n[a]\ninput = x/a.xml  # "
      "note\ninput = b.rss\nformats = epub pdf\nbad-input = fail\n[b]\ninput = b.xml\n");
  CHECK(good.first);
  model::Diagnostics d;
  const auto jobs = batch::read_source(dir / "m.batch", d);
  REQUIRE(jobs);
  REQUIRE(jobs->size() == 2);
  CHECK((*jobs)[0].inputs == std::vector<fs::path>{dir / "x/a.xml", dir / "b.rss"});
  CHECK((*jobs)[0].formats.size() == 2);
  CHECK_FALSE((*jobs)[0].skip_bad_inputs);
  CHECK((*jobs)[1].formats == std::vector<batch::Format>{batch::Format::pdf});
  CHECK((*jobs)[1].layout == "tabloid");
}

TEST_CASE("output names expand date patterns and stay inside the folder", "[batch]") {
  model::Edition e;
  e.date = {2024, 11, 5};
  e.locale = "ar-MA";
  std::string error;
  CHECK(batch::expand_output("{year}/{month}/{day}/{name}-{layout}", "sport", e,
                             "layouts/tabloid.xml", error) == "2024/11/05/sport-tabloid");
  CHECK(batch::expand_output("{date}/{locale}/{name}", "a", e, "x", error) == "2024-11-05/ar-MA/a");
  CHECK_FALSE(batch::expand_output("/abs/{name}", "a", e, "x", error));
  CHECK_FALSE(batch::expand_output("a//b", "a", e, "x", error));
  CHECK_FALSE(batch::expand_output("{name", "a", e, "x", error));
}

TEST_CASE("shards split the editions evenly, each exactly once", "[batch]") {
  CHECK_FALSE(batch::parse_shard("0/3"));
  CHECK_FALSE(batch::parse_shard("4/3"));
  CHECK_FALSE(batch::parse_shard("1-3"));
  CHECK_FALSE(batch::parse_shard("/3"));
  REQUIRE(batch::parse_shard("2/3"));
  CHECK(batch::parse_shard("2/3")->index == 2);

  std::vector<batch::Job> jobs;
  for (int i = 0; i < 20; ++i) {
    batch::Job j;
    j.name = "e" + std::to_string((i * 7) % 20);  // listed out of name order
    j.index = static_cast<std::size_t>(i);
    jobs.push_back(j);
  }
  std::multiset<std::string> seen;
  for (int k = 1; k <= 3; ++k) {
    const auto mine = batch::select_shard(jobs, {k, 3});
    CHECK(mine.size() >= 6);
    CHECK(mine.size() <= 7);
    for (const auto& j : mine) seen.insert(j.name);
    // The same call gives the same share: no randomness, no dependence on the machine.
    CHECK(batch::select_shard(jobs, {k, 3}).size() == mine.size());
  }
  CHECK(seen.size() == 20);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 20);
}
