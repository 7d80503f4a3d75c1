// Locale-dependent text: dates in the edition's locale (Gregorian month names as each
// Arabic-speaking country writes them, the Hijri date beside them) and digit shapes.
// Backed by ICU's calendars and CLDR data, never hand tables.
#pragma once

#include <string>
#include <string_view>

#include "model/model.hpp"

namespace warraq::locale {

// "الاثنين 25 نونبر 2024" for ar-MA, "الاثنين 25 نوفمبر 2024" for ar-EG,
// "الاثنين 25 تشرين الثاني 2024" for ar-SY; digits as asked, whatever "-u-nu-" the tag has.
// Arabic is always weekday, day, month, year with single spaces; other languages keep their
// locale's order ("Monday, November 25, 2024"). No bidi control characters in the result.
// `locale` is BCP 47 ("ar-MA"; "ar_MA" is accepted too); a malformed tag or one whose
// language ICU does not know is formatted as "ar" (the input stage reports bad tags).
// Throws std::invalid_argument for a day that does not exist (2024-02-30), and
// std::runtime_error if ICU itself fails. Safe to call from several threads: each thread
// caches its own ICU formatters per (locale, digits, kind).
std::string format_date(const model::Date& date, const std::string& locale,
                        model::DigitStyle digits, bool with_weekday = true);

// The same day in the Hijri calendar (ICU "islamic-umalqura"): "23 جمادى الأولى 1446 هـ".
// Same locale fallback, errors and threading as format_date.
std::string format_hijri_date(const model::Date& date, const std::string& locale,
                              model::DigitStyle digits);

// Replaces ASCII digits 0-9 by Arabic-Indic digits U+0660-U+0669 (arabic_indic), or the
// reverse (western; Extended Arabic-Indic U+06F0-U+06F9 are read as digits too). Every
// other byte is copied unchanged. Used on text the engine generates and on body text
// outside Latin runs.
std::string convert_digits(std::string_view text, model::DigitStyle digits);

}  // namespace warraq::locale
