// Image XObjects. Everything that can fail (reading, parsing, decoding) happens before the
// first byte goes to the PdfFile, so a refused image leaves no object behind.
#include "pdf/image_xobject.hpp"

#include <png.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace warraq::pdf {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::string image_dictionary(int width, int height, std::string_view color_space) {
  std::string d = "/Type/XObject/Subtype/Image/Width ";
  d += std::to_string(width);
  d += "/Height ";
  d += std::to_string(height);
  d += "/ColorSpace";
  d += color_space;
  // Figures are often shown larger than their pixels: smoothed, as Cairo's PDFs had them.
  d += "/BitsPerComponent 8/Interpolate true";
  return d;
}

// ---- JPEG --------------------------------------------------------------------------------

struct JpegFrame {
  int width = 0, height = 0, components = 0;
  bool adobe = false;  // an APP14 "Adobe" segment: Photoshop's CMYK, stored inverted
};

int be16(const unsigned char* p) { return (p[0] << 8) | p[1]; }

// Walks the marker segments (ITU T.81 Annex B) up to the first scan. The Adobe segment may
// come after the frame header, so the walk goes on past SOFn until SOS. Returns the reason
// in `why` when the file cannot be passed through as DCTDecode.
std::optional<JpegFrame> parse_jpeg(std::string_view bytes, std::string& why) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  if (n < 4 || b[0] != 0xFF || b[1] != 0xD8) {
    why = "not a JPEG file";
    return std::nullopt;
  }
  JpegFrame frame;
  bool have_frame = false;
  std::size_t at = 2;
  for (;;) {
    if (at >= n) {
      why = "truncated before the image data";
      return std::nullopt;
    }
    if (b[at] != 0xFF) {
      why = "corrupt: a marker expected at byte " + std::to_string(at);
      return std::nullopt;
    }
    while (at < n && b[at] == 0xFF) ++at;  // fill bytes
    if (at >= n) continue;
    const int marker = b[at++];
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0xD9) {
      why = "no image data before the end marker";
      return std::nullopt;
    }
    const std::size_t length = at + 2 <= n ? static_cast<std::size_t>(be16(b + at)) : 0;
    if (length < 2 || at + length > n) {
      why = "truncated before the image data";
      return std::nullopt;
    }
    const unsigned char* segment = b + at + 2;
    const std::size_t size = length - 2;
    at += length;
    if (marker == 0xDA) break;  // the first scan: every header the reader needs is behind
    if (marker == 0xEE && size >= 5 && std::memcmp(segment, "Adobe", 5) == 0) frame.adobe = true;
    const bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (!sof || have_frame) continue;
    // DCTDecode is baseline and progressive Huffman DCT only: lossless, hierarchical and
    // arithmetic-coded frames are valid JPEG that PDF readers would show blank or fail on.
    if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2) {
      why = "lossless, hierarchical or arithmetic-coded JPEG, which PDF cannot hold";
      return std::nullopt;
    }
    if (size < 6) {
      why = "corrupt frame header";
      return std::nullopt;
    }
    if (segment[0] != 8) {
      why = std::to_string(segment[0]) + "-bit samples; PDF readers decode only 8-bit JPEG";
      return std::nullopt;
    }
    frame.height = be16(segment + 1);
    frame.width = be16(segment + 3);
    frame.components = segment[5];
    have_frame = true;
  }
  if (!have_frame) {
    why = "no frame header (SOF) found";
    return std::nullopt;
  }
  if (frame.width == 0 || frame.height == 0) {
    // A height of 0 defers it to a DNL marker after the first scan, which PDF does not know.
    why = "no size in the frame header";
    return std::nullopt;
  }
  if (frame.components != 1 && frame.components != 3 && frame.components != 4) {
    why = std::to_string(frame.components) + " colour components (1, 3 or 4 expected)";
    return std::nullopt;
  }
  return frame;
}

bool read_whole(const std::filesystem::path& path, std::string& out, std::string& why) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    why = std::strerror(errno);
    return false;
  }
  char buf[65536];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) out.append(buf, got);
  if (std::ferror(f.get())) {
    why = "read error";
    return false;
  }
  return true;
}

bool write_jpeg(PdfFile& file, int id, const typeset::Image& image, std::string& error) {
  std::string bytes, why;
  if (!read_whole(image.path, bytes, why)) {
    error = "cannot read the JPEG image " + image.path.string() + ": " + why;
    return false;
  }
  const auto frame = parse_jpeg(bytes, why);
  if (!frame) {
    error = "cannot use the JPEG image " + image.path.string() + ": " + why;
    return false;
  }
  static constexpr std::string_view spaces[] = {"", "/DeviceGray", "", "/DeviceRGB", "/DeviceCMYK"};
  std::string dict = image_dictionary(frame->width, frame->height, spaces[frame->components]);
  if (frame->components == 4 && frame->adobe) dict += "/Decode[1 0 1 0 1 0 1 0]";
  file.stream(id, dict, bytes, false, "/DCTDecode");
  return true;
}

// ---- PNG ---------------------------------------------------------------------------------

// png_image_free is safe on an image already freed (finish_read frees on its own), so one
// guard covers every exit.
struct PngImage {
  png_image image{};
  PngImage() { image.version = PNG_IMAGE_VERSION; }
  ~PngImage() { png_image_free(&image); }
  PngImage(const PngImage&) = delete;
  PngImage& operator=(const PngImage&) = delete;
};

bool write_png(PdfFile& file, int id, const typeset::Image& image, std::string& error) {
  const std::string path = image.path.string();
  File f(std::fopen(image.path.c_str(), "rb"));
  if (!f) {
    error = "cannot read the PNG image " + path + ": " + std::strerror(errno);
    return false;
  }
  PngImage png;
  if (!png_image_begin_read_from_stdio(&png.image, f.get())) {
    error = "cannot decode the PNG image " + path + ": " + png.image.message;
    return false;
  }
  // libpng takes a 16-bit file without gAMA or sRGB for linear light; the programs that
  // make such files mean sRGB, as browsers and Cairo (our PDFs' previous writer) read them.
  png.image.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
  // 8-bit samples whatever the file holds (16-bit, palette, low bit depths): one layout for
  // the PDF. The ALPHA flag is set for an alpha channel and for tRNS alike.
  const bool color = (png.image.format & PNG_FORMAT_FLAG_COLOR) != 0;
  const bool alpha = (png.image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  png.image.format =
      (color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0u);
  const int width = static_cast<int>(png.image.width);
  const int height = static_cast<int>(png.image.height);
  const std::size_t channels = PNG_IMAGE_SAMPLE_CHANNELS(png.image.format);
  const std::size_t pixels = std::size_t{png.image.width} * png.image.height;
  // The typesetter checked the header, but the file may have been replaced since: the
  // limit is what keeps a decompression bomb from taking the memory, so it is checked again.
  if (pixels > static_cast<std::size_t>(typeset::max_image_pixels)) {
    error = "cannot use the PNG image " + path + ": more than " +
            std::to_string(typeset::max_image_pixels) + " pixels";
    return false;
  }
  std::string samples(pixels * channels, '\0');
  if (!png_image_finish_read(&png.image, nullptr, samples.data(), 0, nullptr)) {
    error = "cannot decode the PNG image " + path + ": " + png.image.message;
    return false;
  }

  // PDF keeps alpha apart, as a soft mask: split it out in place, colour first.
  std::string mask;
  if (alpha) {
    const std::size_t colors = channels - 1;
    mask.resize(pixels);
    bool opaque = true;
    for (std::size_t i = 0; i < pixels; ++i) {
      const char a = samples[i * channels + colors];
      mask[i] = a;
      opaque &= static_cast<unsigned char>(a) == 255;
      for (std::size_t c = 0; c < colors; ++c) samples[i * colors + c] = samples[i * channels + c];
    }
    samples.resize(pixels * colors);
    // Many tools save RGBA whatever the picture: a mask that hides nothing only costs
    // readers a compositing pass.
    if (opaque) mask.clear();
  }

  std::string dict = image_dictionary(width, height, color ? "/DeviceRGB" : "/DeviceGray");
  int mask_id = 0;
  if (!mask.empty()) {
    mask_id = file.reserve();
    dict += "/SMask ";
    dict += std::to_string(mask_id);
    dict += " 0 R";
  }
  file.stream(id, dict, samples);
  if (mask_id) file.stream(mask_id, image_dictionary(width, height, "/DeviceGray"), mask);
  return true;
}

}  // namespace

bool write_image(PdfFile& file, int id, const typeset::Image& image, std::string& error) {
  if (image.format == "jpeg") return write_jpeg(file, id, image, error);
  if (image.format == "png") return write_png(file, id, image, error);
  error = "cannot use the image " + image.path.string() + ": format \"" + image.format +
          "\" is neither PNG nor JPEG";
  return false;
}

}  // namespace warraq::pdf
