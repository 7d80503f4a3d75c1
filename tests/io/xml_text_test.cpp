// XML text escaping (engine/io), shared by the EPUB writer and `warraq import`.
#include <catch2/catch.hpp>
#include <string>

#include "io/io.hpp"

using namespace warraq;

namespace {

std::string escaped(std::string_view text, bool attribute, io::CodePointSet* seen = nullptr) {
  std::string out;
  io::append_xml_escaped(out, text, attribute, seen);
  return out;
}

}  // namespace

TEST_CASE("XML text escapes markup, keeps Arabic, drops what XML forbids", "[io][xml]") {
  CHECK(escaped("a < b & c > d", false) == "a &lt; b &amp; c &gt; d");
  // A quote is plain in content, escaped in an attribute value.
  CHECK(escaped("«قال \"نعم\"»", false) == "«قال \"نعم\"»");
  CHECK(escaped("say \"yes\"", true) == "say &quot;yes&quot;");
  // White space other than the space survives attribute-value normalisation only escaped.
  CHECK(escaped("a\tb\nc", false) == "a\tb\nc");
  CHECK(escaped("a\tb\nc\r", true) == "a&#9;b&#10;c&#13;");
  // Controls XML 1.0 does not allow are dropped; broken UTF-8 becomes U+FFFD.
  CHECK(escaped(std::string("a\x01") + "b", false) == "ab");
  CHECK(escaped(std::string("a\xD9") + "b", false) ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(escaped("ورّاق 2024 🙂", false) == "ورّاق 2024 🙂");
}

TEST_CASE("XML text records the characters it writes", "[io][xml]") {
  io::CodePointSet seen;
  escaped("وَ a&b 🙂", false, &seen);
  CHECK(seen.count(U'و') == 1);
  CHECK(seen.count(U'\u064E') == 1);
  CHECK(seen.count(U'&') == 1);
  CHECK(seen.count(U'\U0001F642') == 1);
  CHECK(seen.count(U' ') == 0);  // white space is never recorded
  CHECK(seen.size() == 6);       // و, fatha, a, &, b and 🙂
}
