#include "xml_writer.hpp"

#include <array>
#include <stdexcept>

namespace warraq::epub {

namespace {

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
    io::append_xml_escaped(out_, a.value, true);
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
  io::append_xml_escaped(out_, content, false, shown_);
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
