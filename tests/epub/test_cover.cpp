// The cover's PNG, encoded band by band on any thread, with the rows that repeat the row
// above written as deflate blocks of our own: it must decode to exactly the drawn pixels,
// and its bytes must not depend on the order or the threads the bands were encoded on.
#include <cairo.h>

#include <cstring>
#include <thread>

#include "epub/digest.hpp"
#include "epub_test_helpers.hpp"

using namespace warraq;

namespace {

struct PngReader {
  const std::string* bytes;
  std::size_t at = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->at + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes->data() + r->at, length);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

std::optional<epub::Cover> drawn_cover(const model::Edition& edition, const model::Layout& layout) {
  const auto fonts = test::repository_fonts();
  const epub::Plan plan = epub::make_plan(edition, layout, layout.digits, test::sample_time);
  model::Diagnostics diagnostics;
  auto cover = epub::draw_cover(plan, *fonts, diagnostics);
  for (const auto& d : diagnostics.all()) UNSCOPED_INFO(d.to_string());
  return cover;
}

}  // namespace

TEST_CASE("the cover PNG decodes to exactly the drawn pixels, whatever order its bands took",
          "[epub][cover]") {
  const auto edition = test::sample_edition();
  const auto layout = test::repository_layout();
  auto forward = drawn_cover(edition, layout);
  auto shuffled = drawn_cover(edition, layout);
  REQUIRE(forward);
  REQUIRE(shuffled);
  REQUIRE(forward->band_count() > 2);

  // One thread, first band to last; two threads, last band to first, interleaved.
  for (std::size_t band = 0; band < forward->band_count(); ++band)
    REQUIRE(forward->encode_band(band));
  const std::size_t bands = shuffled->band_count();
  bool odd_ok = true;
  std::thread odd([&] {
    for (std::size_t band = bands; band-- > 0;)
      if (band % 2 == 1) odd_ok = shuffled->encode_band(band) && odd_ok;
  });
  bool even_ok = true;
  for (std::size_t band = bands; band-- > 0;)
    if (band % 2 == 0) even_ok = shuffled->encode_band(band) && even_ok;
  odd.join();
  REQUIRE(odd_ok);
  REQUIRE(even_ok);

  const auto png = forward->png();
  REQUIRE(png);
  CHECK(shuffled->png() == png);

  // Decoded by libpng (through Cairo), which checks every chunk's CRC and zlib's Adler-32:
  // every pixel is the drawn one, the repeated rows included.
  PngReader reader{&*png};
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(read_png, &reader);
  REQUIRE(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS);
  REQUIRE(cairo_image_surface_get_width(surface) == 1200);
  REQUIRE(cairo_image_surface_get_height(surface) == 1800);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  int differing = 0;
  int repeated = 0;
  for (int y = 0; y < 1800; ++y) {
    bool same_as_above = y > 0;
    for (int x = 0; x < 1200; ++x) {
      std::uint32_t px;
      std::memcpy(&px, data + y * stride + x * 4, 4);
      if ((px & 0xFFFFFF) != forward->pixel(x, y)) ++differing;
      if (y > 0 && forward->pixel(x, y) != forward->pixel(x, y - 1)) same_as_above = false;
    }
    if (same_as_above) ++repeated;
  }
  cairo_surface_destroy(surface);
  CHECK(differing == 0);
  CHECK(repeated > 500);  // the blocks written without zlib were exercised
}
