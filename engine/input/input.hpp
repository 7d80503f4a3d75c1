// Reading Warraq's native XML (editions, articles) and layout files into the model.
// Every problem becomes a Diagnostic with file:line (and column where known) that says
// what was expected; a read that reports any error returns nullopt.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace warraq::input {

// Reads an edition file, following <article-ref href> to article files relative to it.
// A file whose root is <article> is accepted too: it becomes a one-article edition
// titled after the article (so `warraq pdf article.xml` works).
std::optional<model::Edition> read_edition(const std::filesystem::path& path,
                                           model::Diagnostics& diagnostics);

// The same, from bytes in memory; `name` is used in diagnostics and to resolve references.
std::optional<model::Edition> read_edition_text(const std::string& bytes,
                                                const std::filesystem::path& name,
                                                model::Diagnostics& diagnostics);

// Reads a layout file (layouts/*.xml).
std::optional<model::Layout> read_layout(const std::filesystem::path& path,
                                         model::Diagnostics& diagnostics);

// Finds a layout by name ("a4-digest") in the layouts folder, or takes a path as given.
std::filesystem::path resolve_layout(const std::string& name_or_path,
                                     const std::filesystem::path& layouts_dir);

// The folder holding layouts/ and fonts/: $WARRAQ_DATA_DIR, else the build-time default.
std::filesystem::path data_dir();

// Checks that bytes are valid UTF-8; on failure sets line/column (1-based, columns in
// characters) of the first bad byte.
bool validate_utf8(std::string_view bytes, int& line, int& column);

// ---------------------------------------------------------------------------------------
// Importers (docs/import.md): newsroom formats read into the same model as the native XML.

enum class Format { native, scraped, nitf, rss, atom };

// "native", "scraped", "nitf", "rss", "atom".
std::string_view format_name(Format format);
std::optional<Format> parse_format(std::string_view name);

// What the bytes are, from their content (the root element of XML, else scraped text).
Format detect_format(std::string_view bytes);

// Something an importer left out on purpose (a script, an event attribute, a remote image):
// not an error, listed by `--verbose` so an editor can see what the feed carried.
struct Dropped {
  model::SourceLocation where;
  std::string what;
};

// Reads one input of any supported format (detected unless `format` is given) as an edition.
// `dropped`, when given, receives what the importer left out.
std::optional<model::Edition> read_any(const std::filesystem::path& path,
                                       std::optional<Format> format,
                                       model::Diagnostics& diagnostics,
                                       std::vector<Dropped>* dropped = nullptr);

// The same, from bytes in memory; `name` is used in diagnostics and to resolve references.
std::optional<model::Edition> read_any_text(const std::string& bytes,
                                            const std::filesystem::path& name,
                                            std::optional<Format> format,
                                            model::Diagnostics& diagnostics,
                                            std::vector<Dropped>* dropped = nullptr);

// Several inputs make one edition, in the order given: the first sets the edition's title,
// date, locale, direction and layout; sections with the same name are joined; article ids
// made unique. Without `keep_going` any bad input fails the whole read; with it, a bad input
// is reported and left out (nullopt only when no input could be read).
std::optional<model::Edition> read_inputs(const std::vector<std::filesystem::path>& paths,
                                          std::optional<Format> format, bool keep_going,
                                          model::Diagnostics& diagnostics,
                                          std::vector<Dropped>* dropped = nullptr);

// Writes an edition in the native format: `out` is a folder (edition.xml, articles/ID.xml,
// articles/img/ for figures) or the edition file's path when it ends in ".xml". Each file is
// written to a temporary name and renamed. False after reporting [output-unwritable].
bool write_native(const model::Edition& edition, const std::filesystem::path& out,
                  model::Diagnostics& diagnostics);

}  // namespace warraq::input
