// Text helpers and the digest plan: language and direction, identifiers, file names.
#include <algorithm>
#include <ctime>
#include <string>

#include "digest.hpp"
#include "digest_id.hpp"
#include "locale/locale.hpp"

namespace warraq::epub {

namespace {

constexpr Labels arabic_labels = {
    "المحتويات",
    "معالم الكتاب",
    "الغلاف",
    "بداية المحتوى",
    "ذات صلة",
    "العدد",
    "أبرز العناوين",
    "نشرة إخبارية نصية بترتيب قراءة واحد، مع جدول محتويات يقود إلى كل مقال، وعناوين "
    "منظمة، ونص بديل للصور. لا تحتوي على صوت أو حركة.",
    "— ",
};

constexpr Labels english_labels = {
    "Contents",
    "Landmarks",
    "Cover",
    "Start of content",
    "Related",
    "No.",
    "Top stories",
    "A text news digest in a single reading order, with a table of contents leading to "
    "every article, structured headings, and text alternatives for images. It has no sound "
    "or motion.",
    "— ",
};

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string plain_headline(const Plan& plan, const model::Inlines& spans) {
  std::string out;
  for (const auto& span : spans) {
    if (span.line_break) {
      out += ' ';
      continue;
    }
    const bool latin = is_language_tag(span.lang) && !is_rtl_language(span.lang);
    out += shown_text(plan, span.text, latin);
  }
  // Collapse white space: a title is one line.
  std::string collapsed;
  bool space = false;
  for (char c : out) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += c;
  }
  return collapsed;
}

std::string trimmed(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

const Labels& labels_for(std::string_view language) {
  return lower_ascii(language) == "ar" ? arabic_labels : english_labels;
}

std::string shown_text(const Plan& plan, std::string_view text, bool latin_run) {
  // Arabic-Indic digits belong to Arabic text only: a Latin run (a French quotation, an
  // English name) keeps its digits, as do documents in a left-to-right language.
  if (plan.digits == model::DigitStyle::arabic_indic && !latin_run && is_rtl_language(plan.lang))
    return locale::convert_digits(text, model::DigitStyle::arabic_indic);
  return std::string(text);
}

std::optional<std::string> safe_href(std::string_view href) {
  const auto blank = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
  while (!href.empty() && blank(href.front())) href.remove_prefix(1);
  while (!href.empty() && blank(href.back())) href.remove_suffix(1);
  const auto colon = href.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string scheme = lower_ascii(href.substr(0, colon));
  const std::string_view rest = href.substr(colon + 1);
  if (scheme == "http" || scheme == "https") {
    if (rest.size() < 3 || rest.substr(0, 2) != "//") return std::nullopt;
  } else if (scheme == "mailto") {
    if (rest.empty()) return std::nullopt;
  } else {
    return std::nullopt;  // javascript:, data:, file:, relative references...
  }
  // RFC 3986 leaves no room for these bytes in a URI; epubcheck rejects them (RSC-020).
  std::string out = scheme;
  out += ':';
  static constexpr char hexdigits[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const auto b = static_cast<unsigned char>(rest[i]);
    const bool escaped_percent =
        b == '%' && i + 2 < rest.size() && is_hex(rest[i + 1]) && is_hex(rest[i + 2]);
    const bool keep =
        b > 0x20 && b < 0x7F &&
        std::string_view("\"<>\\^`{|}").find(static_cast<char>(b)) == std::string_view::npos &&
        (b != '%' || escaped_percent);
    if (keep) {
      out += static_cast<char>(b);
    } else {
      out += '%';
      out += hexdigits[b >> 4];
      out += hexdigits[b & 0xF];
    }
  }
  return out;
}

std::optional<std::string> content_href(const Plan& plan, std::string_view href) {
  if (!href.empty() && href.front() == '#') {
    const auto it = plan.anchors.find(std::string(href.substr(1)));
    if (it == plan.anchors.end()) return std::nullopt;
    return it->second;
  }
  return safe_href(href);
}

bool is_language_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 35 || !is_alpha(tag.front())) return false;
  std::size_t run = 0;
  for (char c : tag) {
    if (c == '-') {
      if (run == 0) return false;
      run = 0;
    } else if (is_alpha(c) || is_digit(c)) {
      if (++run > 8) return false;
    } else {
      return false;
    }
  }
  return run > 0;
}

bool is_rtl_language(std::string_view tag) {
  const std::string t = lower_ascii(tag);
  // A script subtag decides when present (ku-Arab, az-Arab, pa-Arab; sd-Deva...).
  std::size_t start = 0;
  std::string primary;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == '-') {
      const std::string sub = t.substr(start, i - start);
      if (start == 0) {
        primary = sub;
      } else if (sub.size() == 4) {
        return sub == "arab" || sub == "hebr" || sub == "syrc" || sub == "thaa" || sub == "nkoo" ||
               sub == "adlm" || sub == "rohg";
      }
      start = i + 1;
    }
  }
  static constexpr std::string_view rtl[] = {"ar", "arc", "ckb", "dv",  "fa", "he", "iw",
                                             "ks", "ps",  "sd",  "syr", "ug", "ur", "yi"};
  for (auto r : rtl)
    if (primary == r) return true;
  return false;
}

bool is_xml_id(std::string_view id) {
  if (id.empty() || !(is_alpha(id.front()) || id.front() == '_')) return false;
  for (char c : id)
    if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

std::string iso_timestamp(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

const std::string& DateTexts::shown(const Plan& plan, const model::Date& date) {
  auto [at, fresh] = by_iso_.try_emplace(date.iso());
  if (fresh) at->second = locale::format_date(date, plan.lang, plan.digits, false);
  return at->second;
}

Plan make_plan(const model::Edition& edition, const model::Layout& layout, model::DigitStyle digits,
               std::int64_t modified_time) {
  Plan plan;
  plan.edition = &edition;
  plan.layout = &layout;
  plan.lang = is_language_tag(edition.locale)              ? edition.locale
              : edition.direction == model::Direction::rtl ? "ar"
                                                           : "en";
  plan.language = plan.lang.substr(0, plan.lang.find('-'));
  plan.dir = edition.direction == model::Direction::rtl ? "rtl" : "ltr";
  plan.digits = digits;
  plan.labels = &labels_for(plan.language);
  plan.modified = iso_timestamp(modified_time);
  plan.title = trimmed(edition.title);

  // The identifier names the edition and what is in it, never the clock: rebuilding the
  // same edition gives the same book; a changed line-up gives a new one.
  std::string name = "warraq-digest";
  for (const std::string* part : {&edition.title, &edition.number, &edition.locale}) {
    name += '\0';
    name += *part;
  }
  name += '\0';
  name += edition.date.iso();
  for (const auto& section : edition.sections)
    for (const auto& article : section.articles) {
      name += '\0';
      name += article.id;
    }
  plan.identifier = name_based_urn_uuid(name);

  const std::size_t count = edition.article_count();
  const int width = count >= 1000 ? static_cast<int>(std::to_string(count).size()) : 3;
  for (const auto& section : edition.sections) {
    if (section.articles.empty()) continue;
    SectionEntry entry;
    entry.name = trimmed(section.name);
    for (const auto& article : section.articles) {
      ArticleEntry a;
      a.article = &article;
      std::string number = std::to_string(plan.articles.size() + 1);
      number.insert(0,
                    static_cast<std::size_t>(width) -
                        std::min<std::size_t>(number.size(), static_cast<std::size_t>(width)),
                    '0');
      a.id = "a" + number;
      a.href = "text/" + a.id + ".xhtml";
      a.title = plain_headline(plan, article.headline);
      if (a.title.empty()) a.title = plain_headline(plan, article.kicker);
      if (a.title.empty()) a.title = article.id.empty() ? plan.title : article.id;
      if (entry.articles.empty() && !entry.name.empty()) {
        a.section_anchor = "section-" + std::to_string(plan.sections.size() + 1);
        a.section_name = shown_text(plan, entry.name);
        entry.anchor_href = a.href + "#" + a.section_anchor;
      }
      // The navigation links to the <article> element rather than the top of the page,
      // which holds the section label the section's own link points to: the toc must list
      // targets in reading order (epubcheck NAV-011).
      a.anchor = is_xml_id(article.id) && article.id != a.section_anchor ? article.id : "article";
      if (a.anchor == article.id) plan.anchors.emplace(article.id, a.id + ".xhtml#" + a.anchor);
      entry.articles.push_back(plan.articles.size());
      plan.articles.push_back(std::move(a));
    }
    plan.sections.push_back(std::move(entry));
  }
  return plan;
}

}  // namespace warraq::epub
