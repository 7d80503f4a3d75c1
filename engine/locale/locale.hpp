// Locale-dependent text: dates in the edition's locale (Gregorian month names as each
// Arabic-speaking country writes them, the Hijri date beside them) and digit shapes.
// Backed by ICU's calendars and CLDR data, never hand tables.
#pragma once

#include <string>
#include <string_view>

#include "model/model.hpp"

namespace warraq::locale {

// "الاثنين 25 نونبر 2024" for ar-MA, "الاثنين 25 نوفمبر 2024" for ar-EG,
// "الاثنين 25 تشرين الثاني 2024" for ar-SY; digits as asked.
std::string format_date(const model::Date& date, const std::string& locale,
                        model::DigitStyle digits, bool with_weekday = true);

// The same day in the Hijri calendar (ICU "islamic-umalqura"): "23 جمادى الأولى 1446 هـ".
std::string format_hijri_date(const model::Date& date, const std::string& locale,
                              model::DigitStyle digits);

// Replaces ASCII digits 0-9 by Arabic-Indic digits U+0660-U+0669 (arabic_indic), or the
// reverse (western). Used on text the engine generates and on body text outside Latin runs.
std::string convert_digits(std::string_view text, model::DigitStyle digits);

}  // namespace warraq::locale
