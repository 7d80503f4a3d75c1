// Kashida justification measured the way the issue states it: inter-word spaces stretch
// far less when joins take the slack first, and no line goes past the layout's maximum
// space stretch while it still has a join that could have been elongated.
#include <algorithm>
#include <catch2/catch.hpp>

#include "input/input.hpp"
#include "support/test_support.hpp"
#include "typeset/typeset.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

struct Measured {
  double p95 = 0;
  std::size_t lines = 0;
  std::size_t over_limit_with_points = 0;
  int kashidas = 0;
};

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto index = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(index, v.size() - 1)];
}

Measured measure(const fs::path& edition_path, model::Justification mode) {
  model::Diagnostics d;
  const auto edition = input::read_edition(edition_path, d);
  const auto layout = input::read_layout(test::source_dir() / "layouts" / "a4-digest.xml", d);
  const auto fonts = typeset::FontSet::load(test::source_dir() / "fonts", d);
  REQUIRE(edition);
  REQUIRE(layout);
  REQUIRE(fonts);
  typeset::Options options;
  options.justification = mode;
  Measured m;
  std::vector<double> stretch;
  REQUIRE(typeset::typeset(
      *edition, *layout, *fonts, options,
      [&](typeset::Page&& page) {
        for (const auto& line : page.lines) {
          if (!line.justified || line.role != "body") continue;
          stretch.push_back(line.space_stretch);
          m.kashidas += line.kashida_count;
          if (line.space_stretch > line.max_space_stretch + 1e-6 && line.kashida_points > 0)
            ++m.over_limit_with_points;
        }
      },
      d));
  m.p95 = percentile(stretch, 0.95);
  m.lines = stretch.size();
  return m;
}

void compare(const fs::path& edition) {
  const auto kashida = measure(edition, model::Justification::kashida);
  const auto spaces = measure(edition, model::Justification::spaces);
  INFO("justified body lines: " << kashida.lines << " / " << spaces.lines);
  INFO("p95 space stretch: kashida " << kashida.p95 << ", spaces only " << spaces.p95);
  INFO("kashidas: " << kashida.kashidas);
  REQUIRE(kashida.lines > 10);
  CHECK(kashida.kashidas > 0);
  CHECK(spaces.kashidas == 0);
  CHECK(spaces.p95 > 0);
  CHECK(kashida.p95 <= 0.5 * spaces.p95);
  CHECK(kashida.over_limit_with_points == 0);
}

}  // namespace

TEST_CASE("kashida halves the space stretch on the sample edition", "[typeset][kashida]") {
  compare(test::source_dir() / "samples" / "edition-ar-MA.xml");
}

TEST_CASE("kashida halves the space stretch on a generated 100-article edition",
          "[typeset][kashida]") {
  const auto dir = test::scratch_dir("kashida-100");
  const auto edition = dir / "edition-100.xml";
  const auto r =
      test::run({"python3", (test::source_dir() / "bench" / "generate_edition.py").string(), "100",
                 edition.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  compare(edition);
}

TEST_CASE("kashida halves the space stretch on varied prose", "[typeset][kashida]") {
  compare(test::source_dir() / "tests" / "data" / "prose" / "edition-prose.xml");
}
