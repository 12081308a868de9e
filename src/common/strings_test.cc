#include "common/strings.h"

#include <gtest/gtest.h>

#include <vector>

namespace iamd {
namespace {

TEST(EqualsIgnoreCase, ComparesAscii) {
  EXPECT_TRUE(EqualsIgnoreCase("RAY-HEAD", "ray-head"));
  EXPECT_FALSE(EqualsIgnoreCase("ray-head", "ray-heads"));
}

TEST(ParseInt64, AcceptsOnlyWholeNumbers) {
  EXPECT_EQ(ParseInt64("3600"), 3600);
  EXPECT_EQ(ParseInt64("-5"), -5);
  EXPECT_FALSE(ParseInt64("36x"));
  EXPECT_FALSE(ParseInt64(""));
  EXPECT_FALSE(ParseInt64("99999999999999999999"));
}

TEST(HexEncode, IsLowercase) { EXPECT_EQ(HexEncode(std::string("\x01\xab", 2)), "01ab"); }

TEST(Base64, RoundTrips) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    auto d = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(Base64Encode("abcd"), "YWJjZA==");
}

TEST(Base64, RejectsMalformed) {
  EXPECT_FALSE(Base64Decode("abc"));
  EXPECT_FALSE(Base64Decode("ab=c"));
  EXPECT_FALSE(Base64Decode("a!cd"));
  EXPECT_FALSE(Base64Decode("99m="));  // non-zero unused bits: not a canonical encoding
  EXPECT_FALSE(Base64Decode("10=="));
}

// RFC 4648 section 10's vectors in the URL alphabet, unpadded; the two alphabets' differing
// characters, and padding, are refused by the other.
TEST(Base64Url, RoundTripsUnpadded) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8"), "\xfb\xff");
  EXPECT_EQ(Base64UrlDecode("Zm8"), "fo");
  EXPECT_FALSE(Base64UrlDecode("+/8"));
  EXPECT_FALSE(Base64UrlDecode("Zm8="));
  EXPECT_FALSE(Base64UrlDecode("Zm9vY"));  // 5 characters: no whole byte in the last one
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", std::string("\0\xff", 2)}) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)), s);
  }
}

TEST(JsonEscaped, QuotesBackslashesAndControlCharacters) {
  std::string out = "x";
  AppendJsonEscaped(out, std::string("a\"b\\c\n\t\r\b\f\x01\0\x7f\xc3\xa9", 15));
  EXPECT_EQ(out, "xa\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u0000\x7f\xc3\xa9");
}

// RFC 8259 §8.1: JSON text is UTF-8. Well-formed sequences (up to four bytes) stay as they are;
// every byte of a malformed one, an overlong form, a surrogate or a truncated sequence becomes
// U+FFFD, so the result always parses.
TEST(JsonEscaped, InvalidUtf8BecomesReplacementCharacters) {
  std::string out;
  AppendJsonEscaped(out, "\xf0\x9f\x98\x80|\xff\xfe|\xc0\xaf|\xed\xa0\x80|\xe2\x82");
  EXPECT_EQ(out,
            "\xf0\x9f\x98\x80|\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd");
}

TEST(NextUtf8CodePoint, DecodesAndRefuses) {
  size_t i = 0;
  const std::string_view text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  EXPECT_EQ(NextUtf8CodePoint(text, i), 'a');
  EXPECT_EQ(NextUtf8CodePoint(text, i), 0xe9);
  EXPECT_EQ(NextUtf8CodePoint(text, i), 0x20ac);
  EXPECT_EQ(NextUtf8CodePoint(text, i), 0x1f600);
  EXPECT_EQ(i, text.size());
  for (std::string_view bad : {"\x80", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    size_t at = 0;
    EXPECT_EQ(NextUtf8CodePoint(bad, at), -1) << bad.size();
    EXPECT_EQ(at, 0u);
  }
}

}  // namespace
}  // namespace iamd
