// The XHTML content documents: one per article, the navigation document, the cover page.
// Every <html> carries lang, xml:lang and dir (EPUB 3.3 §6.1.4, W3C "Arabic & Persian
// Layout Requirements" §2: direction is declared, never left to a reading system's guess).
#include <fstream>
#include <sstream>

#include "digest.hpp"

namespace warraq::epub {

namespace {

constexpr std::string_view xhtml_ns = "http://www.w3.org/1999/xhtml";
constexpr std::string_view ops_ns = "http://www.idpf.org/2007/ops";

// Opens <html>, writes the head, opens <body>.
void begin_document(XmlWriter& w, const Plan& plan, std::string_view title,
                    std::string_view to_root, Attributes body_attributes = {}) {
  w.prolog("<!DOCTYPE html>");
  w.open("html", {{"xmlns", std::string(xhtml_ns)},
                  {"xmlns:epub", std::string(ops_ns)},
                  {"lang", plan.lang},
                  {"xml:lang", plan.lang},
                  {"dir", plan.dir}});
  w.open("head");
  w.empty("meta", {{"charset", "utf-8"}});
  w.element("title", title);
  w.empty("link", {{"rel", "stylesheet"},
                   {"type", "text/css"},
                   {"href", std::string(to_root) + std::string(stylesheet_href)}});
  w.close("head");
  w.open("body", body_attributes);
}

std::string end_document(XmlWriter& w) {
  w.close("body");
  w.close("html");
  return w.finish();
}

bool is_latin_run(const model::Span& span) {
  return is_language_tag(span.lang) && !is_rtl_language(span.lang);
}

// Inline content: links, strong, emphasis and language runs, nested in that order. Adjacent
// spans with the same link target share one <a>.
void write_inlines(XmlWriter& w, const Plan& plan, const model::Inlines& spans) {
  std::optional<std::string> open_href;
  for (const auto& span : spans) {
    const std::optional<std::string> href =
        span.href.empty() ? std::nullopt : content_href(plan, span.href);
    if (open_href && open_href != href) {
      w.close("a");
      open_href.reset();
    }
    if (href && !open_href) {
      w.open("a", {{"href", *href}});
      open_href = href;
    }
    if (span.line_break) {
      w.empty("br");
      continue;
    }
    if (span.text.empty()) continue;
    if (span.style & model::strong) w.open("strong");
    if (span.style & model::emphasis) w.open("em");
    Attributes language;
    if (is_language_tag(span.lang)) {
      language.push_back({"lang", span.lang});
      language.push_back({"xml:lang", span.lang});
    }
    if (span.dir == "ltr" || span.dir == "rtl") language.push_back({"dir", span.dir});
    const bool latin = is_latin_run(span);
    // Latin runs take the layout's Latin face (DESIGN.md, Typesetting).
    if (latin) language.push_back({"class", "latin"});
    if (!language.empty()) w.open("span", language);
    w.text(shown_text(plan, span.text, latin));
    if (!language.empty()) w.close("span");
    if (span.style & model::emphasis) w.close("em");
    if (span.style & model::strong) w.close("strong");
  }
  if (open_href) w.close("a");
}

bool has_text(const model::Inlines& spans) {
  for (const auto& span : spans)
    for (char c : span.text)
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return true;
  return false;
}

void inline_block(XmlWriter& w, const Plan& plan, std::string_view name,
                  const model::Inlines& spans, const Attributes& attributes = {}) {
  if (!has_text(spans)) return;
  w.open(name, attributes);
  write_inlines(w, plan, spans);
  w.close(name);
}

std::optional<std::filesystem::path> resolve_image(const std::string& src,
                                                   const model::Article& article,
                                                   const model::Edition& edition) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> candidates{fs::path(src)};
  if (fs::path(src).is_relative()) {
    if (!article.where.file.empty())
      candidates.push_back(fs::path(article.where.file).parent_path() / src);
    if (!edition.where.file.empty())
      candidates.push_back(fs::path(edition.where.file).parent_path() / src);
  }
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, ec)) return c;
  return std::nullopt;
}

void write_figure(XmlWriter& w, const Plan& plan, const model::Article& article,
                  const model::Block& block, ImageStore& images, model::Diagnostics& diagnostics) {
  const model::Figure& figure = block.figure;
  std::optional<std::string> href;
  if (!figure.src.empty()) {
    const bool remote =
        figure.src.find("://") != std::string::npos || figure.src.rfind("data:", 0) == 0;
    const auto path = remote ? std::nullopt : resolve_image(figure.src, article, *plan.edition);
    if (path) {
      href = images.add(*path, block.where, diagnostics);
    } else {
      // A remote image would make the book depend on the network (EPUB 3.3 §3.6); a
      // missing one cannot be packaged. Either way the caption still appears.
      diagnostics.warning("epub-image-missing", block.where,
                          "figure image '" + figure.src +
                              (remote ? "' is not a local file; it is left out of the EPUB"
                                      : "' was not found; it is left out of the EPUB"));
    }
  }
  const bool caption = has_text(figure.caption) || has_text(figure.credit);
  if (!href && !caption && figure.alt.empty()) return;
  w.open("figure");
  if (href) w.empty("img", {{"src", "../" + *href}, {"alt", shown_text(plan, figure.alt)}});
  if (caption || !href) {
    w.open("figcaption");
    if (caption) {
      write_inlines(w, plan, figure.caption);
      if (has_text(figure.credit)) {
        if (has_text(figure.caption)) w.text(" ");
        w.open("span", {{"class", "credit"}});
        write_inlines(w, plan, figure.credit);
        w.close("span");
      }
    } else {
      w.text(shown_text(plan, figure.alt));  // the image is gone: its description stays
    }
    w.close("figcaption");
  }
  w.close("figure");
}

void write_block(XmlWriter& w, const Plan& plan, const model::Article& article,
                 const model::Block& block, ImageStore& images, model::Diagnostics& diagnostics) {
  switch (block.kind) {
    case model::BlockKind::paragraph:
      inline_block(w, plan, "p", block.content);
      break;
    case model::BlockKind::subheading:
      inline_block(w, plan, "h2", block.content);
      break;
    case model::BlockKind::quote:
      if (!has_text(block.content)) break;
      w.open("blockquote");
      inline_block(w, plan, "p", block.content);
      if (!block.cite.empty())
        w.element("p", shown_text(plan, std::string(plan.labels->quote_dash) + block.cite),
                  {{"class", "cite"}});
      w.close("blockquote");
      break;
    case model::BlockKind::pull_quote:
      // A pull quote repeats the text for the eye; DPUB-ARIA's doc-pullquote lets
      // assistive technology skip it.
      if (!has_text(block.content)) break;
      w.open("aside",
             {{"class", "pull-quote"}, {"epub:type", "pullquote"}, {"role", "doc-pullquote"}});
      inline_block(w, plan, "p", block.content);
      w.close("aside");
      break;
    case model::BlockKind::list: {
      bool any = false;
      for (const auto& item : block.items) any = any || has_text(item);
      if (!any) break;
      const char* name = block.ordered ? "ol" : "ul";
      w.open(name);
      for (const auto& item : block.items) inline_block(w, plan, "li", item);
      w.close(name);
      break;
    }
    case model::BlockKind::figure:
      write_figure(w, plan, article, block, images, diagnostics);
      break;
  }
}

void write_related(XmlWriter& w, const Plan& plan, const model::Article& article) {
  std::vector<const model::RelatedLink*> links;
  for (const auto& r : article.related)
    if (!r.title.empty() || !r.snippet.empty()) links.push_back(&r);
  if (links.empty()) return;
  w.open("section", {{"class", "related"}});
  w.element("h2", plan.labels->related);
  w.open("ul");
  for (const auto* r : links) {
    w.open("li");
    const std::string title = shown_text(plan, r->title.empty() ? r->snippet : r->title);
    if (const auto href = safe_href(r->href)) {
      w.element("a", title, {{"href", *href}});
    } else {
      w.element("span", title, {{"class", "related-title"}});
    }
    if (!r->title.empty() && !r->snippet.empty())
      w.element("p", shown_text(plan, r->snippet), {{"class", "snippet"}});
    w.close("li");
  }
  w.close("ul");
  w.close("section");
}

std::string guess_media_type(const std::string& bytes) {
  if (bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return "image/png";
  if (bytes.rfind("\xFF\xD8\xFF", 0) == 0) return "image/jpeg";
  if (bytes.rfind("GIF87a", 0) == 0 || bytes.rfind("GIF89a", 0) == 0) return "image/gif";
  return {};
}

}  // namespace

std::optional<std::string> ImageStore::add(const std::filesystem::path& path,
                                           const model::SourceLocation& where,
                                           model::Diagnostics& diagnostics) {
  std::error_code ec;
  auto key = std::filesystem::weakly_canonical(path, ec);
  if (ec) key = path;
  if (auto it = seen_.find(key); it != seen_.end()) return it->second;
  std::optional<std::string> href;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) {
    diagnostics.warning("epub-image-unreadable", where,
                        "cannot read figure image " + path.string() + "; it is left out");
  } else if (const std::string type = guess_media_type(bytes.str()); type.empty()) {
    // Only EPUB core media types need no fallback (EPUB 3.3 §3.2); SVG is refused too,
    // since it can carry script.
    diagnostics.warning(
        "epub-image-type", where,
        "figure image " + path.string() + " is not PNG, JPEG or GIF; it is left out of the EPUB");
  } else {
    const std::string n = std::to_string(resources_.size() + 1);
    const std::string id = "img-" + std::string(n.size() < 3 ? 3 - n.size() : 0, '0') + n;
    const std::string ext = type == "image/png" ? ".png" : type == "image/jpeg" ? ".jpg" : ".gif";
    href = "images/" + id + ext;
    resources_.push_back({*href, id, type, {}, bytes.str()});
  }
  seen_.emplace(key, href);
  return href;
}

std::string article_document(const Plan& plan, const ArticleEntry& entry, ImageStore& images,
                             DateTexts& dates, CodePoints& shown, model::Diagnostics& diagnostics) {
  const model::Article& article = *entry.article;
  XmlWriter w(XmlWriter::Mode::xhtml, &shown);
  begin_document(w, plan, entry.title, "../", {{"epub:type", "bodymatter"}});
  if (!entry.section_anchor.empty())
    w.element("p", entry.section_name, {{"class", "section-name"}, {"id", entry.section_anchor}});

  w.open("article", {{"id", entry.anchor}});
  w.open("header");
  inline_block(w, plan, "p", article.kicker, {{"class", "kicker"}});
  if (has_text(article.headline)) {
    inline_block(w, plan, "h1", article.headline);
  } else {
    w.element("h1", entry.title);
  }
  inline_block(w, plan, "p", article.subheadline, {{"class", "subheadline"}});
  inline_block(w, plan, "p", article.byline, {{"class", "byline"}});
  if (has_text(article.dateline) || article.date) {
    w.open("p", {{"class", "dateline"}});
    write_inlines(w, plan, article.dateline);
    if (article.date) {
      if (has_text(article.dateline)) w.text(plan.language == "ar" ? "، " : ", ");
      w.element("time", dates.shown(plan, *article.date), {{"datetime", article.date->iso()}});
    }
    w.close("p");
  }
  w.close("header");
  inline_block(w, plan, "p", article.lead, {{"class", "lead"}});
  for (const auto& block : article.body) write_block(w, plan, article, block, images, diagnostics);
  write_related(w, plan, article);
  w.close("article");
  return end_document(w);
}

std::string nav_document(const Plan& plan, CodePoints& shown) {
  XmlWriter w(XmlWriter::Mode::xhtml, &shown);
  begin_document(w, plan, plan.labels->contents, "");

  // EPUB 3.3 §7.4: the toc nav is an ordered list of links; a section is a link to its
  // label on the first page of the section, with its articles nested beneath it.
  w.open("nav", {{"epub:type", "toc"}, {"id", "toc"}, {"role", "doc-toc"}});
  w.element("h1", plan.labels->contents);
  w.open("ol");
  for (const auto& section : plan.sections) {
    const bool level = !section.name.empty();
    if (level) {
      w.open("li");
      w.element("a", shown_text(plan, section.name), {{"href", section.anchor_href}});
      w.open("ol");
    }
    for (std::size_t index : section.articles) {
      const ArticleEntry& a = plan.articles[index];
      w.open("li");
      w.element("a", a.title, {{"href", a.href + "#" + a.anchor}});
      w.close("li");
    }
    if (level) {
      w.close("ol");
      w.close("li");
    }
  }
  w.close("ol");
  w.close("nav");

  w.open("nav", {{"epub:type", "landmarks"}, {"id", "landmarks"}, {"hidden", "hidden"}});
  w.element("h2", plan.labels->landmarks);
  w.open("ol");
  if (plan.has_cover) {
    w.open("li");
    w.element("a", plan.labels->cover, {{"epub:type", "cover"}, {"href", "cover.xhtml"}});
    w.close("li");
  }
  w.open("li");
  w.element("a", plan.labels->contents, {{"epub:type", "toc"}, {"href", "nav.xhtml#toc"}});
  w.close("li");
  if (!plan.articles.empty()) {
    w.open("li");
    w.element("a", plan.labels->start,
              {{"epub:type", "bodymatter"}, {"href", plan.articles.front().href}});
    w.close("li");
  }
  w.close("ol");
  w.close("nav");
  return end_document(w);
}

std::string cover_document(const Plan& plan, std::string_view image_href, std::string_view alt) {
  XmlWriter w(XmlWriter::Mode::xhtml);
  begin_document(w, plan, plan.title.empty() ? plan.labels->cover : plan.title, "",
                 {{"class", "cover-page"}});
  w.open("section", {{"epub:type", "cover"}, {"class", "cover"}});
  w.empty("img",
          {{"src", std::string(image_href)}, {"alt", std::string(alt)}, {"role", "doc-cover"}});
  w.close("section");
  return end_document(w);
}

}  // namespace warraq::epub
