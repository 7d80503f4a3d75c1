// Emission: how a line's glyph runs become text and ink on the page. docs/extraction.md has the
// measurements; in short, the extractors want incompatible things:
//
//  - MuPDF and pdfminer print glyphs in content-stream order, so each word's glyphs must go
//    out in logical (reading) order, and MuPDF needs a real space glyph between words.
//  - pdf.js starts a new text item at every backward step and only makes a space out of a
//    forward step, so logically ordered right-to-left words come back glued unless the pen
//    moves forward from one word to the next: words go out in visual order (left to right).
//  - poppler places glyphs by position (any order), but with glyphs in logical order it
//    breaks a word at any gap of 0.03 em between two letters (kashida gaps, and Amiri's own
//    gaps after a non-joining letter), and Cairo gives a cluster of one letter drawn with
//    two glyphs an /ActualText span that MuPDF and pdf.js cannot read (U+FFFD).
//
// So: words in visual order, each word's glyphs in logical order, each word's space glyph
// in the same call just before it; a one-letter cluster drawn with several glyphs keeps
// its main glyph as text and draws the rest as outlines; kashida strokes are outlines; and
// where a word has a gap between letters (a kashida, or the font's own), the letters after
// the gap are drawn as outlines where they stand while their text goes out at the closed-up
// position, clipped away so it is never painted. Nothing visible changes; extractors read
// each word whole.
#include "pdf/emit.hpp"

#include <pango/pango.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace warraq::pdf {

void draw_ink(Canvas& canvas, const typeset::FontRef& font, const model::Color& color,
              std::span<const typeset::Glyph> glyphs) {
  for (const auto& g : glyphs) canvas.ink(font, color, g.id, g.x, g.y, g.advance);
}

namespace {

// A gap between two letters of a word from which poppler makes a word break when the
// glyphs are in logical order is 0.03 em; anything above this is closed in the text layer.
constexpr double kGapEm = 0.01;

// How far past its letter's end (to the left, in a right-to-left word) a mark's text goes
// when the mark is a cluster of its own. Exactly at the end, poppler's order of the mark
// and its letter hangs on rounding («وّراق» for «ورّاق»); past it, the mark comes after.
constexpr double kMarkPast = 0.01;

// Scratch memory for one line: the pieces, words and calls below are a few hundred small
// vectors and strings per line, and allocating each from the heap was a quarter of the
// writing thread. They live only while emit_line() runs, so they come from a bump arena
// that each call rewinds; freeing is a no-op.
class LineArena {
 public:
  void* allocate(std::size_t bytes, std::size_t align) {
    for (;;) {
      if (current_ < blocks_.size()) {
        Block& b = blocks_[current_];
        const std::size_t at = (used_ + align - 1) & ~(align - 1);
        if (at + bytes <= b.size) {
          used_ = at + bytes;
          return b.data.get() + at;
        }
        ++current_;
        used_ = 0;
        continue;
      }
      const std::size_t size = std::max<std::size_t>(kBlock, bytes + align);
      blocks_.push_back({std::make_unique_for_overwrite<std::byte[]>(size), size});
    }
  }
  void rewind() {
    current_ = 0;
    used_ = 0;
  }

 private:
  static constexpr std::size_t kBlock = 1 << 16;
  struct Block {
    std::unique_ptr<std::byte[]> data;
    std::size_t size;
  };
  std::vector<Block> blocks_;
  std::size_t current_ = 0, used_ = 0;
};

thread_local LineArena line_arena;

template <class T>
struct Scratch {
  using value_type = T;
  Scratch() = default;
  template <class U>
  Scratch(const Scratch<U>&) {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(line_arena.allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T*, std::size_t) {}
  template <class U>
  bool operator==(const Scratch<U>&) const {
    return true;
  }
};
template <class T>
using Vec = std::vector<T, Scratch<T>>;
using Str = std::basic_string<char, std::char_traits<char>, Scratch<char>>;

int utf8_chars(std::string_view s) {
  int n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool is_space(std::string_view s) { return s == " " || s == "\xC2\xA0"; }

// One cluster of a run: its glyphs (visual order), its source text, and what is drawn.
struct Piece {
  const typeset::GlyphRun* run = nullptr;
  Vec<typeset::Glyph> glyphs;  // text glyphs, visual order
  Str text;
  bool space = false;
  double left = 0, right = 0;  // pen extent of the text glyphs (font advances)
  double shift = 0;            // where the text layer puts it, relative to the ink
  Vec<double> advances;        // font advance of each glyph
  Vec<double> text_x;          // per glyph: where its text goes (its ink stays at glyph.x)
  bool moved = false;          // text layer and ink apart: ink drawn as outlines
  bool text_only = false;      // a letter of a ligature: text layer only, never ink
  double x_scale = 1;          // text layer glyph squeezed or stretched to its slot
};

struct Word {
  Vec<Piece*> pieces;      // logical order
  Piece* space = nullptr;  // the space that follows the word in reading order
  double left = 0;
};

// Font advances, pen extent (letters only, not marks) and text positions of a cluster.
void measure(Canvas& c, Piece& p) {
  bool first = true;
  for (const auto& gl : p.glyphs) {
    const double a = c.advance(p.run->font, gl.id);
    p.advances.push_back(a);
    if (a <= 0) continue;  // marks do not count for the letter's extent
    p.left = first ? gl.x : std::min(p.left, gl.x);
    p.right = first ? gl.x + a : std::max(p.right, gl.x + a);
    first = false;
  }
  if (first && !p.glyphs.empty()) p.left = p.right = p.glyphs.front().x;  // marks only
  for (const auto& gl : p.glyphs) p.text_x.push_back(gl.x);
}

Vec<Str> code_points(std::string_view text) {
  Vec<Str> out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = 1;
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
    out.emplace_back(text.data() + i, n);
    i += n;
  }
  return out;
}

char32_t decode(std::string_view cp) {
  const auto* b = reinterpret_cast<const unsigned char*>(cp.data());
  if (cp.size() == 1) return b[0];
  if (cp.size() == 2) return ((b[0] & 0x1Fu) << 6) | (b[1] & 0x3Fu);
  if (cp.size() == 3) return ((b[0] & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) | (b[2] & 0x3Fu);
  return ((b[0] & 0x07u) << 18) | ((b[1] & 0x3Fu) << 12) | ((b[2] & 0x3Fu) << 6) | (b[3] & 0x3Fu);
}

bool is_mark(char32_t c) {
  return hb_unicode_general_category(hb_unicode_funcs_get_default(), c) ==
         HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK;
}

// Letters whose glyphs do not show them one glyph per letter in a right-to-left run: a
// ligature (one glyph for several letters, Amiri's lam-alef) or a letter drawn inside its
// neighbour's glyph with no advance of its own (the alef of Noto's lam-alef, set as a
// wide lam and a zero-width alef). Cairo would map a ligature glyph to its letters as one
// string, which poppler spreads left to right («الأمن» → «ا أ لمن»), and poppler gives a
// zero-width letter a box of no width that it moves to a line of its own. So the glyphs are
// drawn as ink, and the text goes into the clipped text layer as the font's own glyph for
// each letter, right to left, each squeezed or stretched to an equal share of the span
// [left, right]: poppler sizes a letter's box from the font's advance (the /W array), not
// from where the next glyph stands, so a wider nominal glyph would overlap its neighbour.
bool share_span(Canvas& c, const typeset::GlyphRun& run, std::string_view text, double left,
                double right, double y, Vec<Piece>& out) {
  auto* font = static_cast<PangoFont*>(run.font.handle());
  hb_font_t* hb = font ? pango_font_get_hb_font(font) : nullptr;
  if (!hb || right <= left) return false;
  const Vec<Str> cps = code_points(text);
  Vec<hb_codepoint_t> ids;
  int letters = 0;
  for (const auto& cp : cps) {
    hb_codepoint_t id = 0;
    if (!hb_font_get_nominal_glyph(hb, decode(cp), &id)) return false;
    ids.push_back(id);
    if (!is_mark(decode(cp))) ++letters;
  }
  if (letters == 0) return false;
  const double width = (right - left) / letters;
  Vec<Piece> parts;
  double at = right;
  for (std::size_t k = 0; k < cps.size(); ++k) {
    const bool mark = is_mark(decode(cps[k]));
    Piece part;
    part.run = &run;
    part.text = cps[k];
    part.text_only = true;
    if (!mark) {
      at -= width;
      const double nominal = c.advance(run.font, ids[k]);
      if (nominal > 0 && std::abs(nominal - width) > 0.01 * width) part.x_scale = width / nominal;
    }
    part.glyphs = {{ids[k], at, y, 0}};
    part.advances = {mark ? 0.0 : width};
    part.left = at;
    part.right = mark ? at : at + width;
    part.text_x = {at};
    parts.push_back(std::move(part));
  }
  // Pieces of a right-to-left run are kept in glyph (visual) order.
  std::reverse(parts.begin(), parts.end());
  for (auto& part : parts) out.push_back(std::move(part));
  return true;
}

// A letter (not a mark) whose glyphs have no advance: it is drawn inside a neighbour.
bool zero_width_letter(const Piece& p) {
  if (p.glyphs.empty() || utf8_chars(p.text) != 1 || is_mark(decode(p.text))) return false;
  for (double a : p.advances)
    if (a > 0) return false;
  return true;
}

// In a right-to-left run's pieces (visual order), a zero-width letter and the letter before
// it in reading order (its nearest right-hand neighbour with an advance, marks between them
// included: «لًا») share that neighbour's span in the text layer; all are drawn as ink.
void share_zero_width_letters(Canvas& c, const typeset::GlyphRun& run, Vec<Piece>& pieces,
                              Vec<typeset::Glyph>& ink) {
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (!zero_width_letter(pieces[i])) continue;
    std::size_t j = i + 1;
    while (j < pieces.size() && !pieces[j].text_only && pieces[j].right <= pieces[j].left &&
           !pieces[j].glyphs.empty() && !zero_width_letter(pieces[j]))
      ++j;  // marks
    if (j == pieces.size() || pieces[j].text_only || pieces[j].glyphs.empty() ||
        pieces[j].right <= pieces[j].left)
      continue;
    Str text;  // reading order: right to left
    for (std::size_t k = j + 1; k-- > i;) text += pieces[k].text;
    Vec<Piece> parts;
    if (!share_span(c, run, text, pieces[j].left, pieces[j].right, pieces[j].glyphs.front().y,
                    parts))
      continue;
    for (std::size_t k = i; k <= j; ++k)
      for (const auto& g : pieces[k].glyphs) ink.push_back({g.id, g.x, g.y, 0});
    pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(i),
                 pieces.begin() + static_cast<std::ptrdiff_t>(j + 1));
    pieces.insert(pieces.begin() + static_cast<std::ptrdiff_t>(i), parts.begin(), parts.end());
    i += parts.size() - 1;
  }
}

// Cuts a run into clusters. Glyphs beyond the main one of a one-letter cluster become ink.
Vec<Piece> pieces_of(Canvas& canvas, const typeset::GlyphRun& run, Vec<typeset::Glyph>& ink) {
  Vec<Piece> out;
  out.reserve(run.clusters.size());
  std::size_t g = 0, front = 0, back = run.text.size();
  for (const auto& cluster : run.clusters) {
    Piece p;
    p.run = &run;
    for (int k = 0; k < cluster.glyphs && g + k < run.glyphs.size(); ++k)
      p.glyphs.push_back(run.glyphs[g + static_cast<std::size_t>(k)]);
    g += static_cast<std::size_t>(cluster.glyphs);
    const auto bytes = static_cast<std::size_t>(cluster.bytes);
    if (run.backward) {
      p.text.assign(run.text, back - bytes, bytes);
      back -= bytes;
    } else {
      p.text.assign(run.text, front, bytes);
      front += bytes;
    }
    p.space = is_space(p.text);
    const int chars = utf8_chars(p.text);
    if (p.glyphs.size() == 1 && chars > 1 && run.backward) {
      const typeset::Glyph& ligature = p.glyphs.front();
      if (share_span(canvas, run, p.text, ligature.x,
                     ligature.x + canvas.advance(run.font, ligature.id), ligature.y, out)) {
        ink.push_back({ligature.id, ligature.x, ligature.y, 0});
        continue;
      }
    }
    if (p.glyphs.size() > 1 && chars == 1) {
      // Cairo would give this cluster an /ActualText span and the extra glyph (Amiri's
      // joining stroke after lam or khah) a U+FFFD mapping that MuPDF and pdf.js print.
      // The letter is the first glyph in reading order; the strokes after it are ink.
      const std::size_t main = run.backward ? p.glyphs.size() - 1 : 0;
      for (std::size_t k = 0; k < p.glyphs.size(); ++k)
        if (k != main) ink.push_back({p.glyphs[k].id, p.glyphs[k].x, p.glyphs[k].y, 0});
      p.glyphs = {p.glyphs[main]};
    }
    if (p.glyphs.size() > 1 && chars > 1) {
      // Several letters and marks drawn with several glyphs (a letter with shadda and
      // tanwin as one mark glyph): one glyph per character in reading order, the last
      // glyph taking the characters left over, glyphs left over drawn as ink. Each part
      // gets a plain 1:1 or 1:N ToUnicode mapping instead of an /ActualText span.
      Vec<typeset::Glyph> logical_glyphs = p.glyphs;
      if (run.backward) std::reverse(logical_glyphs.begin(), logical_glyphs.end());
      const Vec<Str> cps = code_points(p.text);
      Vec<Piece> parts;
      for (std::size_t k = 0; k < logical_glyphs.size(); ++k) {
        if (k >= cps.size()) {
          ink.push_back({logical_glyphs[k].id, logical_glyphs[k].x, logical_glyphs[k].y, 0});
          continue;
        }
        Piece part;
        part.run = &run;
        part.glyphs = {logical_glyphs[k]};
        part.text = cps[k];
        if (k + 1 == logical_glyphs.size())
          for (std::size_t j = k + 1; j < cps.size(); ++j) part.text += cps[j];
        parts.push_back(std::move(part));
      }
      if (run.backward) std::reverse(parts.begin(), parts.end());
      for (auto& part : parts) {
        measure(canvas, part);
        out.push_back(std::move(part));
      }
      continue;
    }
    measure(canvas, p);
    out.push_back(std::move(p));
  }
  if (run.backward) share_zero_width_letters(canvas, run, out, ink);
  return out;
}

// Text positions of a cluster's glyphs: shifted with the cluster, and a zero-width glyph
// (a mark: shadda, fatha ...) at the right end of its base letter. Poppler gives a mark a box
// of no width at its origin and, with glyphs in logical order, makes a word break from the
// gap between that point and the next letter to the right.
void place_marks(Piece& p) {
  p.text_x.clear();
  const bool rtl = p.run->backward;
  for (std::size_t k = 0; k < p.glyphs.size(); ++k) p.text_x.push_back(p.glyphs[k].x + p.shift);
  if (rtl && p.glyphs.size() > 1 && p.right > p.left) {
    for (std::size_t k = 0; k < p.glyphs.size(); ++k)
      if (p.advances[k] <= 0) p.text_x[k] = p.right + p.shift;
  }
  p.moved = p.shift != 0;
  for (std::size_t k = 0; k < p.glyphs.size(); ++k)
    if (p.text_x[k] != p.glyphs[k].x) p.moved = true;
}

// Closes the gaps between the letters of a right-to-left word in the text layer: walking
// from the word's right end, each cluster's text moves right until it touches the one
// before it. Marks and zero-width clusters follow their neighbour.
void close_gaps(Word& word, double em) {
  double shift = 0;
  double edge = 0;  // left edge of the text layer so far
  bool started = false;
  for (Piece* p : word.pieces) {
    if (p->glyphs.empty() || p->right - p->left <= 0) {
      // A cluster of marks only: its text goes where its base letter's text ends.
      p->shift = shift;
      place_marks(*p);
      if (started)
        for (auto& x : p->text_x) x = edge - kMarkPast;
      p->moved = false;
      for (std::size_t k = 0; k < p->glyphs.size(); ++k)
        if (p->text_x[k] != p->glyphs[k].x) p->moved = true;
      continue;
    }
    if (started) {
      const double gap = edge - (p->right + shift);
      if (gap > kGapEm * em) shift += gap;
    }
    p->shift = shift;
    edge = p->left + shift;
    started = true;
  }
  for (Piece* p : word.pieces)
    if (p->right - p->left > 0) place_marks(*p);
}

void show(Canvas& c, const Vec<const Piece*>& pieces, bool shifted) {
  if (pieces.empty()) return;
  Vec<ShownGlyph> glyphs;
  Vec<std::pair<int, int>> clusters;
  Str text;
  for (const Piece* p : pieces) {
    const std::size_t from = glyphs.size();
    for (std::size_t k = 0; k < p->glyphs.size(); ++k)
      glyphs.push_back({p->glyphs[k].id, shifted ? p->text_x[k] : p->glyphs[k].x, p->glyphs[k].y});
    if (p->run->backward)
      std::reverse(glyphs.begin() + static_cast<std::ptrdiff_t>(from), glyphs.end());
    clusters.emplace_back(static_cast<int>(p->text.size()), static_cast<int>(p->glyphs.size()));
    text += p->text;
  }
  const auto* run = pieces.front()->run;
  // A letter of a shared span (share_span) is scaled to its slot; it is always clipped.
  const double x_scale = pieces.front()->x_scale;
  c.show(run->font, run->color, text, glyphs, clusters, shifted || x_scale != 1, x_scale);
}

}  // namespace

void emit_line(Canvas& c, const std::vector<const typeset::GlyphRun*>& runs) {
  line_arena.rewind();  // nothing of the previous line's is alive
  Vec<const typeset::GlyphRun*> logical(runs.begin(), runs.end());
  std::stable_sort(logical.begin(), logical.end(), [](const auto* a, const auto* b) {
    return a->logical_index < b->logical_index;
  });

  // Clusters of every run, then words in reading order. A word never spans two runs.
  Vec<Vec<Piece>> store;
  store.reserve(logical.size());
  Vec<Word> words;
  Vec<std::pair<const typeset::GlyphRun*, Vec<typeset::Glyph>>> inks;
  for (const auto* run : logical) {
    Vec<typeset::Glyph> ink;
    store.push_back(pieces_of(c, *run, ink));
    for (const auto& k : run->kashidas) ink.push_back({k.glyph, k.x, k.y, k.width});
    auto& pieces = store.back();
    Vec<Piece*> order;
    for (auto& p : pieces) order.push_back(&p);
    if (run->backward) std::reverse(order.begin(), order.end());
    Word word;
    auto finish = [&] {
      if (word.pieces.empty() && !word.space) return;
      if (run->backward) close_gaps(word, run->font.size());
      for (Piece* p : word.pieces)
        if (p->text_only) p->moved = true;  // always in the clipped layer
      double left = word.space ? word.space->left : 0;
      bool any = false;
      for (const Piece* p : word.pieces)
        if (!p->glyphs.empty()) left = any ? std::min(left, p->left) : p->left, any = true;
      word.left = left;
      words.push_back(word);
      word = Word{};
    };
    for (Piece* p : order) {
      if (p->space) {
        word.space = p;
        finish();
      } else {
        word.pieces.push_back(p);
      }
    }
    finish();
    // Ink of letters whose text layer moved: drawn as outlines where they stand.
    for (const auto& p : pieces)
      if (p.moved && !p.text_only)
        for (const auto& gl : p.glyphs) ink.push_back({gl.id, gl.x, gl.y, 0});
    inks.emplace_back(run, std::move(ink));
  }

  std::stable_sort(words.begin(), words.end(),
                   [](const Word& a, const Word& b) { return a.left < b.left; });
  for (const Word& w : words) {
    // The space first: it stands to the word's left in a right-to-left line, and MuPDF
    // needs it between this word and the one before it in the stream.
    // Then the letters in reading order, one call per stretch of clusters whose text
    // stands on its ink, and a clipped call per stretch whose text layer moved.
    Vec<const Piece*> call;
    bool moved = false;
    if (w.space) call.push_back(w.space);
    for (const Piece* p : w.pieces) {
      if (p->x_scale != 1) {  // a scaled letter goes out in a call of its own
        show(c, call, moved);
        call.clear();
        show(c, {p}, true);
        continue;
      }
      if (p->moved != moved && !call.empty()) {
        show(c, call, moved);
        call.clear();
      }
      moved = p->moved;
      call.push_back(p);
    }
    show(c, call, moved);
  }
  for (auto& [run, ink] : inks) draw_ink(c, run->font, run->color, ink);
}

}  // namespace warraq::pdf
