#include "common/url.h"

#include <gtest/gtest.h>

namespace iamd {
namespace {

TEST(PercentDecode, FormTurnsPlusIntoSpace) {
  EXPECT_EQ(PercentDecode("a+b%20c%2B", true), "a b c+");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

TEST(PercentDecode, CopiesPlainTextAndDecodesFromTheFirstEscape) {
  EXPECT_EQ(PercentDecode("", true), "");
  EXPECT_EQ(PercentDecode("ray-head.worker_1~", true), "ray-head.worker_1~");
  EXPECT_EQ(PercentDecode("arn:aws:iam::123456789012:role/x%2Fy+z", true),
            "arn:aws:iam::123456789012:role/x/y z");
  EXPECT_EQ(PercentDecode("ab%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%E2%9C%93", true), "\xe2\x9c\x93");
}

TEST(PercentDecode, RejectsBrokenEscapes) {
  EXPECT_FALSE(PercentDecode("%", true));
  EXPECT_FALSE(PercentDecode("%4", true));
  EXPECT_FALSE(PercentDecode("%zz", true));
  EXPECT_EQ(PercentDecode("%41", true), "A");
}

TEST(PercentEncode, EncodesSpaceAsPercent20) {
  EXPECT_EQ(PercentEncode("{\"a\": \"b*\"}\n"), "%7B%22a%22%3A%20%22b%2A%22%7D%0A");
  EXPECT_EQ(PercentEncode("A-z_0.~"), "A-z_0.~");
  EXPECT_EQ(PercentEncode("/a b/", true), "/a%20b/");
}

TEST(ParseFormEncoded, KeepsOrderAndEmptyValues) {
  auto p = ParseFormEncoded("Action=CreateRole&Tags=&RoleName=ray-head&Flag");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[0], (std::pair<std::string, std::string>{"Action", "CreateRole"}));
  EXPECT_EQ((*p)[1].second, "");
  EXPECT_EQ((*p)[3].first, "Flag");
}

}  // namespace
}  // namespace iamd
