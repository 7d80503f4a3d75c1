// Helpers for the EPUB tests: reading archives back through libzip, running epubcheck,
// building editions as model values, loading the repository's layout and fonts.
#pragma once

#include <zip.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "epub/epub.hpp"
#include "input/input.hpp"
#include "support/test_support.hpp"
#include "typeset/typeset.hpp"

namespace warraq::test {

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // ZIP_CM_STORE, ZIP_CM_DEFLATE
  std::string bytes;
};

// Every entry of an archive, in central-directory order.
inline std::vector<ZipEntry> read_zip(const std::filesystem::path& path) {
  int error = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(
      zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error), zip_discard);
  REQUIRE(archive);
  std::vector<ZipEntry> entries;
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    REQUIRE(zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &st) == 0);
    ZipEntry e;
    e.name = st.name;
    e.method = st.comp_method;
    e.bytes.resize(static_cast<std::size_t>(st.size));
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(
        zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(i), 0), zip_fclose);
    REQUIRE(file);
    REQUIRE(zip_fread(file.get(), e.bytes.data(), st.size) == static_cast<zip_int64_t>(st.size));
    entries.push_back(std::move(e));
  }
  return entries;
}

inline std::map<std::string, std::string> zip_files(const std::filesystem::path& path) {
  std::map<std::string, std::string> files;
  for (auto& e : read_zip(path)) files.emplace(e.name, std::move(e.bytes));
  return files;
}

inline int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

struct EpubCheck {
  int status = -1;
  std::string output;
  int errors = -1;
  int warnings = -1;
  bool clean = false;  // exit 0 and "No errors or warnings detected"
};

// Runs epubcheck (the Debian jar, through java: /usr/bin/epubcheck is not used) and reads
// its summary.
inline EpubCheck epubcheck(const std::filesystem::path& file) {
  const RunResult r = run({"java", "-jar", "/usr/share/java/epubcheck.jar", file.string()});
  EpubCheck c;
  c.status = r.status;
  c.output = r.out + r.err;
  c.errors = c.warnings = 0;
  for (std::size_t p = 0; (p = c.output.find("\nERROR(", p)) != std::string::npos; ++p) ++c.errors;
  for (std::size_t p = 0; (p = c.output.find("\nWARNING(", p)) != std::string::npos; ++p)
    ++c.warnings;
  if (c.output.rfind("ERROR(", 0) == 0) ++c.errors;
  if (c.output.rfind("WARNING(", 0) == 0) ++c.warnings;
  // "Messages: 0 fatals / 2 errors / 1 warning / 0 infos" (std::regex avoided: GCC 12
  // warns inside it under -O2 with sanitizers).
  if (const auto at = c.output.find("Messages: "); at != std::string::npos) {
    const char* p = c.output.c_str() + at + 10;
    int counts[3] = {0, 0, 0};  // fatals, errors, warnings
    for (int& n : counts) {
      char* end = nullptr;
      n = static_cast<int>(std::strtol(p, &end, 10));
      p = std::strchr(end, '/');
      if (!p) break;
      ++p;
    }
    c.errors = std::max(c.errors, counts[0] + counts[1]);
    c.warnings = std::max(c.warnings, counts[2]);
  }
  c.clean = c.status == 0 && c.errors == 0 && c.warnings == 0 &&
            c.output.find("No errors or warnings detected") != std::string::npos;
  return c;
}

inline model::Span text(std::string t, unsigned style = model::plain) {
  model::Span s;
  s.text = std::move(t);
  s.style = style;
  return s;
}

inline model::Block paragraph(model::Inlines content) {
  model::Block b;
  b.kind = model::BlockKind::paragraph;
  b.content = std::move(content);
  return b;
}

// The dc:identifier of a package document, or "" when there is none in the expected
// form: urn:uuid: and a version-5, RFC 4122 variant UUID in lower-case hex.
inline std::string package_identifier(const std::string& opf) {
  const std::string open = "<dc:identifier id=\"pub-id\">urn:uuid:";
  const auto at = opf.find(open);
  if (at == std::string::npos) return {};
  const std::string uuid = opf.substr(at + open.size(), 36);
  if (uuid.size() != 36 || opf.compare(at + open.size() + 36, 16, "</dc:identifier>") != 0)
    return {};
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    const char c = uuid[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  }
  if (uuid[14] != '5' || std::string("89ab").find(uuid[19]) == std::string::npos) return {};
  return "urn:uuid:" + uuid;
}

// The sentences of the scraped sample article (../shared/samples), one per paragraph.
inline std::vector<std::string> sample_paragraphs() {
  const std::string text = read_file(shared_dir() / "samples/scraped-article-ar-MA.txt");
  std::vector<std::string> paragraphs;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.size() > 200) paragraphs.push_back(line);  // body paragraphs, not teasers
    start = end + 1;
  }
  return paragraphs;
}

// An edition built as model values: `count` articles in `sections` sections, with every
// kind of block and inline markup, text taken from the sample article.
inline model::Edition generated_edition(int count, int sections = 2) {
  const auto paragraphs = sample_paragraphs();
  REQUIRE(paragraphs.size() >= 3);
  model::Edition e;
  e.title = "ورّاق اليومية";
  e.publisher = "دار ورّاق للنشر";
  e.number = "1234";
  e.date = {2024, 11, 25};
  e.locale = "ar-MA";
  e.where.file = (source_dir() / "samples/edition-ar-MA.xml").string();
  static const char* names[] = {"أمن", "متابعات", "اقتصاد", "رياضة"};
  for (int s = 0; s < sections; ++s) {
    model::Section section;
    section.id = "s" + std::to_string(s + 1);
    section.name = names[s % 4];
    e.sections.push_back(section);
  }
  for (int i = 0; i < count; ++i) {
    model::Article a;
    a.id = "article-" + std::to_string(i + 1);
    a.kicker = {text("بطاقة رقم " + std::to_string(i + 1))};
    a.headline = {
        text("حموشي يستقبل المديرة العامة لأمن الدولة البلجيكية " + std::to_string(i + 1))};
    a.subheadline = {text("لبحث التعاون الأمني المشترك")};
    a.byline = {text("خالد الحافظ")};
    a.dateline = {text("الرباط")};
    a.date = model::Date{2024, 11, 25};
    a.weight = 1 + i % 5;
    a.lead = {text(paragraphs[static_cast<std::size_t>(i) % paragraphs.size()])};
    model::Span latin = text("Francesca Bostyn");
    latin.lang = "fr";
    latin.dir = "ltr";
    model::Span link = text("الموقع");
    link.href = "https://example.com/article?id=" + std::to_string(i) + "&lang=ar";
    model::Span bad_link = text("رابط");
    bad_link.href = "javascript:alert(1)";
    model::Span br;
    br.line_break = true;
    a.body.push_back(
        paragraph({text("استقبل "), text("عبد اللطيف حموشي", model::strong), text("، السيدة "),
                   latin, text(" يوم 25 نونبر 2024 "), text("في الرباط", model::emphasis), br, link,
                   text(" "), bad_link}));
    for (std::size_t p = 0; p < paragraphs.size(); ++p)
      a.body.push_back(
          paragraph({text(paragraphs[(p + static_cast<std::size_t>(i)) % paragraphs.size()])}));
    model::Block sub;
    sub.kind = model::BlockKind::subheading;
    sub.content = {text("محاور اللقاء")};
    a.body.push_back(sub);
    model::Block list;
    list.kind = model::BlockKind::list;
    list.ordered = i % 2 == 0;
    list.items = {{text("مكافحة الإرهاب والتطرف")}, {text("تبادل المعلومات")}};
    a.body.push_back(list);
    model::Block quote;
    quote.kind = model::BlockKind::quote;
    quote.content = {text("التعاون الأمني بين البلدين متقدم")};
    quote.cite = "فرانسيسكا بوستين";
    a.body.push_back(quote);
    model::Block pull;
    pull.kind = model::BlockKind::pull_quote;
    pull.content = {text("فرصة هامة لاستعراض القضايا الأمنية")};
    a.body.push_back(pull);
    model::RelatedLink related;
    related.href = i % 2 ? "https://example.com/related" : "";
    related.title = "انطلاق برنامج وطني لمحاربة العنف ضد النساء والفتيات في آسفي";
    related.snippet = "\u00a0 في إطار الحملة الوطنية الـ22 لوقف العنف ضد النساء...";
    a.related.push_back(related);
    e.sections[static_cast<std::size_t>(i % sections)].articles.push_back(std::move(a));
  }
  return e;
}

inline model::Layout repository_layout() {
  model::Diagnostics diagnostics;
  auto layout = input::read_layout(source_dir() / "layouts/a4-digest.xml", diagnostics);
  for (const auto& d : diagnostics.all()) UNSCOPED_INFO(d.to_string());
  REQUIRE(layout);
  return *layout;
}

// The repository's font set, loaded once for the whole test run and kept for the process's
// life (never destroyed, so no test depends on how the font set tears down its Pango font
// map).
inline std::shared_ptr<typeset::FontSet> repository_fonts() {
  static const auto* fonts = [] {
    model::Diagnostics diagnostics;
    auto loaded = typeset::FontSet::load(source_dir() / "fonts", diagnostics);
    for (const auto& d : diagnostics.all()) UNSCOPED_INFO(d.to_string());
    return new std::shared_ptr<typeset::FontSet>(std::move(loaded));
  }();
  REQUIRE(*fonts);
  return *fonts;
}

inline model::Edition sample_edition() {
  model::Diagnostics diagnostics;
  auto edition = input::read_edition(source_dir() / "samples/edition-ar-MA.xml", diagnostics);
  for (const auto& d : diagnostics.all()) UNSCOPED_INFO(d.to_string());
  REQUIRE(edition);
  return *edition;
}

constexpr std::int64_t sample_time = 1732492800;  // 2024-11-25T00:00:00Z

}  // namespace warraq::test
