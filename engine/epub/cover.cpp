// The cover: masthead, the date (Gregorian in the edition's locale, and Hijri), the edition
// number and the top headlines, drawn with Pango on a Cairo image surface and saved as PNG.
//
// Text is set by Pango over a fontconfig configuration that holds only the font set's files
// (the same rule as the typesetter: never the host's fonts), so the cover looks the same on
// every machine and its PNG bytes are reproducible: Cairo writes no time chunk, and hinting
// is off so rasterisation does not depend on the FreeType build's defaults.
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "digest.hpp"
#include "locale/locale.hpp"

namespace warraq::epub {

namespace {

constexpr int cover_width = 1200;
constexpr int cover_height = 1800;
constexpr double margin = 90;

struct Release {
  void operator()(FcConfig* c) const { FcConfigDestroy(c); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  void operator()(cairo_t* c) const { cairo_destroy(c); }
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
  void operator()(PangoFontMap* m) const { g_object_unref(m); }
  void operator()(PangoContext* c) const { g_object_unref(c); }
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
template <typename T>
using Handle = std::unique_ptr<T, Release>;

void append_png_bytes(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char*>(data), length);
}
void flush_png(png_structp) {}

// Writes a Cairo RGB24 image (width x height, `stride` bytes a row) as an 8-bit RGB PNG
// into `out`, one row at a time through `row` (3 x width bytes): no row filter, deflate
// level 3 (level 6 makes it 20% smaller in twice the time), no ancillary chunk (no time, so
// the bytes are reproducible). libpng reports errors by longjmp, so this function holds no
// object with a destructor between setjmp and the end of the libpng calls.
bool encode_png(const unsigned char* data, int stride, int width, int height,
                std::vector<unsigned char>& row, std::string& out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_set_write_fn(png, &out, append_png_bytes, flush_png);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_compression_level(png, 3);
  png_write_info(png, info);
  for (int y = 0; y < height; ++y) {
    // CAIRO_FORMAT_RGB24: one native-endian 32-bit word per pixel, 0x00RRGGBB.
    const unsigned char* in = data + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride);
    for (int x = 0; x < width; ++x) {
      std::uint32_t pixel;
      std::memcpy(&pixel, in + 4 * x, 4);
      row[3 * x] = static_cast<unsigned char>(pixel >> 16);
      row[3 * x + 1] = static_cast<unsigned char>(pixel >> 8);
      row[3 * x + 2] = static_cast<unsigned char>(pixel);
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

// One RAII object for everything the drawing needs: the private fontconfig configuration,
// the Pango font map and context over it, the image surface and its Cairo context.
class Canvas {
 public:
  Canvas(const typeset::FontSet& fonts, std::string& error) {
    config_.reset(FcConfigCreate());
    if (!config_) {
      error = "cannot create a fontconfig configuration";
      return;
    }
    for (const auto& file : fonts.files())
      if (!FcConfigAppFontAddFile(config_.get(),
                                  reinterpret_cast<const FcChar8*>(file.path.c_str()))) {
        error = "fontconfig cannot read " + file.path.string();
        return;
      }
    font_map_.reset(pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT));
    if (!font_map_ || !PANGO_IS_FC_FONT_MAP(font_map_.get())) {
      error = "cannot create a Pango font map";
      return;
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(font_map_.get()), config_.get());
    context_.reset(pango_font_map_create_context(font_map_.get()));
    surface_.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, cover_width, cover_height));
    cr_.reset(cairo_create(surface_.get()));
    if (cairo_status(cr_.get()) != CAIRO_STATUS_SUCCESS) {
      error = cairo_status_to_string(cairo_status(cr_.get()));
      return;
    }
    Handle<cairo_font_options_t> options(cairo_font_options_create());
    cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(context_.get(), options.get());
    pango_cairo_update_context(cr_.get(), context_.get());
    ok_ = true;
  }
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;
  ~Canvas() {
    // Drawing objects first, the configuration they read last.
    cr_.reset();
    surface_.reset();
    context_.reset();
    // Pango 1.50 does not free the font map's filtered copy of the configuration's fonts
    // when the map is finalised; setting the configuration again clears it (found by
    // LeakSanitizer: one FcFontSet per cover otherwise).
    if (font_map_ && PANGO_IS_FC_FONT_MAP(font_map_.get()))
      pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(font_map_.get()), nullptr);
    font_map_.reset();
    config_.reset();
  }

  bool ok() const { return ok_; }
  cairo_t* cr() { return cr_.get(); }

  // A paragraph set in `family` at `px` pixels, wrapped to `width`, at most `max_lines`
  // lines (ellipsised beyond); returns its layout for measuring and drawing.
  Handle<PangoLayout> layout(const std::string& text, const std::string& family, int weight,
                             double px, double width, PangoAlignment align, int max_lines) {
    Handle<PangoLayout> l(pango_layout_new(context_.get()));
    Handle<PangoFontDescription> d(pango_font_description_new());
    pango_font_description_set_family(d.get(), family.c_str());
    pango_font_description_set_weight(d.get(), static_cast<PangoWeight>(weight));
    pango_font_description_set_absolute_size(d.get(), px * PANGO_SCALE);
    pango_layout_set_font_description(l.get(), d.get());
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD);
    // With auto-dir (the default) LEFT means "start": right for an Arabic paragraph.
    pango_layout_set_alignment(l.get(), align);
    if (max_lines > 0) {
      pango_layout_set_height(l.get(), -max_lines);
      pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
    }
    pango_layout_set_text(l.get(), text.c_str(), -1);
    return l;
  }

  static double height(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_pixel_size(l, &w, &h);
    return h;
  }

  void draw(PangoLayout* l, double x, double y, const model::Color& c) {
    cairo_set_source_rgb(cr_.get(), c.r, c.g, c.b);
    cairo_move_to(cr_.get(), x, y);
    pango_cairo_show_layout(cr_.get(), l);
  }

  void rule(double y, double thickness, const model::Color& c) {
    cairo_set_source_rgb(cr_.get(), c.r, c.g, c.b);
    cairo_rectangle(cr_.get(), margin, y, cover_width - 2 * margin, thickness);
    cairo_fill(cr_.get());
  }

  // The surface as an 8-bit RGB PNG. Encoded here rather than by
  // cairo_surface_write_to_png_stream, which lets libpng try all five row filters on every
  // row and deflate at level 6: on a 1200x1800 cover that was two thirds of all the
  // instructions of a 100-article digest. A cover is flat colour with anti-aliased type;
  // without row filters, at deflate level 3, zlib finds the same runs and the file is as
  // small as before (124 KB against 125 KB) for about a tenth of the work. Lossless.
  std::optional<std::string> png() {
    cairo_surface_flush(surface_.get());
    const unsigned char* data = cairo_image_surface_get_data(surface_.get());
    if (!data) return std::nullopt;
    std::vector<unsigned char> row(static_cast<std::size_t>(cover_width) * 3);
    std::string bytes;
    if (!encode_png(data, cairo_image_surface_get_stride(surface_.get()), cover_width, cover_height,
                    row, bytes))
      return std::nullopt;
    return bytes;
  }

 private:
  Handle<FcConfig> config_;
  Handle<PangoFontMap> font_map_;
  Handle<PangoContext> context_;
  Handle<cairo_surface_t> surface_;
  Handle<cairo_t> cr_;
  bool ok_ = false;
};

// The stories the cover announces: the heaviest first (weight 5 is the lead story), in
// edition order among equals.
std::vector<const ArticleEntry*> top_stories(const Plan& plan, std::size_t count) {
  std::vector<const ArticleEntry*> all;
  for (const auto& a : plan.articles) all.push_back(&a);
  std::stable_sort(all.begin(), all.end(), [](const ArticleEntry* a, const ArticleEntry* b) {
    return a->article->weight > b->article->weight;
  });
  if (all.size() > count) all.resize(count);
  return all;
}

}  // namespace

std::optional<Cover> draw_cover(const Plan& plan, const typeset::FontSet& fonts,
                                model::Diagnostics& diagnostics) {
  const model::Layout& layout = *plan.layout;
  const model::Edition& edition = *plan.edition;
  const model::SourceLocation where = layout.where;
  if (fonts.files().empty()) {
    diagnostics.warning("epub-cover", where, "the font set is empty; the EPUB has no cover");
    return std::nullopt;
  }
  std::string error;
  Canvas canvas(fonts, error);
  if (!canvas.ok()) {
    diagnostics.warning("epub-cover", where,
                        "cannot draw the cover (" + error +
                            "); the EPUB "
                            "has no cover");
    return std::nullopt;
  }
  const model::TypeRole& masthead = layout.role("masthead");
  const model::TypeRole& headline = layout.role("headline");
  const model::TypeRole& body = layout.role("body");
  const model::TypeRole& kicker = layout.role("kicker");
  const model::Color ink{0.07, 0.07, 0.07};
  const model::Color grey{0.35, 0.35, 0.35};
  const model::Color accent =
      kicker.color != model::Color{} ? kicker.color : model::Color{0.54, 0.11, 0.11};
  const double width = cover_width - 2 * margin;
  cairo_t* cr = canvas.cr();
  cairo_set_source_rgb(cr, 0.99, 0.98, 0.96);
  cairo_paint(cr);

  Cover cover;
  double y = margin;
  canvas.rule(y, 14, accent);
  y += 50;

  const std::string title = plan.title.empty() ? edition.date.iso() : plan.title;
  auto l = canvas.layout(title, masthead.family, std::max(masthead.weight, 700), 140, width,
                         PANGO_ALIGN_CENTER, 2);
  canvas.draw(l.get(), margin, y, ink);
  y += Canvas::height(l.get()) + 20;
  canvas.rule(y, 3, ink);
  y += 30;

  const std::string date = locale::format_date(edition.date, plan.lang, plan.digits, true);
  const std::string hijri = locale::format_hijri_date(edition.date, plan.lang, plan.digits);
  std::string issue;  // the edition number, when it has one
  if (!edition.number.empty())
    issue = std::string(plan.labels->issue) + " " + shown_text(plan, edition.number);
  for (const std::string* line : std::initializer_list<const std::string*>{&date, &hijri, &issue}) {
    if (line->empty()) continue;
    l = canvas.layout(*line, body.family, 400, 44, width, PANGO_ALIGN_CENTER, 1);
    canvas.draw(l.get(), margin, y, line == &date ? ink : grey);
    y += Canvas::height(l.get()) + 6;
  }
  y += 24;
  canvas.rule(y, 8, ink);
  y += 44;

  l = canvas.layout(std::string(plan.labels->top_stories), headline.family, 700, 50, width,
                    PANGO_ALIGN_LEFT, 1);
  canvas.draw(l.get(), margin, y, accent);
  y += Canvas::height(l.get()) + 24;

  // Top headlines, as many of five as fit above the foot, each at most two lines.
  const double foot = cover_height - margin - 110;
  std::vector<std::string> shown_headlines;
  for (const ArticleEntry* story : top_stories(plan, 5)) {
    l = canvas.layout(story->title, headline.family, std::max(headline.weight, 700), 60, width,
                      PANGO_ALIGN_LEFT, 2);
    const double h = Canvas::height(l.get());
    if (y + h > foot && shown_headlines.size() >= 3) break;
    if (y + h > foot) {  // keep three headlines on the cover: smaller, one line each
      l = canvas.layout(story->title, headline.family, std::max(headline.weight, 700), 44, width,
                        PANGO_ALIGN_LEFT, 1);
    }
    canvas.draw(l.get(), margin, y, ink);
    y += Canvas::height(l.get()) + 16;
    canvas.rule(y, 1, grey);
    y += 28;
    shown_headlines.push_back(story->title);
  }

  if (!edition.publisher.empty()) {
    l = canvas.layout(edition.publisher, body.family, 700, 40, width, PANGO_ALIGN_CENTER, 1);
    canvas.draw(l.get(), margin, cover_height - margin - 40 - Canvas::height(l.get()), ink);
  }
  canvas.rule(cover_height - margin - 14, 14, accent);

  auto png = canvas.png();
  if (!png) {
    diagnostics.warning("epub-cover", where,
                        "cannot encode the cover as PNG; the EPUB has no "
                        "cover");
    return std::nullopt;
  }
  cover.png = std::move(*png);
  // The img alt says what the cover says (WCAG 2.1 SC 1.1.1), so the cover loses nothing
  // for a reader who cannot see it.
  const bool arabic = plan.language == "ar";
  cover.alt = title;
  for (const std::string* line : std::initializer_list<const std::string*>{&date, &hijri, &issue})
    if (!line->empty()) cover.alt += (arabic ? "، " : ", ") + *line;
  cover.alt += (arabic ? ". " : ". ") + std::string(plan.labels->top_stories) + ": ";
  for (std::size_t i = 0; i < shown_headlines.size(); ++i)
    cover.alt += (i ? (arabic ? "؛ " : "; ") : "") + shown_headlines[i];
  cover.alt += '.';
  return cover;
}

}  // namespace warraq::epub
