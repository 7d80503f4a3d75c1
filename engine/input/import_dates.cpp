// Dates as feeds, NITF and Arabic prose write them. The model keeps a calendar day, taken as
// the source writes it (in the publisher's own zone): the day the newsroom dated the story.
#include <array>
#include <cctype>
#include <cstdio>

#include "input/import_detail.hpp"

namespace warraq::input::import {

namespace {

std::optional<model::Date> make(int year, int month, int day) {
  char text[16];
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
    return std::nullopt;
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return model::Date::parse_iso(text);
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_collapsible_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_collapsible_space(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_collapsible_space(text[i])) ++i;
    std::size_t end = i;
    while (end < text.size() && !is_collapsible_space(text[end])) ++end;
    if (end > i) out.push_back(text.substr(i, end - i));
    i = end;
  }
  return out;
}

bool equal_ascii_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// A time "hh:mm" or "hh:mm:ss", checked for range (RFC 822 §5.1 `time`).
bool is_time(std::string_view t) {
  int h = 0, m = 0, s = 0;
  if (!digits(t, 0, 2, h) || t.size() < 5 || t[2] != ':' || !digits(t, 3, 2, m)) return false;
  if (t.size() == 8) {
    if (t[5] != ':' || !digits(t, 6, 2, s)) return false;
  } else if (t.size() != 5) {
    return false;
  }
  return h <= 23 && m <= 59 && s <= 60;
}

bool is_zone(std::string_view z) {
  if (z.size() == 5 && (z[0] == '+' || z[0] == '-')) {
    int v = 0;
    return digits(z, 1, 4, v) && v % 100 < 60;
  }
  for (std::string_view named :
       {"UT", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"})
    if (equal_ascii_nocase(z, named)) return true;
  // RFC 822's military single letters (A-I, K-Z); RFC 1123 says to treat them as -0000.
  return z.size() == 1 && std::isalpha(static_cast<unsigned char>(z[0])) && z[0] != 'J' &&
         z[0] != 'j';
}

}  // namespace

std::optional<model::Date> parse_rfc822(std::string_view text) {
  std::vector<std::string_view> w = words(trim(text));
  if (w.empty()) return std::nullopt;
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                            "Fri", "Sat", "Sun"};
  std::size_t k = 0;
  if (w[0].size() == 4 && w[0][3] == ',') {
    bool known = false;
    for (auto d : kDays) known = known || equal_ascii_nocase(w[0].substr(0, 3), d);
    if (!known) return std::nullopt;
    k = 1;
  }
  if (w.size() != k + 5 && w.size() != k + 4) return std::nullopt;  // zone is required
  int day = 0;
  const auto d = w[k];
  if (!(d.size() == 1 || d.size() == 2) || !digits(d, 0, d.size(), day)) return std::nullopt;
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (equal_ascii_nocase(w[k + 1], kMonths[i])) month = static_cast<int>(i) + 1;
  if (month == 0) return std::nullopt;
  int year = 0;
  const auto y = w[k + 2];
  if (y.size() == 4) {
    if (!digits(y, 0, 4, year)) return std::nullopt;
  } else if (y.size() == 2) {
    // RFC 822's two-digit years; RFC 2822 §4.3: 00-49 are 2000-2049, 50-99 are 1950-1999.
    if (!digits(y, 0, 2, year)) return std::nullopt;
    year += year < 50 ? 2000 : 1900;
  } else {
    return std::nullopt;
  }
  if (w.size() == k + 4) return std::nullopt;  // no zone
  if (!is_time(w[k + 3]) || !is_zone(w[k + 4])) return std::nullopt;
  return make(year, month, day);
}

std::optional<model::Date> parse_rfc3339(std::string_view text) {
  text = trim(text);
  int year = 0, month = 0, day = 0;
  if (text.size() < 10 || !digits(text, 0, 4, year) || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day))
    return std::nullopt;
  if (text.size() == 10) return make(year, month, day);
  // full-date "T" full-time: partial-time (hh:mm:ss[.frac]) then Z or ±hh:mm.
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  std::string_view time = text.substr(11);
  if (time.size() < 8 || !is_time(time.substr(0, 8))) return std::nullopt;
  time.remove_prefix(8);
  if (!time.empty() && time[0] == '.') {
    std::size_t n = 1;
    while (n < time.size() && time[n] >= '0' && time[n] <= '9') ++n;
    if (n == 1) return std::nullopt;
    time.remove_prefix(n);
  }
  if (time == "Z" || time == "z") return make(year, month, day);
  int hh = 0, mm = 0;
  if (time.size() != 6 || (time[0] != '+' && time[0] != '-') || !digits(time, 1, 2, hh) ||
      time[3] != ':' || !digits(time, 4, 2, mm) || hh > 23 || mm > 59)
    return std::nullopt;
  return make(year, month, day);
}

std::optional<model::Date> parse_iso8601(std::string_view text) {
  text = trim(text);
  if (text.size() >= 10 && text[4] == '-') {
    if (auto d = parse_rfc3339(text.substr(0, 10)); d && (text.size() == 10 || text[10] == 'T'))
      return d;
    return std::nullopt;
  }
  int year = 0, month = 0, day = 0;
  if (!digits(text, 0, 4, year) || !digits(text, 4, 2, month) || !digits(text, 6, 2, day))
    return std::nullopt;
  if (text.size() > 8 && text[8] != 'T') return std::nullopt;
  return make(year, month, day);
}

// ----- Arabic prose ------------------------------------------------------------------------

namespace {

// Folds the spellings a month name comes in: alef with hamza or madda to bare alef, no
// tatweel (U+0640) or harakat (U+064B..U+0652), alef maqsura as yeh; ASCII lower-cased.
std::string fold(std::string_view word) {
  std::string out;
  for (std::size_t i = 0; i < word.size();) {
    const auto b0 = static_cast<unsigned char>(word[i]);
    if ((b0 == 0xD8 || b0 == 0xD9) && i + 1 < word.size()) {
      const auto b1 = static_cast<unsigned char>(word[i + 1]);
      const unsigned cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
      i += 2;
      if (cp == 0x0640 || (cp >= 0x064B && cp <= 0x0652)) continue;
      if (cp == 0x0622 || cp == 0x0623 || cp == 0x0625) {
        out += "\u0627";
        continue;
      }
      if (cp == 0x0649) {
        out += "\u064A";
        continue;
      }
      out += static_cast<char>(b0);
      out += static_cast<char>(b1);
      continue;
    }
    const char c = word[i++];
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

struct MonthName {
  std::string_view name;  // folded
  int month;
  std::string_view locale;  // empty: used everywhere
};

// Gregorian month names in Arabic. The Maghreb transliterates the French names (Morocco:
// «ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر»; Algeria and Tunisia: «جانفي، فيفري، أفريل، جوان،
// جويلية، أوت»); Egypt and the Gulf the English ones; the Levant and Iraq use the Syriac
// names («كانون الثاني … كانون الأول»). The locale is what the edition then prints with.
constexpr MonthName kMonthNames[] = {
    {"يناير", 1, ""},
    {"فبراير", 2, ""},
    {"مارس", 3, ""},
    {"ابريل", 4, ""},
    {"مايو", 5, "ar-EG"},
    {"ماي", 5, "ar-MA"},
    {"يونيو", 6, ""},
    {"يونيه", 6, "ar-EG"},
    {"يوليو", 7, "ar-EG"},
    {"يوليه", 7, "ar-EG"},
    {"يوليوز", 7, "ar-MA"},
    {"اغسطس", 8, "ar-EG"},
    {"غشت", 8, "ar-MA"},
    {"سبتمبر", 9, ""},
    {"شتنبر", 9, "ar-MA"},
    {"اكتوبر", 10, ""},
    {"نوفمبر", 11, "ar-EG"},
    {"نونبر", 11, "ar-MA"},
    {"ديسمبر", 12, "ar-EG"},
    {"دجنبر", 12, "ar-MA"},
    {"جانفي", 1, "ar-DZ"},
    {"فيفري", 2, "ar-DZ"},
    {"افريل", 4, "ar-DZ"},
    {"جوان", 6, "ar-DZ"},
    {"جويلية", 7, "ar-DZ"},
    {"اوت", 8, "ar-DZ"},
    {"شباط", 2, "ar-SY"},
    {"اذار", 3, "ar-SY"},
    {"نيسان", 4, "ar-SY"},
    {"ايار", 5, "ar-SY"},
    {"حزيران", 6, "ar-SY"},
    {"تموز", 7, "ar-SY"},
    {"اب", 8, "ar-SY"},
    {"ايلول", 9, "ar-SY"},
    // English prose («3 March 2025») in scraped English pages.
    {"january", 1, ""},
    {"february", 2, ""},
    {"march", 3, ""},
    {"april", 4, ""},
    {"may", 5, ""},
    {"june", 6, ""},
    {"july", 7, ""},
    {"august", 8, ""},
    {"september", 9, ""},
    {"october", 10, ""},
    {"november", 11, ""},
    {"december", 12, ""},
};

// Two-word Syriac names: «كانون الثاني» (January), «تشرين الأول» (October), ...
struct TwoWordMonth {
  std::string_view first, second;
  int month;
};
constexpr TwoWordMonth kTwoWordMonths[] = {{"كانون", "الثاني", 1},
                                           {"تشرين", "الاول", 10},
                                           {"تشرين", "الثاني", 11},
                                           {"كانون", "الاول", 12}};

// Value of a number written in Western (0-9), Arabic-Indic (U+0660..U+0669) or Extended
// Arabic-Indic (U+06F0..U+06F9) digits, with at most `max_digits` digits; -1 otherwise.
int number(std::string_view word, int max_digits) {
  int value = 0;
  int count = 0;
  for (std::size_t i = 0; i < word.size();) {
    const auto b0 = static_cast<unsigned char>(word[i]);
    int digit = -1;
    if (b0 >= '0' && b0 <= '9') {
      digit = b0 - '0';
      i += 1;
    } else if (i + 1 < word.size()) {
      const auto b1 = static_cast<unsigned char>(word[i + 1]);
      if (b0 == 0xD9 && b1 >= 0xA0 && b1 <= 0xA9) digit = b1 - 0xA0;
      if (b0 == 0xDB && b1 >= 0xB0 && b1 <= 0xB9) digit = b1 - 0xB0;
      i += 2;
    } else {
      return -1;
    }
    if (digit < 0) return -1;
    value = value * 10 + digit;
    if (++count > max_digits) return -1;
  }
  return count == 0 ? -1 : value;
}

// Strips punctuation that sticks to a word in prose: Arabic comma and semicolon, Latin
// punctuation, brackets, and the «م» (for ميلادي, "AD") after a year.
std::string_view strip(std::string_view w) {
  const auto strip_suffix = [&](std::string_view s) {
    if (w.size() >= s.size() && w.substr(w.size() - s.size()) == s) {
      w.remove_suffix(s.size());
      return true;
    }
    return false;
  };
  const auto strip_prefix = [&](std::string_view s) {
    if (w.substr(0, s.size()) == s) {
      w.remove_prefix(s.size());
      return true;
    }
    return false;
  };
  bool changed = true;
  while (changed && !w.empty()) {
    changed = strip_suffix("\u060C") || strip_suffix("\u061B") || strip_suffix(",") ||
              strip_suffix(".") || strip_suffix(")") || strip_suffix("(") || strip_suffix(";") ||
              strip_suffix(":") || strip_prefix("(") || strip_prefix("\u00AB") ||
              strip_suffix("\u00BB");
  }
  return w;
}

}  // namespace

std::optional<ProseDate> find_prose_date(std::string_view text) {
  // Words, with '/' and '-' as their own words: «25 تشرين الثاني/نوفمبر 2024».
  std::string spaced;
  for (char c : text) {
    if (c == '/') {
      spaced += " / ";
    } else {
      spaced += c;
    }
  }
  // U+00A0 separates words in prose too.
  std::string normal;
  for (std::size_t i = 0; i < spaced.size(); ++i) {
    if (spaced[i] == '\xC2' && i + 1 < spaced.size() && spaced[i + 1] == '\xA0') {
      normal += ' ';
      ++i;
    } else {
      normal += spaced[i];
    }
  }
  std::vector<std::string> w;
  for (auto word : words(normal)) w.push_back(std::string(strip(word)));

  // Returns month and the words it used, or 0.
  const auto month_at = [&](std::size_t j, std::size_t& used, std::string& locale) -> int {
    if (j >= w.size()) return 0;
    const std::string f = fold(w[j]);
    if (j + 1 < w.size()) {
      const std::string g = fold(w[j + 1]);
      for (const auto& m : kTwoWordMonths)
        if (f == m.first && g == m.second) {
          used = 2;
          locale = "ar-SY";
          return m.month;
        }
    }
    for (const auto& m : kMonthNames)
      if (f == m.name) {
        used = 1;
        locale = std::string(m.locale);
        return m.month;
      }
    return 0;
  };

  for (std::size_t i = 0; i + 2 < w.size(); ++i) {
    const int day = number(w[i], 2);
    if (day < 1 || day > 31) continue;
    std::size_t j = i + 1;
    if (fold(w[j]) == "من") ++j;  // «25 من نوفمبر»
    std::size_t used = 0;
    std::string locale;
    const int month = month_at(j, used, locale);
    if (month == 0) continue;
    j += used;
    // «تشرين الثاني / نوفمبر»: the second name must agree.
    if (j < w.size() && w[j] == "/") {
      std::size_t used2 = 0;
      std::string locale2;
      if (month_at(j + 1, used2, locale2) == month) j += 1 + used2;
    }
    if (j >= w.size()) continue;
    std::string_view year_word = w[j];
    if (year_word.size() > 2 && year_word.substr(year_word.size() - 2) == "\u0645")
      year_word.remove_suffix(2);
    const int year = number(year_word, 4);
    if (year < 1000) continue;
    if (auto date = make(year, month, day)) return ProseDate{*date, locale};
  }
  return std::nullopt;
}

}  // namespace warraq::input::import
