#include "xml_writer.hpp"

#include <array>
#include <stdexcept>

namespace warraq::epub {

namespace {

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
bool is_xml_char(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

bool is_name_char(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (first) return false;
  return (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
}

// Names come from this stage's code, never from input; a bad one is a programming error.
// Scripts and event handler attributes are refused outright: untrusted feed HTML must never
// be able to reach a reading system through this writer (DESIGN.md, Inputs).
void check_name(std::string_view name, bool attribute) {
  if (name.empty()) throw std::logic_error("xml: empty name");
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!is_name_char(name[i], i == 0))
      throw std::logic_error("xml: bad name '" + std::string(name) + "'");
  auto lower = [](std::string_view s) {
    std::string l(s);
    for (char& c : l)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return l;
  };
  const std::string l = lower(name);
  if (attribute ? l.rfind("on", 0) == 0
                : (l == "script" || l == "iframe" || l == "object" || l == "embed"))
    throw std::logic_error("xml: refused name '" + std::string(name) + "'");
}

}  // namespace

char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int length = 0;
  char32_t c = 0;
  char32_t minimum = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2, c = b0 & 0x1Fu, minimum = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3, c = b0 & 0x0Fu, minimum = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4, c = b0 & 0x07u, minimum = 0x10000;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + static_cast<std::size_t>(length) > text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k < length; ++k) {
    const unsigned char b = byte(i + static_cast<std::size_t>(k));
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (b & 0x3Fu);
  }
  if (c < minimum || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<std::size_t>(length);
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

void append_escaped(std::string& out, std::string_view text, bool attribute, CodePoints* shown) {
  // Characters that stay as they are, the bulk of any text, are copied in runs; only the
  // others (markup characters, controls, what XML forbids, broken UTF-8) are handled one by
  // one.
  std::size_t run = 0;  // start of the bytes not yet copied that stay as they are
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    const auto b = static_cast<unsigned char>(text[i]);
    char32_t c;
    if (b > 0x20 && b < 0x80 && b != '&' && b != '<' && b != '>' && b != '"') {
      c = b;
      ++i;
    } else if (b >= 0xC2 && b <= 0xDF && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      // Two bytes, U+0080..U+07FF (Arabic among them): always well-formed and allowed.
      c = (b & 0x1Fu) << 6 | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
      i += 2;
    } else {
      c = next_code_point(text, i);
      // A well-formed sequence (as long as its code point needs) of an allowed character
      // other than the ones escaped below stays as it is.
      const std::size_t length = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      const bool plain = is_xml_char(c) && i - at == length &&
                         (c >= 0x80 || c == ' ' || (c == '"' && !attribute) ||
                          ((c == '\t' || c == '\n') && !attribute));
      if (!plain) {
        out.append(text.data() + run, at - run);
        run = i;
        if (!is_xml_char(c)) continue;
        switch (c) {
          case '&':
            out += "&amp;";
            break;
          case '<':
            out += "&lt;";
            break;
          case '>':
            out += "&gt;";
            break;
          case '"':
            out += "&quot;";
            break;
          // Attribute-value normalisation (XML 1.0 §3.3.3) would turn these into spaces.
          case '\t':
            out += "&#9;";
            break;
          case '\n':
            out += "&#10;";
            break;
          case '\r':
            out += "&#13;";
            break;
          default:
            append_utf8(out, c);  // U+FFFD for a broken sequence
        }
      }
    }
    if (shown && c > 0x20) shown->insert(c);
  }
  out.append(text.data() + run, text.size() - run);
}

std::string escape_text(std::string_view text) {
  std::string out;
  append_escaped(out, text, false);
  return out;
}

XmlWriter::XmlWriter(Mode mode, CodePoints* shown) : mode_(mode), shown_(shown) {}

void XmlWriter::prolog(std::string_view doctype) {
  out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (!doctype.empty()) {
    out_ += doctype;
    out_ += '\n';
  }
}

bool XmlWriter::is_block(std::string_view name) const {
  if (mode_ == Mode::xml) return true;
  static constexpr std::array<std::string_view, 27> blocks = {
      "html",       "head",   "body",       "title", "meta",  "link", "article",
      "header",     "footer", "section",    "nav",   "aside", "div",  "ol",
      "ul",         "li",     "p",          "h1",    "h2",    "h3",   "h4",
      "blockquote", "figure", "figcaption", "hr",    "h5",    "h6"};
  for (auto b : blocks)
    if (b == name) return true;
  return false;
}

void XmlWriter::break_line(std::size_t level) {
  out_ += '\n';
  out_.append(level, ' ');
}

void XmlWriter::start_tag(std::string_view name, const Attributes& attributes, bool self_closing) {
  // Validate everything before writing anything, so a refused tag leaves no trace.
  check_name(name, false);
  for (const auto& a : attributes) {
    check_name(a.name, true);
    for (const auto& b : attributes)
      if (&a != &b && a.name == b.name)
        throw std::logic_error("xml: attribute '" + std::string(a.name) + "' given twice");
  }
  const bool block = is_block(name);
  if (block && !stack_.empty()) {
    stack_.back().has_block_child = true;
    break_line(stack_.size());
  }
  out_ += '<';
  out_ += name;
  for (const auto& a : attributes) {
    out_ += ' ';
    out_ += a.name;
    out_ += "=\"";
    append_escaped(out_, a.value, true);
    out_ += '"';
  }
  out_ += self_closing ? "/>" : ">";
  if (!self_closing) stack_.push_back({std::string(name), block, false});
}

void XmlWriter::open(std::string_view name, const Attributes& attributes) {
  start_tag(name, attributes, false);
}

void XmlWriter::empty(std::string_view name, const Attributes& attributes) {
  start_tag(name, attributes, true);
}

void XmlWriter::close(std::string_view name) {
  if (stack_.empty() || stack_.back().name != name)
    throw std::logic_error("xml: close '" + std::string(name) + "' does not match " +
                           (stack_.empty() ? std::string("nothing") : stack_.back().name));
  const Frame frame = std::move(stack_.back());
  stack_.pop_back();
  if (frame.has_block_child) break_line(stack_.size());
  out_ += "</";
  out_ += frame.name;
  out_ += '>';
}

void XmlWriter::text(std::string_view content) {
  if (stack_.empty()) throw std::logic_error("xml: text outside the root element");
  append_escaped(out_, content, false, shown_);
}

void XmlWriter::element(std::string_view name, std::string_view content,
                        const Attributes& attributes) {
  open(name, attributes);
  text(content);
  close(name);
}

std::string XmlWriter::finish() {
  if (!stack_.empty()) throw std::logic_error("xml: unclosed element " + stack_.back().name);
  out_ += '\n';
  return std::move(out_);
}

}  // namespace warraq::epub
