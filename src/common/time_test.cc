#include "common/time.h"

#include <gtest/gtest.h>

namespace iamd {
namespace {

constexpr int64_t kSample = 1795826565000;  // 2026-11-28T00:42:45Z

TEST(FormatIso8601, UsesZuluAndWholeSeconds) {
  EXPECT_EQ(FormatIso8601(kSample), "2026-11-28T00:42:45Z");
  EXPECT_EQ(FormatIso8601(kSample + 999), "2026-11-28T00:42:45Z");
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
}

TEST(FormatIso8601, IntoABufferWritesTheSameText) {
  char buf[64];
  for (int64_t millis : {kSample, int64_t{0}, int64_t{-1}, int64_t{253402300799000},
                         int64_t{253402300800000}, int64_t{-62167219200001}}) {
    const size_t n = FormatIso8601(millis, buf);
    EXPECT_EQ(std::string(buf, n), FormatIso8601(millis)) << millis;
  }
  EXPECT_EQ(std::string(buf, FormatIso8601(-1, buf)), "1969-12-31T23:59:59Z");
  // Years past 9999 take the printf path, still with a Z.
  EXPECT_EQ(std::string(buf, FormatIso8601(253402300800000, buf)), "10000-01-01T00:00:00Z");
}

TEST(ParseIso8601, AcceptsZuluOffsetsAndFractions) {
  EXPECT_EQ(ParseIso8601Millis("2026-11-28T00:42:45Z"), kSample);
  EXPECT_EQ(ParseIso8601Millis("2026-11-28T00:42:45.250Z"), kSample + 250);
  EXPECT_EQ(ParseIso8601Millis("2026-11-28T01:42:45+01:00"), kSample);
  EXPECT_EQ(ParseIso8601Millis("2026-11-28T00:42:45+00:00"), kSample);
  EXPECT_EQ(ParseIso8601Millis("2026-11-28"), kSample - (42 * 60 + 45) * 1000);
}

TEST(ParseIso8601, RejectsNonsense) {
  EXPECT_FALSE(ParseIso8601Millis("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601Millis("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601Millis("2026-11-28T00:42:45"));
  EXPECT_FALSE(ParseIso8601Millis("yesterday"));
}

TEST(AmzDate, RoundTrips) {
  EXPECT_EQ(FormatAmzDate(kSample), "20261128T004245Z");
  EXPECT_EQ(ParseAmzDateMillis("20261128T004245Z"), kSample);
  EXPECT_FALSE(ParseAmzDateMillis("20261128T004245"));
  EXPECT_FALSE(ParseAmzDateMillis("2026-11-28T00:42:45Z"));
}

}  // namespace
}  // namespace iamd
