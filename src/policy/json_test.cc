#include "policy/internal/json.h"

#include <gtest/gtest.h>

#include <string>

namespace iamd::policy::internal {
namespace {

bool Parses(std::string_view text) {
  JsonNode root;
  JsonError error;
  return ParseJson(text, root, error);
}

TEST(ParseJson, KeepsMembersInDocumentOrder) {
  JsonNode root;
  JsonError error;
  ASSERT_TRUE(ParseJson(R"({"b": 1, "a": [true, null, "x"]})", root, error));
  ASSERT_EQ(root.keys.size(), 2u);
  EXPECT_EQ(root.keys[0], "b");
  EXPECT_EQ(root.children[0].type, JsonType::kNumber);
  EXPECT_EQ(root.children[0].text, "1");
  EXPECT_EQ(root.Find("a")->children.size(), 3u);
  EXPECT_EQ(root.Find("a")->children[2].text, "x");
}

TEST(ParseJson, KeepsNumbersAsWritten) {
  JsonNode root;
  JsonError error;
  ASSERT_TRUE(ParseJson(R"([1.50, -0, 1e3])", root, error));
  EXPECT_EQ(root.children[0].text, "1.50");
  EXPECT_EQ(root.children[2].text, "1e3");
}

TEST(ParseJson, RejectsDuplicateKey) { EXPECT_FALSE(Parses(R"({"a": 1, "a": 2})")); }
TEST(ParseJson, RejectsDuplicateKeyInNestedObject) { EXPECT_FALSE(Parses(R"({"x": {"a": 1, "a": 1}})")); }
TEST(ParseJson, AllowsSameKeyInSiblingObjects) { EXPECT_TRUE(Parses(R"([{"a": 1}, {"a": 2}])")); }
TEST(ParseJson, RejectsComments) { EXPECT_FALSE(Parses("{/* c */}")); }
TEST(ParseJson, RejectsTrailingCommas) { EXPECT_FALSE(Parses(R"({"a": 1,})")); }
TEST(ParseJson, RejectsTrailingContent) { EXPECT_FALSE(Parses(R"({} {})")); }
TEST(ParseJson, RejectsInvalidUtf8) { EXPECT_FALSE(Parses("{\"a\": \"\xff\"}")); }
TEST(ParseJson, RejectsEmptyText) { EXPECT_FALSE(Parses("")); }

TEST(ParseJson, RejectsNestingDeeperThanTheLimit) {
  std::string deep(kMaxJsonDepth + 1, '[');
  deep += std::string(kMaxJsonDepth + 1, ']');
  EXPECT_FALSE(Parses(deep));
  std::string ok(kMaxJsonDepth, '[');
  ok += std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(Parses(ok));
}

TEST(ParseJson, RecordsObjectOffsets) {
  JsonNode root;
  JsonError error;
  std::string text = R"({"s": [ {"a": 1} ]})";
  ASSERT_TRUE(ParseJson(text, root, error));
  const JsonNode& inner = root.children[0].children[0];
  EXPECT_EQ(text.substr(inner.begin, inner.end - inner.begin), R"({"a": 1})");
}

TEST(ParseJson, ReportsErrorOffset) {
  JsonNode root;
  JsonError error;
  EXPECT_FALSE(ParseJson("{\"a\": tru}", root, error));
  EXPECT_GE(error.offset, 6u);
}

TEST(OffsetToLineColumn, CountsLinesAndCharacters) {
  std::string text = "ab\ncd\xc3\xa9" "f";
  EXPECT_EQ(OffsetToLineColumn(text, 0).line, 1u);
  EXPECT_EQ(OffsetToLineColumn(text, 4).line, 2u);
  EXPECT_EQ(OffsetToLineColumn(text, 4).column, 2u);
  // "é" is two bytes but one column.
  EXPECT_EQ(OffsetToLineColumn(text, 7).column, 4u);
}

}  // namespace
}  // namespace iamd::policy::internal
