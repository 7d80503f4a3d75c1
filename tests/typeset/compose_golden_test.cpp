// Golden dumps of composition: for every shipped layout and both sample editions, each
// page's lines (role, column, x, baseline, width, logical text) and frames (images, links,
// anchors), compared with tests/golden/compose/<edition>.<layout>.expected.
//
// WARRAQ_UPDATE_GOLDEN=1 rewrites the expectations (the test then passes); review the diff
// with git before committing it. See docs/layouts.md, "Golden tests".
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "input/input.hpp"
#include "typeset/compose_support.hpp"
#include "typeset/typeset.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return std::string(buf) == "-0.0" ? "0.0" : buf;
}

// Frames beside dump_page's lines: what the PDF writer will draw that is not text.
std::string frames(const typeset::Page& page) {
  std::ostringstream out;
  int rules = 0;
  for (const auto& item : page.items) {
    switch (item.kind) {
      case typeset::Item::Kind::image:
        out << "  image " << fs::path(item.image.path).filename().string() << " "
            << item.image.format << " " << item.image.pixel_width << "x" << item.image.pixel_height
            << " @" << fixed(item.image.x) << "," << fixed(item.image.y) << " "
            << fixed(item.image.width) << "x" << fixed(item.image.height) << "\n";
        break;
      case typeset::Item::Kind::link:
        out << "  link "
            << (item.link.destination.empty() ? item.link.uri : "#" + item.link.destination) << " @"
            << fixed(item.link.x) << "," << fixed(item.link.y) << " " << fixed(item.link.width)
            << "x" << fixed(item.link.height) << "\n";
        break;
      case typeset::Item::Kind::anchor:
        out << "  anchor " << item.anchor.name << " level=" << item.anchor.outline_level << " @"
            << fixed(item.anchor.x) << "," << fixed(item.anchor.y) << "\n";
        break;
      case typeset::Item::Kind::rule:
        ++rules;
        break;
      default:
        break;
    }
  }
  out << "  rules " << rules << "\n";
  return out.str();
}

std::string compose_dump(const fs::path& edition_path, const std::string& layout_name) {
  model::Diagnostics diagnostics;
  const auto edition = input::read_edition(edition_path, diagnostics);
  const auto layout =
      input::read_layout(test::source_dir() / "layouts" / (layout_name + ".xml"), diagnostics);
  const auto fonts = typeset::FontSet::load(test::source_dir() / "fonts", diagnostics);
  std::string problems;
  for (const auto& d : diagnostics.all()) problems += d.to_string() + "\n";
  INFO(problems);
  REQUIRE(edition);
  REQUIRE(layout);
  REQUIRE(fonts);
  std::string dump;
  const bool ok = typeset::typeset(
      *edition, *layout, *fonts, {},
      [&](typeset::Page&& page) { dump += typeset::dump_page(page, false) + frames(page); },
      diagnostics);
  REQUIRE(ok);
  return dump;
}

void check_golden(const std::string& name, const std::string& actual) {
  const fs::path expected =
      test::source_dir() / "tests" / "golden" / "compose" / (name + ".expected");
  const char* update = std::getenv("WARRAQ_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    test::write_file(expected, actual);
    WARN("updated " << expected.string());
    return;
  }
  REQUIRE(fs::exists(expected));
  const std::string want = test::read_file(expected);
  if (want == actual) return;
  // Point at the first line that differs rather than printing two whole editions.
  std::istringstream a(want), b(actual);
  std::string la, lb;
  int line = 0;
  while (true) {
    ++line;
    const bool ga = static_cast<bool>(std::getline(a, la));
    const bool gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb) break;
    if (la != lb || ga != gb) {
      FAIL(name << ": first difference at line " << line << "\n  expected: " << la
                << "\n  actual:   " << lb
                << "\n(WARRAQ_UPDATE_GOLDEN=1 rewrites the expectations)");
    }
  }
}

}  // namespace

TEST_CASE("composition golden dumps for every layout and sample", "[typeset][compose][golden]") {
  test::compose::ensure_sample_images();
  for (const auto& layout : test::compose::layouts()) {
    for (const char* sample : {"edition-ar-MA", "edition-figures-ar-EG"}) {
      SECTION(std::string(sample) + " in " + layout) {
        const auto dump =
            compose_dump(test::source_dir() / "samples" / (std::string(sample) + ".xml"), layout);
        check_golden(std::string(sample) + "." + layout, dump);
      }
    }
  }
}

TEST_CASE("composition is deterministic", "[typeset][compose]") {
  test::compose::ensure_sample_images();
  const auto path = test::source_dir() / "samples" / "edition-figures-ar-EG.xml";
  CHECK(compose_dump(path, "broadsheet") == compose_dump(path, "broadsheet"));
}
