// What every importer shares: inline building, encodings (iconv), namespaces, ids, images.
#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "input/import_detail.hpp"

namespace warraq::input::import {

namespace fs = std::filesystem;

// ----- inline text -------------------------------------------------------------------------

bool is_collapsible_space(char c) { return detail::is_xml_space(c) || c == '\f'; }

namespace {

// XML 1.0 §2.2 refuses C0 controls other than tab, LF and CR (and the native reader does):
// an imported text must be writable as native XML, so they never reach the model.
bool is_forbidden_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && !is_collapsible_space(c)) || u == 0x7F;
}

}  // namespace

std::string clean_text(std::string_view text) {
  std::string out;
  bool pending = false;
  for (char c : text) {
    if (is_collapsible_space(c)) {
      pending = !out.empty();
      continue;
    }
    if (is_forbidden_control(c)) continue;
    if (pending) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

void InlineBuilder::emit(std::string_view text, const InlineAttributes& a, int line) {
  append_span(spans_, text, a, {file_, line, 0});
}

void InlineBuilder::text(std::string_view text, const InlineAttributes& attributes, int line) {
  for (std::size_t i = 0; i < text.size();) {
    if (is_collapsible_space(text[i])) {
      if (!at_line_start_ && !pending_space_) {
        pending_space_ = true;
        space_attributes_ = attributes;
        space_line_ = line;
      }
      ++i;
      continue;
    }
    std::size_t end = i;
    std::string word;
    while (end < text.size() && !is_collapsible_space(text[end])) {
      if (!is_forbidden_control(text[end])) word += text[end];
      ++end;
    }
    i = end;
    if (word.empty()) continue;
    if (pending_space_) emit(" ", space_attributes_, space_line_);
    pending_space_ = false;
    at_line_start_ = false;
    emit(word, attributes, line);
  }
}

void InlineBuilder::line_break(const InlineAttributes& attributes, int line) {
  // A break at the very start of a block carries nothing (the native reader would keep it,
  // but an HTML body that opens with <br> means no break at all).
  if (spans_.empty()) return;
  pending_space_ = false;
  at_line_start_ = true;
  model::Span span;
  span.line_break = true;
  span.style = attributes.style;
  span.href = attributes.href;
  span.lang = attributes.lang;
  span.dir = attributes.dir;
  span.where = {file_, line, 0};
  spans_.push_back(std::move(span));
}

bool InlineBuilder::ends_with_break() const { return !spans_.empty() && spans_.back().line_break; }

void InlineBuilder::drop_trailing_break() {
  while (ends_with_break()) spans_.pop_back();
}

bool InlineBuilder::empty() const {
  for (const auto& s : spans_)
    if (!s.line_break && !s.text.empty()) return false;
  return true;
}

model::Inlines InlineBuilder::take() {
  // Trailing breaks are invisible; the native writer could not keep them either (a break
  // swallows the whitespace beside it but not the block's end).
  drop_trailing_break();
  model::Inlines out = empty() ? model::Inlines{} : std::move(spans_);
  spans_.clear();
  at_line_start_ = true;
  pending_space_ = false;
  return out;
}

// ----- encodings -----------------------------------------------------------------------------

std::string declared_encoding(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (bytes.substr(0, 5) != "<?xml") return {};
  const auto end = bytes.find("?>");
  const std::string_view decl = bytes.substr(0, end);
  const auto at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  auto q = decl.find_first_of("\"'", at);
  if (q == std::string_view::npos) return {};
  const char quote = decl[q];
  const auto close = decl.find(quote, q + 1);
  if (close == std::string_view::npos) return {};
  return std::string(decl.substr(q + 1, close - q - 1));
}

namespace {

// RAII for an iconv conversion descriptor.
class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Line and column (in source bytes, 1-based) of byte `offset`.
void position(std::string_view bytes, std::size_t offset, int& line, int& column) {
  line = 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i)
    if (bytes[i] == '\n') {
      ++line;
      start = i + 1;
    }
  column = static_cast<int>(offset - start) + 1;
}

}  // namespace

std::optional<std::string> xml_to_utf8(std::string bytes, const Sink& sink) {
  const std::string encoding = upper(declared_encoding(bytes));
  if (encoding.empty() || encoding == "UTF-8" || encoding == "UTF8") {
    int line = 0;
    int column = 0;
    if (!validate_utf8(bytes, line, column)) {
      sink.error("invalid-utf8", line,
                 encoding.empty()
                     ? "invalid UTF-8 byte sequence and no encoding declared: expected UTF-8, "
                       "or an XML declaration naming the encoding (encoding=\"windows-1256\")"
                     : "invalid UTF-8 byte sequence: the file declares UTF-8, expected UTF-8",
                 column);
      return std::nullopt;
    }
    return bytes;
  }
  if (encoding.rfind("UTF-16", 0) == 0 || encoding.rfind("UTF-32", 0) == 0 ||
      encoding.rfind("UCS", 0) == 0) {
    sink.error("unsupported-encoding", 1,
               "unsupported encoding '" + declared_encoding(bytes) +
                   "': expected UTF-8 or an 8-bit encoding such as ISO-8859-1 or windows-1256");
    return std::nullopt;
  }
  Iconv cd("UTF-8", encoding.c_str());
  if (!cd.ok()) {
    sink.error("unsupported-encoding", 1,
               "unknown encoding '" + declared_encoding(bytes) +
                   "' in the XML declaration: expected UTF-8, ISO-8859-1, windows-1256 or "
                   "another encoding iconv knows");
    return std::nullopt;
  }
  std::string out;
  out.resize(bytes.size() * 4 + 16);
  char* in_ptr = bytes.data();
  std::size_t in_left = bytes.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(cd.get(), &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) {  // cannot happen with 4x room, but never write past the end
        const std::size_t used = static_cast<std::size_t>(out_ptr - out.data());
        out.resize(out.size() * 2);
        out_ptr = out.data() + used;
        out_left = out.size() - used;
        continue;
      }
      int line = 0;
      int column = 0;
      position(bytes, static_cast<std::size_t>(in_ptr - bytes.data()), line, column);
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(*in_ptr));
      sink.error("bad-encoding", line,
                 std::string("byte ") + hex + " is not a character in " + declared_encoding(bytes) +
                     ": expected text in the encoding the XML declaration names",
                 column);
      return std::nullopt;
    }
  }
  out.resize(static_cast<std::size_t>(out_ptr - out.data()));
  return out;
}

// ----- namespaces ------------------------------------------------------------------------------

std::string_view local_name(const tinyxml2::XMLElement* element) {
  const std::string_view name = element->Name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string namespace_uri(const tinyxml2::XMLElement* element) {
  const std::string_view name = element->Name();
  const auto colon = name.find(':');
  const std::string attribute_name =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  for (const tinyxml2::XMLNode* node = element; node; node = node->Parent()) {
    const auto* e = node->ToElement();
    if (!e) break;
    if (const char* uri = e->Attribute(attribute_name.c_str())) return uri;
  }
  return {};
}

bool is(const tinyxml2::XMLElement* element, std::string_view uri, std::string_view local) {
  return element && local_name(element) == local && namespace_uri(element) == uri;
}

const tinyxml2::XMLElement* child(const tinyxml2::XMLElement* parent, std::string_view uri,
                                  std::string_view local) {
  if (!parent) return nullptr;
  for (const auto* e = parent->FirstChildElement(); e; e = e->NextSiblingElement())
    if (is(e, uri, local)) return e;
  return nullptr;
}

namespace {
void gather(const tinyxml2::XMLNode* node, std::string& out) {
  for (const auto* n = node->FirstChild(); n; n = n->NextSibling()) {
    if (const auto* t = n->ToText()) {
      for (const char* p = t->Value(); *p; ++p)
        if (*p != detail::kKeptSpace) out += *p;
    } else if (n->ToElement()) {
      gather(n, out);
    }
  }
}
}  // namespace

std::string raw_text(const tinyxml2::XMLElement* element) {
  std::string out;
  if (element) gather(element, out);
  return out;
}

std::string element_text(const tinyxml2::XMLElement* element) {
  return clean_text(raw_text(element));
}

const char* attribute(const tinyxml2::XMLElement* element, std::string_view local) {
  for (const auto* a = element->FirstAttribute(); a; a = a->Next()) {
    std::string_view name = a->Name();
    if (name.rfind("xmlns", 0) == 0) continue;
    const auto colon = name.find(':');
    if (colon != std::string_view::npos) name.remove_prefix(colon + 1);
    if (name == local) return a->Value();
  }
  return nullptr;
}

// ----- ids -------------------------------------------------------------------------------------

std::string slug(std::string_view text) {
  // URLs: keep the path's last meaningful segment ("/2024/11/hammouchi-belgium.html").
  if (const auto scheme = text.find("://"); scheme != std::string_view::npos) {
    text.remove_prefix(scheme + 3);
    const auto slash = text.find('/');
    const std::string_view host = text.substr(0, slash);
    text = slash == std::string_view::npos ? std::string_view{} : text.substr(slash);
    const auto query_at = text.find_first_of("?#");
    std::string_view path = text.substr(0, query_at);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    std::string_view last = path.substr(path.rfind('/') + 1);
    if (const auto dot = last.rfind('.'); dot != std::string_view::npos && dot > 0)
      last = last.substr(0, dot);
    std::string result = slug(last);
    // "?p=123", "view.aspx?id=918273" or "/123": the number is the story, the path a
    // script's name or nothing; keep the number with the host.
    const auto question = text.find('?');
    const auto hash = text.find('#');
    const std::string_view query =
        question == std::string_view::npos
            ? std::string_view{}
            : text.substr(question, hash == std::string_view::npos || hash < question
                                        ? std::string_view::npos
                                        : hash - question);
    std::string digits;
    for (char c : query)
      if (c >= '0' && c <= '9') digits += c;
    if (digits.empty() && (result.empty() || result.rfind("a-", 0) == 0))
      for (char c : path)
        if (c >= '0' && c <= '9') digits += c;
    if (!digits.empty() && (!query.empty() || result.empty() || result.rfind("a-", 0) == 0)) {
      const std::string h = slug(host);
      return (h.empty() ? "article" : h) + "-" + digits;
    }
    return result;
  }
  if (const auto colon = text.rfind(':');
      colon != std::string_view::npos && text.rfind("urn:", 0) == 0)
    text.remove_prefix(colon + 1);  // urn:uuid:... -> the uuid
  std::string out;
  bool dash = false;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(c - 'A' + 'a');
    } else if (alnum || c == '_' || c == '.') {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += c;
    } else {
      dash = true;
    }
    if (out.size() >= 64) break;
  }
  while (!out.empty() && (out.back() == '.' || out.back() == '-')) out.pop_back();
  // An NCName cannot start with a digit, '-' or '.'.
  if (!out.empty() && ((out[0] >= '0' && out[0] <= '9') || out[0] == '.')) out = "a-" + out;
  return out;
}

std::string article_id(std::string_view text, std::string_view fallback) {
  std::string id = slug(text);
  if (!id.empty()) return id;
  // FNV-1a, 64 bits: stable across runs and machines, so re-importing gives the same ids.
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : fallback) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[20];
  std::snprintf(hex, sizeof hex, "%08llx", static_cast<unsigned long long>(hash >> 32));
  return std::string("article-") + hex;
}

bool is_rtl_language(std::string_view tag) {
  const std::string_view primary = tag.substr(0, tag.find('-'));
  for (std::string_view rtl : {"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
    if (primary == rtl) return true;
  return false;
}

std::string normalise_locale(std::string_view tag) {
  std::string out;
  bool first = true;
  std::size_t start = 0;
  std::string text(tag);
  std::replace(text.begin(), text.end(), '_', '-');
  while (start <= text.size()) {
    auto end = text.find('-', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    for (char& c : part) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (!first && part.size() == 2 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (!out.empty()) out += '-';
    out += part;
    first = false;
    start = end + 1;
  }
  return detail::is_language_tag(out) ? out : std::string{};
}

std::string default_section_name(std::string_view locale) {
  return locale.substr(0, 2) == "ar" ? "أخبار" : "News";
}

// ----- images ----------------------------------------------------------------------------------

std::optional<std::string> local_image(std::string_view src, const fs::path& base, const Sink& sink,
                                       int line, bool warn_missing) {
  std::string s = clean_text(src);
  std::string lower = s;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (s.empty()) return std::nullopt;
  if (lower.rfind("javascript:", 0) == 0 || lower.rfind("data:", 0) == 0 ||
      lower.rfind("vbscript:", 0) == 0) {
    sink.drop(line, "image with a " + lower.substr(0, lower.find(':') + 1) + " URL (refused)");
    return std::nullopt;
  }
  if (lower.find(':') != std::string::npos || lower.rfind("//", 0) == 0) {
    sink.drop(line, "remote image '" + s + "' (Warraq does not fetch from the network)");
    return std::nullopt;
  }
  const fs::path relative(s);
  bool inside = !relative.is_absolute() && !relative.has_root_directory();
  for (const auto& part : relative) inside = inside && part != "..";
  if (!inside) {
    sink.drop(line, "image '" + s + "' outside the input's folder");
    return std::nullopt;
  }
  const fs::path resolved = (base / relative).lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(resolved, ec)) {
    if (!warn_missing) {
      sink.drop(line, "image '" + s + "' not found beside the input");
      return std::nullopt;
    }
    sink.warning("missing-file", line,
                 "cannot find the image '" + s + "' (resolved to '" + resolved.string() +
                     "'): the figure is left out; expected an existing file");
    return std::nullopt;
  }
  return resolved.string();
}

// ----- editions --------------------------------------------------------------------------------

bool finish_edition(model::Edition& edition, const Sink& sink) {
  std::optional<model::Date> latest;
  for (const auto& section : edition.sections)
    for (const auto& article : section.articles)
      if (article.date && (!latest || article.date->iso() > latest->iso())) latest = article.date;
  if (!latest) {
    sink.error("missing-date", 1,
               "no article has a date: expected a date in the text (25 نونبر 2024), a "
               "pubDate, an updated/published element or a date.issue");
    return false;
  }
  edition.date = *latest;
  edition.direction =
      is_rtl_language(edition.locale) ? model::Direction::rtl : model::Direction::ltr;
  return true;
}

}  // namespace warraq::input::import
