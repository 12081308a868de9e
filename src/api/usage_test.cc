#include "api/usage.h"

#include <gtest/gtest.h>

#include <thread>

namespace iamd::api {
namespace {

TEST(UsageTracker, KnowsNothingBeforeTheFirstUse) {
  UsageTracker usage;
  EXPECT_FALSE(usage.RoleLastUsed("AROAEXAMPLEEXAMPLE01"));
  EXPECT_FALSE(usage.AccessKeyLastUsed("AKIAEXAMPLEEXAMPLE01"));
}

TEST(UsageTracker, RemembersTheLastUseOfEachRoleAndKey) {
  UsageTracker usage;
  usage.RecordRole("AROAEXAMPLEEXAMPLE01", 1000, "us-east-1");
  usage.RecordRole("AROAEXAMPLEEXAMPLE01", 2000, "eu-west-1");
  usage.RecordAccessKey("AKIAEXAMPLEEXAMPLE01", 120000, "iam", "us-east-1");
  auto role = usage.RoleLastUsed("AROAEXAMPLEEXAMPLE01");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->millis, 2000);
  EXPECT_EQ(role->service, "sts");
  EXPECT_EQ(role->region, "eu-west-1");
  EXPECT_FALSE(usage.RoleLastUsed("AROAEXAMPLEEXAMPLE02"));  // another role: still unknown
  auto key = usage.AccessKeyLastUsed("AKIAEXAMPLEEXAMPLE01");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->millis, 120000);
  EXPECT_EQ(key->service, "iam");
  EXPECT_FALSE(usage.AccessKeyLastUsed("AKIAEXAMPLEEXAMPLE02"));
  EXPECT_FALSE(usage.RoleLastUsed("AKIAEXAMPLEEXAMPLE01"));  // keys and roles are apart
}

TEST(UsageTracker, AUseRecordedOnOneThreadIsSeenOnAnother) {
  UsageTracker usage;
  std::thread([&] { usage.RecordRole("AROAEXAMPLEEXAMPLE01", 5000, "us-west-2"); }).join();
  std::optional<UsageTracker::Use> seen;
  std::thread([&] { seen = usage.RoleLastUsed("AROAEXAMPLEEXAMPLE01"); }).join();
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->region, "us-west-2");
}

}  // namespace
}  // namespace iamd::api
