// QR codes as PNG images, for CreateVirtualMFADevice's QRCodePNG: "a QR code PNG image that
// encodes otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iamd::mfa {

// Pixels per side of one QR module in QrCodePng's images.
inline constexpr int kQrModulePixels = 4;
// Width of the quiet zone on every side, in modules (ISO/IEC 18004's minimum).
inline constexpr int kQrQuietZoneModules = 4;
// The most bytes QrCodePng encodes: byte mode, error correction M, version 40.
inline constexpr size_t kQrMaxBytes = 2331;

// The bytes of a PNG file showing a QR code of `text`: all of its bytes in byte mode (any
// bytes, NUL included; no character set is assumed), error correction level M, the smallest
// version that holds them (1..40, so 21..177 modules a side).
//
// The image is a square, 1-bit grayscale, non-interlaced PNG of (modules + 2 * 4) * 4 pixels a
// side: each module is a kQrModulePixels x kQrModulePixels square, black (0) when dark and white
// (1) when light, inside a white quiet zone of kQrQuietZoneModules modules on every side.
//
// nullopt when `text` is empty or longer than kQrMaxBytes, or when encoding fails (out of
// memory): callers report an internal error, as the texts iamd encodes are short.
//
// Thread-safe: libqrencode guards its shared tables with a mutex when built with pthread, as
// Debian's libqrencode4 is, and each call uses its own libpng state.
std::optional<std::string> QrCodePng(std::string_view text);

}  // namespace iamd::mfa
