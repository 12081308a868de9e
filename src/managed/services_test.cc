#include "managed/services.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "managed/catalog.h"

namespace iamd::managed {
namespace {

// Names as AWS returned them in a recorded GetServiceLastAccessedDetails (cloud-custodian,
// tests/data/placebo/test_iam_user_usage/iam.GetServiceLastAccessedDetails_2.json).
TEST(AwsServices, NamesAsAccessReportsGiveThem) {
  ASSERT_TRUE(FindService("s3"));
  EXPECT_EQ(FindService("s3")->name, "Amazon S3");
  EXPECT_EQ(FindService("iam")->name, "AWS Identity and Access Management");
  EXPECT_EQ(FindService("sts")->name, "AWS Security Token Service");
  EXPECT_EQ(FindService("ec2")->name, "Amazon EC2");
  EXPECT_EQ(FindService("cloudwatch")->name, "Amazon CloudWatch");
  // Not recorded in a report: botocore's name, else the Service Authorization Reference's.
  EXPECT_EQ(FindService("opensearch")->name, "Amazon OpenSearch Service");
  EXPECT_EQ(FindService("a2c")->name, "AWS App2Container");
  EXPECT_FALSE(FindService("S3"));
  EXPECT_FALSE(FindService("no-such-service"));
}

TEST(AwsServices, SortedAndUnique) {
  auto all = AllServices();
  EXPECT_GT(all.size(), 400u);
  for (size_t i = 1; i < all.size(); ++i)
    EXPECT_LT(all[i - 1].service_namespace, all[i].service_namespace);
  for (const AwsService& s : all) {
    EXPECT_FALSE(s.name.empty()) << s.service_namespace;
    EXPECT_NE(s.name, s.service_namespace);  // every service has a name of its own
    EXPECT_EQ(FindService(s.service_namespace), &s);
  }
}

// Every namespace the AWS managed policies name in an Action is in the table (a policy's
// services must be listable), but for a few that AWS's policy data does not list.
TEST(AwsServices, CoverTheNamespacesOfTheManagedPolicies) {
  size_t missing = 0, seen = 0;
  for (const AwsManagedPolicy& p : AllPolicies()) {
    std::string_view doc = p.document;
    for (size_t at = doc.find("\"Action\""); at != std::string_view::npos;
         at = doc.find("\"Action\"", at + 1)) {
      // The first action string after "Action": "ns:Name" or ["ns:Name", ...].
      size_t open = doc.find('"', doc.find(':', at) + 1);
      size_t colon = doc.find(':', open + 1);
      size_t close = doc.find('"', open + 1);
      if (open == std::string_view::npos || colon > close) continue;
      std::string ns(doc.substr(open + 1, colon - open - 1));
      std::transform(ns.begin(), ns.end(), ns.begin(), ::tolower);
      if (ns.empty() || ns == "*") continue;
      ++seen;
      if (!FindService(ns)) ++missing;
    }
  }
  EXPECT_GT(seen, 1000u);
  EXPECT_LT(missing * 100, seen) << missing << " of " << seen;
}

}  // namespace
}  // namespace iamd::managed
