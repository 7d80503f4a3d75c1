// A small XML writer: every element is opened and closed through it, so the documents the
// EPUB stage writes are well-formed by construction rather than by careful concatenation.
// Text and attribute values are escaped here and only here; characters XML 1.0 forbids are
// dropped and broken UTF-8 becomes U+FFFD (XML 1.0 §2.2, "Char").
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warraq::epub {

// The code points a digest shows, gathered while writing so fonts can be subset to them,
// in ascending order. Every character written passes through insert(): a bit per code
// point of the Basic Multilingual Plane answers "seen already" for nearly all of them
// without a search of the set.
class CodePoints {
 public:
  void insert(char32_t c) {
    if (c < bmp_bits) {
      std::uint64_t& word = seen_[c / 64];
      const std::uint64_t bit = std::uint64_t{1} << (c % 64);
      if (word & bit) return;
      word |= bit;
    }
    all_.insert(c);
  }
  std::size_t count(char32_t c) const { return all_.count(c); }
  std::size_t size() const { return all_.size(); }
  bool empty() const { return all_.empty(); }
  std::set<char32_t>::const_iterator begin() const { return all_.begin(); }
  std::set<char32_t>::const_iterator end() const { return all_.end(); }

 private:
  static constexpr char32_t bmp_bits = 0x10000;
  std::vector<std::uint64_t> seen_ = std::vector<std::uint64_t>(bmp_bits / 64);
  std::set<char32_t> all_;
};

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

// Escapes for element content (& < >) or attribute values (also " and white space other
// than the space), dropping characters XML 1.0 does not allow. Records shown code points
// in `shown` when given.
void append_escaped(std::string& out, std::string_view text, bool attribute,
                    CodePoints* shown = nullptr);
std::string escape_text(std::string_view text);

// Decodes one UTF-8 sequence at text[i], advancing i; malformed input yields U+FFFD and
// advances one byte.
char32_t next_code_point(std::string_view text, std::size_t& i);
void append_utf8(std::string& out, char32_t c);

}  // namespace warraq::epub
