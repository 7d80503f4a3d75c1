// The only place Warraq touches libzip: an archive built in memory, entries added in the
// caller's order with a fixed time, so the same entries always give the same bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

typedef struct zip zip_t;
typedef struct zip_source zip_source_t;

namespace warraq::epub {

struct ZipDeleter {
  void operator()(zip_t* archive) const;        // zip_discard: nothing is written
  void operator()(zip_source_t* source) const;  // zip_source_free
};
using ZipHandle = std::unique_ptr<zip_t, ZipDeleter>;
using ZipSourceHandle = std::unique_ptr<zip_source_t, ZipDeleter>;

class ZipArchive {
 public:
  enum class Method { store, deflate };

  // Entry times are `unix_time` (UTC), clamped to what a DOS time can hold.
  explicit ZipArchive(std::int64_t unix_time);
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // False when the archive could not be created; error() says why.
  bool ok() const { return archive_ != nullptr; }
  bool add(std::string_view name, std::string bytes, Method method);
  // Adds entry `index` of `source` (another finished archive, reopened with
  // ZipArchive::Reader) under `name`, copying its deflated bytes as they are: the entry
  // was compressed earlier, on another thread's time, and is not compressed again.
  class Reader;
  bool add_compressed(std::string_view name, Reader& source, std::uint64_t index);
  // Closes the archive and returns its bytes; nullopt (and error()) on failure.
  std::optional<std::string> finish();
  const std::string& error() const { return error_; }

 private:
  void fail(std::string_view what);
  bool add_source(std::string_view name, zip_source_t* source, Method method);

  // Declared so that the archive is discarded first, then the entry bytes it points into,
  // then the buffer it writes to.
  ZipSourceHandle buffer_;
  std::deque<std::string> contents_;  // entry bytes must outlive zip_close
  ZipHandle archive_;
  std::int64_t local_time_ = 0;
  std::string error_;
};

// A finished archive's bytes, opened again for reading, so that its entries can be copied
// into another archive compressed (ZipArchive::add_compressed). Must outlive that
// archive's finish().
class ZipArchive::Reader {
 public:
  explicit Reader(std::string bytes);
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  bool ok() const { return archive_ != nullptr; }
  zip_t* archive() const { return archive_.get(); }

 private:
  std::string bytes_;
  ZipHandle archive_;
};

// A time libzip stores as the given UTC wall-clock time. libzip converts with localtime(),
// so the value is shifted by the host's zone offset; the DOS range (1980–2107) and its
// 2-second resolution are applied first.
std::int64_t zip_entry_time(std::int64_t unix_time);

}  // namespace warraq::epub
