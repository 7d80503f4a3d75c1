// RSS 2.0 (https://www.rssboard.org/rss-specification) and Atom (RFC 4287) feeds: one
// article per item or entry. Extension elements are matched by namespace, whatever prefix
// the feed binds: content:encoded (RSS 1.0 content module), dc:creator and dc:date (Dublin
// Core), media:content (Media RSS). Bodies are HTML and go through html_blocks().
#include <tinyxml2.h>

#include "input/import_detail.hpp"

namespace warraq::input::import {

namespace {

namespace fs = std::filesystem;
using tinyxml2::XMLElement;

constexpr std::string_view kAtom = "http://www.w3.org/2005/Atom";
constexpr std::string_view kContent = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDublinCore = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kMedia = "http://search.yahoo.com/mrss/";

// A feed's HTML starts on the line of its first text or CDATA node.
int content_line(const XMLElement* e) {
  return e->FirstChild() ? e->FirstChild()->GetLineNum() : e->GetLineNum();
}

// Atom's xhtml content is a <div> of XHTML: print it back as markup for the HTML parser.
std::string xhtml_markup(const XMLElement* e) {
  std::string out;
  const XMLElement* div = e->FirstChildElement();
  const tinyxml2::XMLNode* from = div && local_name(div) == "div" ? div : e;
  for (const auto* node = from->FirstChild(); node; node = node->NextSibling()) {
    tinyxml2::XMLPrinter printer(nullptr, true);
    node->Accept(&printer);
    out.append(printer.CStr(), static_cast<std::size_t>(printer.CStrSize() - 1));
  }
  std::string clean;
  for (char c : out)
    if (c != detail::kKeptSpace) clean += c;
  return clean;
}

// Plain text bodies (Atom type="text"): a blank line separates paragraphs.
std::string text_as_html(std::string_view text) {
  std::string out = "<p>";
  std::size_t blank = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      if (++blank == 2) out += "</p><p>";
      out += ' ';
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r') blank = 0;
    if (c == '<')
      out += "&lt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out + "</p>";
}

class FeedReader {
 public:
  FeedReader(const detail::XmlSource& source, const Sink& sink, fs::path base)
      : source_(source), sink_(sink), base_(std::move(base)) {}

  void error(std::string code, const tinyxml2::XMLNode* at, std::string message) const {
    sink_.diagnostics.error(std::move(code), source_.where(at), std::move(message));
  }

  // An Atom text construct (RFC 4287 §3.1) or an RSS element holding text or HTML, as text.
  std::string text_of(const XMLElement* e, bool atom) const {
    if (!e) return {};
    if (atom) {
      const char* type = e->Attribute("type");
      const std::string_view t = type ? type : "text";
      if (t == "xhtml") return html_text(xhtml_markup(e));
      if (t == "html") return html_text(raw_text(e));
      return element_text(e);
    }
    return html_text(raw_text(e));
  }

  std::vector<model::Block> body_of(const XMLElement* e, bool atom) const {
    HtmlOptions options;
    options.sink = &sink_;
    options.base = base_;
    options.line = content_line(e);
    std::string html;
    const char* type = e->Attribute("type");
    const std::string_view t = type ? type : (atom ? "text" : "html");
    if (atom && t == "xhtml")
      html = xhtml_markup(e);
    else if (atom && (t == "text" || t.rfind("text/plain", 0) == 0))
      html = text_as_html(raw_text(e));
    else
      html = raw_text(e);
    return html_blocks(html, options);
  }

  // enclosure (RSS) and media:content (Media RSS), when they name an image.
  void lead_image(const XMLElement* item, model::Article& article) const {
    for (const auto* e = item->FirstChildElement(); e; e = e->NextSiblingElement()) {
      std::string url;
      std::string type;
      model::Inlines caption;
      model::Inlines credit;
      const XMLElement* media = e;
      if (is(e, "", "enclosure")) {
        url = clean_text(e->Attribute("url") ? e->Attribute("url") : "");
        type = e->Attribute("type") ? e->Attribute("type") : "";
      } else if (is(e, kMedia, "group")) {
        media = child(e, kMedia, "content");
        if (!media) continue;
      } else if (!is(e, kMedia, "content") &&
                 !(is(e, kAtom, "link") && e->Attribute("rel") &&
                   std::string_view(e->Attribute("rel")) == "enclosure")) {
        continue;
      }
      if (media != e || is(e, kMedia, "content")) {
        url = clean_text(media->Attribute("url") ? media->Attribute("url") : "");
        type = media->Attribute("type") ? media->Attribute("type") : "";
        if (const char* medium = media->Attribute("medium"))
          if (std::string_view(medium) == "image") type = "image/";
        for (const auto* c = media->FirstChildElement(); c; c = c->NextSiblingElement()) {
          InlineBuilder builder(sink_.file);
          if (is(c, kMedia, "description") || (is(c, kMedia, "title") && caption.empty())) {
            builder.text(html_text(raw_text(c)), {}, c->GetLineNum());
            caption = builder.take();
          } else if (is(c, kMedia, "credit")) {
            builder.text(element_text(c), {}, c->GetLineNum());
            credit = builder.take();
          }
        }
      } else if (is(e, kAtom, "link")) {
        url = clean_text(e->Attribute("href") ? e->Attribute("href") : "");
        type = e->Attribute("type") ? e->Attribute("type") : "";
      }
      if (type.rfind("image/", 0) != 0) {
        sink_.drop(e->GetLineNum(), "enclosure of type '" + type + "' (only images are kept)");
        continue;
      }
      auto path = local_image(url, base_, sink_, e->GetLineNum(), false);
      if (!path) continue;
      bool already = false;
      for (const auto& b : article.body)
        already = already || (b.kind == model::BlockKind::figure && b.figure.src == *path);
      if (already) continue;
      model::Block figure;
      figure.kind = model::BlockKind::figure;
      figure.where = source_.where(e);
      figure.figure.src = *path;
      figure.figure.caption = caption;
      figure.figure.credit = credit;
      // The lead image opens the story, before the text.
      article.body.insert(article.body.begin(), std::move(figure));
      return;
    }
  }

  static model::Inlines one_span(const std::string& text, const std::string& file, int line) {
    if (text.empty()) return {};
    model::Span span;
    span.text = text;
    span.where = {file, line, 0};
    return {span};
  }

  // "jane@example.com (Jane Doe)", RSS's author form: the name in parentheses.
  static std::string author_name(std::string text) {
    const auto open = text.find('(');
    const auto close = text.rfind(')');
    if (open != std::string::npos && close != std::string::npos && close > open + 1 &&
        text.find('@') < open)
      return clean_text(text.substr(open + 1, close - open - 1));
    return text;
  }

  std::optional<model::Article> rss_item(const XMLElement* item) const {
    const std::size_t errors = sink_.diagnostics.error_count();
    model::Article article;
    article.where = source_.where(item);
    const XMLElement* title = child(item, "", "title");
    const std::string headline = text_of(title, false);
    if (headline.empty())
      error("missing-headline", title ? title : item, "expected a non-empty <title> in <item>");
    article.headline = one_span(headline, sink_.file, title ? title->GetLineNum() : 0);

    if (const auto* pub = child(item, "", "pubDate")) {
      const std::string text = element_text(pub);
      if (auto date = parse_rfc822(text))
        article.date = date;
      else
        error("bad-date", pub,
              "bad pubDate '" + text +
                  "' in <item>: expected an RFC 822 date such as 'Mon, 25 Nov 2024 08:30:00 "
                  "+0100'");
    } else if (const auto* dc = child(item, kDublinCore, "date")) {
      const std::string text = element_text(dc);
      if (auto date = parse_rfc3339(text))
        article.date = date;
      else
        error("bad-date", dc,
              "bad dc:date '" + text +
                  "' in <item>: expected a W3C date such as 2024-11-25 or "
                  "2024-11-25T08:30:00+01:00");
    }
    std::string byline;
    if (const auto* creator = child(item, kDublinCore, "creator"))
      byline = element_text(creator);
    else if (const auto* author = child(item, "", "author"))
      byline = author_name(element_text(author));
    article.byline = one_span(byline, sink_.file, item->GetLineNum());
    if (const auto* category = child(item, "", "category"))
      article.section = element_text(category);

    const XMLElement* body = child(item, kContent, "encoded");
    if (!body || clean_text(raw_text(body)).empty()) body = child(item, "", "description");
    if (!body || clean_text(raw_text(body)).empty()) {
      error("missing-body", item,
            "item '" + headline +
                "' has no text: expected a <content:encoded> or <description> with the story");
    } else {
      article.body = body_of(body, false);
      if (article.body.empty())
        error("missing-body", body,
              "nothing is left of item '" + headline +
                  "' once scripts, styles and frames are removed: expected paragraphs of text");
    }
    lead_image(item, article);

    // The id comes from the guid, unless the guid is not a permalink ("?p=48213") and the
    // item has a link, whose last path segment names the story.
    std::string key;
    const XMLElement* guid = child(item, "", "guid");
    const XMLElement* link = child(item, "", "link");
    const char* permalink = guid ? guid->Attribute("isPermaLink") : nullptr;
    if (guid && !(permalink && std::string_view(permalink) == "false" && link))
      key = element_text(guid);
    if (key.empty() && link) key = element_text(link);
    if (key.empty() && guid) key = element_text(guid);
    article.id = article_id(key, headline + (article.date ? article.date->iso() : ""));
    if (sink_.diagnostics.error_count() > errors) return std::nullopt;
    return article;
  }

  std::optional<model::Article> atom_entry(const XMLElement* entry) const {
    const std::size_t errors = sink_.diagnostics.error_count();
    model::Article article;
    article.where = source_.where(entry);
    const XMLElement* title = child(entry, kAtom, "title");
    const std::string headline = text_of(title, true);
    if (headline.empty())
      error("missing-headline", title ? title : entry, "expected a non-empty <title> in <entry>");
    article.headline = one_span(headline, sink_.file, title ? title->GetLineNum() : 0);

    const XMLElement* date = child(entry, kAtom, "published");
    if (!date) date = child(entry, kAtom, "updated");
    if (date) {
      const std::string text = element_text(date);
      if (auto d = parse_rfc3339(text); d && text.size() > 10)
        article.date = d;
      else
        error("bad-date", date,
              "bad " + std::string(local_name(date)) + " '" + text +
                  "' in <entry>: expected an RFC 3339 date-time such as "
                  "'2024-11-25T08:30:00+01:00'");
    }
    std::string byline;
    for (const auto* e = entry->FirstChildElement(); e; e = e->NextSiblingElement())
      if (is(e, kAtom, "author")) {
        const std::string name = element_text(child(e, kAtom, "name"));
        if (name.empty()) continue;
        if (!byline.empty()) byline += is_rtl_language(locale_) ? "، " : ", ";
        byline += name;
      }
    article.byline = one_span(byline, sink_.file, entry->GetLineNum());
    if (const auto* category = child(entry, kAtom, "category")) {
      const char* label = category->Attribute("label");
      const char* term = category->Attribute("term");
      article.section = clean_text(label ? label : (term ? term : ""));
    }
    const XMLElement* body = child(entry, kAtom, "content");
    if (body && body->Attribute("src")) {
      sink_.drop(body->GetLineNum(), "out-of-line <content src> (not fetched)");
      body = nullptr;
    }
    if (!body || (clean_text(raw_text(body)).empty() && !body->FirstChildElement()))
      body = child(entry, kAtom, "summary");
    if (!body || (clean_text(raw_text(body)).empty() && !body->FirstChildElement())) {
      error("missing-body", entry,
            "entry '" + headline + "' has no text: expected a <content> or <summary>");
    } else {
      article.body = body_of(body, true);
      if (article.body.empty())
        error("missing-body", body,
              "nothing is left of entry '" + headline +
                  "' once scripts, styles and frames are removed: expected paragraphs of text");
    }
    lead_image(entry, article);
    std::string key = element_text(child(entry, kAtom, "id"));
    if (key.empty())
      for (const auto* e = entry->FirstChildElement(); e; e = e->NextSiblingElement())
        if (is(e, kAtom, "link") && e->Attribute("href") &&
            (!e->Attribute("rel") || std::string_view(e->Attribute("rel")) == "alternate"))
          key = e->Attribute("href");
    article.id = article_id(key, headline + (article.date ? article.date->iso() : ""));
    if (sink_.diagnostics.error_count() > errors) return std::nullopt;
    return article;
  }

  std::optional<model::Edition> read(const XMLElement* root, Format format) {
    const bool atom = format == Format::atom;
    const std::size_t errors = sink_.diagnostics.error_count();
    const XMLElement* channel = root;
    if (atom) {
      if (!is(root, kAtom, "feed")) {
        error("wrong-root", root,
              std::string("unknown root element <") + root->Name() +
                  ">: expected <feed xmlns=\"http://www.w3.org/2005/Atom\">");
        return std::nullopt;
      }
    } else {
      if (local_name(root) != "rss") {
        error("wrong-root", root,
              std::string("unknown root element <") + root->Name() +
                  ">: expected <rss version=\"2.0\">");
        return std::nullopt;
      }
      channel = child(root, "", "channel");
      if (!channel) {
        error("missing-channel", root, "expected a <channel> in <rss>");
        return std::nullopt;
      }
    }
    model::Edition edition;
    edition.where = {sink_.file, 0, 0};
    const XMLElement* title = child(channel, atom ? kAtom : "", "title");
    edition.title = text_of(title, atom);
    if (edition.title.empty())
      error("missing-title", title ? title : channel,
            std::string("expected a non-empty <title> in <") + channel->Name() + ">");
    if (atom) {
      if (const char* lang = attribute(root, "lang")) locale_ = normalise_locale(lang);
      edition.publisher = element_text(child(child(root, kAtom, "author"), kAtom, "name"));
    } else {
      locale_ = normalise_locale(element_text(child(channel, "", "language")));
    }

    std::vector<model::Article> articles;
    bool any = false;
    for (const auto* e = channel->FirstChildElement(); e; e = e->NextSiblingElement()) {
      std::optional<model::Article> article;
      if (!atom && is(e, "", "item"))
        article = rss_item(e);
      else if (atom && is(e, kAtom, "entry"))
        article = atom_entry(e);
      else
        continue;
      any = true;
      if (article) articles.push_back(std::move(*article));
    }
    if (!any)
      error("empty-feed", channel,
            std::string("expected at least one <") + (atom ? "entry" : "item") + "> in <" +
                channel->Name() + ">");
    if (sink_.diagnostics.error_count() > errors) return std::nullopt;

    if (locale_.empty()) {
      locale_ = "en";
      for (unsigned char c : model::plain_text(articles.front().headline))
        if (c == 0xD8 || c == 0xD9) locale_ = "ar";
    }
    edition.locale = locale_;
    // Items group into sections by category, in the order the categories first appear;
    // uncategorised items go to a section named after the feed.
    for (auto& article : articles) {
      const std::string name = article.section.empty() ? edition.title : article.section;
      model::Section* target = nullptr;
      for (auto& s : edition.sections)
        if (s.name == name) target = &s;
      if (!target) {
        edition.sections.push_back({"", name, {}});
        target = &edition.sections.back();
      }
      target->articles.push_back(std::move(article));
    }
    if (!finish_edition(edition, sink_)) return std::nullopt;
    return edition;
  }

 private:
  const detail::XmlSource& source_;
  const Sink& sink_;
  fs::path base_;
  std::string locale_;
};

}  // namespace

std::optional<model::Edition> import_feed(const std::string& bytes, const fs::path& name,
                                          Format format, const Sink& sink) {
  auto utf8 = xml_to_utf8(bytes, sink);
  if (!utf8) return std::nullopt;
  detail::XmlSource source(sink.file);
  if (!source.parse(std::move(*utf8), sink.diagnostics)) return std::nullopt;
  return FeedReader(source, sink, name.parent_path()).read(source.root(), format);
}

}  // namespace warraq::input::import
