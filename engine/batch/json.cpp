#include "json.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace warraq::batch::json {
namespace {

const Value& null_value() {
  static const Value null;
  return null;
}

void write_string(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through: reports stay readable Arabic
        }
    }
  }
  out += '"';
}

void write_number(std::string& out, double d) {
  char buf[40];
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
    std::snprintf(buf, sizeof buf, "%.0f", d);
  else if (std::isfinite(d))
    std::snprintf(buf, sizeof buf, "%.6g", d);
  else
    std::snprintf(buf, sizeof buf, "null");
  out += buf;
}

void write_value(std::string& out, const Value& v, int indent);

void newline(std::string& out, int indent) {
  out += '\n';
  out.append(static_cast<std::size_t>(indent) * 2, ' ');
}

void write_value(std::string& out, const Value& v, int indent) {
  if (v.is_null()) {
    out += "null";
  } else if (v.is_string()) {
    write_string(out, v.str());
  } else if (v.is_number()) {
    write_number(out, v.num());
  } else if (v.is_array()) {
    const Array& a = v.array();
    if (a.empty()) {
      out += "[]";
      return;
    }
    out += '[';
    for (std::size_t i = 0; i < a.size(); ++i) {
      newline(out, indent + 1);
      write_value(out, a[i], indent + 1);
      if (i + 1 < a.size()) out += ',';
    }
    newline(out, indent);
    out += ']';
  } else if (v.is_object()) {
    const Object& o = v.object();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    for (std::size_t i = 0; i < o.size(); ++i) {
      newline(out, indent + 1);
      write_string(out, o[i].first);
      out += ": ";
      write_value(out, o[i].second, indent + 1);
      if (i + 1 < o.size()) out += ',';
    }
    newline(out, indent);
    out += '}';
  } else {
    out += v.boolean() ? "true" : "false";
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  std::optional<Value> document(std::string& error) {
    auto v = value();
    skip();
    if (v && pos_ != s_.size()) fail("end of text");
    if (!error_.empty()) {
      error = error_;
      return std::nullopt;
    }
    return v;
  }

 private:
  void fail(const std::string& expected) {
    if (!error_.empty()) return;
    int line = 1;
    for (std::size_t i = 0; i < pos_ && i < s_.size(); ++i) line += s_[i] == '\n';
    error_ = "line " + std::to_string(line) + ": expected " + expected;
  }
  void skip() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
      ++pos_;
  }
  bool eat(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }

  std::optional<Value> value() {
    // Reports are shallow; the bound keeps a hostile file from exhausting the stack.
    if (++depth_ > 64) {
      fail("less nesting");
      return std::nullopt;
    }
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth_};
    skip();
    if (pos_ >= s_.size()) {
      fail("a value");
      return std::nullopt;
    }
    const char c = s_[pos_];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') {
      auto s = string();
      if (!s) return std::nullopt;
      return Value(std::move(*s));
    }
    if (word("null")) return Value();
    if (word("true")) return Value(true);
    if (word("false")) return Value(false);
    return number();
  }

  std::optional<Value> number() {
    const std::string text(s_.substr(pos_, std::min<std::size_t>(64, s_.size() - pos_)));
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end == text.c_str()) {
      fail("a value");
      return std::nullopt;
    }
    pos_ += static_cast<std::size_t>(end - text.c_str());
    return Value(d);
  }

  std::optional<std::string> string() {
    if (!eat('"')) {
      fail("a string");
      return std::nullopt;
    }
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      c = s_[pos_++];
      switch (c) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          if (pos_ + 4 > s_.size()) {
            fail("four hex digits");
            return std::nullopt;
          }
          const unsigned cp = static_cast<unsigned>(
              std::strtoul(std::string(s_.substr(pos_, 4)).c_str(), nullptr, 16));
          pos_ += 4;
          // Only what write() produces (control characters) and the BMP are needed here.
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default:
          out += c;
      }
    }
    if (pos_ >= s_.size()) {
      fail("a closing quote");
      return std::nullopt;
    }
    ++pos_;
    return out;
  }

  std::optional<Value> array() {
    ++pos_;
    Array a;
    if (eat(']')) return Value(std::move(a));
    do {
      auto v = value();
      if (!v) return std::nullopt;
      a.push_back(std::move(*v));
    } while (eat(','));
    if (!eat(']')) {
      fail("',' or ']'");
      return std::nullopt;
    }
    return Value(std::move(a));
  }

  std::optional<Value> object() {
    ++pos_;
    Object o;
    if (eat('}')) return Value(std::move(o));
    do {
      skip();
      auto key = string();
      if (!key) return std::nullopt;
      if (!eat(':')) {
        fail("':'");
        return std::nullopt;
      }
      auto v = value();
      if (!v) return std::nullopt;
      o.emplace_back(std::move(*key), std::move(*v));
    } while (eat(','));
    if (!eat('}')) {
      fail("',' or '}'");
      return std::nullopt;
    }
    return Value(std::move(o));
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

std::string Value::str(std::string fallback) const {
  if (auto s = std::get_if<std::string>(&v_)) return *s;
  return fallback;
}
double Value::num(double fallback) const {
  if (auto d = std::get_if<double>(&v_)) return *d;
  return fallback;
}
bool Value::boolean(bool fallback) const {
  if (auto b = std::get_if<bool>(&v_)) return *b;
  return fallback;
}
const Array& Value::array() const {
  static const Array empty;
  if (auto a = std::get_if<Array>(&v_)) return *a;
  return empty;
}
const Object& Value::object() const {
  static const Object empty;
  if (auto o = std::get_if<Object>(&v_)) return *o;
  return empty;
}
Object& Value::object() {
  if (!is_object()) v_ = Object{};
  return std::get<Object>(v_);
}
const Value& Value::operator[](std::string_view key) const {
  for (const auto& [k, v] : object())
    if (k == key) return v;
  return null_value();
}
Value& Value::set(std::string key, Value value) {
  Object& o = object();
  for (auto& [k, v] : o)
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  o.emplace_back(std::move(key), std::move(value));
  return *this;
}

std::string write(const Value& value) {
  std::string out;
  write_value(out, value, 0);
  out += '\n';
  return out;
}

std::optional<Value> parse(std::string_view text, std::string& error) {
  return Parser(text).document(error);
}

}  // namespace warraq::batch::json
