// Parsing a file with tinyxml2 and turning its failures into diagnostics a human can act on.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "input/detail.hpp"
#include "input/input.hpp"

namespace warraq::input::detail {

namespace {

bool starts_with(std::string_view text, std::size_t at, std::string_view prefix) {
  return text.substr(at, prefix.size()) == prefix;
}

// Index just past `terminator` from `at`, or the end of the text when it is missing (the
// parser then reports the unterminated construct itself).
std::size_t skip_past(std::string_view text, std::size_t at, std::string_view terminator) {
  const auto found = text.find(terminator, at);
  return found == std::string_view::npos ? text.size() : found + terminator.size();
}

// Index just past the '>' that closes a tag starting at `at`, honouring quoted attribute
// values (which may contain '>'), and whether the tag was `<x/>`.
std::size_t skip_tag(std::string_view text, std::size_t at, bool& self_closing) {
  char quote = 0;
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      self_closing = text[i - 1] == '/';
      return i + 1;
    }
  }
  self_closing = false;
  return text.size();
}

// A DOCTYPE may carry an internal subset in brackets, whose declarations contain '>'.
std::size_t skip_doctype(std::string_view text, std::size_t at) {
  int brackets = 0;
  char quote = 0;
  for (std::size_t i = at + 2; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      ++brackets;
    } else if (c == ']') {
      --brackets;
    } else if (c == '>' && brackets <= 0) {
      return i + 1;
    }
  }
  return text.size();
}

// tinyxml2 describes a failure as "XML_ERROR_X"; say what the reader expected instead.
std::string describe_xml_error(const tinyxml2::XMLDocument& doc) {
  const std::string detail = doc.ErrorStr() ? doc.ErrorStr() : "";
  std::string element;
  if (const auto at = detail.find("name="); at != std::string::npos) {
    const auto end = detail.find(' ', at);
    element = detail.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
  }
  std::string what;
  switch (doc.ErrorID()) {
    case tinyxml2::XML_ERROR_MISMATCHED_ELEMENT:
      what = element.empty() ? "expected a closing tag matching the open element"
                             : "expected a closing tag </" + element + "> for the <" + element +
                                   "> opened on this line, found another closing tag";
      break;
    case tinyxml2::XML_ERROR_PARSING_ELEMENT:
      what = element.empty() ? "expected a well-formed element (a start tag closed by '>' and "
                               "a matching end tag before the end of the file)"
                             : "expected a closing tag </" + element + "> for the <" + element +
                                   "> opened on this line before the end of the file, or a "
                                   "well-formed start tag";
      break;
    case tinyxml2::XML_ERROR_PARSING_ATTRIBUTE:
      what = "expected attributes written name=\"value\", each name once";
      break;
    case tinyxml2::XML_ERROR_PARSING_TEXT:
      what = "expected text to end with a tag before the end of the file";
      break;
    case tinyxml2::XML_ERROR_PARSING_CDATA:
      what = "expected a CDATA section to end with ']]>'";
      break;
    case tinyxml2::XML_ERROR_PARSING_COMMENT:
      what = "expected a comment to end with '-->'";
      break;
    case tinyxml2::XML_ERROR_PARSING_DECLARATION:
      what = "expected a declaration to end with '?>'";
      break;
    case tinyxml2::XML_ERROR_PARSING_UNKNOWN:
      what = "expected a <!...> construct to end with '>'";
      break;
    case tinyxml2::XML_ERROR_EMPTY_DOCUMENT:
      what = "expected an XML document, found no element";
      break;
    case tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED:
      what = "expected elements nested less deeply";
      break;
    default:
      what = "expected well-formed XML";
      break;
  }
  return "malformed XML: " + what + " (" + doc.ErrorName() + ")";
}

// Where the problem starts (a byte offset into the raw text) and what was expected there.
struct MarkupProblem {
  std::size_t offset = 0;
  std::string message;
};

std::string tag_name(std::string_view raw, std::size_t at) {
  std::size_t end = at;
  while (end < raw.size() && !is_xml_space(raw[end]) && raw[end] != '>' && raw[end] != '/') ++end;
  return std::string(raw.substr(at, end - at));
}

// tinyxml2 accepts undefined entities as literal text ("&nbsp;" would print as such) and says
// only XML_ERROR_PARSING for an element left open at the end of the file. This pass finds
// both, with a position, so the message can name the entity or the element.
std::optional<MarkupProblem> find_markup_problem(std::string_view raw, bool after_parse_error) {
  std::vector<std::pair<std::string, std::size_t>> open;
  std::size_t i = 0;
  const auto check_entity = [&](std::size_t at) -> std::optional<MarkupProblem> {
    static constexpr std::string_view predefined[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (auto e : predefined)
      if (starts_with(raw, at, e)) return std::nullopt;
    std::size_t k = at + 1;
    if (k < raw.size() && raw[k] == '#') {
      ++k;
      const bool hex = k < raw.size() && raw[k] == 'x';
      if (hex) ++k;
      const std::size_t digits = k;
      while (k < raw.size() && (std::isdigit(static_cast<unsigned char>(raw[k])) ||
                                (hex && std::isxdigit(static_cast<unsigned char>(raw[k])))))
        ++k;
      if (k > digits && k < raw.size() && raw[k] == ';') return std::nullopt;
    }
    const auto end = raw.find_first_of(";< \t\n", at);
    const std::string name(
        raw.substr(at, end == std::string_view::npos || raw[end] != ';' ? 1 : end - at + 1));
    return MarkupProblem{at, "malformed XML: unknown entity '" + name +
                                 "': expected &amp;, &lt;, &gt;, &quot;, &apos; or a "
                                 "character reference such as &#160;"};
  };
  while (i < raw.size()) {
    if (raw[i] == '&') {
      if (auto problem = check_entity(i)) return problem;
      ++i;
      continue;
    }
    if (raw[i] != '<') {
      ++i;
      continue;
    }
    std::size_t end;
    if (starts_with(raw, i, "<!--")) {
      end = skip_past(raw, i + 4, "-->");
    } else if (starts_with(raw, i, "<![CDATA[")) {
      end = skip_past(raw, i + 9, "]]>");
    } else if (starts_with(raw, i, "<?")) {
      end = skip_past(raw, i + 2, "?>");
    } else if (starts_with(raw, i, "<!")) {
      end = skip_doctype(raw, i);
    } else {
      bool self_closing = false;
      end = skip_tag(raw, i, self_closing);
      for (std::size_t k = i; k < end; ++k)  // entities in attribute values
        if (raw[k] == '&')
          if (auto problem = check_entity(k)) return problem;
      if (starts_with(raw, i, "</")) {
        const std::string name = tag_name(raw, i + 2);
        if (open.empty() || open.back().first != name) return std::nullopt;  // tinyxml2 says
        open.pop_back();
      } else if (!self_closing) {
        open.emplace_back(tag_name(raw, i + 1), i);
      }
    }
    i = end;
  }
  if (after_parse_error && !open.empty())
    return MarkupProblem{open.back().second,
                         "malformed XML: expected a closing tag </" + open.back().first +
                             "> for this <" + open.back().first + "> before the end of the file"};
  return std::nullopt;
}

}  // namespace

std::string keep_whitespace_nodes(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 16);
  int depth = 0;
  std::size_t i = 0;
  while (i < raw.size()) {
    if (raw[i] != '<') {
      auto end = raw.find('<', i);
      if (end == std::string_view::npos) end = raw.size();
      const auto run = raw.substr(i, end - i);
      bool blank = true;
      for (char c : run) blank = blank && is_xml_space(c);
      if (blank && depth > 0) out += kKeptSpace;
      out += run;
      i = end;
      continue;
    }
    std::size_t end;
    if (starts_with(raw, i, "<!--")) {
      end = skip_past(raw, i + 4, "-->");
    } else if (starts_with(raw, i, "<![CDATA[")) {
      end = skip_past(raw, i + 9, "]]>");
    } else if (starts_with(raw, i, "<?")) {
      end = skip_past(raw, i + 2, "?>");
    } else if (starts_with(raw, i, "<!")) {
      end = skip_doctype(raw, i);
    } else {
      bool self_closing = false;
      end = skip_tag(raw, i, self_closing);
      if (starts_with(raw, i, "</")) {
        --depth;
      } else if (!self_closing) {
        ++depth;
      }
    }
    out += raw.substr(i, end - i);
    i = end;
  }
  return out;
}

bool is_language_tag(std::string_view tag) {
  // The shape of xsd:language, which the schema uses: 1-8 letters, then -subtags of 1-8
  // letters or digits. Whether a subtag is registered is not the reader's business.
  std::size_t length = 0;
  bool first = true;
  for (std::size_t i = 0; i <= tag.size(); ++i) {
    if (i == tag.size() || tag[i] == '-') {
      if (length == 0 || length > 8) return false;
      length = 0;
      first = false;
      continue;
    }
    const char c = tag[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!(letter || (!first && c >= '0' && c <= '9'))) return false;
    ++length;
  }
  return true;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  bool pending = false;
  for (char c : text) {
    if (is_xml_space(c)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

int column_in_line(std::string_view line, std::size_t offset) {
  int column = 1;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  return column;
}

std::optional<std::string> read_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool XmlSource::parse(std::string bytes, model::Diagnostics& diagnostics) {
  raw_ = std::move(bytes);
  line_starts_ = {0};
  for (std::size_t i = 0; i < raw_.size(); ++i)
    if (raw_[i] == '\n') line_starts_.push_back(i + 1);

  int line = 0;
  int column = 0;
  if (!validate_utf8(raw_, line, column)) {
    diagnostics.error("invalid-utf8", {file_, line, column},
                      "invalid UTF-8 byte sequence: expected the file to be encoded in UTF-8");
    return false;
  }
  // XML 1.0 §2.2 allows no C0 controls but tab, LF and CR; refusing them also keeps
  // kKeptSpace unambiguous.
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw_[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "U+%04X", c);
      diagnostics.error("xml-malformed", location_of(i),
                        std::string("malformed XML: control character ") + hex +
                            " is not allowed: expected text, tab or line breaks");
      return false;
    }
  }

  const auto report = [&](const MarkupProblem& problem) {
    diagnostics.error("xml-malformed", location_of(problem.offset), problem.message);
  };
  if (auto problem = find_markup_problem(raw_, false)) {
    report(*problem);
    return false;
  }
  const std::string prepared = keep_whitespace_nodes(raw_);
  doc_.Parse(prepared.data(), prepared.size());
  if (doc_.Error()) {
    const auto id = doc_.ErrorID();
    // The marker before trailing whitespace turns "element left open" into a text error.
    if (id == tinyxml2::XML_ERROR_PARSING || id == tinyxml2::XML_ERROR_PARSING_ELEMENT ||
        id == tinyxml2::XML_ERROR_PARSING_TEXT) {
      if (auto problem = find_markup_problem(raw_, true)) {
        report(*problem);
        return false;
      }
    }
    diagnostics.error("xml-malformed", {file_, doc_.ErrorLineNum(), 0}, describe_xml_error(doc_));
    return false;
  }
  if (!doc_.RootElement()) {
    diagnostics.error("xml-malformed", {file_, 1, 0},
                      "malformed XML: expected a root element, found none");
    return false;
  }
  // tinyxml2 accepts several top-level elements; XML 1.0 §2.1 allows exactly one.
  if (const auto* second = doc_.RootElement()->NextSiblingElement()) {
    diagnostics.error("xml-malformed", where(second),
                      std::string("malformed XML: expected a single root element, found a "
                                  "second one <") +
                          second->Name() + ">");
    return false;
  }
  return true;
}

model::SourceLocation XmlSource::location_of(std::size_t offset) const {
  const auto line = static_cast<int>(
      std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - line_starts_.begin());
  const std::size_t start = line_starts_[static_cast<std::size_t>(line - 1)];
  return {file_, line, column_in_line(line_text(line), offset - start)};
}

std::string_view XmlSource::line_text(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
  const std::size_t start = line_starts_[static_cast<std::size_t>(line - 1)];
  const std::size_t end = static_cast<std::size_t>(line) < line_starts_.size()
                              ? line_starts_[static_cast<std::size_t>(line)]
                              : raw_.size();
  return std::string_view(raw_).substr(start, end - start);
}

model::SourceLocation XmlSource::where(const tinyxml2::XMLNode* node) const {
  model::SourceLocation at{file_, node ? node->GetLineNum() : 0, 0};
  const auto* element = node ? node->ToElement() : nullptr;
  if (!element) return at;
  const std::string_view text = line_text(at.line);
  const std::string open = std::string("<") + element->Name();
  std::size_t found = std::string_view::npos;
  int matches = 0;
  for (auto pos = text.find(open); pos != std::string_view::npos; pos = text.find(open, pos + 1)) {
    const std::size_t after = pos + open.size();
    // `<p` must not match `<pullquote`: the name ends at whitespace, '>' or '/'.
    if (after < text.size() && !is_xml_space(text[after]) && text[after] != '>' &&
        text[after] != '/')
      continue;
    found = pos;
    ++matches;
  }
  if (matches == 1) at.column = column_in_line(text, found);
  return at;
}

std::string element_list(std::initializer_list<std::string_view> names) {
  std::string out;
  std::size_t k = 0;
  for (auto name : names) {
    if (k > 0) out += (k + 1 == names.size()) ? " or " : ", ";
    out += '<';
    out += name;
    out += '>';
    ++k;
  }
  return out;
}

void Context::error(std::string code, const tinyxml2::XMLNode* at, std::string message) const {
  diagnostics.error(std::move(code), source.where(at), std::move(message));
}

void Context::check_attributes(const tinyxml2::XMLElement* element,
                               std::initializer_list<std::string_view> allowed) const {
  for (const auto* a = element->FirstAttribute(); a; a = a->Next()) {
    bool known = false;
    for (auto name : allowed) known = known || name == a->Name();
    if (known) continue;
    std::string expected;
    if (allowed.size() == 0) {
      expected = "expected no attributes";
    } else {
      expected = "expected ";
      std::size_t k = 0;
      for (auto name : allowed) {
        if (k > 0) expected += (k + 1 == allowed.size()) ? " or " : ", ";
        expected += name;
        ++k;
      }
    }
    error("unknown-attribute", element,
          std::string("unknown attribute '") + a->Name() + "' on <" + element->Name() +
              ">: " + expected);
  }
}

const char* Context::required_attribute(const tinyxml2::XMLElement* element, const char* name,
                                        const char* code) const {
  const char* value = element->Attribute(name);
  if (!value)
    error(code, element,
          std::string("expected attribute ") + name + "=\"...\" on <" + element->Name() + ">");
  return value;
}

std::vector<const tinyxml2::XMLElement*> Context::element_children(
    const tinyxml2::XMLElement* parent, std::string_view expected) const {
  std::vector<const tinyxml2::XMLElement*> children;
  for (const auto* node = parent->FirstChild(); node; node = node->NextSibling()) {
    if (const auto* e = node->ToElement()) {
      children.push_back(e);
    } else if (const auto* t = node->ToText()) {
      if (!collapse_whitespace(t->Value()).empty())
        error("unexpected-text", t,
              std::string("text is not allowed directly in <") + parent->Name() + ">: expected " +
                  std::string(expected));
    }
  }
  return children;
}

void Context::unknown_element(const tinyxml2::XMLElement* child, std::string_view expected) const {
  const auto* parent = child->Parent() ? child->Parent()->ToElement() : nullptr;
  error("unknown-element", child,
        std::string("unknown element <") + child->Name() + "> in <" +
            (parent ? parent->Name() : "document") + ">: expected " + std::string(expected));
}

std::string Context::text_only(const tinyxml2::XMLElement* element) const {
  std::string text;
  for (const auto* node = element->FirstChild(); node; node = node->NextSibling()) {
    if (const auto* t = node->ToText()) {
      text += t->Value();
    } else if (const auto* e = node->ToElement()) {
      unknown_element(e, std::string("text only (no markup) in <") + element->Name() + ">");
    }
  }
  return collapse_whitespace(text);
}

}  // namespace warraq::input::detail
