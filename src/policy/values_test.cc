#include "policy/internal/values.h"

#include <gtest/gtest.h>

namespace iamd::policy::internal {
namespace {

TEST(ParseNumber, IntegersAreExact) {
  auto a = ParseNumber("9007199254740993");
  auto b = ParseNumber("9007199254740992");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(CompareNumbers(*a, *b), 1);
}
TEST(ParseNumber, DecimalsCompareWithIntegers) {
  EXPECT_EQ(CompareNumbers(*ParseNumber("10.0"), *ParseNumber("10")), 0);
  EXPECT_EQ(CompareNumbers(*ParseNumber("2.5"), *ParseNumber("3")), -1);
}
TEST(ParseNumber, RejectsText) {
  EXPECT_FALSE(ParseNumber("ten"));
  EXPECT_FALSE(ParseNumber(""));
  EXPECT_FALSE(ParseNumber("1 "));
}

TEST(ParseDateMillis, ReadsIsoAndEpoch) {
  EXPECT_EQ(*ParseDateMillis("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(*ParseDateMillis("1577836800"), 1577836800000LL);
  EXPECT_EQ(*ParseDateMillis("2020-01-01"), 1577836800000LL);
  EXPECT_EQ(*ParseDateMillis("2020-01-01T01:00:00+01:00"), 1577836800000LL);
  EXPECT_EQ(*ParseDateMillis("2020-01-01T00:00:00.250Z"), 1577836800250LL);
}
TEST(ParseDateMillis, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseDateMillis("2020-13-01"));
  EXPECT_FALSE(ParseDateMillis("2021-02-29"));
  EXPECT_FALSE(ParseDateMillis("2020-01-01T24:00:00Z"));
  EXPECT_FALSE(ParseDateMillis("yesterday"));
}

TEST(IpNetwork, Ipv4Cidr) {
  auto net = ParseIpNetwork("203.0.113.0/24");
  ASSERT_TRUE(net);
  EXPECT_TRUE(IpInNetwork(*ParseIpNetwork("203.0.113.255"), *net));
  EXPECT_FALSE(IpInNetwork(*ParseIpNetwork("203.0.114.0"), *net));
}
TEST(IpNetwork, Ipv6CompressedForms) {
  auto net = ParseIpNetwork("2001:DB8:1234:5678::/64");
  ASSERT_TRUE(net);
  EXPECT_TRUE(IpInNetwork(*ParseIpNetwork("2001:db8:1234:5678::1"), *net));
  EXPECT_FALSE(IpInNetwork(*ParseIpNetwork("2001:db8:1234:5679::1"), *net));
  EXPECT_TRUE(ParseIpNetwork("::1"));
  EXPECT_TRUE(ParseIpNetwork("::ffff:10.0.0.1"));
}
TEST(IpNetwork, FamiliesDoNotMix) {
  EXPECT_FALSE(IpInNetwork(*ParseIpNetwork("10.0.0.1"), *ParseIpNetwork("::/0")));
}
TEST(IpNetwork, RejectsMalformed) {
  EXPECT_FALSE(ParseIpNetwork("256.0.0.1"));
  EXPECT_FALSE(ParseIpNetwork("10.0.0.0/33"));
  EXPECT_FALSE(ParseIpNetwork("1::2::3"));
  EXPECT_FALSE(ParseIpNetwork("10.0.0"));
  EXPECT_FALSE(ParseIpNetwork("1:2:3:4:5:6:7:8:9"));
}
TEST(ParseBool, IsCaseInsensitive) {
  EXPECT_EQ(ParseBool("TRUE"), true);
  EXPECT_EQ(ParseBool("false"), false);
  EXPECT_FALSE(ParseBool("yes"));
}

}  // namespace
}  // namespace iamd::policy::internal
