// The PDF writer's embedded fonts, checked by the tools readers use: a one-page PDF made by
// hand with an Arabic word in Amiri and a Latin word in Noto Serif must pass qpdf, list
// both fonts as embedded CID TrueType subsets, render, and give its text back.
#include "pdf/embedded_font.hpp"

#include <hb.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <sstream>

#include "pdf/pdf_file.hpp"
#include "support/test_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

const fs::path amiri_path = "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf";
const fs::path noto_serif_path = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf";
const std::string arabic_word = "كتاب";
const std::string latin_word = "Warraq";

struct HbRelease {
  void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
  void operator()(hb_face_t* f) const { hb_face_destroy(f); }
  void operator()(hb_font_t* f) const { hb_font_destroy(f); }
  void operator()(hb_buffer_t* b) const { hb_buffer_destroy(b); }
};

typeset::FontFile font_file(const std::string& family, const fs::path& path) {
  typeset::FontFile file;
  file.family = family;
  file.style = "Regular";
  file.path = path;
  return file;
}

// Shapes `text` as the typesetter would and shows each glyph to `font`: the first glyph of
// a cluster (in logical order) stands for the cluster's text, the others for nothing.
// Returns the glyph ids in visual order, as a Tj operand.
std::string shape_and_show(pdf::EmbeddedFont& font, const fs::path& path, const std::string& text,
                           std::vector<std::uint32_t>* glyphs = nullptr) {
  std::unique_ptr<hb_blob_t, HbRelease> blob(hb_blob_create_from_file(path.c_str()));
  std::unique_ptr<hb_face_t, HbRelease> face(hb_face_create(blob.get(), 0));
  std::unique_ptr<hb_font_t, HbRelease> hb_font(hb_font_create(face.get()));
  std::unique_ptr<hb_buffer_t, HbRelease> buffer(hb_buffer_create());
  hb_buffer_add_utf8(buffer.get(), text.data(), static_cast<int>(text.size()), 0, -1);
  hb_buffer_guess_segment_properties(buffer.get());
  hb_shape(hb_font.get(), buffer.get(), nullptr, 0);
  unsigned count = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer.get(), &count);
  REQUIRE(count > 0);

  std::set<std::uint32_t> starts;
  for (unsigned i = 0; i < count; ++i) starts.insert(info[i].cluster);
  auto cluster_text = [&](std::uint32_t start) {
    auto next = starts.upper_bound(start);
    const std::size_t end = next == starts.end() ? text.size() : *next;
    return text.substr(start, end - start);
  };
  const bool rtl = hb_buffer_get_direction(buffer.get()) == HB_DIRECTION_RTL;
  std::set<std::uint32_t> given;
  for (unsigned k = 0; k < count; ++k) {
    const hb_glyph_info_t& g = info[rtl ? count - 1 - k : k];
    const bool first = given.insert(g.cluster).second;
    CHECK(font.show(g.codepoint, first ? cluster_text(g.cluster) : std::string()));
  }

  std::string hex = "<";
  char digits[8];
  for (unsigned i = 0; i < count; ++i) {
    std::snprintf(digits, sizeof digits, "%04X", info[i].codepoint);
    hex += digits;
    if (glyphs) glyphs->push_back(info[i].codepoint);
  }
  return hex + ">";
}

// One page: the Latin word, the Arabic word as text below it (baseline 640), and the
// Arabic word again below that (baseline 560) drawn from the glyphs' outlines.
void write_sample(const fs::path& pdf_path) {
  std::FILE* out = std::fopen(pdf_path.c_str(), "wb");
  REQUIRE(out);
  {
    pdf::PdfFile file(out);
    const int catalog = file.reserve(), pages = file.reserve(), page = file.reserve(),
              content = file.reserve(), f1 = file.reserve(), f2 = file.reserve();
    pdf::EmbeddedFont arabic(font_file("Amiri", amiri_path), f1);
    pdf::EmbeddedFont latin(font_file("Noto Serif", noto_serif_path), f2);
    REQUIRE(arabic.ok());
    REQUIRE(latin.ok());
    std::vector<std::uint32_t> arabic_glyphs;
    const std::string arabic_hex = shape_and_show(arabic, amiri_path, arabic_word, &arabic_glyphs);
    const std::string latin_hex = shape_and_show(latin, noto_serif_path, latin_word);

    std::string paths;
    const std::string scale = pdf::number(24.0 / arabic.units_per_em());
    double x = 72;
    for (std::uint32_t glyph : arabic_glyphs) {
      paths += "q " + scale + " 0 0 " + scale + " " + pdf::number(x) + " 560 cm\n" +
               arabic.outline(glyph) + "f Q\n";
      x += arabic.advance(glyph) * 24;  // as Tj moves, by the /W widths
    }

    const auto r = [](int id) { return std::to_string(id) + " 0 R"; };
    file.object(catalog, "<</Type/Catalog/Pages " + r(pages) + ">>");
    file.object(pages, "<</Type/Pages/Kids[" + r(page) + "]/Count 1>>");
    file.object(page, "<</Type/Page/Parent " + r(pages) +
                          "/MediaBox[0 0 612 792]/Resources<</Font<</F1 " + r(f1) + "/F2 " + r(f2) +
                          ">>>>/Contents " + r(content) + ">>");
    file.stream(content, {},
                "BT /F2 24 Tf 1 0 0 1 72 700 Tm " + latin_hex + " Tj ET\n" +
                    "BT /F1 24 Tf 1 0 0 1 72 640 Tm " + arabic_hex + " Tj ET\n" + paths);
    REQUIRE(arabic.write(file));
    REQUIRE(latin.write(file));
    file.finish(catalog, 0);
    REQUIRE(file.ok());
  }
  REQUIRE(std::fclose(out) == 0);
}

// A grey-level crop of page 1, `scale` pixels per point, from pdftoppm: ink from 0 (paper)
// to 255, by rows. Rectangle in points from the page's top-left corner.
struct Crop {
  int width = 0, height = 0;
  std::vector<int> ink;
  bool inked(int x, int y) const {
    return x >= 0 && y >= 0 && x < width && y < height && ink[y * width + x] > 127;
  }
};

Crop render(const fs::path& pdf, int x, int y, int width, int height, int scale) {
  const fs::path stem = pdf.parent_path() / ("crop-" + std::to_string(y));
  const auto run = test::run({"pdftoppm", "-r", std::to_string(72 * scale), "-gray", "-singlefile",
                              "-x", std::to_string(scale * x), "-y", std::to_string(scale * y),
                              "-W", std::to_string(scale * width), "-H",
                              std::to_string(scale * height), pdf.string(), stem.string()});
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK(run.err.empty());
  const std::string pgm = test::read_file(stem.string() + ".pgm");
  std::istringstream header(pgm);
  std::string magic;
  int max = 0;
  Crop crop;
  header >> magic >> crop.width >> crop.height >> max;
  REQUIRE(magic == "P5");
  REQUIRE(crop.width == scale * width);
  REQUIRE(crop.height == scale * height);
  const std::size_t start = static_cast<std::size_t>(header.tellg()) + 1;
  REQUIRE(pgm.size() == start + static_cast<std::size_t>(crop.width * crop.height));
  for (std::size_t i = start; i < pgm.size(); ++i)
    crop.ink.push_back(255 - static_cast<unsigned char>(pgm[i]));
  return crop;
}

// Inked pixels of `a` with no inked pixel of `b` at most one pixel away: anti-aliasing
// moves an edge by a pixel, a wrong curve by more.
long stray_pixels(const Crop& a, const Crop& b) {
  long stray = 0;
  for (int y = 0; y < a.height; ++y)
    for (int x = 0; x < a.width; ++x) {
      if (!a.inked(x, y)) continue;
      bool near = false;
      for (int dy = -1; dy <= 1 && !near; ++dy)
        for (int dx = -1; dx <= 1 && !near; ++dx) near = b.inked(x + dx, y + dy);
      stray += !near;
    }
  return stray;
}

// The code points of UTF-8 text, as a sorted multiset.
std::multiset<char32_t> code_points(const std::string& utf8) {
  std::multiset<char32_t> out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? b : b & (0x7F >> n);
    for (std::size_t k = 1; k < n && i + k < utf8.size(); ++k)
      cp = (cp << 6) | (utf8[i + k] & 0x3F);
    out.insert(cp);
    i += n;
  }
  return out;
}

std::string reversed_by_character(const std::string& utf8) {
  std::vector<std::string> characters;
  for (std::size_t i = 0; i < utf8.size();) {
    std::size_t n = 1;
    while (i + n < utf8.size() && (static_cast<unsigned char>(utf8[i + n]) & 0xC0) == 0x80) ++n;
    characters.push_back(utf8.substr(i, n));
    i += n;
  }
  std::string out;
  for (auto it = characters.rbegin(); it != characters.rend(); ++it) out += *it;
  return out;
}

unsigned read_u16(const std::string& bytes, std::size_t at) {
  return (static_cast<unsigned char>(bytes[at]) << 8) | static_cast<unsigned char>(bytes[at + 1]);
}

// A table of a single-face font file, read without HarfBuzz.
std::string table(const std::string& font, const char* tag) {
  const unsigned count = read_u16(font, 4);
  for (unsigned i = 0; i < count; ++i) {
    const std::size_t record = 12 + 16 * i;
    if (font.compare(record, 4, tag) != 0) continue;
    auto u32 = [&](std::size_t at) {
      return (std::size_t{read_u16(font, at)} << 16) | read_u16(font, at + 2);
    };
    return font.substr(u32(record + 8), u32(record + 12));
  }
  return {};
}

}  // namespace

TEST_CASE("an embedded font makes a valid PDF that gives its text back", "[pdf][fonts]") {
  const auto dir = test::scratch_dir("pdf-embedded-font");
  const auto pdf = dir / "fonts.pdf";
  write_sample(pdf);

  const auto check = test::run({"qpdf", "--check", pdf.string()});
  INFO(check.out << check.err);
  CHECK(check.status == 0);
  CHECK(check.out.find("WARNING") == std::string::npos);
  CHECK(check.err.empty());

  // name, type ("CID TrueType"), encoding, emb, sub, uni, object number, generation.
  const auto fonts = test::run({"pdffonts", pdf.string()});
  INFO(fonts.out << fonts.err);
  REQUIRE(fonts.status == 0);
  std::istringstream lines(fonts.out);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  std::set<std::string> names;
  while (std::getline(lines, line)) {
    INFO(line);
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    REQUIRE(f.size() == 9);
    CHECK(f[1] + " " + f[2] == "CID TrueType");
    CHECK(f[3] == "Identity-H");
    CHECK(f[4] == "yes");  // embedded
    CHECK(f[5] == "yes");  // subset
    CHECK(f[6] == "yes");  // ToUnicode
    REQUIRE(f[0].size() > 7);
    CHECK(f[0][6] == '+');
    CHECK(std::all_of(f[0].begin(), f[0].begin() + 6, [](char c) { return c >= 'A' && c <= 'Z'; }));
    names.insert(f[0].substr(7));
  }
  CHECK(names == std::set<std::string>{"Amiri-Regular", "NotoSerif-Regular"});

  const auto text = test::run({"pdftotext", "-enc", "UTF-8", pdf.string(), "-"});
  INFO(text.out << text.err);
  REQUIRE(text.status == 0);
  CHECK(text.out.find(latin_word) != std::string::npos);
  // Poppler may give a right-to-left line back in either order; the letters must all be
  // there, and as a word.
  const auto words = test::split_words(text.out);
  const bool arabic_found = std::any_of(words.begin(), words.end(), [](const std::string& w) {
    return test::normalize_word(w) == arabic_word ||
           test::normalize_word(w) == reversed_by_character(arabic_word);
  });
  CHECK(arabic_found);
  auto letters = code_points(text.out);
  for (char32_t c : code_points(arabic_word)) {
    INFO(static_cast<unsigned>(c));
    auto it = letters.find(c);
    CHECK(it != letters.end());
    if (it != letters.end()) letters.erase(it);
  }

  // The outlines, filled, cover what the font's glyphs do: the two copies of the word,
  // 80 points apart, differ only at anti-aliased edges. Rendering the text also checks the
  // subsets load as fonts (FreeType, through poppler), beyond parsing as PDF.
  const Crop shown = render(pdf, 60, 100, 200, 80, 4);
  const Crop drawn = render(pdf, 60, 180, 200, 80, 4);
  long shown_ink = 0, drawn_ink = 0, shown_pixels = 0;
  for (std::size_t i = 0; i < shown.ink.size(); ++i) {
    shown_ink += shown.ink[i];
    drawn_ink += drawn.ink[i];
    shown_pixels += shown.ink[i] > 127;
  }
  CHECK(shown_pixels > 1000);
  CHECK(std::abs(shown_ink - drawn_ink) < shown_ink / 20);
  CHECK(stray_pixels(shown, drawn) < shown_pixels / 100);
  CHECK(stray_pixels(drawn, shown) < shown_pixels / 100);

  const auto mutool =
      test::run({"mutool", "draw", "-q", "-o", (dir / "mu.png").string(), pdf.string()});
  INFO(mutool.out << mutool.err);
  CHECK(mutool.status == 0);
  // Builds of MuPDF without lcms say so on every run: not about this file.
  std::istringstream mutool_lines(mutool.err);
  for (std::string l; std::getline(mutool_lines, l);)
    if (l.find("ICC support") == std::string::npos) CHECK(l.empty());
}

TEST_CASE("the same glyphs shown give the same bytes", "[pdf][fonts]") {
  const auto dir = test::scratch_dir("pdf-embedded-font-twice");
  write_sample(dir / "one.pdf");
  write_sample(dir / "two.pdf");
  const std::string one = test::read_file(dir / "one.pdf");
  CHECK(one.size() > 1000);
  CHECK(one == test::read_file(dir / "two.pdf"));
}

TEST_CASE("an embedded font measures and draws its glyphs", "[pdf][fonts]") {
  pdf::EmbeddedFont font(font_file("Amiri", amiri_path), 1);
  REQUIRE(font.ok());

  // Advances come from hmtx, read here from the file without HarfBuzz.
  const std::string bytes = test::read_file(amiri_path);
  const std::string head = table(bytes, "head"), hhea = table(bytes, "hhea"),
                    hmtx = table(bytes, "hmtx");
  REQUIRE(head.size() >= 54);
  REQUIRE(hhea.size() >= 36);
  const unsigned upem = read_u16(head, 18);
  CHECK(font.units_per_em() == upem);
  const unsigned metrics = read_u16(hhea, 34);
  auto hmtx_advance = [&](std::uint32_t glyph) {
    return read_u16(hmtx, 4 * std::min<std::size_t>(glyph, metrics - 1));
  };

  std::unique_ptr<hb_blob_t, HbRelease> blob(hb_blob_create_from_file(amiri_path.c_str()));
  std::unique_ptr<hb_face_t, HbRelease> face(hb_face_create(blob.get(), 0));
  std::unique_ptr<hb_font_t, HbRelease> hb_font(hb_font_create(face.get()));
  hb_codepoint_t space = 0, beh = 0;
  REQUIRE(hb_font_get_nominal_glyph(hb_font.get(), U' ', &space));
  REQUIRE(hb_font_get_nominal_glyph(hb_font.get(), U'\u0628', &beh));
  CHECK(font.advance(space) == Approx(double(hmtx_advance(space)) / upem));
  CHECK(font.advance(beh) == Approx(double(hmtx_advance(beh)) / upem));
  CHECK(font.advance(beh) > 0);

  CHECK(font.box(space).empty());
  const pdf::GlyphBox b = font.box(beh);
  CHECK_FALSE(b.empty());
  CHECK(b.y_min < 0.05);  // beh's body sits on the baseline, its dot below it
  CHECK(b.y_max > 0.05);
  CHECK(b.x_max - b.x_min < 1.5);

  CHECK(font.outline(space).empty());
  const std::string path = font.outline(beh);
  INFO(path);
  CHECK(path.find(" m\n") != std::string::npos);
  CHECK((path.find(" l\n") != std::string::npos || path.find(" c\n") != std::string::npos));
  CHECK(path.size() >= 2);
  CHECK(path.compare(path.size() - 2, 2, "h\n") == 0);
  // Nothing but numbers, spaces and the path operators: the page puts it before "f".
  CHECK(path.find_first_not_of("0123456789.- \nmlch") == std::string::npos);
  CHECK(font.outline(0xFFFFFF).empty());
  CHECK(font.advance(0xFFFFFF) == 0);
}

TEST_CASE("a glyph keeps the first text it was shown for", "[pdf][fonts]") {
  const auto dir = test::scratch_dir("pdf-embedded-font-text");
  const auto pdf = dir / "text.pdf";
  std::FILE* out = std::fopen(pdf.c_str(), "wb");
  REQUIRE(out);
  pdf::PdfFile file(out);
  const int catalog = file.reserve(), pages = file.reserve(), font_id = file.reserve();
  pdf::EmbeddedFont font(font_file("Amiri", amiri_path), font_id);
  REQUIRE(font.ok());
  CHECK(font.show(100, "لا"));
  CHECK(font.show(100, "لا"));
  CHECK_FALSE(font.show(100, "ل"));
  CHECK(font.show(101, ""));
  CHECK_FALSE(font.show(101, "َ"));      // first shown for nothing: its ToUnicode says nothing
  CHECK(font.show(102, "\U0001D400"));  // outside the BMP: a surrogate pair
  CHECK_FALSE(font.show(0xFFFFFF, "x"));
  file.object(catalog, "<</Type/Catalog/Pages " + std::to_string(pages) + " 0 R>>");
  file.object(pages, "<</Type/Pages/Kids[]/Count 0>>");
  REQUIRE(font.write(file));
  file.finish(catalog, 0);
  REQUIRE(std::fclose(out) == 0);

  // The font dictionaries are not compressed; the CMap stream is.
  const std::string bytes = test::read_file(pdf);
  const auto at = bytes.find("/ToUnicode ");
  REQUIRE(at != std::string::npos);
  const std::string cmap_id = bytes.substr(at + 11, bytes.find(' ', at + 11) - at - 11);
  const auto cmap =
      test::run({"qpdf", "--show-object=" + cmap_id, "--filtered-stream-data", pdf.string()});
  INFO(cmap.out << cmap.err);
  REQUIRE(cmap.status == 0);
  CHECK(cmap.out.find("2 beginbfchar\n<0064> <06440627>\n<0066> <D835DC00>\nendbfchar") !=
        std::string::npos);
  CHECK(cmap.out.find("<0065>") == std::string::npos);
  CHECK(cmap.out.find("/CMapName /Adobe-Identity-UCS def") != std::string::npos);
  // Every glyph shown, with or without text, has its width; ids 100-102 form one run.
  CHECK(bytes.find("/W[0 [") == std::string::npos);
  CHECK(bytes.find("/W[100 [") != std::string::npos);
}

TEST_CASE("a font file that cannot be read is reported", "[pdf][fonts]") {
  const auto dir = test::scratch_dir("pdf-embedded-font-missing");
  const fs::path missing = dir / "no-such-font.ttf";
  pdf::EmbeddedFont font(font_file("Missing", missing), 1);
  CHECK_FALSE(font.ok());
  CHECK(font.error().find(missing.string()) != std::string::npos);

  const fs::path not_a_font = dir / "not-a-font.ttf";
  test::write_file(not_a_font, "this is text, not a font\n");
  pdf::EmbeddedFont text(font_file("Text", not_a_font), 1);
  CHECK_FALSE(text.ok());
  CHECK(text.error().find(not_a_font.string()) != std::string::npos);

  std::FILE* out = std::fopen((dir / "out.pdf").c_str(), "wb");
  REQUIRE(out);
  pdf::PdfFile file(out);
  CHECK_FALSE(font.write(file));
  std::fclose(out);
}
