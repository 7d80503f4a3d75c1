// Digit shapes. A byte-level rewrite of UTF-8: the digits involved are one byte (ASCII) or
// two bytes (U+0660..U+0669 = D9 A0..D9 A9, U+06F0..U+06F9 = DB B0..DB B9), and UTF-8 lead
// bytes never occur as continuation bytes, so matching these sequences cannot split another
// character. No ICU: this runs over whole article bodies.

#include "locale/locale.hpp"

namespace warraq::locale {

std::string convert_digits(std::string_view text, model::DigitStyle digits) {
  std::string out;
  out.reserve(text.size() * 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (digits == model::DigitStyle::arabic_indic) {
      if (byte >= '0' && byte <= '9') {
        out += '\xD9';
        out += static_cast<char>(0xA0 + (byte - '0'));
        continue;
      }
      // Extended Arabic-Indic digits (Persian/Urdu shapes) are left as they are: a source
      // that uses them means those shapes, and they are already eastern digits.
    } else if (i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      // Arabic-Indic U+0660..U+0669, and Extended Arabic-Indic U+06F0..U+06F9, which
      // Persian-trained keyboards produce in Arabic copy.
      if ((byte == 0xD9 && next >= 0xA0 && next <= 0xA9) ||
          (byte == 0xDB && next >= 0xB0 && next <= 0xB9)) {
        out += static_cast<char>('0' + (next - (byte == 0xD9 ? 0xA0 : 0xB0)));
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace warraq::locale
