// PDF writer. Frames become Cairo calls on a PDF surface; Cairo subsets and embeds the
// fonts and writes a ToUnicode map from the clusters we pass, which is what extractors read.
#include "pdf/pdf.hpp"

#include <pango/pangocairo.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <algorithm>
#include <map>
#include <vector>

#include "cairo_handles.hpp"
#include "emit.hpp"

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

// The output file: written under a temporary name in the target folder, renamed over the
// target only when the whole document is complete.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& target) : target_(target) {
    const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    std::string pattern = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      error_ = std::strerror(errno);
      return;
    }
    // mkstemp makes the file private; a published edition is readable like any output.
    ::fchmod(fd, 0644);
    path_ = pattern;
    file_ = ::fdopen(fd, "wb");
  }
  ~TemporaryFile() {
    if (file_) std::fclose(file_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  FILE* file() const { return file_; }
  const std::string& error() const { return error_; }
  bool commit() {
    if (std::fflush(file_) != 0 || std::fclose(file_) != 0) {
      file_ = nullptr;
      error_ = std::strerror(errno);
      return false;
    }
    file_ = nullptr;
    std::error_code ec;
    std::filesystem::rename(path_, target_, ec);
    if (ec) {
      error_ = ec.message();
      return false;
    }
    path_.clear();
    return true;
  }

 private:
  std::filesystem::path target_;
  std::string path_;
  FILE* file_ = nullptr;
  std::string error_;
};

cairo_status_t write_to_file(void* closure, const unsigned char* data, unsigned int length) {
  FILE* f = static_cast<FILE*>(closure);
  return std::fwrite(data, 1, length, f) == length ? CAIRO_STATUS_SUCCESS
                                                    : CAIRO_STATUS_WRITE_ERROR;
}

void set_color(cairo_t* cr, const model::Color& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

class Writer {
 public:
  Writer(cairo_surface_t* surface, cairo_t* cr) : surface_(surface), cr_(cr) {}

  void page(typeset::Page&& page) {
    cairo_pdf_surface_set_size(surface_, page.width, page.height);
    cairo_pdf_surface_set_page_label(surface_, page.label.c_str());
    // Runs are emitted a line at a time: the order inside a line is what extraction reads.
    std::vector<const typeset::GlyphRun*> line;
    int current = -1;
    auto flush = [&] {
      if (!line.empty()) emit_line(cr_, line);
      line.clear();
    };
    for (const typeset::Item& item : page.items) {
      if (item.kind == typeset::Item::Kind::glyphs) {
        if (item.run.line != current) flush();
        current = item.run.line;
        line.push_back(&item.run);
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
        break;  // drawn a line at a time by emit_line()
      case typeset::Item::Kind::outline:
        draw_outlines(cr_, item.ink.font, item.ink.color, item.ink.glyphs);
        break;
      case typeset::Item::Kind::rule:
        set_color(cr_, item.rule.color);
        cairo_set_line_width(cr_, item.rule.width);
        cairo_move_to(cr_, item.rule.x0, item.rule.y0);
        cairo_line_to(cr_, item.rule.x1, item.rule.y1);
        cairo_stroke(cr_);
        break;
      case typeset::Item::Kind::image:
        break;  // figures arrive with the composition work
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
          const int parent = a.outline_level == 0 || section_outline_ == 0
                                 ? CAIRO_PDF_OUTLINE_ROOT
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

  cairo_surface_t* surface_;
  cairo_t* cr_;
  int pages_ = 0;
  int section_outline_ = 0;
};

}  // namespace

bool write_pdf(const model::Edition& edition, const model::Layout& layout,
               const typeset::FontSet& fonts, const Options& options,
               const std::filesystem::path& output, model::Diagnostics& diagnostics,
               Result* result) {
  const model::SourceLocation where{output.string()};
  TemporaryFile temporary(output);
  if (!temporary.file()) {
    diagnostics.error("output-unwritable", where, "cannot create the output: " + temporary.error());
    return false;
  }
  bool ok = true;
  typeset::Statistics statistics;
  int pages = 0;
  {
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(write_to_file, temporary.file(),
                                                           layout.page_width, layout.page_height));
    cairo_pdf_surface_restrict_to_version(surface.get(), CAIRO_PDF_VERSION_1_5);
    const std::string date = iso_time(options.creation_time);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, edition.title.c_str());
    if (!edition.publisher.empty())
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                     edition.publisher.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_SUBJECT,
                                   (edition.title + " — " + edition.date.iso()).c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR,
                                   "Warraq " WARRAQ_VERSION);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
    ContextPtr cr(cairo_create(surface.get()));
    Writer writer(surface.get(), cr.get());
    ok = typeset::typeset(edition, layout, fonts, options.typesetting,
                          [&](typeset::Page&& page) { writer.page(std::move(page)); }, diagnostics,
                          &statistics);
    pages = writer.pages();
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
