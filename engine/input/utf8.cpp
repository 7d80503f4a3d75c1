// UTF-8 validation before the XML parser sees the bytes: tinyxml2 passes malformed sequences
// through, and a typesetter fed with them would show tofu or crash in the shaper.
#include "input/input.hpp"

namespace warraq::input {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed sequence at `p`, or 0. Follows the table of well-formed byte
// sequences in Unicode 15, §3.9 (Table 3-7): it rules out overlong forms (C0, C1, E0 80..9F,
// F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF (F4 90.., F5..FF).
std::size_t sequence_length(std::string_view bytes, std::size_t i) {
  const auto at = [&](std::size_t k) -> unsigned char {
    return i + k < bytes.size() ? static_cast<unsigned char>(bytes[i + k]) : 0;
  };
  const unsigned char b0 = at(0);
  if (b0 < 0x80) return 1;
  if (b0 < 0xC2) return 0;
  if (b0 < 0xE0) return is_continuation(at(1)) ? 2 : 0;
  if (b0 < 0xF0) {
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
    return at(1) >= lo && at(1) <= hi && is_continuation(at(2)) ? 3 : 0;
  }
  if (b0 < 0xF5) {
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
    return at(1) >= lo && at(1) <= hi && is_continuation(at(2)) && is_continuation(at(3)) ? 4 : 0;
  }
  return 0;
}

}  // namespace

bool validate_utf8(std::string_view bytes, int& line, int& column) {
  int current_line = 1;
  int current_column = 1;
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = sequence_length(bytes, i);
    if (n == 0) {
      line = current_line;
      column = current_column;
      return false;
    }
    if (bytes[i] == '\n') {
      ++current_line;
      current_column = 1;
    } else {
      ++current_column;
    }
    i += n;
  }
  line = 0;
  column = 0;
  return true;
}

}  // namespace warraq::input
