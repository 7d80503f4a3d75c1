// The typesetter: model + layout in, pages of positioned items (frames) out. It never
// draws; the PDF writer and the text dumper both read the frames it emits.
//
// Pango itemises and applies the Unicode bidi algorithm, HarfBuzz (through Pango) shapes;
// the engine owns line breaking (total-fit, with kashida and space stretch), column and
// page flow, and visual reordering of each line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace warraq::typeset {

// ---------------------------------------------------------------------------------------
// Fonts. Only the faces listed in fonts/fonts.list are visible; a family a layout names
// that is not there is an error naming it, never a silent substitute.

struct FontFile {
  std::string family;
  std::string style;  // "Regular", "Bold", ...
  int weight = 400;
  bool italic = false;
  std::filesystem::path path;
  int index = 0;        // face index inside the file
  std::string package;  // Debian package that ships it
  std::string version;  // the font's version string
};

class FontSet {
 public:
  // Reads fonts_dir/fonts.list and builds a private fontconfig configuration from it.
  static std::shared_ptr<FontSet> load(const std::filesystem::path& fonts_dir,
                                       model::Diagnostics& diagnostics);
  ~FontSet();
  // A second handle on the same fonts (same configuration, its own Pango font map), for
  // shaping on another thread: a font map must not be used by two threads at once.
  std::shared_ptr<FontSet> twin() const;
  // This handle's Pango font map (a PangoFontMap*), for drawing with Pango directly (the
  // EPUB cover does, on a twin); the same one-thread rule applies.
  void* pango_font_map() const;
  FontSet(const FontSet&) = delete;
  FontSet& operator=(const FontSet&) = delete;

  const std::vector<FontFile>& files() const;
  bool has_family(const std::string& family) const;
  // The face fontconfig picks for a family, weight and slant (within the private set).
  std::optional<FontFile> match(const std::string& family, int weight, bool italic) const;
  // Reports every family the layout names that the set lacks; true when all are there.
  bool check_layout(const model::Layout& layout, model::Diagnostics& diagnostics) const;

  struct Impl;
  Impl& impl() const { return *impl_; }

 private:
  explicit FontSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------
// Frames: what a page holds, in points, origin top-left, y downwards.

// A font as the frames refer to it: the file, the size, and an opaque handle the drawing
// backends use (a PangoFont, reference-counted).
class FontRef {
 public:
  FontRef() = default;
  explicit FontRef(std::shared_ptr<void> handle, const FontFile* file, double size)
      : handle_(std::move(handle)), file_(file), size_(size) {}
  void* handle() const { return handle_.get(); }  // PangoFont*
  const FontFile* file() const { return file_; }
  double size() const { return size_; }
  friend bool operator==(const FontRef& a, const FontRef& b) { return a.handle_ == b.handle_; }

 private:
  std::shared_ptr<void> handle_;
  const FontFile* file_ = nullptr;
  double size_ = 0;
};

struct Glyph {
  std::uint32_t id = 0;
  double x = 0;  // pen position of the glyph origin on the page
  double y = 0;
  double advance = 0;  // for dumps and extraction reasoning
};

// Maps a run's glyphs back to its source text: clusters in glyph order, each
// covering `bytes` bytes of `text` and `glyphs` glyphs.
struct Cluster {
  int bytes = 0;
  int glyphs = 0;
};

// An elongated join inside a run: the stroke (the font's tatweel glyph, stretched) that
// fills the gap opened between two letters. It is ink, not a character of the source.
struct Kashida {
  std::uint32_t glyph = 0;  // the font's tatweel glyph
  double x = 0;             // left edge of the gap on the page
  double y = 0;             // baseline
  double width = 0;         // width of the gap
  int cluster = 0;          // index (in `clusters`) of the letter the join leaves
};

// A run of glyphs of one font and one bidi level within one line. Glyphs are in visual
// order (left to right), each cluster maps glyphs to source bytes (as Cairo's
// cairo_show_text_glyphs() would take them); how the run is finally emitted (order, splitting) is
// the PDF writer's business, since that is what text extraction depends on.
struct GlyphRun {
  FontRef font;
  model::Color color;
  std::vector<Glyph> glyphs;      // visual order
  std::string text;               // the source characters these glyphs show (logical)
  std::vector<Cluster> clusters;  // glyph order; text consumed from its end when `backward`
  bool backward = false;          // right-to-left run
  int bidi_level = 0;
  int line = 0;           // page-unique line number
  int logical_index = 0;  // position of the run in its line in reading order
  std::vector<Kashida> kashidas;
};

// Ink that is not text: kashida fill drawn as outlines so it never reaches extracted text.
// A glyph whose `advance` is positive is stretched horizontally to that width (a kashida);
// with advance 0 it is drawn as shaped.
struct GlyphOutline {
  FontRef font;
  model::Color color;
  std::vector<Glyph> glyphs;
};

struct Rule {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width = 0.5;
  model::Color color;
};

struct Image {
  std::filesystem::path path;
  double x = 0, y = 0, width = 0, height = 0;
  std::string format;   // "png" or "jpeg", from the file's signature (probe_image)
  int pixel_width = 0;  // from the file's header; checked against max_image_pixels
  int pixel_height = 0;
  std::string alt;  // the figure's text alternative
};

struct LinkArea {
  double x = 0, y = 0, width = 0, height = 0;
  std::string uri;          // external link
  std::string destination;  // internal: a named destination (an article anchor)
};

struct Anchor {  // a named destination, and an outline entry when titled
  std::string name;
  double x = 0, y = 0;
  std::string outline_title;  // empty: no outline entry
  int outline_level = 0;      // 0: section, 1: article
};

// The start or end of a logical structure element (tagged PDF): "Art" around an article's
// part on a page, "H1", "H2", "P", "BlockQuote" around its lines.
struct StructureTag {
  std::string name;
  bool begin = true;
};

struct Item {
  enum class Kind { glyphs, outline, rule, image, link, anchor, tag } kind;
  GlyphRun run;      // glyphs
  GlyphOutline ink;  // outline
  Rule rule;
  Image image;
  LinkArea link;
  Anchor anchor;
  StructureTag tag;
};

// A set line, kept for the text dump: its logical text and its box.
struct LineBox {
  std::string role;         // "body", "headline", ...
  std::string text;         // logical order
  std::string visual_runs;  // "R:...|L:..." runs in visual order with their levels
  double x = 0, baseline = 0, width = 0, natural_width = 0;
  int column = 0;
  double space_stretch = 0;  // ratio of added width to natural inter-word space
  double kashida_width = 0;  // total kashida added on the line, pt
  int kashida_count = 0;
  int kashida_points = 0;        // joins on the line where a kashida was allowed
  double max_space_stretch = 0;  // the layout's limit, for checks
  bool justified = false;
};

struct Page {
  int number = 1;     // 1-based physical page number
  std::string label;  // printed folio
  double width = 0, height = 0;
  std::vector<Item> items;
  std::vector<LineBox> lines;
};

// ---------------------------------------------------------------------------------------
// Typesetting.

struct Options {
  std::optional<model::Justification> justification;  // overrides the layout
  std::optional<model::DigitStyle> digits;            // overrides the layout
};

struct Statistics {
  int pages = 0;
  int lines = 0;
  int justified_lines = 0;
  std::vector<double> space_stretch;  // per justified line: added space / natural space
  int kashidas = 0;
};

// Called with each page as soon as it is finished, so pages need not be held in memory.
using PageSink = std::function<void(Page&&)>;

// Lays out the edition; returns false (with diagnostics) when it cannot.
bool typeset(const model::Edition& edition, const model::Layout& layout, const FontSet& fonts,
             const Options& options, const PageSink& sink, model::Diagnostics& diagnostics,
             Statistics* statistics = nullptr);

// Images. Figures are PNG or JPEG; only the header is read to learn the format and size, so
// an image too large to decode safely is refused before any pixel is touched.

// The most pixels a figure may have (width × height): 40 megapixels, i.e. 160 MB once
// decoded to 32-bit pixels, which is what the PDF writer needs for one image at a time.
inline constexpr std::int64_t max_image_pixels = 40'000'000;

struct ImageInfo {
  std::string format;  // "png" or "jpeg"
  int width = 0;       // pixels
  int height = 0;
};

// Reads the signature and the header (PNG IHDR, JPEG SOFn) of an image file. On failure
// returns nullopt and says why in `error` (missing, unreadable, not PNG/JPEG, truncated,
// zero or over max_image_pixels).
std::optional<ImageInfo> probe_image(const std::filesystem::path& path, std::string& error);

// Sets one justified paragraph in the given role and measure, outside any page flow: the
// lines stacked from y = 0 on the role's leading. For golden tests and tools.
Page set_paragraph(const model::Inlines& text, const std::string& role, double width,
                   const model::Layout& layout, const FontSet& fonts, const Options& options,
                   model::Direction direction = model::Direction::rtl,
                   const std::string& language = "ar");

// A text dump of pages for golden tests: lines, bidi runs, glyph runs, rounded positions.
std::string dump_page(const Page& page, bool with_glyphs);

}  // namespace warraq::typeset
