#include "api/params.h"

#include <gtest/gtest.h>

namespace iamd::api {
namespace {

// TEXT followed by N. (Not `"text" + std::to_string(n)`: g++ 12 warns -Wrestrict on it, a
// false positive.)
std::string Numbered(std::string_view text, int n) {
  std::string out(text);
  out += std::to_string(n);
  return out;
}

using Form = std::vector<std::pair<std::string, std::string>>;

Result<Params> ParseFor(std::string_view action, const Form& form) {
  const OperationSpec* op = FindOperation(action);
  EXPECT_TRUE(op) << action;
  return Params::Parse(*op, form);
}

TEST(FindOperation, KnowsIamAndStsActions) {
  ASSERT_TRUE(FindOperation("CreateRole"));
  EXPECT_EQ(FindOperation("CreateRole")->service, "iam");
  EXPECT_TRUE(FindOperation("CreateRole")->has_output);
  EXPECT_FALSE(FindOperation("DeleteRole")->has_output);
  EXPECT_EQ(FindOperation("AssumeRole")->service, "sts");
  EXPECT_FALSE(FindOperation("NoSuchAction"));
}

TEST(Params, DecodesScalarsListsAndTags) {
  auto p = ParseFor("CreateRole", {{"Action", "CreateRole"},
                                   {"RoleName", "ray-head"},
                                   {"AssumeRolePolicyDocument", "{}"},
                                   {"MaxSessionDuration", "7200"},
                                   {"Tags.member.2.Key", "b"},
                                   {"Tags.member.2.Value", "2"},
                                   {"Tags.member.1.Key", "a"},
                                   {"Tags.member.1.Value", ""}});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->Str("RoleName"), "ray-head");
  EXPECT_EQ(p->OptInt("MaxSessionDuration"), 7200);
  EXPECT_FALSE(p->OptStr("Path"));
  EXPECT_EQ(p->TagList(), (model::Tags{{"a", ""}, {"b", "2"}}));
}

TEST(Params, EmptyListIsAccepted) {
  auto p = ParseFor("CreateRole",
                    {{"RoleName", "r"}, {"AssumeRolePolicyDocument", "{}"}, {"Tags", ""}});
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->TagList().empty());
}

// AWS (recorded 2026): IAM validation messages name the member but do not echo the value.
TEST(Params, NameTooLongIsValidationError) {
  auto p = ParseFor("CreateRole",
                    {{"RoleName", std::string(65, 'a')}, {"AssumeRolePolicyDocument", "{}"}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kValidationError);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value at 'roleName' failed to satisfy constraint: "
            "Member must have length less than or equal to 64");
}

TEST(Params, NamePatternIsValidationError) {
  auto p = ParseFor("CreateRole", {{"RoleName", "bad name!"}, {"AssumeRolePolicyDocument", "{}"}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value at 'roleName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
}

TEST(Params, PathWithoutSlashesIsValidationError) {
  auto p = ParseFor("CreateRole",
                    {{"RoleName", "r"}, {"Path", "abc"}, {"AssumeRolePolicyDocument", "{}"}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value at 'path' failed to satisfy constraint: Member "
            "must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
}

// PathPrefix: \u002F[\u0021-\u007F]* (ListRoles); DEL (0x7F) is in the range, a UTF-8
// sequence's bytes (0x80 and up) are not.
TEST(Params, PathPrefixPattern) {
  for (const char* ok : {"/", "/a/", "/a/b", "/\x7f"})
    EXPECT_TRUE(ParseFor("ListRoles", {{"PathPrefix", ok}})) << ok;
  for (const char* bad : {"a/", "/a b", "/\xc3\xa9", "/\x80"}) {
    auto p = ParseFor("ListRoles", {{"PathPrefix", bad}});
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().message,
              "1 validation error detected: Value at 'pathPrefix' failed to satisfy constraint: "
              "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*")
        << bad;
  }
}

TEST(Params, MaxSessionDurationRange) {
  auto p = ParseFor("CreateRole", {{"RoleName", "r"},
                                   {"AssumeRolePolicyDocument", "{}"},
                                   {"MaxSessionDuration", "100"}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy "
            "constraint: Member must have value greater than or equal to 3600");
}

TEST(Params, MissingRequiredIsReported) {
  auto p = ParseFor("GetRole", {});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value at 'roleName' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(Params, SeveralErrorsAreCountedAndJoined) {
  auto p = ParseFor("CreateRole", {{"RoleName", "bad name!"}, {"Path", "x"}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message.rfind("3 validation errors detected: ", 0), 0u) << p.error().message;
  EXPECT_NE(p.error().message.find("; "), std::string::npos);
}

TEST(Params, TagMembersAreNamedByIndex) {
  auto p = ParseFor("TagRole", {{"RoleName", "r"},
                                {"Tags.member.1.Key", "invalid!key"},
                                {"Tags.member.1.Value", "v"}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: "
            "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
}

TEST(Params, TooManyTagsNamesTheList) {
  Form form{{"RoleName", "r"}};
  for (int i = 1; i <= 51; ++i) {
    form.emplace_back(Numbered("Tags.member.", i) + ".Key", Numbered("k", i));
    form.emplace_back(Numbered("Tags.member.", i) + ".Value", "v");
  }
  auto p = ParseFor("TagRole", form);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member "
            "must have length less than or equal to 50");
}

// Recorded from AWS: a bad member of a list of strings prints the member's whole constraint set.
TEST(Params, BadTagKeyInUntagListsAllMemberConstraints) {
  auto p = ParseFor("UntagRole", {{"RoleName", "r"}, {"TagKeys.member.1", "invalid!key"}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member "
            "must satisfy constraint: [Member must have length less than or equal to 128, Member "
            "must have length greater than or equal to 1, Member must satisfy regular expression "
            "pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]");
}

// STS still echoes the value (recorded 2025/2026).
TEST(Params, StsEchoesTheValue) {
  auto p = ParseFor("AssumeRole", {{"RoleArn", "arn:aws:iam::123456789012:role/r"},
                                   {"RoleSessionName", "Session1:2"}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message,
            "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
}

TEST(Params, ListMembersAreOrderedByNumberInAnyArrivalOrder) {
  // Go's SDK sorts the query string: member.10 arrives before member.2.
  Form form{{"RoleName", "r"}};
  for (int i : {1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9})
    form.emplace_back(Numbered("TagKeys.member.", i), Numbered("k", i));
  auto p = ParseFor("UntagRole", form);
  ASSERT_TRUE(p);
  std::vector<std::string> want;
  for (int i = 1; i <= 11; ++i) want.push_back(Numbered("k", i));
  EXPECT_EQ(p->StrList("TagKeys"), want);
}

TEST(Params, LargeMemberNumbersDoNotInflateTheList) {
  // "member.1000" alone is one member, not a thousand.
  auto p = ParseFor("UntagRole", {{"RoleName", "r"}, {"TagKeys.member.1000", "a"}});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->StrList("TagKeys"), (std::vector<std::string>{"a"}));
}

TEST(Params, UnknownParametersAreIgnored) {
  auto p = ParseFor("GetRole", {{"RoleName", "r"}, {"Bogus", "x"}, {"RoleName.member.1", "y"}});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->Str("RoleName"), "r");
}

TEST(ModelPatterns, MatchLikeTheJavaRegexes) {
  EXPECT_TRUE(MatchesModelPattern("[\\w+=,.@-]+", "ray-head"));
  EXPECT_FALSE(MatchesModelPattern("[\\w+=,.@-]+", ""));
  EXPECT_FALSE(MatchesModelPattern("[\\w+=,.@-]+", "a b"));
  EXPECT_TRUE(MatchesModelPattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", "Team Ray 2 é"));
  EXPECT_FALSE(MatchesModelPattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", "a!"));
  EXPECT_TRUE(MatchesModelPattern("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", "{\n\t\"é\"}"));
  EXPECT_FALSE(MatchesModelPattern("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", "\x01"));
  EXPECT_FALSE(MatchesModelPattern("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", "€"));
  EXPECT_TRUE(MatchesModelPattern("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?", "v12"));
  EXPECT_FALSE(MatchesModelPattern("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?", "v2-does-not-exist"));
  EXPECT_TRUE(MatchesModelPattern("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/a/b/"));
  EXPECT_FALSE(MatchesModelPattern("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/a b/"));
  // CreateAccountAlias: lowercase letters and digits, single hyphens inside, 3 to 63.
  const std::string_view alias = "^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$";
  EXPECT_TRUE(IsKnownModelPattern(alias));
  EXPECT_TRUE(MatchesModelPattern(alias, "abc"));
  EXPECT_TRUE(MatchesModelPattern(alias, "my-corp-2"));
  EXPECT_TRUE(MatchesModelPattern(alias, std::string(63, 'a')));
  EXPECT_FALSE(MatchesModelPattern(alias, std::string(64, 'a')));
  EXPECT_FALSE(MatchesModelPattern(alias, "ab"));
  EXPECT_FALSE(MatchesModelPattern(alias, "my--corp"));
  EXPECT_FALSE(MatchesModelPattern(alias, "-corp"));
  EXPECT_FALSE(MatchesModelPattern(alias, "corp-"));
  EXPECT_FALSE(MatchesModelPattern(alias, "My-corp"));
  EXPECT_FALSE(MatchesModelPattern(alias, "my_corp"));
}

}  // namespace
}  // namespace iamd::api
