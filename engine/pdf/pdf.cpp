// PDF writer. Frames become Cairo calls on a PDF surface; Cairo subsets and embeds the
// fonts and writes a ToUnicode map from the clusters we pass, which is what extractors read.
#include "pdf/pdf.hpp"

#include <pango/pangocairo.h>
#include <sys/stat.h>
#include <unistd.h>

#include <langinfo.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "cairo_handles.hpp"
#include "emit.hpp"
#include "io/io.hpp"

// Cairo 1.16 writes every number of a content stream through _cairo_dtostr, which formats
// it with snprintf "%.*f" or "%f" (and "%.18f" for numbers below 0.1) before trimming
// zeros. glibc
// prints doubles with multi-precision arithmetic: on a 100-article edition that was a
// quarter of all the instructions the program ran (callgrind; docs/performance.md). This
// definition in the executable comes before glibc's for Cairo's calls (symbol
// interposition, as with malloc) and formats exactly those shapes with std::to_chars,
// which is correctly rounded like glibc (ties to even on the exact binary value; checked
// equal on 22 million values, ties and negative zero included), so the bytes do not
// change. Every other format, and non-finite values, go to glibc unchanged.
extern "C" int __vsnprintf_chk(char* s, std::size_t maxlen, int flag, std::size_t slen,
                               const char* format, va_list ap) noexcept;
extern "C" [[noreturn]] void __chk_fail() noexcept;

extern "C" int __snprintf_chk(char* __restrict s, std::size_t maxlen, int flag, std::size_t slen,
                              const char* __restrict format, ...) noexcept {
  va_list ap;
  va_start(ap, format);
  int precision = -1;
  double value = 0;
  if (format[0] == '%' && format[1] == 'f' && format[2] == '\0') {
    va_list probe;
    va_copy(probe, ap);
    precision = 6;
    value = va_arg(probe, double);
    va_end(probe);
  } else if (format[0] == '%' && format[1] == '.') {
    if (std::strcmp(format + 2, "*f") == 0) {
      va_list probe;
      va_copy(probe, ap);
      precision = va_arg(probe, int);
      value = va_arg(probe, double);
      va_end(probe);
    } else if (std::strcmp(format + 2, "18f") == 0) {
      va_list probe;
      va_copy(probe, ap);
      precision = 18;
      value = va_arg(probe, double);
      va_end(probe);
    }
  }
  // to_chars always writes '.', printf the locale's decimal point (Cairo looks for it).
  const char* point = nl_langinfo(RADIXCHAR);  // localeconv() cost 3% of all instructions
  if (precision < 0 || precision > 40 || !std::isfinite(value) || point[0] != '.' || point[1]) {
    const int n = __vsnprintf_chk(s, maxlen, flag, slen, format, ap);
    va_end(ap);
    return n;
  }
  va_end(ap);
  if (slen < maxlen) __chk_fail();  // what glibc's checked variant does
  char buf[400];                    // |value| < 1e308 with 40 decimals fits
  const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, precision);
  const auto n = static_cast<std::size_t>(r.ptr - buf);
  if (maxlen > 0) {
    const std::size_t copy = std::min(n, maxlen - 1);
    std::memcpy(s, buf, copy);
    s[copy] = '\0';
  }
  return static_cast<int>(n);
}

namespace warraq::pdf {

namespace {

std::string iso_time(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Cairo's tag attributes are a small language of their own: strings in single quotes with
// backslash escapes.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

cairo_status_t write_to_file(void* closure, const unsigned char* data, unsigned int length) {
  FILE* f = static_cast<FILE*>(closure);
  return std::fwrite(data, 1, length, f) == length ? CAIRO_STATUS_SUCCESS
                                                   : CAIRO_STATUS_WRITE_ERROR;
}

void set_color(cairo_t* cr, const model::Color& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

class Writer {
 public:
  Writer(cairo_surface_t* surface, cairo_t* cr, double width, double height)
      : surface_(surface), cr_(cr), width_(width), height_(height) {}

  void page(typeset::Page&& page) {
    shown_on_page_.clear();
    ink_.begin_page();
    // Only when the size changes: in Cairo 1.16 cairo_pdf_surface_set_size() on a page
    // inside an open structure tag loses the structure tree (and so breaks links, see
    // write_pdf). The surface is created at the layout's page size.
    if (page.width != width_ || page.height != height_) {
      cairo_pdf_surface_set_size(surface_, page.width, page.height);
      width_ = page.width;
      height_ = page.height;
    }
    cairo_pdf_surface_set_page_label(surface_, page.label.c_str());
    // The paper, painted white first. Besides being what the page is, it makes Cairo's
    // page analysis cheap: Cairo adds the box of every drawing operation to a region of
    // the page, and with thousands of small boxes (glyph runs, ink forms) that region's
    // bookkeeping took a third of the run; a first box covering the page ends it.
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_rectangle(cr_, 0, 0, page.width, page.height);
    cairo_fill(cr_);
    cairo_restore(cr_);
    // Runs are emitted a line at a time: the order inside a line is what extraction reads.
    std::vector<const typeset::GlyphRun*> line;
    int current = -1;
    auto flush = [&] {
      if (!line.empty()) emit_line(cr_, ink_, line);
      line.clear();
    };
    for (const typeset::Item& item : page.items) {
      if (item.kind == typeset::Item::Kind::glyphs) {
        if (item.run.line != current) flush();
        current = item.run.line;
        line.push_back(&item.run);
      } else if (item.kind == typeset::Item::Kind::tag) {
        flush();  // a structure element holds whole lines
        current = -1;
        if (item.tag.begin)
          cairo_tag_begin(cr_, item.tag.name.c_str(), "");
        else
          cairo_tag_end(cr_, item.tag.name.c_str());
      } else {
        draw(item);
      }
    }
    flush();
    cairo_show_page(cr_);
    ++pages_;
  }

  int pages() const { return pages_; }

 private:
  void draw(const typeset::Item& item) {
    switch (item.kind) {
      case typeset::Item::Kind::glyphs:
      case typeset::Item::Kind::tag:
        break;  // drawn a line at a time by emit_line(); tags in page()
      case typeset::Item::Kind::outline:
        ink_.draw(cr_, item.ink.font, item.ink.color, item.ink.glyphs);
        break;
      case typeset::Item::Kind::rule:
        set_color(cr_, item.rule.color);
        cairo_set_line_width(cr_, item.rule.width);
        cairo_move_to(cr_, item.rule.x0, item.rule.y0);
        cairo_line_to(cr_, item.rule.x1, item.rule.y1);
        cairo_stroke(cr_);
        break;
      case typeset::Item::Kind::image:
        draw_image(item.image);
        break;
      case typeset::Item::Kind::link: {
        const auto& l = item.link;
        std::string attrs = "rect=[" + number(l.x) + " " + number(l.y) + " " + number(l.width) +
                            " " + number(l.height) + "] ";
        attrs += l.destination.empty() ? "uri=" + quote(l.uri) : "dest=" + quote(l.destination);
        cairo_tag_begin(cr_, CAIRO_TAG_LINK, attrs.c_str());
        cairo_tag_end(cr_, CAIRO_TAG_LINK);
        break;
      }
      case typeset::Item::Kind::anchor: {
        const auto& a = item.anchor;
        const std::string attrs =
            "name=" + quote(a.name) + " x=" + number(a.x) + " y=" + number(a.y);
        cairo_tag_begin(cr_, CAIRO_TAG_DEST, attrs.c_str());
        cairo_tag_end(cr_, CAIRO_TAG_DEST);
        if (!a.outline_title.empty()) {
          const int parent = a.outline_level == 0 || section_outline_ == 0 ? CAIRO_PDF_OUTLINE_ROOT
                                                                           : section_outline_;
          const int id = cairo_pdf_surface_add_outline(surface_, parent, a.outline_title.c_str(),
                                                       ("dest=" + quote(a.name)).c_str(),
                                                       CAIRO_PDF_OUTLINE_FLAG_OPEN);
          if (a.outline_level == 0) section_outline_ = id;
        }
        break;
      }
    }
  }

  // The image as a Cairo surface, made once per file for the document. A JPEG is handed to
  // Cairo as it is (CAIRO_MIME_TYPE_JPEG): the PDF embeds the file's bytes as a DCTDecode
  // stream, never re-encoded. The surface under it only gives Cairo the size; its pixels
  // are never written out. A PNG is decoded by Cairo. The typesetter has checked format and
  // pixel count from the header (typeset::probe_image) before anything gets here.
  cairo_surface_t* image_surface(const typeset::Image& image) {
    const std::string path = image.path.string();
    // Cairo 1.16 lists a shared XObject twice in a page's resources when the same surface
    // is painted twice on one page ("duplicated key" in qpdf --check). The n-th showing on
    // a page therefore uses the file's n-th surface: pages still share the first one.
    const int occurrence = shown_on_page_[path]++;
    const std::string key = occurrence == 0 ? path : path + "#" + std::to_string(occurrence);
    if (auto found = images_.find(key); found != images_.end()) return found->second.get();
    SurfacePtr surface;
    if (image.format == "jpeg") {
      std::FILE* f = std::fopen(path.c_str(), "rb");
      std::vector<unsigned char> bytes;
      if (f) {
        unsigned char buf[65536];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
          bytes.insert(bytes.end(), buf, buf + n);
        std::fclose(f);
      }
      surface.reset(
          cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.pixel_width, image.pixel_height));
      auto* owned = new std::vector<unsigned char>(std::move(bytes));
      const cairo_status_t status = cairo_surface_set_mime_data(
          surface.get(), CAIRO_MIME_TYPE_JPEG, owned->data(), owned->size(),
          [](void* data) { delete static_cast<std::vector<unsigned char>*>(data); }, owned);
      if (status != CAIRO_STATUS_SUCCESS) delete owned;
    } else {
      surface.reset(cairo_image_surface_create_from_png(path.c_str()));
    }
    // One XObject per file however often it is shown.
    auto* id = new std::string(key);
    if (cairo_surface_set_mime_data(
            surface.get(), CAIRO_MIME_TYPE_UNIQUE_ID,
            reinterpret_cast<const unsigned char*>(id->data()), id->size(),
            [](void* data) { delete static_cast<std::string*>(data); }, id) != CAIRO_STATUS_SUCCESS)
      delete id;
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS && failed_image_.empty())
      failed_image_ = key + ": " + cairo_status_to_string(cairo_surface_status(surface.get()));
    return images_.emplace(key, std::move(surface)).first->second.get();
  }

  void draw_image(const typeset::Image& image) {
    if (image.width <= 0 || image.height <= 0) return;
    cairo_surface_t* surface = image_surface(image);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) return;
    const int pw = cairo_image_surface_get_width(surface);
    const int ph = cairo_image_surface_get_height(surface);
    if (pw <= 0 || ph <= 0) return;
    cairo_save(cr_);
    cairo_translate(cr_, image.x, image.y);
    cairo_scale(cr_, image.width / pw, image.height / ph);
    cairo_set_source_surface(cr_, surface, 0, 0);
    cairo_rectangle(cr_, 0, 0, pw, ph);
    cairo_fill(cr_);
    cairo_restore(cr_);
  }

 public:
  // An image Cairo could not read (a PNG that is corrupt past its header), for the report.
  const std::string& failed_image() const { return failed_image_; }

 private:
  cairo_surface_t* surface_;
  cairo_t* cr_;
  double width_, height_;
  std::map<std::string, SurfacePtr> images_;
  std::map<std::string, int> shown_on_page_;
  InkForms ink_;
  std::string failed_image_;
  int pages_ = 0;
  int section_outline_ = 0;
};

// Drawing runs beside typesetting: the typesetter hands each finished page to a second
// thread that makes the Cairo calls, so composing page N+1 and writing page N (Cairo's
// content stream formatting and deflate, most of the time) use both cores. Cairo sees
// exactly the calls, in exactly the order, that one thread would make, so the bytes are
// the same. A few pages at most wait in the queue, so a long edition is still never held
// whole (ARCHITECTURE.md, Frames).
//
// Fonts: the typesetter's thread creates each font's Cairo scaled font (Pango makes it
// lazily and unguarded) before the page is queued, and keeps a reference to every font it
// queued until drawing is over, so the last unreference of a Pango font, which touches the
// font map, never happens on the drawing thread while the typesetter still uses the map.
class PagePipe {
 public:
  explicit PagePipe(std::size_t depth) : depth_(depth) {}

  void push(typeset::Page&& page) {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [&] { return pages_.size() < depth_ || failed_; });
    if (failed_) return;  // the drawer stopped: nothing more is drawn, write_pdf reports it
    pages_.push_back(std::move(page));
    ready_.notify_one();
  }
  std::optional<typeset::Page> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !pages_.empty() || closed_; });
    if (pages_.empty()) return std::nullopt;
    typeset::Page page = std::move(pages_.front());
    pages_.pop_front();
    space_.notify_one();
    return page;
  }
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  void fail() {
    std::lock_guard<std::mutex> lock(mutex_);
    failed_ = true;
    pages_.clear();
    space_.notify_all();
  }

 private:
  std::size_t depth_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<typeset::Page> pages_;
  bool closed_ = false, failed_ = false;
};

// Runs `draw` on every page pushed, on its own thread, until close_and_join().
class Drawer {
 public:
  explicit Drawer(Writer& writer)
      : pipe_(2), thread_([this, &writer] {
          try {
            while (auto page = pipe_.pop()) writer.page(std::move(*page));
          } catch (...) {
            error_ = std::current_exception();
            pipe_.fail();
          }
        }) {}
  ~Drawer() {
    if (!thread_.joinable()) return;  // unwinding from the typesetter: finish, drop errors
    pipe_.close();
    thread_.join();
  }
  Drawer(const Drawer&) = delete;
  Drawer& operator=(const Drawer&) = delete;

  void push(typeset::Page&& page) {
    for (const typeset::Item& item : page.items) {
      if (item.kind == typeset::Item::Kind::glyphs)
        hold(item.run.font);
      else if (item.kind == typeset::Item::Kind::outline)
        hold(item.ink.font);
    }
    pipe_.push(std::move(page));
  }
  // Waits for every queued page to be drawn; rethrows what the drawing thread threw.
  void close_and_join() {
    if (!thread_.joinable()) return;
    pipe_.close();
    thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void hold(const typeset::FontRef& font) {
    auto* pango_font = static_cast<PangoFont*>(font.handle());
    if (!pango_font || !held_.emplace(pango_font, font).second) return;
    pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(pango_font));
  }

  PagePipe pipe_;
  std::exception_ptr error_;
  std::map<PangoFont*, typeset::FontRef> held_;  // released after the join
  std::thread thread_;                           // last: started once the rest exists
};

}  // namespace

bool write_pdf(const model::Edition& edition, const model::Layout& layout,
               const typeset::FontSet& fonts, const Options& options,
               const std::filesystem::path& output, model::Diagnostics& diagnostics,
               Result* result) {
  const model::SourceLocation where{output.string()};
  io::AtomicFile temporary(output);
  if (!temporary.stream()) {
    diagnostics.error("output-unwritable", where, "cannot create the output: " + temporary.error());
    return false;
  }
  bool ok = true;
  typeset::Statistics statistics;
  int pages = 0;
  {
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(write_to_file, temporary.stream(),
                                                           layout.page_width, layout.page_height));
    cairo_pdf_surface_restrict_to_version(surface.get(), CAIRO_PDF_VERSION_1_5);
    const std::string date = iso_time(options.creation_time);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, edition.title.c_str());
    if (!edition.publisher.empty())
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                     edition.publisher.c_str());
    cairo_pdf_surface_set_metadata(
        surface.get(), CAIRO_PDF_METADATA_SUBJECT,
        (edition.title + (edition.number.empty() ? "" : " " + edition.number) + " — " +
         edition.date.iso())
            .c_str());
    // Keywords: the edition's section names, what a library catalogue or a search index
    // files the edition under. The subject carries the edition number when it has one.
    std::string keywords;
    for (const auto& section : edition.sections)
      keywords += (keywords.empty() ? "" : ", ") + section.name;
    if (!keywords.empty())
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_KEYWORDS, keywords.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR,
                                   "Warraq " WARRAQ_VERSION);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
    ContextPtr cr(cairo_create(surface.get()));
    Writer writer(surface.get(), cr.get(), layout.page_width, layout.page_height);
    // One structure element around the whole document. Tagged structure is what Cairo 1.16
    // allows; it is also what makes links valid there: without a structure tree, Cairo 1.16
    // gives each link annotation a /StructParent into a parent tree whose elements it never
    // writes, and qpdf reports the file as damaged.
    cairo_tag_begin(cr.get(), "Document", "");
    {
      Drawer drawer(writer);
      ok = typeset::typeset(
          edition, layout, fonts, options.typesetting,
          [&](typeset::Page&& page) { drawer.push(std::move(page)); }, diagnostics, &statistics);
      drawer.close_and_join();
    }
    cairo_tag_end(cr.get(), "Document");
    pages = writer.pages();
    if (ok && !writer.failed_image().empty()) {
      diagnostics.error("bad-image", where, "cannot decode the image " + writer.failed_image());
      ok = false;
    }
    // A bad drawing call puts the context, not the surface, into an error state, after
    // which Cairo silently ignores everything: check both.
    if (ok && cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      diagnostics.error("pdf-write", where,
                        std::string("Cairo could not draw the PDF: ") +
                            cairo_status_to_string(cairo_status(cr.get())));
      ok = false;
    }
    cairo_surface_finish(surface.get());
    if (ok && cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
      diagnostics.error("pdf-write", where,
                        std::string("Cairo could not write the PDF: ") +
                            cairo_status_to_string(cairo_surface_status(surface.get())));
      ok = false;
    }
  }
  if (!ok) return false;
  if (!temporary.commit()) {
    diagnostics.error("output-unwritable", where, "cannot write the output: " + temporary.error());
    return false;
  }
  if (result) {
    result->pages = pages;
    result->statistics = std::move(statistics);
  }
  return true;
}

}  // namespace warraq::pdf
