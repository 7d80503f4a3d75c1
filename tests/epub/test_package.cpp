// The EPUB package: validity (epubcheck), OCF structure, right-to-left declarations,
// navigation, reproducible bytes, transactional output.
#include <cstdlib>
#include <ctime>
#include <set>

#include "epub_test_helpers.hpp"

using namespace warraq;
using test::count_of;

namespace {

struct Built {
  std::filesystem::path path;
  bool ok = false;
  model::Diagnostics diagnostics;
  epub::Result result;
};

Built build(const model::Edition& edition, const std::filesystem::path& path,
            epub::Options options = {}) {
  static const auto fonts = test::repository_fonts();
  static const auto layout = test::repository_layout();
  if (options.modified_time == 0) options.modified_time = test::sample_time;
  Built b;
  b.path = path;
  b.ok = epub::write_epub(edition, layout, *fonts, options, path, b.diagnostics, &b.result);
  for (const auto& d : b.diagnostics.all()) UNSCOPED_INFO(d.to_string());
  return b;
}

std::uint16_t le16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    static_cast<unsigned char>(b[at + 1]) << 8);
}
std::uint32_t le32(const std::string& b, std::size_t at) {
  return static_cast<std::uint32_t>(le16(b, at)) | static_cast<std::uint32_t>(le16(b, at + 2))
                                                       << 16;
}

}  // namespace

TEST_CASE("the sample edition passes epubcheck with no error and no warning", "[epub]") {
  const auto dir = test::scratch_dir("epub-sample-epubcheck");
  const auto b = build(test::sample_edition(), dir / "sample.epub");
  REQUIRE(b.ok);
  const auto check = test::epubcheck(b.path);
  INFO(check.output);
  CHECK(check.status == 0);
  CHECK(check.errors == 0);
  CHECK(check.warnings == 0);
  CHECK(check.output.find("No errors or warnings detected") != std::string::npos);
  CHECK(check.clean);
}

TEST_CASE("OCF structure: mimetype first and stored, container, package, rtl spine", "[epub]") {
  const auto dir = test::scratch_dir("epub-structure");
  const auto edition = test::generated_edition(5, 2);
  const auto b = build(edition, dir / "digest.epub");
  REQUIRE(b.ok);

  // The first bytes of the file are the stored mimetype entry (OCF 3.3 §4.3).
  const std::string raw = test::read_file(b.path);
  REQUIRE(raw.size() > 58);
  CHECK(raw.substr(0, 4) == "PK\x03\x04");
  CHECK(le16(raw, 8) == 0);   // method: stored
  CHECK(le16(raw, 28) == 0);  // no extra field
  CHECK(raw.substr(30, 8) == "mimetype");
  CHECK(raw.substr(38, 20) == "application/epub+zip");

  const auto entries = test::read_zip(b.path);
  REQUIRE(entries.size() > 4);
  CHECK(entries[0].name == "mimetype");
  CHECK(entries[0].method == ZIP_CM_STORE);
  CHECK(entries[1].name == "META-INF/container.xml");
  CHECK(entries[1].bytes.find("full-path=\"OEBPS/content.opf\"") != std::string::npos);

  auto files = test::zip_files(b.path);
  const std::string& opf = files["OEBPS/content.opf"];
  CHECK(opf.find("page-progression-direction=\"rtl\"") != std::string::npos);
  CHECK(opf.find("<spine toc=\"ncx\"") != std::string::npos);
  CHECK(opf.find("<dc:language>ar-MA</dc:language>") != std::string::npos);
  CHECK(opf.find("<dc:date>2024-11-25</dc:date>") != std::string::npos);
  CHECK(opf.find("<meta property=\"dcterms:modified\">2024-11-25T00:00:00Z</meta>") !=
        std::string::npos);
  CHECK(opf.find("<dc:publisher>دار ورّاق للنشر</dc:publisher>") != std::string::npos);
  CHECK_FALSE(test::package_identifier(opf).empty());
  CHECK(files.count("OEBPS/toc.ncx") == 1);
  CHECK(files.count("OEBPS/nav.xhtml") == 1);
  CHECK(files.count("OEBPS/css/digest.css") == 1);

  // Every XHTML document declares language and direction on <html>.
  int xhtml = 0;
  for (const auto& [name, bytes] : files) {
    if (name.size() < 6 || name.substr(name.size() - 6) != ".xhtml") continue;
    ++xhtml;
    INFO(name);
    CHECK(bytes.find("<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                     "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"ar-MA\" "
                     "xml:lang=\"ar-MA\" dir=\"rtl\">") != std::string::npos);
    CHECK(bytes.find("<script") == std::string::npos);
  }
  CHECK(xhtml >= 6);  // nav + 5 articles (+ cover)

  // The toc has one link per article plus one per named section; so has the NCX.
  const std::string& nav = files["OEBPS/nav.xhtml"];
  const auto toc = nav.substr(0, nav.find("epub:type=\"landmarks\""));
  CHECK(count_of(toc, "href=\"text/a0") == 5 + 2);
  for (int i = 1; i <= 5; ++i)
    CHECK(count_of(toc, "href=\"text/a00" + std::to_string(i) + ".xhtml#article-") == 1);
  CHECK(nav.find("epub:type=\"landmarks\"") != std::string::npos);
  CHECK(nav.find("epub:type=\"bodymatter\" href=\"text/a001.xhtml\"") != std::string::npos);
  const std::string& ncx = files["OEBPS/toc.ncx"];
  CHECK(count_of(ncx, "<navPoint ") == 5 + 2);
  CHECK(ncx.find("<meta name=\"dtb:uid\" content=\"urn:uuid:") != std::string::npos);

  // Article content: header parts, blocks, inline markup, related links.
  const std::string& a1 = files["OEBPS/text/a001.xhtml"];
  CHECK(a1.find("<p class=\"kicker\">بطاقة رقم 1</p>") != std::string::npos);
  CHECK(a1.find("<h1>حموشي يستقبل") != std::string::npos);
  CHECK(a1.find("<p class=\"subheadline\">") != std::string::npos);
  CHECK(a1.find("<p class=\"byline\">خالد الحافظ</p>") != std::string::npos);
  CHECK(a1.find("<time datetime=\"2024-11-25\">") != std::string::npos);
  CHECK(a1.find("<p class=\"lead\">") != std::string::npos);
  CHECK(a1.find("<strong>عبد اللطيف حموشي</strong>") != std::string::npos);
  CHECK(a1.find("<em>في الرباط</em>") != std::string::npos);
  CHECK(a1.find("<span lang=\"fr\" xml:lang=\"fr\" dir=\"ltr\" class=\"latin\">Francesca "
                "Bostyn</span>") != std::string::npos);
  CHECK(a1.find("<br/>") != std::string::npos);
  CHECK(a1.find("<h2>محاور اللقاء</h2>") != std::string::npos);
  CHECK(a1.find("<ol>") != std::string::npos);
  CHECK(a1.find("<blockquote>") != std::string::npos);
  CHECK(a1.find("class=\"pull-quote\"") != std::string::npos);
  CHECK(a1.find("<section class=\"related\">") != std::string::npos);
  CHECK(a1.find("href=\"https://example.com/article?id=0&amp;lang=ar\"") != std::string::npos);
  // A javascript: link loses its target and keeps its text.
  CHECK(a1.find("javascript") == std::string::npos);
  CHECK(a1.find("رابط") != std::string::npos);
  CHECK(a1.find("<p class=\"section-name\" id=\"section-1\">أمن</p>") != std::string::npos);
}

TEST_CASE("zip entries carry the given time and no extra fields", "[epub]") {
  const auto dir = test::scratch_dir("epub-zip-headers");
  const auto b = build(test::generated_edition(3, 1), dir / "d.epub");
  REQUIRE(b.ok);
  const std::string raw = test::read_file(b.path);
  // 2024-11-25 00:00:00 as a DOS date and time.
  const std::uint16_t dos_date = (2024 - 1980) << 9 | 11 << 5 | 25;
  std::size_t at = 0;
  int entries = 0;
  while (raw.compare(at, 4, "PK\x03\x04") == 0) {
    INFO("entry " << entries << " " << raw.substr(at + 30, le16(raw, at + 26)));
    CHECK(le16(raw, at + 6) == (le16(raw, at + 6) & 0x0806));  // no data descriptor (bit 3)
    CHECK(le16(raw, at + 10) == 0);                            // time 00:00:00
    CHECK(le16(raw, at + 12) == dos_date);
    CHECK(le16(raw, at + 28) == 0);  // no extra field
    at += 30 + le16(raw, at + 26) + le16(raw, at + 28) + le32(raw, at + 18);
    ++entries;
  }
  CHECK(entries > 4);
  CHECK(raw.compare(at, 4, "PK\x01\x02") == 0);  // the central directory follows
}

TEST_CASE("two builds give the same bytes, whatever the host's time zone", "[epub]") {
  const auto dir = test::scratch_dir("epub-reproducible");
  const auto edition = test::generated_edition(8, 3);
  const auto first = build(edition, dir / "one.epub");
  REQUIRE(first.ok);
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz ? old_tz : "";
  setenv("TZ", "Asia/Tokyo", 1);
  tzset();
  const auto second = build(edition, dir / "two.epub");
  if (old_tz) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  REQUIRE(second.ok);
  CHECK(test::read_file(first.path) == test::read_file(second.path));
}

TEST_CASE("the identifier is stable across rebuilds and follows the line-up", "[epub]") {
  const auto dir = test::scratch_dir("epub-identifier");
  const auto identifier = [&](const std::filesystem::path& p) {
    const auto id = test::package_identifier(test::zip_files(p)["OEBPS/content.opf"]);
    REQUIRE_FALSE(id.empty());
    return id;
  };
  auto edition = test::generated_edition(3, 1);
  epub::Options later;
  later.modified_time = test::sample_time + 86400;
  const auto a = build(edition, dir / "a.epub");
  const auto b = build(edition, dir / "b.epub", later);
  edition.sections[0].articles[1].id = "another";
  const auto c = build(edition, dir / "c.epub");
  REQUIRE((a.ok && b.ok && c.ok));
  CHECK(identifier(a.path) == identifier(b.path));  // modification time is not identity
  CHECK(identifier(a.path) != identifier(c.path));
}

TEST_CASE("a failed write leaves nothing behind", "[epub]") {
  const auto dir = test::scratch_dir("epub-failed-write");
  const auto edition = test::generated_edition(2, 1);

  SECTION("into a folder that does not exist") {
    const auto b = build(edition, dir / "missing" / "out.epub");
    CHECK_FALSE(b.ok);
    REQUIRE(b.diagnostics.has_errors());
    CHECK(b.diagnostics.all().back().code == "epub-write");
    CHECK_FALSE(std::filesystem::exists(dir / "missing"));
  }
  SECTION("over a folder") {
    std::filesystem::create_directories(dir / "taken.epub" / "inside");
    const auto b = build(edition, dir / "taken.epub");
    CHECK_FALSE(b.ok);
    CHECK(b.diagnostics.has_errors());
  }
  // Nothing but what the test made: no temporary file is left in the target folder.
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    left.push_back(e.path().filename().string());
  CHECK((left.empty() || left == std::vector<std::string>{"taken.epub"}));
}

TEST_CASE("an edition without articles is refused", "[epub]") {
  const auto dir = test::scratch_dir("epub-empty");
  model::Edition edition;
  edition.title = "فارغ";
  const auto b = build(edition, dir / "empty.epub");
  CHECK_FALSE(b.ok);
  CHECK(b.diagnostics.has_errors());
  CHECK_FALSE(std::filesystem::exists(dir / "empty.epub"));
}

TEST_CASE("the epubcheck helper reports what epubcheck finds", "[epub]") {
  // Guards the other tests against a vacuous "clean": a broken file must not pass.
  const auto dir = test::scratch_dir("epub-epubcheck-helper");
  test::write_file(dir / "broken.epub", "PK not really a zip archive");
  const auto check = test::epubcheck(dir / "broken.epub");
  INFO(check.output);
  CHECK(check.status != 0);
  CHECK(check.errors >= 1);
  CHECK_FALSE(check.clean);
}

TEST_CASE("a left-to-right edition without section names is a flat, ltr book", "[epub]") {
  const auto dir = test::scratch_dir("epub-ltr-flat");
  auto edition = test::generated_edition(3, 1);
  edition.locale = "fr-MA";
  edition.direction = model::Direction::ltr;
  edition.sections[0].name = "";
  const auto b = build(edition, dir / "ltr.epub");
  REQUIRE(b.ok);
  auto files = test::zip_files(b.path);
  CHECK(files["OEBPS/content.opf"].find("page-progression-direction=\"ltr\"") != std::string::npos);
  CHECK(files["OEBPS/text/a001.xhtml"].find("lang=\"fr-MA\" xml:lang=\"fr-MA\" dir=\"ltr\"") !=
        std::string::npos);
  const std::string& nav = files["OEBPS/nav.xhtml"];
  CHECK(count_of(nav, "<ol>") == 2);  // the toc and the landmarks, no nesting
  CHECK(nav.find("<h1>Contents</h1>") != std::string::npos);
  CHECK(files["OEBPS/toc.ncx"].find("<meta name=\"dtb:depth\" content=\"1\"/>") !=
        std::string::npos);
  CHECK(files["OEBPS/text/a001.xhtml"].find("section-name") == std::string::npos);
  const auto check = test::epubcheck(b.path);
  INFO(check.output);
  CHECK(check.clean);
}
