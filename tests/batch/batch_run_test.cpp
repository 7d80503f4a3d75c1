// `warraq batch` end to end: a mixed batch with broken editions, a run killed by SIGINT and
// by SIGTERM, the cache, and shards with a merged report. Editions are small (2-5 articles)
// so the whole file runs in a minute or two.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "batch/batch.hpp"
#include "support/test_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

// n generated native editions e01.xml... of 2-5 articles, some in other layouts and locales.
std::vector<fs::path> generate(const fs::path& dir, int n) {
  std::vector<fs::path> files;
  fs::create_directories(dir);
  const char* layouts[] = {"a4-digest", "tabloid", "a5-book", "a4-digest"};
  const char* locales[] = {"ar-MA", "ar-EG", "ar-MA"};
  for (int i = 1; i <= n; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "e%02d.xml", i);
    const fs::path file = dir / name;
    const auto r =
        test::run({"python3", (test::source_dir() / "bench/generate_edition.py").string(),
                   std::to_string(2 + i % 4), file.string(), "--layout", layouts[i % 4], "--locale",
                   locales[i % 3]});
    INFO(r.err);
    REQUIRE(r.status == 0);
    files.push_back(file);
  }
  return files;
}

batch::Report read_report(const fs::path& path) {
  model::Diagnostics d;
  auto r = batch::parse_report(test::read_file(path), path.string(), d);
  REQUIRE(r);
  return *r;
}

// The report without what may differ between runs: timings and the run's own facts.
std::string content_of(batch::Report report) {
  report.shard = "";
  report.workers = 0;
  report.seconds = 0;
  for (auto& e : report.editions) e.seconds = {};
  return batch::report_json(report);
}

// Every file under a folder, relative path -> bytes.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file())
      out[fs::relative(entry.path(), dir).generic_string()] = test::read_file(entry.path());
  return out;
}

std::set<std::string> names_with(const batch::Report& r, batch::Status status) {
  std::set<std::string> out;
  for (const auto& e : r.editions)
    if (e.status == status) out.insert(e.name);
  return out;
}

}  // namespace

TEST_CASE("a batch of mixed inputs with three broken editions", "[batch]") {
  const fs::path dir = test::scratch_dir("batch mixed");
  const auto editions = generate(dir / "in", 18);
  const fs::path data = test::source_dir() / "tests/data/import";
  // Malformed XML.
  test::write_file(dir / "in/broken-xml.xml",
                   "<?xml version=\"1.0\"?>\n<edition version=\"1\">\n<title>x</title>\n");
  std::string manifest = "warraq-batch 1\nformats = pdf epub\n";
  for (const auto& e : editions)
    manifest += "[" + e.stem().string() + "]\ninput = in/" + e.filename().string() + "\n";
  manifest += "[nitf]\ninput = " + (data / "nitf/rabat-tram-ar-prefixed.xml").string() +
              "\n[atom]\ninput = " + (data / "atom/culture-ar.xml").string() +
              "\n[scraped]\ninput = " + (data / "scraped/cairo-metro-ar-EG.txt").string() +
              "\nlayout = a5-book\noutput = {date}/{name}-{layout}\n"
              // A bad input inside an edition is left out; the edition is built from the rest.
              "[joined]\ninput = in/e01.xml\ninput = in/broken-xml.xml\ninput = " +
              (data / "rss/wire-en.xml").string() +
              "\n"
              // Three broken editions, each its own way.
              "[broken-xml]\ninput = in/broken-xml.xml\n"
              "[no-layout]\ninput = in/e02.xml\nlayout = no-such-layout\n"
              "[missing-input]\ninput = in/not-there.xml\n";
  test::write_file(dir / "daily.batch", manifest);

  const auto r =
      test::run_warraq({"batch", (dir / "daily.batch").string(), "-o", (dir / "out").string(), "-j",
                        "2", "--report", (dir / "report.json").string()});
  INFO(r.err);
  CHECK(r.status == batch::some_built);  // 3: some editions failed, the rest were built
  const batch::Report report = read_report(dir / "report.json");
  REQUIRE(report.editions.size() == 25);
  const auto totals = report.totals();
  CHECK(totals.built == 22);
  CHECK(names_with(report, batch::Status::failed) ==
        std::set<std::string>{"broken-xml", "no-layout", "missing-input"});
  for (const auto& e : report.editions) {
    INFO(e.name);
    if (e.status == batch::Status::failed) {
      REQUIRE_FALSE(e.diagnostics.empty());
      CHECK(e.outputs.empty());
      const std::string first = e.diagnostics.front().to_string();
      if (e.name == "broken-xml") CHECK(first.find("broken-xml.xml:") != std::string::npos);
      if (e.name == "no-layout") CHECK(first.find("no-such-layout") != std::string::npos);
      if (e.name == "missing-input") CHECK(first.find("not-there.xml") != std::string::npos);
      continue;
    }
    REQUIRE(e.outputs.size() == 2);
    CHECK(e.pages > 0);
    for (const auto& o : e.outputs) {
      const fs::path file = dir / "out" / o.path;
      REQUIRE(fs::exists(file));
      CHECK(fs::file_size(file) == o.bytes);
      CHECK(test::run({"sha256sum", file.string()}).out.substr(0, 64) == o.sha256);
      if (o.format == batch::Format::pdf) {
        const auto check = test::run({"qpdf", "--check", file.string()});
        INFO(check.out << check.err);
        CHECK(check.status == 0);
      }
    }
  }
  const auto& joined = report.editions.at(21);
  CHECK(joined.name == "joined");
  CHECK(joined.status == batch::Status::built);
  CHECK(fs::exists(dir / "out/2024-12-12/scraped-a5-book.pdf") ==
        (report.editions.at(20).date == "2024-12-12"));
  // epubcheck takes seconds a file: a native, an imported and the joined edition.
  for (const char* path : {"e03.epub", "nitf.epub", "joined.epub"}) {
    const auto check =
        test::run({"java", "-jar", "/usr/share/java/epubcheck.jar", (dir / "out" / path).string()});
    INFO(path << "\n" << check.out << check.err);
    CHECK(check.status == 0);
    CHECK(check.out.find("No errors or warnings detected") != std::string::npos);
  }
  // No temporary file anywhere.
  for (const auto& [name, bytes] : files_under(dir / "out"))
    CHECK(name.find(".tmp") == std::string::npos);
}

TEST_CASE("a batch every edition of which fails exits 4", "[batch]") {
  const fs::path dir = test::scratch_dir("batch none built");
  test::write_file(dir / "in/a.xml", "<edition");
  test::write_file(dir / "in/b.xml", "not xml at all <");
  const auto r = test::run_warraq({"batch", (dir / "in").string(), "-o", (dir / "out").string()});
  CHECK(r.status == batch::none_built);
  CHECK(r.err.find("a.xml:") != std::string::npos);
  const auto usage = test::run_warraq(
      {"batch", (dir / "in").string(), "-o", (dir / "out").string(), "--shard", "4/3"});
  CHECK(usage.status == 2);
}

namespace {

// Starts warraq batch in the background; returns its pid.
pid_t spawn_batch(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<std::string> argv{test::warraq_binary().string(), "batch"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::size_t count_pdfs(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    n += it->path().extension() == ".pdf";
  return n;
}

}  // namespace

TEST_CASE("a killed batch leaves only complete outputs and a rerun finishes it", "[batch]") {
  const fs::path dir = test::scratch_dir("batch killed");
  generate(dir / "in", 12);
  // The reference: one uninterrupted run with one worker (the killed runs use two, so this
  // also shows that the outputs do not depend on the number of workers).
  const auto reference_run = test::run_warraq(
      {"batch", (dir / "in").string(), "-o", (dir / "reference").string(), "-j", "1"});
  REQUIRE(reference_run.status == 0);
  const auto reference = files_under(dir / "reference");

  for (int sig : {SIGINT, SIGTERM}) {
    const fs::path out = dir / (sig == SIGINT ? "int" : "term");
    const fs::path report = dir / (sig == SIGINT ? "int.json" : "term.json");
    INFO((sig == SIGINT ? "SIGINT" : "SIGTERM"));
    const pid_t pid = spawn_batch(
        {(dir / "in").string(), "-o", out.string(), "-j", "2", "--report", report.string()},
        dir / "log.txt");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (count_pdfs(out) < 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::kill(pid, sig);
    const int status = wait_for(pid);
    INFO(test::read_file(dir / "log.txt"));
    CHECK(status == 128 + sig);
    const batch::Report interrupted = read_report(report);
    CHECK(interrupted.interrupted);
    CHECK(interrupted.totals().cancelled > 0);

    // Whatever is there is complete: the same bytes as the reference, no temporary file.
    const auto left = files_under(out);
    for (const auto& [name, bytes] : left) {
      INFO(name);
      CHECK(name.find(".tmp") == std::string::npos);
      if (name.rfind(".warraq-cache/", 0) == 0) continue;
      REQUIRE(reference.count(name));
      CHECK(reference.at(name) == bytes);
    }

    const auto rerun = test::run_warraq({"batch", (dir / "in").string(), "-o", out.string(), "-j",
                                         "2", "--report", report.string()});
    CHECK(rerun.status == 0);
    const batch::Report finished = read_report(report);
    CHECK(finished.totals().built + finished.totals().up_to_date == 12);
    CHECK(finished.totals().built > 0);
    const auto after = files_under(out);
    for (const auto& [name, bytes] : reference) {
      INFO(name);
      REQUIRE(after.count(name));
      if (name.rfind(".warraq-cache/", 0) != 0) CHECK(after.at(name) == bytes);
    }
    for (const auto& [name, bytes] : after) CHECK(name.find(".tmp") == std::string::npos);
  }
}

TEST_CASE("the cache rebuilds only what changed", "[batch]") {
  const fs::path dir = test::scratch_dir("batch cache");
  const auto inputs = generate(dir / "in", 6);
  const fs::path out = dir / "out", report = dir / "report.json";
  const auto batch_run = [&](std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"batch",    (dir / "in").string(), "-o", out.string(), "-j", "2",
                                  "--report", report.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = test::run_warraq(args);
    INFO(r.err);
    CHECK(r.status == 0);
    return read_report(report).totals();
  };
  CHECK(batch_run().built == 6);
  auto second = batch_run();
  CHECK(second.built == 0);
  CHECK(second.up_to_date == 6);

  // A changed input rebuilds its edition alone (the cache hashes contents, not times).
  test::write_file(inputs[2], test::read_file(inputs[2]) + "<!-- corrected -->\n");
  auto third = batch_run();
  CHECK(third.built == 1);
  CHECK(third.up_to_date == 5);
  CHECK(names_with(read_report(report), batch::Status::built) == std::set<std::string>{"e03"});

  // An output removed or damaged behind the cache's back is rebuilt.
  fs::remove(out / "e05.epub");
  test::write_file(out / "e06.pdf", "damaged");
  CHECK(batch_run().built == 2);

  CHECK(batch_run({"--force"}).built == 6);
}

TEST_CASE("three shards build every edition once; their merged report is the whole", "[batch]") {
  const fs::path dir = test::scratch_dir("batch shards");
  generate(dir / "in", 9);
  const auto whole =
      test::run_warraq({"batch", (dir / "in").string(), "-o", (dir / "whole").string(), "--report",
                        (dir / "whole.json").string()});
  REQUIRE(whole.status == 0);

  std::multiset<std::string> built;
  std::vector<std::string> merge_args{"report", "merge"};
  for (int k = 1; k <= 3; ++k) {
    const std::string shard = std::to_string(k) + "/3";
    const fs::path report = dir / ("shard-" + std::to_string(k) + ".json");
    const auto r =
        test::run_warraq({"batch", (dir / "in").string(), "-o", (dir / "sharded").string(), "-j",
                          "1", "--shard", shard, "--report", report.string()});
    REQUIRE(r.status == 0);
    const batch::Report part = read_report(report);
    CHECK(part.editions.size() == 3);
    for (const auto& e : part.editions) {
      CHECK(e.status == batch::Status::built);
      built.insert(e.name);
    }
    merge_args.push_back(report.string());
  }
  CHECK(built.size() == 9);
  CHECK(std::set<std::string>(built.begin(), built.end()).size() == 9);

  merge_args.insert(merge_args.end(), {"-o", (dir / "merged.json").string()});
  const auto merge = test::run_warraq(merge_args);
  INFO(merge.err);
  REQUIRE(merge.status == 0);
  CHECK(content_of(read_report(dir / "merged.json")) ==
        content_of(read_report(dir / "whole.json")));
  CHECK(files_under(dir / "sharded").size() == files_under(dir / "whole").size());

  // A report given twice is refused rather than counted twice.
  const auto twice =
      test::run_warraq({"report", "merge", (dir / "shard-1.json").string(),
                        (dir / "shard-1.json").string(), "-o", (dir / "bad.json").string()});
  CHECK(twice.status == 2);
  CHECK_FALSE(fs::exists(dir / "bad.json"));
}
