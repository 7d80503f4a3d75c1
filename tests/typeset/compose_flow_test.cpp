// Composition rules checked on frames, for every shipped layout and a generated 20-article
// edition with figures: reading order of columns, no overlapping lines, one anchor per
// article and section, jump lines that name the page their continuation is on, contents
// entries that name the page their article starts on; and the image checks.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "input/input.hpp"
#include "locale/locale.hpp"
#include "typeset/compose_support.hpp"
#include "typeset/typeset.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

struct Composed {
  std::vector<typeset::Page> pages;
  model::Diagnostics diagnostics;
  bool ok = false;
};

Composed compose(const fs::path& edition_path, const std::string& layout_name) {
  Composed c;
  const auto edition = input::read_edition(edition_path, c.diagnostics);
  const auto layout =
      input::read_layout(test::source_dir() / "layouts" / (layout_name + ".xml"), c.diagnostics);
  const auto fonts = typeset::FontSet::load(test::source_dir() / "fonts", c.diagnostics);
  REQUIRE(edition);
  REQUIRE(layout);
  REQUIRE(fonts);
  c.ok = typeset::typeset(
      *edition, *layout, *fonts, {}, [&](typeset::Page&& p) { c.pages.push_back(std::move(p)); },
      c.diagnostics);
  return c;
}

// Page numbers as printed: the layout's digits, read back as an integer.
int page_number(const std::string& digits) {
  return std::stoi(locale::convert_digits(digits, model::DigitStyle::western));
}

}  // namespace

TEST_CASE("a 20-article edition composes by the rules in every layout", "[typeset][compose]") {
  const auto dir = test::scratch_dir("compose-flow");
  const auto path = test::compose::generated_edition(dir, 20);
  for (const auto& layout_name : test::compose::layouts()) {
    SECTION(layout_name) {
      model::Diagnostics d;
      const auto layout =
          input::read_layout(test::source_dir() / "layouts" / (layout_name + ".xml"), d);
      REQUIRE(layout);
      const Composed c = compose(path, layout_name);
      REQUIRE(c.ok);
      REQUIRE(c.pages.size() >= 2);

      std::map<std::string, int> article_page;
      std::set<std::string> sections;
      for (const auto& page : c.pages) {
        INFO("page " << page.number);
        std::map<int, std::vector<const typeset::LineBox*>> by_column;
        for (const auto& l : page.lines) {
          // Everything inside the page's margins (a pixel of rounding allowed).
          CHECK(l.x >= layout->margin_outer - 1);
          CHECK(l.x + l.width <= layout->page_width - layout->margin_outer + 1);
          // Figures spanning columns are boxed from their leftmost column.
          if (l.column >= 0 && l.role != "figure") by_column[l.column].push_back(&l);
        }
        // Column 0 is the rightmost: x falls as the column number rises (RTL).
        double previous_x = 1e9;
        for (const auto& [column, lines] : by_column) {
          const double x = lines.front()->x;
          for (const auto* l : lines) {
            INFO(l->role << ": " << l->text);
            CHECK(std::abs(l->x - x) < 20);  // quotes are indented
          }
          CHECK(x < previous_x);
          previous_x = x;
          // No two lines of a column on the same baseline.
          std::set<long> baselines;
          for (const auto* l : lines)
            if (l->role != "figure") CHECK(baselines.insert(std::lround(l->baseline * 10)).second);
        }
        for (const auto& item : page.items)
          if (item.kind == typeset::Item::Kind::anchor) {
            if (item.anchor.outline_level == 1)
              CHECK(article_page.emplace(item.anchor.name, page.number).second);
            else
              CHECK(sections.insert(item.anchor.name).second);
          }
      }
      CHECK(article_page.size() == 20);
      CHECK(sections.size() == 4);

      // Page 1: every column holds something (masthead, contents, stories).
      std::set<int> used;
      for (const auto& l : c.pages.front().lines)
        if (l.column >= 0) used.insert(l.column);
      CHECK(static_cast<int>(used.size()) == layout->columns);

      // Contents entries name the page their article starts on. An entry may wrap, and a
      // book's contents runs on to page 2: read the entries' lines in placement order.
      std::string contents;
      for (std::size_t p = 0; p < std::min<std::size_t>(3, c.pages.size()); ++p)
        for (const auto& l : c.pages[p].lines)
          if (l.role == "dateline" && l.column >= 0)
            contents += locale::convert_digits(l.text, model::DigitStyle::western) + " ";
      const std::regex entry(R"(رقم (\d+):[^…]*… (\d+))");
      std::set<std::string> entries;
      for (auto it = std::sregex_iterator(contents.begin(), contents.end(), entry);
           it != std::sregex_iterator(); ++it) {
        const std::string id = "a" + (*it)[1].str();
        INFO(id);
        if (!entries.insert(id).second) continue;
        CHECK(article_page.at(id) == std::stoi((*it)[2].str()));
      }
      CHECK(entries.size() == 20);

      // Every jump line names the page where a resume line names this page.
      if (!layout->jump_to.empty()) {
        const std::string to = layout->jump_to.substr(0, layout->jump_to.find("{page}"));
        const std::string from = layout->jump_from.substr(0, layout->jump_from.find("{page}"));
        int jumps = 0;
        for (const auto& page : c.pages)
          for (const auto& l : page.lines) {
            if (l.role != "jump_line" || l.text.rfind(to, 0) != 0) continue;
            ++jumps;
            const int target = page_number(l.text.substr(to.size()));
            INFO("jump on page " << page.number << " to " << target);
            REQUIRE(target > page.number);
            REQUIRE(target <= static_cast<int>(c.pages.size()));
            bool resumed = false;
            for (const auto& r : c.pages[static_cast<std::size_t>(target - 1)].lines)
              resumed = resumed || (r.role == "jump_line" && r.text.rfind(from, 0) == 0 &&
                                    page_number(r.text.substr(from.size())) == page.number);
            CHECK(resumed);
          }
        CHECK(jumps > 0);  // 20 articles do jump somewhere in every multi-column design
      }
    }
  }
}

TEST_CASE("a figure whose image is missing, not an image or too large is refused",
          "[typeset][compose][images]") {
  const auto dir = test::scratch_dir("compose-bad-images");
  auto edition_with = [&](const std::string& src) {
    const auto path = dir / "edition.xml";
    test::write_file(path,
                     "<edition version=\"1\" date=\"2024-11-25\"><title>t</title>"
                     "<section id=\"s\" name=\"s\"><article id=\"a\"><headline>h</headline>"
                     "<body><p>نص</p>\n<figure src=\"" +
                         src + "\"/></body></article></section></edition>");
    return path;
  };
  // Not an image: the header says so before anything decodes it.
  test::write_file(dir / "fake.png", "this is not a PNG file at all");
  // A PNG header claiming 100000 × 100000 pixels: refused from the header alone.
  std::string huge("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\x01\x86\xa0\0\x01\x86\xa0\x08\x02\0\0\0", 29);
  test::write_file(dir / "huge.png", huge);
  for (const char* name : {"fake.png", "huge.png"}) {
    INFO(name);
    const Composed c = compose(edition_with(name), "a4-digest");
    CHECK_FALSE(c.ok);
    REQUIRE(!c.diagnostics.all().empty());
    const auto& d = c.diagnostics.all().back();
    CHECK(d.code == "bad-image");
    CHECK(d.message.find(name) != std::string::npos);
    CHECK(d.where.line == 2);
  }
  CHECK(compose(edition_with("huge.png"), "a4-digest")
            .diagnostics.all()
            .back()
            .message.find("100000×100000") != std::string::npos);
}

TEST_CASE("an image link that leads out of the edition's folder is refused",
          "[typeset][compose][images]") {
  const auto dir = test::scratch_dir("compose-image-symlink");
  const auto outside = test::scratch_dir("compose-image-outside");
  test::compose::ensure_sample_images();
  fs::copy_file(test::source_dir() / "samples" / "img" / "chart.png", outside / "secret.png");
  fs::create_symlink(outside / "secret.png", dir / "link.png");
  test::write_file(dir / "edition.xml",
                   "<edition version=\"1\" date=\"2024-11-25\"><title>t</title>"
                   "<section id=\"s\" name=\"s\"><article id=\"a\"><headline>h</headline>"
                   "<body><p>نص</p><figure src=\"link.png\"/></body></article></section>"
                   "</edition>");
  const Composed c = compose(dir / "edition.xml", "a4-digest");
  CHECK_FALSE(c.ok);
  REQUIRE(!c.diagnostics.all().empty());
  CHECK(c.diagnostics.all().back().code == "path-outside");
}

// `warraq pdf edition.xml` run in the edition's own folder: the edition's path has no folder
// part, and its images are still inside it.
TEST_CASE("an edition named from its own folder keeps its images", "[typeset][compose][images]") {
  const auto dir = test::scratch_dir("compose-image-cwd");
  test::compose::ensure_sample_images();
  fs::create_directories(dir / "img");
  fs::copy_file(test::source_dir() / "samples" / "img" / "chart.png", dir / "img" / "chart.png");
  test::write_file(dir / "edition.xml",
                   "<edition version=\"1\" date=\"2024-11-25\"><title>t</title>"
                   "<section id=\"s\" name=\"s\"><article id=\"a\"><headline>h</headline>"
                   "<body><p>نص</p><figure src=\"img/chart.png\"/></body></article></section>"
                   "</edition>");
  struct WorkingDirectory {
    fs::path before = fs::current_path();
    explicit WorkingDirectory(const fs::path& to) { fs::current_path(to); }
    ~WorkingDirectory() { fs::current_path(before); }
  } here(dir);
  const Composed c = compose("edition.xml", "a4-digest");
  std::string messages;
  for (const auto& d : c.diagnostics.all()) messages += d.message + "\n";
  INFO(messages);
  CHECK(c.ok);
  CHECK(c.diagnostics.all().empty());
}

TEST_CASE("probe_image reads sizes from PNG and JPEG headers", "[typeset][images]") {
  test::compose::ensure_sample_images();
  std::string why;
  const auto jpeg = typeset::probe_image(test::source_dir() / "samples" / "img" / "tram.jpg", why);
  REQUIRE(jpeg);
  CHECK(jpeg->format == "jpeg");
  CHECK(jpeg->width == 1200);
  CHECK(jpeg->height == 800);
  const auto png =
      typeset::probe_image(test::source_dir() / "samples" / "img" / "portrait.png", why);
  REQUIRE(png);
  CHECK(png->format == "png");
  CHECK(png->width == 600);
  CHECK(png->height == 800);
  CHECK_FALSE(typeset::probe_image("/nonexistent.png", why));
}
