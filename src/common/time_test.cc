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
