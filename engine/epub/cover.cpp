// The cover: masthead, the date (Gregorian in the edition's locale, and Hijri), the edition
// number and the top headlines, drawn with Pango on a Cairo image surface and saved as PNG.
//
// Text is set by Pango over the font set's own fontconfig configuration, which holds only
// the files of fonts/fonts.list (the same rule as the typesetter: never the host's fonts),
// through a twin of the font set (its own Pango font map, for this thread), so the cover
// looks the same on every machine and its PNG bytes are reproducible: the PNG has no time
// chunk, and hinting is off so rasterisation does not depend on the FreeType build's
// defaults.
//
// The PNG is encoded in bands of rows, each deflated on its own (Cover::encode_band), so
// that both threads of write_epub can share the work; the bands are cut at fixed rows and
// each is a function of its pixels alone, so the bytes do not depend on who encoded what.
// Rows that repeat the row above (more than half: the paper between the lines) are written
// as deflate blocks of our own instead of going through zlib.
#include <cairo.h>
#include <pango/pangocairo.h>
#include <sys/mman.h>
#include <zlib.h>

#include <algorithm>
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
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  void operator()(cairo_t* c) const { cairo_destroy(c); }
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
  void operator()(PangoContext* c) const { g_object_unref(c); }
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
template <typename T>
using Handle = std::unique_ptr<T, Release>;

constexpr int band_rows = 150;  // 12 bands: enough to share between two threads evenly
constexpr int png_level = 3;    // see Cover::encode_band

}  // namespace

// The surface's memory: 8.6 MB, every byte of which the drawing touches (the background is
// painted). Mapped with a hint for transparent huge pages where the kernel offers them
// ("madvise" mode): 2 MB pages take five page faults instead of 2100 4 KB ones; painting the
// background took 2.3 ms with 4 KB pages and 0.6 ms with 2 MB ones on the benchmark machine.
// Plain heap memory where mmap is refused.
class PixelMemory {
 public:
  explicit PixelMemory(std::size_t size) : size_(size) {
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
    constexpr std::size_t huge = std::size_t{2} << 20;
    mapped_size_ = size + huge;
    void* p =
        mmap(nullptr, mapped_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
      mapping_ = static_cast<unsigned char*>(p);
      // Align to a huge page so the whole surface can be backed by them.
      const auto at = reinterpret_cast<std::uintptr_t>(mapping_);
      data_ = mapping_ + ((huge - at % huge) % huge);
      madvise(data_, size_, MADV_HUGEPAGE);  // a hint: failure only costs time
      return;
    }
#endif
    heap_.reset(new (std::nothrow) unsigned char[size]);
    data_ = heap_.get();
  }
  PixelMemory(const PixelMemory&) = delete;
  PixelMemory& operator=(const PixelMemory&) = delete;
  ~PixelMemory() {
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
    if (mapping_) munmap(mapping_, mapped_size_);
#endif
  }
  unsigned char* data() const { return data_; }

 private:
  std::size_t size_;
  std::size_t mapped_size_ = 0;
  unsigned char* mapping_ = nullptr;
  std::unique_ptr<unsigned char[]> heap_;
  unsigned char* data_ = nullptr;
};

namespace {

// One RAII object for everything the drawing needs: a twin of the font set (the same
// fontconfig configuration, a Pango font map of this thread's own), the Pango context over
// it, the image surface on `pixels` and its Cairo context.
class Canvas {
 public:
  Canvas(const typeset::FontSet& fonts, unsigned char* pixels, int stride, std::string& error) {
    twin_ = fonts.twin();
    auto* font_map = static_cast<PangoFontMap*>(twin_ ? twin_->pango_font_map() : nullptr);
    if (!font_map) {
      error = "cannot create a Pango font map";
      return;
    }
    context_.reset(pango_font_map_create_context(font_map));
    surface_.reset(cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24, cover_width,
                                                       cover_height, stride));
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
    // Drawing objects first (the surface writes its last pixels), the fonts they use last.
    cr_.reset();
    if (surface_) cairo_surface_finish(surface_.get());
    surface_.reset();
    context_.reset();
    twin_.reset();
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

 private:
  std::shared_ptr<typeset::FontSet> twin_;
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
  Cover cover;
  cover.stride_ = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, cover_width);
  cover.pixels_ = std::make_unique<PixelMemory>(static_cast<std::size_t>(cover.stride_) *
                                                static_cast<std::size_t>(cover_height));
  std::string error;
  std::optional<Canvas> canvas_holder;
  if (!cover.pixels_->data())
    error = "out of memory";
  else
    canvas_holder.emplace(fonts, cover.pixels_->data(), cover.stride_, error);
  if (!canvas_holder || !canvas_holder->ok()) {
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
  Canvas& canvas = *canvas_holder;
  cairo_t* cr = canvas.cr();
  cairo_set_source_rgb(cr, 0.99, 0.98, 0.96);
  cairo_paint(cr);

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

  canvas_holder.reset();  // the pixels are complete once the surface is finished
  cover.bands_.resize((cover_height + band_rows - 1) / band_rows);
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

std::uint32_t Cover::pixel(int x, int y) const {
  std::uint32_t value = 0;
  if (pixels_ && pixels_->data() && x >= 0 && x < cover_width && y >= 0 && y < cover_height)
    std::memcpy(&value, pixels_->data() + static_cast<std::size_t>(y) * stride_ + 4 * x, 4);
  return value & 0xFFFFFF;
}

Cover::Cover() = default;
Cover::Cover(Cover&&) noexcept = default;
Cover& Cover::operator=(Cover&&) noexcept = default;
Cover::~Cover() = default;

namespace {

constexpr std::size_t scanline_bytes = 1 + 3 * static_cast<std::size_t>(cover_width);

// Deflate data written by hand, bit by bit, least significant bit first (RFC 1951 §3.1.1).
class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}
  void bits(std::uint32_t value, int count) {
    acc_ |= static_cast<std::uint64_t>(value) << used_;
    used_ += count;
    while (used_ >= 8) {
      out_ += static_cast<char>(acc_ & 0xFF);
      acc_ >>= 8;
      used_ -= 8;
    }
  }
  // Huffman codes are packed starting with their most significant bit.
  void code(std::uint32_t code, int length) {
    std::uint32_t reversed = 0;
    for (int i = 0; i < length; ++i) reversed |= ((code >> i) & 1u) << (length - 1 - i);
    bits(reversed, length);
  }
  // An empty stored block ends the data on a byte boundary, as zlib's Z_SYNC_FLUSH does.
  void align() {
    bits(0, 3);  // BFINAL 0, BTYPE 00
    if (used_ > 0) bits(0, 8 - used_);
    out_.append("\x00\x00\xff\xff", 4);
  }

 private:
  std::string& out_;
  std::uint64_t acc_ = 0;
  int used_ = 0;
};

// A row the same as the one above it is a PNG scanline with the Up filter: filter byte 2,
// then 3600 zero bytes. A run of k such rows is written here as one dynamic-Huffman block
// with a five-symbol alphabet, ~41 bits a row, without zlib reading 3601 bytes a row: more
// than half of the cover's rows are background repeated. Per row: literal 2, literal 0, then
// the other 3599 zeros copied from distance 1, as 13 copies of 258 bytes and one of 245.
static_assert((3 * cover_width - 1) / 258 == 13 && (3 * cover_width - 1) % 258 == 245,
              "the repeated-row block below is laid out for a 1200-pixel-wide cover");
void repeated_rows(std::string& out, int rows) {
  BitWriter w(out);
  w.bits(0, 1);  // BFINAL 0
  w.bits(2, 2);  // BTYPE 10: dynamic Huffman codes
  // Literal/length code lengths: 285 (length 258) 1 bit, literal 0 2 bits, literal 2
  // 3 bits, end of block (256) and 284 (lengths 227-257) 4 bits: a complete code. Canonical
  // codes (RFC 1951 §3.2.2): 285 = 0, 0 = 10, 2 = 110, 256 = 1110, 284 = 1111. Distance
  // codes 0 and 1 (distances 1 and 2), 1 bit each; only distance 1 is used.
  w.bits(286 - 257, 5);  // HLIT: literal/length codes 0..285
  w.bits(2 - 1, 5);      // HDIST: distance codes 0..1
  w.bits(18 - 4, 4);     // HCLEN: code length code lengths for the first 18 in the order below
  // Code length codes used: 1 and 18 2 bits; 0, 2, 3 and 4 3 bits. Canonical: 1 = 00,
  // 18 = 01, 0 = 100, 2 = 101, 3 = 110, 4 = 111. Their lengths, 3 bits each, in the order
  // 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1.
  for (int length : {0, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0, 3, 0, 2}) w.bits(length, 3);
  const auto length_code = [&](int length) {  // a code length, with the code above
    switch (length) {
      case 0:
        w.code(0b100, 3);
        break;
      case 1:
        w.code(0b00, 2);
        break;
      case 2:
        w.code(0b101, 3);
        break;
      case 3:
        w.code(0b110, 3);
        break;
      case 4:
        w.code(0b111, 3);
        break;
    }
  };
  const auto zeros = [&](int n) {  // code 18: 11..138 zero lengths, 7 extra bits
    while (n > 0) {
      const int run = std::min(n, 138);
      w.code(0b01, 2);
      w.bits(static_cast<std::uint32_t>(run - 11), 7);
      n -= run;
    }
  };
  length_code(2);  // literal 0
  length_code(0);  // literal 1
  length_code(3);  // literal 2
  zeros(256 - 3);  // literals 3..255
  length_code(4);  // 256, end of block
  zeros(284 - 257);
  length_code(4);  // 284
  length_code(1);  // 285
  length_code(1);  // distance code 0
  length_code(1);  // distance code 1
  for (int r = 0; r < rows; ++r) {
    w.code(0b110, 3);  // literal 2: the Up filter
    w.code(0b10, 2);   // literal 0
    for (int i = 0; i < 13; ++i) {
      w.code(0b0, 1);  // length 258
      w.code(0b0, 1);  // distance 1
    }
    w.code(0b1111, 4);  // lengths 227..257,
    w.bits(245 - 227, 5);
    w.code(0b0, 1);  // distance 1
  }
  w.code(0b1110, 4);  // end of block
  w.align();
}

// Adler-32 of a repeated row as written (filter byte 2, then zeros).
unsigned long repeated_row_adler() {
  const unsigned char two = 2;
  unsigned long adler = adler32(adler32(0, nullptr, 0), &two, 1);
  static const unsigned char zeros[scanline_bytes - 1] = {};
  return adler32(adler, zeros, static_cast<uInt>(scanline_bytes - 1));
}

// Deflates what zlib has been given and flushes it (Z_FULL_FLUSH, Z_SYNC_FLUSH) or only
// takes it in (Z_NO_FLUSH), appending the output to `out`.
bool run_deflate(z_stream& z, int flush, std::string& out) {
  unsigned char chunk[16 * 1024];
  do {
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    if (deflate(&z, flush) == Z_STREAM_ERROR) return false;
    out.append(reinterpret_cast<const char*>(chunk), sizeof chunk - z.avail_out);
  } while (z.avail_out == 0);  // a full chunk: zlib may have more
  return true;
}

}  // namespace

// Rows band x 150 .. +150 of the picture as PNG scanlines, deflated raw into bytes of their
// own that end on a byte boundary: a band's bytes depend on its pixels only, and the bands'
// data joined in order (then a final empty block) is one valid deflate stream. A row that
// differs from the one above goes to zlib with no filter (filter byte 0, then RGB); at level
// 3 zlib finds the cover's runs of flat colour about as well as libpng's adaptive filters at
// level 6 did (124 KB against 125 KB) in a tenth of the time. A row the same as the one above
// is written by repeated_rows, without zlib; zlib's history is reset around those blocks
// (Z_FULL_FLUSH), since it has not seen the rows they hold.
bool Cover::encode_band(std::size_t band) {
  if (band >= bands_.size() || !pixels_ || !pixels_->data()) return false;
  Band& out = bands_[band];
  const int first = static_cast<int>(band) * band_rows;
  const int last = std::min(cover_height, first + band_rows);
  const auto pixel_row = [&](int y) {
    return pixels_->data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride_);
  };
  const auto repeats = [&](int y) {  // the same as the row above
    return y > 0 && std::memcmp(pixel_row(y), pixel_row(y - 1), 4 * cover_width) == 0;
  };
  std::vector<unsigned char> row(scanline_bytes);
  const auto scanline = [&](int y) {  // filter type None, then RGB
    // CAIRO_FORMAT_RGB24: one native-endian 32-bit word per pixel, 0x00RRGGBB.
    const unsigned char* in = pixel_row(y);
    row[0] = 0;
    for (int x = 0; x < cover_width; ++x) {
      std::uint32_t pixel;
      std::memcpy(&pixel, in + 4 * x, 4);
      row[1 + 3 * x] = static_cast<unsigned char>(pixel >> 16);
      row[2 + 3 * x] = static_cast<unsigned char>(pixel >> 8);
      row[3 + 3 * x] = static_cast<unsigned char>(pixel);
    }
  };
  static const unsigned long repeated_adler = repeated_row_adler();

  z_stream z{};
  bool open = false;     // z is initialised
  bool pending = false;  // z holds rows not flushed yet
  bool fine = true;
  out.deflated.clear();
  out.adler = adler32(0, nullptr, 0);
  out.length = 0;
  for (int y = first; y < last && fine;) {
    if (repeats(y)) {
      int rows = 1;
      while (y + rows < last && repeats(y + rows)) ++rows;
      if (pending) fine = run_deflate(z, Z_FULL_FLUSH, out.deflated);
      pending = false;
      repeated_rows(out.deflated, rows);
      for (int i = 0; i < rows; ++i)
        out.adler =
            adler32_combine(out.adler, repeated_adler, static_cast<z_off_t>(scanline_bytes));
      out.length += static_cast<std::size_t>(rows) * scanline_bytes;
      y += rows;
      continue;
    }
    if (!open) {
      if (deflateInit2(&z, png_level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
      open = true;
      // The row above, when the band starts below a row written with no filter, is what
      // the decoder has just output: zlib may copy from it.
      if (y == first && y > 0 && !repeats(y - 1)) {
        scanline(y - 1);
        fine = deflateSetDictionary(&z, row.data(), static_cast<uInt>(row.size())) == Z_OK;
      }
    }
    scanline(y);
    out.adler = adler32(out.adler, row.data(), static_cast<uInt>(row.size()));
    out.length += row.size();
    z.next_in = row.data();
    z.avail_in = static_cast<uInt>(row.size());
    fine = fine && run_deflate(z, Z_NO_FLUSH, out.deflated);
    pending = true;
    ++y;
  }
  if (fine && pending) fine = run_deflate(z, Z_SYNC_FLUSH, out.deflated);
  if (open) deflateEnd(&z);
  out.done = fine;
  return fine;
}

namespace {

void put32(std::string& out, std::uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(bytes, 4);
}

void put_chunk(std::string& out, const char* type, std::string_view data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out.append(type, 4);
  out.append(data);
  put32(out, static_cast<std::uint32_t>(crc32_z(
                 0, reinterpret_cast<const Bytef*>(out.data() + start), out.size() - start)));
}

}  // namespace

// The PNG: signature, IHDR (8-bit RGB, not interlaced), one IDAT holding the zlib stream
// (header, the bands' deflate data in order, the Adler-32 of all rows), IEND. No ancillary
// chunk: no time, nothing of the host.
std::optional<std::string> Cover::png() const {
  std::size_t size = 0;
  for (const Band& band : bands_) {
    if (!band.done) return std::nullopt;
    size += band.deflated.size();
  }
  std::string idat;
  idat.reserve(size + 8);
  // zlib header: deflate with a 32 KB window, FLEVEL as zlib writes it for the level.
  const unsigned level_flags = png_level < 2 ? 0 : png_level < 6 ? 1 : png_level == 6 ? 2 : 3;
  const unsigned header = (0x78u << 8) | (level_flags << 6);
  idat += static_cast<char>(header >> 8);
  idat += static_cast<char>((header + 31 - header % 31) & 0xFF);
  unsigned long adler = 0;
  for (std::size_t i = 0; i < bands_.size(); ++i) {
    idat += bands_[i].deflated;  // each ends on a byte boundary, with a non-final block
    adler = i == 0
                ? bands_[i].adler
                : adler32_combine(adler, bands_[i].adler, static_cast<z_off_t>(bands_[i].length));
  }
  idat.append("\x03\x00", 2);  // a final, empty block with fixed codes: the stream ends
  put32(idat, static_cast<std::uint32_t>(adler));

  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  put32(ihdr, cover_width);
  put32(ihdr, cover_height);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // depth 8, RGB, deflate, adaptive, none
  put_chunk(out, "IHDR", ihdr);
  put_chunk(out, "IDAT", idat);
  put_chunk(out, "IEND", {});
  return out;
}

}  // namespace warraq::epub
