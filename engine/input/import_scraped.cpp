// Plain text as a scrape of a news page gives it (../shared/samples/scraped-article-ar-MA.txt):
//
//   ذات صلة                      the related-stories heading
//   جمع                          page furniture (a short line with no snippet): left out
//   TITLE / SNIPPET...           teasers: a title line, then a snippet cut with «...»
//   HEADLINE                     the article's headline (it repeats one teaser's title)
//   بقلم : NAME                  the byline, label dropped
//   PARAGRAPH ...                one paragraph a line
//
// Text is kept exactly (tatweel, no-break spaces) except that whitespace runs collapse as in
// the native format, so the result equals the hand-written samples/articles/*.xml.
#include "input/import_detail.hpp"

namespace warraq::input::import {

namespace {

struct Line {
  std::string text;  // collapsed and trimmed
  int number = 0;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A teaser's snippet is cut short with three dots or U+2026.
bool is_snippet(std::string_view text) { return ends_with(text, "...") || ends_with(text, "…"); }

bool is_related_heading(std::string_view text) {
  for (std::string_view h :
       {"ذات صلة", "مقالات ذات صلة", "أخبار ذات صلة", "اقرأ أيضا", "اقرأ أيضًا", "إقرأ أيضا",
        "اقرأ أيضاً", "Related", "Related articles", "Related stories", "Read also", "Read more"})
    if (text == h) return true;
  return false;
}

std::size_t word_count(std::string_view text) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// «بقلم : خالد الحافظ», «بقلم: …», «بقلم …», «كتب : …», "By Jane Doe": the name, or nullopt.
// Bylines are short; a longer line is a paragraph that happens to start with the word.
std::optional<std::string> byline_name(std::string_view text) {
  if (is_snippet(text)) return std::nullopt;
  std::string_view rest;
  bool colon_required = false;
  if (starts_with(text, "بقلم")) {
    rest = text.substr(std::string_view("بقلم").size());
  } else if (starts_with(text, "كتبت")) {
    rest = text.substr(std::string_view("كتبت").size());
    colon_required = true;
  } else if (starts_with(text, "كتب")) {
    rest = text.substr(std::string_view("كتب").size());
    colon_required = true;
  } else if (starts_with(text, "By ") || starts_with(text, "by ")) {
    rest = text.substr(2);
  } else {
    return std::nullopt;
  }
  if (!rest.empty() && rest[0] != ' ' && rest[0] != ':') return std::nullopt;  // «بقلمه»
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  if (!rest.empty() && rest[0] == ':') {
    rest.remove_prefix(1);
  } else if (colon_required) {
    return std::nullopt;
  }
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  if (rest.empty() || word_count(rest) > 6) return std::nullopt;
  return std::string(rest);
}

bool has_arabic(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == 0xD8 || b == 0xD9 || b == 0xDA || b == 0xDB) return true;
  }
  return false;
}

model::Inlines one_span(const std::string& text, const std::string& file, int line) {
  model::Span span;
  span.text = text;
  span.where = {file, line, 0};
  return {span};
}

}  // namespace

std::optional<model::Edition> import_scraped(const std::string& bytes,
                                             const std::filesystem::path& name, const Sink& sink) {
  const std::string& file = sink.file;
  int bad_line = 0;
  int bad_column = 0;
  if (!validate_utf8(bytes, bad_line, bad_column)) {
    sink.error("invalid-utf8", bad_line,
               "invalid UTF-8 byte sequence: expected scraped text encoded in UTF-8", bad_column);
    return std::nullopt;
  }
  std::vector<Line> lines;  // non-empty lines only
  {
    int number = 1;
    std::size_t start = 0;
    const std::string_view all = bytes.starts_with("\xEF\xBB\xBF")
                                     ? std::string_view(bytes).substr(3)
                                     : std::string_view(bytes);
    while (start <= all.size()) {
      auto end = all.find('\n', start);
      if (end == std::string_view::npos) end = all.size();
      std::string text = clean_text(all.substr(start, end - start));
      if (!text.empty()) lines.push_back({std::move(text), number});
      ++number;
      start = end + 1;
    }
  }
  if (lines.empty()) {
    sink.error("empty-input", 1,
               "empty file: expected scraped article text (a headline, a byline after «بقلم :», "
               "then paragraphs)");
    return std::nullopt;
  }

  // Where the article starts: the line before the first byline, else after the teasers.
  std::size_t heading = lines.size();  // none
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (is_related_heading(lines[i].text)) {
      heading = i;
      break;
    }
  const std::size_t first = heading == lines.size() ? 0 : heading + 1;
  std::size_t byline = lines.size();
  for (std::size_t i = first + 1; i < lines.size(); ++i)
    if (byline_name(lines[i].text)) {
      byline = i;
      break;
    }

  // Teasers between the heading and the headline: a title line followed by a snippet line;
  // anything else there (a lone "جمع" button label) is page furniture.
  std::vector<model::RelatedLink> teasers;
  std::vector<int> teaser_lines;
  std::size_t headline = first;
  const std::size_t teasers_end = byline < lines.size() ? byline - 1 : lines.size();
  if (heading < lines.size()) {
    std::size_t k = first;
    while (k < teasers_end) {
      if (k + 1 < lines.size() && !is_snippet(lines[k].text) && is_snippet(lines[k + 1].text)) {
        teasers.push_back({"", lines[k].text, lines[k + 1].text});
        teaser_lines.push_back(lines[k].number);
        k += 2;
      } else if (byline < lines.size() || word_count(lines[k].text) <= 2) {
        sink.drop(lines[k].number, "page text '" + lines[k].text + "' in the related block");
        ++k;
      } else {
        break;
      }
    }
    headline = byline < lines.size() ? byline - 1 : k;
  } else if (byline < lines.size()) {
    headline = byline - 1;
  }
  if (headline >= lines.size()) {
    sink.error("missing-headline", lines.back().number,
               "expected a headline line after the related teasers");
    return std::nullopt;
  }

  model::Article article;
  article.where = {file, lines[headline].number, 0};
  article.headline = one_span(lines[headline].text, file, lines[headline].number);
  std::size_t body_start = headline + 1;
  if (byline < lines.size()) {
    article.byline = one_span(*byline_name(lines[byline].text), file, lines[byline].number);
    body_start = byline + 1;
  }
  for (std::size_t i = 0; i < teasers.size(); ++i) {
    // The teaser that repeats the headline is this article itself.
    if (teasers[i].title == lines[headline].text) {
      sink.drop(teaser_lines[i], "teaser repeating the headline (the article itself)");
      continue;
    }
    article.related.push_back(std::move(teasers[i]));
  }
  std::string locale = has_arabic(lines[headline].text) ? "ar" : "en";
  for (std::size_t i = body_start; i < lines.size(); ++i) {
    model::Block block;
    block.kind = model::BlockKind::paragraph;
    block.where = {file, lines[i].number, 0};
    block.content = one_span(lines[i].text, file, lines[i].number);
    if (!article.date)
      if (auto found = find_prose_date(lines[i].text)) {
        article.date = found->date;
        if (!found->locale.empty() && locale == "ar") locale = found->locale;
      }
    article.body.push_back(std::move(block));
  }
  if (article.body.empty()) {
    sink.error("missing-body", lines[headline].number,
               "no paragraphs after the headline: expected the article's text, one paragraph a "
               "line");
    return std::nullopt;
  }

  // A scrape carries no id: the file's name gives it (hammouchi-belgium.txt ->
  // hammouchi-belgium), else a hash of the headline (docs/import.md).
  article.id = article_id(name.stem().string(), lines[headline].text);

  model::Edition edition;
  edition.where = {file, 0, 0};
  edition.title = lines[headline].text;
  edition.locale = locale;
  model::Section section;
  section.name = default_section_name(locale);
  section.articles.push_back(std::move(article));
  edition.sections.push_back(std::move(section));
  if (!finish_edition(edition, sink)) return std::nullopt;
  return edition;
}

}  // namespace warraq::input::import
