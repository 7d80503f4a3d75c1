// Transactional output (libzip's zip_close does the same): the bytes go to a temporary
// file beside the target, are flushed to disk, and only then renamed over it, so a reader
// or a killed run never sees half an EPUB.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "digest.hpp"

namespace warraq::epub {

bool write_atomically(const std::filesystem::path& output, const std::string& bytes,
                      std::string& error) {
  const std::filesystem::path folder =
      output.parent_path().empty() ? std::filesystem::path(".") : output.parent_path();
  std::string temp = (folder / ("." + output.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = "cannot create a file in " + folder.string() + ": " + std::strerror(errno);
    return false;
  }
  const auto fail = [&](const char* what) {
    error = std::string(what) + " " + temp + ": " + std::strerror(errno);
    ::close(fd);
    ::unlink(temp.c_str());
    return false;
  };
  // mkstemp makes the file 0600; a published book is readable by all. (Reading the umask
  // would mean setting it, which races with other threads of a batch run.)
  if (::fchmod(fd, 0644) != 0) return fail("cannot set the mode of");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot flush");
  if (::close(fd) != 0) {
    error = "cannot close " + temp + ": " + std::strerror(errno);
    ::unlink(temp.c_str());
    return false;
  }
  if (::rename(temp.c_str(), output.c_str()) != 0) {
    error = "cannot rename " + temp + " to " + output.string() + ": " + std::strerror(errno);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace warraq::epub
