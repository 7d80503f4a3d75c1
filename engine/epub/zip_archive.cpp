#include "zip_archive.hpp"

#include <zip.h>

#include <ctime>

namespace warraq::epub {

void ZipDeleter::operator()(zip_t* archive) const { zip_discard(archive); }
void ZipDeleter::operator()(zip_source_t* source) const { zip_source_free(source); }

ZipArchive::Reader::Reader(std::string bytes) : bytes_(std::move(bytes)) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
  if (source) {
    archive_.reset(zip_open_from_source(source, ZIP_RDONLY, &error));
    if (!archive_) zip_source_free(source);
  }
  zip_error_fini(&error);
}

std::int64_t zip_entry_time(std::int64_t unix_time) {
  constexpr std::int64_t dos_min = 315532800;   // 1980-01-01T00:00:00Z
  constexpr std::int64_t dos_max = 4354819198;  // 2107-12-31T23:59:58Z
  std::int64_t t = unix_time < dos_min ? dos_min : unix_time > dos_max ? dos_max : unix_time;
  t -= t % 2;  // DOS times count seconds in pairs
  const std::time_t utc = static_cast<std::time_t>(t);
  std::tm broken{};
  gmtime_r(&utc, &broken);
  broken.tm_isdst = -1;
  // mktime reads the broken-down time as local time: the result is the instant whose
  // localtime() — what libzip will compute — shows the UTC fields.
  const std::time_t local = std::mktime(&broken);
  return local == static_cast<std::time_t>(-1) ? t : static_cast<std::int64_t>(local);
}

ZipArchive::ZipArchive(std::int64_t unix_time) : local_time_(zip_entry_time(unix_time)) {
  zip_error_t error;
  zip_error_init(&error);
  buffer_.reset(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!buffer_) {
    error_ = std::string("cannot create an archive buffer: ") + zip_error_strerror(&error);
    zip_error_fini(&error);
    return;
  }
  // The archive takes a reference to the source; keep ours to read the bytes after close.
  zip_source_keep(buffer_.get());
  archive_.reset(zip_open_from_source(buffer_.get(), ZIP_TRUNCATE, &error));
  if (!archive_) {
    zip_source_free(buffer_.get());  // drop the reference the failed open did not take
    error_ = std::string("cannot create an archive: ") + zip_error_strerror(&error);
  }
  zip_error_fini(&error);
}

void ZipArchive::fail(std::string_view what) {
  error_ = std::string(what) + ": " + zip_strerror(archive_.get());
}

bool ZipArchive::add(std::string_view name, std::string bytes, Method method) {
  if (!archive_) return false;
  contents_.push_back(std::move(bytes));
  const std::string& data = contents_.back();
  zip_source_t* source = zip_source_buffer(archive_.get(), data.data(), data.size(), 0);
  return add_source(name, source, method);
}

bool ZipArchive::add_compressed(std::string_view name, Reader& from, std::uint64_t index) {
  if (!archive_ || !from.ok()) return false;
  zip_source_t* source =
      zip_source_zip(archive_.get(), from.archive(), index, ZIP_FL_COMPRESSED, 0, -1);
  return add_source(name, source, Method::deflate);
}

bool ZipArchive::add_source(std::string_view name, zip_source_t* source, Method method) {
  if (!source) {
    fail("cannot add " + std::string(name));
    return false;
  }
  const zip_int64_t index =
      zip_file_add(archive_.get(), std::string(name).c_str(), source, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(source);  // not taken over on failure
    fail("cannot add " + std::string(name));
    return false;
  }
  const auto i = static_cast<zip_uint64_t>(index);
  // Stored entries (mimetype, OCF §4.3) and zlib's default level 6 for the rest (level 9
  // took three times as long on the subset fonts for 0.2% fewer bytes); regular-file
  // attributes and a fixed time so nothing of the host leaks into the bytes.
  if (zip_set_file_compression(archive_.get(), i,
                               method == Method::store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                               method == Method::store ? 0 : 6) < 0 ||
      zip_file_set_mtime(archive_.get(), i, static_cast<time_t>(local_time_), 0) < 0 ||
      zip_file_set_external_attributes(archive_.get(), i, 0, ZIP_OPSYS_UNIX,
                                       static_cast<zip_uint32_t>(0100644) << 16) < 0) {
    fail("cannot set the attributes of " + std::string(name));
    return false;
  }
  return true;
}

std::optional<std::string> ZipArchive::finish() {
  if (!archive_) return std::nullopt;
  if (zip_close(archive_.get()) < 0) {
    fail("cannot write the archive");
    return std::nullopt;
  }
  archive_.release();  // zip_close freed it
  zip_source_t* source = buffer_.get();
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_source_stat(source, &stat) < 0 || !(stat.valid & ZIP_STAT_SIZE) ||
      zip_source_open(source) < 0) {
    error_ = "cannot read the archive back";
    return std::nullopt;
  }
  std::string bytes(static_cast<std::size_t>(stat.size), '\0');
  const zip_int64_t n = zip_source_read(source, bytes.data(), stat.size);
  zip_source_close(source);
  if (n < 0 || static_cast<zip_uint64_t>(n) != stat.size) {
    error_ = "cannot read the archive back";
    return std::nullopt;
  }
  contents_.clear();
  return bytes;
}

}  // namespace warraq::epub
