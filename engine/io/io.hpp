// Output files written all or nothing: every stage that writes a file the user keeps (PDF,
// EPUB, imported articles, batch records and reports) goes through here, so a failed or
// killed run never leaves half a file under the target's name, and never removes what an
// earlier run produced.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

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

}  // namespace warraq::io
