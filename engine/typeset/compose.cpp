// Page composition: articles as bands across the page (a spanning head, then body lines
// flowing through the columns, first column on the right in right-to-left editions),
// running heads and folios. Finished pages go to the sink at once.
#include <algorithm>
#include <cmath>

#include "locale/locale.hpp"
#include "paragraph.hpp"

namespace warraq::typeset {

namespace {

// A body line waiting for a column, with the space to leave above it (dropped at the top
// of a column).
struct FlowLine {
  SetLine line;
  double gap_before = 0;
};

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
    }
  }
}

class Composer {
 public:
  Composer(const model::Edition& edition, const model::Layout& layout, Shaper& shaper,
           const Options& options, const PageSink& sink, Statistics* stats)
      : edition_(edition), layout_(layout), shaper_(shaper), sink_(sink), stats_(stats) {
    justification_ = options.justification.value_or(layout.justification);
    digits_ = options.digits.value_or(layout.digits);
    rtl_ = edition.direction == model::Direction::rtl;
    left_ = rtl_ ? layout.margin_outer : layout.margin_inner;
    right_ = layout.page_width - (rtl_ ? layout.margin_inner : layout.margin_outer);
    const model::TypeRole& head = layout.role("running_head");
    content_top_ = layout.margin_top + head.leading + head.size * 0.8;
    content_bottom_ = layout.page_height - layout.margin_bottom - layout.role("folio").leading;
    columns_ = std::max(1, layout.columns);
    column_width_ = (right_ - left_ - (columns_ - 1) * layout.gutter) / columns_;
  }

  void run() {
    start_page();
    for (const model::Section& section : edition_.sections) {
      pending_anchor_section_ = &section;
      for (const model::Article& article : section.articles) place_article(article);
    }
    flush_band(true);
    finish_page();
  }

 private:
  // ---- paragraphs --------------------------------------------------------------------
  ParagraphSpec spec(const std::string& role_name, Align align) {
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

  static void add_inlines(ParagraphSpec& s, const model::Inlines& inlines,
                          const model::TypeRole* role = nullptr) {
    for (const model::Span& span : inlines)
      s.parts.push_back({span.text, role, span.style, span.lang, span.dir, span.href,
                         span.line_break});
  }

  std::vector<SetLine> set(const ParagraphSpec& s, double width) {
    return shaper_.set(s, width, stats_);
  }

  // ---- pages -------------------------------------------------------------------------
  void start_page() {
    page_ = Page{};
    page_.number = ++page_number_;
    page_.label = locale::convert_digits(std::to_string(page_.number), digits_);
    page_.width = layout_.page_width;
    page_.height = layout_.page_height;
    band_top_ = content_top_;
  }

  void put(SetLine line, double x, double baseline, int column) {
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

  void running_head_and_folio() {
    // Running head: the edition's title at the start side, its date at the end side.
    const double width = right_ - left_;
    const model::TypeRole& head = layout_.role("running_head");
    const double baseline = layout_.margin_top + head.size * 0.8;
    ParagraphSpec title = spec("running_head", Align::start);
    title.parts.push_back({edition_.title, nullptr, model::plain, "", "", "", false});
    for (SetLine& l : set(title, width)) put(std::move(l), left_, baseline, -1);
    ParagraphSpec date = spec("running_head", Align::end);
    date.parts.push_back({locale::format_date(edition_.date, edition_.locale, digits_), nullptr,
                          model::plain, "", "", "", false});
    for (SetLine& l : set(date, width)) put(std::move(l), left_, baseline, -1);
    Item rule{Item::Kind::rule, {}, {}, {}, {}, {}, {}};
    const double rule_y = baseline + head.size * 0.45;
    rule.rule = {left_, rule_y, right_, rule_y, 0.5, head.color};
    page_.items.push_back(std::move(rule));

    ParagraphSpec folio = spec("folio", Align::center);
    folio.parts.push_back({page_.label, nullptr, model::plain, "", "", "", false});
    const double folio_baseline = layout_.page_height - layout_.margin_bottom;
    for (SetLine& l : set(folio, width)) put(std::move(l), left_, folio_baseline, -1);
  }

  void finish_page() {
    if (page_.items.empty()) return;
    running_head_and_folio();
    if (layout_.column_rule && columns_ > 1) {
      for (int k = 1; k < columns_; ++k) {
        const double x = left_ + k * column_width_ + (k - 0.5) * layout_.gutter;
        Item rule{Item::Kind::rule, {}, {}, {}, {}, {}, {}};
        rule.rule = {x, content_top_, x, content_bottom_, layout_.column_rule_width,
                     layout_.column_rule_color};
        page_.items.push_back(std::move(rule));
      }
    }
    if (stats_) ++stats_->pages;
    sink_(std::move(page_));
    page_ = Page{};
  }

  void new_page() {
    finish_page();
    start_page();
  }

  double column_x(int column) const {
    const int slot = rtl_ ? columns_ - 1 - column : column;
    return left_ + slot * (column_width_ + layout_.gutter);
  }

  // Body lines sit on a baseline grid of the body leading, so lines in neighbouring columns
  // share baselines whatever role they have; every height in a column is whole grid steps.
  double on_grid(double height) const {
    const double grid = layout_.role("body").leading;
    return grid > 0 ? std::ceil(height / grid - 1e-6) * grid : height;
  }
  double step(const FlowLine& fl, bool top) const {
    return on_grid(fl.line.leading) + (top ? 0 : on_grid(fl.gap_before));
  }

  // How many of `lines` (from `from`) fit in the columns with height `height`.
  std::size_t fill_count(std::size_t from, double height) const {
    std::size_t k = from;
    for (int c = 0; c < columns_ && k < pending_.size(); ++c) {
      double y = 0;
      bool top = true;
      while (k < pending_.size()) {
        const double h = step(pending_[k], top);
        if (y + h > height + 1e-6) break;
        y += h;
        top = false;
        ++k;
      }
    }
    return k - from;
  }

  // Places pending lines into the band's columns. At an article's end the band is balanced
  // (columns of equal depth) so the next head can start below it; otherwise full pages are
  // filled and the rest continues on the next page.
  void flush_band(bool balance) {
    while (!pending_.empty()) {
      const double room = content_bottom_ - band_top_;
      const std::size_t fit = fill_count(0, room);
      if (fit < pending_.size() || !balance) {
        if (fit == 0) {
          new_page();
          continue;
        }
        if (fit < pending_.size()) {
          place_columns(fit, room);
          new_page();
          continue;
        }
      }
      // Everything fits: find the shallowest height that still holds it all.
      double lo = 0, hi = room;
      for (int iter = 0; iter < 40; ++iter) {
        const double mid = (lo + hi) / 2;
        if (fill_count(0, mid) >= pending_.size()) hi = mid; else lo = mid;
      }
      const double used = place_columns(pending_.size(), hi);
      band_top_ += used;
      return;
    }
  }

  // Places the first `count` pending lines sequentially into columns of height `height`;
  // returns the deepest column's depth.
  double place_columns(std::size_t count, double height) {
    std::size_t k = 0;
    double deepest = 0;
    for (int c = 0; c < columns_ && k < count; ++c) {
      double y = 0;
      bool top = true;
      while (k < count) {
        FlowLine& fl = pending_[k];
        const double h = step(fl, top);
        if (y + h > height + 1e-6) break;
        y += top ? 0 : on_grid(fl.gap_before);
        const double grid = layout_.role("body").leading;
        const double baseline = band_top_ + y + grid * 0.75;
        y += on_grid(fl.line.leading);
        top = false;
        put(std::move(fl.line), column_x(c), baseline, c);
        ++k;
      }
      deepest = std::max(deepest, y);
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(k));
    return deepest;
  }

  void add_flow(std::vector<SetLine> lines, double gap_before) {
    bool first = true;
    for (SetLine& l : lines) {
      pending_.push_back({std::move(l), first ? gap_before : 0});
      first = false;
    }
  }

  void anchor(const std::string& name, const std::string& title, int level, double y) {
    Item a{Item::Kind::anchor, {}, {}, {}, {}, {}, {}};
    a.anchor = {name, rtl_ ? right_ : left_, y, title, level};
    page_.items.push_back(std::move(a));
  }

  void place_article(const model::Article& article) {
    flush_band(true);
    const double width = right_ - left_;
    const int span = layout_.headline_columns(article.weight);
    const double head_width = span * column_width_ + (span - 1) * layout_.gutter;
    const double head_x = rtl_ ? right_ - head_width : left_;

    // The head: kicker, headline, subheadline, spanning `span` columns.
    std::vector<std::pair<SetLine, double>> head;  // line, gap before
    auto head_part = [&](const char* role, const model::Inlines& inl, double gap) {
      if (inl.empty()) return;
      ParagraphSpec s = spec(role, Align::start);
      add_inlines(s, inl);
      bool first = true;
      for (SetLine& l : set(s, head_width)) {
        head.emplace_back(std::move(l), first ? gap : 0);
        first = false;
      }
    };
    head_part("kicker", article.kicker, 0);
    head_part("headline", article.headline, 0);
    head_part("subheadline", article.subheadline, layout_.role("subheadline").space_before);
    // Byline and dateline close the head, above the columns, so every column of the body
    // starts on the same grid line (extractors then see the columns as parallel blocks).
    head_part("byline", article.byline, layout_.role("byline").space_before);
    head_part("dateline", article.dateline, 0);
    double head_height = 0;
    for (auto& [l, gap] : head) head_height += gap + l.leading;
    const double body_leading = layout_.role("body").leading;
    const double gap_after_head = layout_.role("headline").space_after;
    const double article_gap = band_top_ > content_top_ + 1 ? body_leading : 0;
    if (band_top_ + article_gap + head_height + gap_after_head + 3 * body_leading >
        content_bottom_)
      new_page();
    else
      band_top_ += article_gap;
    (void)width;

    if (pending_anchor_section_) {
      anchor("section-" + pending_anchor_section_->id, pending_anchor_section_->name, 0, band_top_);
      pending_anchor_section_ = nullptr;
    }
    anchor(article.id, model::plain_text(article.headline), 1, band_top_);
    for (auto& [l, gap] : head) {
      band_top_ += gap;
      const double baseline = band_top_ + l.leading * 0.75;
      band_top_ += l.leading;
      put(std::move(l), head_x, baseline, -1);
    }
    band_top_ += gap_after_head;

    // The body: byline, dateline, lead, blocks, flowing through the columns.
    auto flow = [&](const char* role, const model::Inlines& inl, Align align, double gap) {
      if (inl.empty()) return;
      ParagraphSpec s = spec(role, align);
      add_inlines(s, inl);
      add_flow(set(s, column_width_), gap);
    };
    const double paragraph_gap = layout_.role("body").space_before;
    flow("lead", article.lead, Align::justify, paragraph_gap);
    for (const model::Block& block : article.body) {
      switch (block.kind) {
        case model::BlockKind::paragraph:
          flow("body", block.content, Align::justify, paragraph_gap);
          break;
        case model::BlockKind::subheading:
          flow("subheading", block.content, Align::start, layout_.role("subheading").space_before);
          break;
        case model::BlockKind::quote:
          flow("quote", block.content, Align::justify, paragraph_gap);
          break;
        case model::BlockKind::pull_quote:
          flow("pull_quote", block.content, Align::center, layout_.role("pull_quote").space_before);
          break;
        case model::BlockKind::list: {
          int number = 0;
          for (const model::Inlines& item : block.items) {
            ++number;
            model::Inlines marked = item;
            const std::string mark =
                block.ordered ? std::to_string(number) + (rtl_ ? "\u060C " : ". ") : "\u2022 ";
            marked.insert(marked.begin(), model::Span{mark, model::plain, "", "", "", false, {}});
            flow("body", marked, Align::justify, number == 1 ? paragraph_gap : 0);
          }
          break;
        }
        case model::BlockKind::figure: {
          model::Inlines caption = block.figure.caption;
          if (!block.figure.credit.empty()) {
            caption.push_back(model::Span{" — ", model::plain, "", "", "", false, {}});
            caption.insert(caption.end(), block.figure.credit.begin(), block.figure.credit.end());
          }
          flow("caption", caption, Align::start, paragraph_gap);
          break;
        }
      }
    }
    flush_band(true);
  }

  const model::Edition& edition_;
  const model::Layout& layout_;
  Shaper& shaper_;
  const PageSink& sink_;
  Statistics* stats_;
  model::Justification justification_;
  model::DigitStyle digits_;
  bool rtl_ = true;
  double left_ = 0, right_ = 0, content_top_ = 0, content_bottom_ = 0;
  int columns_ = 1;
  double column_width_ = 0;
  Page page_;
  int page_number_ = 0;
  int line_number_ = 0;
  double band_top_ = 0;
  std::vector<FlowLine> pending_;
  const model::Section* pending_anchor_section_ = nullptr;
};

}  // namespace

bool typeset(const model::Edition& edition, const model::Layout& layout, const FontSet& fonts,
             const Options& options, const PageSink& sink, model::Diagnostics& diagnostics,
             Statistics* statistics) {
  if (!fonts.check_layout(layout, diagnostics)) return false;
  if (layout.page_width <= 0 || layout.page_height <= 0) {
    diagnostics.error("layout-page", layout.where, "the layout's page has no size");
    return false;
  }
  std::lock_guard<std::mutex> lock(fonts.impl().mutex);
  Shaper shaper(fonts);
  Composer(edition, layout, shaper, options, sink, statistics).run();
  return true;
}

}  // namespace warraq::typeset
