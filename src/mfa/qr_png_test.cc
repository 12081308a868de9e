#include "mfa/qr_png.h"

#include <gtest/gtest.h>
#include <png.h>
#include <qrencode.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace iamd::mfa {
namespace {

constexpr int kQuiet = kQrQuietZoneModules;
constexpr int kPixels = kQrModulePixels;

// A base32 secret as CreateVirtualMFADevice makes them: 64 characters of A-Z2-7.
const std::string kOtpauthUrl =
    "otpauth://totp/alice-mfa@123456789012?secret="
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// A decoded image, one byte a pixel: 0 black, 255 white.
struct Gray {
  int side = 0;
  std::vector<uint8_t> pixels;
  int At(int x, int y) const { return pixels[static_cast<size_t>(y) * side + x]; }
};

// Decodes `png` with libpng's simplified reader; nullopt unless it is a valid square image.
std::optional<Gray> Decode(const std::string& png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) return std::nullopt;
  image.format = PNG_FORMAT_GRAY;
  Gray gray;
  gray.side = static_cast<int>(image.width);
  gray.pixels.resize(PNG_IMAGE_SIZE(image));
  const bool ok = image.width == image.height &&
                  png_image_finish_read(&image, nullptr, gray.pixels.data(), 0, nullptr);
  png_image_free(&image);
  if (!ok) return std::nullopt;
  return gray;
}

// The image QrCodePng makes of `text`, decoded; nullopt if it made none.
std::optional<Gray> Render(const std::string& text) {
  const auto png = QrCodePng(text);
  if (!png) return std::nullopt;
  return Decode(*png);
}

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

// The module matrix libqrencode gives `text` with the parameters QrCodePng documents.
std::unique_ptr<QRcode, QrCodeFree> Encode(const std::string& text) {
  return std::unique_ptr<QRcode, QrCodeFree>(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
}

// Checks that every pixel of `png` is the colour of its module in libqrencode's matrix for
// `text`, white in the quiet zone.
void ExpectModulesMatch(const std::string& text) {
  SCOPED_TRACE(text.substr(0, 40));
  const auto image = Render(text);
  ASSERT_TRUE(image.has_value());
  const auto code = Encode(text);
  ASSERT_NE(code, nullptr);
  const int modules = code->width + 2 * kQuiet;
  ASSERT_EQ(image->side, modules * kPixels);
  int wrong = 0;
  for (int my = 0; my < modules; ++my) {
    for (int mx = 0; mx < modules; ++mx) {
      const int qx = mx - kQuiet, qy = my - kQuiet;
      const bool inside = qx >= 0 && qx < code->width && qy >= 0 && qy < code->width;
      const int want = inside && (code->data[qy * code->width + qx] & 1) ? 0 : 255;
      for (int y = my * kPixels; y < (my + 1) * kPixels; ++y) {
        for (int x = mx * kPixels; x < (mx + 1) * kPixels; ++x) {
          if (image->At(x, y) != want && wrong++ == 0) {
            ADD_FAILURE() << "pixel (" << x << ", " << y << ") of module (" << mx << ", " << my
                          << ") is " << image->At(x, y) << ", want " << want;
          }
        }
      }
    }
  }
  EXPECT_EQ(wrong, 0);
}

TEST(QrCodePng, StartsWithPngSignature) {
  const auto png = QrCodePng("hello");
  ASSERT_TRUE(png.has_value());
  ASSERT_GE(png->size(), 8u);
  EXPECT_EQ(png_sig_cmp(reinterpret_cast<png_const_bytep>(png->data()), 0, 8), 0);
}

TEST(QrCodePng, IsOneBitGrayscale) {
  const auto png = QrCodePng("hello");
  ASSERT_TRUE(png.has_value());
  // The signature (8 bytes), the IHDR chunk's length and type (8), width and height (8), then
  // bit depth and colour type.
  ASSERT_GE(png->size(), 26u);
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  EXPECT_EQ((*png)[24], 1);  // bit depth
  EXPECT_EQ((*png)[25], 0);  // PNG_COLOR_TYPE_GRAY
}

TEST(QrCodePng, SideIsModulesPlusQuietZoneTimesModulePixels) {
  const auto image = Render("hello");
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->side, (21 + 8) * 4);  // version 1: 21 modules a side
}

TEST(QrCodePng, QuietZoneIsWhite) {
  const auto image = Render(kOtpauthUrl);
  ASSERT_TRUE(image.has_value());
  const int band = kQuiet * kPixels, far = image->side - band;
  int dark = 0;
  for (int y = 0; y < image->side; ++y) {
    for (int x = 0; x < image->side; ++x) {
      const bool in_zone = x < band || x >= far || y < band || y >= far;
      if (in_zone && image->At(x, y) != 255) ++dark;
    }
  }
  EXPECT_EQ(dark, 0);
}

// The finder pattern's outer ring, top left, is dark whatever the text: a check that does not
// trust libqrencode's matrix.
TEST(QrCodePng, TopLeftFinderPatternIsBlack) {
  const auto image = Render("hello");
  ASSERT_TRUE(image.has_value());
  const int origin = kQuiet * kPixels;
  for (int i = 0; i < 7 * kPixels; ++i) {
    EXPECT_EQ(image->At(origin + i, origin), 0) << i;
    EXPECT_EQ(image->At(origin, origin + i), 0) << i;
  }
  EXPECT_EQ(image->At(origin + kPixels, origin + kPixels), 255);  // the light ring inside
}

TEST(QrCodePng, ModulesMatchLibqrencodeMatrix) {
  ExpectModulesMatch("hello");
  ExpectModulesMatch(std::string("nul\0inside", 10));
  ExpectModulesMatch(std::string(kQrMaxBytes, 'x'));
}

TEST(QrCodePng, EncodesOtpauthUrl) {
  ASSERT_EQ(kOtpauthUrl.size(), 109u);
  ExpectModulesMatch(kOtpauthUrl);
  const auto image = Render(kOtpauthUrl);
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->side, (45 + 8) * 4);  // 109 bytes at level M need version 7: 45 modules
}

TEST(QrCodePng, RejectsTextTooLongForVersion40) {
  EXPECT_TRUE(QrCodePng(std::string(kQrMaxBytes, 'x')).has_value());
  EXPECT_FALSE(QrCodePng(std::string(kQrMaxBytes + 1, 'x')).has_value());
  EXPECT_FALSE(QrCodePng(std::string(10000, 'x')).has_value());
}

TEST(QrCodePng, RejectsEmptyText) { EXPECT_FALSE(QrCodePng("").has_value()); }

}  // namespace
}  // namespace iamd::mfa
