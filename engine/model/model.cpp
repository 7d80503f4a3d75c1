#include "model.hpp"

#include <charconv>
#include <cstdio>

namespace warraq::model {

std::string SourceLocation::to_string() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

std::string Diagnostic::to_string() const {
  return where.to_string() + (severity == Severity::error ? ": error: " : ": warning: ") + message +
         " [" + code + "]";
}

void Diagnostics::error(std::string code, SourceLocation where, std::string message) {
  add({std::move(code), Severity::error, std::move(where), std::move(message)});
}

void Diagnostics::warning(std::string code, SourceLocation where, std::string message) {
  add({std::move(code), Severity::warning, std::move(where), std::move(message)});
}

void Diagnostics::add(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::error) ++errors_;
  items_.push_back(std::move(diagnostic));
}

namespace {

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

bool parse_digits(std::string_view text, int& out) {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

std::optional<Date> Date::parse_iso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  Date d;
  if (!parse_digits(text.substr(0, 4), d.year) || !parse_digits(text.substr(5, 2), d.month) ||
      !parse_digits(text.substr(8, 2), d.day))
    return std::nullopt;
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > days_in_month(d.year, d.month))
    return std::nullopt;
  return d;
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::int64_t Date::unix_seconds() const {
  // Days from civil (Howard Hinnant's algorithm), proleptic Gregorian.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return days * 86400;
}

std::string plain_text(const Inlines& inlines) {
  std::string out;
  for (const Span& span : inlines) out += span.line_break ? std::string("\u2028") : span.text;
  return out;
}

std::size_t Edition::article_count() const {
  std::size_t n = 0;
  for (const Section& s : sections) n += s.articles.size();
  return n;
}

std::string Edition::language() const {
  const auto dash = locale.find('-');
  return dash == std::string::npos ? locale : locale.substr(0, dash);
}

const TypeRole& Layout::role(const std::string& role_name) const {
  if (auto it = roles.find(role_name); it != roles.end()) return it->second;
  static const TypeRole fallback{};
  if (auto it = roles.find("body"); it != roles.end()) return it->second;
  return fallback;
}

const TypeRole& Layout::headline_role(int columns_spanned) const {
  const TypeRole* found = &role("headline");
  int best = 0;
  for (const auto& [w, r] : headline_roles_by_weight) {
    const int span = headline_columns_by_weight.at(w);
    if (span <= columns_spanned && span >= best) {
      best = span;
      found = &r;
    }
  }
  return *found;
}

void Layout::finish_headline_roles() {
  headline_roles_by_weight.clear();
  // An entry without a size keeps the plain headline role for its weights.
  for (const auto& [w, cols] : headline_columns_by_weight) {
    (void)cols;
    TypeRole r = role("headline");
    if (auto it = headline_size_by_weight.find(w); it != headline_size_by_weight.end()) {
      r.size = it->second.first;
      r.leading = it->second.second > 0 ? it->second.second : r.size * 1.2;
    }
    headline_roles_by_weight[w] = r;
  }
}

int Layout::headline_columns(int weight) const {
  int span = 1;
  for (const auto& [w, cols] : headline_columns_by_weight)
    if (weight >= w) span = cols;
  return span > columns ? columns : span;
}

}  // namespace warraq::model
