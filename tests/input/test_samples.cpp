// The shipped samples read cleanly, and the sample article is the scraped text byte for byte.
#include <catch2/catch.hpp>
#include <filesystem>

#include "input/input.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using namespace warraq;

namespace {

std::vector<fs::path> sample_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(test::source_dir() / "samples"))
    if (entry.is_regular_file() && entry.path().extension() == ".xml")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string diagnostics_text(const model::Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.all()) out += d.to_string() + "\n";
  return out;
}

}  // namespace

TEST_CASE("every sample reads with no diagnostics", "[input][samples]") {
  const auto files = sample_files();
  REQUIRE(files.size() >= 2);
  for (const auto& file : files) {
    INFO(file.string());
    model::Diagnostics diagnostics;
    const auto edition = input::read_edition(file, diagnostics);
    INFO(diagnostics_text(diagnostics));
    CHECK(edition.has_value());
    CHECK(diagnostics.all().empty());
  }
}

TEST_CASE("the sample edition has its sections, articles and metadata", "[input][samples]") {
  model::Diagnostics diagnostics;
  const auto edition =
      input::read_edition(test::source_dir() / "samples" / "edition-ar-MA.xml", diagnostics);
  REQUIRE(edition);
  CHECK(edition->title == "ورّاق اليومية");
  CHECK(edition->locale == "ar-MA");
  CHECK(edition->language() == "ar");
  CHECK(edition->direction == model::Direction::rtl);
  CHECK(edition->layout == "a4-digest");
  CHECK(edition->number == "1234");
  CHECK(edition->date == model::Date{2024, 11, 25});
  REQUIRE(edition->sections.size() == 2);
  CHECK(edition->sections[0].id == "security");
  REQUIRE(edition->sections[0].articles.size() == 1);
  const auto& referenced = edition->sections[0].articles[0];
  CHECK(referenced.id == "hammouchi-belgium");
  CHECK(fs::path(referenced.where.file).filename() == "hammouchi-belgium.xml");
  REQUIRE(edition->sections[1].articles.size() == 2);
  CHECK(edition->article_count() == 3);

  // The Latin run keeps its language and direction; the quote keeps its cite.
  const auto& profile = edition->sections[1].articles[0];
  bool found_latin = false;
  for (const auto& span : profile.lead)
    if (span.text == "Francesca Bostyn") {
      found_latin = true;
      CHECK(span.lang == "fr");
      CHECK(span.dir == "ltr");
    }
  CHECK(found_latin);
  const auto& tram = edition->sections[1].articles[1];
  bool found_quote = false;
  for (const auto& block : tram.body)
    if (block.kind == model::BlockKind::quote) {
      found_quote = true;
      CHECK(block.cite == "محلل في قطاع النقل");
      REQUIRE(block.content.size() == 1);
      CHECK(block.content[0].lang == "en");
    }
  CHECK(found_quote);
}

TEST_CASE("the sample article is the scraped text, byte for byte", "[input][samples]") {
  const std::string source =
      test::read_file(test::shared_dir() / "samples" / "scraped-article-ar-MA.txt");
  model::Diagnostics diagnostics;
  const auto edition = input::read_edition(
      test::source_dir() / "samples" / "articles" / "hammouchi-belgium.xml", diagnostics);
  REQUIRE(edition);
  REQUIRE(edition->sections.size() == 1);
  REQUIRE(edition->sections[0].articles.size() == 1);
  const model::Article& article = edition->sections[0].articles[0];

  // A one-article edition takes its title and date from the article.
  CHECK(edition->title == model::plain_text(article.headline));
  CHECK(edition->date == model::Date{2024, 11, 25});
  CHECK(edition->sections[0].name == "أمن");

  const auto in_source = [&](const std::string& text) {
    INFO(text);
    CHECK_FALSE(text.empty());
    CHECK(source.find(text) != std::string::npos);
  };
  CHECK(model::plain_text(article.headline) ==
        "حموشي يستقبل المديرة العامة لأمن الدولة البلجيكية لبحث التعاون الأمني المشترك");
  in_source(model::plain_text(article.headline));
  CHECK(model::plain_text(article.byline) == "خالد الحافظ");
  in_source("بقلم : " + model::plain_text(article.byline));
  REQUIRE(article.body.size() == 6);
  for (const auto& block : article.body) {
    CHECK(block.kind == model::BlockKind::paragraph);
    in_source(model::plain_text(block.content));
  }

  // The scrape's related block has four teasers; the second repeats this article.
  REQUIRE(article.related.size() == 3);
  for (const auto& link : article.related) {
    in_source(link.title);
    in_source(link.snippet);
    CHECK(link.title != model::plain_text(article.headline));
  }
  CHECK(article.related[0].snippet.rfind("\u00a0 في إطار الحملة الوطنية الـ22", 0) == 0);
  CHECK(article.related[1].snippet.find("أبو ه"
                                        "\u0640\u0640\u0640\u0640\u0640\u0640"
                                        "ود") != std::string::npos);
  CHECK(article.related[2].snippet.find("أبو ه"
                                        "\u0640\u0640\u0640\u0640"
                                        "ود") != std::string::npos);
}
