// A small JSON value for the batch report and the cache records: objects keep their keys in
// the order written, so a report reads the same way every time and two reports can be
// compared as text. Numbers are doubles (sizes stay exact up to 2^53 bytes).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace warraq::batch::json {

class Value;
using Array = std::vector<Value>;
using Object = std::vector<std::pair<std::string, Value>>;

class Value {
 public:
  Value() = default;  // null
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(double d) : v_(d) {}
  Value(int i) : v_(static_cast<double>(i)) {}
  Value(long i) : v_(static_cast<double>(i)) {}
  Value(long long i) : v_(static_cast<double>(i)) {}
  Value(unsigned i) : v_(static_cast<double>(i)) {}
  Value(unsigned long i) : v_(static_cast<double>(i)) {}
  Value(unsigned long long i) : v_(static_cast<double>(i)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_object() const { return std::holds_alternative<Object>(v_); }
  bool is_array() const { return std::holds_alternative<Array>(v_); }
  bool is_string() const { return std::holds_alternative<std::string>(v_); }
  bool is_number() const { return std::holds_alternative<double>(v_); }

  // Typed reads with a fallback, so a report from an older Warraq still merges.
  std::string str(std::string fallback = {}) const;
  double num(double fallback = 0) const;
  bool boolean(bool fallback = false) const;
  const Array& array() const;
  const Object& object() const;
  Object& object();
  // The member, or a null value when absent or not an object.
  const Value& operator[](std::string_view key) const;

  // Appends a member (objects only).
  Value& set(std::string key, Value value);

  friend bool operator==(const Value&, const Value&) = default;

 private:
  std::variant<std::monostate, bool, double, std::string, Array, Object> v_;
};

// Two-space indented text, one member per line, ending in a newline.
std::string write(const Value& value);

// Parses text; on failure returns nullopt and sets `error` ("line L: expected ...").
std::optional<Value> parse(std::string_view text, std::string& error);

}  // namespace warraq::batch::json
