// SHA-256 (FIPS 180-4) for the report's output digests and the cache's content keys. No
// crypto library is linked into Warraq, and this is all the hashing a batch needs.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace warraq::batch {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // Lowercase hex of the digest; the object is spent afterwards.
  std::string hex();

 private:
  void block(const unsigned char* p);
  std::array<std::uint32_t, 8> h_;
  unsigned char buffer_[64];
  std::size_t used_ = 0;
  std::uint64_t length_ = 0;
};

std::string sha256(std::string_view bytes);
// The digest of a file's bytes; nullopt when it cannot be read.
std::optional<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace warraq::batch
