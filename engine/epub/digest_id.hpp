// A stable identifier for a digest: the same edition gives the same dc:identifier on every
// rebuild, so reading systems treat a rebuilt file as the same book (EPUB 3.3 §5.5.3.1:
// the unique identifier should not change between revisions of a publication).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace warraq::epub {

// FIPS 180-4 SHA-1. Used only to derive a name-based identifier, not for security.
std::array<std::uint8_t, 20> sha1(std::string_view data);

// "urn:uuid:…" in the RFC 4122 §4.3 name-based (version 5, SHA-1) form, from `name`.
std::string name_based_urn_uuid(std::string_view name);

}  // namespace warraq::epub
