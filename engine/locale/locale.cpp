// Dates through ICU: Gregorian in the edition's locale, Hijri in the Umm al-Qura calendar.
// Month and weekday names come from ICU's CLDR data; this file only chooses patterns,
// forces the numbering system and calendar, and cleans the output for the typesetter.

#include "locale/locale.hpp"

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

namespace warraq::locale {
namespace {

enum class Kind { gregorian_weekday, gregorian, hijri };

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU failed to ") + what + ": " + u_errorName(status));
  }
}

// Languages ICU has date data for. A well-formed tag whose language ICU does not know
// ("xx") would silently get the *process default* locale's names (whatever LANG says on the
// build host), which would make output depend on the machine; we treat it like a malformed
// tag instead. Computed once; function-local static initialisation is thread-safe.
const std::set<std::string>& known_languages() {
  static const std::set<std::string> languages = [] {
    std::set<std::string> out;
    int32_t count = 0;
    const icu::Locale* all = icu::DateFormat::getAvailableLocales(count);
    for (int32_t i = 0; i < count; ++i) out.insert(all[i].getLanguage());
    return out;
  }();
  return languages;
}

// The edition's BCP 47 tag ("ar-MA") as an ICU locale. Also accepts ICU's own "ar_MA".
// Anything unparsable or unknown becomes plain "ar": the caller has no way to report an
// error here (the input stage validates the edition's locale and reports it), and an
// Arabic date is the least surprising output for an Arabic-news toolchain. Calendar and
// numbering keywords in the tag ("-u-ca-islamic-nu-arab") are overridden by the caller.
icu::Locale parse_locale(const std::string& tag) {
  std::string bcp47 = tag;
  std::replace(bcp47.begin(), bcp47.end(), '_', '-');
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale parsed = icu::Locale::forLanguageTag(bcp47, status);
  if (U_FAILURE(status) || parsed.isBogus() || *parsed.getLanguage() == '\0' ||
      known_languages().count(parsed.getLanguage()) == 0) {
    return icu::Locale("ar");
  }
  return parsed;
}

bool is_arabic(const icu::Locale& locale) { return std::string(locale.getLanguage()) == "ar"; }

void set_keyword(icu::Locale& locale, const char* key, const char* value) {
  UErrorCode status = U_ZERO_ERROR;
  locale.setKeywordValue(key, value, status);
  check(status, "set a locale keyword");
}

// For Arabic, a fixed pattern rather than the locale's own: CLDR's full Arabic date puts an
// Arabic comma after the weekday («الاثنين، 25 نونبر 2024»), while Warraq's mastheads and
// datelines use weekday, day, month, year separated by single spaces in every Arab locale.
// Other languages keep their locale's order and punctuation through the pattern generator
// ("Monday, November 25, 2024" in en, "lundi 25 novembre 2024" in fr).
icu::UnicodeString pattern_for(Kind kind, const icu::Locale& locale) {
  if (is_arabic(locale)) {
    switch (kind) {
      case Kind::gregorian_weekday:
        return u"EEEE d MMMM y";
      case Kind::gregorian:
        return u"d MMMM y";
      case Kind::hijri:
        return u"d MMMM y G";  // G is the era, «هـ» in Arabic
    }
  }
  const char16_t* skeleton = kind == Kind::gregorian_weekday ? u"EEEEdMMMMy"
                             : kind == Kind::gregorian       ? u"dMMMMy"
                                                             : u"GdMMMMy";
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(locale, status));
  check(status, "create a date pattern generator");
  icu::UnicodeString pattern = generator->getBestPattern(skeleton, status);
  check(status, "find a date pattern");
  return pattern;
}

std::unique_ptr<icu::SimpleDateFormat> make_formatter(const std::string& tag, Kind kind,
                                                      model::DigitStyle digits) {
  icu::Locale locale = parse_locale(tag);
  set_keyword(locale, "numbers", digits == model::DigitStyle::arabic_indic ? "arab" : "latn");
  set_keyword(locale, "calendar", kind == Kind::hijri ? "islamic-umalqura" : "gregorian");

  UErrorCode status = U_ZERO_ERROR;
  auto formatter =
      std::make_unique<icu::SimpleDateFormat>(pattern_for(kind, locale), locale, status);
  check(status, "create a date formatter");

  // Editions are dated days, not instants: format in UTC, the zone model::Date's epoch
  // seconds are counted in, so the host's time zone can never shift the day.
  if (kind == Kind::hijri) {
    formatter->setTimeZone(*icu::TimeZone::getGMT());
  } else {
    // ICU's Gregorian calendar switches to Julian before 1582; model::Date is proleptic
    // Gregorian, so move the switch to the beginning of time.
    auto calendar =
        std::make_unique<icu::GregorianCalendar>(icu::TimeZone::getGMT()->clone(), locale, status);
    check(status, "create a Gregorian calendar");
    calendar->setGregorianChange(U_DATE_MIN, status);
    check(status, "make the calendar proleptic");
    formatter->adoptCalendar(calendar.release());
  }
  return formatter;
}

// ICU formatters are not safe to use from two threads at once (format() mutates the
// formatter's calendar) and are costly to build (resource lookups). Batch builds format
// editions on several threads, so each thread keeps its own cache: no locking, and each
// formatter is built once per thread per (locale, digits, kind).
icu::SimpleDateFormat& formatter_for(const std::string& tag, Kind kind, model::DigitStyle digits) {
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::SimpleDateFormat>> cache;
  std::string key = tag;
  key += '\0';
  key += static_cast<char>('0' + static_cast<int>(kind));
  key += static_cast<char>('0' + static_cast<int>(digits));
  auto found = cache.find(key);
  if (found == cache.end()) {
    found = cache.emplace(std::move(key), make_formatter(tag, kind, digits)).first;
  }
  return *found->second;
}

// Drops directional formatting characters ICU may put in dates (CLDR patterns for some
// locales carry RLM U+200F or ALM U+061C around numbers). The typesetter runs the bidi
// algorithm itself over whole paragraphs, and these invisible marks would otherwise end up
// in text copied from the PDF, in the EPUB, and in string comparisons.
bool is_bidi_control(char16_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

std::string to_utf8_without_bidi_controls(const icu::UnicodeString& text) {
  icu::UnicodeString clean;
  for (int32_t i = 0; i < text.length(); ++i) {
    if (!is_bidi_control(text.charAt(i))) clean.append(text.charAt(i));
  }
  std::string out;
  clean.toUTF8String(out);
  return out;
}

std::string format(const model::Date& date, const std::string& tag, Kind kind,
                   model::DigitStyle digits) {
  // Date is a plain struct; refuse a day that does not exist rather than let the calendar
  // roll "2024-02-30" over into March.
  if (!model::Date::parse_iso(date.iso())) {
    throw std::invalid_argument("not a calendar date: " + date.iso());
  }
  const UDate instant = static_cast<UDate>(date.unix_seconds()) * 1000.0;
  icu::UnicodeString text;
  formatter_for(tag, kind, digits).format(instant, text);
  return to_utf8_without_bidi_controls(text);
}

}  // namespace

std::string format_date(const model::Date& date, const std::string& locale,
                        model::DigitStyle digits, bool with_weekday) {
  return format(date, locale, with_weekday ? Kind::gregorian_weekday : Kind::gregorian, digits);
}

std::string format_hijri_date(const model::Date& date, const std::string& locale,
                              model::DigitStyle digits) {
  return format(date, locale, Kind::hijri, digits);
}

}  // namespace warraq::locale
