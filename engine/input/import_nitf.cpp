// IPTC NITF 3.x (News Industry Text Format, https://iptc.org/standards/nitf/): one article a
// file. Versions up to 3.3 have no namespace; 3.4 and later put everything in
// http://iptc.org/std/NITF/2006-10-18/, with or without a prefix. Both are read.
//
//   head/title, docdata (doc-id, urgency, date.issue, key-list), pubdata, tobject.subject
//   body.head: hedline (hl1 headline, hl2 subheadline), byline, dateline, abstract (lead)
//   body.content: p, hl2, block, media (image + caption + producer), bq, ol/ul, table, pre
//   body.end: tagline
#include "input/import_detail.hpp"

namespace warraq::input::import {

namespace {

namespace fs = std::filesystem;
using tinyxml2::XMLElement;

constexpr std::string_view kNitfNamespace = "http://iptc.org/std/NITF/";

bool nitf(const XMLElement* e, std::string_view local) {
  if (!e || local_name(e) != local) return false;
  const std::string ns = namespace_uri(e);
  return ns.empty() || ns.rfind(kNitfNamespace, 0) == 0;
}

const XMLElement* nchild(const XMLElement* parent, std::string_view local) {
  if (!parent) return nullptr;
  for (const auto* e = parent->FirstChildElement(); e; e = e->NextSiblingElement())
    if (nitf(e, local)) return e;
  return nullptr;
}

std::string attr_or(const XMLElement* e, std::string_view local) {
  if (!e) return {};
  const char* value = attribute(e, local);
  return value ? clean_text(value) : std::string{};
}

class NitfReader {
 public:
  NitfReader(const detail::XmlSource& source, const Sink& sink, fs::path base)
      : source_(source), sink_(sink), base_(std::move(base)) {}

  int line(const tinyxml2::XMLNode* node) const { return node ? node->GetLineNum() : 0; }

  void error(std::string code, const tinyxml2::XMLNode* at, std::string message) const {
    sink_.diagnostics.error(std::move(code), source_.where(at), std::move(message));
  }

  // Inline content: text, em, a, br, and NITF's semantic inline tags (person, org, location,
  // chron, money, num, q, ...) whose text is kept. lang/xml:lang sets a span's language.
  void inlines(const XMLElement* element, InlineAttributes attributes, InlineBuilder& out,
               int depth = 0) const {
    if (depth > 100) return;
    if (const char* lang = attribute(element, "lang")) {
      const std::string tag = normalise_locale(lang);
      if (!tag.empty()) {
        attributes.lang = tag;
        attributes.dir = is_rtl_language(tag) ? "rtl" : "ltr";
      }
    }
    for (const auto* node = element->FirstChild(); node; node = node->NextSibling()) {
      if (const auto* t = node->ToText()) {
        out.text(t->Value(), attributes, t->GetLineNum());
        continue;
      }
      const auto* e = node->ToElement();
      if (!e) continue;
      InlineAttributes inner = attributes;
      const std::string_view name = local_name(e);
      if (name == "br") {
        out.line_break(attributes, e->GetLineNum());
        continue;
      }
      if (name == "em") inner.style |= model::emphasis;
      if (name == "a")
        if (const char* href = attribute(e, "href")) {
          const std::string h = clean_text(href);
          // Only links the PDF and EPUB can follow: absolute web or mail addresses.
          if (h.rfind("http://", 0) == 0 || h.rfind("https://", 0) == 0 ||
              h.rfind("mailto:", 0) == 0)
            inner.href = h;
          else
            sink_.drop(e->GetLineNum(), "link '" + h + "' on <a> (its text is kept)");
        }
      if (name == "fn" || name == "note") {
        sink_.drop(e->GetLineNum(), "<" + std::string(name) + "> (footnotes and notes)");
        continue;
      }
      inlines(e, inner, out, depth + 1);
    }
  }

  model::Inlines inline_content(const XMLElement* element) const {
    InlineBuilder builder(sink_.file);
    if (element) inlines(element, {}, builder);
    return builder.take();
  }

  void paragraph(const XMLElement* e, model::BlockKind kind, std::vector<model::Block>& out,
                 unsigned style = model::plain) const {
    InlineBuilder builder(sink_.file);
    InlineAttributes attributes;
    attributes.style = style;
    inlines(e, attributes, builder);
    model::Block block;
    block.kind = kind;
    block.where = source_.where(e);
    block.content = builder.take();
    if (!block.content.empty()) out.push_back(std::move(block));
  }

  void media(const XMLElement* e, std::vector<model::Block>& out) const {
    const std::string type = attr_or(e, "media-type");
    const XMLElement* reference = nchild(e, "media-reference");
    const std::string mime = attr_or(reference, "mime-type");
    if (type != "image" && mime.rfind("image/", 0) != 0) {
      sink_.drop(line(e), "<media media-type=\"" + type + "\"> (only images are kept)");
      return;
    }
    if (!reference) {
      sink_.drop(line(e), "<media> without <media-reference>");
      return;
    }
    std::string src = attr_or(reference, "source");
    if (src.empty()) src = attr_or(reference, "data-location");
    auto path = local_image(src, base_, sink_, line(reference), true);
    if (!path) return;
    model::Block block;
    block.kind = model::BlockKind::figure;
    block.where = source_.where(e);
    block.figure.src = *path;
    block.figure.alt = attr_or(reference, "alternate-text");
    block.figure.caption = inline_content(nchild(e, "media-caption"));
    block.figure.credit = inline_content(nchild(e, "media-producer"));
    out.push_back(std::move(block));
  }

  // NITF tables are data tables; the model has none. They are rendered simply: the caption
  // as a subheading, then one paragraph a row with cells separated by " | " (header cells
  // strong), so no figure of the story is lost.
  void table(const XMLElement* e, std::vector<model::Block>& out, int depth) const {
    sink_.drop(line(e), "<table> layout (rendered as one paragraph a row)");
    if (const auto* caption = nchild(e, "caption"))
      paragraph(caption, model::BlockKind::subheading, out);
    std::vector<const XMLElement*> rows;
    const auto collect = [&](const XMLElement* parent, auto& self, int d) -> void {
      if (d > 8) return;
      for (const auto* c = parent->FirstChildElement(); c; c = c->NextSiblingElement()) {
        const std::string_view n = local_name(c);
        if (n == "tr")
          rows.push_back(c);
        else if (n == "thead" || n == "tbody" || n == "tfoot")
          self(c, self, d + 1);
      }
    };
    collect(e, collect, depth);
    for (const XMLElement* row : rows) {
      InlineBuilder builder(sink_.file);
      bool first = true;
      for (const auto* cell = row->FirstChildElement(); cell; cell = cell->NextSiblingElement()) {
        const std::string_view n = local_name(cell);
        if (n != "td" && n != "th") continue;
        if (!first) builder.text(" | ", {}, cell->GetLineNum());
        first = false;
        InlineAttributes a;
        if (n == "th") a.style = model::strong;
        inlines(cell, a, builder);
      }
      model::Block block;
      block.where = source_.where(row);
      block.content = builder.take();
      if (!block.content.empty()) out.push_back(std::move(block));
    }
  }

  void blocks(const XMLElement* container, std::vector<model::Block>& out, int depth = 0) const {
    if (depth > 50) {
      sink_.drop(line(container), "blocks nested deeper than 50");
      return;
    }
    for (const auto* node = container->FirstChild(); node; node = node->NextSibling()) {
      if (const auto* t = node->ToText()) {
        if (!clean_text(t->Value()).empty()) {
          model::Block block;
          block.where = {sink_.file, t->GetLineNum(), 0};
          InlineBuilder builder(sink_.file);
          builder.text(t->Value(), {}, t->GetLineNum());
          block.content = builder.take();
          out.push_back(std::move(block));
        }
        continue;
      }
      const auto* e = node->ToElement();
      if (!e) continue;
      const std::string_view name = local_name(e);
      if (name == "p") {
        paragraph(e, model::BlockKind::paragraph, out);
      } else if (name == "hl2" || name == "hl1") {
        paragraph(e, model::BlockKind::subheading, out);
      } else if (name == "block") {
        blocks(e, out, depth + 1);
      } else if (name == "media") {
        media(e, out);
      } else if (name == "bq") {
        std::vector<model::Block> inside;
        blocks(e, inside, depth + 1);
        const std::string cite = element_text(nchild(e, "credit"));
        for (auto& b : inside) {
          if (b.kind == model::BlockKind::paragraph) b.kind = model::BlockKind::quote;
          if (b.kind == model::BlockKind::quote) b.cite = cite;
          out.push_back(std::move(b));
        }
      } else if (name == "credit") {
        // handled by <bq>
      } else if (name == "ol" || name == "ul") {
        model::Block list;
        list.kind = model::BlockKind::list;
        list.ordered = name == "ol";
        list.where = source_.where(e);
        for (const auto* li = e->FirstChildElement(); li; li = li->NextSiblingElement())
          if (local_name(li) == "li") {
            auto item = inline_content(li);
            if (!item.empty()) list.items.push_back(std::move(item));
          }
        if (!list.items.empty()) out.push_back(std::move(list));
      } else if (name == "dl") {
        for (const auto* d = e->FirstChildElement(); d; d = d->NextSiblingElement())
          paragraph(d, model::BlockKind::paragraph, out,
                    local_name(d) == "dt" ? model::strong : model::plain);
      } else if (name == "table") {
        table(e, out, depth);
      } else if (name == "pre") {
        InlineBuilder builder(sink_.file);
        const std::string text = raw_text(e);
        for (std::size_t start = 0; start <= text.size();) {
          auto end = text.find('\n', start);
          if (end == std::string::npos) end = text.size();
          builder.text(std::string_view(text).substr(start, end - start), {}, e->GetLineNum());
          builder.line_break({}, e->GetLineNum());
          start = end + 1;
        }
        model::Block block;
        block.where = source_.where(e);
        block.content = builder.take();
        if (!block.content.empty()) out.push_back(std::move(block));
      } else if (name == "hr") {
      } else if (name == "nitf-table" || name == "fn" || name == "note" || name == "ed-msg" ||
                 name == "bibliography") {
        sink_.drop(line(e), "<" + std::string(name) + ">");
      } else {
        sink_.drop(line(e), "unknown element <" + std::string(name) + "> in " +
                                std::string(local_name(container)) + " (its text is kept)");
        paragraph(e, model::BlockKind::paragraph, out);
      }
    }
  }

  // "By Jane Doe" / «بقلم : خالد الحافظ»: the model's byline is the name only.
  model::Inlines byline(const XMLElement* e) const {
    if (!e) return {};
    if (const auto* person = nchild(e, "person")) return inline_content(person);
    model::Inlines spans = inline_content(e);
    if (!spans.empty() && !spans[0].line_break) {
      std::string& t = spans[0].text;
      for (std::string_view label : {"By ", "by ", "BY ", "بقلم : ", "بقلم: ", "بقلم ", "كتب : "})
        if (t.rfind(label, 0) == 0 && t.size() > label.size()) {
          t.erase(0, label.size());
          break;
        }
    }
    return spans;
  }

  std::optional<model::Edition> read(const XMLElement* root, const fs::path& name) {
    const std::size_t errors = sink_.diagnostics.error_count();
    if (!nitf(root, "nitf")) {
      error("wrong-root", root,
            std::string("unknown root element <") + root->Name() +
                ">: expected <nitf> (IPTC NITF 3.x)");
      return std::nullopt;
    }
    const XMLElement* head = nchild(root, "head");
    const XMLElement* body = nchild(root, "body");
    const XMLElement* docdata = nchild(head, "docdata");
    const XMLElement* body_head = nchild(body, "body.head");
    const XMLElement* content = nchild(body, "body.content");
    const XMLElement* hedline = nchild(body_head, "hedline");

    model::Article article;
    article.where = source_.where(root);
    const XMLElement* hl1 = nchild(hedline, "hl1");
    article.headline = inline_content(hl1);
    if (article.headline.empty()) {
      // NITF allows a document with only head/title (wire briefs): use it as the headline.
      if (const auto* title = nchild(head, "title")) article.headline = inline_content(title);
    }
    if (article.headline.empty())
      error("missing-headline", hl1 ? hl1 : (hedline ? hedline : root),
            "expected a headline: <hl1> in <body.head><hedline>, or <title> in <head>");
    bool first_hl2 = true;
    if (hedline)
      for (const auto* e = hedline->FirstChildElement(); e; e = e->NextSiblingElement())
        if (nitf(e, "hl2")) {
          model::Inlines part = inline_content(e);
          if (!first_hl2 && !part.empty()) {
            model::Span space;
            space.text = " ";
            article.subheadline.push_back(space);
          }
          first_hl2 = false;
          for (auto& s : part) article.subheadline.push_back(std::move(s));
        }
    article.byline = byline(nchild(body_head, "byline"));
    if (const auto* dateline = nchild(body_head, "dateline")) {
      const auto* location = nchild(dateline, "location");
      article.dateline = inline_content(location ? location : dateline);
    }
    if (const auto* abstract = nchild(body_head, "abstract")) {
      InlineBuilder builder(sink_.file);
      inlines(abstract, {}, builder);
      article.lead = builder.take();
    }

    // Dates: docdata/date.issue, else dateline/story.date, else docdata/date.release.
    const XMLElement* date_element = nchild(docdata, "date.issue");
    if (!date_element) date_element = nchild(nchild(body_head, "dateline"), "story.date");
    if (!date_element) date_element = nchild(docdata, "date.release");
    if (date_element) {
      const std::string norm = attr_or(date_element, "norm");
      if (auto date = parse_iso8601(norm))
        article.date = date;
      else
        error("bad-date", date_element,
              "bad date on <" + std::string(local_name(date_element)) + " norm=\"" + norm +
                  "\">: expected ISO 8601 such as 20241125T083000+0100 or 2024-11-25");
    }

    // urgency: 1 (most urgent) .. 8 (least) per the NITF DTD; the model's weight runs the
    // other way, 5 (lead story) .. 1 (brief).
    if (const auto* urgency = nchild(docdata, "urgency")) {
      const std::string u = attr_or(urgency, "ed-urg");
      if (u.size() == 1 && u[0] >= '1' && u[0] <= '8') {
        static constexpr int kWeight[] = {5, 5, 4, 3, 2, 1, 1, 1};
        article.weight = kWeight[u[0] - '1'];
      } else {
        error("bad-value", urgency,
              "bad ed-urg '" + u + "' on <urgency>: expected an integer from 1 to 8");
      }
    }

    std::string section = attr_or(nchild(head, "pubdata"), "position.section");
    if (section.empty())
      if (const auto* tobject = nchild(head, "tobject"))
        if (const auto* subject = nchild(tobject, "tobject.subject")) {
          section = attr_or(subject, "tobject.subject.matter");
          if (section.empty()) section = attr_or(subject, "tobject.subject.type");
        }
    if (section.empty())
      if (const auto* keywords = nchild(docdata, "key-list"))
        section = attr_or(nchild(keywords, "keyword"), "key");
    article.section = section;

    if (content) {
      blocks(content, article.body);
    }
    if (const auto* end = nchild(body, "body.end"))
      for (const auto* e = end->FirstChildElement(); e; e = e->NextSiblingElement())
        if (local_name(e) == "tagline")
          paragraph(e, model::BlockKind::paragraph, article.body, model::emphasis);
    if (article.body.empty())
      error("missing-body", content ? content : (body ? body : root),
            "expected at least one paragraph in <body.content>");

    std::string locale;
    for (const XMLElement* e : {root, head, body})
      if (e && locale.empty())
        if (const char* lang = attribute(e, "lang")) locale = normalise_locale(lang);
    if (locale.empty()) {
      const std::string h = model::plain_text(article.headline);
      locale = "en";
      for (unsigned char c : h)
        if (c == 0xD8 || c == 0xD9) locale = "ar";
    }

    const std::string doc_id = attr_or(nchild(docdata, "doc-id"), "id-string");
    article.id = article_id(doc_id.empty() ? name.stem().string() : doc_id,
                            model::plain_text(article.headline));

    if (sink_.diagnostics.error_count() > errors) return std::nullopt;
    model::Edition edition;
    edition.where = {sink_.file, 0, 0};
    edition.locale = locale;
    edition.title = attr_or(nchild(head, "pubdata"), "name");
    if (edition.title.empty()) edition.title = model::plain_text(article.headline);
    edition.publisher = attr_or(nchild(docdata, "doc.copyright"), "holder");
    model::Section s;
    s.name = section.empty() ? default_section_name(locale) : section;
    s.articles.push_back(std::move(article));
    edition.sections.push_back(std::move(s));
    if (!finish_edition(edition, sink_)) return std::nullopt;
    return edition;
  }

 private:
  const detail::XmlSource& source_;
  const Sink& sink_;
  fs::path base_;
};

}  // namespace

std::optional<model::Edition> import_nitf(const std::string& bytes, const fs::path& name,
                                          const Sink& sink) {
  auto utf8 = xml_to_utf8(bytes, sink);
  if (!utf8) return std::nullopt;
  detail::XmlSource source(sink.file);
  if (!source.parse(std::move(*utf8), sink.diagnostics)) return std::nullopt;
  return NitfReader(source, sink, name.parent_path()).read(source.root(), name);
}

}  // namespace warraq::input::import
