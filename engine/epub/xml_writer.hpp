// A small XML writer: every element is opened and closed through it, so the documents the
// EPUB stage writes are well-formed by construction rather than by careful concatenation.
// Text and attribute values are escaped here and only here, by io::append_xml_escaped:
// characters XML 1.0 forbids are dropped and broken UTF-8 becomes U+FFFD (XML 1.0 §2.2).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/io.hpp"

namespace warraq::epub {

// The code points a digest shows, gathered while writing so fonts can be subset to them.
using CodePoints = io::CodePointSet;

struct Attribute {
  std::string_view name;
  std::string value;
};
using Attributes = std::vector<Attribute>;

class XmlWriter {
 public:
  // xhtml: line breaks only around block elements (whitespace inside inline content is
  // significant); xml: every element on its own line, indented.
  enum class Mode { xml, xhtml };

  explicit XmlWriter(Mode mode, CodePoints* shown = nullptr);

  // <?xml version="1.0" encoding="UTF-8"?> and, when given, a doctype line (trusted text).
  void prolog(std::string_view doctype = {});

  void open(std::string_view name, const Attributes& attributes = {});
  void close(std::string_view name);  // must name the innermost open element
  void empty(std::string_view name, const Attributes& attributes = {});
  void text(std::string_view text);
  // open + text + close.
  void element(std::string_view name, std::string_view content, const Attributes& attributes = {});

  std::size_t depth() const { return stack_.size(); }
  // The document; every element must have been closed.
  std::string finish();

 private:
  struct Frame {
    std::string name;
    bool block = false;
    bool has_block_child = false;
  };
  void start_tag(std::string_view name, const Attributes& attributes, bool self_closing);
  void break_line(std::size_t level);
  bool is_block(std::string_view name) const;

  Mode mode_;
  CodePoints* shown_;
  std::string out_;
  std::vector<Frame> stack_;
};

}  // namespace warraq::epub
