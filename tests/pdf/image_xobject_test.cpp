// Image XObjects (engine/pdf/image_xobject.cpp) in hand-built one-page PDFs, checked by the
// tools readers trust: qpdf for structure, pdfimages for what is embedded, pdftoppm for what
// is drawn. The PNGs are written here with libpng; the JPEGs are rendered by poppler from a
// small PDF, so their colours are known.
#include <png.h>

#include <array>
#include <catch2/catch.hpp>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "pdf/image_xobject.hpp"
#include "pdf/pdf_file.hpp"
#include "support/test_support.hpp"
#include "typeset/compose_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

using Rgb = std::array<int, 3>;
const Rgb red{255, 0, 0}, blue{0, 0, 255}, white{255, 255, 255}, black{0, 0, 0};

// The image is drawn on a 300×800 pt page at x 50–250, y 600–700: at 72 dpi, pixel rows
// 100–200 from the top. These points fall in its left and right halves, and outside it.
constexpr int left_x = 100, right_x = 200, image_y = 150, outside_x = 20, outside_y = 20;

// A one-page PDF whose page draws `body` (content stream) with `image` as /Im1, when given.
// Returns false with write_image's error; checks that a refused image wrote nothing.
bool make_pdf(const fs::path& out, const typeset::Image* image, std::string& error,
              std::string_view body = "q 200 0 0 100 50 600 cm /Im1 Do Q",
              std::string_view media_box = "0 0 300 800") {
  File f(std::fopen(out.c_str(), "wb"));
  REQUIRE(f);
  pdf::PdfFile file(f.get());
  const int catalog = file.reserve(), pages = file.reserve(), page = file.reserve(),
            content = file.reserve();
  std::string resources;
  if (image) {
    const int im = file.reserve();
    std::fflush(f.get());
    const long before = std::ftell(f.get());
    if (!pdf::write_image(file, im, *image, error)) {
      std::fflush(f.get());
      CHECK(std::ftell(f.get()) == before);
      return false;
    }
    resources = "/Resources<</XObject<</Im1 " + std::to_string(im) + " 0 R>>>>";
  }
  file.object(catalog, "<</Type/Catalog/Pages " + std::to_string(pages) + " 0 R>>");
  file.object(pages, "<</Type/Pages/Kids[" + std::to_string(page) + " 0 R]/Count 1>>");
  file.object(page, "<</Type/Page/Parent " + std::to_string(pages) + " 0 R/MediaBox[" +
                        std::string(media_box) + "]" + resources + "/Contents " +
                        std::to_string(content) + " 0 R>>");
  file.stream(content, "", body);
  file.finish(catalog, 0);
  REQUIRE(file.ok());
  return true;
}

// What the typesetter hands over: format and size probed from the header.
typeset::Image figure(const fs::path& path) {
  std::string error;
  const auto info = typeset::probe_image(path, error);
  INFO(path << ": " << error);
  REQUIRE(info.has_value());
  typeset::Image image;
  image.path = path;
  image.format = info->format;
  image.pixel_width = info->width;
  image.pixel_height = info->height;
  return image;
}

fs::path pdf_of(const fs::path& image_path) {
  auto out = image_path;
  out.replace_extension(".pdf");
  std::string error;
  const auto image = figure(image_path);
  const bool made = make_pdf(out, &image, error);
  INFO(error);
  REQUIRE(made);
  const auto check = test::run({"qpdf", "--check", out.string()});
  INFO(check.out << check.err);
  CHECK(check.status == 0);
  return out;
}

// One line of `pdfimages -list`.
struct Listed {
  std::string type, color, enc;
  int width = 0, height = 0;
};

std::vector<Listed> list_images(const fs::path& pdf) {
  const auto r = test::run({"pdfimages", "-list", pdf.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  std::vector<Listed> images;
  std::istringstream lines(r.out);
  std::string line, page, num, comp, bpc;
  std::getline(lines, line);  // column names
  std::getline(lines, line);  // rule
  while (std::getline(lines, line)) {
    Listed l;
    std::istringstream(line) >> page >> num >> l.type >> l.width >> l.height >> l.color >> comp >>
        bpc >> l.enc;
    images.push_back(l);
  }
  return images;
}

struct Raster {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  Rgb at(int x, int y) const {
    const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

Raster read_png(const fs::path& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_file(&image, path.c_str()));
  image.format = PNG_FORMAT_RGB;
  Raster r;
  r.width = static_cast<int>(image.width);
  r.height = static_cast<int>(image.height);
  r.rgb.resize(PNG_IMAGE_SIZE(image));
  const bool ok = png_image_finish_read(&image, nullptr, r.rgb.data(), 0, nullptr);
  png_image_free(&image);
  REQUIRE(ok);
  return r;
}

Raster render(const fs::path& pdf) {
  auto base = pdf;
  base.replace_extension();
  const auto r =
      test::run({"pdftoppm", "-r", "72", "-png", "-singlefile", pdf.string(), base.string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  return read_png(base.string() + ".png");
}

bool near(const Rgb& got, const Rgb& want, int tolerance) {
  for (int c = 0; c < 3; ++c)
    if (std::abs(got[c] - want[c]) > tolerance) return false;
  return true;
}

void check_colours(const fs::path& pdf, const Rgb& left, const Rgb& right, int tolerance = 3) {
  const auto page = render(pdf);
  REQUIRE(page.width == 300);
  REQUIRE(page.height == 800);
  const auto l = page.at(left_x, image_y), r = page.at(right_x, image_y);
  INFO("left " << l[0] << "," << l[1] << "," << l[2] << "; right " << r[0] << "," << r[1] << ","
               << r[2]);
  CHECK(near(l, left, tolerance));
  CHECK(near(r, right, tolerance));
  CHECK(page.at(outside_x, outside_y) == white);
}

// A 40×20 image whose left and right halves are `left` and `right` (samples of `format`).
fs::path write_png(const fs::path& path, png_uint_32 format, const std::vector<int>& left,
                   const std::vector<int>& right) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = 40;
  image.height = 20;
  image.format = format;
  std::vector<unsigned char> pixels;
  for (png_uint_32 y = 0; y < image.height; ++y)
    for (png_uint_32 x = 0; x < image.width; ++x)
      for (int v : x < image.width / 2 ? left : right)
        pixels.push_back(static_cast<unsigned char>(v));
  REQUIRE(pixels.size() == PNG_IMAGE_SIZE(image));
  REQUIRE(png_image_write_to_file(&image, path.c_str(), 0, pixels.data(), 0, nullptr));
  return path;
}

// A gray PNG of `height` copies of `row`, written with libpng's full API: the simplified
// writer always adds gAMA or sRGB and cannot write huge sizes cheaply.
fs::path write_gray_png(const fs::path& path, png_uint_32 width, png_uint_32 height, int depth,
                        const std::vector<unsigned char>& row) {
  File f(std::fopen(path.c_str(), "wb"));
  REQUIRE(f);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  REQUIRE((png && info));
  volatile bool ok = false;  // set between setjmp and a possible longjmp
  // Nothing with a destructor is made between here and the longjmp of a libpng error.
  if (setjmp(png_jmpbuf(png)) == 0) {
    png_init_io(png, f.get());
    png_set_IHDR(png, info, width, height, depth, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (png_uint_32 y = 0; y < height; ++y) png_write_row(png, row.data());
    png_write_end(png, nullptr);
    ok = true;
  }
  png_destroy_write_struct(&png, &info);
  REQUIRE(ok);
  return path;
}

// A 40×20 16-bit gray PNG without gamma information, `left` and `right` halves.
fs::path write_untagged_png16(const fs::path& path, std::uint16_t left, std::uint16_t right) {
  std::vector<unsigned char> row;
  for (int x = 0; x < 40; ++x)
    for (int i = 0; i < 2; ++i)
      row.push_back(static_cast<unsigned char>((x < 20 ? left : right) >> (8 - 8 * i)));
  return write_gray_png(path, 40, 20, 16, row);
}

// A 40×10 pt page, red on the left and blue on the right (or `body`), as a JPEG drawn by
// `tool` (pdftoppm or pdftocairo, and its options).
fs::path write_jpeg(const fs::path& dir, const std::string& name,
                    const std::vector<std::string>& tool,
                    std::string_view body = "1 0 0 rg 0 0 20 10 re f 0 0 1 rg 20 0 20 10 re f") {
  const auto source = dir / (name + "-source.pdf");
  std::string error;
  REQUIRE(make_pdf(source, nullptr, error, body, "0 0 40 10"));
  auto argv = tool;
  argv.insert(argv.end(), {"-r", "72", "-singlefile"});
  argv.push_back(source.string());
  argv.push_back((dir / name).string());
  const auto r = test::run(argv);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return dir / (name + ".jpg");
}

}  // namespace

TEST_CASE("PNG images become deflated image XObjects, alpha a soft mask", "[pdf][images]") {
  const auto dir = test::scratch_dir("pdf-image-xobject-png");

  SECTION("RGBA with a transparent half: the page shows through") {
    // The transparent half is blue: without the soft mask it would come out blue.
    const auto pdf =
        pdf_of(write_png(dir / "rgba.png", PNG_FORMAT_RGBA, {255, 0, 0, 255}, {0, 0, 255, 0}));
    const auto images = list_images(pdf);
    REQUIRE(images.size() == 2);
    CHECK(images[0].type == "image");
    CHECK(images[0].color == "rgb");
    CHECK(images[0].enc == "image");
    CHECK(images[0].width == 40);
    CHECK(images[0].height == 20);
    CHECK(images[1].type == "smask");
    CHECK(images[1].color == "gray");
    CHECK(images[1].width == 40);
    CHECK(images[1].height == 20);
    check_colours(pdf, red, white);
  }

  SECTION("RGB: no soft mask") {
    const auto pdf = pdf_of(write_png(dir / "rgb.png", PNG_FORMAT_RGB, {255, 0, 0}, {0, 0, 255}));
    const auto images = list_images(pdf);
    REQUIRE(images.size() == 1);
    CHECK(images[0].type == "image");
    CHECK(images[0].color == "rgb");
    CHECK(images[0].enc == "image");
    check_colours(pdf, red, blue);
  }

  SECTION("RGBA opaque everywhere: no soft mask") {
    const auto pdf =
        pdf_of(write_png(dir / "opaque.png", PNG_FORMAT_RGBA, {255, 0, 0, 255}, {0, 0, 255, 255}));
    const auto images = list_images(pdf);
    REQUIRE(images.size() == 1);
    CHECK(images[0].color == "rgb");
    check_colours(pdf, red, blue);
  }

  SECTION("gray") {
    const auto pdf = pdf_of(write_png(dir / "gray.png", PNG_FORMAT_GRAY, {64}, {192}));
    const auto images = list_images(pdf);
    REQUIRE(images.size() == 1);
    CHECK(images[0].color == "gray");
    CHECK(images[0].enc == "image");
    check_colours(pdf, {64, 64, 64}, {192, 192, 192});
  }

  SECTION("16-bit without gamma information: read as sRGB, as browsers do") {
    const auto pdf = pdf_of(write_untagged_png16(dir / "deep.png", 0x4040, 0xC0C0));
    const auto images = list_images(pdf);
    REQUIRE(images.size() == 1);
    CHECK(images[0].color == "gray");
    check_colours(pdf, {64, 64, 64}, {192, 192, 192});
  }

  SECTION("palette with tRNS: transparency from the palette becomes a soft mask") {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = 40;
    image.height = 20;
    image.format = PNG_FORMAT_RGBA | PNG_FORMAT_FLAG_COLORMAP;
    image.colormap_entries = 2;
    const unsigned char colormap[] = {255, 0, 0, 255, 0, 0, 255, 0};
    std::vector<unsigned char> indices(40 * 20);
    for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i % 40 >= 20;
    const auto path = dir / "palette.png";
    REQUIRE(png_image_write_to_file(&image, path.c_str(), 0, indices.data(), 0, colormap));
    // Only meaningful if libpng wrote a palette PNG (colour type 3 at byte 25).
    REQUIRE(test::read_file(path)[25] == 3);
    const auto pdf = pdf_of(path);
    const auto images = list_images(pdf);
    REQUIRE(images.size() == 2);
    CHECK(images[0].color == "rgb");
    CHECK(images[1].type == "smask");
    check_colours(pdf, red, white);
  }
}

TEST_CASE("JPEG images go in as their own bytes (DCTDecode)", "[pdf][images]") {
  const auto dir = test::scratch_dir("pdf-image-xobject-jpeg");

  const auto check_jpeg = [&](const fs::path& jpeg, const std::string& color, int width,
                              int height) {
    const auto pdf = pdf_of(jpeg);
    const auto images = list_images(pdf);
    REQUIRE(images.size() == 1);
    CHECK(images[0].type == "image");
    CHECK(images[0].enc == "jpeg");
    CHECK(images[0].color == color);
    CHECK(images[0].width == width);
    CHECK(images[0].height == height);
    CHECK(test::read_file(pdf).find(test::read_file(jpeg)) != std::string::npos);
    return pdf;
  };

  SECTION("RGB") {
    const auto pdf = check_jpeg(write_jpeg(dir, "rgb", {"pdftoppm", "-jpeg"}), "rgb", 40, 10);
    check_colours(pdf, red, blue, 40);
  }

  SECTION("gray") {
    const auto pdf = check_jpeg(write_jpeg(dir, "gray", {"pdftocairo", "-jpeg", "-gray"},
                                           "0 g 0 0 20 10 re f 0.75 g 20 0 20 10 re f"),
                                "gray", 40, 10);
    check_colours(pdf, black, {191, 191, 191}, 24);
  }

  SECTION("Adobe CMYK, stored inverted") {
    const auto jpeg = write_jpeg(dir, "cmyk", {"pdftoppm", "-jpegcmyk"});
    REQUIRE(test::read_file(jpeg).find("Adobe") != std::string::npos);
    const auto pdf = check_jpeg(jpeg, "cmyk", 40, 10);
    // DeviceCMYK to RGB is only approximate in poppler: red stays reddest, blue bluest.
    const auto page = render(pdf);
    const auto l = page.at(left_x, image_y), r = page.at(right_x, image_y);
    INFO("left " << l[0] << "," << l[1] << "," << l[2] << "; right " << r[0] << "," << r[1] << ","
                 << r[2]);
    CHECK(l[0] > 160);
    CHECK(l[0] > l[1] + 80);
    CHECK(l[0] > l[2] + 80);
    CHECK(r[2] > 100);
    CHECK(r[2] > r[0] + 50);
    CHECK(r[2] > r[1] + 50);
  }

  SECTION("the sample photograph") {
    test::compose::ensure_sample_images();
    const auto tram = test::source_dir() / "samples" / "img" / "tram.jpg";
    const auto image = figure(tram);
    fs::copy_file(tram, dir / "tram.jpg");
    check_jpeg(dir / "tram.jpg", "rgb", image.pixel_width, image.pixel_height);
  }
}

TEST_CASE("images that cannot be embedded are refused, naming the file", "[pdf][images]") {
  const auto dir = test::scratch_dir("pdf-image-xobject-refused");
  std::string error;

  SECTION("a PNG with a valid header and garbage after it") {
    const auto good =
        test::read_file(write_png(dir / "good.png", PNG_FORMAT_RGB, {255, 0, 0}, {0, 0, 255}));
    // Signature (8 bytes) and IHDR (4 length, 4 type, 13 data, 4 CRC).
    std::string bytes = good.substr(0, 33);
    for (int i = 0; i < 200; ++i) bytes += static_cast<char>((i * 37 + 11) & 255);
    const auto path = dir / "corrupt.png";
    test::write_file(path, bytes);
    const auto image = figure(path);
    CHECK_FALSE(make_pdf(dir / "corrupt.pdf", &image, error));
    INFO(error);
    CHECK(error.find("cannot decode the PNG image " + path.string() + ": ") == 0);
    CHECK(error.find('\n') == std::string::npos);
  }

  SECTION("a PNG whose image data stops early") {
    const auto good =
        test::read_file(write_png(dir / "good.png", PNG_FORMAT_RGB, {255, 0, 0}, {0, 0, 255}));
    const auto path = dir / "truncated.png";
    test::write_file(path, good.substr(0, good.size() / 2));
    const auto image = figure(path);
    CHECK_FALSE(make_pdf(dir / "truncated.pdf", &image, error));
    INFO(error);
    CHECK(error.find("cannot decode the PNG image " + path.string() + ": ") == 0);
  }

  SECTION("a PNG over the pixel limit, as if replaced after the typesetter measured it") {
    // 8000 × 6000 one-bit pixels: 6 MB of zero rows that deflate to almost nothing.
    const auto path =
        write_gray_png(dir / "bomb.png", 8000, 6000, 1, std::vector<unsigned char>(1000));
    typeset::Image image;
    image.path = path;
    image.format = "png";
    image.pixel_width = image.pixel_height = 100;
    CHECK_FALSE(make_pdf(dir / "bomb.pdf", &image, error));
    INFO(error);
    CHECK(error.find("PNG image " + path.string()) != std::string::npos);
    CHECK(error.find("pixels") != std::string::npos);
  }

  SECTION("a missing file") {
    typeset::Image image;
    image.path = dir / "missing.png";
    image.format = "png";
    CHECK_FALSE(make_pdf(dir / "missing.pdf", &image, error));
    CHECK(error.find(image.path.string()) != std::string::npos);
    image.format = "jpeg";
    CHECK_FALSE(make_pdf(dir / "missing.pdf", &image, error));
    CHECK(error.find(image.path.string()) != std::string::npos);
  }

  SECTION("a 12-bit JPEG") {
    // SOI, a baseline-looking SOF1 frame of precision 12 (8×8, one component), SOS, EOI.
    const unsigned char bytes[] = {0xFF, 0xD8, 0xFF, 0xC1, 0x00, 0x0B, 12,   0x00, 0x08,
                                   0x00, 0x08, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xDA, 0x00,
                                   0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0xFF, 0xD9};
    const auto path = dir / "deep.jpg";
    test::write_file(path, std::string(reinterpret_cast<const char*>(bytes), sizeof bytes));
    const auto image = figure(path);
    CHECK_FALSE(make_pdf(dir / "deep.pdf", &image, error));
    INFO(error);
    CHECK(error.find("JPEG image " + path.string()) != std::string::npos);
    CHECK(error.find("12-bit") != std::string::npos);
  }

  SECTION("a JPEG cut off before its first scan") {
    const auto good = test::read_file(write_jpeg(dir, "whole", {"pdftoppm", "-jpeg"}));
    const auto path = dir / "cut.jpg";
    test::write_file(path, good.substr(0, good.find("\xFF\xDA")));
    const auto image = figure(path);
    CHECK_FALSE(make_pdf(dir / "cut.pdf", &image, error));
    INFO(error);
    CHECK(error.find("JPEG image " + path.string()) != std::string::npos);
  }
}

TEST_CASE("the same images give the same bytes", "[pdf][images]") {
  const auto dir = test::scratch_dir("pdf-image-xobject-same");
  const auto png =
      figure(write_png(dir / "rgba.png", PNG_FORMAT_RGBA, {255, 0, 0, 255}, {0, 0, 255, 0}));
  const auto jpeg = figure(write_jpeg(dir, "photo", {"pdftoppm", "-jpeg"}));
  const auto twice = [&](const typeset::Image& image) {
    std::string error;
    REQUIRE(make_pdf(dir / "a.pdf", &image, error));
    REQUIRE(make_pdf(dir / "b.pdf", &image, error));
    CHECK(test::read_file(dir / "a.pdf") == test::read_file(dir / "b.pdf"));
  };
  twice(png);
  twice(jpeg);
}
