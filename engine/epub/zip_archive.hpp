// The only place Warraq touches libzip: an archive built in memory, entries added in the
// caller's order with a fixed time, so the same entries always give the same bytes.
//
// Entries are deflated by libdeflate here (deflate_entry), not by libzip, so that any
// thread can compress an entry ahead of time and the archive only copies the bytes: the
// settings are a function of the entry's kind alone, never of the thread or the moment.
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

// An entry's bytes as raw deflate data (RFC 1951), with what the zip headers need.
struct Deflated {
  std::string data;
  std::uint32_t crc = 0;   // CRC-32 of the uncompressed bytes
  std::uint64_t size = 0;  // uncompressed size
};

// How hard libdeflate works on an entry. Markup (XHTML, NCX, OPF, CSS) is small and repetitive;
// font subsets are larger and denser (see deflate_entry in zip_archive.cpp for the figures).
enum class Content { markup, font };

// `bytes` deflated at the level for `content`; nullopt only when libdeflate fails (out of
// memory). Thread-safe.
std::optional<Deflated> deflate_entry(std::string_view bytes, Content content);

class ZipArchive {
 public:
  enum class Method { store, deflate };

  // Entry times are `unix_time` (UTC), clamped to what a DOS time can hold.
  explicit ZipArchive(std::int64_t unix_time);
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // False when the archive could not be created; error() says why.
  bool ok() const { return archive_ != nullptr; }
  // Method::deflate deflates `bytes` here, as markup (deflate_entry).
  bool add(std::string_view name, std::string bytes, Method method);
  // Adds an entry deflated earlier (deflate_entry, on any thread); its bytes are copied as
  // they are.
  bool add_deflated(std::string_view name, Deflated entry);
  // Closes the archive and returns its bytes; nullopt (and error()) on failure.
  std::optional<std::string> finish();
  const std::string& error() const { return error_; }

 private:
  void fail(std::string_view what);
  bool add_source(std::string_view name, zip_source_t* source, Method method);

  // Declared so that the archive is discarded first, then the entry bytes it points into,
  // then the buffer it writes to.
  ZipSourceHandle buffer_;
  std::deque<std::string> contents_;  // stored entries' bytes must outlive zip_close
  std::deque<Deflated> deflated_;     // and so must the deflated ones
  ZipHandle archive_;
  std::int64_t local_time_ = 0;
  std::string error_;
};

// A time libzip stores as the given UTC wall-clock time. libzip converts with localtime(),
// so the value is shifted by the host's zone offset; the DOS range (1980–2107) and its
// 2-second resolution are applied first.
std::int64_t zip_entry_time(std::int64_t unix_time);

}  // namespace warraq::epub
