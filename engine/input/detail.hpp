// Private to the input stage: the XML plumbing shared by the edition and layout readers.
// Only this stage includes tinyxml2 (ENGINEERING.md §7).
#pragma once

#include <tinyxml2.h>

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace warraq::input::detail {

// What encloses a run of inline text (em/strong, a link, a language or direction), for the
// native reader and the importers alike.
struct InlineAttributes {
  unsigned style = model::plain;
  std::string href;
  std::string lang;
  std::string dir;
};

// Appends text to `spans`, merged into the last span when that has the same attributes.
void append_span(model::Inlines& spans, std::string_view text, const InlineAttributes& a,
                 const model::SourceLocation& where);

// tinyxml2 drops text nodes that are only whitespace, even in PRESERVE_WHITESPACE mode, so
// `<em>a</em> <strong>b</strong>` would lose its space. Before parsing, such runs get this
// byte in front; it is a C0 control that XML forbids in documents (we reject it on input), so
// it can never be confused with content, and the normaliser treats it as whitespace.
inline constexpr char kKeptSpace = '\x01';

// XML 1.0 §2.3 production S (space, tab, CR, LF) plus our marker. U+00A0 and the other
// Unicode spaces are content, not markup whitespace, and are kept byte-exact.
inline bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == kKeptSpace;
}

// Returns `raw` with kKeptSpace before every whitespace-only run of character data that lies
// inside the root element. Comments, CDATA, processing instructions and tags are copied as is.
std::string keep_whitespace_nodes(std::string_view raw);

// Collapses XML whitespace runs to one space and trims both ends.
std::string collapse_whitespace(std::string_view text);

// A BCP 47-shaped tag ("ar", "ar-MA", "en"), as xsd:language in the schema.
bool is_language_tag(std::string_view tag);

// 1-based column, in code points, of byte `offset` within `line`.
int column_in_line(std::string_view line, std::size_t offset);

// Reads a whole file; nullopt when it cannot be opened.
std::optional<std::string> read_bytes(const std::filesystem::path& path);

// One parsed XML file: the bytes as written (for columns) and the tinyxml2 tree.
class XmlSource {
 public:
  explicit XmlSource(std::string file) : file_(std::move(file)) {}
  XmlSource(const XmlSource&) = delete;
  XmlSource& operator=(const XmlSource&) = delete;

  // Checks the encoding, then parses. Reports [invalid-utf8] or [xml-malformed].
  bool parse(std::string bytes, model::Diagnostics& diagnostics);

  const tinyxml2::XMLElement* root() const { return doc_.RootElement(); }
  const std::string& file() const { return file_; }

  // file:line for any node; the column too for an element whose start tag is the only
  // `<name` on its line (tinyxml2 records lines only).
  model::SourceLocation where(const tinyxml2::XMLNode* node) const;
  model::SourceLocation where_line(int line) const { return {file_, line, 0}; }

 private:
  std::string_view line_text(int line) const;
  model::SourceLocation location_of(std::size_t offset) const;

  std::string file_;
  std::string raw_;
  std::vector<std::size_t> line_starts_;
  tinyxml2::XMLDocument doc_{true, tinyxml2::PRESERVE_WHITESPACE};
};

// A source and the sink its problems go to, with the checks every element needs.
struct Context {
  const XmlSource& source;
  model::Diagnostics& diagnostics;

  void error(std::string code, const tinyxml2::XMLNode* at, std::string message) const;

  // Reports [unknown-attribute] for every attribute not listed.
  void check_attributes(const tinyxml2::XMLElement* element,
                        std::initializer_list<std::string_view> allowed) const;

  // The value, or nullptr after reporting `code` ("expected attribute ... on <x>").
  const char* required_attribute(const tinyxml2::XMLElement* element, const char* name,
                                 const char* code = "missing-attribute") const;

  // Child elements of an element-only container; text other than whitespace is reported as
  // [unexpected-text], naming what `expected` may appear there.
  std::vector<const tinyxml2::XMLElement*> element_children(const tinyxml2::XMLElement* parent,
                                                            std::string_view expected) const;

  // Reports [unknown-element]: `child` is not allowed in its parent; `expected` lists what is.
  void unknown_element(const tinyxml2::XMLElement* child, std::string_view expected) const;

  // Normalised text of an element that holds text only; child elements are reported.
  std::string text_only(const tinyxml2::XMLElement* element) const;

  // Inline content (text, em, strong, a, br, span) as normalised, merged spans.
  model::Inlines inlines(const tinyxml2::XMLElement* element) const;
};

// "<a>, <b> or <c>" for messages.
std::string element_list(std::initializer_list<std::string_view> names);

}  // namespace warraq::input::detail
