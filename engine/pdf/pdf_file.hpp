// The PDF file format itself, private to the PDF stage: numbered objects written to a stream
// as they are made, the cross-reference table at the end, and the spelling of PDF's
// numbers, names and strings. Nothing here knows about pages or fonts.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace warraq::pdf {

class PdfFile {
 public:
  // Writes the header. `out` stays owned by the caller.
  explicit PdfFile(std::FILE* out);
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;

  // A new object number, for an object written later (forward references).
  int reserve();
  // Writes object `id` whose value (a dictionary, an array ...) is `body`.
  void object(int id, std::string_view body);
  // Writes object `id` as a stream. `dictionary` holds the entries without the brackets,
  // without /Length and /Filter: those are added. With `deflate`, the data is compressed
  // (FlateDecode); otherwise written as is (with `filter`, for data already encoded, e.g.
  // "/DCTDecode").
  void stream(int id, std::string_view dictionary, std::string_view data, bool compress = true,
              std::string_view filter = {});
  // Writes the cross-reference table and the trailer naming the catalog and the
  // information dictionary (0: none).
  void finish(int catalog, int info);

  // False once a write failed (error() says why), or when finish() found an object
  // reserved and never written.
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }

 private:
  void write(std::string_view bytes);

  std::FILE* out_;
  std::uint64_t offset_ = 0;
  std::vector<std::uint64_t> offsets_;  // by object number - 1; 0: not written yet
  std::string scratch_;
  bool ok_ = true;
  std::string error_;
};

// Deflates `data` (zlib format, as FlateDecode wants) at a level that favours speed.
std::string deflate(std::string_view data);

// Appends a number the shortest way that keeps 1/1000 of a point (or of a glyph unit):
// "12", "-0.5", "595.276".
void append_number(std::string& out, double value);
std::string number(double value);

// A name: "/" and the bytes, with delimiters and bytes outside ! ... ~ as #xx.
std::string name(std::string_view bytes);

// A text string (Info entries, outline titles, page labels): "(...)" when every character
// is printable ASCII, otherwise UTF-16BE with a byte-order mark in hexadecimal "<FEFF...>".
std::string text_string(std::string_view utf8);

// A byte string "(...)" with backslash escapes (names in name trees, URIs).
std::string literal_string(std::string_view bytes);

}  // namespace warraq::pdf
