#include "digest_id.hpp"

#include <cstdio>
#include <vector>

namespace warraq::epub {

namespace {

std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

}  // namespace

std::array<std::uint8_t, 20> sha1(std::string_view data) {
  std::uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  // Padding (FIPS 180-4 §5.1.1): 0x80, zeros, then the bit length as 64-bit big-endian.
  std::vector<std::uint8_t> message(data.begin(), data.end());
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  message.push_back(0x80);
  while (message.size() % 64 != 56) message.push_back(0);
  for (int i = 7; i >= 0; --i) message.push_back(static_cast<std::uint8_t>(bits >> (i * 8)));

  for (std::size_t block = 0; block < message.size(); block += 64) {
    std::uint32_t w[80];
    for (int t = 0; t < 16; ++t) {
      const std::size_t k = block + static_cast<std::size_t>(t) * 4;
      w[t] = static_cast<std::uint32_t>(message[k]) << 24 |
             static_cast<std::uint32_t>(message[k + 1]) << 16 |
             static_cast<std::uint32_t>(message[k + 2]) << 8 | message[k + 3];
    }
    for (int t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; ++t) {
      std::uint32_t f, k;
      if (t < 20) {
        f = (b & c) | (~b & d), k = 0x5A827999u;
      } else if (t < 40) {
        f = b ^ c ^ d, k = 0x6ED9EBA1u;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDCu;
      } else {
        f = b ^ c ^ d, k = 0xCA62C1D6u;
      }
      const std::uint32_t temp = rotl(a, 5) + f + e + k + w[t];
      e = d, d = c, c = rotl(b, 30), b = a, a = temp;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  std::array<std::uint8_t, 20> digest{};
  for (int i = 0; i < 20; ++i)
    digest[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h[i / 4] >> (24 - (i % 4) * 8));
  return digest;
}

std::string name_based_urn_uuid(std::string_view name) {
  // RFC 4122 §4.3 hashes a namespace UUID before the name; Warraq uses its own fixed
  // namespace (derived once from "warraq-epub") so its identifiers cannot collide with
  // other generators' version-5 UUIDs of the same text.
  static constexpr std::uint8_t ns[16] = {0x6b, 0x1c, 0x0e, 0x43, 0x9d, 0x2a, 0x5b, 0x7e,
                                          0x8a, 0x51, 0x0c, 0x8f, 0x23, 0x44, 0x19, 0xd2};
  std::string input(reinterpret_cast<const char*>(ns), sizeof ns);
  input += name;
  auto d = sha1(input);
  d[6] = static_cast<std::uint8_t>((d[6] & 0x0F) | 0x50);  // version 5
  d[8] = static_cast<std::uint8_t>((d[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string out = "urn:uuid:";
  char hex[3];
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(hex, sizeof hex, "%02x", d[static_cast<std::size_t>(i)]);
    out += hex;
  }
  return out;
}

}  // namespace warraq::epub
