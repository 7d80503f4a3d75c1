// The full digest: cover, accessibility metadata, subset fonts, digit shapes, a large
// edition, and the text as another tool (pandoc) reads it back.
#include <cairo.h>
#include <hb-ot.h>
#include <hb.h>

#include <array>
#include <chrono>
#include <cstring>
#include <set>
#include <thread>

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
            epub::Options options = {}, const model::Layout* layout = nullptr) {
  static const auto fonts = test::repository_fonts();
  static const auto repository_layout = test::repository_layout();
  if (options.modified_time == 0) options.modified_time = test::sample_time;
  Built b;
  b.path = path;
  b.ok = epub::write_epub(edition, layout ? *layout : repository_layout, *fonts, options, path,
                          b.diagnostics, &b.result);
  for (const auto& d : b.diagnostics.all()) UNSCOPED_INFO(d.to_string());
  return b;
}

std::uint32_t be32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(b[at + i]);
  return v;
}

// Words joined by single spaces, for comparing text across line wrapping.
std::string normalized(const std::string& text) {
  std::string out;
  for (const auto& w : test::split_words(text)) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::set<char32_t> code_points(const std::string& utf8) {
  std::set<char32_t> out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : b & (0xFF >> (n + 1));
    for (int k = 1; k < n; ++k) c = c << 6 | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    out.insert(c);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

}  // namespace

TEST_CASE("the cover is a 1200x1800 PNG, the cover image of the package, first in the spine",
          "[epub][cover]") {
  const auto dir = test::scratch_dir("epub-cover");
  const auto b = build(test::sample_edition(), dir / "sample.epub");
  REQUIRE(b.ok);
  auto files = test::zip_files(b.path);
  const std::string& png = files["OEBPS/images/cover.png"];
  REQUIRE(png.size() > 10000);
  CHECK(png.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  CHECK(be32(png, 16) == 1200);
  CHECK(be32(png, 20) == 1800);

  const std::string& opf = files["OEBPS/content.opf"];
  CHECK(opf.find("<item id=\"cover-image\" href=\"images/cover.png\" media-type=\"image/png\" "
                 "properties=\"cover-image\"/>") != std::string::npos);
  CHECK(opf.find("<meta name=\"cover\" content=\"cover-image\"/>") != std::string::npos);
  const auto spine = opf.substr(opf.find("<spine"));
  CHECK(spine.find("<itemref idref=\"cover\"/>") < spine.find("<itemref idref=\"nav\"/>"));
  CHECK(spine.find("<itemref idref=\"nav\"/>") < spine.find("<itemref idref=\"a001\"/>"));

  // The cover page's alternative text carries what the image shows: title, both dates,
  // the number and the top headlines.
  const std::string& cover = files["OEBPS/cover.xhtml"];
  CHECK(cover.find("<img src=\"images/cover.png\" alt=\"ورّاق اليومية، الاثنين 25 نونبر "
                   "2024، 23 جمادى الأولى 1446 هـ، العدد 1234. أبرز العناوين: حموشي يستقبل") !=
        std::string::npos);
  CHECK(files["OEBPS/nav.xhtml"].find("epub:type=\"cover\" href=\"cover.xhtml\"") !=
        std::string::npos);
}

TEST_CASE(
    "the cover PNG decodes to the drawn page: background, accent rules in the kicker "
    "colour, dark type",
    "[epub][cover]") {
  const auto dir = test::scratch_dir("epub-cover-pixels");
  const auto b = build(test::sample_edition(), dir / "sample.epub");
  REQUIRE(b.ok);
  auto files = test::zip_files(b.path);
  const std::string png = files["OEBPS/images/cover.png"];
  struct Reader {
    const std::string* bytes;
    std::size_t at = 0;
  } reader{&png};
  const auto read = [](void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->at + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, r->bytes->data() + r->at, length);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(read, &reader);
  REQUIRE(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS);
  REQUIRE(cairo_image_surface_get_width(surface) == 1200);
  REQUIRE(cairo_image_surface_get_height(surface) == 1800);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  // Cairo's image formats hold 0x(AA)RRGGBB in a native-endian word.
  const auto rgb = [&](int x, int y) {
    std::uint32_t px;
    std::memcpy(&px, data + y * stride + x * 4, 4);
    return std::array<int, 3>{int(px >> 16 & 0xFF), int(px >> 8 & 0xFF), int(px & 0xFF)};
  };
  const auto near = [](std::array<int, 3> got, std::array<int, 3> want) {
    for (int i = 0; i < 3; ++i)
      if (std::abs(got[i] - want[i]) > 2) return false;
    return true;
  };
  CHECK(near(rgb(20, 20), {252, 250, 245}));  // the paper colour (0.99, 0.98, 0.96)
  // The top and bottom rules, 14 px thick at the margins, in the layout's kicker colour
  // (#8a1c1c in a4-digest): red channel first, so swapped channels would show.
  CHECK(near(rgb(600, 97), {0x8a, 0x1c, 0x1c}));
  CHECK(near(rgb(600, 1800 - 90 - 7), {0x8a, 0x1c, 0x1c}));
  std::size_t dark = 0;
  for (int y = 0; y < 1800; y += 2)
    for (int x = 0; x < 1200; x += 2) {
      const auto c = rgb(x, y);
      if (c[0] < 80 && c[1] < 80 && c[2] < 80) ++dark;
    }
  CHECK(dark > 5000);  // the masthead, the dates and the headlines in near-black type
  cairo_surface_destroy(surface);
}

TEST_CASE("accessibility metadata is declared", "[epub]") {
  const auto dir = test::scratch_dir("epub-a11y");
  const auto b = build(test::sample_edition(), dir / "sample.epub");
  REQUIRE(b.ok);
  const std::string opf = test::zip_files(b.path)["OEBPS/content.opf"];
  for (const char* meta :
       {"<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessMode\">visual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityFeature\">alternativeText</meta>",
        "<meta property=\"schema:accessibilityFeature\">readingOrder</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">"}) {
    INFO(meta);
    CHECK(opf.find(meta) != std::string::npos);
  }
}

TEST_CASE("fonts are embedded subset, smaller than their sources, and cover the text",
          "[epub][fonts]") {
  const auto dir = test::scratch_dir("epub-fonts");
  const auto edition = test::sample_edition();
  const auto b = build(edition, dir / "sample.epub");
  REQUIRE(b.ok);
  const auto fonts = test::repository_fonts();
  auto files = test::zip_files(b.path);
  const std::string& css = files["OEBPS/css/digest.css"];
  const std::string& opf = files["OEBPS/content.opf"];

  std::uintmax_t whole = 0, subset = 0;
  int embedded = 0;
  std::set<std::string> families;
  for (const auto& [name, bytes] : files) {
    if (name.rfind("OEBPS/fonts/", 0) != 0) continue;
    ++embedded;
    const std::string file = name.substr(std::string("OEBPS/fonts/").size());
    INFO(file);
    const typeset::FontFile* source = nullptr;
    for (const auto& f : fonts->files())
      if (f.path.filename() == file) source = &f;
    REQUIRE(source);
    families.insert(source->family);
    const auto source_size = std::filesystem::file_size(source->path);
    CHECK(bytes.size() < source_size / 2);
    whole += source_size;
    subset += bytes.size();
    CHECK(css.find("src: url(\"../fonts/" + file + "\")") != std::string::npos);
    CHECK(opf.find("href=\"fonts/" + file + "\" media-type=\"font/ttf\"") != std::string::npos);

    // Every character of the article text that the source font maps is in the subset.
    hb_blob_t* sub_blob = hb_blob_create(bytes.data(), static_cast<unsigned>(bytes.size()),
                                         HB_MEMORY_MODE_READONLY, nullptr, nullptr);
    hb_face_t* sub_face = hb_face_create(sub_blob, 0);
    hb_set_t* sub_set = hb_set_create();
    hb_face_collect_unicodes(sub_face, sub_set);
    hb_blob_t* src_blob = hb_blob_create_from_file(source->path.c_str());
    hb_face_t* src_face = hb_face_create(src_blob, 0);
    hb_set_t* src_set = hb_set_create();
    hb_face_collect_unicodes(src_face, src_set);
    int missing = 0;
    for (const auto& section : edition.sections)
      for (const auto& article : section.articles)
        for (const auto& block : article.body)
          for (char32_t c : code_points(model::plain_text(block.content)))
            // (U+2028 is how plain_text shows a <br/>, not a character of the XHTML.)
            if (c != 0x2028 && hb_set_has(src_set, c) && !hb_set_has(sub_set, c)) {
              UNSCOPED_INFO("missing U+" << std::hex << static_cast<unsigned>(c));
              ++missing;
            }
    CHECK(missing == 0);
    CHECK(hb_set_get_population(sub_set) < hb_set_get_population(src_set));
    // The name table travels whole: copyright, family, licence (SIL OFL 1.1, condition 2).
    const auto name_ids = [](hb_face_t* face) {
      unsigned count = 0;
      const hb_ot_name_entry_t* entries = hb_ot_name_list_names(face, &count);
      std::set<unsigned> ids;
      for (unsigned k = 0; k < count; ++k) ids.insert(entries[k].name_id);
      return ids;
    };
    CHECK(name_ids(sub_face) == name_ids(src_face));
    CHECK(name_ids(sub_face).count(HB_OT_NAME_ID_COPYRIGHT) == 1);
    CHECK(name_ids(sub_face).count(HB_OT_NAME_ID_LICENSE) == 1);
    for (auto* s : {sub_set, src_set}) hb_set_destroy(s);
    for (auto* f : {sub_face, src_face}) hb_face_destroy(f);
    for (auto* bl : {sub_blob, src_blob}) hb_blob_destroy(bl);
  }
  CHECK(embedded >= 2);
  CHECK(families.count("Amiri") == 1);       // the layout's body and headline family
  CHECK(families.count("Noto Serif") == 1);  // its Latin face: the sample has French runs
  CHECK(b.result.font_bytes_whole == whole);
  CHECK(b.result.font_bytes_subset == subset);
  CHECK(b.result.font_bytes_subset < b.result.font_bytes_whole / 3);
  WARN("fonts: " << embedded << " faces, whole " << whole << " bytes, subset " << subset
                 << " bytes");

  const auto check = test::epubcheck(b.path);
  INFO(check.output);
  CHECK(check.clean);
}

TEST_CASE("without fonts the digest embeds none and still validates", "[epub][fonts]") {
  const auto dir = test::scratch_dir("epub-no-fonts");
  epub::Options options;
  options.embed_fonts = false;
  const auto b = build(test::sample_edition(), dir / "plain.epub", options);
  REQUIRE(b.ok);
  for (const auto& e : test::read_zip(b.path)) CHECK(e.name.rfind("OEBPS/fonts/", 0) != 0);
  CHECK(b.result.font_bytes_whole == 0);
  CHECK(test::zip_files(b.path)["OEBPS/css/digest.css"].find("@font-face") == std::string::npos);
}

TEST_CASE("a family missing from the font set is an error and nothing is written",
          "[epub][fonts]") {
  const auto dir = test::scratch_dir("epub-missing-family");
  auto layout = test::repository_layout();
  layout.roles["headline"].family = "Nonexistent Naskh";
  const auto b = build(test::sample_edition(), dir / "x.epub", {}, &layout);
  CHECK_FALSE(b.ok);
  bool named = false;
  for (const auto& d : b.diagnostics.all())
    named = named || (d.code == "font-family-missing" &&
                      d.message.find("Nonexistent Naskh") != std::string::npos);
  CHECK(named);
  CHECK(std::filesystem::is_empty(dir));
}

TEST_CASE("Arabic-Indic digits in Arabic text, not in Latin runs, links or dates' values",
          "[epub][digits]") {
  const auto dir = test::scratch_dir("epub-digits");
  auto edition = test::generated_edition(2, 1);
  model::Span latin = test::text("COP29 in 2024");
  latin.lang = "en";
  edition.sections[0].articles[0].body.push_back(test::paragraph({latin}));
  epub::Options options;
  options.digits = model::DigitStyle::arabic_indic;
  const auto b = build(edition, dir / "arab.epub", options);
  REQUIRE(b.ok);
  auto files = test::zip_files(b.path);
  const std::string& a = files["OEBPS/text/a001.xhtml"];
  CHECK(a.find("يوم ٢٥ نونبر ٢٠٢٤") != std::string::npos);
  CHECK(a.find("<p class=\"kicker\">بطاقة رقم ١</p>") != std::string::npos);
  CHECK(a.find("الـ٢٢") != std::string::npos);  // related-link snippet
  CHECK(a.find(">COP29 in 2024</span>") != std::string::npos);
  CHECK(a.find("href=\"https://example.com/article?id=0&amp;lang=ar\"") != std::string::npos);
  CHECK(a.find("<time datetime=\"2024-11-25\">٢٥ نونبر ٢٠٢٤</time>") != std::string::npos);
  CHECK(files["OEBPS/nav.xhtml"].find("البلجيكية ١</a>") != std::string::npos);
  CHECK(files["OEBPS/toc.ncx"].find("البلجيكية ١</text>") != std::string::npos);
  CHECK(files["OEBPS/content.opf"].find("2024-11-25") != std::string::npos);

  // Western digits (the layout's default) leave the text as written.
  const auto w = build(edition, dir / "latn.epub");
  REQUIRE(w.ok);
  CHECK(test::zip_files(w.path)["OEBPS/text/a001.xhtml"].find("يوم 25 نونبر 2024") !=
        std::string::npos);
  const auto check = test::epubcheck(b.path);
  INFO(check.output);
  CHECK(check.clean);
}

TEST_CASE("a generated 100-article edition passes epubcheck with no error and no warning",
          "[epub][large]") {
  const auto dir = test::scratch_dir("epub-100");
  const auto edition = test::generated_edition(100, 4);
  const auto start = std::chrono::steady_clock::now();
  const auto b = build(edition, dir / "hundred.epub");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  REQUIRE(b.ok);
  WARN("100 articles: " << ms << " ms, " << std::filesystem::file_size(b.path) << " bytes");
  CHECK(b.result.documents == 102);  // cover, contents, 100 articles
  auto files = test::zip_files(b.path);
  CHECK(files.count("OEBPS/text/a100.xhtml") == 1);
  const std::string& nav = files["OEBPS/nav.xhtml"];
  CHECK(count_of(nav.substr(0, nav.find("landmarks")), "<a href=\"text/a") == 100 + 4);
  const auto check = test::epubcheck(b.path);
  INFO(check.output);
  CHECK(check.status == 0);
  CHECK(check.errors == 0);
  CHECK(check.warnings == 0);
  CHECK(check.clean);
}

TEST_CASE("pandoc reads the article text back", "[epub][pandoc]") {
  const auto dir = test::scratch_dir("epub-pandoc");
  const auto edition = test::sample_edition();
  const auto b = build(edition, dir / "sample.epub");
  REQUIRE(b.ok);
  const auto r = test::run({"pandoc", "-f", "epub", "-t", "plain", "--wrap=none", b.path.string()});
  INFO("pandoc is installed by scripts/setup-deps.sh; stderr: " << r.err);
  REQUIRE(r.status == 0);
  const std::string out = normalized(r.out);
  int paragraphs = 0;
  for (const auto& section : edition.sections)
    for (const auto& article : section.articles) {
      CHECK(out.find(normalized(model::plain_text(article.headline))) != std::string::npos);
      for (const auto& block : article.body) {
        if (block.kind != model::BlockKind::paragraph) continue;
        const std::string text = normalized(model::plain_text(block.content));
        INFO(text);
        CHECK(out.find(text) != std::string::npos);
        ++paragraphs;
      }
    }
  CHECK(paragraphs >= 8);
}

TEST_CASE("figure images are copied in once each; unusable ones are left out", "[epub]") {
  const auto dir = test::scratch_dir("epub-figures");
  // A PNG drawn here, a GIF written byte by byte, an SVG (refused: it can carry script).
  const auto png = dir / "images" / "photo.png";
  std::filesystem::create_directories(png.parent_path());
  {
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 40, 30);
    cairo_t* cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.6);
    cairo_paint(cr);
    cairo_destroy(cr);
    REQUIRE(cairo_surface_write_to_png(s, png.c_str()) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
  }
  test::write_file(dir / "images" / "dot.gif",
                   std::string("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
                               "!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00"
                               "\x00\x02\x02\x44\x01\x00;",
                               43));
  test::write_file(dir / "images" / "logo.svg",
                   "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");

  auto edition = test::generated_edition(2, 1);
  edition.where.file = (dir / "edition.xml").string();  // figures resolve against it
  const auto figure = [](const std::string& src, const std::string& alt) {
    model::Block b;
    b.kind = model::BlockKind::figure;
    b.figure.src = src;
    b.figure.alt = alt;
    b.figure.caption = {test::text("تعليق الصورة")};
    b.figure.credit = {test::text("تصوير: ورّاق")};
    return b;
  };
  auto& first = edition.sections[0].articles[0].body;
  first.push_back(figure("images/photo.png", "حموشي وبوستين"));
  first.push_back(figure("images/dot.gif", "نقطة"));
  first.push_back(figure("images/logo.svg", "شعار"));
  edition.sections[0].articles[1].body.push_back(figure("images/photo.png", "مرة ثانية"));

  const auto b = build(edition, dir / "figures.epub");
  REQUIRE(b.ok);
  auto files = test::zip_files(b.path);
  CHECK(files["OEBPS/images/img-001.png"] == test::read_file(png));
  CHECK(files.count("OEBPS/images/img-002.gif") == 1);
  CHECK(files.count("OEBPS/images/img-003.png") == 0);  // the second use shares the first
  int svg = 0;
  for (const auto& [name, bytes] : files) svg += name.find(".svg") != std::string::npos;
  CHECK(svg == 0);
  const std::string& a1 = files["OEBPS/text/a001.xhtml"];
  CHECK(a1.find("<img src=\"../images/img-001.png\" alt=\"حموشي وبوستين\"/>") != std::string::npos);
  CHECK(a1.find("<figcaption>تعليق الصورة <span class=\"credit\">تصوير: ورّاق</span>"
                "</figcaption>") != std::string::npos);
  CHECK(a1.find("alert") == std::string::npos);
  CHECK(files["OEBPS/text/a002.xhtml"].find("src=\"../images/img-001.png\"") != std::string::npos);
  const std::string& opf = files["OEBPS/content.opf"];
  CHECK(opf.find("href=\"images/img-001.png\" media-type=\"image/png\"") != std::string::npos);
  CHECK(opf.find("href=\"images/img-002.gif\" media-type=\"image/gif\"") != std::string::npos);
  bool refused = false;
  for (const auto& d : b.diagnostics.all()) refused = refused || d.code == "epub-image-type";
  CHECK(refused);
  const auto check = test::epubcheck(b.path);
  INFO(check.output);
  CHECK(check.clean);
}

TEST_CASE("digests built in parallel threads are identical", "[epub][threads]") {
  // A batch run builds editions on a pool of workers: nothing may be shared by accident.
  const auto dir = test::scratch_dir("epub-threads");
  const auto edition = test::generated_edition(6, 2);
  const auto fonts = test::repository_fonts();
  const auto layout = test::repository_layout();
  constexpr int workers = 4;
  std::vector<std::thread> threads;
  std::vector<int> ok(workers, 0);
  for (int i = 0; i < workers; ++i)
    threads.emplace_back([&, i] {
      model::Diagnostics diagnostics;
      epub::Options options;
      options.modified_time = test::sample_time;
      ok[static_cast<std::size_t>(i)] = epub::write_epub(
          edition, layout, *fonts, options, dir / ("t" + std::to_string(i) + ".epub"), diagnostics);
    });
  for (auto& t : threads) t.join();
  const std::string first = test::read_file(dir / "t0.epub");
  for (int i = 0; i < workers; ++i) {
    CHECK(ok[static_cast<std::size_t>(i)] == 1);
    CHECK(test::read_file(dir / ("t" + std::to_string(i) + ".epub")) == first);
  }
}
