// Inline content: nested em/strong/a/span/br become a flat list of spans, each carrying the
// attributes of everything that encloses it (model::Span), with XML whitespace collapsed.
#include "input/detail.hpp"

namespace warraq::input::detail {

namespace {

using Attributes = InlineAttributes;

// A run of text as the tree holds it, before whitespace is collapsed across element edges.
struct Piece {
  std::string text;
  Attributes attributes;
  int line = 0;
  bool line_break = false;
};

const std::initializer_list<std::string_view> kInlineElements = {"em", "strong", "a", "br", "span"};

void collect(const Context& context, const tinyxml2::XMLElement* element,
             const Attributes& enclosing, std::vector<Piece>& pieces) {
  for (const auto* node = element->FirstChild(); node; node = node->NextSibling()) {
    if (const auto* text = node->ToText()) {
      pieces.push_back({text->Value(), enclosing, text->GetLineNum(), false});
      continue;
    }
    const auto* child = node->ToElement();
    if (!child) continue;  // comments and processing instructions carry no content
    const std::string_view name = child->Name();
    Attributes inner = enclosing;
    if (name == "em") {
      context.check_attributes(child, {});
      inner.style |= model::emphasis;
    } else if (name == "strong") {
      context.check_attributes(child, {});
      inner.style |= model::strong;
    } else if (name == "a") {
      context.check_attributes(child, {"href"});
      if (const char* href = context.required_attribute(child, "href")) inner.href = href;
    } else if (name == "span") {
      context.check_attributes(child, {"lang", "dir"});
      if (const char* lang = child->Attribute("lang")) {
        if (is_language_tag(lang))
          inner.lang = lang;
        else
          context.error("bad-value", child,
                        std::string("bad lang='") + lang +
                            "' on <span>: expected a language tag like en, fr or ar-MA");
      }
      if (const char* dir = child->Attribute("dir")) {
        if (std::string_view(dir) == "ltr" || std::string_view(dir) == "rtl")
          inner.dir = dir;
        else
          context.error("bad-value", child,
                        std::string("bad dir='") + dir + "' on <span>: expected ltr or rtl");
      }
    } else if (name == "br") {
      context.check_attributes(child, {});
      for (const auto* inside = child->FirstChild(); inside; inside = inside->NextSibling())
        if (inside->ToElement() ||
            (inside->ToText() && !collapse_whitespace(inside->Value()).empty()))
          context.error("unknown-element", inside, "<br> must be empty: expected <br/>");
      pieces.push_back({"", enclosing, child->GetLineNum(), true});
      continue;
    } else {
      context.unknown_element(child, "text or inline markup " + element_list(kInlineElements));
      continue;
    }
    collect(context, child, inner, pieces);
  }
}

}  // namespace

model::Inlines Context::inlines(const tinyxml2::XMLElement* element) const {
  std::vector<Piece> pieces;
  collect(*this, element, {}, pieces);

  model::Inlines spans;
  const auto emit = [&](std::string_view text, const Attributes& a, int line) {
    append_span(spans, text, a, source.where_line(line));
  };

  // A whitespace run that crosses element edges is still one run: it becomes a single space
  // in the span where it began, and disappears at the start and end of the block and on
  // either side of a <br/> (a forced break already separates the words).
  bool at_line_start = true;
  bool pending_space = false;
  Attributes space_attributes;
  int space_line = 0;
  for (const Piece& piece : pieces) {
    if (piece.line_break) {
      pending_space = false;
      at_line_start = true;
      model::Span span;
      span.line_break = true;
      span.style = piece.attributes.style;
      span.href = piece.attributes.href;
      span.lang = piece.attributes.lang;
      span.dir = piece.attributes.dir;
      span.where = source.where_line(piece.line);
      spans.push_back(std::move(span));
      continue;
    }
    const std::string_view text = piece.text;
    for (std::size_t i = 0; i < text.size();) {
      if (is_xml_space(text[i])) {
        if (!at_line_start && !pending_space) {
          pending_space = true;
          space_attributes = piece.attributes;
          space_line = piece.line;
        }
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && !is_xml_space(text[end])) ++end;
      if (pending_space) emit(" ", space_attributes, space_line);
      pending_space = false;
      at_line_start = false;
      emit(text.substr(i, end - i), piece.attributes, piece.line);
      i = end;
    }
  }
  return spans;
}

void append_span(model::Inlines& spans, std::string_view text, const InlineAttributes& a,
                 const model::SourceLocation& where) {
  if (!spans.empty()) {
    const model::Span& last = spans.back();
    if (!last.line_break && last.style == a.style && last.href == a.href && last.lang == a.lang &&
        last.dir == a.dir) {
      spans.back().text += text;
      return;
    }
  }
  model::Span span;
  span.text = std::string(text);
  span.style = a.style;
  span.href = a.href;
  span.lang = a.lang;
  span.dir = a.dir;
  span.where = where;
  spans.push_back(std::move(span));
}

}  // namespace warraq::input::detail
