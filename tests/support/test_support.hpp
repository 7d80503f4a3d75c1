// Shared helpers for the test executables: paths into the source tree, scratch folders,
// and running programs (the warraq binary, qpdf, pdftotext, epubcheck) with their output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace warraq::test {

std::filesystem::path source_dir();           // the repository root
std::filesystem::path shared_dir();           // ../shared beside the repository
std::filesystem::path warraq_binary();        // the built `warraq`
// A fresh, empty folder under the build tree, named after the running test.
std::filesystem::path scratch_dir(const std::string& name);

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

struct RunResult {
  int status = -1;        // exit status, or 128+signal
  std::string out;        // standard output
  std::string err;        // standard error
};

// Runs argv[0] found on PATH (or a path), without a shell; stdin is /dev/null.
RunResult run(const std::vector<std::string>& argv);
// Runs the built warraq with the given arguments.
RunResult run_warraq(const std::vector<std::string>& args);

// Words of a text: maximal runs between Unicode white space (ASCII space, tab, newline,
// no-break space, U+2028) — enough for comparing extracted text with its source.
std::vector<std::string> split_words(const std::string& text);

}  // namespace warraq::test
