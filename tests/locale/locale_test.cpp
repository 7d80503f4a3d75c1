// The locale stage: dates as each Arab locale writes them (ICU/CLDR data), the Umm al-Qura
// Hijri date, digit shapes, fallbacks, and formatting from several threads at once.

#include "locale/locale.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using warraq::locale::convert_digits;
using warraq::locale::format_date;
using warraq::locale::format_hijri_date;
using warraq::model::Date;
using warraq::model::DigitStyle;

namespace {

Date day(int year, int month, int d) {
  Date date;
  date.year = year;
  date.month = month;
  date.day = d;
  return date;
}

const Date kNov25 = day(2024, 11, 25);  // a Monday

bool has_bidi_control(const std::string& text) {
  for (const char* mark : {"\u200F", "\u200E", "\u061C"}) {
    if (text.find(mark) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("Gregorian dates use each Arab locale's month names", "[locale][date]") {
  CHECK(format_date(kNov25, "ar-MA", DigitStyle::western) == "الاثنين 25 نونبر 2024");
  CHECK(format_date(kNov25, "ar-EG", DigitStyle::western) == "الاثنين 25 نوفمبر 2024");
  CHECK(format_date(kNov25, "ar-SY", DigitStyle::western) == "الاثنين 25 تشرين الثاني 2024");
  CHECK(format_date(kNov25, "ar-LB", DigitStyle::western) == "الاثنين 25 تشرين الثاني 2024");
  CHECK(format_date(kNov25, "ar-SA", DigitStyle::western) == "الاثنين 25 نوفمبر 2024");
  CHECK(format_date(kNov25, "ar", DigitStyle::western) == "الاثنين 25 نوفمبر 2024");
  // Algeria and Tunisia write the French-derived names; November happens to be نوفمبر there.
  CHECK(format_date(kNov25, "ar-DZ", DigitStyle::western) == "الاثنين 25 نوفمبر 2024");
  CHECK(format_date(kNov25, "ar-TN", DigitStyle::western) == "الاثنين 25 نوفمبر 2024");
  CHECK(format_date(day(2025, 1, 6), "ar-DZ", DigitStyle::western) == "الاثنين 6 جانفي 2025");
  CHECK(format_date(day(2025, 7, 7), "ar-TN", DigitStyle::western) == "الاثنين 7 جويلية 2025");
  CHECK(format_date(day(2025, 8, 4), "ar-MA", DigitStyle::western) == "الاثنين 4 غشت 2025");
  CHECK(format_date(day(2025, 1, 6), "ar-SY", DigitStyle::western) ==
        "الاثنين 6 كانون الثاني 2025");
}

TEST_CASE("Arabic dates are weekday, day, month, year separated by single spaces",
          "[locale][date]") {
  // CLDR's own full pattern has an Arabic comma after the weekday; ours does not.
  for (const char* tag :
       {"ar", "ar-MA", "ar-EG", "ar-SY", "ar-DZ", "ar-TN", "ar-LB", "ar-SA", "ar-IQ", "ar-AE"}) {
    const std::string text = format_date(kNov25, tag, DigitStyle::western);
    INFO(tag << ": " << text);
    CHECK(text.find("،") == std::string::npos);
    CHECK(text.find(',') == std::string::npos);
    CHECK(text.find("  ") == std::string::npos);
    CHECK(text.rfind("الاثنين 25 ", 0) == 0);
    CHECK(text.size() > 4);
    CHECK(text.substr(text.size() - 5) == " 2024");
    CHECK_FALSE(has_bidi_control(text));
  }
}

TEST_CASE("Dates carry the digits asked for", "[locale][date]") {
  CHECK(format_date(kNov25, "ar-MA", DigitStyle::arabic_indic) == "الاثنين ٢٥ نونبر ٢٠٢٤");
  CHECK(format_date(kNov25, "ar-EG", DigitStyle::arabic_indic) == "الاثنين ٢٥ نوفمبر ٢٠٢٤");
  // A numbering keyword in the tag itself does not override the edition's digit style.
  CHECK(format_date(kNov25, "ar-EG-u-nu-arab", DigitStyle::western) == "الاثنين 25 نوفمبر 2024");
  CHECK(format_date(kNov25, "ar-EG-u-nu-latn", DigitStyle::arabic_indic) ==
        "الاثنين ٢٥ نوفمبر ٢٠٢٤");
  CHECK_FALSE(has_bidi_control(format_date(kNov25, "ar-SY", DigitStyle::arabic_indic)));
}

TEST_CASE("The weekday is present or absent as asked", "[locale][date]") {
  CHECK(format_date(kNov25, "ar-MA", DigitStyle::western, false) == "25 نونبر 2024");
  CHECK(format_date(kNov25, "ar-SY", DigitStyle::arabic_indic, false) == "٢٥ تشرين الثاني ٢٠٢٤");
  CHECK(format_date(kNov25, "ar-MA", DigitStyle::western, true) == "الاثنين 25 نونبر 2024");
  CHECK(format_date(kNov25, "en", DigitStyle::western, false) == "November 25, 2024");
  CHECK(format_date(kNov25, "fr", DigitStyle::western, false) == "25 novembre 2024");
}

TEST_CASE("Non-Arabic locales keep their own date order", "[locale][date]") {
  CHECK(format_date(kNov25, "en", DigitStyle::western) == "Monday, November 25, 2024");
  CHECK(format_date(kNov25, "fr", DigitStyle::western) == "lundi 25 novembre 2024");
  CHECK(format_date(kNov25, "fr-MA", DigitStyle::western) == "lundi 25 novembre 2024");
  CHECK(format_date(kNov25, "fr", DigitStyle::arabic_indic) == "lundi ٢٥ novembre ٢٠٢٤");
}

TEST_CASE("The day never shifts: dates are formatted in UTC, proleptic Gregorian",
          "[locale][date]") {
  CHECK(format_date(day(2024, 1, 1), "ar-EG", DigitStyle::western) == "الاثنين 1 يناير 2024");
  CHECK(format_date(day(2024, 12, 31), "ar-EG", DigitStyle::western) == "الثلاثاء 31 ديسمبر 2024");
  CHECK(format_date(day(2024, 2, 29), "ar-MA", DigitStyle::western) == "الخميس 29 فبراير 2024");
  // Before 1582 ICU would switch to the Julian calendar; model::Date is proleptic Gregorian.
  CHECK(format_date(day(1000, 1, 1), "en", DigitStyle::western, false) == "January 1, 1000");
  CHECK(format_date(day(1, 1, 1), "en", DigitStyle::western) == "Monday, January 1, 1");
}

TEST_CASE("A day that does not exist is refused", "[locale][date]") {
  CHECK_THROWS_AS(format_date(day(2024, 2, 30), "ar", DigitStyle::western), std::invalid_argument);
  CHECK_THROWS_AS(format_date(day(2024, 13, 1), "ar", DigitStyle::western), std::invalid_argument);
  CHECK_THROWS_AS(format_hijri_date(day(2024, 0, 1), "ar", DigitStyle::western),
                  std::invalid_argument);
}

TEST_CASE("A malformed or unknown locale falls back to Arabic", "[locale][date]") {
  const std::string arabic = "الاثنين 25 نوفمبر 2024";
  for (const char* tag : {"", "!!!", "ar-", "-MA", "12", "not a locale", "xx", "zz-MA"}) {
    INFO("locale «" << tag << "»");
    CHECK(format_date(kNov25, tag, DigitStyle::western) == arabic);
    CHECK(format_hijri_date(kNov25, tag, DigitStyle::western) == "23 جمادى الأولى 1446 هـ");
  }
  // ICU's own spelling and odd case are accepted, not treated as errors.
  CHECK(format_date(kNov25, "ar_MA", DigitStyle::western) == "الاثنين 25 نونبر 2024");
  CHECK(format_date(kNov25, "AR-ma", DigitStyle::western) == "الاثنين 25 نونبر 2024");
  // A known language with an unknown region gets the language's common names.
  CHECK(format_date(kNov25, "ar-ZZ", DigitStyle::western) == arabic);
}

TEST_CASE("Hijri dates follow the Umm al-Qura calendar", "[locale][hijri]") {
  CHECK(format_hijri_date(kNov25, "ar-MA", DigitStyle::western) == "23 جمادى الأولى 1446 هـ");
  CHECK(format_hijri_date(kNov25, "ar-SA", DigitStyle::arabic_indic) == "٢٣ جمادى الأولى ١٤٤٦ هـ");
  // Known Umm al-Qura fixed points (Saudi official calendar).
  CHECK(format_hijri_date(day(2023, 7, 19), "ar-SA", DigitStyle::western) == "1 محرم 1445 هـ");
  CHECK(format_hijri_date(day(2024, 3, 11), "ar-SA", DigitStyle::western) == "1 رمضان 1445 هـ");
  CHECK(format_hijri_date(day(2025, 3, 30), "ar-SA", DigitStyle::western) == "1 شوال 1446 هـ");
  // The Hijri date does not depend on the country's Gregorian month names.
  CHECK(format_hijri_date(kNov25, "ar-SY", DigitStyle::western) ==
        format_hijri_date(kNov25, "ar-EG", DigitStyle::western));
  // Gregorian formatting of the same locale is unaffected by the Hijri formatter.
  CHECK(format_date(kNov25, "ar-SA", DigitStyle::western) == "الاثنين 25 نوفمبر 2024");
  CHECK(format_hijri_date(kNov25, "en", DigitStyle::western) == "Jumada I 23, 1446 AH");
  CHECK_FALSE(has_bidi_control(format_hijri_date(kNov25, "ar", DigitStyle::arabic_indic)));
}

TEST_CASE("Digits convert to Arabic-Indic and back", "[locale][digits]") {
  CHECK(convert_digits("0123456789", DigitStyle::arabic_indic) == "٠١٢٣٤٥٦٧٨٩");
  CHECK(convert_digits("٠١٢٣٤٥٦٧٨٩", DigitStyle::western) == "0123456789");
  // Extended Arabic-Indic (Persian shapes) are read when converting to western ...
  CHECK(convert_digits("۰۱۲۳۴۵۶۷۸۹", DigitStyle::western) == "0123456789");
  // ... and left alone when converting to Arabic-Indic.
  CHECK(convert_digits("۴۵۶", DigitStyle::arabic_indic) == "۴۵۶");
  // Already in the asked style: unchanged.
  CHECK(convert_digits("٢٠٢٤", DigitStyle::arabic_indic) == "٢٠٢٤");
  CHECK(convert_digits("2024", DigitStyle::western) == "2024");
  CHECK(convert_digits("", DigitStyle::arabic_indic).empty());
  CHECK(convert_digits("", DigitStyle::western).empty());
}

TEST_CASE("Digit conversion leaves every other character untouched", "[locale][digits]") {
  const std::string mixed =
      "صدر العدد 42 يوم 25/11/2024، السعر 3.5 درهم — PDF-A3 «é» 🙂";
  CHECK(convert_digits(mixed, DigitStyle::arabic_indic) ==
        "صدر العدد ٤٢ يوم ٢٥/١١/٢٠٢٤، السعر ٣.٥ درهم — PDF-A٣ «é» "
        "🙂");
  CHECK(convert_digits(convert_digits(mixed, DigitStyle::arabic_indic), DigitStyle::western) ==
        mixed);
  const std::string letters = "abc XYZ كتب ـــ \t\n";
  CHECK(convert_digits(letters, DigitStyle::arabic_indic) == letters);
  CHECK(convert_digits(letters, DigitStyle::western) == letters);
  // Characters whose UTF-8 shares a lead byte with the digits are not digits: U+0659
  // (D9 99), U+066A percent sign (D9 AA), U+06EF (DB AF), U+06FA (DB BA).
  const std::string neighbours = "\u0659\u066A\u06EF\u06FA";
  CHECK(convert_digits(neighbours, DigitStyle::western) == neighbours);
  // Bytes that are not valid UTF-8 pass through rather than being dropped.
  const std::string broken = std::string("a\xD9") + "1" + std::string("\xDB");
  CHECK(convert_digits(broken, DigitStyle::western) == broken);
  CHECK(convert_digits(std::string("\xD9"), DigitStyle::arabic_indic) == std::string("\xD9"));
}

TEST_CASE("Formatting from several threads gives the same results", "[locale][threads]") {
  struct Case {
    Date date;
    const char* tag;
    DigitStyle digits;
  };
  const std::vector<Case> cases = {
      {kNov25, "ar-MA", DigitStyle::western},
      {kNov25, "ar-EG", DigitStyle::arabic_indic},
      {kNov25, "ar-SY", DigitStyle::western},
      {day(2023, 7, 19), "ar-SA", DigitStyle::western},
      {day(2025, 1, 6), "ar-DZ", DigitStyle::arabic_indic},
      {kNov25, "fr", DigitStyle::western},
  };
  std::vector<std::string> expected;
  for (const Case& c : cases) {
    expected.push_back(format_date(c.date, c.tag, c.digits) + " / " +
                       format_date(c.date, c.tag, c.digits, false) + " / " +
                       format_hijri_date(c.date, c.tag, c.digits));
  }

  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  std::vector<std::vector<std::string>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        // Each thread walks the cases from a different start so formatters are built and
        // used in interleaved orders.
        const Case& c = cases[static_cast<std::size_t>(t + round) % cases.size()];
        results[static_cast<std::size_t>(t)].push_back(
            format_date(c.date, c.tag, c.digits) + " / " +
            format_date(c.date, c.tag, c.digits, false) + " / " +
            format_hijri_date(c.date, c.tag, c.digits));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) {
    for (int round = 0; round < kRounds; ++round) {
      const std::size_t index = static_cast<std::size_t>(t + round) % cases.size();
      REQUIRE(results[static_cast<std::size_t>(t)][static_cast<std::size_t>(round)] ==
              expected[index]);
    }
  }
}
