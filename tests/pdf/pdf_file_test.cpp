// The PDF file format layer: numbers, names, strings, and a file qpdf accepts.
#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "pdf/pdf_file.hpp"
#include "support/test_support.hpp"

using namespace warraq;
using warraq::pdf::append_number;
using warraq::pdf::number;

namespace {

// What append_number promises, spelled the slow way: rounded to thousandths, trailing
// zeros and point dropped, no "-0".
std::string reference(double value) {
  double rounded = std::round(value * 1000) / 1000;
  if (rounded == 0) rounded = 0;
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, rounded, std::chars_format::fixed, 3);
  char* end = r.ptr;
  while (end[-1] == '0') --end;
  if (end[-1] == '.') --end;
  return std::string(buf, end);
}

}  // namespace

TEST_CASE("numbers are written to the thousandth, shortest first", "[pdf][format]") {
  CHECK(number(0) == "0");
  CHECK(number(-0.0) == "0");
  CHECK(number(-0.0004) == "0");
  CHECK(number(12) == "12");
  CHECK(number(-0.5) == "-0.5");
  CHECK(number(595.2756) == "595.276");
  CHECK(number(841.89) == "841.89");
  CHECK(number(0.0078125) == "0.008");
  CHECK(number(1e6 + 0.25) == "1000000.25");
  std::mt19937_64 random(8);
  std::uniform_real_distribution<double> small(-2, 2), large(-20000, 20000);
  for (int k = 0; k < 200000; ++k) {
    const double v = k % 2 ? small(random) : large(random);
    const std::string got = number(v), want = reference(v);
    if (got != want) FAIL("number(" << v << ") = " << got << ", expected " << want);
  }
  std::string out = "x";
  append_number(out, 2.5);
  CHECK(out == "x2.5");
}

TEST_CASE("names and strings are escaped as PDF wants", "[pdf][format]") {
  CHECK(warraq::pdf::name("Art") == "/Art");
  CHECK(warraq::pdf::name("a b#(c)") == "/a#20b#23#28c#29");
  CHECK(warraq::pdf::literal_string("a(b)\\c") == "(a\\(b\\)\\\\c)");
  CHECK(warraq::pdf::text_string("Warraq 1") == "(Warraq 1)");
  // Non-ASCII text: UTF-16BE with a byte-order mark; a character beyond the BMP as a
  // surrogate pair.
  CHECK(warraq::pdf::text_string("\xD9\x88") == "<FEFF0648>");
  CHECK(warraq::pdf::text_string("a\xF0\x9F\x93\xB0") == "<FEFF0061D83DDCF0>");
}

TEST_CASE("a PdfFile with forward references is a file qpdf accepts", "[pdf][format]") {
  const auto dir = test::scratch_dir("pdf-file");
  const auto path = dir / "minimal.pdf";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f);
    warraq::pdf::PdfFile file(f);
    const int catalog = file.reserve(), pages = file.reserve(), page = file.reserve();
    const int content = file.reserve();
    file.stream(content, "", "0 0 1 rg 10 10 100 100 re f\n");
    file.object(page, "<</Type/Page/Parent " + std::to_string(pages) +
                          " 0 R/MediaBox[0 0 200 200]/Contents " + std::to_string(content) +
                          " 0 R>>");
    file.object(pages, "<</Type/Pages/Kids[" + std::to_string(page) + " 0 R]/Count 1>>");
    file.object(catalog, "<</Type/Catalog/Pages " + std::to_string(pages) + " 0 R>>");
    file.finish(catalog, 0);
    CHECK(file.ok());
    std::fclose(f);
  }
  const auto check = test::run({"qpdf", "--check", path.string()});
  INFO(check.out << check.err);
  CHECK(check.status == 0);
  CHECK(check.err.empty());
}
