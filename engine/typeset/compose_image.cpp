// Figure images: the format and pixel size from the file's first bytes. Only the header is
// read, so an oversized image (a decompression bomb, or a camera original nobody scaled) is
// refused before anything decodes it; the PDF writer decodes only images that passed here.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

#include "typeset/typeset.hpp"

namespace warraq::typeset {

namespace {

int be16(const unsigned char* p) { return (p[0] << 8) | p[1]; }
std::int64_t be32(const unsigned char* p) {
  return (std::int64_t{p[0]} << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

// PNG (ISO/IEC 15948 §5.2, §11.2.2): the 8-byte signature, then IHDR must be the first
// chunk, holding width and height as 4-byte big-endian integers.
std::optional<ImageInfo> png_header(const std::vector<unsigned char>& b, std::string& error) {
  if (b.size() < 24 || std::string(b.begin() + 12, b.begin() + 16) != "IHDR") {
    error = "truncated PNG header (no IHDR chunk)";
    return std::nullopt;
  }
  const std::int64_t w = be32(&b[16]), h = be32(&b[20]);
  if (w > 0x7fffffff || h > 0x7fffffff) {
    error = "PNG size out of range";
    return std::nullopt;
  }
  return ImageInfo{"png", static_cast<int>(w), static_cast<int>(h)};
}

// JPEG (ITU T.81 Annex B): markers FF xx; every segment but SOI, EOI, RSTn and TEM carries
// a 2-byte length. The frame header SOFn (C0–CF except C4 DHT, C8 JPG, CC DAC) holds the
// precision, then height and width.
std::optional<ImageInfo> jpeg_header(std::FILE* f, std::string& error) {
  unsigned char m[2];
  if (std::fread(m, 1, 2, f) != 2 || m[0] != 0xFF || m[1] != 0xD8) {
    error = "not a JPEG file";
    return std::nullopt;
  }
  for (;;) {
    int c = std::fgetc(f);
    if (c == EOF) break;
    if (c != 0xFF) {
      error = "corrupt JPEG: expected a marker";
      return std::nullopt;
    }
    do c = std::fgetc(f);
    while (c == 0xFF);  // fill bytes
    if (c == EOF) break;
    if (c == 0xD8 || c == 0x01 || (c >= 0xD0 && c <= 0xD7)) continue;  // no length
    if (c == 0xD9 || c == 0xDA) break;  // end of image, or scan data before any frame header
    unsigned char len[2];
    if (std::fread(len, 1, 2, f) != 2) break;
    const int length = be16(len);
    if (length < 2) break;
    const bool sof = c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC;
    if (sof) {
      unsigned char h[5];
      if (length < 7 || std::fread(h, 1, 5, f) != 5) break;
      return ImageInfo{"jpeg", be16(h + 3), be16(h + 1)};
    }
    if (std::fseek(f, length - 2, SEEK_CUR) != 0) break;
  }
  error = "truncated JPEG: no frame header (SOF) found";
  return std::nullopt;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

std::optional<ImageInfo> probe_image(const std::filesystem::path& path, std::string& error) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    error = "cannot open the image";
    return std::nullopt;
  }
  std::vector<unsigned char> head(24);
  head.resize(std::fread(head.data(), 1, head.size(), f.get()));
  static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::optional<ImageInfo> info;
  if (head.size() >= 8 && std::equal(png_signature, png_signature + 8, head.begin())) {
    info = png_header(head, error);
  } else if (head.size() >= 2 && head[0] == 0xFF && head[1] == 0xD8) {
    std::rewind(f.get());
    info = jpeg_header(f.get(), error);
  } else {
    error = "not a PNG or JPEG file";
  }
  if (!info) return std::nullopt;
  if (info->width <= 0 || info->height <= 0) {
    error = "the image has no pixels";
    return std::nullopt;
  }
  const std::int64_t pixels = std::int64_t{info->width} * info->height;
  if (pixels > max_image_pixels) {
    error = "the image has " + std::to_string(info->width) + "×" + std::to_string(info->height) +
            " pixels, more than the limit of " + std::to_string(max_image_pixels);
    return std::nullopt;
  }
  return info;
}

}  // namespace warraq::typeset
