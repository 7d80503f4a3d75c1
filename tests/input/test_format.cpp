// How the native format maps onto the model: whitespace, inline styles, blocks, locations.
#include <catch2/catch.hpp>

#include "input_test_helpers.hpp"
#include "support/test_support.hpp"

using namespace warraq;
using test::read_xml;

namespace {

std::string article_with_body(const std::string& body) {
  return "<article version=\"1\" id=\"a\">\n<headline>H</headline>\n<body>\n" + body +
         "\n</body>\n</article>\n";
}

model::Article only_article(const test::ReadOutcome& outcome) {
  INFO(outcome.all());
  REQUIRE(outcome.edition);
  REQUIRE(outcome.edition->sections.size() == 1);
  REQUIRE(outcome.edition->sections[0].articles.size() == 1);
  return outcome.edition->sections[0].articles[0];
}

}  // namespace

TEST_CASE("XML whitespace collapses to one space, trimmed at block edges", "[input][format]") {
  const auto article =
      only_article(read_xml(article_with_body("<p>\n   one\t two \r\n  three   </p>")));
  REQUIRE(article.body.size() == 1);
  REQUIRE(article.body[0].content.size() == 1);
  CHECK(article.body[0].content[0].text == "one two three");
}

TEST_CASE("no-break space and tatweel are kept byte-exact", "[input][format]") {
  // U+00A0 is content, not markup whitespace (XML 1.0 §2.3), so it is neither collapsed nor
  // trimmed; tatweel (U+0640) runs are the writer's choice and must survive.
  const auto article = only_article(
      read_xml(article_with_body("<p>\u00a0 أبو هــــــود\u00a0\u00a0 الـ22 &#160;x</p>")));
  CHECK(model::plain_text(article.body[0].content) ==
        "\u00a0 أبو هــــــود\u00a0\u00a0 الـ22 \u00a0x");
}

TEST_CASE("whitespace between inline elements is kept as one space", "[input][format]") {
  // tinyxml2 drops whitespace-only text nodes; the reader must not lose this space.
  const auto article = only_article(
      read_xml(article_with_body("<p><em>a</em> <strong>b</strong>\n  <em>c</em></p>")));
  const auto& spans = article.body[0].content;
  CHECK(model::plain_text(spans) == "a b c");
  // Each space sits between the elements, so it is plain, in a span of its own.
  REQUIRE(spans.size() == 5);
  CHECK(spans[0].text == "a");
  CHECK(spans[0].style == model::emphasis);
  CHECK(spans[1].text == " ");
  CHECK(spans[1].style == model::plain);
  CHECK(spans[2].text == "b");
  CHECK(spans[2].style == model::strong);
  CHECK(spans[3].text == " ");
  CHECK(spans[4].text == "c");
}

TEST_CASE("a space inside an element stays with that element", "[input][format]") {
  const auto article = only_article(read_xml(article_with_body("<p><em>a </em> b</p>")));
  const auto& spans = article.body[0].content;
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].text == "a ");
  CHECK(spans[0].style == model::emphasis);
  CHECK(spans[1].text == "b");
  CHECK(spans[1].style == model::plain);
}

TEST_CASE("nested em and strong combine their style bits", "[input][format]") {
  const auto article = only_article(read_xml(
      article_with_body("<p>x <strong>y <em>z</em></strong><em><strong>w</strong></em></p>")));
  const auto& spans = article.body[0].content;
  REQUIRE(spans.size() == 3);
  CHECK(spans[0].text == "x ");
  CHECK(spans[0].style == model::plain);
  CHECK(spans[1].text == "y ");
  CHECK(spans[1].style == model::strong);
  // "z" and "w" have the same attributes, so they merge into one span.
  CHECK(spans[2].text == "zw");
  CHECK(spans[2].style == (model::emphasis | model::strong));
}

TEST_CASE("links and language runs carry href, lang and dir", "[input][format]") {
  const auto article = only_article(read_xml(
      article_with_body("<p>قال <span lang=\"fr\" dir=\"ltr\">Francesca <em>Bostyn</em></span> "
                        "<a href=\"https://example.org/x\">هنا</a></p>")));
  const auto& spans = article.body[0].content;
  REQUIRE(spans.size() == 5);
  CHECK(spans[0].text == "قال ");
  CHECK(spans[1].text == "Francesca ");
  CHECK(spans[1].lang == "fr");
  CHECK(spans[1].dir == "ltr");
  CHECK(spans[2].text == "Bostyn");
  CHECK(spans[2].style == model::emphasis);
  CHECK(spans[2].lang == "fr");
  CHECK(spans[3].text == " ");
  CHECK(spans[3].lang.empty());
  CHECK(spans[4].text == "هنا");
  CHECK(spans[4].href == "https://example.org/x");
}

TEST_CASE("br becomes a line-break span and eats the spaces around it", "[input][format]") {
  const auto article = only_article(read_xml(article_with_body("<p>one <br/>\n two<br/></p>")));
  const auto& spans = article.body[0].content;
  REQUIRE(spans.size() == 4);
  CHECK(spans[0].text == "one");
  CHECK(spans[1].line_break);
  CHECK(spans[1].text.empty());
  CHECK(spans[2].text == "two");
  CHECK(spans[3].line_break);
  CHECK(model::plain_text(spans) == "one\u2028two\u2028");
}

TEST_CASE("every block kind maps to the model", "[input][format]") {
  const auto article = only_article(read_xml(article_with_body(
      "<p>p</p>\n<subheading>s</subheading>\n<quote cite=\"C\">q</quote>\n"
      "<pullquote>pq</pullquote>\n<list type=\"numbered\"><item>1</item><item>2</item></list>\n"
      "<list><item>b</item></list>")));
  REQUIRE(article.body.size() == 6);
  CHECK(article.body[0].kind == model::BlockKind::paragraph);
  CHECK(article.body[1].kind == model::BlockKind::subheading);
  CHECK(article.body[2].kind == model::BlockKind::quote);
  CHECK(article.body[2].cite == "C");
  CHECK(article.body[3].kind == model::BlockKind::pull_quote);
  CHECK(article.body[4].kind == model::BlockKind::list);
  CHECK(article.body[4].ordered);
  REQUIRE(article.body[4].items.size() == 2);
  CHECK(model::plain_text(article.body[4].items[1]) == "2");
  CHECK_FALSE(article.body[5].ordered);
}

TEST_CASE("figures resolve src beside the file and read caption and credit", "[input][format]") {
  const auto dir = test::scratch_dir("figure");
  test::write_file(dir / "img" / "photo.jpg", "not really a jpeg");
  const std::string xml = article_with_body(
      "<figure src=\"img/photo.jpg\" columns=\"2\" alt=\"وصف\"><caption>تعليق</caption>"
      "<credit>تصوير</credit></figure>");
  test::write_file(dir / "a.xml", xml);
  model::Diagnostics diagnostics;
  const auto edition = input::read_edition(dir / "a.xml", diagnostics);
  REQUIRE(edition);
  const auto& figure = edition->sections[0].articles[0].body[0].figure;
  CHECK(figure.src == (dir / "img" / "photo.jpg").string());
  CHECK(figure.columns == 2);
  CHECK(figure.alt == "وصف");
  CHECK(model::plain_text(figure.caption) == "تعليق");
  CHECK(model::plain_text(figure.credit) == "تصوير");
}

TEST_CASE("spans, blocks and articles carry file and line", "[input][format]") {
  const auto article = only_article(
      read_xml("<article version=\"1\" id=\"a\">\n<headline>H</headline>\n<body>\n  <p>one\n"
               "<em>two</em></p>\n</body>\n</article>\n",
               "loc.xml"));
  CHECK(article.where.file == "loc.xml");
  CHECK(article.where.line == 1);
  CHECK(article.where.column == 1);
  const auto& block = article.body[0];
  CHECK(block.where.line == 4);
  CHECK(block.where.column == 3);
  REQUIRE(block.content.size() == 2);
  CHECK(block.content[0].where.file == "loc.xml");
  CHECK(block.content[0].where.line == 4);
  CHECK(block.content[1].where.line == 5);
}

TEST_CASE("an edition with inline articles and attributes reads fully", "[input][format]") {
  const auto outcome = read_xml(
      "<edition version=\"1\" locale=\"ar-EG\" dir=\"rtl\" layout=\"x.xml\" date=\"2024-02-29\">\n"
      "<title>  عنوان\n العدد </title>\n<publisher>ناشر</publisher>\n"
      "<section id=\"s1\" name=\"أخبار\">\n"
      "<article id=\"a1\" date=\"2024-02-28\" section=\"دولي\" weight=\"5\">"
      "<kicker>k</kicker><headline>h</headline><subheadline>sh</subheadline><byline>b</byline>"
      "<dateline>d</dateline><lead>l</lead><body><p>p</p></body>"
      "<related><link href=\"https://e.org\"><title>t</title><snippet>s</snippet></link>"
      "<link><title>t2</title></link></related></article>\n"
      "</section>\n</edition>\n");
  INFO(outcome.all());
  REQUIRE(outcome.edition);
  const auto& e = *outcome.edition;
  CHECK(e.title == "عنوان العدد");
  CHECK(e.publisher == "ناشر");
  CHECK(e.locale == "ar-EG");
  CHECK(e.layout == "x.xml");
  CHECK(e.date == model::Date{2024, 2, 29});
  const auto& a = e.sections[0].articles[0];
  CHECK(a.weight == 5);
  CHECK(a.section == "دولي");
  CHECK(a.date == model::Date{2024, 2, 28});
  CHECK(model::plain_text(a.kicker) == "k");
  CHECK(model::plain_text(a.subheadline) == "sh");
  CHECK(model::plain_text(a.dateline) == "d");
  CHECK(model::plain_text(a.lead) == "l");
  REQUIRE(a.related.size() == 2);
  CHECK(a.related[0].href == "https://e.org");
  CHECK(a.related[0].snippet == "s");
  CHECK(a.related[1].href.empty());
}
