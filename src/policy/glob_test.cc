#include "policy/internal/glob.h"

#include <gtest/gtest.h>

#include "policy/context.h"

namespace iamd::policy::internal {
namespace {

bool Match(std::string_view pattern, std::string_view text, const RequestContext* ctx = nullptr,
           PatternOptions options = {}) {
  StringArena arena;
  Pattern p = CompilePattern(pattern, options, arena);
  return MatchPattern(p, text, ctx);
}

TEST(MatchPattern, StarMatchesAnyRunIncludingEmpty) {
  EXPECT_TRUE(Match("a*c", "ac"));
  EXPECT_TRUE(Match("a*c", "abbbc"));
  EXPECT_TRUE(Match("*", ""));
  EXPECT_FALSE(Match("a*c", "abd"));
}
TEST(MatchPattern, QuestionMatchesExactlyOneCharacter) {
  EXPECT_TRUE(Match("a?c", "abc"));
  EXPECT_FALSE(Match("a?c", "ac"));
  EXPECT_FALSE(Match("a?c", "abbc"));
}
TEST(MatchPattern, QuestionMatchesOneUtf8Character) { EXPECT_TRUE(Match("a?c", "a\xc3\xa9" "c")); }
TEST(MatchPattern, BacktracksAcrossSeveralStars) {
  EXPECT_TRUE(Match("*a*b*c", "xxaxxbxxbxc"));
  EXPECT_FALSE(Match("*a*b*c", "xxaxxcxxb"));
}
TEST(MatchPattern, IsCaseSensitive) { EXPECT_FALSE(Match("Bucket/*", "bucket/x")); }
TEST(MatchPattern, WildcardsOffAreLiteral) {
  EXPECT_TRUE(Match("a*", "a*", nullptr, {false, true}));
  EXPECT_FALSE(Match("a*", "ab", nullptr, {false, true}));
}
TEST(MatchPattern, VariableIsSubstitutedLiterally) {
  RequestContext ctx;
  ctx.Add("aws:username", "a*");
  EXPECT_TRUE(Match("home/${aws:username}/x", "home/a*/x", &ctx));
  EXPECT_FALSE(Match("home/${aws:username}/x", "home/abc/x", &ctx));
}
TEST(MatchPattern, VariableKeyIsCaseInsensitive) {
  RequestContext ctx;
  ctx.Add("AWS:UserName", "alice");
  EXPECT_TRUE(Match("${aws:username}", "alice", &ctx));
}
TEST(MatchPattern, MissingVariableMatchesNothing) { EXPECT_FALSE(Match("${aws:username}*", "x")); }
TEST(MatchPattern, DefaultValueWhenMissing) {
  EXPECT_TRUE(Match("${aws:username, 'nobody'}", "nobody"));
  EXPECT_TRUE(Match("${aws:username,'nobody'}", "nobody"));
}
TEST(MatchPattern, EmptyVariableValue) {
  RequestContext ctx;
  ctx.Add("k:v", "");
  EXPECT_TRUE(Match("a${k:v}b", "ab", &ctx));
  EXPECT_TRUE(Match("a*${k:v}", "axyz", &ctx));
}
TEST(MatchPattern, SpecialCharacterVariables) {
  EXPECT_TRUE(Match("${*}${?}${$}", "*?$"));
  EXPECT_FALSE(Match("${*}", "x"));
}
TEST(MatchPattern, VariablesOffAreLiteral) {
  EXPECT_TRUE(Match("${aws:username}", "${aws:username}", nullptr, {true, false}));
}
TEST(MatchPattern, UnterminatedVariableIsLiteral) { EXPECT_TRUE(Match("a${b", "a${b")); }
TEST(MatchPattern, IgnoreCaseFoldsAscii) {
  StringArena arena;
  Pattern p = CompilePattern("JohnDoe", {false, true}, arena);
  EXPECT_TRUE(MatchPattern(p, "johndoe", nullptr, true));
  EXPECT_FALSE(MatchPattern(p, "johndoe", nullptr, false));
}

}  // namespace
}  // namespace iamd::policy::internal
