// Writing an edition in the native format (docs/format.md) for `warraq import`: one edition
// file, one article file per article, figures copied beside the articles. What is written
// reads back as the same model (tests/input/import_roundtrip_test pins it).
#include <unistd.h>

#include <fstream>
#include <map>

#include "input/import_detail.hpp"
#include "io/io.hpp"

namespace warraq::input {

namespace {

namespace fs = std::filesystem;

// The EPUB writer's escaper: what one writes the other's readers accept.
std::string escape(std::string_view text, bool attribute) {
  std::string out;
  io::append_xml_escaped(out, text, attribute);
  return out;
}

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + escape(value, true) + "\"";
}

// Each span gets its own wrappers; the reader merges nothing that differs, so the spans come
// back one for one.
std::string inlines(const model::Inlines& spans) {
  std::string out;
  for (const auto& span : spans) {
    std::string open;
    std::string close;
    if (!span.href.empty()) {
      open += "<a" + attr("href", span.href) + ">";
      close = "</a>" + close;
    }
    if (!span.lang.empty() || !span.dir.empty()) {
      open += "<span";
      if (!span.lang.empty()) open += attr("lang", span.lang);
      if (!span.dir.empty()) open += attr("dir", span.dir);
      open += ">";
      close = "</span>" + close;
    }
    if (span.style & model::strong) {
      open += "<strong>";
      close = "</strong>" + close;
    }
    if (span.style & model::emphasis) {
      open += "<em>";
      close = "</em>" + close;
    }
    out += open + (span.line_break ? std::string("<br/>") : escape(span.text, false)) + close;
  }
  return out;
}

std::string element(std::string_view name, const model::Inlines& spans, std::string_view indent) {
  if (spans.empty()) return {};
  return std::string(indent) + "<" + std::string(name) + ">" + inlines(spans) + "</" +
         std::string(name) + ">\n";
}

class Writer {
 public:
  Writer(fs::path articles, model::Diagnostics& diagnostics)
      : articles_(std::move(articles)), diagnostics_(diagnostics) {}

  // Copies an image beside the articles; returns its path relative to them.
  std::optional<std::string> image(const std::string& src) {
    if (auto found = copied_.find(src); found != copied_.end()) return found->second;
    std::string name = fs::path(src).filename().string();
    for (int n = 2; used_.count(name); ++n)
      name = std::to_string(n) + "-" + fs::path(src).filename().string();
    used_.insert({name, src});
    std::error_code ec;
    fs::create_directories(articles_ / "img", ec);
    const fs::path target = articles_ / "img" / name;
    const fs::path temp = target.string() + ".tmp-" + std::to_string(getpid());
    fs::copy_file(src, temp, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::rename(temp, target, ec);
    if (ec) {
      diagnostics_.error(
          "output-unwritable", {target.string(), 0, 0},
          "cannot copy the image '" + src + "' to '" + target.string() + "': " + ec.message());
      fs::remove(temp, ec);
      return std::nullopt;
    }
    copied_[src] = "img/" + name;
    return copied_[src];
  }

  std::string article(const model::Article& a) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<article version=\"1\"";
    out += attr("id", a.id);
    if (a.date) out += attr("date", a.date->iso());
    if (!a.section.empty()) out += attr("section", a.section);
    if (a.weight != 1) out += attr("weight", std::to_string(a.weight));
    out += ">\n";
    out += element("kicker", a.kicker, "  ");
    out += element("headline", a.headline, "  ");
    out += element("subheadline", a.subheadline, "  ");
    out += element("byline", a.byline, "  ");
    out += element("dateline", a.dateline, "  ");
    out += element("lead", a.lead, "  ");
    out += "  <body>\n";
    for (const auto& b : a.body) {
      switch (b.kind) {
        case model::BlockKind::paragraph:
          out += element("p", b.content, "    ");
          break;
        case model::BlockKind::subheading:
          out += element("subheading", b.content, "    ");
          break;
        case model::BlockKind::pull_quote:
          out += element("pullquote", b.content, "    ");
          break;
        case model::BlockKind::quote:
          out += "    <quote" + (b.cite.empty() ? std::string{} : attr("cite", b.cite)) + ">" +
                 inlines(b.content) + "</quote>\n";
          break;
        case model::BlockKind::list:
          out += std::string("    <list") + (b.ordered ? " type=\"numbered\"" : "") + ">\n";
          for (const auto& item : b.items) out += "      <item>" + inlines(item) + "</item>\n";
          out += "    </list>\n";
          break;
        case model::BlockKind::figure: {
          const auto src = image(b.figure.src);
          if (!src) break;
          out += "    <figure" + attr("src", *src);
          if (b.figure.columns != 1) out += attr("columns", std::to_string(b.figure.columns));
          if (!b.figure.alt.empty()) out += attr("alt", b.figure.alt);
          out += ">\n";
          out += element("caption", b.figure.caption, "      ");
          out += element("credit", b.figure.credit, "      ");
          out += "    </figure>\n";
          break;
        }
      }
    }
    out += "  </body>\n";
    if (!a.related.empty()) {
      out += "  <related>\n";
      for (const auto& link : a.related) {
        out += "    <link" + (link.href.empty() ? std::string{} : attr("href", link.href)) + ">";
        out += "<title>" + escape(link.title, false) + "</title>";
        if (!link.snippet.empty()) out += "<snippet>" + escape(link.snippet, false) + "</snippet>";
        out += "</link>\n";
      }
      out += "  </related>\n";
    }
    out += "</article>\n";
    return out;
  }

 private:
  fs::path articles_;
  model::Diagnostics& diagnostics_;
  std::map<std::string, std::string> copied_;  // source path -> relative src
  std::map<std::string, std::string> used_;    // file name -> source path
};

// Temporary name in the target folder, then rename: a reader never sees half a file.
bool write_file(const fs::path& path, const std::string& content, model::Diagnostics& diagnostics) {
  std::string error;
  if (io::write_file(path, content, error)) return true;
  diagnostics.error("output-unwritable", {path.string(), 0, 0},
                    "cannot write '" + path.string() + "': " + error);
  return false;
}

}  // namespace

bool write_native(const model::Edition& edition, const fs::path& out,
                  model::Diagnostics& diagnostics) {
  const bool is_file = out.extension() == ".xml";
  const fs::path folder = is_file ? (out.has_parent_path() ? out.parent_path() : ".") : out;
  const fs::path edition_file = is_file ? out : out / "edition.xml";
  const fs::path articles = folder / "articles";
  std::error_code ec;
  fs::create_directories(articles, ec);
  if (ec) {
    diagnostics.error("output-unwritable", {articles.string(), 0, 0},
                      "cannot create the folder '" + articles.string() + "': " + ec.message());
    return false;
  }
  const std::size_t errors = diagnostics.error_count();
  Writer writer(articles, diagnostics);
  std::string index = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edition version=\"1\"";
  index += attr("locale", edition.locale);
  index += attr("dir", edition.direction == model::Direction::rtl ? "rtl" : "ltr");
  if (!edition.layout.empty()) index += attr("layout", edition.layout);
  index += attr("date", edition.date.iso());
  if (!edition.number.empty()) index += attr("number", edition.number);
  index += ">\n  <title>" + escape(edition.title.empty() ? "Warraq" : edition.title, false) +
           "</title>\n";
  if (!edition.publisher.empty())
    index += "  <publisher>" + escape(edition.publisher, false) + "</publisher>\n";
  for (const auto& section : edition.sections) {
    index += "  <section" + attr("id", section.id) +
             attr("name", section.name.empty() ? section.id : section.name) + ">\n";
    for (const auto& article : section.articles) {
      const std::string file = article.id + ".xml";
      if (!write_file(articles / file, writer.article(article), diagnostics)) return false;
      index += "    <article-ref" + attr("href", "articles/" + file) + "/>\n";
    }
    index += "  </section>\n";
  }
  index += "</edition>\n";
  if (diagnostics.error_count() > errors) return false;
  return write_file(edition_file, index, diagnostics);
}

}  // namespace warraq::input
