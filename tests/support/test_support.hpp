// Shared helpers for the test executables: paths into the source tree, scratch folders,
// and running programs (the warraq binary, qpdf, pdftotext, epubcheck) with their output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace warraq::test {

std::filesystem::path source_dir();     // the repository root
std::filesystem::path shared_dir();     // ../shared beside the repository
std::filesystem::path warraq_binary();  // the built `warraq`
// A fresh, empty folder under the build tree, named after the running test.
std::filesystem::path scratch_dir(const std::string& name);

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

struct RunResult {
  int status = -1;  // exit status, or 128+signal
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs argv[0] found on PATH (or a path), without a shell; stdin is /dev/null.
RunResult run(const std::vector<std::string>& argv);
// Runs the built warraq with the given arguments.
RunResult run_warraq(const std::vector<std::string>& args);

// Words of a text: maximal runs between Unicode white space (ASCII space, tab, newline,
// no-break space, U+2028) — enough for comparing extracted text with its source.
std::vector<std::string> split_words(const std::string& text);

}  // namespace warraq::test

namespace warraq::test {

// A word as extractors give it back, compared with the source: bidi and zero-width
// controls removed (poppler wraps lines in embeddings), harakat and tatweel folded,
// punctuation stripped from the edges.
std::string normalize_word(const std::string& word);

// How much of `source` comes back from `extracted`:
//  - intact: share of source words found as extracted words, after re-joining two or three
//    adjacent extracted pieces whose concatenation is a source word (poppler splits words
//    at wide gaps between glyphs);
//  - pairs: share of adjacent source word pairs that come back adjacent (reading order).
struct WordScore {
  double intact = 0;
  double pairs = 0;
  std::size_t source_words = 0;
  std::vector<std::string> missing;  // a few source words not found, for messages
};
WordScore score_words(const std::string& source, const std::string& extracted);

}  // namespace warraq::test
