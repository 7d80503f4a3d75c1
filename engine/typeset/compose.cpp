// Page composition: the newspaper page as a grid of columns filled by rectangular blocks.
//
//   typeset()      checks fonts and figure images, then runs the Composer until the page
//                  numbers it prints (contents, jump lines) agree with where things landed
//   Composer::run  masthead and contents on page 1, then per section an opener band and
//                  per article a block: head spanning the columns its weight asks for,
//                  spanning figures, body lines balanced across the block's columns on the
//                  baseline grid; what does not fit jumps to the next page
//   finish_page    running head (section, title, date), folio, column rules
//
// Columns are numbered in reading order: column 0 is the rightmost in a right-to-left
// edition. Each column keeps its filled depth (a skyline); an article goes where its
// columns are least deep, so blocks sit side by side the way a newspaper page is built.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "compose_plan.hpp"
#include "locale/locale.hpp"
#include "paragraph.hpp"

namespace warraq::typeset {

namespace {

constexpr double kEps = 1e-6;

// A line waiting for a column: the space to leave above it (dropped at the top of a
// column), its indent inside the column, and what widow/orphan control needs to know.
struct FlowLine {
  SetLine line;
  double gap_before = 0;
  double x_offset = 0;
  int paragraph = -1;           // lines of one paragraph share a number; -1: never split-checked
  int index = 0;                // line index in its paragraph
  int count = 1;                // lines in the paragraph
  bool keep_with_next = false;  // subheadings, figure images: never last in a column
};

Item make_item(Item::Kind kind) { return Item{kind, {}, {}, {}, {}, {}, {}, {}}; }

void move_items(std::vector<Item>& items, double dx, double dy) {
  for (Item& item : items) {
    switch (item.kind) {
      case Item::Kind::glyphs:
        for (Glyph& g : item.run.glyphs) g.x += dx, g.y += dy;
        for (Kashida& k : item.run.kashidas) k.x += dx, k.y += dy;
        break;
      case Item::Kind::outline:
        for (Glyph& g : item.ink.glyphs) g.x += dx, g.y += dy;
        break;
      case Item::Kind::rule:
        item.rule.x0 += dx, item.rule.x1 += dx, item.rule.y0 += dy, item.rule.y1 += dy;
        break;
      case Item::Kind::image:
        item.image.x += dx, item.image.y += dy;
        break;
      case Item::Kind::link:
        item.link.x += dx, item.link.y += dy;
        break;
      case Item::Kind::anchor:
        item.anchor.x += dx, item.anchor.y += dy;
        break;
      case Item::Kind::tag:
        break;
    }
  }
}

// The layout's wording with a field ("{page}", "{number}") filled in.
std::string fill_in(std::string pattern, const std::string& field, const std::string& value) {
  const auto at = pattern.find(field);
  if (at != std::string::npos) pattern.replace(at, field.size(), value);
  return pattern;
}
std::string replace_page(const std::string& pattern, const std::string& page) {
  return fill_in(pattern, "{page}", page);
}

// A figure set at some width: the image box and its caption and credit lines.
struct SetFigure {
  Image image;  // x relative to the figure's measure, y from its top
  double image_height = 0;
  std::vector<SetLine> caption;
  std::vector<SetLine> credit;
  double height = 0;  // image + caption + credit, not yet on the grid
};

// An article (or the rest of one) waiting for a place on a page.
struct Block {
  const model::Article* article = nullptr;
  const model::Section* section = nullptr;
  int span = 1;                // columns its weight asks for
  int part = 0;                // 0: the article's start; n: its n-th continuation
  int from_page = 0;           // continuation: the page it jumped from
  bool opens_section = false;  // the section's first article carries its opener
  std::vector<FlowLine> rest;  // continuation: the lines still to place
};

// Lines of paragraphs already set, for the passes that only settle page numbers: those
// passes set the same paragraphs at the same widths, and need each line's metrics, not its
// glyphs. Keeping metrics only (no items) keeps the memo small for a long edition; the
// final pass sets every paragraph again for output.
class ParagraphMemo {
 public:
  // The lines of `spec` at `width`, set by `shaper` on first use.
  // Safe to call from the composing thread and one prefetching thread at once, each with
  // its own Shaper.
  std::vector<SetLine> set(Shaper& shaper, const ParagraphSpec& spec, double width) {
    const Key key = key_of(spec, width);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto found = lines_.find(key); found != lines_.end()) return found->second;
    }
    std::vector<SetLine> lines = shaper.set(spec, width, nullptr, /*metrics_only=*/true);
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.emplace(key, lines);
    return lines;
  }

  // How far the composing thread has got (articles in edition order): a prefetching
  // thread working from the other end stops where they meet.
  void composing_article(std::size_t index) { composing_.store(index); }
  std::size_t composing() const { return composing_.load(); }

  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_ = {};
  }

 private:
  // Two independent 64-bit hashes of everything that decides the lines.
  using Key = std::pair<std::uint64_t, std::uint64_t>;
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return k.first ^ (k.second * 0x9E3779B97F4A7C15ull);
    }
  };
  static Key key_of(const ParagraphSpec& spec, double width) {
    std::string bytes;
    auto add = [&bytes](const auto& value) {
      bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
    };
    auto add_text = [&](const std::string& text) {
      add(text.size());
      bytes += text;
    };
    add(width);
    add(spec.role);
    add_text(spec.role_name);
    add(spec.direction);
    add(spec.align);
    add(spec.justification);
    add(spec.limits);
    add(spec.digits);
    add_text(spec.latin_family);
    add_text(spec.language);
    add(spec.first_indent);
    for (const StyledText& part : spec.parts) {
      add_text(part.text);
      add(part.role);
      add(part.style);
      add_text(part.lang);
      add_text(part.dir);
      add_text(part.href);
      add(part.line_break);
    }
    std::uint64_t fnv = 0xcbf29ce484222325ull;
    for (unsigned char c : bytes) fnv = (fnv ^ c) * 0x100000001b3ull;
    return {fnv, std::hash<std::string>{}(bytes)};
  }
  std::mutex mutex_;
  std::unordered_map<Key, std::vector<SetLine>, KeyHash> lines_;
  std::atomic<std::size_t> composing_{0};
};

class Composer {
 public:
  Composer(const model::Edition& edition, const model::Layout& layout, Shaper& shaper,
           const Options& options, const std::map<std::string, ImageInfo>& images,
           const Plan& previous, Plan& plan, const PageSink& sink, Statistics* stats,
           ParagraphMemo* memo)
      : edition_(edition),
        layout_(layout),
        shaper_(shaper),
        memo_(memo),
        images_(images),
        previous_(previous),
        plan_(plan),
        sink_(sink),
        stats_(stats) {
    justification_ = options.justification.value_or(layout.justification);
    digits_ = options.digits.value_or(layout.digits);
    rtl_ = edition.direction == model::Direction::rtl;
    left_ = rtl_ ? layout.margin_outer : layout.margin_inner;
    right_ = layout.page_width - (rtl_ ? layout.margin_inner : layout.margin_outer);
    columns_ = std::max(1, layout.columns);
    column_width_ = (right_ - left_ - (columns_ - 1) * layout.gutter) / columns_;
    grid_ = layout.role("body").leading > 0 ? layout.role("body").leading : 12;
    const model::TypeRole& head = layout.role("running_head");
    inner_top_ = layout.margin_top + head.leading + head.size * 0.8;
    bottom_ = layout.page_height - layout.margin_bottom - layout.role("folio").leading;
  }

  // The columns an article's weight asks for on this layout.
  int span_of(const model::Article& article) const {
    return std::clamp(layout_.headline_columns(article.weight), 1, columns_);
  }

  // Sets the body of every article from the last back to the one the composing thread has
  // reached, into the memo: the discarding pass's paragraphs, shaped on a second core.
  void prefetch_bodies() {
    std::vector<const model::Article*> articles;
    for (const model::Section& section : edition_.sections)
      for (const model::Article& article : section.articles) articles.push_back(&article);
    for (std::size_t i = articles.size(); i-- > 0 && i > memo_->composing() + 1;) {
      make_body(*articles[i], span_of(*articles[i]));
    }
  }

  void run() {
    start_page();
    masthead();
    contents();
    std::size_t index = 0;
    for (const model::Section& section : edition_.sections) {
      bool first = true;
      for (const model::Article& article : section.articles) {
        if (memo_) memo_->composing_article(index++);
        Block block;
        block.article = &article;
        block.section = &section;
        block.opens_section = first;
        first = false;
        block.span = span_of(article);
        while (!place(block)) new_page();
      }
    }
    while (!continuations_.empty()) new_page();
    finish_page();
  }

 private:
  // ---- paragraphs --------------------------------------------------------------------
  ParagraphSpec spec(const std::string& role_name, Align align) const {
    ParagraphSpec s;
    s.role_name = role_name;
    s.role = &layout_.role(role_name);
    s.direction = edition_.direction;
    s.align = align;
    s.justification = justification_;
    s.limits = &layout_.limits;
    s.digits = digits_;
    s.latin_family = layout_.latin_family;
    s.language = edition_.language();
    return s;
  }

  static void add_inlines(ParagraphSpec& s, const model::Inlines& inlines) {
    for (const model::Span& span : inlines)
      s.parts.push_back(
          {span.text, nullptr, span.style, span.lang, span.dir, span.href, span.line_break});
  }
  static void add_text(ParagraphSpec& s, const std::string& text) {
    s.parts.push_back({text, nullptr, model::plain, "", "", "", false});
  }

  std::vector<SetLine> set(const ParagraphSpec& s, double width) {
    if (width <= 1) width = 1;
    if (memo_) return memo_->set(shaper_, s, width);
    return shaper_.set(s, width, stats_);
  }
  std::vector<SetLine> set_text(const std::string& role, Align align, const std::string& text,
                                double width) {
    ParagraphSpec s = spec(role, align);
    add_text(s, text);
    return set(s, width);
  }
  std::string number(int n) const { return locale::convert_digits(std::to_string(n), digits_); }

  // ---- geometry ----------------------------------------------------------------------
  double column_x(int column) const {
    const int slot = rtl_ ? columns_ - 1 - column : column;
    return left_ + slot * (column_width_ + layout_.gutter);
  }
  double span_width(int count) const {
    return count * column_width_ + (count - 1) * layout_.gutter;
  }
  // Left edge of the columns [first, first + count).
  double span_x(int first, int count) const {
    return std::min(column_x(first), column_x(first + count - 1));
  }
  // Heights in columns are whole grid steps from the page's content top, so lines in
  // neighbouring columns share baselines whatever role they have.
  double on_grid(double height) const { return std::ceil(height / grid_ - kEps) * grid_; }
  double snap(double y) const { return top_ + on_grid(y - top_); }
  double step(const FlowLine& fl, bool top) const {
    return on_grid(fl.line.leading) + (top ? 0 : on_grid(fl.gap_before));
  }
  double max_top(int first, int count) const {
    return *std::max_element(col_top_.begin() + first, col_top_.begin() + first + count);
  }
  // Structure tags alone do not make a page.
  bool page_empty() const { return items_left_out_ == 0 && page_.items.size() == tags_on_page_; }

  // ---- pages -------------------------------------------------------------------------
  void start_page() {
    page_ = Page{};
    page_.number = ++page_number_;
    page_.label = number(page_.number);
    page_.width = layout_.page_width;
    page_.height = layout_.page_height;
    items_left_out_ = 0;
    tags_on_page_ = 0;
    top_ = inner_top_;
    bottom_limit_ = bottom_;
    col_top_.assign(static_cast<std::size_t>(columns_), top_);
    body_spans_.assign(static_cast<std::size_t>(columns_), {});
    page_section_.clear();
  }

  void new_page() {
    finish_page();
    start_page();
    // Continuations open the page they jumped to, so "continued on page N" is the next page
    // unless continuations themselves fill it (the plan then carries the real number).
    std::deque<Block> waiting;
    waiting.swap(continuations_);
    for (Block& b : waiting)
      if (!place(b)) continuations_.push_back(std::move(b));
  }

  // ---- logical structure -----------------------------------------------------------
  // Lines placed while an article is being placed are tagged: the article's part on the
  // page is an "Art" element, each paragraph (or head part) inside it an element named by
  // its role. Elements open and close on the same page, so their marked content is on
  // one page. Links stay outside them: only the contents block has links, and it is not
  // an article.
  static const char* element_of(const std::string& role) {
    if (role == "headline") return "H1";
    if (role == "subheadline" || role == "subheading") return "H2";
    if (role == "quote") return "BlockQuote";
    return "P";
  }
  void tag(const std::string& name, bool begin) {
    Item t = make_item(Item::Kind::tag);
    t.tag = {name, begin};
    page_.items.push_back(std::move(t));
    ++tags_on_page_;
  }
  void structure_for(const SetLine& line, int paragraph) {
    if (structure_article_.empty()) return;
    if (!art_open_) {
      tag("Art", true);
      art_open_ = true;
    }
    const std::pair<int, std::string> key{paragraph, line.box.role};
    if (element_open_ && key == element_key_) return;
    if (element_open_) tag(element_, false);
    element_ = element_of(line.box.role);
    element_key_ = key;
    element_open_ = true;
    tag(element_, true);
  }
  void close_structure() {
    if (element_open_) tag(element_, false);
    if (art_open_) tag("Art", false);
    element_open_ = art_open_ = false;
  }

  void put(SetLine line, double x, double baseline, int column, int paragraph = -1) {
    structure_for(line, paragraph);
    items_left_out_ += line.items_left_out;
    move_items(line.items, x, baseline);
    ++line_number_;
    for (Item& item : line.items)
      if (item.kind == Item::Kind::glyphs) item.run.line = line_number_;
    line.box.x = x;
    line.box.baseline = baseline;
    line.box.column = column;
    for (Item& item : line.items) page_.items.push_back(std::move(item));
    page_.lines.push_back(std::move(line.box));
  }

  void rule(double x0, double y0, double x1, double y1, double width, const model::Color& c) {
    Item r = make_item(Item::Kind::rule);
    r.rule = {x0, y0, x1, y1, width, c};
    page_.items.push_back(std::move(r));
  }

  // Lines set at `width` placed from `y` down (full-width or spanning material); returns
  // the new y.
  double stack(std::vector<SetLine> lines, double x, double y, double gap_first = 0) {
    bool first = true;
    for (SetLine& l : lines) {
      if (first) y += gap_first;
      first = false;
      const double baseline = y + l.leading * 0.75;
      y += l.leading;
      put(std::move(l), x, baseline, -1);
    }
    return y;
  }

  // Column rules run only beside body text: where both neighbouring columns hold flowing
  // lines, never across heads, figures or bands that span columns.
  void body_span(int column, double y0, double y1) {
    if (y1 > y0 + kEps) body_spans_[static_cast<std::size_t>(column)].push_back({y0, y1});
  }

  void running_head_and_folio() {
    const double width = right_ - left_;
    const model::TypeRole& head = layout_.role("running_head");
    if (page_.number > 1) {
      // Section at the start side, the edition's title in the middle, its date at the end.
      const double baseline = layout_.margin_top + head.size * 0.8;
      if (!page_section_.empty())
        for (SetLine& l : set_text("running_head", Align::start, page_section_, width))
          put(std::move(l), left_, baseline, -1);
      for (SetLine& l : set_text("running_head", Align::center, edition_.title, width))
        put(std::move(l), left_, baseline, -1);
      const std::string date = locale::format_date(edition_.date, edition_.locale, digits_);
      for (SetLine& l : set_text("running_head", Align::end, date, width))
        put(std::move(l), left_, baseline, -1);
      const double rule_y = baseline + head.size * 0.45;
      rule(left_, rule_y, right_, rule_y, 0.5, head.color);
    }
    const double folio_baseline = layout_.page_height - layout_.margin_bottom;
    for (SetLine& l : set_text("folio", Align::center, page_.label, width))
      put(std::move(l), left_, folio_baseline, -1);
  }

  void column_rules() {
    if (!layout_.column_rule || columns_ < 2) return;
    for (int g = 1; g < columns_; ++g) {
      // Between logical columns g-1 and g, in the middle of the gutter.
      const double xa = column_x(g - 1), xb = column_x(g);
      const double x = (std::max(xa, xb) + std::min(xa, xb) + column_width_) / 2;
      std::vector<std::pair<double, double>> segments;
      for (const auto& [a0, a1] : body_spans_[static_cast<std::size_t>(g - 1)])
        for (const auto& [b0, b1] : body_spans_[static_cast<std::size_t>(g)]) {
          const double y0 = std::max(a0, b0), y1 = std::min(a1, b1);
          if (y1 > y0 + 1) segments.push_back({y0, y1});
        }
      std::sort(segments.begin(), segments.end());
      for (std::size_t i = 0; i < segments.size();) {
        auto [y0, y1] = segments[i];
        for (++i; i < segments.size() && segments[i].first <= y1 + 1; ++i)
          y1 = std::max(y1, segments[i].second);
        rule(x, y0, x, y1, layout_.column_rule_width, layout_.column_rule_color);
      }
    }
  }

  void finish_page() {
    close_structure();
    if (page_empty()) return;
    column_rules();
    running_head_and_folio();
    if (stats_) ++stats_->pages;
    sink_(std::move(page_));
    page_ = Page{};
  }

  void anchor(const std::string& name, const std::string& title, int level, double x, double y) {
    Item a = make_item(Item::Kind::anchor);
    a.anchor = {name, x, y, title, level};
    page_.items.push_back(std::move(a));
  }

  // ---- front page --------------------------------------------------------------------
  // The masthead: the title across the page, then a rule, the edition number, the date in
  // the edition's locale and the Hijri date beside it (ICU calendars), and a thin rule.
  void masthead() {
    const double width = right_ - left_;
    const model::TypeRole& role = layout_.role("masthead");
    double y = stack(set_text("masthead", Align::center, edition_.title, width), left_,
                     layout_.margin_top);
    rule(left_, y + 2, right_, y + 2, 1.5, role.color);
    y += 4;
    const model::TypeRole& info = layout_.role("running_head");
    const double baseline = y + info.leading * 0.75;
    if (!edition_.number.empty() && !layout_.issue_label.empty())
      for (SetLine& l : set_text("running_head", Align::start,
                                 fill_in(layout_.issue_label, "{number}",
                                         locale::convert_digits(edition_.number, digits_)),
                                 width))
        put(std::move(l), left_, baseline, -1);
    for (SetLine& l : set_text("running_head", Align::center,
                               locale::format_date(edition_.date, edition_.locale, digits_), width))
      put(std::move(l), left_, baseline, -1);
    for (SetLine& l :
         set_text("running_head", Align::end,
                  locale::format_hijri_date(edition_.date, edition_.locale, digits_), width))
      put(std::move(l), left_, baseline, -1);
    y += info.leading;
    rule(left_, y + 1, right_, y + 1, 0.5, role.color);
    y += 2 + std::max(role.space_after, grid_ * 0.5);
    top_ = y;
    col_top_.assign(static_cast<std::size_t>(columns_), top_);
  }

  // Contents: the layout's title («في هذا العدد»), then per section its name and one entry
  // per article with the page it starts on, each entry a link to the article's named
  // destination. On page 1: a band across the foot of the page when it takes little room,
  // else under the masthead. A layout with an empty title has no contents block.
  void contents() {
    if (edition_.article_count() < 2 || layout_.contents_title.empty()) return;
    std::vector<FlowLine> flow;
    int paragraph = 0;
    for (const model::Section& section : edition_.sections) {
      add_flow(flow, set_text("kicker", Align::start, section.name, column_width_),
               flow.empty() ? 0 : grid_ * 0.5, paragraph++, true);
      for (const model::Article& article : section.articles) {
        const auto page = previous_.article_page.find(article.id);
        const int n = page == previous_.article_page.end() ? page_number_ : page->second;
        ParagraphSpec s = spec("dateline", Align::start);
        add_inlines(s, article.headline);
        add_text(s, " … " + number(n));
        std::vector<SetLine> lines = set(s, column_width_);
        for (SetLine& l : lines) {
          Item link = make_item(Item::Kind::link);
          link.link.x = 0;
          link.link.y = -grid_ * 0.75;
          link.link.width = column_width_;
          link.link.height = on_grid(l.leading);
          link.link.destination = article.id;
          l.items.push_back(std::move(link));
        }
        add_flow(flow, std::move(lines), 0, paragraph++, false);
      }
    }
    // Balanced height across all columns.
    std::vector<double> starts(static_cast<std::size_t>(columns_), 0);
    const double room = bottom_limit_ - top_;
    double lo = 0, hi = room * 4;
    for (int i = 0; i < 50; ++i) {
      const double mid = (lo + hi) / 2;
      if (fill(flow, 0, starts, mid, 0) >= flow.size())
        hi = mid;
      else
        lo = mid;
    }
    const double entries = hi;
    const std::vector<SetLine> title =
        set_text("section_head", Align::start, layout_.contents_title, right_ - left_);
    double title_height = 0;
    for (const SetLine& l : title) title_height += l.leading;
    const double band = on_grid(title_height + 2) + entries;
    double y;
    if (band <= 0.4 * room) {
      y = snap(bottom_limit_ - band - grid_ * 0.5);
      if (y + band > bottom_limit_) y -= grid_;
      bottom_limit_ = y - grid_ * 0.5;
      rule(left_, y - grid_ * 0.25, right_, y - grid_ * 0.25, 1.0,
           layout_.role("section_head").color);
    } else {
      y = top_;
    }
    const double entries_top = y + on_grid(title_height + 2);
    stack(std::vector<SetLine>(title), left_, y);
    std::fill(starts.begin(), starts.end(), entries_top);
    std::vector<int> cols(static_cast<std::size_t>(columns_));
    for (int c = 0; c < columns_; ++c) cols[static_cast<std::size_t>(c)] = c;
    if (y != top_) {
      place_lines(flow, flow.size(), cols, starts, entries_top + entries);
      for (int c = 0; c < columns_; ++c) body_span(c, entries_top, entries_top + entries);
      return;
    }
    // Under the masthead, and on as many pages as it takes (a one-column book's contents
    // of twenty stories is longer than a page); the articles start below it.
    while (fill(flow, 0, starts, bottom_limit_, 0) < flow.size()) {
      const std::size_t fit = std::max<std::size_t>(1, fill(flow, 0, starts, bottom_limit_, 0));
      const auto depth = place_lines(flow, fit, cols, starts, bottom_limit_);
      for (int c = 0; c < columns_; ++c)
        body_span(c, starts[static_cast<std::size_t>(c)], depth[static_cast<std::size_t>(c)]);
      new_page();
      std::fill(starts.begin(), starts.end(), top_);
    }
    lo = top_;
    hi = bottom_limit_;
    for (int i = 0; i < 50; ++i) {
      const double mid = (lo + hi) / 2;
      if (fill(flow, 0, starts, mid, 0) >= flow.size())
        hi = mid;
      else
        lo = mid;
    }
    const auto depth = place_lines(flow, flow.size(), cols, starts, hi);
    const double end = *std::max_element(depth.begin(), depth.end());
    for (int c = 0; c < columns_; ++c)
      body_span(c, starts[static_cast<std::size_t>(c)], depth[static_cast<std::size_t>(c)]);
    std::fill(col_top_.begin(), col_top_.end(), snap(end + grid_ * 0.5));
    rule(left_, col_top_[0] - grid_ * 0.25, right_, col_top_[0] - grid_ * 0.25, 1.0,
         layout_.role("section_head").color);
  }

  // ---- sections ----------------------------------------------------------------------
  // A section opens with its first article, over that article's columns (a band across the
  // whole page would have to wait for the deepest column and leave holes beside the
  // shallower ones), in the layout's style: a heavy rule in the section colour over the
  // section's name, or the name in white on a band of that colour, or nothing.
  using Opener = model::Layout::SectionOpener;
  std::vector<SetLine> opener_lines(const model::Section& section, double width) {
    if (layout_.section_opener == Opener::none || section.name.empty()) return {};
    if (layout_.section_opener == Opener::rule)
      return set_text("section_head", Align::start, section.name, width);
    // Band: the name inset by a third of its size on the start side, reversed out.
    const double inset = layout_.role("section_head").size / 3;
    std::vector<SetLine> lines =
        set_text("section_head", Align::start, section.name, std::max(1.0, width - 2 * inset));
    for (SetLine& l : lines) {
      move_items(l.items, inset, 0);
      for (Item& item : l.items)
        if (item.kind == Item::Kind::glyphs) item.run.color = {1, 1, 1};
    }
    return lines;
  }
  double opener_height(const std::vector<SetLine>& lines) const {
    if (lines.empty()) return 0;
    double height = 3;
    for (const SetLine& l : lines) height += l.leading;
    if (layout_.section_opener == Opener::band) height += layout_.role("section_head").size / 3;
    return on_grid(height);
  }

  // ---- flow --------------------------------------------------------------------------
  static void add_flow(std::vector<FlowLine>& flow, std::vector<SetLine> lines, double gap,
                       int paragraph, bool keep_with_next) {
    const int count = static_cast<int>(lines.size());
    int index = 0;
    for (SetLine& l : lines) {
      FlowLine fl;
      fl.line = std::move(l);
      fl.gap_before = index == 0 ? gap : 0;
      fl.paragraph = paragraph;
      fl.index = index;
      fl.count = count;
      fl.keep_with_next = keep_with_next;
      flow.push_back(std::move(fl));
      ++index;
    }
  }

  // Where a column that starts with flow[k] and holds `height` ends (exclusive), with
  // widow and orphan control: a paragraph leaves at least `orphans` lines at the foot of a
  // column and carries at least `widows` to the head of the next, and a keep-with-next line
  // (subheading, figure image) never ends a column. When no legal break exists the column
  // takes what fits.
  std::size_t column_end(const std::vector<FlowLine>& flow, std::size_t k, double height,
                         std::size_t limit) const {
    std::size_t e = k;
    double y = 0;
    bool top = true;
    while (e < limit) {
      const double h = step(flow[e], top);
      if (y + h > height + kEps) break;
      y += h;
      top = false;
      ++e;
    }
    if (e == limit || e == k) return e;
    for (std::size_t b = e; b > k; --b) {
      const FlowLine& next = flow[b];
      const FlowLine& last = flow[b - 1];
      bool bad = last.keep_with_next;
      if (next.paragraph >= 0 && next.paragraph == last.paragraph)
        bad = bad || next.index < layout_.orphan_lines ||
              next.count - next.index < layout_.widow_lines;
      if (!bad) return b;
    }
    // No legal break: a short column (beside or under a figure) stays empty rather than
    // hold a stray line or two; a tall one takes what fits.
    return height < (bottom_ - inner_top_) / 3 ? k : e;
  }

  // How many lines (from `from`) fit into columns whose tops are `starts` and whose foot is
  // `bottom`; the last column's foot is raised by `last_reserve` (room for a jump line).
  std::size_t fill(const std::vector<FlowLine>& flow, std::size_t from,
                   const std::vector<double>& starts, double bottom, double last_reserve) const {
    std::size_t k = from;
    for (std::size_t c = 0; c < starts.size() && k < flow.size(); ++c) {
      const double foot = bottom - (c + 1 == starts.size() ? last_reserve : 0);
      k = column_end(flow, k, foot - starts[c], flow.size());
    }
    return k - from;
  }

  // Places flow[0, count) into `cols` (logical column numbers) from `starts` down to
  // `bottom`, erasing them from `flow`; returns per column the depth reached.
  std::vector<double> place_lines(std::vector<FlowLine>& flow, std::size_t count,
                                  const std::vector<int>& cols, const std::vector<double>& starts,
                                  double bottom, double last_reserve = 0) {
    std::size_t k = 0;
    std::vector<double> depth(starts);
    for (std::size_t c = 0; c < cols.size() && k < count; ++c) {
      const double foot = bottom - (c + 1 == cols.size() ? last_reserve : 0);
      const std::size_t end = std::min(count, column_end(flow, k, foot - starts[c], count));
      double y = starts[c];
      bool top = true;
      for (; k < end; ++k) {
        FlowLine& fl = flow[k];
        y += top ? 0 : on_grid(fl.gap_before);
        top = false;
        const double baseline = y + grid_ * 0.75;
        y += on_grid(fl.line.leading);
        put(std::move(fl.line), column_x(cols[c]) + fl.x_offset, baseline, cols[c], fl.paragraph);
      }
      depth[c] = y;
    }
    flow.erase(flow.begin(), flow.begin() + static_cast<long>(k));
    return depth;
  }

  // ---- articles ----------------------------------------------------------------------
  struct Head {
    std::vector<SetLine> opener;                    // the section's name, when it opens one
    std::vector<std::pair<SetLine, double>> lines;  // line, gap before
    double height = 0;
  };

  Head make_head(const Block& b, double width) {
    Head head;
    auto part = [&](const char* role, const model::Inlines& inl, double gap,
                    const model::TypeRole* sized = nullptr) {
      if (inl.empty()) return;
      ParagraphSpec s = spec(role, Align::start);
      if (sized) s.role = sized;
      add_inlines(s, inl);
      bool first = true;
      for (SetLine& l : set(s, width)) {
        head.lines.emplace_back(std::move(l), first ? gap : 0);
        first = false;
      }
    };
    const model::Article& a = *b.article;
    if (b.part == 0) {
      part("kicker", a.kicker, 0);
      const int spanned = static_cast<int>(
          std::lround((width + layout_.gutter) / (column_width_ + layout_.gutter)));
      part("headline", a.headline, 0, &layout_.headline_role(spanned));
      part("subheadline", a.subheadline, layout_.role("subheadline").space_before);
      // Byline and dateline close the head, above the columns, so every column of the body
      // starts on the same grid line (extractors then see the columns as parallel blocks).
      part("byline", a.byline, layout_.role("byline").space_before);
      part("dateline", a.dateline, 0);
    } else {
      // A jump head: the headline again, smaller, and where the story came from.
      part("subheadline", a.headline, 0);
      if (!layout_.jump_from.empty())
        part("jump_line",
             {model::Span{replace_page(layout_.jump_from, number(b.from_page)),
                          model::plain,
                          "",
                          "",
                          "",
                          false,
                          {}}},
             0);
    }
    for (auto& [l, gap] : head.lines) head.height += gap + l.leading;
    head.height += layout_.role("headline").space_after;
    if (b.opens_section && b.part == 0) {
      head.opener = opener_lines(*b.section, width);
      head.height += opener_height(head.opener);
    }
    return head;
  }

  // A figure at `width`: the image as wide as the measure unless that makes it taller than
  // `max_height`, then narrower and centred; caption under it, credit at the end side.
  SetFigure make_figure(const model::Figure& f, double width, double max_height) {
    SetFigure fig;
    const ImageInfo& info = images_.at(f.src);
    double w = width;
    double h = width * info.height / info.width;
    if (h > max_height) {
      h = max_height;
      w = h * info.width / info.height;
    }
    fig.image.path = f.src;
    fig.image.format = info.format;
    fig.image.pixel_width = info.width;
    fig.image.pixel_height = info.height;
    fig.image.alt = f.alt;
    fig.image.x = (width - w) / 2;
    fig.image.y = 0;
    fig.image.width = w;
    fig.image.height = h;
    fig.image_height = h + 3;
    fig.height = fig.image_height;
    if (!f.caption.empty()) {
      ParagraphSpec s = spec("caption", Align::start);
      add_inlines(s, f.caption);
      fig.caption = set(s, width);
      for (const SetLine& l : fig.caption) fig.height += l.leading;
    }
    if (!f.credit.empty()) {
      ParagraphSpec s = spec("credit", Align::end);
      add_inlines(s, f.credit);
      fig.credit = set(s, width);
      for (const SetLine& l : fig.credit) fig.height += l.leading;
    }
    return fig;
  }

  int figure_span(const model::Figure& f, int block_columns) const {
    return std::clamp(f.columns, 1, block_columns);
  }
  double max_figure_height() const { return (bottom_ - inner_top_) * 0.45; }

  // The body of an article as flow lines at the column width; figures that span more than
  // one of the block's columns are left out (placed at the block's top instead).
  std::vector<FlowLine> make_body(const model::Article& article, int block_columns) {
    std::vector<FlowLine> flow;
    int paragraph = 0;
    const double gap = layout_.role("body").space_before;
    auto para = [&](const char* role, const model::Inlines& inl, Align align, double g,
                    bool keep = false) {
      if (inl.empty()) return;
      ParagraphSpec s = spec(role, align);
      add_inlines(s, inl);
      add_flow(flow, set(s, column_width_), g, paragraph++, keep);
    };
    para("lead", article.lead, Align::justify, 0);
    if (!article.lead.empty() && !flow.empty())
      flow.back().line.leading += layout_.role("lead").space_after;
    for (const model::Block& block : article.body) {
      switch (block.kind) {
        case model::BlockKind::paragraph:
          para("body", block.content, Align::justify, gap);
          break;
        case model::BlockKind::subheading:
          para("subheading", block.content, Align::start, layout_.role("subheading").space_before,
               true);
          break;
        case model::BlockKind::quote: {
          // Indented on both sides, a bar on the start side, the source under it.
          const double indent = layout_.role("quote").size;
          ParagraphSpec s = spec("quote", Align::justify);
          add_inlines(s, block.content);
          const double measure = column_width_ - 2 * indent;
          std::vector<SetLine> lines = set(s, measure);
          if (!block.cite.empty())
            for (SetLine& l : set_text("credit", Align::end, "— " + block.cite, measure))
              lines.push_back(std::move(l));
          const std::size_t first = flow.size();
          add_flow(flow, std::move(lines), layout_.role("quote").space_before, paragraph++, false);
          for (std::size_t i = first; i < flow.size(); ++i) {
            FlowLine& fl = flow[i];
            fl.x_offset = indent;
            const double bar_x = rtl_ ? measure + indent * 0.5 : -indent * 0.5;
            Item bar = make_item(Item::Kind::rule);
            bar.rule = {bar_x, -grid_ * 0.75,
                        bar_x, on_grid(fl.line.leading) - grid_ * 0.75,
                        1.0,   layout_.role("pull_quote").color};
            fl.line.items.push_back(std::move(bar));
          }
          break;
        }
        case model::BlockKind::pull_quote: {
          // Rules above and below, across the column.
          const std::size_t first = flow.size();
          para("pull_quote", block.content, Align::center, layout_.role("pull_quote").space_before);
          if (first == flow.size()) break;
          const model::Color color = layout_.role("pull_quote").color;
          Item above = make_item(Item::Kind::rule);
          above.rule = {0, -grid_ * 0.75 + 1, column_width_, -grid_ * 0.75 + 1, 1.0, color};
          flow[first].line.items.push_back(std::move(above));
          FlowLine& last = flow.back();
          const double foot = on_grid(last.line.leading) - grid_ * 0.75 - 1;
          Item below = make_item(Item::Kind::rule);
          below.rule = {0, foot, column_width_, foot, 1.0, color};
          last.line.items.push_back(std::move(below));
          break;
        }
        case model::BlockKind::list: {
          int n = 0;
          for (const model::Inlines& item : block.items) {
            ++n;
            model::Inlines marked = item;
            const std::string mark =
                block.ordered ? std::to_string(n) + (rtl_ ? "\u060C " : ". ") : "\u2022 ";
            marked.insert(marked.begin(), model::Span{mark, model::plain, "", "", "", false, {}});
            para("body", marked, Align::justify, n == 1 ? gap : 0);
          }
          break;
        }
        case model::BlockKind::figure: {
          if (figure_span(block.figure, block_columns) > 1) break;
          SetFigure fig = make_figure(block.figure, column_width_, max_figure_height() * 0.8);
          FlowLine image;
          Item item = make_item(Item::Kind::image);
          item.image = fig.image;
          item.image.y = -grid_ * 0.75;
          image.line.items.push_back(std::move(item));
          image.line.leading = fig.image_height;
          image.line.box.role = "figure";
          image.line.box.text = block.figure.src.substr(block.figure.src.rfind('/') + 1);
          image.line.box.width = column_width_;
          image.gap_before = gap + grid_ * 0.5;
          image.paragraph = paragraph++;
          image.keep_with_next = !fig.caption.empty() || !fig.credit.empty();
          flow.push_back(std::move(image));
          std::vector<SetLine> under = std::move(fig.caption);
          for (SetLine& l : fig.credit) under.push_back(std::move(l));
          add_flow(flow, std::move(under), 0, paragraph++, false);
          break;
        }
      }
    }
    return flow;
  }

  // Finds columns for the block and places it; false when this page has no room.
  bool place(Block& b) {
    // Whatever this places belongs to the article; the elements close when it returns.
    struct Structure {
      Composer& composer;
      ~Structure() {
        composer.close_structure();
        composer.structure_article_.clear();
      }
    } structure{*this};
    structure_article_ = b.article->id;
    const int want = std::min(b.span, columns_);
    const double content = bottom_limit_ - top_;
    struct Choice {
      int first = 0, count = 0;
      double top = 0, cost = 0;
    };
    std::optional<Choice> best;
    std::map<int, Head> heads;
    std::map<int, double> figure_heights;
    for (int count = want; count >= 1; --count) {
      Head& head = heads[count] = make_head(b, span_width(count));
      double figures = 0;
      if (b.part == 0)
        for (const model::Block& block : b.article->body)
          if (block.kind == model::BlockKind::figure && figure_span(block.figure, count) > 1) {
            const ImageInfo& info = images_.at(block.figure.src);
            const double w = span_width(figure_span(block.figure, count));
            figures += std::min(w * info.height / info.width, max_figure_height()) + 3 * grid_;
          }
      // A one-column figure that opens the body cannot split: the head must not be left
      // alone at the foot of a column waiting for it.
      if (b.part == 0 && !b.article->body.empty() &&
          b.article->body.front().kind == model::BlockKind::figure &&
          figure_span(b.article->body.front().figure, count) == 1) {
        const ImageInfo& info = images_.at(b.article->body.front().figure.src);
        figures += std::min(column_width_ * info.height / info.width, max_figure_height() * 0.8);
      }
      figure_heights[count] = figures;
      for (int first = 0; first + count <= columns_; ++first) {
        const double top = max_top(first, count);
        const double gap = top > top_ + kEps ? grid_ : 0;
        const double need = gap + on_grid(head.height) + figures + 3 * grid_;
        if (top + need > bottom_limit_ + kEps) continue;
        double waste = 0;
        for (int c = first; c < first + count; ++c)
          waste += top - col_top_[static_cast<std::size_t>(c)];
        // Prefer the shallowest place; holes left above the block and narrowing a head below
        // what the weight asks for both cost depth.
        const double cost = top + waste / count + (want - count) * 0.15 * content;
        if (!best || cost < best->cost - kEps) best = Choice{first, count, top, cost};
      }
    }
    // A story jumps only when no place on this page holds all of it: when the place chosen
    // would send part of it to a later page, a place that holds it whole is taken instead,
    // wider than its weight asks if need be (a brief across three columns reads better than
    // three lines alone on the next page).
    std::map<int, std::vector<FlowLine>> flows;
    if (best && !holds_whole(b, best->count, best->top, heads.at(best->count), flows)) {
      std::optional<Choice> whole;
      for (int count = 1; count <= columns_; ++count) {
        if (!heads.count(count)) heads[count] = make_head(b, span_width(count));
        for (int first = 0; first + count <= columns_; ++first) {
          const double top = max_top(first, count);
          if (!holds_whole(b, count, top, heads.at(count), flows)) continue;
          double waste = 0;
          for (int c = first; c < first + count; ++c)
            waste += top - col_top_[static_cast<std::size_t>(c)];
          const double cost = top + waste / count + std::abs(want - count) * 0.15 * content;
          if (!whole || cost < whole->cost - kEps) whole = Choice{first, count, top, cost};
        }
      }
      if (whole) best = whole;
    }
    if (!best) {
      if (!page_empty() && max_top(0, columns_) > top_ + kEps) return false;
      best = Choice{0, want, max_top(0, want), 0};  // an empty page: place it regardless
    }
    place_at(b, best->first, best->count, best->top, std::move(heads[best->count]), flows);
    return true;
  }

  // Where each of a block's `count` columns starts its body when the head ends at `y`:
  // figures wider than a column stand at the top of the block, over its first columns.
  // `place`, when given, puts each such figure (set at its span's width) at its top `fy`.
  using FigurePlacer = std::function<void(const model::Figure&, SetFigure&&, int span, double fy)>;
  std::vector<double> body_starts(const Block& b, int count, double y,
                                  const FigurePlacer& place = {}) {
    std::vector<double> starts(static_cast<std::size_t>(count), y);
    if (b.part > 0) return starts;
    for (const model::Block& block : b.article->body) {
      if (block.kind != model::BlockKind::figure) continue;
      const int fs = figure_span(block.figure, count);
      if (fs < 2) continue;
      SetFigure fig = make_figure(block.figure, span_width(fs), max_figure_height());
      const double fy = *std::max_element(starts.begin(), starts.begin() + fs);
      double under = fy + fig.image_height;  // summed as stack() places the lines
      for (const SetLine& l : fig.caption) under += l.leading;
      for (const SetLine& l : fig.credit) under += l.leading;
      if (place) place(block.figure, std::move(fig), fs, fy);
      const double end = snap(under + grid_ * 0.5);
      for (int c = 0; c < fs; ++c) starts[static_cast<std::size_t>(c)] = end;
    }
    return starts;
  }

  // The body of an article set for a block of `count` columns, from `flows` when an earlier
  // call set it: make_body depends on the count only through the widest figure span.
  std::vector<FlowLine>& body_flow(const model::Article& a, int count,
                                   std::map<int, std::vector<FlowLine>>& flows) {
    int widest = 1;
    for (const model::Block& block : a.body)
      if (block.kind == model::BlockKind::figure)
        widest = std::max(widest, figure_span(block.figure, count));
    auto found = flows.find(widest);
    if (found == flows.end()) found = flows.emplace(widest, make_body(a, widest)).first;
    return found->second;
  }

  // Whether the block, placed at `count` columns from `top` under `head`, ends on this page:
  // place_at's geometry, without placing anything.
  bool holds_whole(const Block& b, int count, double top, const Head& head,
                   std::map<int, std::vector<FlowLine>>& flows) {
    double y = top > top_ + kEps ? top + grid_ : top;
    y = snap(y + head.height);
    if (y > bottom_limit_ + kEps) return false;
    const std::vector<double> starts = body_starts(b, count, y);
    const std::vector<FlowLine>& flow = b.part > 0 ? b.rest : body_flow(*b.article, count, flows);
    return fill(flow, 0, starts, bottom_limit_, 0) >= flow.size();
  }

  void place_at(Block& b, int first, int count, double top, Head head,
                std::map<int, std::vector<FlowLine>>& flows) {
    const model::Article& a = *b.article;
    const double x = span_x(first, count);
    const double width = span_width(count);
    double y = top;
    if (y > top_ + kEps) {
      // Stacked stories are parted by a hairline in the middle of a grid line.
      rule(x, y + grid_ * 0.5, x + width, y + grid_ * 0.5, 0.5, layout_.column_rule_color);
      y += grid_;
    }
    const double block_top = y;
    if (page_section_.empty() && b.section) page_section_ = b.section->name;
    if (b.opens_section && b.part == 0 && !b.section->name.empty())
      anchor("section-" + b.section->id, b.section->name, 0, rtl_ ? x + width : x, y);
    if (!head.opener.empty()) {
      const double height = opener_height(head.opener);
      const model::Color color = layout_.role("section_head").color;
      if (layout_.section_opener == Opener::band) {
        const double depth = height - grid_ * 0.25;  // a rule as thick as the band
        rule(x, y + depth / 2, x + width, y + depth / 2, depth, color);
      } else {
        rule(x, y + 1, x + width, y + 1, 2.0, color);
      }
      stack(std::move(head.opener), x, y + 3);
      y += height;
    }
    if (b.part == 0) {
      anchor(a.id, model::plain_text(a.headline), 1, rtl_ ? x + width : x, y);
      plan_.article_page[a.id] = page_.number;
    } else {
      plan_.continuation_page[a.id + "#" + std::to_string(b.part)] = page_.number;
    }
    for (auto& [l, gap] : head.lines) {
      y += gap;
      const double baseline = y + l.leading * 0.75;
      y += l.leading;
      put(std::move(l), x, baseline, -1);
    }
    y = snap(y + layout_.role("headline").space_after);

    const std::vector<double> starts =
        body_starts(b, count, y, [&](const model::Figure& f, SetFigure&& fig, int fs, double fy) {
          const double fx = span_x(first, fs);
          Item image = make_item(Item::Kind::image);
          image.image = fig.image;
          image.image.x += fx;
          image.image.y = fy;
          page_.items.push_back(std::move(image));
          LineBox box;
          box.role = "figure";
          box.text = f.src.substr(f.src.rfind('/') + 1);
          box.x = fx;
          box.baseline = fy;
          box.width = span_width(fs);
          box.natural_width = fig.image.width;
          box.column = first;
          page_.lines.push_back(box);
          stack(std::move(fig.credit), fx,
                stack(std::move(fig.caption), fx, fy + fig.image_height));
        });
    std::vector<FlowLine> flow =
        b.part == 0 ? std::move(body_flow(a, count, flows)) : std::move(b.rest);

    std::vector<int> cols(static_cast<std::size_t>(count));
    for (int c = 0; c < count; ++c) cols[static_cast<std::size_t>(c)] = first + c;
    double block_bottom;
    if (fill(flow, 0, starts, bottom_limit_, 0) >= flow.size()) {
      // It all fits: balance, finding the shallowest foot that still holds every line.
      double lo = *std::min_element(starts.begin(), starts.end()), hi = bottom_limit_;
      for (int i = 0; i < 50; ++i) {
        const double mid = (lo + hi) / 2;
        if (fill(flow, 0, starts, mid, 0) >= flow.size())
          hi = mid;
        else
          lo = mid;
      }
      const auto depth = place_lines(flow, flow.size(), cols, starts, hi);
      block_bottom = *std::max_element(depth.begin(), depth.end());
    } else {
      // It jumps: fill the columns, end the last with "continued on page N", and queue the
      // rest for the next page.
      std::vector<SetLine> jump;
      double reserve = 0;
      const int part = b.part + 1;
      if (!layout_.jump_to.empty()) {
        const auto known = previous_.continuation_page.find(a.id + "#" + std::to_string(part));
        const int to =
            known == previous_.continuation_page.end() ? page_.number + 1 : known->second;
        jump = set_text("jump_line", Align::end, replace_page(layout_.jump_to, number(to)),
                        column_width_);
        for (const SetLine& l : jump) reserve += on_grid(l.leading);
      }
      const std::size_t fit = fill(flow, 0, starts, bottom_limit_, reserve);
      const auto depth = place_lines(flow, fit, cols, starts, bottom_limit_, reserve);
      // The jump line goes under the last line placed, in the column that holds it.
      int last = 0;
      for (int c = 0; c < count; ++c)
        if (depth[static_cast<std::size_t>(c)] > starts[static_cast<std::size_t>(c)] + kEps)
          last = c;
      double jy = depth[static_cast<std::size_t>(last)];
      for (SetLine& l : jump) {
        put(std::move(l), column_x(first + last), jy + grid_ * 0.75, first + last);
        jy += on_grid(l.leading);
      }
      block_bottom = bottom_limit_;
      Block rest;
      rest.article = b.article;
      rest.section = b.section;
      rest.span = b.span;
      rest.part = part;
      rest.from_page = page_.number;
      rest.rest = std::move(flow);
      continuations_.push_back(std::move(rest));
    }
    for (int c = first; c < first + count; ++c) {
      col_top_[static_cast<std::size_t>(c)] = std::max(block_bottom, block_top);
      body_span(c, starts[static_cast<std::size_t>(c - first)], block_bottom);
    }
  }

  const model::Edition& edition_;
  const model::Layout& layout_;
  Shaper& shaper_;
  ParagraphMemo* memo_;            // discarding passes only
  std::string structure_article_;  // the article being placed: its lines are tagged
  bool art_open_ = false, element_open_ = false;
  std::string element_;
  std::pair<int, std::string> element_key_;
  std::size_t items_left_out_ = 0;
  std::size_t tags_on_page_ = 0;
  const std::map<std::string, ImageInfo>& images_;
  const Plan& previous_;
  Plan& plan_;
  const PageSink& sink_;
  Statistics* stats_;
  model::Justification justification_;
  model::DigitStyle digits_;
  bool rtl_ = true;
  double left_ = 0, right_ = 0;
  double inner_top_ = 0;     // content top of pages after the first
  double bottom_ = 0;        // content foot of every page
  double top_ = 0;           // this page's content top (the grid's origin)
  double bottom_limit_ = 0;  // this page's foot for articles (raised by the contents band)
  int columns_ = 1;
  double column_width_ = 0;
  double grid_ = 12;
  Page page_;
  int page_number_ = 0;
  int line_number_ = 0;
  std::vector<double> col_top_;
  std::vector<std::vector<std::pair<double, double>>> body_spans_;  // per column
  std::string page_section_;
  std::deque<Block> continuations_;
};

// Every figure's image, probed once: a missing, unreadable, unknown or oversized image is
// an error naming the file and the figure's place in the source. The reader already refused
// paths that leave the edition's folder; a symbolic link inside it that points outside is
// refused here, where the file is about to be read.
bool probe_figures(const model::Edition& edition, std::map<std::string, ImageInfo>& images,
                   model::Diagnostics& diagnostics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // An edition named without a folder ("edition.xml") lives in the working directory; an
  // empty folder would make every image look outside it.
  fs::path folder = fs::path(edition.where.file).parent_path();
  if (folder.empty()) folder = ".";
  const fs::path root = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  bool ok = true;
  for (const model::Section& section : edition.sections)
    for (const model::Article& article : section.articles)
      for (const model::Block& block : article.body) {
        if (block.kind != model::BlockKind::figure || images.count(block.figure.src)) continue;
        const fs::path real = fs::weakly_canonical(fs::absolute(block.figure.src, ec), ec);
        const auto rel = real.lexically_relative(root);
        if (!edition.where.file.empty() &&
            (rel.empty() || rel.is_absolute() || *rel.begin() == "..")) {
          diagnostics.error("path-outside", block.where,
                            "refused image '" + block.figure.src +
                                "': it resolves outside the edition's folder (to '" +
                                real.string() + "')");
          ok = false;
          continue;
        }
        std::string why;
        if (auto info = probe_image(block.figure.src, why)) {
          images.emplace(block.figure.src, *info);
        } else {
          diagnostics.error("bad-image", block.where,
                            "cannot use the image '" + block.figure.src + "': " + why +
                                " (expected a PNG or JPEG of at most " +
                                std::to_string(max_image_pixels) + " pixels)");
          ok = false;
        }
      }
  return ok;
}

}  // namespace

bool typeset(const model::Edition& edition, const model::Layout& layout, const FontSet& fonts,
             const Options& options, const PageSink& sink, model::Diagnostics& diagnostics,
             Statistics* statistics) {
  if (!fonts.check_layout(layout, diagnostics)) return false;
  if (layout.page_width <= 0 || layout.page_height <= 0) {
    diagnostics.error("layout-page", layout.where, "the layout's page has no size");
    return false;
  }
  std::map<std::string, ImageInfo> images;
  if (!probe_figures(edition, images, diagnostics)) return false;
  std::lock_guard<std::mutex> lock(fonts.impl().mutex);
  Shaper shaper(fonts);
  // Page numbers printed in the contents and in jump lines are only known once pages are
  // made, and printing them can move things: compose without output until the numbers
  // hold still (two passes in practice), then once more for real.
  Plan plan;
  const PageSink discard = [](Page&&) {};
  ParagraphMemo memo;
  for (int pass = 0; pass < 4; ++pass) {
    Plan next;
    // The first pass sets every paragraph; a second thread, with its own font map, sets
    // article bodies from the end of the edition meanwhile. The memo holds only metrics,
    // which do not depend on which thread set them, so the output is the same.
    std::shared_ptr<FontSet> twin;
    std::thread prefetch;
    if (pass == 0 && std::thread::hardware_concurrency() > 1) {
      twin = fonts.twin();
      prefetch = std::thread([&] {
        try {
          Shaper second(*twin);
          Plan unused_plan;
          Composer(edition, layout, second, options, images, plan, unused_plan, discard, nullptr,
                   &memo)
              .prefetch_bodies();
        } catch (...) {
          // Only a head start: the composing thread sets whatever is missing.
        }
      });
    }
    Composer(edition, layout, shaper, options, images, plan, next, discard, nullptr, &memo).run();
    if (prefetch.joinable()) prefetch.join();
    const bool stable = next == plan;
    plan = std::move(next);
    if (stable) break;
  }
  Plan final_plan;
  memo.clear();
  Composer(edition, layout, shaper, options, images, plan, final_plan, sink, statistics, nullptr)
      .run();
  return true;
}

}  // namespace warraq::typeset
