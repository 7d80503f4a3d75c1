// The composed edition as a PDF, in every shipped layout: valid (qpdf), fonts embedded
// (pdffonts), page 1 with ink in every column (pdftoppm), an outline entry per section and
// article whose links from the contents land on the article's page (qpdf --json), JPEG
// embedded as is, same bytes on every run.
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "input/input.hpp"
#include "support/test_support.hpp"
#include "typeset/compose_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

fs::path render(const fs::path& edition, const std::string& layout, const fs::path& out) {
  const auto r =
      test::run_warraq({"pdf", edition.string(), "--layout", layout, "-o", out.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  return out;
}

// A PGM (P5, 8-bit) as pdftoppm writes it.
struct Gray {
  int width = 0, height = 0;
  std::string pixels;
  int at(int x, int y) const {
    return static_cast<unsigned char>(pixels[static_cast<std::size_t>(y) * width + x]);
  }
};

Gray read_pgm(const fs::path& path) {
  const std::string data = test::read_file(path);
  std::istringstream in(data);
  std::string magic;
  int maxval = 0;
  Gray g;
  in >> magic >> g.width >> g.height >> maxval;
  in.get();
  REQUIRE(magic == "P5");
  REQUIRE(maxval == 255);
  g.pixels = data.substr(static_cast<std::size_t>(in.tellg()));
  REQUIRE(g.pixels.size() >= static_cast<std::size_t>(g.width) * g.height);
  return g;
}

}  // namespace

TEST_CASE("every layout renders the 20-article edition to a valid PDF with embedded fonts",
          "[pdf][compose]") {
  const auto dir = test::scratch_dir("compose-pdf-layouts");
  const auto edition = test::compose::generated_edition(dir, 20);
  for (const auto& layout : test::compose::layouts()) {
    SECTION(layout) {
      const auto pdf = render(edition, layout, dir / (layout + ".pdf"));
      const auto check = test::run({"qpdf", "--check", pdf.string()});
      INFO(check.out << check.err);
      CHECK(check.status == 0);
      CHECK(check.err.find("WARNING") == std::string::npos);
      const auto fonts = test::run({"pdffonts", pdf.string()});
      REQUIRE(fonts.status == 0);
      std::istringstream lines(fonts.out);
      std::string line;
      std::getline(lines, line);
      std::getline(lines, line);
      int rows = 0;
      while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::vector<std::string> f;
        for (std::string x; fields >> x;) f.push_back(x);
        if (f.size() < 7) continue;
        ++rows;
        INFO(line);
        CHECK(f[f.size() - 5] == "yes");  // embedded
        CHECK(f[f.size() - 3] == "yes");  // ToUnicode
      }
      CHECK(rows >= 2);
      // Same bytes again.
      const auto again = render(edition, layout, dir / (layout + "-again.pdf"));
      CHECK(test::read_file(pdf) == test::read_file(again));
    }
  }
}

TEST_CASE("page 1 has ink in every column area in every layout", "[pdf][compose][visual]") {
  const auto dir = test::scratch_dir("compose-pdf-ink");
  const auto edition = test::compose::generated_edition(dir, 20);
  for (const auto& layout_name : test::compose::layouts()) {
    SECTION(layout_name) {
      model::Diagnostics d;
      const auto layout =
          input::read_layout(test::source_dir() / "layouts" / (layout_name + ".xml"), d);
      REQUIRE(layout);
      const auto pdf = render(edition, layout_name, dir / (layout_name + ".pdf"));
      const auto r = test::run({"pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", pdf.string(),
                                (dir / layout_name).string()});
      REQUIRE(r.status == 0);
      fs::path pgm;
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".pgm" && e.path().stem().string().rfind(layout_name, 0) == 0)
          pgm = e.path();
      REQUIRE(!pgm.empty());
      const Gray g = read_pgm(pgm);
      const double scale = g.width / layout->page_width;
      const double left = layout->margin_outer, right = layout->page_width - layout->margin_inner;
      const double column =
          (right - left - (layout->columns - 1) * layout->gutter) / layout->columns;
      // The column areas below the masthead (a fifth of the page down) to the foot margin.
      const int y0 = static_cast<int>(layout->page_height * 0.2 * scale);
      const int y1 = static_cast<int>((layout->page_height - layout->margin_bottom) * scale);
      for (int c = 0; c < layout->columns; ++c) {
        const double x = left + c * (column + layout->gutter);
        const int x0 = static_cast<int>(x * scale), x1 = static_cast<int>((x + column) * scale);
        long dark = 0;
        for (int y = y0; y < y1; ++y)
          for (int px = x0; px < x1; ++px) dark += g.at(px, y) < 160;
        const double share = static_cast<double>(dark) / ((x1 - x0) * (y1 - y0));
        INFO("column slot " << c << " ink " << share);
        // Text columns hold 5–15% ink at this resolution; a page 1 of small contents
        // entries (a book's) about 1%; an empty column nothing.
        CHECK(share > 0.005);
      }
    }
  }
}

TEST_CASE("outline: one entry per section and article; contents links land on the article's page",
          "[pdf][compose][navigation]") {
  const auto dir = test::scratch_dir("compose-pdf-navigation");
  const auto edition = test::compose::generated_edition(dir, 20);
  for (const auto& layout : test::compose::layouts()) {
    SECTION(layout) {
      const auto pdf = render(edition, layout, dir / (layout + ".pdf"));
      // mutool prints the outline as a tree: "-" for a section, "|" + tab for an article,
      // then "#page=N" where the entry goes.
      const auto outline = test::run({"mutool", "show", pdf.string(), "outline"});
      REQUIRE(outline.status == 0);
      std::map<std::string, int> outline_page;  // article headline number -> page
      int sections = 0;
      std::istringstream lines(outline.out);
      const std::regex article_re(R"(رقم (\d+):.*#page=(\d+))");
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("-", 0) == 0 || line.rfind("+", 0) == 0) ++sections;
        std::smatch m;
        if (std::regex_search(line, m, article_re))
          CHECK(outline_page.emplace(m[1].str(), std::stoi(m[2].str())).second);
      }
      CHECK(sections == 4);
      CHECK(outline_page.size() == 20);

      // The links on page 1 and their destinations' pages, from qpdf's JSON: each link
      // annotation names a destination; the name tree maps it to a page object.
      const auto json = test::run({"qpdf", "--json", pdf.string()});
      REQUIRE(json.status == 0);
      const auto pages = test::run({"qpdf", "--show-pages", pdf.string()});
      REQUIRE(pages.status == 0);
      std::map<std::string, int> page_of_object;  // "12 0 R" -> page number
      {
        std::istringstream p(pages.out);
        const std::regex page_re(R"(page (\d+): (\d+ \d+ R))");
        for (std::string line; std::getline(p, line);) {
          std::smatch m;
          if (std::regex_search(line, m, page_re))
            page_of_object[m[2].str()] = std::stoi(m[1].str());
        }
      }
      // Named destinations: (name) [N 0 R /XYZ ...] in the Dests name tree.
      const std::string& j = json.out;
      std::map<std::string, int> dest_page;
      const std::regex dest_re(R"rx("u:(a\d+)",\s*\[\s*"(\d+ \d+ R)")rx");
      for (auto it = std::sregex_iterator(j.begin(), j.end(), dest_re);
           it != std::sregex_iterator(); ++it)
        dest_page[(*it)[1].str()] = page_of_object[(*it)[2].str()];
      std::set<std::string> linked;
      const std::regex link_re(R"rx("/Dest":\s*"u:(a\d+)")rx");
      for (auto it = std::sregex_iterator(j.begin(), j.end(), link_re);
           it != std::sregex_iterator(); ++it)
        linked.insert((*it)[1].str());
      CHECK(linked.size() == 20);
      for (const auto& id : linked) {
        INFO(id);
        REQUIRE(dest_page.count(id) == 1);
        CHECK(dest_page[id] == outline_page[id.substr(1)]);
      }
    }
  }
}

TEST_CASE("JPEG figures are embedded without re-encoding", "[pdf][compose][images]") {
  test::compose::ensure_sample_images();
  const auto dir = test::scratch_dir("compose-pdf-jpeg");
  const auto pdf = render(test::source_dir() / "samples" / "edition-figures-ar-EG.xml", "a4-digest",
                          dir / "figures.pdf");
  const auto list = test::run({"pdfimages", "-list", pdf.string()});
  REQUIRE(list.status == 0);
  int jpeg = 0, png = 0;
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" jpeg ") != std::string::npos)
      ++jpeg;
    else if (line.find(" image ") != std::string::npos)
      ++png;
  }
  CHECK(jpeg == 2);  // tram.jpg, harbour.jpg: DCTDecode streams
  CHECK(png == 2);   // chart.png, portrait.png
  // The JPEG's bytes are in the PDF verbatim.
  const std::string bytes = test::read_file(pdf);
  const std::string tram = test::read_file(test::source_dir() / "samples" / "img" / "tram.jpg");
  CHECK(bytes.find(tram) != std::string::npos);
}
