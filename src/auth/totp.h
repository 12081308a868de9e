// Time-based one-time passwords (RFC 6238) as AWS's virtual MFA devices use them: HMAC-SHA1,
// 30-second steps counted from the Unix epoch, 6 decimal digits; seeds shown in base32 (RFC 4648).
//
// Thread-safety: every function is thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iamd::auth {

inline constexpr int64_t kTotpStepSeconds = 30;
// The seed of a new virtual MFA device: 40 random bytes, 64 characters in base32 (the length of
// the Base32StringSeed AWS hands out).
inline constexpr size_t kTotpSeedBytes = 40;

// RFC 4648 base32 (A-Z2-7), with "=" padding when the length is not a multiple of 5 bytes.
std::string Base32Encode(std::string_view bytes);

// The step a time (milliseconds since the epoch) falls in.
constexpr int64_t TotpStep(int64_t millis) { return millis / 1000 / kTotpStepSeconds; }

// The code of `seed` (raw bytes) at `step`, as the 6 digits an authenticator app shows
// ("000123" keeps its zeros). RFC 6238's dynamic truncation of HMAC-SHA1(seed, step).
std::string TotpCode(std::string_view seed, int64_t step);

// The step, within `window` steps either side of `now_step`, at which `code1` and then `code2`
// are the codes of two consecutive steps (EnableMFADevice, ResyncMFADevice); the later of the two
// steps, or nullopt. Codes that are not 6 digits never match.
std::optional<int64_t> MatchConsecutiveCodes(std::string_view seed, std::string_view code1,
                                             std::string_view code2, int64_t now_step,
                                             int64_t window);

// The step, within `window` steps either side of `now_step` and later than `after_step`, whose
// code is `code` (a code is good once: `after_step` is the last step the device was used at);
// or nullopt.
std::optional<int64_t> MatchCode(std::string_view seed, std::string_view code, int64_t now_step,
                                 int64_t window, int64_t after_step);

}  // namespace iamd::auth
