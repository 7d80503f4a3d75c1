// The text dump golden tests diff: every line with its role, box, stretch and bidi runs in
// visual order, and optionally every glyph run, positions rounded to 0.01 pt.
#include <cstdio>
#include <sstream>

#include "typeset/typeset.hpp"

namespace warraq::typeset {

namespace {

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return std::string(buf) == "-0.00" ? "0.00" : buf;
}

}  // namespace

std::string dump_page(const Page& page, bool with_glyphs) {
  std::ostringstream out;
  out << "page " << page.number << " label=" << page.label << " size=" << fixed(page.width) << "x"
      << fixed(page.height) << "\n";
  for (const LineBox& l : page.lines) {
    out << "  line " << l.role << " col=" << l.column << " x=" << fixed(l.x)
        << " base=" << fixed(l.baseline) << " w=" << fixed(l.width)
        << " natural=" << fixed(l.natural_width);
    if (l.justified)
      out << " stretch=" << fixed(l.space_stretch) << " kashida=" << l.kashida_count << "/"
          << fixed(l.kashida_width);
    out << "\n    text: " << l.text << "\n    runs: " << l.visual_runs << "\n";
  }
  if (with_glyphs) {
    for (const Item& item : page.items) {
      if (item.kind == Item::Kind::glyphs) {
        const GlyphRun& r = item.run;
        out << "  glyphs " << (r.font.file() ? r.font.file()->path.filename().string() : "?") << " "
            << fixed(r.font.size()) << "pt line=" << r.line << " order=" << r.logical_index
            << " level=" << r.bidi_level << " text=" << r.text << "\n   ";
        for (const Glyph& g : r.glyphs)
          out << " " << g.id << "@" << fixed(g.x) << "," << fixed(g.y);
        out << "\n    clusters";
        for (const Cluster& c : r.clusters) out << " " << c.bytes << ":" << c.glyphs;
        for (const Kashida& k : r.kashidas)
          out << "\n    kashida after cluster " << k.cluster << " @" << fixed(k.x) << " +"
              << fixed(k.width);
        out << "\n";
      } else if (item.kind == Item::Kind::outline) {
        out << "  ink";
        for (const Glyph& g : item.ink.glyphs)
          out << " " << g.id << "@" << fixed(g.x) << "," << fixed(g.y) << "+" << fixed(g.advance);
        out << "\n";
      } else if (item.kind == Item::Kind::anchor) {
        out << "  anchor " << item.anchor.name << " level=" << item.anchor.outline_level << " "
            << item.anchor.outline_title << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace warraq::typeset
