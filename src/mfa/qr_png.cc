#include "mfa/qr_png.h"

#include <png.h>
#include <qrencode.h>

#include <algorithm>
#include <csetjmp>
#include <memory>
#include <new>
#include <vector>

namespace iamd::mfa {
namespace {

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeFree>;

// Owns a libpng write struct and its info struct.
class PngWriter {
 public:
  PngWriter() {
    png_ = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (png_ != nullptr) info_ = png_create_info_struct(png_);
  }
  ~PngWriter() { png_destroy_write_struct(&png_, &info_); }
  PngWriter(const PngWriter&) = delete;
  PngWriter& operator=(const PngWriter&) = delete;

  bool ok() const { return info_ != nullptr; }
  png_structp png() const { return png_; }
  png_infop info() const { return info_; }

 private:
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

// libpng's write callback. An exception must not cross libpng's C frames, so a failed append
// becomes png_error (a longjmp), raised outside the catch block.
void AppendToString(png_structp png, png_bytep data, size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  bool appended = false;
  try {
    out->append(reinterpret_cast<const char*>(data), length);
    appended = true;
  } catch (const std::bad_alloc&) {
  }
  if (!appended) png_error(png, "out of memory");
}

// No-op: the output is a string. A null flush function would make libpng use its default,
// which calls fflush on the io pointer as if it were a FILE*.
void FlushNothing(png_structp) {}

// Pixel row `y` of the image of `code` (quiet zone included), packed 8 pixels a byte, the
// leftmost in the most significant bit, as a 1-bit PNG row; 1 is white.
void FillRow(const QRcode& code, int y, std::vector<png_byte>& row) {
  std::fill(row.begin(), row.end(), png_byte{0xFF});
  const int my = y / kQrModulePixels - kQrQuietZoneModules;
  if (my < 0 || my >= code.width) return;
  for (int mx = 0; mx < code.width; ++mx) {
    if ((code.data[my * code.width + mx] & 1) == 0) continue;  // bit 0 clear: a light module
    const int left = (mx + kQrQuietZoneModules) * kQrModulePixels;
    for (int x = left; x < left + kQrModulePixels; ++x) {
      row[x / 8] &= static_cast<png_byte>(~(0x80 >> (x % 8)));
    }
  }
}

// Writes the image of `code` to `out`. Every object with a destructor lives in the caller, so
// libpng's longjmp back to setjmp skips none (C++ [csetjmp.syn]); nothing set after setjmp is
// read after the jump.
bool WritePng(const PngWriter& writer, const QRcode& code, int side, std::vector<png_byte>& row,
              std::string& out) {
  png_structp png = writer.png();
  png_infop info = writer.info();
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, &out, AppendToString, FlushNothing);
  png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < side; ++y) {
    FillRow(code, y, row);
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  return true;
}

}  // namespace

std::optional<std::string> QrCodePng(std::string_view text) {
  if (text.empty() || text.size() > kQrMaxBytes) return std::nullopt;
  // Version 0 lets libqrencode pick the smallest version that holds the text.
  QrCodePtr code(QRcode_encodeData(static_cast<int>(text.size()),
                                   reinterpret_cast<const unsigned char*>(text.data()),
                                   /*version=*/0, QR_ECLEVEL_M));
  if (code == nullptr) return std::nullopt;

  const int side = (code->width + 2 * kQrQuietZoneModules) * kQrModulePixels;
  std::vector<png_byte> row((side + 7) / 8);
  std::string out;
  PngWriter writer;
  if (!writer.ok() || !WritePng(writer, *code, side, row, out)) return std::nullopt;
  return out;
}

}  // namespace iamd::mfa
