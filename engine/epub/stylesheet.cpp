// The digest's stylesheet, derived from the layout's type roles, and the list of faces it
// needs (so exactly those are embedded). It sticks to CSS 2.1 and the CSS 3 features EPUB
// reading systems share (@font-face), so old readers degrade to their own fonts rather
// than to broken text. Direction comes from dir attributes, not CSS (CSS Writing Modes 3
// §2.1: authors should use markup for bidi, since CSS may be turned off).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "digest.hpp"

namespace warraq::epub {

namespace {

// Elements and the layout role that styles each.
struct Rule {
  std::string_view selector;
  std::string_view role;
  double default_em;  // when the layout's role has no usable size
};
constexpr Rule rules[] = {
    {"h1", "headline", 1.7},
    {"h2", "subheading", 1.2},
    {".kicker", "kicker", 0.95},
    {".subheadline", "subheadline", 1.2},
    {".byline", "byline", 0.9},
    {".dateline", "dateline", 0.9},
    {".lead", "lead", 1.08},
    {"blockquote", "quote", 1.0},
    {".pull-quote", "pull_quote", 1.3},
    {"figcaption", "caption", 0.85},
    {".credit", "credit", 0.9},
    {".section-name", "section_head", 0.9},
};

// A layout without a section_head role styles section labels like kickers.
const model::TypeRole& rule_role(const model::Layout& layout, const Rule& rule) {
  if (rule.role == "section_head" && !layout.roles.count("section_head"))
    return layout.role("kicker");
  return layout.role(std::string(rule.role));
}

std::string css_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s)
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) out += c;
  return out + "\"";
}

std::string number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", value);
  return buf;
}

std::string color(const model::Color& c) {
  const auto channel = [](double v) {
    return std::to_string(static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255)));
  };
  return "rgb(" + channel(c.r) + ", " + channel(c.g) + ", " + channel(c.b) + ")";
}

// The family a role is set in on screen: the layout's EPUB body family replaces the print
// body family wherever the print design uses it.
std::string screen_family(const model::Layout& layout, const model::TypeRole& role) {
  const std::string& print_body = layout.role("body").family;
  if (!layout.epub_body_family.empty() && (role.family.empty() || role.family == print_body))
    return layout.epub_body_family;
  return role.family.empty() ? layout.epub_body_family : role.family;
}

struct Usage {
  bool strong = false;
  bool emphasis = false;
  bool latin = false;
};

void scan(const model::Inlines& spans, Usage& usage) {
  for (const auto& s : spans) {
    if (s.text.empty()) continue;
    usage.strong = usage.strong || (s.style & model::strong);
    usage.emphasis = usage.emphasis || (s.style & model::emphasis);
    usage.latin = usage.latin || (is_language_tag(s.lang) && !is_rtl_language(s.lang));
  }
}

Usage scan(const Plan& plan) {
  Usage usage;
  for (const auto& entry : plan.articles) {
    const model::Article& a = *entry.article;
    for (const auto* inlines :
         {&a.kicker, &a.headline, &a.subheadline, &a.byline, &a.dateline, &a.lead})
      scan(*inlines, usage);
    for (const auto& block : a.body) {
      scan(block.content, usage);
      for (const auto& item : block.items) scan(item, usage);
      scan(block.figure.caption, usage);
      scan(block.figure.credit, usage);
    }
  }
  return usage;
}

}  // namespace

std::vector<FaceRequest> stylesheet_faces(const Plan& plan) {
  const model::Layout& layout = *plan.layout;
  const Usage usage = scan(plan);
  std::vector<FaceRequest> faces;
  const auto want = [&](const std::string& family, int weight, bool italic) {
    if (family.empty()) return;
    const FaceRequest f{family, weight, italic};
    if (std::find(faces.begin(), faces.end(), f) == faces.end()) faces.push_back(f);
  };
  const auto role_faces = [&](const model::TypeRole& role, bool always_bold) {
    const std::string family = screen_family(layout, role);
    want(family, role.weight, role.italic);
    // <strong> and <em> inside the role, and bold used by rules of their own (lead, labels).
    if (usage.strong || always_bold) want(family, 700, role.italic);
    if (usage.emphasis) want(family, role.weight, true);
  };
  role_faces(layout.role("body"), true);
  for (const Rule& r : rules) role_faces(rule_role(layout, r), false);
  // Latin runs can sit in any of those contexts: the Latin face in each weight and slant.
  if (usage.latin && !layout.latin_family.empty()) {
    const std::vector<FaceRequest> arabic = faces;
    for (const auto& f : arabic) want(layout.latin_family, f.weight, f.italic);
  }
  return faces;
}

std::string stylesheet(const Plan& plan, const std::vector<EmbeddedFont>& fonts) {
  const model::Layout& layout = *plan.layout;
  const auto stack = [&](const std::string& first) {
    std::string s;
    for (const std::string* f : {&first, &layout.latin_family})
      if (!f->empty() && s.find(css_string(*f)) == std::string::npos) s += css_string(*f) + ", ";
    return s + "serif";
  };
  const model::TypeRole& body = layout.role("body");
  const double body_size = body.size > 0 ? body.size : 10;
  const bool justify = layout.justification != model::Justification::none;

  std::string css = "/* Warraq digest stylesheet, generated from the layout's type roles. */\n\n";
  for (const auto& f : fonts) {
    css += "@font-face {\n  font-family: " + css_string(f.family) +
           ";\n  font-weight: " + std::to_string(f.weight) +
           ";\n  font-style: " + (f.italic ? "italic" : "normal") + ";\n  src: url(\"../" +
           f.resource.href + "\");\n}\n\n";
  }
  css +=
      "body {\n  font-family: " + stack(screen_family(layout, body)) +
      ";\n  font-size: " + number(layout.epub_body_size_em > 0 ? layout.epub_body_size_em : 1.0) +
      "em;\n  font-weight: " + std::to_string(body.weight) +
      ";\n  line-height: " + number(layout.epub_line_height > 0 ? layout.epub_line_height : 1.6) +
      ";\n  margin: 0 4%;\n}\n\n";
  css +=
      "p {\n  margin: 0 0 0.6em 0;\n  text-align: " + std::string(justify ? "justify" : "start") +
      ";\n}\n\n";
  css += "strong {\n  font-weight: 700;\n}\n\n";
  for (const Rule& r : rules) {
    const model::TypeRole& role = rule_role(layout, r);
    const double em = role.size > 0 ? role.size / body_size : r.default_em;
    css += std::string(r.selector) + " {\n  font-family: " + stack(screen_family(layout, role)) +
           ";\n  font-size: " + number(std::clamp(em, 0.75, 2.2)) +
           "em;\n  font-weight: " + std::to_string(role.weight) + ";\n";
    if (role.italic) css += "  font-style: italic;\n";
    if (role.color != model::Color{}) css += "  color: " + color(role.color) + ";\n";
    css += "}\n\n";
  }
  // Boxes and spacing: proportions that read well on a phone and on a tablet.
  css +=
      "h1 {\n  line-height: 1.3;\n  margin: 0.2em 0 0.4em 0;\n}\n\n"
      "h2 {\n  line-height: 1.35;\n  margin: 1em 0 0.4em 0;\n}\n\n"
      "header {\n  margin-bottom: 1em;\n}\n\n"
      "header p {\n  margin: 0;\n  text-align: start;\n}\n\n"
      ".subheadline {\n  line-height: 1.4;\n  margin: 0 0 0.3em 0;\n}\n\n"
      ".section-name {\n  margin: 0 0 1em 0;\n"
      "  padding-bottom: 0.2em;\n  border-bottom: 2px solid rgb(0, 0, 0);\n}\n\n"
      "blockquote {\n  margin: 1em 1.5em;\n}\n\n"
      ".cite {\n  font-size: 0.9em;\n  font-style: normal;\n  text-align: end;\n}\n\n"
      ".pull-quote {\n  margin: 1em 0;\n  padding: 0.4em 0;\n"
      "  border-top: 1px solid rgb(0, 0, 0);\n  border-bottom: 1px solid rgb(0, 0, 0);\n}\n\n"
      ".pull-quote p {\n  text-align: center;\n  margin: 0;\n}\n\n"
      "figure {\n  margin: 1em 0;\n}\n\n"
      "figure img {\n  max-width: 100%;\n  height: auto;\n}\n\n"
      ".related {\n  margin-top: 1.5em;\n  border-top: 1px solid rgb(0, 0, 0);\n}\n\n"
      ".related h2 {\n  font-size: 1em;\n}\n\n"
      ".snippet {\n  font-size: 0.9em;\n  margin: 0;\n}\n\n"
      "nav ol {\n  list-style-type: none;\n}\n\n"
      ".cover-page {\n  margin: 0;\n  padding: 0;\n  text-align: center;\n}\n\n"
      ".cover img {\n  max-width: 100%;\n  max-height: 100%;\n}\n";
  // Latin runs (marked with a left-to-right language) take the layout's Latin face.
  if (!layout.latin_family.empty())
    css += "\n.latin {\n  font-family: " + css_string(layout.latin_family) + ", serif;\n}\n";
  return css;
}

}  // namespace warraq::epub
