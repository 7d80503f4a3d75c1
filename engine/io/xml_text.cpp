// XML text escaping, shared by every stage that writes XML (the EPUB's documents, the
// articles `warraq import` writes): one escaper, so what one accepts the other does too.
#include "io/io.hpp"

namespace warraq::io {

namespace {

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
bool is_xml_char(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Decodes one UTF-8 sequence at text[i], advancing i; malformed input yields U+FFFD and
// advances one byte.
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

}  // namespace

void append_xml_escaped(std::string& out, std::string_view text, bool attribute,
                        CodePointSet* seen) {
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
    if (seen && c > 0x20) seen->insert(c);
  }
  out.append(text.data() + run, text.size() - run);
}

}  // namespace warraq::io
