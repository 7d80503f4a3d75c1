// The command line as documented in the README: help, version, exit statuses, one line per
// problem on standard error.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("the help option lists the commands and exits 0", "[cli]") {
  const auto r = test::run_warraq({"--help"});
  CHECK(r.status == 0);
  for (const char* command : {"pdf", "epub", "check"})
    CHECK(r.out.find(command) != std::string::npos);
  CHECK(r.out.find("Exit status") != std::string::npos);
}

TEST_CASE("each command has its own help", "[cli]") {
  for (const char* command : {"pdf", "epub", "check"}) {
    const auto r = test::run_warraq({command, "--help"});
    INFO(command);
    CHECK(r.status == 0);
    CHECK(r.out.find("INPUT") != std::string::npos);
  }
  CHECK(test::run_warraq({"pdf", "--help"}).out.find("--justify") != std::string::npos);
}

TEST_CASE("the version option prints the version", "[cli]") {
  const auto r = test::run_warraq({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.find("warraq 0.") != std::string::npos);
}

TEST_CASE("usage errors exit 2 with one line", "[cli]") {
  const auto sample = (test::source_dir() / "samples" / "edition-ar-MA.xml").string();
  SECTION("no command") {
    const auto r = test::run_warraq({});
    CHECK(r.status == 2);
    CHECK(count_lines(r.err) == 1);
  }
  SECTION("missing -o") {
    const auto r = test::run_warraq({"pdf", sample});
    CHECK(r.status == 2);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.find("output") != std::string::npos);
  }
  SECTION("input that does not exist") {
    const auto r = test::run_warraq({"pdf", "/nonexistent.xml", "-o", "/tmp/x.pdf"});
    CHECK(r.status == 2);
    CHECK(count_lines(r.err) == 1);
  }
  SECTION("bad option value") {
    const auto r = test::run_warraq({"pdf", sample, "-o", "/tmp/x.pdf", "--justify", "wide"});
    CHECK(r.status == 2);
    CHECK(count_lines(r.err) == 1);
  }
  SECTION("unknown layout") {
    const auto dir = test::scratch_dir("cli-layout");
    const auto out = dir / "x.pdf";
    const auto r = test::run_warraq({"pdf", sample, "-o", out.string(), "--layout", "nope"});
    CHECK(r.status == 2);
    CHECK(r.err.find("nope") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
  }
}

TEST_CASE("check reports each input and exits 2 when any is bad", "[cli]") {
  const auto dir = test::scratch_dir("cli-check");
  const auto sample = (test::source_dir() / "samples" / "edition-ar-MA.xml").string();
  const auto good = test::run_warraq({"check", sample});
  CHECK(good.status == 0);
  CHECK(good.out.find("ok") != std::string::npos);

  const auto bad = dir / "bad.xml";
  test::write_file(bad, "<article version=\"1\" id=\"a\">\n<body><p>x</p></body>\n</article>\n");
  const auto r = test::run_warraq({"check", sample, bad.string()});
  CHECK(r.status == 2);
  CHECK(r.out.find("ok") != std::string::npos);  // the good one is still reported
  CHECK(r.err.find("bad.xml:1") != std::string::npos);
  CHECK(r.err.find("missing-headline") != std::string::npos);
}
