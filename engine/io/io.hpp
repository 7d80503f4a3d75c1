// What every stage that writes output shares. Output files written all or nothing: every
// stage that writes a file the user keeps (PDF, EPUB, imported articles, batch records and
// reports) goes through here, so a failed or killed run never leaves half a file under the
// target's name, and never removes what an earlier run produced. And XML text escaping.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace warraq::io {

// A file written under a temporary name in the target's folder (".NAME.tmp-XXXXXX") and
// renamed over the target by commit() once complete and flushed to disk. Destroyed without
// commit(), it removes the temporary file and the target is untouched.
class AtomicFile {
 public:
  explicit AtomicFile(const std::filesystem::path& target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Null when the temporary file could not be created (error() says why).
  std::FILE* stream() const { return file_; }
  bool write(std::string_view bytes);
  // Flush, fsync, close, rename over the target. False with error() set on failure.
  bool commit();
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path target_;
  std::string temporary_;
  std::FILE* file_ = nullptr;
  std::string error_;
};

// `bytes` as the whole content of `target`, atomically (AtomicFile). False with `error` set
// (a sentence naming the file and the system's reason) on failure.
bool write_file(const std::filesystem::path& target, std::string_view bytes, std::string& error);

// A set of code points, in ascending order, that a writer fills as it goes (the EPUB subsets
// its fonts to the characters it shows). Every character written passes through insert():
// a bit per code point of the Basic Multilingual Plane answers "seen already" for nearly all
// of them without a search of the set.
class CodePointSet {
 public:
  void insert(char32_t c) {
    if (c < bmp_bits) {
      std::uint64_t& word = seen_[c / 64];
      const std::uint64_t bit = std::uint64_t{1} << (c % 64);
      if (word & bit) return;
      word |= bit;
    }
    all_.insert(c);
  }
  std::size_t count(char32_t c) const { return all_.count(c); }
  std::size_t size() const { return all_.size(); }
  bool empty() const { return all_.empty(); }
  std::set<char32_t>::const_iterator begin() const { return all_.begin(); }
  std::set<char32_t>::const_iterator end() const { return all_.end(); }

 private:
  static constexpr char32_t bmp_bits = 0x10000;
  std::vector<std::uint64_t> seen_ = std::vector<std::uint64_t>(bmp_bits / 64);
  std::set<char32_t> all_;
};

// Appends `text` escaped for element content (& < >) or, with `attribute`, for an attribute
// value (also " and white space other than the space), dropping characters XML 1.0 does not
// allow and turning broken UTF-8 into U+FFFD. Records every character above U+0020 it
// writes in `seen` when given.
void append_xml_escaped(std::string& out, std::string_view text, bool attribute,
                        CodePointSet* seen = nullptr);

}  // namespace warraq::io
