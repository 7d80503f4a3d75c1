#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/io.hpp"

namespace warraq::io {

namespace {

std::string reason() { return std::strerror(errno); }

}  // namespace

AtomicFile::AtomicFile(const std::filesystem::path& target) : target_(target) {
  const std::filesystem::path folder =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string pattern = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    error_ = "cannot create a file in " + folder.string() + ": " + reason();
    return;
  }
  // mkstemp makes the file 0600; a published file is readable by all. (Reading the umask
  // would mean setting it, which races with the other threads of a batch run.)
  ::fchmod(fd, 0644);
  temporary_ = pattern;
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    error_ = "cannot open " + temporary_ + ": " + reason();
    ::close(fd);
  }
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

bool AtomicFile::write(std::string_view bytes) {
  if (!file_) return false;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    error_ = "cannot write " + temporary_ + ": " + reason();
    return false;
  }
  return true;
}

bool AtomicFile::commit() {
  if (!file_) {
    if (error_.empty()) error_ = "cannot write " + target_.string();
    return false;
  }
  std::FILE* file = file_;
  file_ = nullptr;
  const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const std::string why = flushed ? "" : reason();
  if (std::fclose(file) != 0 || !flushed) {
    error_ = "cannot write " + temporary_ + ": " + (flushed ? reason() : why);
    return false;  // the destructor removes the temporary file
  }
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    error_ = "cannot rename " + temporary_ + " to " + target_.string() + ": " + reason();
    return false;
  }
  temporary_.clear();
  return true;
}

bool write_file(const std::filesystem::path& target, std::string_view bytes, std::string& error) {
  AtomicFile file(target);
  if (!file.write(bytes) || !file.commit()) {
    error = file.error();
    return false;
  }
  return true;
}

}  // namespace warraq::io
