// Imported editions written as native XML read back as the same model; through the command
// line, every fixture imports, checks, and builds a PDF (qpdf, text extraction) and an EPUB
// (epubcheck) that pass the checks the native samples pass.
#include <algorithm>
#include <set>

#include "import_test_helpers.hpp"

namespace fs = std::filesystem;
using namespace warraq;

namespace {

std::vector<fs::path> fixtures() {
  std::vector<fs::path> files;
  for (const char* format : {"scraped", "nitf", "rss", "atom"})
    for (const auto& entry : fs::directory_iterator(test::import_data() / format))
      if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string body_text(const model::Edition& edition) {
  std::string out;
  for (const auto& s : edition.sections)
    for (const auto& a : s.articles)
      for (const auto& b : a.body)
        if (b.kind == model::BlockKind::paragraph) out += model::plain_text(b.content) + "\n";
  return out;
}

}  // namespace

TEST_CASE("every fixture written as native XML reads back as the same model", "[input][import]") {
  for (const auto& file : fixtures()) {
    INFO(file.string());
    const auto imported = test::import_file(file);
    INFO(imported.all());
    REQUIRE(imported.edition);
    const fs::path out = test::scratch_dir("import-roundtrip-" + file.stem().string());
    model::Diagnostics diagnostics;
    REQUIRE(input::write_native(*imported.edition, out, diagnostics));
    model::Diagnostics read_diagnostics;
    const auto back = input::read_edition(out / "edition.xml", read_diagnostics);
    for (const auto& d : read_diagnostics.all()) INFO(d.to_string());
    REQUIRE(back);
    CHECK(read_diagnostics.all().empty());
    CHECK(back->title == imported.edition->title);
    CHECK(back->date == imported.edition->date);
    CHECK(back->locale == imported.edition->locale);
    CHECK(back->direction == imported.edition->direction);
    REQUIRE(back->sections.size() == imported.edition->sections.size());
    for (std::size_t s = 0; s < back->sections.size(); ++s) {
      CHECK(back->sections[s].name == imported.edition->sections[s].name);
      REQUIRE(back->sections[s].articles.size() == imported.edition->sections[s].articles.size());
      for (std::size_t a = 0; a < back->sections[s].articles.size(); ++a)
        test::check_same_article(back->sections[s].articles[a],
                                 imported.edition->sections[s].articles[a]);
    }
    // Written files pass the format's schema too.
    for (const auto& entry : fs::recursive_directory_iterator(out))
      if (entry.path().extension() == ".xml") {
        const auto r = test::run({"xmllint", "--noout", "--relaxng",
                                  (test::source_dir() / "schema" / "warraq.rng").string(),
                                  entry.path().string()});
        INFO(r.err);
        CHECK(r.status == 0);
      }
  }
}

TEST_CASE("warraq import then check on every importer's fixtures", "[input][import][cli]") {
  for (const auto& file : fixtures()) {
    INFO(file.string());
    const fs::path dir = test::scratch_dir("import-cli-" + file.stem().string());
    const auto imported = test::run_warraq({"import", file.string(), "-o", (dir / "out").string()});
    INFO(imported.err);
    REQUIRE(imported.status == 0);
    const auto check = test::run_warraq({"check", (dir / "out" / "edition.xml").string()});
    INFO(check.err);
    CHECK(check.status == 0);
    // Direct input gives the same check result as the imported files.
    CHECK(test::run_warraq({"check", file.string()}).status == 0);
  }
}

namespace {

// Import, then PDF (qpdf, text extraction) from the imported files and EPUB (epubcheck, no
// error, no warning) straight from the original input.
void build_and_check(const fs::path& file) {
  INFO(file.string());
  const fs::path dir = test::scratch_dir("import-build-" + file.stem().string());
  const auto imported = test::run_warraq({"import", file.string(), "-o", (dir / "out").string()});
  INFO(imported.err);
  REQUIRE(imported.status == 0);
  const std::string edition = (dir / "out" / "edition.xml").string();

  const std::string pdf = (dir / "e.pdf").string();
  const auto p = test::run_warraq({"pdf", edition, "-o", pdf});
  INFO(p.err);
  REQUIRE(p.status == 0);
  const auto q = test::run({"qpdf", "--check", pdf});
  INFO(q.out + q.err);
  CHECK(q.status == 0);
  const auto text = test::run({"pdftotext", "-enc", "UTF-8", pdf, "-"});
  REQUIRE(text.status == 0);
  model::Diagnostics diagnostics;
  const auto model = input::read_edition(edition, diagnostics);
  REQUIRE(model);
  const auto score = test::score_words(body_text(*model), text.out);
  INFO("missing: " << (score.missing.empty() ? std::string() : score.missing.front()));
  CHECK(score.intact >= 0.995);

  const std::string epub = (dir / "e.epub").string();
  const auto e = test::run_warraq({"epub", file.string(), "-o", epub});
  INFO(e.err);
  REQUIRE(e.status == 0);
  const auto ec = test::run({"java", "-jar", "/usr/share/java/epubcheck.jar", epub});
  INFO(ec.out + ec.err);
  CHECK(ec.status == 0);
  CHECK(ec.out.find("WARNING(") == std::string::npos);
  CHECK(ec.err.find("WARNING(") == std::string::npos);
}

}  // namespace

TEST_CASE("scraped text builds a PDF and an EPUB that pass the checks", "[input][import][cli]") {
  build_and_check(test::import_data() / "scraped" / "hammouchi-belgium.txt");
}

TEST_CASE("NITF builds a PDF and an EPUB that pass the checks", "[input][import][cli]") {
  build_and_check(test::import_data() / "nitf" / "tanger-med-ar-windows-1256.xml");
}

TEST_CASE("Arabic RSS builds a PDF and an EPUB that pass the checks", "[input][import][cli]") {
  build_and_check(test::import_data() / "rss" / "maghreb-news-ar.xml");
}

TEST_CASE("English RSS builds a PDF and an EPUB that pass the checks", "[input][import][cli]") {
  build_and_check(test::import_data() / "rss" / "wire-en.xml");
}

TEST_CASE("Atom builds a PDF and an EPUB that pass the checks", "[input][import][cli]") {
  build_and_check(test::import_data() / "atom" / "culture-ar.xml");
}

TEST_CASE("several inputs make one edition in order and --keep-going builds the good ones",
          "[input][import][cli]") {
  const fs::path dir = test::scratch_dir("import-multi");
  const std::string scraped = (test::import_data() / "scraped" / "hammouchi-belgium.txt").string();
  const std::string rss = (test::import_data() / "rss" / "maghreb-news-ar.xml").string();
  const std::string nitf =
      (test::import_data() / "nitf" / "tanger-med-ar-windows-1256.xml").string();
  const std::string bad = (test::import_data() / "bad" / "bad-date-rss.xml").string();

  SECTION("order and merging") {
    model::Diagnostics diagnostics;
    const auto edition = input::read_inputs({scraped, rss, nitf}, std::nullopt, false, diagnostics);
    REQUIRE(edition);
    CHECK(edition->title == model::plain_text(edition->sections[0].articles[0].headline));
    CHECK(edition->article_count() == 5);
    // The scrape and the feed's first item share an id: the second is renamed, with a warning.
    bool renamed = false;
    for (const auto& d : diagnostics.all()) renamed = renamed || d.code == "renamed-id";
    CHECK(renamed);
    std::set<std::string> ids;
    for (const auto& s : edition->sections)
      for (const auto& a : s.articles) CHECK(ids.insert(a.id).second);
    std::set<std::string> section_ids;
    for (const auto& s : edition->sections) CHECK(section_ids.insert(s.id).second);
  }
  SECTION("a bad input fails the run, unless --keep-going") {
    const auto out = dir / "out";
    const auto r = test::run_warraq({"import", scraped, bad, rss, "-o", out.string()});
    CHECK(r.status == 2);
    CHECK_FALSE(fs::exists(out / "edition.xml"));
    CHECK(r.err.find("bad-date-rss.xml:7:7: error: bad pubDate") != std::string::npos);

    const auto k =
        test::run_warraq({"import", scraped, bad, rss, "-o", out.string(), "--keep-going"});
    CHECK(k.status == 2);  // a bad input is still reported as such
    CHECK(fs::exists(out / "edition.xml"));
    CHECK(test::run_warraq({"check", (out / "edition.xml").string()}).status == 0);

    const auto pdf = dir / "k.pdf";
    const auto p = test::run_warraq({"pdf", scraped, bad, "-o", pdf.string(), "--keep-going"});
    CHECK(fs::exists(pdf));
    CHECK_FALSE(fs::exists(dir / "n.pdf"));
    CHECK(test::run_warraq({"pdf", scraped, bad, "-o", (dir / "n.pdf").string()}).status == 2);
    CHECK_FALSE(fs::exists(dir / "n.pdf"));
  }
  SECTION("--verbose lists what was dropped, with file:line") {
    const auto r = test::run_warraq({"import", rss, "-o", (dir / "v").string(), "--verbose"});
    CHECK(r.status == 0);
    CHECK(r.err.find("maghreb-news-ar.xml:25: dropped: <script> element") != std::string::npos);
    const auto quiet = test::run_warraq({"import", rss, "-o", (dir / "q").string()});
    CHECK(quiet.err.find("dropped") == std::string::npos);
  }
  SECTION("--from forces a format") {
    const auto r = test::run_warraq({"check", "--from", "atom", rss});
    CHECK(r.status == 2);
    CHECK(r.err.find("expected <feed xmlns=\"http://www.w3.org/2005/Atom\">") != std::string::npos);
  }
}
