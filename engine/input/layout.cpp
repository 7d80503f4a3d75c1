// Layout files (docs/layouts.md): page designs are data, so a newsroom makes a new design by
// copying a file, never by touching code (DESIGN.md, "Layouts").
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "input/detail.hpp"
#include "input/input.hpp"

namespace warraq::input {

namespace {

namespace fs = std::filesystem;
using detail::Context;
using tinyxml2::XMLElement;

// The roles the typesetter and EPUB writer ask for (model::Layout::roles).
// section_head (a section opener's name) came later; it stays last so the list reads as
// before in messages.
const std::initializer_list<std::string_view> kRoles = {
    "masthead", "kicker",       "headline",   "subheadline", "byline",      "dateline",
    "lead",     "body",         "subheading", "quote",       "pull_quote",  "caption",
    "credit",   "running_head", "folio",      "jump_line",   "section_head"};

const std::initializer_list<std::string_view> kLayoutChildren = {
    "page",          "margins", "columns", "digits", "justification", "widows",  "orphans",
    "headline-span", "jump",    "latin",   "role",   "epub",          "wording", "section-opener"};

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string joined(std::initializer_list<std::string_view> names) {
  std::string out;
  for (auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

// A plain non-negative decimal number: no sign, no exponent, so "1e3mm" is not a length.
std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || c == '.')) return std::nullopt;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// Points per unit: PostScript points, 72 to the inch, 25.4 mm to the inch.
std::optional<double> parse_length(std::string_view text) {
  static constexpr std::pair<std::string_view, double> units[] = {
      {"pt", 1.0}, {"mm", 72.0 / 25.4}, {"cm", 72.0 / 2.54}, {"in", 72.0}};
  if (text == "0") return 0.0;
  for (const auto& [unit, factor] : units) {
    if (text.size() > unit.size() && text.substr(text.size() - unit.size()) == unit) {
      if (auto n = parse_number(text.substr(0, text.size() - unit.size()))) return *n * factor;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<model::Color> parse_color(std::string_view text) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (text.empty() || text[0] != '#' || (text.size() != 7 && text.size() != 4)) return std::nullopt;
  int channel[3];
  for (int k = 0; k < 3; ++k) {
    int hi, lo;
    if (text.size() == 7) {
      hi = hex(text[static_cast<std::size_t>(1 + 2 * k)]);
      lo = hex(text[static_cast<std::size_t>(2 + 2 * k)]);
    } else {
      hi = lo = hex(text[static_cast<std::size_t>(1 + k)]);  // #abc is #aabbcc (CSS)
    }
    if (hi < 0 || lo < 0) return std::nullopt;
    channel[k] = hi * 16 + lo;
  }
  return model::Color{channel[0] / 255.0, channel[1] / 255.0, channel[2] / 255.0};
}

class LayoutReader {
 public:
  explicit LayoutReader(const Context& context) : c_(context) {}

  void read(const XMLElement* root, model::Layout& layout) {
    const XMLElement* columns_element = nullptr;
    c_.check_attributes(root, {"version", "name"});
    const char* version = root->Attribute("version");
    if (!version || std::string_view(version) != "1")
      c_.error("unsupported-version", root,
               std::string("unsupported layout version ") + in_quotes(version ? version : "") +
                   ": expected version=\"1\" on <layout>");
    if (const char* name = c_.required_attribute(root, "name")) layout.name = name;

    std::set<std::string> seen;
    bool explicit_spans = false;
    for (const XMLElement* e : c_.element_children(root, detail::element_list(kLayoutChildren))) {
      const std::string name = e->Name();
      bool known = false;
      for (auto k : kLayoutChildren) known = known || k == name;
      if (!known) {
        c_.unknown_element(e, detail::element_list(kLayoutChildren));
        continue;
      }
      if (name != "role" && name != "headline-span" && !seen.insert(name).second) {
        c_.error("duplicate-element", e,
                 "second <" + name + "> in <layout>: expected it at most once");
        continue;
      }
      if (name == "page") {
        c_.check_attributes(e, {"width", "height"});
        length(e, "width", layout.page_width);
        length(e, "height", layout.page_height);
      } else if (name == "margins") {
        c_.check_attributes(e, {"top", "bottom", "inner", "outer"});
        length(e, "top", layout.margin_top);
        length(e, "bottom", layout.margin_bottom);
        length(e, "inner", layout.margin_inner);
        length(e, "outer", layout.margin_outer);
      } else if (name == "columns") {
        read_columns(e, layout);
        columns_element = e;
      } else if (name == "digits") {
        c_.check_attributes(e, {"style"});
        if (auto v = choice(e, "style", {"western", "arabic-indic"}))
          layout.digits = *v == 0 ? model::DigitStyle::western : model::DigitStyle::arabic_indic;
      } else if (name == "justification") {
        read_justification(e, layout);
      } else if (name == "widows" || name == "orphans") {
        c_.check_attributes(e, {"lines"});
        integer(e, "lines", name == "widows" ? layout.widow_lines : layout.orphan_lines, 1, 9);
      } else if (name == "headline-span") {
        c_.check_attributes(e, {"weight", "columns", "size", "leading"});
        int weight = 0, columns = 0;
        if (c_.required_attribute(e, "weight") && c_.required_attribute(e, "columns") &&
            integer(e, "weight", weight, 1, 5) && integer(e, "columns", columns, 1, 12)) {
          // The file replaces the built-in table rather than patching it.
          if (!explicit_spans) layout.headline_columns_by_weight.clear();
          explicit_spans = true;
          layout.headline_columns_by_weight[weight] = columns;
          double size = 0, leading = 0;
          if (e->Attribute("size") && length(e, "size", size)) {
            if (e->Attribute("leading")) length(e, "leading", leading);
            layout.headline_size_by_weight[weight] = {size, leading};
          }
        }
      } else if (name == "jump") {
        c_.check_attributes(e, {"to", "from"});
        if (const char* to = e->Attribute("to")) layout.jump_to = to;
        if (const char* from = e->Attribute("from")) layout.jump_from = from;
      } else if (name == "wording") {
        c_.check_attributes(e, {"contents", "issue"});
        if (const char* contents = e->Attribute("contents")) layout.contents_title = contents;
        if (const char* issue = e->Attribute("issue")) layout.issue_label = issue;
      } else if (name == "section-opener") {
        c_.check_attributes(e, {"style"});
        if (auto v = choice(e, "style", {"rule", "band", "none"}))
          layout.section_opener = static_cast<model::Layout::SectionOpener>(*v);
      } else if (name == "latin") {
        c_.check_attributes(e, {"family"});
        if (const char* family = c_.required_attribute(e, "family")) layout.latin_family = family;
      } else if (name == "role") {
        read_role(e, layout);
      } else if (name == "epub") {
        read_epub(e, layout);
      }
    }
    layout.finish_headline_roles();
    if (columns_element) check_gutter(columns_element, layout);
    if (!layout.roles.count("body"))
      c_.error("missing-role", root,
               "expected a <role name=\"body\"> in <layout>: every other role falls back to it");
  }

 private:
  // pdftotext (poppler 22) pulls into a block of text every word whose box comes within 0.7
  // of the block's font size of it, on the block's lines: beside a head in one column, the
  // next column's body lines join the head's lines and come back with their letters
  // interleaved (docs/extraction.md). So the gutter must be wider than 0.7 x the largest
  // text that can stand in a column beside another one: every role except those that span
  // the page (masthead, running head, folio, section openers), and heads narrower than the
  // page.
  void check_gutter(const XMLElement* e, const model::Layout& layout) {
    if (layout.columns < 2) return;
    double largest = 0;
    std::string what;
    for (const auto& [name, role] : layout.roles) {
      if (name == "masthead" || name == "running_head" || name == "folio" || name == "section_head")
        continue;
      if (name == "headline" && !layout.headline_columns_by_weight.empty()) continue;
      if (role.size > largest) largest = role.size, what = name;
    }
    for (const auto& [weight, columns] : layout.headline_columns_by_weight) {
      const auto found = layout.headline_roles_by_weight.find(weight);
      if (columns >= layout.columns || found == layout.headline_roles_by_weight.end()) continue;
      if (found->second.size > largest) {
        largest = found->second.size;
        what = "headline across " + std::to_string(columns) + " column" + (columns > 1 ? "s" : "");
      }
    }
    const double needed = 0.7 * largest;
    if (layout.gutter > needed) return;
    const auto format = [](const char* pattern, double value) {
      char text[32];
      std::snprintf(text, sizeof text, pattern, value);
      return std::string(text);
    };
    const double wider_mm = std::ceil(needed * 25.4 / 72 * 10 + 0.5) / 10;
    c_.diagnostics.warning(
        "narrow-gutter", c_.source.where(e),
        "gutter " + format("%.1fmm", layout.gutter * 25.4 / 72) + " is narrower than 0.7 x the " +
            format("%gpt ", largest) + what + " (" + format("%.1fmm", needed * 25.4 / 72) +
            "): pdftotext joins the next column's lines to text that size; make the gutter " +
            format("%.1fmm", wider_mm) + " or that text smaller");
  }

  bool length(const XMLElement* e, const char* attribute, double& out) {
    const char* text = e->Attribute(attribute);
    if (!text) return false;
    if (auto v = parse_length(text)) {
      out = *v;
      return true;
    }
    c_.error("bad-length", e,
             std::string("bad ") + attribute + " on <" + e->Name() +
                 ">: expected a length like 12pt or 5mm (units pt, mm, cm, in), got " +
                 in_quotes(text));
    return false;
  }

  bool number(const XMLElement* e, const char* attribute, double& out,
              std::string_view suffix = {}) {
    const char* text = e->Attribute(attribute);
    if (!text) return false;
    std::string_view t = text;
    if (!suffix.empty() && t.size() > suffix.size() && t.substr(t.size() - suffix.size()) == suffix)
      t.remove_suffix(suffix.size());
    if (auto v = parse_number(t)) {
      out = *v;
      return true;
    }
    c_.error("bad-value", e,
             std::string("bad ") + attribute + " on <" + e->Name() +
                 ">: expected a non-negative number like 0.5, got " + in_quotes(text));
    return false;
  }

  bool integer(const XMLElement* e, const char* attribute, int& out, int min, int max) {
    const char* text = e->Attribute(attribute);
    if (!text) return false;
    const std::string_view t = text;
    int value = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec == std::errc() && ptr == t.data() + t.size() && !t.empty() && t[0] != '-' &&
        value >= min && value <= max) {
      out = value;
      return true;
    }
    c_.error("bad-value", e,
             std::string("bad ") + attribute + " on <" + e->Name() +
                 ">: expected an integer from " + std::to_string(min) + " to " +
                 std::to_string(max) + ", got " + in_quotes(text));
    return false;
  }

  std::optional<std::size_t> choice(const XMLElement* e, const char* attribute,
                                    std::initializer_list<std::string_view> values) {
    const char* text = e->Attribute(attribute);
    if (!text) return std::nullopt;
    std::size_t k = 0;
    for (auto v : values) {
      if (v == text) return k;
      ++k;
    }
    std::string list;
    k = 0;
    for (auto v : values) {
      if (k > 0) list += (k + 1 == values.size()) ? " or " : ", ";
      list += v;
      ++k;
    }
    c_.error("bad-value", e,
             std::string("bad ") + attribute + " on <" + e->Name() + ">: expected " + list +
                 ", got " + in_quotes(text));
    return std::nullopt;
  }

  void color(const XMLElement* e, const char* attribute, model::Color& out) {
    const char* text = e->Attribute(attribute);
    if (!text) return;
    if (auto v = parse_color(text)) {
      out = *v;
      return;
    }
    c_.error("bad-color", e,
             std::string("bad ") + attribute + " on <" + e->Name() +
                 ">: expected a colour like #8a1c1c or #999, got " + in_quotes(text));
  }

  void read_columns(const XMLElement* e, model::Layout& layout) {
    c_.check_attributes(e, {"count", "gutter", "rule", "rule-color"});
    integer(e, "count", layout.columns, 1, 12);
    length(e, "gutter", layout.gutter);
    if (const char* rule = e->Attribute("rule")) {
      if (std::string_view(rule) == "none") {
        layout.column_rule = false;
      } else if (length(e, "rule", layout.column_rule_width)) {
        layout.column_rule = true;
      }
    }
    color(e, "rule-color", layout.column_rule_color);
  }

  void read_justification(const XMLElement* e, model::Layout& layout) {
    c_.check_attributes(e, {"mode", "max-space-stretch", "max-space-shrink", "max-kashida-length",
                            "max-kashida-width", "max-kashidas-per-word", "max-kashidas-per-line"});
    if (auto v = choice(e, "mode", {"kashida", "spaces", "none"}))
      layout.justification = *v == 0   ? model::Justification::kashida
                             : *v == 1 ? model::Justification::spaces
                                       : model::Justification::none;
    number(e, "max-space-stretch", layout.limits.max_space_stretch);
    number(e, "max-space-shrink", layout.limits.max_space_shrink);
    number(e, "max-kashida-length", layout.limits.max_kashida_per_line, "em");
    number(e, "max-kashida-width", layout.limits.max_kashida_width, "em");
    integer(e, "max-kashidas-per-word", layout.limits.max_kashidas_per_word, 0, 20);
    integer(e, "max-kashidas-per-line", layout.limits.max_kashidas_per_line, 0, 200);
  }

  void read_role(const XMLElement* e, model::Layout& layout) {
    c_.check_attributes(e, {"name", "family", "size", "leading", "weight", "italic", "color",
                            "space-before", "space-after"});
    const char* name = c_.required_attribute(e, "name");
    if (!name) return;
    bool known = false;
    for (auto r : kRoles) known = known || r == name;
    if (!known) {
      c_.error("unknown-role", e,
               "unknown role " + in_quotes(name) + ": expected one of " + joined(kRoles));
      return;
    }
    if (layout.roles.count(name)) {
      c_.error("duplicate-element", e,
               "second <role name=\"" + std::string(name) + "\">: expected each role once");
      return;
    }
    model::TypeRole role;
    if (const char* family = c_.required_attribute(e, "family")) role.family = family;
    length(e, "size", role.size);
    // Without an explicit leading, 1.2 × size is the common typographic default.
    role.leading = role.size * 1.2;
    length(e, "leading", role.leading);
    if (const char* weight = e->Attribute("weight")) {
      int w = 0;
      if (integer(e, "weight", w, 100, 900)) {
        if (w % 100 == 0)
          role.weight = w;
        else
          c_.error("bad-value", e,
                   "bad weight on <role>: expected a multiple of 100 such as 400 or 700, got " +
                       in_quotes(weight));
      }
    }
    if (auto v = choice(e, "italic", {"false", "true"})) role.italic = *v == 1;
    color(e, "color", role.color);
    length(e, "space-before", role.space_before);
    length(e, "space-after", role.space_after);
    layout.roles[name] = role;
  }

  void read_epub(const XMLElement* e, model::Layout& layout) {
    c_.check_attributes(e, {"family", "size", "line-height"});
    if (const char* family = e->Attribute("family")) layout.epub_body_family = family;
    number(e, "size", layout.epub_body_size_em, "em");
    number(e, "line-height", layout.epub_line_height);
  }

  const Context& c_;
};

}  // namespace

std::optional<model::Layout> read_layout(const std::filesystem::path& path,
                                         model::Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  auto bytes = detail::read_bytes(path);
  if (!bytes) {
    diagnostics.error("missing-file", {path.string(), 0, 0},
                      "cannot read the layout " + in_quotes(path.string()) +
                          ": expected an existing layout file");
    return std::nullopt;
  }
  detail::XmlSource source(path.string());
  if (!source.parse(std::move(*bytes), diagnostics)) return std::nullopt;
  const Context context{source, diagnostics};
  const XMLElement* root = source.root();
  if (std::string_view(root->Name()) != "layout") {
    context.error("wrong-root", root,
                  std::string("unknown root element <") + root->Name() +
                      "> in a layout file: expected <layout>");
    return std::nullopt;
  }
  model::Layout layout;
  layout.where = source.where(root);
  LayoutReader(context).read(root, layout);
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return layout;
}

std::filesystem::path resolve_layout(const std::string& name_or_path,
                                     const std::filesystem::path& layouts_dir) {
  const bool is_path =
      name_or_path.find('/') != std::string::npos ||
      (name_or_path.size() >= 4 && name_or_path.compare(name_or_path.size() - 4, 4, ".xml") == 0);
  if (is_path) return name_or_path;
  return layouts_dir / (name_or_path + ".xml");
}

std::filesystem::path data_dir() {
  // An installed or relocated tree points here at run time; the build-time default serves a
  // developer running from the build folder.
  if (const char* env = std::getenv("WARRAQ_DATA_DIR"); env && *env) return env;
  return WARRAQ_DATA_DIR;
}

}  // namespace warraq::input
