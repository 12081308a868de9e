#include "auth/internal/canonical.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/testing/http_text.h"

namespace iamd::auth::internal {
namespace {

using test_support::OwnedRequest;

constexpr std::string_view kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

OwnedRequest Get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {
                                         {"Host", "iam.amazonaws.com"}}) {
  OwnedRequest request;
  request.method = "GET";
  request.target = std::move(target);
  request.headers = std::move(headers);
  return request;
}

SigV4Auth Signing(std::string signed_headers, bool presigned = false) {
  SigV4Auth auth;
  auth.signed_headers = std::move(signed_headers);
  auth.presigned = presigned;
  return auth;
}

// The lines of the canonical request, for tests that look at one of them.
std::vector<std::string> Lines(OwnedRequest& request, const SigV4Auth& auth) {
  std::string text;
  AppendCanonicalRequest(text, request.View(), auth, kEmptyHash);
  std::vector<std::string> lines;
  size_t start = 0;
  while (true) {
    const size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::string QueryLine(std::string target, bool presigned = false) {
  OwnedRequest request = Get(std::move(target));
  return Lines(request, Signing("host", presigned))[2];
}

std::string PathLine(std::string target) {
  OwnedRequest request = Get(std::move(target));
  return Lines(request, Signing("host"))[1];
}

TEST(NormalizePath, RemovesDotSegmentsAndRepeatedSlashesAsBotocoreDoes) {
  // Expected values are botocore.utils.normalize_url_path's.
  EXPECT_EQ(NormalizePath(""), "/");
  EXPECT_EQ(NormalizePath("/"), "/");
  EXPECT_EQ(NormalizePath("//"), "/");
  EXPECT_EQ(NormalizePath("/a/.."), "/");
  EXPECT_EQ(NormalizePath("/.."), "/");
  EXPECT_EQ(NormalizePath("/../a"), "/a");
  EXPECT_EQ(NormalizePath("/a//b/"), "/a/b/");
  EXPECT_EQ(NormalizePath("/./"), "/");
  EXPECT_EQ(NormalizePath("/a/b/../../.."), "/");
  EXPECT_EQ(NormalizePath("/a/."), "/a");
  EXPECT_EQ(NormalizePath("/a/..b"), "/a/..b");
  EXPECT_EQ(NormalizePath("/a%2F.."), "/a%2F..");
}

TEST(CanonicalPath, EncodesAnAlreadyEncodedPathAgain) {
  // Services other than S3 encode the path twice: the client's canonical path is
  // UriEncode(the path it put on the wire, itself encoded).
  EXPECT_EQ(PathLine("/example%20space/"), "/example%2520space/");
  EXPECT_EQ(PathLine("/a b/c~d*e"), "/a%20b/c~d%2Ae");
}

TEST(CanonicalPath, IgnoresTheQuery) { EXPECT_EQ(PathLine("/a/./b?x=/y"), "/a/b"); }

TEST(CanonicalQuery, SortsByKeyThenValue) {
  EXPECT_EQ(QueryLine("/?b=2&a=2&a=1&B=0"), "B=0&a=1&a=2&b=2");
}

TEST(CanonicalQuery, SortsByEncodedKey) {
  // '%' (0x25) sorts before letters, so an encoded key comes first.
  EXPECT_EQ(QueryLine("/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1"),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
}

TEST(CanonicalQuery, ReencodesWithUppercaseHex) {
  EXPECT_EQ(QueryLine("/?k=%2f%7e%41"), "k=%2F~A");
}

TEST(CanonicalQuery, ReadsPlusAsSpace) { EXPECT_EQ(QueryLine("/?RoleName=a+b"), "RoleName=a%20b"); }

TEST(CanonicalQuery, EncodesReservedCharacters) {
  EXPECT_EQ(QueryLine("/?k=a/b:c*d'e(f)g!h"), "k=a%2Fb%3Ac%2Ad%27e%28f%29g%21h");
}

TEST(CanonicalQuery, KeepsEmptyValues) { EXPECT_EQ(QueryLine("/?Tags=&a"), "Tags=&a="); }

TEST(CanonicalQuery, SkipsEmptyPairs) { EXPECT_EQ(QueryLine("/?a=1&&b=2&"), "a=1&b=2"); }

TEST(CanonicalQuery, DropsSignatureOnlyWhenPresigned) {
  EXPECT_EQ(QueryLine("/?X-Amz-Signature=abc&a=1", /*presigned=*/true), "a=1");
  EXPECT_EQ(QueryLine("/?X-Amz-Signature=abc&a=1", /*presigned=*/false), "X-Amz-Signature=abc&a=1");
}

TEST(CanonicalQuery, ReencodesManyComponents) {
  // Enough re-encoded components to overflow a small buffer: views into it must stay valid.
  std::string target = "/?";
  std::string expected;
  for (int i = 0; i < 60; ++i) {
    const std::string n = std::to_string(100 + i);
    target.append("k%2a").append(n).append("=v+").append(n).append("%2F&");
    if (i > 0) expected.append("&");
    expected.append("k%2A").append(n).append("=v%20").append(n).append("%2F");
  }
  EXPECT_EQ(QueryLine(target), expected);
}

TEST(CanonicalHeaders, LowercasesNamesAndMatchesThemInAnyCase) {
  OwnedRequest request =
      Get("/", {{"HOST", "iam.amazonaws.com"}, {"X-Amz-DATE", "20150830T123600Z"}});
  const std::vector<std::string> lines = Lines(request, Signing("host;x-amz-date"));
  EXPECT_EQ(lines[3], "host:iam.amazonaws.com");
  EXPECT_EQ(lines[4], "x-amz-date:20150830T123600Z");
}

TEST(CanonicalHeaders, TrimsAndCollapsesWhitespace) {
  OwnedRequest request = Get("/", {{"Host", "h"}, {"My-Header", " \t a   b\t\tc \r\n  d  "}});
  EXPECT_EQ(Lines(request, Signing("host;my-header"))[4], "my-header:a b c d");
}

TEST(CanonicalHeaders, EveryKindOfInnerSpaceBecomesOneSpaceAndSingleSpacesStay) {
  const std::pair<std::string, std::string> cases[] = {
      {"a\tb", "a b"},
      {"a\rb", "a b"},
      {"a\nb", "a b"},
      {"a \tb", "a b"},
      {"a\t b", "a b"},
      {"a b c", "a b c"},
      {"application/x-www-form-urlencoded; charset=utf-8",
       "application/x-www-form-urlencoded; charset=utf-8"},
      {"a\x01b", "a\x01b"},  // a control character is not whitespace here
  };
  for (const auto& [value, canonical] : cases) {
    OwnedRequest request = Get("/", {{"Host", "h"}, {"My-Header", value}});
    EXPECT_EQ(Lines(request, Signing("host;my-header"))[4], "my-header:" + canonical) << value;
  }
}

TEST(CanonicalHeaders, KeepsQuotedWhitespaceCollapsedToo) {
  // The suite's get-header-value-trim: quotes do not protect inner spaces.
  OwnedRequest request = Get("/", {{"Host", "h"}, {"My-Header2", "\"a   b   c\""}});
  EXPECT_EQ(Lines(request, Signing("host;my-header2"))[4], "my-header2:\"a b c\"");
}

TEST(CanonicalHeaders, JoinsRepeatedHeadersInOrderWithCommas) {
  OwnedRequest request = Get(
      "/",
      {{"Host", "h"}, {"My-Header1", "value2"}, {"my-header1", " value1 "}, {"MY-HEADER1", ""}});
  EXPECT_EQ(Lines(request, Signing("host;my-header1"))[4], "my-header1:value2,value1,");
}

TEST(CanonicalHeaders, LeavesOutSignedHeadersTheRequestLacks) {
  OwnedRequest request = Get("/");
  const std::vector<std::string> lines = Lines(request, Signing("content-type;host"));
  EXPECT_EQ(lines[3], "host:iam.amazonaws.com");
  EXPECT_EQ(lines[4], "");
  EXPECT_EQ(lines[5], "content-type;host");
}

TEST(CanonicalHeaders, LeavesOutUnsignedHeaders) {
  OwnedRequest request = Get("/", {{"Host", "h"}, {"User-Agent", "aws-cli/2"}});
  const std::vector<std::string> lines = Lines(request, Signing("host"));
  EXPECT_EQ(lines[3], "host:h");
  EXPECT_EQ(lines[4], "");
}

TEST(HashCanonicalRequest, EqualsHashOfTheBuiltString) {
  // Long enough to pass through the hashing buffer several times, with a header value longer
  // than the buffer itself.
  OwnedRequest request = Get("/a/b?" + std::string(700, 'q') + "=1&z=%20",
                             {{"Host", "h"}, {"X-Long", std::string(2000, 'v')}, {"X-Short", "s"}});
  const SigV4Auth auth = Signing("host;x-long;x-short");
  std::string text;
  AppendCanonicalRequest(text, request.View(), auth, kEmptyHash);
  EXPECT_EQ(HashCanonicalRequest(request.View(), auth, kEmptyHash), Sha256Of(text));
}

TEST(FindMalformedEscape, AcceptsWellFormedQueries) {
  EXPECT_FALSE(FindMalformedEscape("a=%41%2f&b=c+d"));
  EXPECT_FALSE(FindMalformedEscape(""));
}

TEST(FindMalformedEscape, ReportsATruncatedEscape) {
  EXPECT_EQ(FindMalformedEscape("a=%4"), "Incomplete trailing escape % sequence");
  EXPECT_EQ(FindMalformedEscape("a=%"), "Incomplete trailing escape % sequence");
}

TEST(FindMalformedEscape, ReportsANonHexEscape) {
  EXPECT_EQ(FindMalformedEscape("a=%G1&b=1"), "Illegal hex character in escape % pattern: %G1");
}

TEST(SplitTarget, SplitsAtTheFirstQuestionMark) {
  EXPECT_EQ(SplitTarget("/a?b=c?d").path, "/a");
  EXPECT_EQ(SplitTarget("/a?b=c?d").query, "b=c?d");
  EXPECT_EQ(SplitTarget("/a").query, "");
}

}  // namespace
}  // namespace iamd::auth::internal
