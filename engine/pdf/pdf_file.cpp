#include "pdf/pdf_file.hpp"

#include <libdeflate.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

namespace warraq::pdf {

PdfFile::PdfFile(std::FILE* out) : out_(out) {
  // The binary comment tells transfer tools the file is not text.
  write("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
}

int PdfFile::reserve() {
  offsets_.push_back(0);
  return static_cast<int>(offsets_.size());
}

void PdfFile::write(std::string_view bytes) {
  if (!ok_) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), out_) != bytes.size()) {
    ok_ = false;
    error_ = std::strerror(errno);
  }
  offset_ += bytes.size();
}

void PdfFile::object(int id, std::string_view body) {
  offsets_[static_cast<std::size_t>(id - 1)] = offset_;
  scratch_.clear();
  scratch_ += std::to_string(id);
  scratch_ += " 0 obj\n";
  write(scratch_);
  write(body);
  write("\nendobj\n");
}

void PdfFile::stream(int id, std::string_view dictionary, std::string_view data, bool compress,
                     std::string_view filter) {
  std::string packed;
  if (compress) {
    packed = deflate(data);
    data = packed;
    filter = "/FlateDecode";
  }
  offsets_[static_cast<std::size_t>(id - 1)] = offset_;
  scratch_.clear();
  scratch_ += std::to_string(id);
  scratch_ += " 0 obj\n<<";
  scratch_ += dictionary;
  if (!filter.empty()) {
    scratch_ += "/Filter";
    scratch_ += filter;
  }
  scratch_ += "/Length ";
  scratch_ += std::to_string(data.size());
  scratch_ += ">>\nstream\n";
  write(scratch_);
  write(data);
  write("\nendstream\nendobj\n");
}

void PdfFile::finish(int catalog, int info) {
  const std::uint64_t xref = offset_;
  std::string table = "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
  char entry[32];
  for (std::uint64_t at : offsets_) {
    // An object reserved and never written is a dangling reference, a writer's bug: the
    // file is not good (ok() turns false, so write_pdf leaves no output).
    if (at == 0 && ok_) {
      ok_ = false;
      error_ = "object " + std::to_string(&at - offsets_.data() + 1) + " was never written";
    }
    std::snprintf(entry, sizeof entry, "%010llu 00000 n \n", static_cast<unsigned long long>(at));
    table += entry;
  }
  table += "trailer\n<</Size " + std::to_string(offsets_.size() + 1) + "/Root " +
           std::to_string(catalog) + " 0 R";
  if (info) table += "/Info " + std::to_string(info) + " 0 R";
  table += ">>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  write(table);
}

namespace {

struct CompressorFree {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

}  // namespace

std::string deflate(std::string_view data) {
  // Level 4: content streams compress within a few percent of level 6 at well under half
  // the time (docs/performance.md). One compressor per thread: it holds 300 KB of tables.
  thread_local std::unique_ptr<libdeflate_compressor, CompressorFree> compressor(
      libdeflate_alloc_compressor(4));
  if (!compressor) throw std::bad_alloc();
  std::string out(libdeflate_zlib_compress_bound(compressor.get(), data.size()), '\0');
  const std::size_t n =
      libdeflate_zlib_compress(compressor.get(), data.data(), data.size(), out.data(), out.size());
  out.resize(n);
  return out;
}

void append_number(std::string& out, double value) {
  // Rounded to 1/1000 as an integer count of thousandths and printed by hand: a content
  // stream holds millions of numbers, and std::to_chars with a precision was a quarter of
  // the writing thread's instructions. "-0" is written "0".
  const double scaled = std::round(value * 1000);
  if (!(std::abs(scaled) < 9e15)) {  // not finite, or beyond what the integers below hold
    out += '0';
    return;
  }
  auto thousandths = static_cast<std::int64_t>(scaled);
  if (thousandths < 0) {
    out += '-';
    thousandths = -thousandths;
  }
  char buf[24];
  char* end = buf + sizeof buf;
  char* p = end;
  auto fraction = static_cast<int>(thousandths % 1000);
  std::int64_t whole = thousandths / 1000;
  if (fraction != 0) {
    int digits = 3;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    for (int k = 0; k < digits; ++k) {
      *--p = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    *--p = '.';
  }
  do {
    *--p = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole > 0);
  out.append(p, end);
}

std::string number(double value) {
  std::string out;
  append_number(out, value);
  return out;
}

std::string name(std::string_view bytes) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out = "/";
  for (unsigned char c : bytes) {
    const bool delimiter = c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
                           c == '{' || c == '}' || c == '/' || c == '%' || c == '#';
    if (c < '!' || c > '~' || delimiter) {
      out += '#';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string literal_string(std::string_view bytes) {
  std::string out = "(";
  for (char c : bytes) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    if (c == '\r') {
      out += "\\r";
      continue;
    }
    out += c;
  }
  return out + ")";
}

std::string text_string(std::string_view utf8) {
  bool ascii = true;
  for (unsigned char c : utf8)
    if (c < 0x20 || c > 0x7E) ascii = false;
  if (ascii) return literal_string(utf8);
  static const char hex[] = "0123456789ABCDEF";
  std::string out = "<FEFF";
  auto unit = [&](unsigned u) {
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(u >> shift) & 15];
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    char32_t cp = 0xFFFD;
    std::size_t n = 1;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      cp = ((b & 0x1Fu) << 6) | (utf8[i + 1] & 0x3Fu);
      n = 2;
    } else if ((b & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
      cp = ((b & 0x0Fu) << 12) | ((utf8[i + 1] & 0x3Fu) << 6) | (utf8[i + 2] & 0x3Fu);
      n = 3;
    } else if ((b & 0xF8) == 0xF0 && i + 3 < utf8.size()) {
      cp = ((b & 0x07u) << 18) | ((utf8[i + 1] & 0x3Fu) << 12) | ((utf8[i + 2] & 0x3Fu) << 6) |
           (utf8[i + 3] & 0x3Fu);
      n = 4;
    }
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + static_cast<unsigned>(cp >> 10));
      unit(0xDC00 + static_cast<unsigned>(cp & 0x3FF));
    } else {
      unit(static_cast<unsigned>(cp));
    }
  }
  return out + ">";
}

}  // namespace warraq::pdf
