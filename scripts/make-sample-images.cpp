// Draws the sample editions' figure images with Cairo (PNG) and libjpeg (JPEG). They are
// generated, not committed: binaries in git cannot be reviewed, a program shows what they
// are. Same bytes on every run: Cairo's PNG writer stores no time, libjpeg no metadata.
// Built and run by scripts/make-sample-images.sh.
#include <cairo.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
// jpeglib.h uses size_t and FILE without including their headers.
#include <jpeglib.h>
#include <memory>
#include <string>
#include <vector>

namespace {

struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using Context = std::unique_ptr<cairo_t, ContextDestroy>;

void rgb(cairo_t* cr, unsigned hex) {
  cairo_set_source_rgb(cr, ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0,
                       (hex & 255) / 255.0);
}

void sky(cairo_t* cr, int w, int h, unsigned top, unsigned bottom) {
  cairo_pattern_t* p = cairo_pattern_create_linear(0, 0, 0, h);
  cairo_pattern_add_color_stop_rgb(p, 0, ((top >> 16) & 255) / 255.0, ((top >> 8) & 255) / 255.0,
                                   (top & 255) / 255.0);
  cairo_pattern_add_color_stop_rgb(p, 1, ((bottom >> 16) & 255) / 255.0,
                                   ((bottom >> 8) & 255) / 255.0, (bottom & 255) / 255.0);
  cairo_set_source(cr, p);
  cairo_rectangle(cr, 0, 0, w, h);
  cairo_fill(cr);
  cairo_pattern_destroy(p);
}

bool write_jpeg(cairo_surface_t* s, const std::string& path) {
  cairo_surface_flush(s);
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  jpeg_stdio_dest(&c, f);
  c.image_width = static_cast<JDIMENSION>(w);
  c.image_height = static_cast<JDIMENSION>(h);
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 85, TRUE);
  jpeg_start_compress(&c, TRUE);
  std::vector<unsigned char> row(static_cast<std::size_t>(w) * 3);
  while (c.next_scanline < c.image_height) {
    const auto* px = reinterpret_cast<const std::uint32_t*>(data + c.next_scanline * stride);
    for (int x = 0; x < w; ++x) {
      row[x * 3 + 0] = (px[x] >> 16) & 255;
      row[x * 3 + 1] = (px[x] >> 8) & 255;
      row[x * 3 + 2] = px[x] & 255;
    }
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  return std::fclose(f) == 0;
}

// The format follows the final name; the data goes to `temporary` first.
bool save(cairo_surface_t* s, const std::string& name, const std::string& temporary) {
  if (name.size() > 4 && name.substr(name.size() - 4) == ".jpg") return write_jpeg(s, temporary);
  return cairo_surface_write_to_png(s, temporary.c_str()) == CAIRO_STATUS_SUCCESS;
}

// A tram at a station.
void tram(cairo_t* cr, int w, int h) {
  sky(cr, w, h, 0x8fb8de, 0xf2e6c9);
  rgb(cr, 0x6b6b6b);
  cairo_rectangle(cr, 0, h * 0.7, w, h * 0.3);
  cairo_fill(cr);
  rgb(cr, 0x1f5fa8);
  cairo_rectangle(cr, w * 0.1, h * 0.41, w * 0.8, h * 0.29);
  cairo_fill(cr);
  rgb(cr, 0xdfe9f5);
  for (int k = 0; k < 5; ++k)
    cairo_rectangle(cr, w * (0.15 + 0.15 * k), h * 0.46, w * 0.11, h * 0.11);
  cairo_fill(cr);
  rgb(cr, 0x222222);
  cairo_arc(cr, w * 0.22, h * 0.72, h * 0.03, 0, 2 * M_PI);
  cairo_arc(cr, w * 0.78, h * 0.72, h * 0.03, 0, 2 * M_PI);
  cairo_fill(cr);
}

// A bar chart of four years.
void chart(cairo_t* cr, int w, int h) {
  rgb(cr, 0xffffff);
  cairo_paint(cr);
  rgb(cr, 0x8a1c1c);
  const double heights[] = {0.2, 0.35, 0.47, 0.57};
  for (int k = 0; k < 4; ++k)
    cairo_rectangle(cr, w * (0.11 + 0.2 * k), h * (0.9 - heights[k]), w * 0.13, h * heights[k]);
  cairo_fill(cr);
  rgb(cr, 0xaaaaaa);
  cairo_rectangle(cr, w * 0.06, h * 0.9, w * 0.88, 4);
  cairo_fill(cr);
}

// A silhouette on a plain ground (no real person).
void portrait(cairo_t* cr, int w, int h) {
  sky(cr, w, h, 0xd9d2c5, 0x9c8f7a);
  rgb(cr, 0x3a3a3a);
  cairo_arc(cr, w * 0.5, h * 0.37, w * 0.2, 0, 2 * M_PI);
  cairo_fill(cr);
  cairo_save(cr);
  cairo_translate(cr, w * 0.5, h * 0.95);
  cairo_scale(cr, w * 0.4, h * 0.3);
  cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
  cairo_restore(cr);
  cairo_fill(cr);
}

// A harbour at dusk with a lighthouse.
void harbour(cairo_t* cr, int w, int h) {
  sky(cr, w, h, 0xf4a259, 0x5b3758);
  rgb(cr, 0x1d3557);
  cairo_rectangle(cr, 0, h * 0.66, w, h * 0.34);
  cairo_fill(cr);
  rgb(cr, 0xf1faee);
  cairo_rectangle(cr, w * 0.74, h * 0.33, w * 0.04, h * 0.33);
  cairo_move_to(cr, w * 0.725, h * 0.33);
  cairo_line_to(cr, w * 0.795, h * 0.33);
  cairo_line_to(cr, w * 0.76, h * 0.26);
  cairo_fill(cr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make-sample-images OUTPUT-FOLDER\n");
    return 2;
  }
  const std::string dir = argv[1];
  struct Picture {
    const char* name;
    int w, h;
    void (*draw)(cairo_t*, int, int);
  } pictures[] = {{"tram.jpg", 1200, 800, tram},
                  {"chart.png", 900, 600, chart},
                  {"portrait.png", 600, 800, portrait},
                  {"harbour.jpg", 1600, 900, harbour}};
  for (const Picture& p : pictures) {
    Surface s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, p.w, p.h));
    Context cr(cairo_create(s.get()));
    p.draw(cr.get(), p.w, p.h);
    const std::string path = dir + "/" + p.name;
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS || !save(s.get(), path, path + ".tmp") ||
        std::rename((path + ".tmp").c_str(), path.c_str()) != 0) {
      std::fprintf(stderr, "make-sample-images: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
