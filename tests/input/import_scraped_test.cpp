// Scraped page text: the shared sample imports to the hand-written sample article; dates in
// Moroccan, Egyptian, Levantine and Maghreb month names, with any digits.
#include "import_test_helpers.hpp"

namespace fs = std::filesystem;
using namespace warraq;

TEST_CASE("the scraped sample imports to the hand-written sample article", "[input][import]") {
  // A scrape carries no id: it comes from the file's name, so the sample is imported under
  // the name the hand-written article has (docs/import.md, "Ids").
  const fs::path dir = test::scratch_dir("import-scraped-sample");
  const fs::path scraped = dir / "hammouchi-belgium.txt";
  test::write_file(scraped,
                   test::read_file(test::shared_dir() / "samples" / "scraped-article-ar-MA.txt"));
  const auto imported = test::import_file(scraped);
  INFO(imported.all());
  REQUIRE(imported.edition);
  CHECK(imported.diagnostics.all().empty());

  model::Diagnostics diagnostics;
  const auto written = input::read_edition(
      test::source_dir() / "samples" / "articles" / "hammouchi-belgium.xml", diagnostics);
  REQUIRE(written);
  const model::Article& expected = written->sections.at(0).articles.at(0);
  REQUIRE(imported.edition->article_count() == 1);
  model::Article article = imported.article();

  // What a scrape cannot say is the editor's call: the section («أمن») and the weight (3)
  // are not in the text. Everything else is the same, byte for byte.
  CHECK(article.section.empty());
  CHECK(article.weight == 1);
  article.section = expected.section;
  article.weight = expected.weight;
  test::check_same_article(article, expected);
  CHECK(model::plain_text(article.byline) == "خالد الحافظ");
  CHECK(article.date == model::Date{2024, 11, 25});
  REQUIRE(article.related.size() == 3);
  CHECK(article.related[0].snippet.rfind("\u00a0 في إطار", 0) == 0);

  // The edition: titled after the headline, Moroccan month names give ar-MA.
  CHECK(imported.edition->locale == "ar-MA");
  CHECK(imported.edition->direction == model::Direction::rtl);
  CHECK(imported.edition->date == model::Date{2024, 11, 25});
  CHECK(imported.edition->title == model::plain_text(expected.headline));
  CHECK(imported.dropped_contains("جمع"));
  CHECK(imported.dropped_contains("teaser repeating the headline"));
}

TEST_CASE("a scrape's id is its file name, else a stable hash of the headline", "[input][import]") {
  const std::string text = "عنوان الخبر\n\nبقلم : كاتب\n\nنص الخبر يوم 3 يناير 2025.\n";
  const auto named = test::import_text(text, "dir/Port News (final).txt");
  REQUIRE(named.edition);
  CHECK(named.article().id == "port-news-final");
  const auto arabic = test::import_text(text, "dir/خبر.txt");
  REQUIRE(arabic.edition);
  CHECK(arabic.article().id.rfind("article-", 0) == 0);
  CHECK(arabic.article().id.size() == std::string("article-").size() + 8);
  CHECK(test::import_text(text, "other/خبر.txt").article().id == arabic.article().id);
}

TEST_CASE("scraped fixtures: Egyptian, Levantine and English pages", "[input][import]") {
  SECTION("Egyptian month, Arabic-Indic digits, «كتب :» byline") {
    const auto r = test::import_file(test::import_data() / "scraped" / "cairo-metro-ar-EG.txt");
    INFO(r.all());
    REQUIRE(r.edition);
    const auto& a = r.article();
    CHECK(a.date == model::Date{2024, 12, 12});
    CHECK(r.edition->locale == "ar-EG");
    CHECK(model::plain_text(a.headline) == "افتتاح الخط الثالث للمترو حتى جامعة القاهرة");
    CHECK(model::plain_text(a.byline) == "محمد عبد الـمـنعم");  // tatweel kept
    CHECK(a.related.size() == 1);
    CHECK(a.body.size() == 3);
  }
  SECTION("Levantine month with the Egyptian one after a slash") {
    const auto r = test::import_file(test::import_data() / "scraped" / "beirut-port-ar-LB.txt");
    INFO(r.all());
    REQUIRE(r.edition);
    CHECK(r.article().date == model::Date{2024, 11, 12});
    CHECK(r.edition->locale == "ar-SY");
    CHECK(model::plain_text(r.article().byline) == "رنا الخوري");
    CHECK(r.article().related.size() == 2);
  }
  SECTION("English") {
    const auto r = test::import_file(test::import_data() / "scraped" / "harbour-en.txt");
    INFO(r.all());
    REQUIRE(r.edition);
    CHECK(r.article().date == model::Date{2025, 3, 3});
    CHECK(r.edition->locale == "en");
    CHECK(r.edition->direction == model::Direction::ltr);
    CHECK(model::plain_text(r.article().byline) == "Sarah Miller");
    CHECK(r.article().related.size() == 1);
  }
}

TEST_CASE("dates in Arabic prose", "[input][import]") {
  const auto date_of = [](const std::string& sentence) -> std::optional<model::Date> {
    const auto r = test::import_text("عنوان\n\nبقلم : كاتب\n\n" + sentence + "\n", "d.txt");
    if (!r.edition) return std::nullopt;
    return r.article().date;
  };
  CHECK(date_of("صباح اليوم الاثنين 25 نونبر 2024، استقبل") == model::Date{2024, 11, 25});
  CHECK(date_of("يوم ٢٥ نوفمبر ٢٠٢٤ أعلن") == model::Date{2024, 11, 25});
  CHECK(date_of("في ۲۵ نوفمبر ۲۰۲۴") == model::Date{2024, 11, 25});
  CHECK(date_of("الموافق 5 من أغسطس 2024م") == model::Date{2024, 8, 5});
  CHECK(date_of("في 1 كانون الثاني 2025") == model::Date{2025, 1, 1});
  CHECK(date_of("في 1 كانون الأول 2025") == model::Date{2025, 12, 1});
  CHECK(date_of("في 9 آذار 2025") == model::Date{2025, 3, 9});
  CHECK(date_of("في 14 غشت 2024") == model::Date{2024, 8, 14});
  CHECK(date_of("في 14 جويلية 2024") == model::Date{2024, 7, 14});
  CHECK(date_of("في 30 دجنبر 2024") == model::Date{2024, 12, 30});
  CHECK(date_of("في 3 إبريل 2024") == model::Date{2024, 4, 3});
  CHECK(date_of("في 31 شتنبر 2024") == std::nullopt);  // no such day: no date, then an error
}
