// The layout's wording and section-opener settings, as the composer applies them: a new
// design changes them in its file, never in C++ (docs/layouts.md).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "input/input.hpp"
#include "support/test_support.hpp"
#include "typeset/typeset.hpp"

using namespace warraq;

namespace {

std::vector<typeset::Page> compose_with(const model::Layout& layout) {
  model::Diagnostics diagnostics;
  const auto edition =
      input::read_edition(test::source_dir() / "samples" / "edition-ar-MA.xml", diagnostics);
  const auto fonts = typeset::FontSet::load(test::source_dir() / "fonts", diagnostics);
  REQUIRE(edition);
  REQUIRE(fonts);
  std::vector<typeset::Page> pages;
  REQUIRE(typeset::typeset(
      *edition, layout, *fonts, {}, [&](typeset::Page&& p) { pages.push_back(std::move(p)); },
      diagnostics));
  return pages;
}

model::Layout a4_digest() {
  model::Diagnostics diagnostics;
  const auto layout =
      input::read_layout(test::source_dir() / "layouts" / "a4-digest.xml", diagnostics);
  REQUIRE(layout);
  return *layout;
}

std::vector<const typeset::LineBox*> lines_of(const std::vector<typeset::Page>& pages,
                                              const std::string& role) {
  std::vector<const typeset::LineBox*> out;
  for (const auto& page : pages)
    for (const auto& line : page.lines)
      if (line.role == role) out.push_back(&line);
  return out;
}

bool any_text(const std::vector<const typeset::LineBox*>& lines, const std::string& text) {
  for (const auto* l : lines)
    if (l->text.find(text) != std::string::npos) return true;
  return false;
}

int section_anchors(const std::vector<typeset::Page>& pages) {
  int n = 0;
  for (const auto& page : pages)
    for (const auto& item : page.items)
      if (item.kind == typeset::Item::Kind::anchor && item.anchor.outline_level == 0 &&
          !item.anchor.outline_title.empty())
        ++n;
  return n;
}

}  // namespace

TEST_CASE("the contents title and issue label come from the layout", "[typeset][layout]") {
  model::Layout layout = a4_digest();
  const auto standard = compose_with(layout);
  CHECK(any_text(lines_of(standard, "section_head"), "في هذا العدد"));
  CHECK(any_text(lines_of(standard, "running_head"), "العدد 1234"));

  layout.contents_title = "داخل العدد";
  layout.issue_label = "عدد رقم {number}";
  const auto worded = compose_with(layout);
  CHECK(any_text(lines_of(worded, "section_head"), "داخل العدد"));
  CHECK_FALSE(any_text(lines_of(worded, "section_head"), "في هذا العدد"));
  CHECK(any_text(lines_of(worded, "running_head"), "عدد رقم 1234"));

  // No title: no contents block, so no contents entries (dateline lines with links).
  layout.contents_title.clear();
  const auto without = compose_with(layout);
  int links = 0;
  for (const auto& item : without.front().items)
    if (item.kind == typeset::Item::Kind::link && !item.link.destination.empty()) ++links;
  CHECK(links == 0);
  CHECK_FALSE(any_text(lines_of(without, "section_head"), "داخل العدد"));
}

TEST_CASE("section openers follow the layout's style", "[typeset][layout]") {
  model::Layout layout = a4_digest();
  using Opener = model::Layout::SectionOpener;
  const auto ruled = compose_with(layout);
  const int sections = section_anchors(ruled);
  REQUIRE(sections >= 2);

  layout.section_opener = Opener::band;
  const auto banded = compose_with(layout);
  CHECK(section_anchors(banded) == sections);
  // Each opener's name is set white, over a rule as thick as the band, in the section
  // colour.
  const model::Color colour = layout.role("section_head").color;
  int white_runs = 0, bands = 0;
  for (const auto& page : banded)
    for (const auto& item : page.items) {
      if (item.kind == typeset::Item::Kind::glyphs && item.run.color == model::Color{1, 1, 1})
        ++white_runs;
      if (item.kind == typeset::Item::Kind::rule && item.rule.color == colour &&
          item.rule.width > layout.role("section_head").size)
        ++bands;
    }
  CHECK(white_runs >= sections);
  CHECK(bands == sections);

  layout.section_opener = Opener::none;
  const auto plain = compose_with(layout);
  // The names are gone from the openers (the contents block still names sections in the
  // kicker role) but the outline still has an entry per section.
  CHECK(section_anchors(plain) == sections);
  std::size_t section_head_lines = lines_of(plain, "section_head").size();
  CHECK(section_head_lines == 1);  // the contents title only
}
