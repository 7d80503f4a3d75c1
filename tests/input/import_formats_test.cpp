// NITF, RSS and Atom fixtures read into the model as documented in docs/import.md.
#include "import_test_helpers.hpp"

namespace fs = std::filesystem;
using namespace warraq;
using input::Format;

TEST_CASE("formats are detected from the content", "[input][import]") {
  CHECK(input::detect_format("<?xml version=\"1.0\"?>\n<edition version=\"1\"/>") ==
        Format::native);
  CHECK(input::detect_format("\xEF\xBB\xBF<article/>") == Format::native);
  CHECK(input::detect_format("<?xml version='1.0'?><!DOCTYPE nitf SYSTEM 'x.dtd'>\n<nitf/>") ==
        Format::nitf);
  CHECK(input::detect_format("<n:nitf xmlns:n='http://iptc.org/std/NITF/2006-10-18/'/>") ==
        Format::nitf);
  CHECK(input::detect_format("<!-- feed --><rss version='2.0'/>") == Format::rss);
  CHECK(input::detect_format("<feed xmlns='http://www.w3.org/2005/Atom'/>") == Format::atom);
  CHECK(input::detect_format("ذات صلة\n\nعنوان") == Format::scraped);
  CHECK(input::parse_format("atom") == Format::atom);
  CHECK_FALSE(input::parse_format("json"));
}

TEST_CASE("NITF with namespace, in Windows-1256", "[input][import]") {
  const auto r = test::import_file(test::import_data() / "nitf" / "tanger-med-ar-windows-1256.xml");
  INFO(r.all());
  REQUIRE(r.edition);
  CHECK(r.diagnostics.all().empty());
  CHECK(r.edition->title == "ورّاق الاقتصادية");
  CHECK(r.edition->publisher == "وكالة ورّاق للأنباء");
  CHECK(r.edition->locale == "ar");
  const auto& a = r.article();
  CHECK(a.id == "tanger-med-record-2024");
  CHECK(a.date == model::Date{2024, 11, 25});
  CHECK(a.weight == 4);  // ed-urg 3
  CHECK(a.section == "اقتصاد");
  CHECK(model::plain_text(a.headline) == "ميناء طنجة المتوسط يعالج 10 ملايين حاوية لأول مرة");
  REQUIRE(a.headline.size() == 3);
  CHECK(a.headline[1].style == model::emphasis);
  CHECK(model::plain_text(a.subheadline) ==
        "الحركة ارتفعت بنسبة 18 في المائة مقارنة بالسنة الماضية");
  CHECK(model::plain_text(a.byline) == "سعاد بنـعلي");
  CHECK(model::plain_text(a.dateline) == "طنجة");
  CHECK(model::plain_text(a.lead).rfind("تجاوز الميناء", 0) == 0);
  std::vector<model::BlockKind> kinds;
  for (const auto& b : a.body) kinds.push_back(b.kind);
  using K = model::BlockKind;
  CHECK(kinds == std::vector<K>{K::paragraph, K::paragraph, K::figure, K::subheading, K::paragraph,
                                K::quote, K::list, K::paragraph, K::paragraph});
  const auto& figure = a.body[2].figure;
  CHECK(fs::path(figure.src).filename() == "tram.jpg");
  CHECK(fs::exists(figure.src));
  CHECK(figure.alt == "رافعات الميناء");
  CHECK(model::plain_text(figure.caption) == "رافعات محطة الحاويات الرابعة");
  CHECK(model::plain_text(figure.credit) == "ورّاق");
  CHECK(a.body[5].cite == "المدير العام للميناء");
  CHECK(a.body[6].items.size() == 2);
  CHECK(a.body[7].content[1].href == "https://example.org/tanger-med-3");
  CHECK(a.body[8].content[0].style == model::emphasis);  // body.end tagline
}

TEST_CASE("NITF without namespace, in ISO-8859-1, with a table", "[input][import]") {
  const auto r = test::import_file(test::import_data() / "nitf" / "fes-cafes-en-iso-8859-1.xml");
  INFO(r.all());
  REQUIRE(r.edition);
  const auto& a = r.article();
  CHECK(a.id == "fes-cafes");
  CHECK(model::plain_text(a.headline) == "Café culture returns to Fès medina");
  CHECK(model::plain_text(a.byline) == "Hélène Dupré");
  CHECK(a.section == "Culture");  // the first keyword, with no pubdata section
  CHECK(a.weight == 2);           // ed-urg 5
  CHECK(r.edition->locale == "en");
  CHECK(r.edition->direction == model::Direction::ltr);
  bool row = false;
  for (const auto& b : a.body) row = row || model::plain_text(b.content) == "2024 | 1.4 million";
  CHECK(row);
  CHECK(r.dropped_contains("<table>"));
  CHECK(r.dropped_contains("media-type=\"video\""));
  CHECK(a.body.back().content.size() == 3);  // text, <br/>, text
  CHECK(a.body.back().content[1].line_break);
}

TEST_CASE("NITF with a prefixed namespace and a language run", "[input][import]") {
  const auto r = test::import_file(test::import_data() / "nitf" / "rabat-tram-ar-prefixed.xml");
  INFO(r.all());
  REQUIRE(r.edition);
  const auto& a = r.article();
  CHECK(a.id == "rabat-tram-extension");
  CHECK(a.date == model::Date{2024, 11, 24});
  CHECK(model::plain_text(a.byline) == "ليلى الـعـمراني");
  REQUIRE(a.body.size() == 3);
  bool french = false;
  for (const auto& s : a.body[2].content)
    if (s.text == "Rabat Salé Tramway") french = s.lang == "fr" && s.dir == "ltr";
  CHECK(french);
}

TEST_CASE("Arabic RSS with messy HTML: structure kept, active content dropped", "[input][import]") {
  const auto r = test::import_file(test::import_data() / "rss" / "maghreb-news-ar.xml");
  INFO(r.all());
  REQUIRE(r.edition);
  CHECK(r.edition->title == "ورّاق - آخر الأخبار");
  CHECK(r.edition->locale == "ar-MA");
  CHECK(r.edition->date == model::Date{2024, 11, 25});
  REQUIRE(r.edition->sections.size() == 3);
  CHECK(r.edition->sections[0].name == "أمن");
  const auto& a = r.article(0);
  CHECK(a.id == "hammouchi-belgium");  // the link's slug: the guid is not a permalink
  CHECK(model::plain_text(a.byline) == "خالد الحافظ");
  CHECK(a.date == model::Date{2024, 11, 25});
  using K = model::BlockKind;
  std::vector<K> kinds;
  for (const auto& b : a.body) kinds.push_back(b.kind);
  CHECK(kinds == std::vector<K>{K::paragraph, K::paragraph, K::subheading, K::list, K::quote,
                                K::figure, K::paragraph});
  // The Latin run keeps its language; &nbsp; is a no-break space; no script text anywhere.
  bool latin = false;
  for (const auto& s : a.body[0].content)
    latin = latin || (s.text == "Francesca Bostyn" && s.lang == "fr" && s.dir == "ltr");
  CHECK(latin);
  CHECK(model::plain_text(a.body[1].content).find("فرصة\u00a0هامة") != std::string::npos);
  for (const auto& b : a.body) {
    const std::string text = model::plain_text(b.content);
    CHECK(text.find("_gaq") == std::string::npos);
    CHECK(text.find("display:none") == std::string::npos);
    CHECK(text.find("اشترك") == std::string::npos);
    for (const auto& s : b.content) CHECK(s.href.find("javascript") == std::string::npos);
  }
  CHECK(a.body[3].items.size() == 2);
  CHECK(model::plain_text(a.body[5].figure.caption) == "تطور التعاون الأمني");
  for (const char* what : {"<script>", "<style>", "<iframe>", "<form>", "onclick", "onmouseover",
                           "onerror", "javascript:", "data:"})
    CHECK(r.dropped_contains(what));

  // <br><br> separates paragraphs; a lone <br> is a line break; the enclosure opens the body.
  const auto& storm = r.article(1);
  REQUIRE(storm.body.size() == 3);
  CHECK(storm.body[0].kind == K::figure);
  const auto& fuel = r.article(2);
  CHECK(model::plain_text(fuel.headline) == "ارتفاع أسعار المحروقات \"مرة أخرى\"");
  REQUIRE(fuel.body.size() == 2);
  CHECK(fuel.body[0].content[1].line_break);
  CHECK(fuel.body[1].content[0].style == model::strong);
  CHECK(r.dropped_contains("remote image"));
}

TEST_CASE("RSS in Windows-1256 with escaped upper-case HTML", "[input][import]") {
  const auto r = test::import_file(test::import_data() / "rss" / "shorouk-ar-windows-1256.xml");
  INFO(r.all());
  REQUIRE(r.edition);
  const auto& a = r.article(0);
  CHECK(model::plain_text(a.byline) == "محمد عبد المنعم");
  CHECK(a.id == "www.example.com.eg-918273");
  REQUIRE(a.body.size() == 2);
  CHECK(r.dropped_contains("<script>"));
  CHECK(r.article(1).date == model::Date{2024, 12, 12});  // "12 Dec 24 ... EST"
}

TEST_CASE("English RSS with unusual prefixes and dc:date", "[input][import]") {
  const auto r = test::import_file(test::import_data() / "rss" / "wire-en.xml");
  INFO(r.all());
  REQUIRE(r.edition);
  CHECK(r.edition->title == "Example Wire \u2014 Africa");
  CHECK(r.edition->locale == "en-US");
  const auto& a = r.article(0);
  CHECK(a.id == "morocco-rail-marrakech-2029");
  CHECK(model::plain_text(a.headline) ==
        "Morocco's high-speed rail line to reach Marrakech by 2029");
  CHECK(model::plain_text(a.byline) == "Jane Doe");
  CHECK(a.body[2].kind == model::BlockKind::subheading);
  CHECK(a.body[4].ordered);
  CHECK(r.dropped_contains("relative link '#fn1'"));
  CHECK(r.article(1).date == model::Date{2024, 12, 12});
  CHECK(model::plain_text(r.article(1).byline) == "Ahmed Samir");
}

TEST_CASE("Atom: xhtml, html and text content", "[input][import]") {
  const auto r = test::import_file(test::import_data() / "atom" / "culture-ar.xml");
  INFO(r.all());
  REQUIRE(r.edition);
  CHECK(r.edition->locale == "ar");
  CHECK(r.edition->publisher == "دار ورّاق للنشر");
  const auto& a = r.article(0);
  CHECK(a.id == "book-fair-visitors");
  CHECK(model::plain_text(a.headline) == "معرض الكتاب بالرباط يستقبل 300 ألف زائر");
  CHECK(model::plain_text(a.byline) == "نادية الـبقالي، يوسف أمزيان");
  CHECK(a.section == "كتب");
  CHECK(a.date == model::Date{2024, 11, 25});
  CHECK(a.body.front().kind == model::BlockKind::figure);
  CHECK(r.dropped_contains("<script>"));
  const auto& music = r.article(1);
  CHECK(music.body.size() == 2);  // two unclosed <p>
  CHECK(r.dropped_contains("onerror"));

  const auto en = test::import_file(test::import_data() / "atom" / "science-en-prefixed.xml");
  INFO(en.all());
  REQUIRE(en.edition);
  CHECK(en.article(0).body.size() == 2);  // a blank line splits text content
  CHECK(model::plain_text(en.article(0).byline) == "Renée Côté");
  CHECK(model::plain_text(en.article(1).body[0].content).find("2,500\u00a0m") != std::string::npos);
}

TEST_CASE("RFC 822 and RFC 3339 dates", "[input][import]") {
  const auto rss_date = [](const std::string& date) {
    const auto r = test::import_text(
        "<rss version='2.0'><channel><title>t</title><item><title>a</title><pubDate>" + date +
            "</pubDate><description>b</description></item></channel></rss>",
        "d.xml");
    return r.edition ? std::optional<model::Date>(r.article().date) : std::nullopt;
  };
  CHECK(rss_date("Mon, 25 Nov 2024 08:30:00 +0100") == model::Date{2024, 11, 25});
  CHECK(rss_date("25 Nov 2024 23:59 GMT") == model::Date{2024, 11, 25});
  CHECK(rss_date("Tue, 1 Jul 99 00:00:00 PDT") == model::Date{1999, 7, 1});
  CHECK(rss_date("Sat, 29 Feb 2025 08:00:00 +0000") == std::nullopt);
  CHECK(rss_date("2024-11-25T08:30:00Z") == std::nullopt);
  CHECK(rss_date("Mon, 25 Nov 2024 08:30:00") == std::nullopt);  // no zone
  const auto atom_date = [](const std::string& date) {
    const auto r = test::import_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title><entry><title>a</title>"
        "<updated>" +
            date + "</updated><content>b</content></entry></feed>",
        "d.xml");
    return r.edition ? std::optional<model::Date>(r.article().date) : std::nullopt;
  };
  CHECK(atom_date("2024-11-25T08:30:00+01:00") == model::Date{2024, 11, 25});
  CHECK(atom_date("2024-11-25t08:30:00.123456z") == model::Date{2024, 11, 25});
  CHECK(atom_date("2024-11-25") == std::nullopt);  // Atom needs a date-time
  CHECK(atom_date("2024-11-25T25:00:00Z") == std::nullopt);
  CHECK(atom_date("Mon, 25 Nov 2024 08:30:00 +0100") == std::nullopt);
}
