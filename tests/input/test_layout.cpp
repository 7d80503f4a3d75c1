// Layout files: the shipped a4-digest design, bad values with file:line, and lookup.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "input/input.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace warraq;
using Catch::Detail::Approx;

namespace {

std::string diagnostics_text(const model::Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.all()) out += d.to_string() + "\n";
  return out;
}

constexpr double kMm = 72.0 / 25.4;

}  // namespace

TEST_CASE("layouts/a4-digest.xml reads cleanly with every role", "[input][layout]") {
  model::Diagnostics diagnostics;
  const auto layout =
      input::read_layout(test::source_dir() / "layouts" / "a4-digest.xml", diagnostics);
  INFO(diagnostics_text(diagnostics));
  REQUIRE(layout);
  CHECK(diagnostics.all().empty());
  CHECK(layout->name == "a4-digest");
  CHECK(layout->page_width == Approx(595.276).epsilon(1e-4));
  CHECK(layout->columns == 2);
  CHECK(layout->latin_family == "Noto Serif");
  CHECK(layout->role("body").family == "Amiri");
  CHECK(layout->role("body").size == Approx(11));
  CHECK(layout->role("body").leading > layout->role("body").size);
  for (const char* role : {"masthead", "kicker", "headline", "subheadline", "byline", "dateline",
                           "lead", "body", "subheading", "quote", "pull_quote", "caption", "credit",
                           "running_head", "folio", "jump_line"}) {
    INFO(role);
    CHECK(layout->roles.count(role) == 1);
  }
}

TEST_CASE("a layout file fills every field of model::Layout", "[input][layout]") {
  model::Diagnostics diagnostics;
  const auto layout = input::read_layout(
      test::source_dir() / "tests" / "data" / "input" / "layout-full.xml", diagnostics);
  INFO(diagnostics_text(diagnostics));
  REQUIRE(layout);
  CHECK(diagnostics.all().empty());
  CHECK(layout->name == "full");
  CHECK(layout->page_width == Approx(595.276).epsilon(1e-4));
  CHECK(layout->page_height == Approx(841.89).epsilon(1e-4));
  CHECK(layout->margin_top == Approx(15 * kMm));
  CHECK(layout->margin_outer == Approx(15 * kMm));
  CHECK(layout->columns == 2);
  CHECK(layout->gutter == Approx(6 * kMm));
  CHECK(layout->column_rule);
  CHECK(layout->column_rule_width == Approx(0.5));
  CHECK(layout->column_rule_color.r == Approx(0x99 / 255.0));
  CHECK(layout->digits == model::DigitStyle::western);
  CHECK(layout->justification == model::Justification::kashida);
  CHECK(layout->limits.max_space_stretch == Approx(0.6));
  CHECK(layout->limits.max_space_shrink == Approx(0.2));
  CHECK(layout->limits.max_kashida_per_line == Approx(4.0));
  CHECK(layout->limits.max_kashidas_per_word == 1);
  CHECK(layout->limits.max_kashidas_per_line == 8);
  CHECK(layout->widow_lines == 2);
  CHECK(layout->orphan_lines == 2);
  CHECK(layout->headline_columns(1) == 1);
  CHECK(layout->headline_columns(3) == 2);
  CHECK(layout->headline_columns(5) == 2);
  CHECK(layout->latin_family == "Noto Serif");
  CHECK(layout->jump_to == "تتمة ص {page}");
  CHECK(layout->epub_body_family == "Amiri");
  CHECK(layout->epub_body_size_em == Approx(1.0));
  CHECK(layout->epub_line_height == Approx(1.6));
  CHECK(layout->jump_from == "تابع من ص {page}");
  CHECK(layout->contents_title == "داخل العدد");
  CHECK(layout->issue_label == "عدد {number}");
  CHECK(layout->section_opener == model::Layout::SectionOpener::band);
  CHECK(layout->role("masthead").size == Approx(30));
  CHECK(layout->role("pull_quote").space_before == Approx(8));
  CHECK(layout->role("subheadline").space_after == Approx(4));

  for (const char* role : {"masthead", "kicker", "headline", "subheadline", "byline", "dateline",
                           "lead", "body", "subheading", "quote", "pull_quote", "caption", "credit",
                           "running_head", "folio", "jump_line"}) {
    INFO(role);
    CHECK(layout->roles.count(role) == 1);
  }
  const auto& body = layout->role("body");
  CHECK(body.family == "Amiri");
  CHECK(body.size == Approx(11));
  CHECK(body.leading == Approx(17));
  CHECK(body.weight == 400);
  const auto& headline = layout->role("headline");
  CHECK(headline.size == Approx(22));
  CHECK(headline.leading == Approx(30));
  CHECK(headline.weight == 700);
  const auto& kicker = layout->role("kicker");
  CHECK(kicker.color.r == Approx(0x8a / 255.0));
  CHECK(kicker.color.g == Approx(0x1c / 255.0));
  CHECK(layout->role("quote").italic);
  CHECK(layout->role("dateline").size == Approx(9.5));
}

TEST_CASE("every family a shipped layout names is in fonts/fonts.list", "[input][layout]") {
  const std::string fonts = test::read_file(test::source_dir() / "fonts" / "fonts.list");
  for (const auto& entry : fs::directory_iterator(test::source_dir() / "layouts")) {
    if (entry.path().extension() != ".xml") continue;
    model::Diagnostics diagnostics;
    const auto layout = input::read_layout(entry.path(), diagnostics);
    INFO(entry.path().string() << "\n" << diagnostics_text(diagnostics));
    REQUIRE(layout);
    std::vector<std::string> families = {layout->latin_family, layout->epub_body_family};
    for (const auto& [name, role] : layout->roles) families.push_back(role.family);
    for (const auto& family : families) {
      INFO(family);
      CHECK(fonts.find("\n" + family + " ") != std::string::npos);
    }
  }
}

TEST_CASE("bad layout values are reported with file:line", "[input][layout]") {
  const auto dir = test::scratch_dir("bad-layout");
  const auto file = dir / "bad.xml";
  test::write_file(file,
                   "<layout version=\"1\" name=\"bad\">\n"
                   "  <page width=\"210mm\" height=\"297\"/>\n"
                   "  <columns count=\"2\" rule-color=\"grey\"/>\n"
                   "  <role name=\"body\" family=\"Amiri\" size=\"11pt\"/>\n"
                   "  <role name=\"sidebar\" family=\"Amiri\"/>\n"
                   "  <gutter/>\n"
                   "  <digits style=\"persian\"/>\n"
                   "</layout>\n");
  model::Diagnostics diagnostics;
  CHECK_FALSE(input::read_layout(file, diagnostics));
  const auto& all = diagnostics.all();
  INFO(diagnostics_text(diagnostics));
  REQUIRE(all.size() == 5);
  CHECK(all[0].code == "bad-length");
  CHECK(all[0].where.file == file.string());
  CHECK(all[0].where.line == 2);
  CHECK(all[0].where.column == 3);
  CHECK_THAT(all[0].message, Catch::Contains("expected a length like 12pt or 5mm"));
  CHECK_THAT(all[0].message, Catch::Contains("got '297'"));
  CHECK(all[1].code == "bad-color");
  CHECK(all[1].where.line == 3);
  CHECK(all[2].code == "unknown-role");
  CHECK(all[2].where.line == 5);
  CHECK_THAT(all[2].message, Catch::Contains("masthead, kicker, headline"));
  CHECK(all[3].code == "unknown-element");
  CHECK(all[3].where.line == 6);
  CHECK_THAT(all[3].message, Catch::Contains("<gutter> in <layout>"));
  CHECK(all[4].code == "bad-value");
  CHECK(all[4].where.line == 7);
  CHECK_THAT(all[4].message, Catch::Contains("expected western or arabic-indic"));
}

TEST_CASE("headline sizes follow the columns a head spans", "[input][layout]") {
  model::Diagnostics diagnostics;
  const auto layout =
      input::read_layout(test::source_dir() / "layouts" / "broadsheet.xml", diagnostics);
  INFO(diagnostics_text(diagnostics));
  REQUIRE(layout);
  // broadsheet.xml: weight 1 -> 1 column at 17pt, 2 -> 2 at 21pt, wider heads keep the
  // headline role's 26pt.
  CHECK(layout->headline_role(1).size == Approx(17));
  CHECK(layout->headline_role(1).leading == Approx(19.5));
  CHECK(layout->headline_role(2).size == Approx(21));
  CHECK(layout->headline_role(3).size == Approx(layout->role("headline").size));
  CHECK(layout->headline_role(6).size == Approx(layout->role("headline").size));
  CHECK(layout->headline_role(1).family == layout->role("headline").family);
  CHECK(layout->headline_role(1).weight == layout->role("headline").weight);
  // A layout that gives no sizes sets every head in the headline role.
  const auto digest =
      input::read_layout(test::source_dir() / "layouts" / "a4-digest.xml", diagnostics);
  REQUIRE(digest);
  CHECK(digest->headline_role(1).size == Approx(digest->role("headline").size));
  CHECK(digest->headline_role(2).size == Approx(digest->role("headline").size));
}

// pdftotext joins a neighbouring column's lines to a head whose block comes within 0.7 x its
// size of them (docs/extraction.md): a gutter narrower than that is worth a warning, and no
// shipped layout has one.
TEST_CASE("a gutter too narrow for the heads beside it is a warning with file:line",
          "[input][layout]") {
  const auto dir = test::scratch_dir("narrow-gutter");
  const auto file = dir / "narrow.xml";
  test::write_file(file,
                   "<layout version=\"1\" name=\"narrow\">\n"
                   "  <columns count=\"3\" gutter=\"4mm\"/>\n"
                   "  <headline-span weight=\"1\" columns=\"1\" size=\"15pt\"/>\n"
                   "  <headline-span weight=\"3\" columns=\"2\" size=\"24pt\"/>\n"
                   "  <headline-span weight=\"5\" columns=\"3\" size=\"40pt\"/>\n"
                   "  <role name=\"body\" family=\"Amiri\" size=\"11pt\"/>\n"
                   "</layout>\n");
  model::Diagnostics diagnostics;
  REQUIRE(input::read_layout(file, diagnostics));
  INFO(diagnostics_text(diagnostics));
  REQUIRE(diagnostics.all().size() == 1);
  const auto& d = diagnostics.all().front();
  CHECK(d.severity == model::Severity::warning);
  CHECK(d.code == "narrow-gutter");
  CHECK(d.where.line == 2);
  // The 40pt head spans every column, so the 24pt one across two is the one that counts.
  CHECK_THAT(d.message, Catch::Contains("24pt headline across 2 columns"));
  CHECK_THAT(d.message, Catch::Contains("make the gutter 6.0mm"));

  // Wide enough: no warning.
  test::write_file(file,
                   "<layout version=\"1\" name=\"wide\">\n"
                   "  <columns count=\"3\" gutter=\"6mm\"/>\n"
                   "  <headline-span weight=\"3\" columns=\"2\" size=\"24pt\"/>\n"
                   "  <role name=\"body\" family=\"Amiri\" size=\"11pt\"/>\n"
                   "</layout>\n");
  model::Diagnostics clean;
  REQUIRE(input::read_layout(file, clean));
  CHECK(clean.all().empty());

  for (const char* name : {"a4-digest", "broadsheet", "tabloid", "a5-book"}) {
    INFO(name);
    model::Diagnostics shipped;
    REQUIRE(
        input::read_layout(test::source_dir() / "layouts" / (std::string(name) + ".xml"), shipped));
    INFO(diagnostics_text(shipped));
    CHECK(shipped.all().empty());
  }
}

TEST_CASE("an unknown section-opener style is reported with file:line", "[input][layout]") {
  const auto dir = test::scratch_dir("bad-opener");
  const auto file = dir / "bad.xml";
  test::write_file(file,
                   "<layout version=\"1\" name=\"bad\">\n"
                   "  <role name=\"body\" family=\"Amiri\" size=\"11pt\"/>\n"
                   "  <section-opener style=\"box\"/>\n"
                   "</layout>\n");
  model::Diagnostics diagnostics;
  CHECK_FALSE(input::read_layout(file, diagnostics));
  INFO(diagnostics_text(diagnostics));
  REQUIRE(diagnostics.all().size() == 1);
  const auto& d = diagnostics.all().front();
  CHECK(d.code == "bad-value");
  CHECK(d.where.line == 3);
  CHECK_THAT(d.message, Catch::Contains("rule, band or none"));
}

TEST_CASE("a layout needs a body role and the right root", "[input][layout]") {
  const auto dir = test::scratch_dir("layout-roots");
  test::write_file(dir / "a.xml", "<layout version=\"1\" name=\"a\"/>");
  test::write_file(dir / "b.xml", "<edition version=\"1\"/>");
  model::Diagnostics diagnostics;
  CHECK_FALSE(input::read_layout(dir / "a.xml", diagnostics));
  CHECK_FALSE(input::read_layout(dir / "b.xml", diagnostics));
  CHECK_FALSE(input::read_layout(dir / "missing.xml", diagnostics));
  REQUIRE(diagnostics.all().size() == 3);
  CHECK(diagnostics.all()[0].code == "missing-role");
  CHECK(diagnostics.all()[1].code == "wrong-root");
  CHECK_THAT(diagnostics.all()[1].message, Catch::Contains("expected <layout>"));
  CHECK(diagnostics.all()[2].code == "missing-file");
}

TEST_CASE("layout names resolve in the layouts folder, paths stay paths", "[input][layout]") {
  CHECK(input::resolve_layout("a4-digest", "/data/layouts") == "/data/layouts/a4-digest.xml");
  CHECK(input::resolve_layout("my/own.xml", "/data/layouts") == "my/own.xml");
  CHECK(input::resolve_layout("own.xml", "/data/layouts") == "own.xml");
}

TEST_CASE("data_dir honours WARRAQ_DATA_DIR", "[input][layout]") {
  ::setenv("WARRAQ_DATA_DIR", "/opt/warraq", 1);
  CHECK(input::data_dir() == "/opt/warraq");
  ::unsetenv("WARRAQ_DATA_DIR");
  // The build-time default is the source tree, which holds the shipped layouts.
  CHECK(fs::exists(input::resolve_layout("a4-digest", input::data_dir() / "layouts")));
}
