#include "auth/totp.h"

#include <gtest/gtest.h>

namespace iamd::auth {
namespace {

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890"; its 8-digit codes' last six digits
// are the 6-digit codes (the truncated value is the same, taken modulo 10^6 instead of 10^8).
constexpr std::string_view kRfcSeed = "12345678901234567890";

TEST(Totp, Rfc6238Sha1Vectors) {
  EXPECT_EQ(TotpCode(kRfcSeed, 59 / 30), "287082");                  // 94287082
  EXPECT_EQ(TotpCode(kRfcSeed, 1111111109 / 30), "081804");          // 07081804
  EXPECT_EQ(TotpCode(kRfcSeed, 1111111111 / 30), "050471");          // 14050471
  EXPECT_EQ(TotpCode(kRfcSeed, 1234567890 / 30), "005924");          // 89005924
  EXPECT_EQ(TotpCode(kRfcSeed, 2000000000 / 30), "279037");          // 69279037
  EXPECT_EQ(TotpCode(kRfcSeed, int64_t{20000000000} / 30), "353130"); // 65353130
}

TEST(Totp, StepOfMillis) {
  EXPECT_EQ(TotpStep(59'000), 1);
  EXPECT_EQ(TotpStep(60'000), 2);
  EXPECT_EQ(TotpStep(1111111109'000), 37037036);
}

// RFC 4648 section 10.
TEST(Totp, Base32Rfc4648Vectors) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY======");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ====");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6===");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ=");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI======");
  EXPECT_EQ(Base32Encode(std::string(kTotpSeedBytes, '\xff')).size(), 64u);
}

TEST(Totp, ConsecutiveCodesWithinTheWindow) {
  const int64_t now = 1234567890 / 30;
  const std::string a = TotpCode(kRfcSeed, now - 2), b = TotpCode(kRfcSeed, now - 1);
  EXPECT_EQ(MatchConsecutiveCodes(kRfcSeed, a, b, now, 2), now - 1);
  EXPECT_EQ(MatchConsecutiveCodes(kRfcSeed, a, b, now, 0), std::nullopt);  // outside
  EXPECT_EQ(MatchConsecutiveCodes(kRfcSeed, b, a, now, 2), std::nullopt);  // wrong order
  EXPECT_EQ(MatchConsecutiveCodes(kRfcSeed, a, a, now, 2), std::nullopt);  // the same code twice
  EXPECT_EQ(MatchConsecutiveCodes(kRfcSeed, "12345", b, now, 2), std::nullopt);
  EXPECT_EQ(MatchConsecutiveCodes(kRfcSeed, "12345a", b, now, 2), std::nullopt);
}

TEST(Totp, ACodeIsGoodOnce) {
  const int64_t now = 2000000000 / 30;
  const std::string code = TotpCode(kRfcSeed, now);
  EXPECT_EQ(MatchCode(kRfcSeed, code, now, 1, 0), now);
  EXPECT_EQ(MatchCode(kRfcSeed, code, now, 1, now), std::nullopt);      // used at that step
  EXPECT_EQ(MatchCode(kRfcSeed, code, now + 2, 1, 0), std::nullopt);    // too old
  EXPECT_EQ(MatchCode(kRfcSeed, TotpCode(kRfcSeed, now + 1), now, 1, now), now + 1);
  EXPECT_EQ(MatchCode("another seed", code, now, 1, 0), std::nullopt);  // another device
}

}  // namespace
}  // namespace iamd::auth
