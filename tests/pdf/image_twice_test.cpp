// The same image shown twice on one page: one image XObject, listed once in the resources
// (Cairo 1.16, the PDF stage's writer before issue 8, listed it twice, which qpdf reports
// as a damaged file).
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "support/test_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

TEST_CASE("an image shown twice on a page gives a valid PDF", "[pdf][images]") {
  const auto dir = test::scratch_dir("pdf-image-twice");
  fs::create_directories(dir / "img");
  fs::copy_file(test::source_dir() / "samples" / "img" / "chart.png", dir / "img" / "chart.png");
  fs::copy_file(test::source_dir() / "samples" / "img" / "tram.jpg", dir / "img" / "tram.jpg");
  const std::string figure_png =
      "<figure src=\"img/chart.png\" alt=\"رسم\"><caption>رسم بياني</caption></figure>";
  const std::string figure_jpg =
      "<figure src=\"img/tram.jpg\" alt=\"صورة\"><caption>الترامواي</caption></figure>";
  test::write_file(dir / "twice.xml",
                   "<article version=\"1\" id=\"twice\" date=\"2024-11-25\">\n"
                   "<headline>صورة مرتين</headline>\n<body>\n<p>فقرة أولى قصيرة.</p>\n" +
                       figure_png + "\n" + figure_png + "\n<p>فقرة ثانية.</p>\n" + figure_jpg +
                       "\n" + figure_jpg + "\n</body>\n</article>\n");
  const auto pdf = dir / "twice.pdf";
  const auto r = test::run_warraq({"pdf", (dir / "twice.xml").string(), "-o", pdf.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto check = test::run({"qpdf", "--check", pdf.string()});
  INFO(check.out << check.err);
  CHECK(check.status == 0);
  CHECK(check.out.find("duplicated") == std::string::npos);
  // The case only means something when a file is shown twice on one page.
  const auto images = test::run({"pdfimages", "-list", pdf.string()});
  std::map<std::string, int> per_page_and_size;
  std::istringstream lines(images.out);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::string page, num, type, width, height;
    f >> page >> num >> type >> width >> height;
    ++per_page_and_size[page + " " + width + "x" + height];
  }
  int repeats = 0;
  for (const auto& [key, n] : per_page_and_size) repeats += n > 1;
  CHECK(repeats >= 1);
}
