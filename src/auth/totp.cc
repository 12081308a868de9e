#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

namespace iamd::auth {

std::string Base32Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  out.reserve((bytes.size() + 4) / 5 * 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  while (out.size() % 8 != 0) out.push_back('=');
  return out;
}

std::string TotpCode(std::string_view seed, int64_t step) {
  unsigned char counter[8];
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<unsigned char>(step & 0xff);
    step >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha1(), seed.data(), static_cast<int>(seed.size()), counter, sizeof counter, mac,
       &mac_size);
  // RFC 4226 section 5.3: 31 bits from the offset named by the last nibble, modulo 10^6.
  const unsigned offset = mac[mac_size - 1] & 0x0f;
  const uint32_t value = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                         (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                         (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  std::string code = std::to_string(value % 1000000);
  code.insert(0, 6 - code.size(), '0');
  return code;
}

namespace {

bool IsSixDigits(std::string_view code) {
  return code.size() == 6 && std::all_of(code.begin(), code.end(),
                                         [](char ch) { return ch >= '0' && ch <= '9'; });
}

}  // namespace

std::optional<int64_t> MatchConsecutiveCodes(std::string_view seed, std::string_view code1,
                                             std::string_view code2, int64_t now_step,
                                             int64_t window) {
  if (!IsSixDigits(code1) || !IsSixDigits(code2)) return std::nullopt;
  for (int64_t step = now_step - window; step <= now_step + window; ++step)
    if (TotpCode(seed, step) == code1 && TotpCode(seed, step + 1) == code2) return step + 1;
  return std::nullopt;
}

std::optional<int64_t> MatchCode(std::string_view seed, std::string_view code, int64_t now_step,
                                 int64_t window, int64_t after_step) {
  if (!IsSixDigits(code)) return std::nullopt;
  for (int64_t step = std::max(now_step - window, after_step + 1); step <= now_step + window;
       ++step)
    if (TotpCode(seed, step) == code) return step;
  return std::nullopt;
}

}  // namespace iamd::auth
