// Reading the native format (docs/format.md, schema/warraq.rng) into model::Edition.
// The reader keeps going after an error so one run reports every problem it can, but any
// error makes the result nullopt: a half-read edition must never reach a typesetter.
#include <map>

#include "input/detail.hpp"
#include "input/input.hpp"

namespace warraq::input {

namespace {

namespace fs = std::filesystem;
using detail::Context;
using detail::element_list;
using tinyxml2::XMLElement;

const std::initializer_list<std::string_view> kEditionChildren = {"title", "publisher", "section"};
const std::initializer_list<std::string_view> kArticleChildren = {
    "kicker", "headline", "subheadline", "byline", "dateline", "lead", "body", "related"};
const std::initializer_list<std::string_view> kBlocks = {"p",         "subheading", "quote",
                                                         "pullquote", "list",       "figure"};

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

// XML Namespaces §3 NCName, approximated for messages that must be stable: letters, digits,
// '-', '.', '_' and any non-ASCII character; not starting with a digit, '-' or '.'.
bool is_ncname(std::string_view id) {
  if (id.empty()) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    const bool other = (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!(letter || (i > 0 && other))) return false;
  }
  return true;
}

// A reference may only reach files beside or below the file that names it: editions come
// from newsrooms and feeds, and must not be able to pull in /etc/passwd or a sibling desk's
// embargoed copy.
bool stays_inside(const fs::path& href) {
  if (href.empty() || href.is_absolute() || href.has_root_name() || href.has_root_directory())
    return false;
  for (const auto& part : href)
    if (part == "..") return false;
  return true;
}

// Visits the children of an element-only `parent` that must come in the order of `order`,
// each at most once except `repeatable`. Unknown and misplaced children are reported.
template <typename Visit>
void ordered_children(const Context& context, const XMLElement* parent,
                      std::initializer_list<std::string_view> order, std::string_view repeatable,
                      Visit visit) {
  const std::string expected = element_list(order);
  std::size_t next = 0;
  for (const XMLElement* child : context.element_children(parent, expected)) {
    std::size_t index = 0;
    while (index < order.size() && order.begin()[index] != child->Name()) ++index;
    if (index == order.size()) {
      context.unknown_element(child, expected);
      continue;
    }
    const bool repeat_ok = index + 1 == next && order.begin()[index] == repeatable;
    if (index < next && !repeat_ok) {
      context.error(
          "element-order", child,
          std::string("<") + child->Name() + "> is out of place in <" + parent->Name() +
              ">: expected the children in the order " + expected +
              (repeatable.empty() ? ", each at most once"
                                  : ", each at most once but <" + std::string(repeatable) + ">"));
      continue;
    }
    next = index + 1;
    visit(order.begin()[index], child);
  }
}

class EditionReader {
 public:
  explicit EditionReader(model::Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  std::optional<model::Edition> read(std::string bytes, const fs::path& name) {
    const std::size_t errors_before = diagnostics_.error_count();
    detail::XmlSource source(name.string());
    if (!source.parse(std::move(bytes), diagnostics_)) return std::nullopt;
    const Context context{source, diagnostics_};
    const XMLElement* root = source.root();

    model::Edition edition;
    edition.where = {name.string(), 0, 0};
    const std::string_view root_name = root->Name();
    if (root_name == "edition") {
      read_edition(context, root, name.parent_path(), edition);
    } else if (root_name == "article") {
      article_file_edition(context, root, edition);
    } else {
      context.error(
          "wrong-root", root,
          "unknown root element <" + std::string(root_name) + ">: expected <edition> or <article>");
    }
    if (diagnostics_.error_count() > errors_before) return std::nullopt;
    return edition;
  }

 private:
  // A lone article file becomes a one-article edition so `warraq pdf article.xml` works.
  void article_file_edition(const Context& context, const XMLElement* root,
                            model::Edition& edition) {
    check_version(context, root);
    model::Article article = read_article(context, root, true);
    edition.title = model::plain_text(article.headline);
    if (article.date) edition.date = *article.date;
    edition.locale = "ar";
    model::Section section;
    section.id = "main";
    section.name = article.section;
    section.articles.push_back(std::move(article));
    edition.sections.push_back(std::move(section));
  }

  void check_version(const Context& context, const XMLElement* root) {
    const char* version = root->Attribute("version");
    if (!version) {
      context.error(
          "unsupported-version", root,
          std::string("missing format version: expected version=\"1\" on <") + root->Name() + ">");
    } else if (std::string_view(version) != "1") {
      context.error("unsupported-version", root,
                    std::string("unsupported format version ") + in_quotes(version) +
                        ": expected version=\"1\"");
    }
  }

  std::optional<model::Date> read_date(const Context& context, const XMLElement* element) {
    const char* text = element->Attribute("date");
    if (!text) return std::nullopt;
    auto date = model::Date::parse_iso(text);
    if (!date)
      context.error("bad-date", element,
                    std::string("bad date on <") + element->Name() +
                        ">: expected YYYY-MM-DD, got " + in_quotes(text));
    return date;
  }

  void read_edition(const Context& context, const XMLElement* root, const fs::path& base,
                    model::Edition& edition) {
    context.check_attributes(root, {"version", "locale", "dir", "layout", "date", "number"});
    check_version(context, root);
    if (context.required_attribute(root, "date")) {
      if (auto date = read_date(context, root)) edition.date = *date;
    }
    if (const char* locale = root->Attribute("locale")) {
      if (detail::is_language_tag(locale))
        edition.locale = locale;
      else
        context.error("bad-value", root,
                      std::string("bad locale ") + in_quotes(locale) +
                          " on <edition>: expected a BCP 47 tag like ar, ar-MA or ar-EG");
    }
    if (const char* dir = root->Attribute("dir")) {
      const std::string_view d = dir;
      if (d == "rtl" || d == "ltr")
        edition.direction = d == "rtl" ? model::Direction::rtl : model::Direction::ltr;
      else
        context.error(
            "bad-value", root,
            std::string("bad dir ") + in_quotes(dir) + " on <edition>: expected rtl or ltr");
    }
    if (const char* layout = root->Attribute("layout")) edition.layout = layout;
    if (const char* number = root->Attribute("number")) edition.number = number;

    bool has_title = false;
    ordered_children(context, root, kEditionChildren, "section",
                     [&](std::string_view name, const XMLElement* child) {
                       if (name == "title") {
                         context.check_attributes(child, {});
                         edition.title = context.text_only(child);
                         has_title = true;
                         if (edition.title.empty())
                           context.error("missing-title", child,
                                         "empty <title>: expected the edition's title text");
                       } else if (name == "publisher") {
                         context.check_attributes(child, {});
                         edition.publisher = context.text_only(child);
                       } else {
                         edition.sections.push_back(read_section(context, child, base));
                       }
                     });
    if (!has_title)
      context.error("missing-title", root, "expected a <title> as the first child of <edition>");
    if (edition.sections.empty())
      context.error("missing-section", root, "expected at least one <section> in <edition>");
  }

  void check_id(const Context& context, const XMLElement* element, std::string& out,
                std::map<std::string, model::SourceLocation>& seen, std::string_view what) {
    const char* id = element->Attribute("id");
    if (!id) {
      context.error("missing-id", element,
                    std::string("expected id=\"...\" on <") + element->Name() +
                        "> (an XML name, unique in the edition)");
      return;
    }
    out = id;
    if (!is_ncname(id)) {
      context.error("bad-id", element,
                    std::string("bad ") + std::string(what) + " id " + in_quotes(id) +
                        ": expected an XML name (NCName) such as hammouchi-belgium: letters, "
                        "digits, '-', '.', '_', not starting with a digit, '-' or '.'");
      return;
    }
    const auto where = context.source.where(element);
    const auto [it, inserted] = seen.emplace(id, where);
    if (!inserted)
      context.error("duplicate-id", element,
                    "duplicate " + std::string(what) + " id " + in_quotes(id) +
                        ": expected ids unique in the edition; first used at " +
                        it->second.to_string());
  }

  model::Section read_section(const Context& context, const XMLElement* element,
                              const fs::path& base) {
    model::Section section;
    context.check_attributes(element, {"id", "name"});
    check_id(context, element, section.id, section_ids_, "section");
    if (const char* name = context.required_attribute(element, "name")) section.name = name;
    const std::string expected = element_list({"article", "article-ref"});
    bool any_article = false;
    for (const XMLElement* child : context.element_children(element, expected)) {
      const std::string_view name = child->Name();
      any_article = any_article || name == "article" || name == "article-ref";
      if (name == "article") {
        section.articles.push_back(read_article(context, child, false));
      } else if (name == "article-ref") {
        read_article_ref(context, child, base, section);
      } else {
        context.unknown_element(child, expected);
      }
    }
    if (!any_article)
      context.error("empty-section", element,
                    "expected at least one <article> or <article-ref> in <section id=\"" +
                        section.id + "\">");
    return section;
  }

  void read_article_ref(const Context& context, const XMLElement* ref, const fs::path& base,
                        model::Section& section) {
    context.check_attributes(ref, {"href"});
    const char* href = context.required_attribute(ref, "href");
    if (!href) return;
    const fs::path relative(href);
    if (!stays_inside(relative)) {
      context.error("path-outside", ref,
                    "refused article-ref href " + in_quotes(href) +
                        ": expected a relative path inside the edition's folder (not absolute, "
                        "no '..')");
      return;
    }
    const fs::path resolved = (base / relative).lexically_normal();
    auto bytes = detail::read_bytes(resolved);
    if (!bytes) {
      context.error("missing-file", ref,
                    "cannot read the article file " + in_quotes(href) + " (resolved to " +
                        in_quotes(resolved.string()) + "): expected an existing file");
      return;
    }
    detail::XmlSource source(resolved.string());
    if (!source.parse(std::move(*bytes), diagnostics_)) return;
    const Context file_context{source, diagnostics_};
    const XMLElement* root = source.root();
    if (std::string_view(root->Name()) != "article") {
      file_context.error("wrong-root", root,
                         std::string("unknown root element <") + root->Name() +
                             "> in an article file: expected <article>");
      return;
    }
    check_version(file_context, root);
    section.articles.push_back(read_article(file_context, root, true));
  }

  model::Article read_article(const Context& context, const XMLElement* element, bool is_root) {
    model::Article article;
    article.where = context.source.where(element);
    if (is_root)
      context.check_attributes(element, {"version", "id", "date", "section", "weight"});
    else
      context.check_attributes(element, {"id", "date", "section", "weight"});
    check_id(context, element, article.id, article_ids_, "article");
    article.date = read_date(context, element);
    if (const char* section = element->Attribute("section")) article.section = section;
    if (const char* weight = element->Attribute("weight")) {
      const std::string_view w = weight;
      if (w.size() == 1 && w[0] >= '1' && w[0] <= '5')
        article.weight = w[0] - '0';
      else
        context.error(
            "bad-weight", element,
            "bad weight on <article>: expected an integer from 1 to 5, got " + in_quotes(weight));
    }

    const XMLElement* headline = nullptr;
    const XMLElement* body = nullptr;
    ordered_children(context, element, kArticleChildren, "",
                     [&](std::string_view name, const XMLElement* child) {
                       if (name == "related") {
                         context.check_attributes(child, {});
                         article.related = read_related(context, child);
                         return;
                       }
                       if (name == "body") {
                         body = child;
                         context.check_attributes(child, {});
                         article.body = read_body(context, child);
                         return;
                       }
                       context.check_attributes(child, {});
                       model::Inlines content = context.inlines(child);
                       if (name == "kicker") article.kicker = std::move(content);
                       if (name == "headline") {
                         headline = child;
                         article.headline = std::move(content);
                       }
                       if (name == "subheadline") article.subheadline = std::move(content);
                       if (name == "byline") article.byline = std::move(content);
                       if (name == "dateline") article.dateline = std::move(content);
                       if (name == "lead") article.lead = std::move(content);
                     });
    const std::string which = article.id.empty() ? "" : " id=\"" + article.id + "\"";
    if (!headline)
      context.error("missing-headline", element, "expected a <headline> in <article" + which + ">");
    else if (model::plain_text(article.headline).empty())
      context.error("missing-headline", headline,
                    "empty <headline>: expected the headline text of <article" + which + ">");
    if (!body)
      context.error("missing-body", element, "expected a <body> in <article" + which + ">");
    else if (article.body.empty())
      context.error("missing-body", body,
                    "empty <body>: expected at least one block " + element_list(kBlocks));
    return article;
  }

  std::vector<model::Block> read_body(const Context& context, const XMLElement* body) {
    std::vector<model::Block> blocks;
    const std::string expected = element_list(kBlocks);
    for (const XMLElement* child : context.element_children(body, expected)) {
      const std::string_view name = child->Name();
      model::Block block;
      block.where = context.source.where(child);
      if (name == "p" || name == "subheading" || name == "pullquote") {
        context.check_attributes(child, {});
        block.kind = name == "p"            ? model::BlockKind::paragraph
                     : name == "subheading" ? model::BlockKind::subheading
                                            : model::BlockKind::pull_quote;
        block.content = context.inlines(child);
      } else if (name == "quote") {
        context.check_attributes(child, {"cite"});
        block.kind = model::BlockKind::quote;
        if (const char* cite = child->Attribute("cite")) block.cite = cite;
        block.content = context.inlines(child);
      } else if (name == "list") {
        read_list(context, child, block);
      } else if (name == "figure") {
        read_figure(context, child, block);
      } else {
        context.unknown_element(child, expected);
        continue;
      }
      blocks.push_back(std::move(block));
    }
    return blocks;
  }

  void read_list(const Context& context, const XMLElement* list, model::Block& block) {
    block.kind = model::BlockKind::list;
    context.check_attributes(list, {"type"});
    if (const char* type = list->Attribute("type")) {
      const std::string_view t = type;
      if (t == "bullet" || t == "numbered")
        block.ordered = t == "numbered";
      else
        context.error("bad-value", list,
                      "bad type " + in_quotes(type) + " on <list>: expected bullet or numbered");
    }
    for (const XMLElement* item : context.element_children(list, "<item>")) {
      if (std::string_view(item->Name()) != "item") {
        context.unknown_element(item, "<item>");
        continue;
      }
      context.check_attributes(item, {});
      block.items.push_back(context.inlines(item));
    }
    if (block.items.empty())
      context.error("empty-list", list, "expected at least one <item> in <list>");
  }

  void read_figure(const Context& context, const XMLElement* figure, model::Block& block) {
    block.kind = model::BlockKind::figure;
    context.check_attributes(figure, {"src", "columns", "alt"});
    if (const char* alt = figure->Attribute("alt")) block.figure.alt = alt;
    if (const char* columns = figure->Attribute("columns")) {
      const std::string_view c = columns;
      if (c.size() == 1 && c[0] >= '1' && c[0] <= '9')
        block.figure.columns = c[0] - '0';
      else
        context.error("bad-value", figure,
                      "bad columns " + in_quotes(columns) +
                          " on <figure>: expected a column count from 1 to 9");
    }
    if (const char* src = context.required_attribute(figure, "src")) {
      if (!stays_inside(src)) {
        context.error("path-outside", figure,
                      "refused figure src " + in_quotes(src) +
                          ": expected a relative path inside the article's folder (not "
                          "absolute, no '..')");
      } else {
        const fs::path resolved =
            (fs::path(context.source.file()).parent_path() / src).lexically_normal();
        block.figure.src = resolved.string();
        std::error_code ec;
        if (!fs::is_regular_file(resolved, ec))
          context.error("missing-file", figure,
                        "cannot find the image " + in_quotes(src) + " (resolved to " +
                            in_quotes(resolved.string()) + "): expected an existing file");
      }
    }
    ordered_children(context, figure, {"caption", "credit"}, "",
                     [&](std::string_view name, const XMLElement* child) {
                       context.check_attributes(child, {});
                       (name == "caption" ? block.figure.caption : block.figure.credit) =
                           context.inlines(child);
                     });
  }

  std::vector<model::RelatedLink> read_related(const Context& context, const XMLElement* related) {
    std::vector<model::RelatedLink> links;
    for (const XMLElement* link : context.element_children(related, "<link>")) {
      if (std::string_view(link->Name()) != "link") {
        context.unknown_element(link, "<link>");
        continue;
      }
      context.check_attributes(link, {"href"});
      model::RelatedLink out;
      if (const char* href = link->Attribute("href")) out.href = href;
      bool has_title = false;
      ordered_children(context, link, {"title", "snippet"}, "",
                       [&](std::string_view name, const XMLElement* child) {
                         context.check_attributes(child, {});
                         if (name == "title") {
                           has_title = true;
                           out.title = context.text_only(child);
                         } else {
                           out.snippet = context.text_only(child);
                         }
                       });
      if (!has_title || out.title.empty())
        context.error("missing-title", link, "expected a non-empty <title> in <link>");
      links.push_back(std::move(out));
    }
    return links;
  }

  model::Diagnostics& diagnostics_;
  std::map<std::string, model::SourceLocation> article_ids_;
  std::map<std::string, model::SourceLocation> section_ids_;
};

}  // namespace

std::optional<model::Edition> read_edition(const std::filesystem::path& path,
                                           model::Diagnostics& diagnostics) {
  auto bytes = detail::read_bytes(path);
  if (!bytes) {
    diagnostics.error("missing-file", {path.string(), 0, 0},
                      "cannot read " + in_quotes(path.string()) +
                          ": expected an existing edition or article file");
    return std::nullopt;
  }
  return read_edition_text(*bytes, path, diagnostics);
}

std::optional<model::Edition> read_edition_text(const std::string& bytes,
                                                const std::filesystem::path& name,
                                                model::Diagnostics& diagnostics) {
  return EditionReader(diagnostics).read(bytes, name);
}

}  // namespace warraq::input
