// One entry for every input: detect the format from the content, read it, and join several
// inputs into one edition in the order given.
#include <map>
#include <set>

#include "input/import_detail.hpp"

namespace warraq::input {

namespace {

namespace fs = std::filesystem;

// The root element's name as written ("rss", "nitf:nitf", "feed"), skipping the XML
// declaration, comments, processing instructions and a DOCTYPE; empty when the bytes do not
// start like XML.
std::string root_name(std::string_view bytes, int* line = nullptr) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  std::size_t i = 0;
  while (true) {
    while (i < bytes.size() && import::is_collapsible_space(bytes[i])) ++i;
    if (i >= bytes.size() || bytes[i] != '<') return {};
    const std::string_view rest = bytes.substr(i);
    std::size_t end;
    if (rest.substr(0, 4) == "<!--") {
      end = rest.find("-->");
      if (end == std::string_view::npos) return {};
      i += end + 3;
    } else if (rest.substr(0, 2) == "<?") {
      end = rest.find("?>");
      if (end == std::string_view::npos) return {};
      i += end + 2;
    } else if (rest.substr(0, 2) == "<!") {
      // DOCTYPE, possibly with an internal subset in brackets.
      int depth = 0;
      std::size_t k = 2;
      for (; k < rest.size(); ++k) {
        if (rest[k] == '[') ++depth;
        if (rest[k] == ']') --depth;
        if (rest[k] == '>' && depth <= 0) break;
      }
      if (k >= rest.size()) return {};
      i += k + 1;
    } else {
      std::size_t k = 1;
      while (k < rest.size() && !import::is_collapsible_space(rest[k]) && rest[k] != '>' &&
             rest[k] != '/')
        ++k;
      if (line) {
        *line = 1;
        for (std::size_t n = 0; n < i; ++n) *line += bytes[n] == '\n';
      }
      return std::string(rest.substr(1, k - 1));
    }
  }
}

std::string_view local(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::optional<Format> format_of_root(std::string_view name) {
  const std::string_view l = local(name);
  if (name == "edition" || name == "article") return Format::native;
  if (l == "nitf") return Format::nitf;
  if (l == "rss") return Format::rss;
  if (l == "feed") return Format::atom;
  return std::nullopt;
}

bool looks_like_xml(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  std::size_t i = 0;
  while (i < bytes.size() && import::is_collapsible_space(bytes[i])) ++i;
  return i < bytes.size() && bytes[i] == '<';
}

}  // namespace

std::string_view format_name(Format format) {
  switch (format) {
    case Format::native:
      return "native";
    case Format::scraped:
      return "scraped";
    case Format::nitf:
      return "nitf";
    case Format::rss:
      return "rss";
    case Format::atom:
      return "atom";
  }
  return "native";
}

std::optional<Format> parse_format(std::string_view name) {
  for (Format f : {Format::native, Format::scraped, Format::nitf, Format::rss, Format::atom})
    if (format_name(f) == name) return f;
  return std::nullopt;
}

Format detect_format(std::string_view bytes) {
  if (!looks_like_xml(bytes)) return Format::scraped;
  return format_of_root(root_name(bytes)).value_or(Format::native);
}

std::optional<model::Edition> read_any_text(const std::string& bytes, const fs::path& name,
                                            std::optional<Format> format,
                                            model::Diagnostics& diagnostics,
                                            std::vector<Dropped>* dropped) {
  const import::Sink sink{diagnostics, name.string(), dropped};
  if (!format && looks_like_xml(bytes)) {
    int line = 0;
    const std::string root = root_name(bytes, &line);
    if (!root.empty() && !format_of_root(root)) {
      sink.error("wrong-root", line,
                 "unknown root element <" + root +
                     ">: expected <edition> or <article> (Warraq XML), <nitf>, <rss> or <feed> "
                     "(Atom)");
      return std::nullopt;
    }
  }
  std::optional<model::Edition> edition;
  switch (format.value_or(detect_format(bytes))) {
    case Format::native:
      return read_edition_text(bytes, name, diagnostics);
    case Format::scraped:
      edition = import::import_scraped(bytes, name, sink);
      break;
    case Format::nitf:
      edition = import::import_nitf(bytes, name, sink);
      break;
    case Format::rss:
      edition = import::import_feed(bytes, name, Format::rss, sink);
      break;
    case Format::atom:
      edition = import::import_feed(bytes, name, Format::atom, sink);
      break;
  }
  // Importers name sections; ids are made here: an ASCII slug of the name ("Business" ->
  // business), else section-N, unique in the edition.
  if (edition) {
    std::set<std::string> used;
    for (auto& section : edition->sections) {
      std::string id = import::slug(section.name);
      if (id.empty()) id = "section-" + std::to_string(used.size() + 1);
      const std::string base = id;
      for (int n = 2; used.count(id); ++n) id = base + "-" + std::to_string(n);
      used.insert(id);
      section.id = id;
    }
  }
  return edition;
}

std::optional<model::Edition> read_any(const fs::path& path, std::optional<Format> format,
                                       model::Diagnostics& diagnostics,
                                       std::vector<Dropped>* dropped) {
  auto bytes = detail::read_bytes(path);
  if (!bytes) {
    diagnostics.error("missing-file", {path.string(), 0, 0},
                      "cannot read '" + path.string() +
                          "': expected an existing edition, article, NITF, feed or scraped "
                          "text file");
    return std::nullopt;
  }
  return read_any_text(*bytes, path, format, diagnostics, dropped);
}

std::optional<model::Edition> read_inputs(const std::vector<fs::path>& paths,
                                          std::optional<Format> format, bool keep_going,
                                          model::Diagnostics& diagnostics,
                                          std::vector<Dropped>* dropped) {
  std::optional<model::Edition> joined;
  bool failed = false;
  std::set<std::string> article_ids;
  std::set<std::string> section_ids;
  for (const auto& path : paths) {
    auto edition = read_any(path, format, diagnostics, dropped);
    if (!edition) {
      failed = true;
      if (!keep_going) continue;  // keep reading to report every bad input, then fail
      continue;
    }
    if (!joined) {
      joined = model::Edition{};
      model::Edition& e = *joined;
      e.title = edition->title;
      e.publisher = edition->publisher;
      e.number = edition->number;
      e.date = edition->date;
      e.locale = edition->locale;
      e.direction = edition->direction;
      e.layout = edition->layout;
      e.where = edition->where;
    }
    for (auto& section : edition->sections) {
      // Sections join by name, so two feeds' "economy" items share one section.
      model::Section* target = nullptr;
      for (auto& existing : joined->sections)
        if ((!section.name.empty() && existing.name == section.name) ||
            (section.name.empty() && existing.id == section.id))
          target = &existing;
      if (!target) {
        std::string id = section.id;
        const std::string base = id;
        for (int n = 2; section_ids.count(id); ++n) id = base + "-" + std::to_string(n);
        section_ids.insert(id);
        joined->sections.push_back({id, section.name, {}});
        target = &joined->sections.back();
      }
      for (auto& article : section.articles) {
        const std::string base = article.id;
        for (int n = 2; article_ids.count(article.id); ++n) {
          article.id = base + "-" + std::to_string(n);
          if (article_ids.count(article.id) == 0)
            diagnostics.warning("renamed-id", article.where,
                                "article id '" + base +
                                    "' is already used in this edition: "
                                    "renamed '" +
                                    article.id + "'");
        }
        article_ids.insert(article.id);
        target->articles.push_back(std::move(article));
      }
    }
  }
  if (failed && !keep_going) return std::nullopt;
  return joined;
}

}  // namespace warraq::input
