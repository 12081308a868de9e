#include "managed/internal/policy_json.h"

#include <gtest/gtest.h>

namespace iamd::managed::internal {
namespace {

std::string Render(std::string_view json) {
  auto v = ParseJson(json);
  if (!v) return "error: " + v.error();
  return RenderAwsPolicyDocument(*v);
}

TEST(ParseJson, KeepsMemberOrderAndNumberText) {
  auto v = ParseJson(R"({"b": 1.50, "a": -0, "c": 1E+2})");
  ASSERT_TRUE(v.has_value()) << v.error();
  ASSERT_EQ(v->members.size(), 3u);
  EXPECT_EQ(v->members[0].key, "b");
  EXPECT_EQ(v->members[0].value.kind, JsonValue::Kind::kNumber);
  EXPECT_EQ(v->members[0].value.text, "1.50");
  EXPECT_EQ(v->members[1].value.text, "-0");
  EXPECT_EQ(v->members[2].value.text, "1E+2");
}

TEST(ParseJson, DecodesStringEscapes) {
  auto v = ParseJson(R"(["a\"b\\c\/d\u00e9\ud83d\ude00\u0000"])");
  ASSERT_TRUE(v.has_value()) << v.error();
  EXPECT_EQ(v->elements[0].text, std::string("a\"b\\c/d\xC3\xA9\xF0\x9F\x98\x80\0", 14));
}

TEST(ParseJson, RejectsDuplicateKey) {
  auto v = ParseJson("{\n  \"Effect\": \"Allow\",\n  \"Effect\": \"Deny\"\n}");
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().find("duplicate key \"Effect\""), std::string::npos) << v.error();
  EXPECT_TRUE(v.error().starts_with("line 3, ")) << v.error();
}

TEST(ParseJson, AllowsTheSameKeyInDifferentObjects) {
  EXPECT_TRUE(ParseJson(R"({"a": {"a": 1}, "b": {"a": 2}})").has_value());
}

TEST(ParseJson, ReportsLineAndColumnOfSyntaxErrors) {
  auto v = ParseJson("[\n  {\"a\": 1,}\n]");
  ASSERT_FALSE(v.has_value());
  EXPECT_TRUE(v.error().starts_with("line 2, column 11: ")) << v.error();
}

TEST(ParseJson, RejectsComments) { EXPECT_FALSE(ParseJson("[1 /* one */]").has_value()); }

TEST(ParseJson, RejectsTrailingCommas) { EXPECT_FALSE(ParseJson("[1,]").has_value()); }

TEST(ParseJson, RejectsTextAfterTheRoot) { EXPECT_FALSE(ParseJson("{} {}").has_value()); }

TEST(ParseJson, RejectsInvalidUtf8) { EXPECT_FALSE(ParseJson("[\"\xC3\x28\"]").has_value()); }

TEST(ParseJson, RejectsNulBytes) {
  EXPECT_FALSE(ParseJson(std::string_view("[1]\0[2]", 7)).has_value());
}

TEST(ParseJson, RejectsEmptyText) { EXPECT_FALSE(ParseJson("").has_value()); }

TEST(RenderAwsPolicyDocument, IndentsByFourSpaces) {
  EXPECT_EQ(Render(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]})"), R"({
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow"
        }
    ]
})");
}

TEST(RenderAwsPolicyDocument, PutsVersionIdStatementFirst) {
  EXPECT_EQ(Render(R"({"Statement":[],"Other":1,"Id":"x","Version":"v"})"), R"({
    "Version": "v",
    "Id": "x",
    "Statement": [],
    "Other": 1
})");
}

TEST(RenderAwsPolicyDocument, OrdersStatementMembersTheAwsWay) {
  EXPECT_EQ(Render(R"({"Statement":[{"Zeta":1,"Condition":2,"NotResource":3,"Resource":4,
      "NotAction":5,"Action":6,"NotPrincipal":7,"Principal":8,"Effect":9,"Sid":10,"Alpha":11}]})"),
            R"({
    "Statement": [
        {
            "Sid": 10,
            "Effect": 9,
            "Principal": 8,
            "NotPrincipal": 7,
            "Action": 6,
            "NotAction": 5,
            "Resource": 4,
            "NotResource": 3,
            "Condition": 2,
            "Zeta": 1,
            "Alpha": 11
        }
    ]
})");
}

TEST(RenderAwsPolicyDocument, OrdersALoneStatementObject) {
  EXPECT_EQ(Render(R"({"Statement":{"Resource":"*","Effect":"Allow"}})"), R"({
    "Statement": {
        "Effect": "Allow",
        "Resource": "*"
    }
})");
}

TEST(RenderAwsPolicyDocument, KeepsNestedMembersInSourceOrder) {
  EXPECT_EQ(Render(R"({"Statement":[{"Condition":{"StringLike":{"b":"1","a":"2"},"Bool":{}}}]})"),
            R"({
    "Statement": [
        {
            "Condition": {
                "StringLike": {
                    "b": "1",
                    "a": "2"
                },
                "Bool": {}
            }
        }
    ]
})");
}

TEST(RenderAwsPolicyDocument, DoesNotReorderObjectsOutsideStatements) {
  EXPECT_EQ(Render(R"({"Other":{"Resource":1,"Effect":2},"Statement":[[{"Resource":1,"Sid":2}]]})"),
            R"({
    "Statement": [
        [
            {
                "Resource": 1,
                "Sid": 2
            }
        ]
    ],
    "Other": {
        "Resource": 1,
        "Effect": 2
    }
})");
}

TEST(ParseJson, RejectsNumbersBeyondDoubleRange) {
  auto v = ParseJson("[1e400]");
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().find("Number too big"), std::string::npos) << v.error();
}

TEST(RenderAwsPolicyDocument, WritesNumbersAsInTheSource) {
  EXPECT_EQ(
      Render(R"({"Id":[1.50,-0,1E300,0.1000000000000000055511151231257827,12345678901234567890]})"),
      R"({
    "Id": [
        1.50,
        -0,
        1E300,
        0.1000000000000000055511151231257827,
        12345678901234567890
    ]
})");
}

TEST(RenderAwsPolicyDocument, WritesLiterals) {
  EXPECT_EQ(Render(R"({"Id":[true,false,null]})"), R"({
    "Id": [
        true,
        false,
        null
    ]
})");
}

TEST(RenderAwsPolicyDocument, EscapesOnlyWhatJsonRequires) {
  EXPECT_EQ(
      Render(R"({"Id":"q\" b\\ s\/ n\n t\t r\r b\b f\f c\u001f d\u007f \u00e9"})"),
      "{\n    \"Id\": \"q\\\" b\\\\ s/ n\\n t\\t r\\r b\\b f\\f c\\u001F d\x7f \xC3\xA9\"\n}");
}

TEST(RenderAwsPolicyDocument, EscapesKeys) {
  EXPECT_EQ(Render(R"({"a\"b":1})"), "{\n    \"a\\\"b\": 1\n}");
}

TEST(RenderAwsPolicyDocument, RendersEmptyContainersInline) {
  EXPECT_EQ(Render("{}"), "{}");
  EXPECT_EQ(Render(R"({"Statement":[{}],"Id":[]})"), R"({
    "Id": [],
    "Statement": [
        {}
    ]
})");
}

}  // namespace
}  // namespace iamd::managed::internal
