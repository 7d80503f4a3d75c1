// Private to the EPUB stage: the plan of a digest (which files, in which order, with which
// ids) and the sub-stages that turn it into documents. epub.cpp reads as the pipeline:
// plan → documents (collecting the code points shown) → cover → fonts → stylesheet →
// package documents → archive → atomic write.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "typeset/typeset.hpp"
#include "xml_writer.hpp"
#include "zip_archive.hpp"

namespace warraq::epub {

// Fixed strings the digest shows, in the edition's language (Arabic, else English).
struct Labels {
  std::string_view contents;
  std::string_view landmarks;
  std::string_view cover;
  std::string_view start;
  std::string_view related;
  std::string_view issue;        // "العدد" before the edition number
  std::string_view top_stories;  // cover: above the headlines
  std::string_view summary;      // schema:accessibilitySummary
  std::string_view quote_dash;   // before a quote's attribution
};
const Labels& labels_for(std::string_view language);

// A file inside OEBPS/ with its manifest entry.
struct Resource {
  std::string href;  // relative to OEBPS/: "text/a001.xhtml"
  std::string id;    // manifest id
  std::string media_type;
  std::string properties;  // manifest properties ("nav", "cover-image"), may be empty
  std::string bytes;
};

// Images the articles show, copied into OEBPS/images/ once each, in first-use order.
class ImageStore {
 public:
  // The href (relative to OEBPS/) of the image at `path`, copying it in on first use;
  // nullopt with a warning when it cannot be read or is not an EPUB core media type.
  std::optional<std::string> add(const std::filesystem::path& path,
                                 const model::SourceLocation& where,
                                 model::Diagnostics& diagnostics);
  std::vector<Resource>& resources() { return resources_; }

 private:
  std::map<std::filesystem::path, std::optional<std::string>> seen_;
  std::vector<Resource> resources_;
};

struct ArticleEntry {
  const model::Article* article = nullptr;
  std::string href;            // "text/a001.xhtml"
  std::string id;              // manifest id "a001"
  std::string anchor;          // id of the <article> element: the article's id when usable
  std::string title;           // headline as plain text (digits as shown)
  std::string section_anchor;  // id of the section label this page opens with, or empty
  std::string section_name;    // shown above the first article of a named section
};

struct SectionEntry {
  std::string name;                   // empty: the articles appear without a section level
  std::string anchor_href;            // "text/a001.xhtml#s1"
  std::vector<std::size_t> articles;  // indexes into Plan::articles
};

struct Plan {
  const model::Edition* edition = nullptr;
  const model::Layout* layout = nullptr;
  std::string lang;      // BCP 47 tag for lang / xml:lang / dc:language
  std::string language;  // primary subtag
  std::string dir;       // "rtl" or "ltr"
  model::DigitStyle digits = model::DigitStyle::western;
  const Labels* labels = nullptr;
  std::string identifier;  // urn:uuid:…
  std::string modified;    // dcterms:modified, YYYY-MM-DDThh:mm:ssZ
  std::string title;       // edition title as shown
  bool has_cover = false;
  std::vector<ArticleEntry> articles;
  std::vector<SectionEntry> sections;
  // Article id → its page and anchor relative to text/ ("a002.xhtml#bostyn-profile"), for
  // links inside the edition ("#bostyn-profile").
  std::map<std::string, std::string> anchors;
};

Plan make_plan(const model::Edition& edition, const model::Layout& layout, model::DigitStyle digits,
               std::int64_t modified_time);

// ---------------------------------------------------------------------------------------
// Text helpers (text.cpp).

// Text as the digest shows it: ASCII digits become Arabic-Indic when the plan asks and the
// run is not in a left-to-right language.
std::string shown_text(const Plan& plan, std::string_view text, bool latin_run = false);
// A link target kept in the output: http, https or mailto only, percent-encoded where a
// URL may not hold the byte; nullopt for anything else (javascript:, data:, relative...).
std::optional<std::string> safe_href(std::string_view href);
// safe_href, plus "#id" links to another article of the edition, made relative to text/.
std::optional<std::string> content_href(const Plan& plan, std::string_view href);
// True for a plausible BCP 47 tag (letters, digits, hyphens; starts with a letter).
bool is_language_tag(std::string_view tag);
// True when the language is written right to left (ar, fa, ur, he, ...).
bool is_rtl_language(std::string_view tag);
// True when `id` can be an XML ID (an NCName of ASCII letters, digits, '-', '_', '.').
bool is_xml_id(std::string_view id);
// "2024-11-25T00:00:00Z".
std::string iso_timestamp(std::int64_t unix_seconds);

// ---------------------------------------------------------------------------------------
// Documents (xhtml.cpp). Every XHTML document carries lang, xml:lang and dir on <html>.

constexpr std::string_view stylesheet_href = "css/digest.css";

// Dates as datelines show them, formatted once per distinct date: ICU builds a formatter
// for every call (~0.1 ms, times each article of a long edition).
class DateTexts {
 public:
  const std::string& shown(const Plan& plan, const model::Date& date);

 private:
  std::map<std::string, std::string> by_iso_;
};

std::string article_document(const Plan& plan, const ArticleEntry& entry, ImageStore& images,
                             DateTexts& dates, CodePoints& shown, model::Diagnostics& diagnostics);
std::string nav_document(const Plan& plan, CodePoints& shown);
std::string cover_document(const Plan& plan, std::string_view image_href, std::string_view alt);

// Package documents (package.cpp).
std::string container_document();
std::string ncx_document(const Plan& plan);
std::string package_document(const Plan& plan, const std::vector<Resource>& manifest,
                             const std::vector<std::string>& spine_ids);

// ---------------------------------------------------------------------------------------
// Fonts (fonts.cpp) and stylesheet (stylesheet.cpp).

struct EmbeddedFont {
  std::string family;  // family name the stylesheet uses
  int weight = 400;
  bool italic = false;
  Resource resource;  // OEBPS/fonts/…
  Deflated deflated;  // resource.bytes as the archive holds them
  std::uintmax_t whole_bytes = 0;
};

// A face the stylesheet asks for.
struct FaceRequest {
  std::string family;
  int weight = 400;
  bool italic = false;
  friend bool operator==(const FaceRequest&, const FaceRequest&) = default;
};
// Every face the stylesheet's rules can select for the digest's text, in a fixed order.
std::vector<FaceRequest> stylesheet_faces(const Plan& plan);

// Embedding in three steps, so that subsetting, the costly part, can run on any thread:
// plan_fonts resolves the faces the stylesheet selects through the font set (never the
// host's fonts), one job per file; subset_font subsets one job's file to `shown` and
// deflates the result (thread-safe: it writes only its job); embedded_fonts gathers the
// results in the plan's order and reports a family the set lacks or a failed subset.
struct FontJob {
  FaceRequest request;
  std::optional<typeset::FontFile> file;  // nullopt: the family is not in the font set
  std::optional<std::string> bytes;       // the subset, once subset_font has run
  std::optional<Deflated> deflated;
  std::string error;
};
std::vector<FontJob> plan_fonts(const Plan& plan, const typeset::FontSet& fonts);
void subset_font(const CodePoints& shown, FontJob& job);
std::vector<EmbeddedFont> embedded_fonts(const Plan& plan, std::vector<FontJob>& jobs,
                                         model::Diagnostics& diagnostics);

std::string stylesheet(const Plan& plan, const std::vector<EmbeddedFont>& fonts);

// ---------------------------------------------------------------------------------------
// Cover (cover.cpp): a PNG drawn with Cairo and Pango from the font set only.

class PixelMemory;

// A drawn cover: its pixels, then its PNG, encoded band by band. draw_cover draws on one
// thread; encode_band may then run on any thread, one call per band (distinct bands on
// distinct threads at once); png() joins the bands once all are encoded.
class Cover {
 public:
  Cover();
  Cover(Cover&&) noexcept;
  Cover& operator=(Cover&&) noexcept;
  ~Cover();

  std::size_t band_count() const { return bands_.size(); }
  bool encode_band(std::size_t band);
  std::optional<std::string> png() const;
  // The drawn pixel at (x, y) as 0xRRGGBB, what the PNG must decode to.
  std::uint32_t pixel(int x, int y) const;

  std::string alt;  // the cover's text, for the img alt

 private:
  friend std::optional<Cover> draw_cover(const Plan&, const typeset::FontSet&, model::Diagnostics&);
  struct Band {
    std::string deflated;  // raw deflate data, byte-aligned at the end
    unsigned long adler = 1;
    std::size_t length = 0;  // bytes before deflating: rows of a filter byte and RGB
    bool done = false;
  };
  std::unique_ptr<PixelMemory> pixels_;
  int stride_ = 0;
  std::vector<Band> bands_;
};
std::optional<Cover> draw_cover(const Plan& plan, const typeset::FontSet& fonts,
                                model::Diagnostics& diagnostics);

}  // namespace warraq::epub
