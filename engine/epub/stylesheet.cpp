// The digest's stylesheet, derived from the layout's type roles. It sticks to CSS 2.1 and
// the few CSS 3 features EPUB reading systems share (@font-face), so old readers degrade
// to their own fonts rather than to broken text; direction comes from dir attributes, not
// from CSS (CSS Writing Modes 3 §2.1 recommends markup for it).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "digest.hpp"

namespace warraq::epub {

namespace {

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

const model::TypeRole* find_role(const model::Layout& layout, const std::string& name) {
  const auto it = layout.roles.find(name);
  return it == layout.roles.end() ? nullptr : &it->second;
}

}  // namespace

Families stylesheet_families(const model::Layout& layout) {
  Families f;
  const model::TypeRole* body = find_role(layout, "body");
  const model::TypeRole* headline = find_role(layout, "headline");
  f.body = !layout.epub_body_family.empty() ? layout.epub_body_family
           : body                           ? body->family
                                            : std::string();
  f.headline = headline ? headline->family : f.body;
  f.latin = layout.latin_family;
  return f;
}

std::string stylesheet(const Plan& plan, const std::vector<EmbeddedFont>& fonts) {
  const model::Layout& layout = *plan.layout;
  const Families families = stylesheet_families(layout);
  const auto stack = [&](const std::string& first) {
    std::string s;
    for (const std::string* f : {&first, &families.latin})
      if (!f->empty() && s.find(css_string(*f)) == std::string::npos) s += css_string(*f) + ", ";
    return s + "serif";
  };
  const model::TypeRole* body = find_role(layout, "body");
  const double body_size = body && body->size > 0 ? body->size : 10;
  // A role's size relative to the body, in em, kept within what reads well on a phone.
  const auto relative = [&](const char* role, double fallback) {
    const model::TypeRole* r = find_role(layout, role);
    const double v = r && r->size > 0 ? r->size / body_size : fallback;
    return number(std::clamp(v, 0.75, 2.2)) + "em";
  };
  const auto role_color = [&](const char* role) -> std::string {
    const model::TypeRole* r = find_role(layout, role);
    if (!r || r->color == model::Color{}) return {};
    return "  color: " + color(r->color) + ";\n";
  };
  const auto weight = [&](const char* role, int fallback) {
    const model::TypeRole* r = find_role(layout, role);
    return std::to_string(r ? r->weight : fallback);
  };
  const auto style = [&](const char* role) -> std::string {
    const model::TypeRole* r = find_role(layout, role);
    return r && r->italic ? "  font-style: italic;\n" : "";
  };
  const bool justify = layout.justification != model::Justification::none;

  std::string css = "/* Warraq digest stylesheet, generated from layout \"" +
                    escape_text(layout.name).substr(0, 80) + "\". */\n\n";
  for (const auto& f : fonts) {
    css += "@font-face {\n  font-family: " + css_string(f.family) +
           ";\n  font-weight: " + std::to_string(f.weight) +
           ";\n  font-style: " + (f.italic ? "italic" : "normal") + ";\n  src: url(\"../" +
           f.resource.href + "\");\n}\n\n";
  }
  css +=
      "body {\n  font-family: " + stack(families.body) +
      ";\n  font-size: " + number(layout.epub_body_size_em > 0 ? layout.epub_body_size_em : 1.0) +
      "em;\n  line-height: " + number(layout.epub_line_height > 0 ? layout.epub_line_height : 1.6) +
      ";\n  margin: 0 4%;\n}\n\n";
  css +=
      "p {\n  margin: 0 0 0.6em 0;\n  text-align: " + std::string(justify ? "justify" : "start") +
      ";\n}\n\n";
  css +=
      "h1, h2, .kicker, .section-name, .pull-quote {\n  font-family: " + stack(families.headline) +
      ";\n}\n\n";
  css += "h1 {\n  font-size: " + relative("headline", 1.7) +
         ";\n  font-weight: " + weight("headline", 700) +
         ";\n  line-height: 1.3;\n  margin: 0.2em 0 0.4em 0;\n" + role_color("headline") + "}\n\n";
  css += "h2 {\n  font-size: " + relative("subheading", 1.2) +
         ";\n  font-weight: " + weight("subheading", 700) +
         ";\n  line-height: 1.35;\n  margin: 1em 0 0.4em 0;\n" + role_color("subheading") + "}\n\n";
  css +=
      ".section-name {\n  font-size: 0.9em;\n  font-weight: bold;\n  border-bottom: 2px solid "
      "rgb(0, 0, 0);\n  margin: 0 0 1em 0;\n  padding-bottom: 0.2em;\n}\n\n";
  css += ".kicker {\n  font-size: " + relative("kicker", 0.95) +
         ";\n  font-weight: bold;\n  margin: 0;\n" + role_color("kicker") + "}\n\n";
  css += ".subheadline {\n  font-size: " + relative("subheadline", 1.2) +
         ";\n  line-height: 1.4;\n  text-align: start;\n" + role_color("subheadline") + "}\n\n";
  css += ".byline, .dateline {\n  font-size: 0.9em;\n  margin: 0;\n  text-align: start;\n" +
         role_color("byline") + "}\n\n";
  css += "header {\n  margin-bottom: 1em;\n}\n\n";
  css += ".lead {\n  font-size: " + relative("lead", 1.08) + ";\n  font-weight: bold;\n" +
         role_color("lead") + "}\n\n";
  css += "blockquote {\n  margin: 1em 1.5em;\n" + style("quote") + role_color("quote") + "}\n\n";
  css += ".cite {\n  font-size: 0.9em;\n  text-align: end;\n}\n\n";
  css += ".pull-quote {\n  font-size: " + relative("pull_quote", 1.3) +
         ";\n  margin: 1em 0;\n  padding: 0.4em 0;\n  border-top: 1px solid rgb(0, 0, 0);\n"
         "  border-bottom: 1px solid rgb(0, 0, 0);\n" +
         role_color("pull_quote") + "}\n\n";
  css += ".pull-quote p {\n  text-align: center;\n  margin: 0;\n}\n\n";
  css += "figure {\n  margin: 1em 0;\n}\n\n";
  css += "figure img {\n  max-width: 100%;\n  height: auto;\n}\n\n";
  css += "figcaption {\n  font-size: " + relative("caption", 0.85) + ";\n" + role_color("caption") +
         "}\n\n";
  css += ".credit {\n  font-size: 0.9em;\n" + role_color("credit") + "}\n\n";
  css += ".related {\n  margin-top: 1.5em;\n  border-top: 1px solid rgb(0, 0, 0);\n}\n\n";
  css += ".related h2 {\n  font-size: 1em;\n}\n\n";
  css += ".snippet {\n  font-size: 0.9em;\n  margin: 0;\n}\n\n";
  if (!families.latin.empty())
    css += ".latin {\n  font-family: " + css_string(families.latin) + ", serif;\n}\n\n";
  css += "nav ol {\n  list-style-type: none;\n}\n\n";
  css += ".cover-page {\n  margin: 0;\n  padding: 0;\n  text-align: center;\n}\n\n";
  css += ".cover img {\n  max-width: 100%;\n  max-height: 100%;\n}\n";
  return css;
}

}  // namespace warraq::epub
