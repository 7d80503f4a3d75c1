// Reading Warraq's native XML (editions, articles) and layout files into the model.
// Every problem becomes a Diagnostic with file:line (and column where known) that says
// what was expected; a read that reports any error returns nullopt.
#pragma once

#include <filesystem>
#include <optional>

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

}  // namespace warraq::input
