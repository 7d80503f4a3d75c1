// HTML bodies of feed items, parsed by gumbo (a conforming HTML5 parser: the same tree a
// browser builds from unclosed tags, stray entities and misnested markup). The body is
// untrusted: only structure the model can hold survives — paragraphs, subheadings, quotes,
// lists, figures, emphasis, links, language runs, line breaks. Scripts, styles, frames,
// forms, event attributes and javascript:/data: URLs never reach the model; each is listed
// as dropped (`--verbose`).
#include <gumbo.h>

#include <memory>

#include "input/import_detail.hpp"

namespace warraq::input::import {

namespace {

// RAII for gumbo's output tree; gumbo frees it with the options it was parsed with.
struct GumboDeleter {
  void operator()(GumboOutput* output) const {
    if (output) gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};
using GumboTree = std::unique_ptr<GumboOutput, GumboDeleter>;

GumboTree parse(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are normal in feeds and are not reported
  return GumboTree(gumbo_parse_with_options(&options, html.data(), html.size()));
}

// The element's lower-case name, also for tags gumbo does not know (<o:p>, <font2>).
std::string tag_name(const GumboElement& element) {
  if (element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(element.tag);
  GumboStringPiece piece = element.original_tag;
  gumbo_tag_from_original_text(&piece);
  std::string name(piece.data ? piece.data : "", piece.data ? piece.length : 0);
  for (char& c : name)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return name.empty() ? "unknown" : name;
}

const char* attr(const GumboElement& element, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&element.attributes, name);
  return a ? a->value : nullptr;
}

// Elements whose whole content is left out: active content, embedded documents, forms and
// metadata. Their text is code, fallback or chrome, never the article.
bool is_dropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_HEAD:
      return true;
    default:
      return false;
  }
}

// Elements that end the paragraph before them and start a new one.
bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML:
      return true;
    default:
      return false;
  }
}

std::string lower(std::string_view text) {
  std::string out = clean_text(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// URL schemes that run code or smuggle content in (WHATWG URL's "javascript:" and RFC 2397
// data: URLs); browsers ignore ASCII whitespace and controls inside the scheme, so do we.
bool is_unsafe_url(std::string_view url) {
  std::string compact;
  for (char c : url)
    if (static_cast<unsigned char>(c) > 0x20) compact += c;
  const std::string l = lower(compact);
  return l.rfind("javascript:", 0) == 0 || l.rfind("vbscript:", 0) == 0 || l.rfind("data:", 0) == 0;
}

// Links the outputs can follow: a relative href in a feed points into the publisher's site (or
// at an anchor of the page), which neither the PDF nor the EPUB holds.
bool is_absolute_link(std::string_view url) {
  const std::string l = lower(url);
  return l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0 || l.rfind("mailto:", 0) == 0;
}

// Deeper nesting than this is not news markup; stop there rather than exhaust the stack.
constexpr int kMaxDepth = 200;

class Converter {
 public:
  explicit Converter(const HtmlOptions& options)
      : options_(options), paragraph_(options.sink ? options.sink->file : std::string{}) {}

  std::vector<model::Block> run(const GumboOutput& output) {
    const GumboNode* root = output.root;
    if (root && root->type == GUMBO_NODE_ELEMENT)
      for (unsigned i = 0; i < root->v.element.children.length; ++i) {
        const auto* node = static_cast<const GumboNode*>(root->v.element.children.data[i]);
        if (node->type != GUMBO_NODE_ELEMENT) continue;
        if (node->v.element.tag == GUMBO_TAG_HEAD)
          note_head(node);
        else
          walk(node, {}, 0);
      }
    flush();
    return std::move(blocks_);
  }

 private:
  int line_of(const GumboSourcePosition& position) const {
    return options_.line + static_cast<int>(position.line) - 1;
  }

  void drop(int line, std::string what) const {
    if (options_.sink) options_.sink->drop(line, std::move(what));
  }

  // Misplaced <script>, <style> and <meta> land in the head; they were in the body's HTML.
  void note_head(const GumboNode* head) const {
    for (unsigned i = 0; i < head->v.element.children.length; ++i) {
      const auto* node = static_cast<const GumboNode*>(head->v.element.children.data[i]);
      if (node->type == GUMBO_NODE_ELEMENT)
        drop(line_of(node->v.element.start_pos), "<" + tag_name(node->v.element) + "> element");
    }
  }

  void flush() {
    model::Inlines content = paragraph_.take();
    if (content.empty()) return;
    if (list_ >= 0) {
      blocks_[static_cast<std::size_t>(list_)].items.push_back(std::move(content));
      return;
    }
    model::Block block;
    block.kind = kind_;
    block.where = content.front().where;
    block.content = std::move(content);
    blocks_.push_back(std::move(block));
  }

  InlineAttributes with_element(const GumboElement& element, const std::string& name,
                                InlineAttributes attributes, int line) const {
    for (unsigned i = 0; i < element.attributes.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(element.attributes.data[i]);
      const std::string an = lower(a->name);
      if (an.size() > 2 && an[0] == 'o' && an[1] == 'n')
        drop(line, "event attribute " + an + " on <" + name + ">");
    }
    if (const char* lang = attr(element, "lang")) {
      const std::string tag = normalise_locale(lang);
      if (!tag.empty()) attributes.lang = tag;
    }
    if (const char* dir = attr(element, "dir")) {
      const std::string d = lower(dir);
      if (d == "ltr" || d == "rtl") attributes.dir = d;
    }
    return attributes;
  }

  void text(const GumboNode* node, const InlineAttributes& attributes) {
    const int line = line_of(node->v.text.start_pos);
    if (!in_pre_) {
      paragraph_.text(node->v.text.text, attributes, line);
      return;
    }
    // Preformatted text keeps its line breaks (collapsing would join the lines).
    std::string_view t = node->v.text.text;
    for (std::size_t start = 0; start <= t.size();) {
      auto end = t.find('\n', start);
      if (end == std::string_view::npos) end = t.size();
      if (start > 0) paragraph_.line_break(attributes, line);
      paragraph_.text(t.substr(start, end - start), attributes, line);
      start = end + 1;
    }
  }

  void children(const GumboNode* node, const InlineAttributes& attributes, int depth) {
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
      walk(static_cast<const GumboNode*>(kids.data[i]), attributes, depth + 1);
  }

  void figure(const GumboElement& image, const model::Inlines& caption, int line,
              bool inside_figure) {
    if (inside_figure) with_element(image, "img", {}, line);  // reports its event attributes
    const char* src = attr(image, "src");
    if (!src) {
      drop(line, "<img> without src");
      return;
    }
    if (!options_.sink) return;
    auto path = local_image(src, options_.base, *options_.sink, line, false);
    if (!path) return;
    model::Block block;
    block.kind = model::BlockKind::figure;
    block.where = {options_.sink->file, line, 0};
    block.figure.src = *path;
    if (const char* alt = attr(image, "alt")) block.figure.alt = clean_text(alt);
    block.figure.caption = caption;
    blocks_.push_back(std::move(block));
  }

  static const GumboNode* find(const GumboNode* node, GumboTag tag, int depth = 0) {
    if (node->type != GUMBO_NODE_ELEMENT || depth > kMaxDepth) return nullptr;
    if (node->v.element.tag == tag) return node;
    for (unsigned i = 0; i < node->v.element.children.length; ++i)
      if (const auto* found =
              find(static_cast<const GumboNode*>(node->v.element.children.data[i]), tag, depth + 1))
        return found;
    return nullptr;
  }

  void walk(const GumboNode* node, InlineAttributes attributes, int depth) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        text(node, attributes);
        return;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        break;
      default:
        return;  // comments, the document node
    }
    const GumboElement& element = node->v.element;
    const int line = line_of(element.start_pos);
    const std::string name = tag_name(element);
    if (depth > kMaxDepth) {
      drop(line, "markup nested deeper than " + std::to_string(kMaxDepth) + " elements");
      return;
    }
    if (is_dropped(element.tag) || node->type == GUMBO_NODE_TEMPLATE) {
      drop(line, "<" + name + "> element");
      return;
    }
    attributes = with_element(element, name, attributes, line);
    const GumboTag tag = element.tag;

    switch (tag) {
      case GUMBO_TAG_BR:
        // Two breaks in a row are how many feeds separate paragraphs.
        if (paragraph_.ends_with_break()) {
          paragraph_.drop_trailing_break();
          flush();
        } else {
          paragraph_.line_break(attributes, line);
        }
        return;
      case GUMBO_TAG_EM:
      case GUMBO_TAG_I:
      case GUMBO_TAG_CITE:
      case GUMBO_TAG_DFN:
      case GUMBO_TAG_VAR:
        attributes.style |= model::emphasis;
        children(node, attributes, depth);
        return;
      case GUMBO_TAG_STRONG:
      case GUMBO_TAG_B:
        attributes.style |= model::strong;
        children(node, attributes, depth);
        return;
      case GUMBO_TAG_A:
        if (const char* href = attr(element, "href")) {
          if (is_unsafe_url(href))
            drop(line, "link to a " + lower(std::string_view(href).substr(0, 11)) +
                           "... URL on <a> (its text is kept)");
          else if (is_absolute_link(href))
            attributes.href = clean_text(href);
          else if (!clean_text(href).empty())
            drop(line, "relative link '" + clean_text(href) + "' on <a> (its text is kept)");
        }
        children(node, attributes, depth);
        return;
      case GUMBO_TAG_IMG:
        flush();
        figure(element, {}, line, false);
        return;
      case GUMBO_TAG_FIGURE: {
        flush();
        const GumboNode* image = find(node, GUMBO_TAG_IMG);
        const GumboNode* caption = find(node, GUMBO_TAG_FIGCAPTION);
        model::Inlines caption_inlines;
        if (caption) {
          InlineBuilder saved = std::move(paragraph_);
          paragraph_ = InlineBuilder(options_.sink ? options_.sink->file : std::string{});
          children(caption, attributes, depth);
          caption_inlines = paragraph_.take();
          paragraph_ = std::move(saved);
        }
        if (image)
          figure(image->v.element, caption_inlines, line, true);
        else
          drop(line, "<figure> without an image");
        return;
      }
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
        nested(node, attributes, depth, list_ >= 0 ? kind_ : model::BlockKind::subheading);
        return;
      case GUMBO_TAG_BLOCKQUOTE:
        nested(node, attributes, depth, list_ >= 0 ? kind_ : model::BlockKind::quote);
        return;
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL: {
        flush();
        if (list_ >= 0) {  // a nested list: its items join the outer one
          children(node, attributes, depth);
          flush();
          return;
        }
        model::Block list;
        list.kind = model::BlockKind::list;
        list.ordered = tag == GUMBO_TAG_OL;
        list.where = {options_.sink ? options_.sink->file : std::string{}, line, 0};
        blocks_.push_back(std::move(list));
        const int index = static_cast<int>(blocks_.size()) - 1;
        list_ = index;
        children(node, attributes, depth);
        flush();
        list_ = -1;
        if (blocks_[static_cast<std::size_t>(index)].items.empty())
          blocks_.erase(blocks_.begin() + index);
        return;
      }
      case GUMBO_TAG_LI:
        flush();
        children(node, attributes, depth);
        flush();
        return;
      case GUMBO_TAG_PRE: {
        flush();
        const bool was = in_pre_;
        in_pre_ = true;
        children(node, attributes, depth);
        in_pre_ = was;
        flush();
        return;
      }
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        // Tables are rendered simply: one paragraph a row, cells separated by spaces.
        paragraph_.text(" ", attributes, line);
        children(node, attributes, depth);
        paragraph_.text(" ", attributes, line);
        return;
      case GUMBO_TAG_TABLE:
        drop(line, "<table> layout (rendered as one paragraph a row)");
        break;
      default:
        break;
    }
    if (is_block(tag)) {
      flush();
      children(node, attributes, depth);
      flush();
      return;
    }
    // Any other element (span, u, small, sup, font, abbr, time, ...) keeps its text only.
    children(node, attributes, depth);
  }

  void nested(const GumboNode* node, const InlineAttributes& attributes, int depth,
              model::BlockKind kind) {
    flush();
    const model::BlockKind saved = kind_;
    kind_ = kind;
    children(node, attributes, depth);
    flush();
    kind_ = saved;
  }

  const HtmlOptions& options_;
  InlineBuilder paragraph_;
  std::vector<model::Block> blocks_;
  model::BlockKind kind_ = model::BlockKind::paragraph;
  int list_ = -1;  // index of the open list block, if any
  bool in_pre_ = false;
};

void gather_text(const GumboNode* node, std::string& out, int depth) {
  if (depth > kMaxDepth) return;
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    out += node->v.text.text;
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  if (is_dropped(node->v.element.tag)) return;
  for (unsigned i = 0; i < node->v.element.children.length; ++i)
    gather_text(static_cast<const GumboNode*>(node->v.element.children.data[i]), out, depth + 1);
  if (node->v.element.tag == GUMBO_TAG_BR || is_block(node->v.element.tag)) out += ' ';
}

}  // namespace

std::vector<model::Block> html_blocks(std::string_view html, const HtmlOptions& options) {
  const GumboTree tree = parse(html);
  if (!tree) return {};
  return Converter(options).run(*tree);
}

std::string html_text(std::string_view html) {
  // Plain text needs no parser: most titles are text, and gumbo would turn "a<b" into a tag.
  if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos)
    return clean_text(html);
  const GumboTree tree = parse(html);
  if (!tree) return clean_text(html);
  std::string out;
  gather_text(tree->root, out, 0);
  return clean_text(out);
}

}  // namespace warraq::input::import
