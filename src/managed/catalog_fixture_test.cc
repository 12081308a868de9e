// The catalog code over a table generated from testdata/fixture-policies.json: strings that need
// escaping in JSON and in C++, non-ASCII text, numbers, booleans, null, a lone Statement object,
// empty values and unknown members, none of which the real catalog has.
#include <gtest/gtest.h>

#include "common/ids.h"
#include "managed/catalog.h"

namespace iamd::managed {
namespace {

TEST(FixtureCatalog, HoldsEveryPolicySortedByName) {
  auto all = AllPolicies();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, "AlphaServiceRolePolicy");
  EXPECT_EQ(all[1].name, "MiddleEmptyPolicy");
  EXPECT_EQ(all[2].name, "ZetaEscapesPolicy");
}

TEST(FixtureCatalog, FindsPoliciesByArnAcrossPaths) {
  for (const AwsManagedPolicy& p : AllPolicies()) {
    EXPECT_EQ(FindByArn(p.arn), &p) << p.arn;
    EXPECT_EQ(FindByName(p.name), &p) << p.name;
  }
  const AwsManagedPolicy* p =
      FindByArn("arn:aws:iam::aws:policy/service-role/AlphaServiceRolePolicy");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->path, "/service-role/");
  EXPECT_EQ(FindByArn("arn:aws:iam::aws:policy/AlphaServiceRolePolicy"), nullptr);
}

TEST(FixtureCatalog, KeepsFieldsAndComputesIdsAndDates) {
  const AwsManagedPolicy* p = FindByName("ZetaEscapesPolicy");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->path, "/");
  EXPECT_EQ(p->arn, "arn:aws:iam::aws:policy/ZetaEscapesPolicy");
  EXPECT_EQ(p->default_version_id, "v12");
  EXPECT_EQ(p->policy_id, StableUniqueId("ANPA", "arn:aws:iam::aws:policy/ZetaEscapesPolicy"));
  EXPECT_EQ(p->create_millis, 1546398245000);  // 2019-01-02T03:04:05Z
  EXPECT_EQ(p->update_millis, 1591517350250);  // 2020-06-07T08:09:10.250+00:00
}

TEST(FixtureCatalog, RendersEscapesNumbersAndKeyOrder) {
  const AwsManagedPolicy* p = FindByName("ZetaEscapesPolicy");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->document, R"({
    "Version": "2012-10-17",
    "Id": "fixture",
    "Statement": [
        {
            "Sid": "Deny§",
            "Effect": "Deny",
            "Principal": {
                "AWS": [
                    "*"
                ]
            },
            "NotAction": "iam:*",
            "NotResource": [],
            "Condition": {
                "StringEquals": {
                    "aws:PrincipalTag/team": [
                        "café \"blue\"",
                        "back\\slash/",
                        "tab\there",
                        "??=x??/",
                        "bell\u0007"
                    ]
                },
                "NumericLessThan": {
                    "s3:max-keys": 10,
                    "aws:Weight": -1.50e+1
                },
                "Bool": {
                    "aws:SecureTransport": false
                },
                "Null": {
                    "aws:TokenIssueTime": true
                }
            },
            "Zed": {}
        },
        "not-a-statement",
        [
            {
                "Resource": "r",
                "Effect": "e"
            }
        ]
    ],
    "Extra": null
})");
}

TEST(FixtureCatalog, OrdersALoneStatementObject) {
  const AwsManagedPolicy* p = FindByName("AlphaServiceRolePolicy");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->document, R"({
    "Version": "2012-10-17",
    "Statement": {
        "Effect": "Allow",
        "Action": [
            "s3:GetObject"
        ],
        "Resource": "*"
    }
})");
}

TEST(FixtureCatalog, RendersAnEmptyDocumentAsBraces) {
  const AwsManagedPolicy* p = FindByName("MiddleEmptyPolicy");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->document, "{}");
}

}  // namespace
}  // namespace iamd::managed
