// validate_utf8 follows Unicode §3.9 Table 3-7 exactly: what it accepts, and where it stops.
#include <catch2/catch.hpp>

#include "input/input.hpp"

using warraq::input::validate_utf8;

namespace {

bool valid(std::string_view bytes) {
  int line = -1, column = -1;
  return validate_utf8(bytes, line, column);
}

std::pair<int, int> first_bad(std::string_view bytes) {
  int line = 0, column = 0;
  REQUIRE_FALSE(validate_utf8(bytes, line, column));
  return {line, column};
}

}  // namespace

TEST_CASE("well-formed UTF-8 is accepted", "[input][utf8]") {
  CHECK(valid(""));
  CHECK(valid("plain ASCII\n"));
  CHECK(valid("حموشي هــــــود\u00a0"));
  CHECK(valid("\xEF\xBB\xBF<a/>"));  // byte-order mark
  CHECK(valid("\xF0\x9F\x93\xB0"));  // U+1F4F0 newspaper
  CHECK(valid("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  CHECK(valid("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
}

TEST_CASE("overlongs, surrogates, out-of-range and broken sequences are refused", "[input][utf8]") {
  CHECK_FALSE(valid("\xC0\xAF"));  // overlong '/'
  CHECK_FALSE(valid("\xC1\xBF"));
  CHECK_FALSE(valid("\xE0\x80\xAF"));      // overlong 3-byte
  CHECK_FALSE(valid("\xF0\x80\x80\xAF"));  // overlong 4-byte
  CHECK_FALSE(valid("\xED\xA0\x80"));      // U+D800, a surrogate
  CHECK_FALSE(valid("\xED\xBF\xBF"));      // U+DFFF
  CHECK_FALSE(valid("\xF4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(valid("\xF5\x80\x80\x80"));
  CHECK_FALSE(valid("\xFF"));
  CHECK_FALSE(valid("\x80"));   // stray continuation byte
  CHECK_FALSE(valid("\xD8"));   // truncated at the end
  CHECK_FALSE(valid("\xD8 "));  // truncated before ASCII
  CHECK_FALSE(valid("\xE2\x82"));
}

TEST_CASE("the position of the first bad byte counts lines and characters", "[input][utf8]") {
  CHECK(first_bad("\x80") == std::pair{1, 1});
  CHECK(first_bad("ab\n\xFF") == std::pair{2, 1});
  // Three Arabic letters (two bytes each) and a space come before the bad byte.
  CHECK(first_bad("x\nحمو \xC0\xAF\n\xFF") == std::pair{2, 5});
}
