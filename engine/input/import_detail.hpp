// Private to the input stage: what the importers (scraped text, NITF, RSS, Atom) share —
// inline building with the native reader's whitespace rules, encodings, namespaces, ids,
// dates and the HTML body converter.
#pragma once

#include <tinyxml2.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "input/detail.hpp"
#include "input/input.hpp"
#include "model/model.hpp"

namespace warraq::input::import {

using detail::append_span;
using detail::InlineAttributes;

// Where importers report: the diagnostics sink, the file, and the optional list of what was
// left out on purpose.
struct Sink {
  model::Diagnostics& diagnostics;
  std::string file;
  std::vector<Dropped>* dropped = nullptr;

  void error(std::string code, int line, std::string message, int column = 0) const {
    diagnostics.error(std::move(code), {file, line, column}, std::move(message));
  }
  void warning(std::string code, int line, std::string message) const {
    diagnostics.warning(std::move(code), {file, line, 0}, std::move(message));
  }
  void drop(int line, std::string what) const {
    if (dropped) dropped->push_back({{file, line, 0}, std::move(what)});
  }
};

// ----- inline text -----------------------------------------------------------------------

// Builds model::Inlines from pieces of text the way the native reader does (docs/format.md,
// "Text normalisation"): whitespace runs collapse to one space across element edges, none
// at the ends or beside a line break, adjacent spans with equal attributes merge. So an
// imported article written out as native XML reads back as the same model.
class InlineBuilder {
 public:
  explicit InlineBuilder(std::string file = {}) : file_(std::move(file)) {}
  void text(std::string_view text, const InlineAttributes& attributes, int line);
  void line_break(const InlineAttributes& attributes, int line);
  // Whether a line break was the last thing added (two in a row end a paragraph in HTML).
  bool ends_with_break() const;
  void drop_trailing_break();
  bool empty() const;
  model::Inlines take();

 private:
  void emit(std::string_view text, const InlineAttributes& a, int line);
  std::string file_;
  model::Inlines spans_;
  bool at_line_start_ = true;
  bool pending_space_ = false;
  InlineAttributes space_attributes_;
  int space_line_ = 0;
};

// Whitespace as the native reader sees it (XML S plus HTML's form feed): the characters that
// collapse. U+00A0 and other Unicode spaces are content and stay byte-exact.
bool is_collapsible_space(char c);
// Collapses whitespace runs to one space and trims; drops C0 controls XML cannot carry.
std::string clean_text(std::string_view text);

// ----- encodings and XML -----------------------------------------------------------------

// The encoding named in an XML declaration (`<?xml ... encoding="X"?>`), or empty.
std::string declared_encoding(std::string_view bytes);

// Converts bytes to UTF-8 from the XML declaration's encoding (ISO-8859-1, Windows-1256, any
// that iconv knows); UTF-8 input is checked. Newlines map one to one, so lines stay right.
// Reports [unsupported-encoding], [bad-encoding] or [invalid-utf8] (line:column).
std::optional<std::string> xml_to_utf8(std::string bytes, const Sink& sink);

// Element names are matched by namespace, not by prefix: feeds bind content:, dc: and media:
// to any prefix, and NITF comes with and without its namespace.
// The local part of an element's name ("content:encoded" -> "encoded").
std::string_view local_name(const tinyxml2::XMLElement* element);
// The namespace URI bound to the element's prefix (or the default namespace), or empty.
std::string namespace_uri(const tinyxml2::XMLElement* element);
// True when the element is `local` in namespace `uri` (empty uri: no namespace at all).
bool is(const tinyxml2::XMLElement* element, std::string_view uri, std::string_view local);
// First child element that `is` (uri, local), or nullptr.
const tinyxml2::XMLElement* child(const tinyxml2::XMLElement* parent, std::string_view uri,
                                  std::string_view local);
// The text inside an element and its descendants (kept-space markers removed), collapsed.
std::string element_text(const tinyxml2::XMLElement* element);
// The text as written, descendants included, markers removed, not collapsed (HTML bodies).
std::string raw_text(const tinyxml2::XMLElement* element);
// An attribute by local name, whatever its prefix (xml:lang, lang).
const char* attribute(const tinyxml2::XMLElement* element, std::string_view local);

// ----- ids, sections and figures -----------------------------------------------------------

// An ASCII NCName from a guid, link, doc-id or file name: the last path segment of a URL
// without its extension, lower-cased, other characters as '-'. Empty when nothing is left.
std::string slug(std::string_view text);
// `slug(text)`, else "article-" + 8 hex digits of FNV-1a of `fallback` (stable across runs).
std::string article_id(std::string_view text, std::string_view fallback);
// Languages written right to left (primary subtag).
bool is_rtl_language(std::string_view tag);
// Lower-cases and checks a language tag from a feed ("ar-ma" -> "ar-MA"); empty if bad.
std::string normalise_locale(std::string_view tag);
// The name of the section for articles whose source names none.
std::string default_section_name(std::string_view locale);

// An image source as a feed or NITF file names it: a relative path inside the input's folder
// that exists becomes a path for model::Figure; URLs are left out (Warraq never fetches),
// javascript:/data: refused. A missing file is a warning when `warn_missing` (NITF packages
// ship their images beside the file); in feeds a relative URL is the web site's, so it is
// only listed as dropped.
std::optional<std::string> local_image(std::string_view src, const std::filesystem::path& base,
                                       const Sink& sink, int line, bool warn_missing);

// ----- dates -----------------------------------------------------------------------------

// RFC 822 §5 as updated by RFC 1123 §5.2.14 ("Mon, 25 Nov 2024 08:30:00 +0100"): the date
// as written, in the publisher's own zone. nullopt on anything else.
std::optional<model::Date> parse_rfc822(std::string_view text);
// RFC 3339 §5.6 date-time ("2024-11-25T08:30:00+01:00"), or a full-date alone.
std::optional<model::Date> parse_rfc3339(std::string_view text);
// ISO 8601 basic or extended, as NITF's norm attributes carry it ("20241125T083000+0100").
std::optional<model::Date> parse_iso8601(std::string_view text);

// A date written in Arabic prose: «الاثنين 25 نونبر 2024», «٢٥ نوفمبر ٢٠٢٤», «25 تشرين
// الثاني 2024». `locale` gets the locale whose month names the text uses (ar-MA, ar-EG,
// ar-DZ, ar-SY) when it tells.
struct ProseDate {
  model::Date date;
  std::string locale;
};
std::optional<ProseDate> find_prose_date(std::string_view text);

// ----- HTML bodies -------------------------------------------------------------------------

struct HtmlOptions {
  const Sink* sink = nullptr;
  std::filesystem::path base;  // the input's folder, for relative image paths
  int line = 1;                // the line of the input where the HTML starts
};

// Parses untrusted HTML (gumbo, HTML5) into body blocks: paragraphs, subheadings, quotes,
// lists, figures, with emphasis, links, language runs and line breaks. Everything else is
// left out and listed in the sink's dropped list.
std::vector<model::Block> html_blocks(std::string_view html, const HtmlOptions& options);
// The text of an HTML fragment (titles with markup or entities), collapsed.
std::string html_text(std::string_view html);

// ----- the importers ------------------------------------------------------------------------

std::optional<model::Edition> import_scraped(const std::string& bytes,
                                             const std::filesystem::path& name, const Sink& sink);
std::optional<model::Edition> import_nitf(const std::string& bytes,
                                          const std::filesystem::path& name, const Sink& sink);
std::optional<model::Edition> import_feed(const std::string& bytes,
                                          const std::filesystem::path& name, Format format,
                                          const Sink& sink);

// Sets the edition's date from its articles (the latest) and its direction from its locale;
// reports [missing-date] when no article has one.
bool finish_edition(model::Edition& edition, const Sink& sink);

}  // namespace warraq::input::import
