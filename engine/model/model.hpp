// The document model every stage shares: an edition of sections of articles, the page
// design (layout) as plain data, and diagnostics. It knows nothing of XML, Pango, Cairo
// or libzip, so importers and exporters can change without touching it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warraq::model {

// ---------------------------------------------------------------------------------------
// Diagnostics are values: a code, a severity, where, and what was expected. Stages collect
// them in a sink; only the command line prints them.

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown

  // "file:line:column", "file:line" or "file", whichever is known.
  std::string to_string() const;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

enum class Severity { warning, error };

struct Diagnostic {
  std::string code;  // stable, machine-readable: "xml-malformed", "missing-headline", ...
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;

  // One line: "file:line:column: error: message [code]".
  std::string to_string() const;
};

class Diagnostics {
 public:
  void error(std::string code, SourceLocation where, std::string message);
  void warning(std::string code, SourceLocation where, std::string message);
  void add(Diagnostic diagnostic);

  const std::vector<Diagnostic>& all() const { return items_; }
  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
};

// ---------------------------------------------------------------------------------------
// Calendar date (Gregorian). Time of day is not part of the model: editions are daily.

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Accepts exactly YYYY-MM-DD with a real calendar day; nullopt otherwise.
  static std::optional<Date> parse_iso(std::string_view text);
  std::string iso() const;
  // Seconds since the Unix epoch at 00:00 UTC of this day (for reproducible timestamps).
  std::int64_t unix_seconds() const;
  friend bool operator==(const Date&, const Date&) = default;
};

// ---------------------------------------------------------------------------------------
// Inline content: a paragraph is a flat list of spans; each span carries its own style.

enum InlineStyle : unsigned { plain = 0, emphasis = 1u << 0, strong = 1u << 1 };

struct Span {
  std::string text;  // UTF-8, exactly as the source has it (tatweel, no-break spaces)
  unsigned style = plain;
  std::string href;         // non-empty inside a link
  std::string lang;         // BCP 47 tag when the source marks a run ("en", "fr")
  std::string dir;          // "ltr" / "rtl" when the source marks it
  bool line_break = false;  // a forced line break; text is empty
  SourceLocation where;
  friend bool operator==(const Span&, const Span&) = default;
};

using Inlines = std::vector<Span>;

// The characters of the spans, line breaks as U+2028 LINE SEPARATOR.
std::string plain_text(const Inlines& inlines);

enum class BlockKind { paragraph, subheading, quote, pull_quote, list, figure };

struct Figure {
  std::string src;  // relative to the file that names it, resolved by the reader
  std::string alt;
  Inlines caption;
  Inlines credit;
  int columns = 1;  // how many columns the figure spans in a multi-column layout
  friend bool operator==(const Figure&, const Figure&) = default;
};

struct Block {
  BlockKind kind = BlockKind::paragraph;
  Inlines content;             // paragraph, subheading, quote, pull quote
  std::vector<Inlines> items;  // list items
  bool ordered = false;        // list
  std::string cite;            // quote: who is quoted
  Figure figure;               // figure
  SourceLocation where;
  friend bool operator==(const Block&, const Block&) = default;
};

struct RelatedLink {
  std::string href;  // may be empty for a teaser with no address
  std::string title;
  std::string snippet;
  friend bool operator==(const RelatedLink&, const RelatedLink&) = default;
};

struct Article {
  std::string id;  // unique within an edition; XML NCName
  Inlines kicker;
  Inlines headline;  // required
  Inlines subheadline;
  Inlines byline;
  Inlines dateline;
  std::optional<Date> date;
  std::string section;  // section name as the article states it (may differ from its container)
  int weight = 1;       // 1 (brief) .. 5 (lead story); layouts map it to headline spans
  Inlines lead;
  std::vector<Block> body;
  std::vector<RelatedLink> related;
  SourceLocation where;
};

struct Section {
  std::string id;
  std::string name;
  std::vector<Article> articles;
};

enum class Direction { rtl, ltr };

struct Edition {
  std::string title;
  std::string publisher;
  std::string number;  // edition number as printed ("1234"), may be empty
  Date date;
  std::string locale = "ar";  // BCP 47: "ar-MA", "ar-EG", ...
  Direction direction = Direction::rtl;
  std::string layout;  // layout name or path as the edition asks; may be empty
  std::vector<Section> sections;
  SourceLocation where;  // the edition file

  std::size_t article_count() const;
  std::string language() const;  // primary subtag of locale: "ar"
};

// ---------------------------------------------------------------------------------------
// Page design. Lengths are in PostScript points (1/72 in). Layout files in layouts/ are
// read into this; no design lives in code.

struct Color {
  double r = 0, g = 0, b = 0;
  friend bool operator==(const Color&, const Color&) = default;
};

struct TypeRole {
  std::string family;   // fontconfig family name, must be listed in fonts/
  double size = 10;     // pt
  double leading = 12;  // baseline-to-baseline, pt
  int weight = 400;     // CSS-style: 400 regular, 700 bold
  bool italic = false;
  Color color;
  double space_before = 0;  // pt
  double space_after = 0;   // pt
};

enum class DigitStyle { western, arabic_indic };
enum class Justification { kashida, spaces, none };

struct JustificationLimits {
  double max_space_stretch = 0.5;     // fraction of a space's natural width a space may grow
  double max_space_shrink = 0.2;      // fraction it may shrink
  double max_kashida_per_line = 4.0;  // total kashida width per line, in ems of the body
  double max_kashida_width = 1.0;     // longest single kashida, in ems of its font
  int max_kashidas_per_word = 1;
  int max_kashidas_per_line = 8;
};

struct Layout {
  std::string name;
  SourceLocation where;

  double page_width = 595.276;  // A4
  double page_height = 841.89;
  double margin_top = 42.52;
  double margin_bottom = 42.52;
  double margin_inner = 42.52;
  double margin_outer = 42.52;
  int columns = 2;
  double gutter = 14.17;
  bool column_rule = false;
  double column_rule_width = 0.5;
  Color column_rule_color;

  // Roles by name: masthead, kicker, headline, subheadline, byline, dateline, lead, body,
  // subheading, quote, pull_quote, caption, credit, running_head, folio, jump_line.
  std::map<std::string, TypeRole> roles;
  std::string latin_family;  // face for Latin runs inside Arabic text

  DigitStyle digits = DigitStyle::western;
  Justification justification = Justification::kashida;
  JustificationLimits limits;
  int widow_lines = 2;
  int orphan_lines = 2;
  std::map<int, int> headline_columns_by_weight;  // weight -> columns spanned
  // Headline size and leading by weight (pt), where a <headline-span> gives them: a brief
  // in one narrow column needs a smaller head than the lead story across six.
  std::map<int, std::pair<double, double>> headline_size_by_weight;
  std::map<int, TypeRole> headline_roles_by_weight;  // filled by finish_headline_roles()

  std::string jump_to = "تتمة ص {page}";
  std::string jump_from = "تابع من ص {page}";
  // Fixed words the pages print: the contents block's title (empty: no contents block) and
  // the masthead's issue label, where {number} is the edition number.
  std::string contents_title = "في هذا العدد";
  std::string issue_label = "العدد {number}";

  // How a section opens: a heavy rule over the section's name (rule), the name reversed out
  // of a band in the section_head colour (band), or nothing (none: the name is only in the
  // running heads and the outline).
  enum class SectionOpener { rule, band, none };
  SectionOpener section_opener = SectionOpener::rule;

  // EPUB stylesheet settings.
  std::string epub_body_family;
  double epub_body_size_em = 1.0;
  double epub_line_height = 1.6;

  // The role, or the body role when the layout does not define it.
  const TypeRole& role(const std::string& name) const;
  int headline_columns(int weight) const;
  // The headline role for a head set across `columns` columns: the headline role at the
  // size of the <headline-span> entry with the most columns not above `columns` (a story
  // placed narrower than its weight asks gets the narrower entry's size).
  const TypeRole& headline_role(int columns) const;
  // Builds headline_roles_by_weight once the roles are known.
  void finish_headline_roles();
};

}  // namespace warraq::model
