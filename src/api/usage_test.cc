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

TEST(UsageTracker, RemembersWhichServicesEachPrincipalUsed) {
  UsageTracker usage;
  EXPECT_FALSE(usage.PrincipalLastUsed("AIDAEXAMPLEEXAMPLE01", "iam"));
  usage.RecordPrincipal("AIDAEXAMPLEEXAMPLE01", 60000, "iam", "us-west-2");
  usage.RecordPrincipal("AIDAEXAMPLEEXAMPLE01", 61000, "iam", "eu-west-1");  // same minute: kept
  usage.RecordPrincipal("AIDAEXAMPLEEXAMPLE01", 180000, "sts", "us-east-1");
  auto iam = usage.PrincipalLastUsed("AIDAEXAMPLEEXAMPLE01", "iam");
  ASSERT_TRUE(iam);
  EXPECT_EQ(iam->millis, 60000);
  EXPECT_EQ(iam->region, "us-west-2");
  usage.RecordPrincipal("AIDAEXAMPLEEXAMPLE01", 240000, "iam", "eu-west-1");  // a later minute
  EXPECT_EQ(usage.PrincipalLastUsed("AIDAEXAMPLEEXAMPLE01", "iam")->region, "eu-west-1");
  EXPECT_EQ(usage.PrincipalLastUsed("AIDAEXAMPLEEXAMPLE01", "sts")->millis, 180000);
  EXPECT_FALSE(usage.PrincipalLastUsed("AIDAEXAMPLEEXAMPLE02", "iam"));
  EXPECT_FALSE(usage.PrincipalLastUsed("AIDAEXAMPLEEXAMPLE01", "s3"));
}

TEST(UsageTracker, KeepsTheNewestReports) {
  UsageTracker usage;
  for (size_t i = 0; i <= UsageTracker::kMaxReports; ++i) {
    auto report = std::make_shared<UsageTracker::AccessReport>();
    report->owner = std::to_string(i);
    usage.StoreReport("job-" + std::to_string(i), report);
  }
  EXPECT_FALSE(usage.FindReport("job-0"));  // the oldest went
  ASSERT_TRUE(usage.FindReport("job-1"));
  EXPECT_EQ(usage.FindReport("job-1")->owner, "1");
  ASSERT_TRUE(usage.FindReport("job-" + std::to_string(UsageTracker::kMaxReports)));
  EXPECT_FALSE(usage.FindReport("job-x"));
}

TEST(UsageTracker, OneMakerCannotPushOutTheOthersReports) {
  UsageTracker usage;
  auto report_of = [](std::string owner) {
    auto r = std::make_shared<UsageTracker::AccessReport>();
    r->owner = std::move(owner);
    return r;
  };
  usage.StoreReport("alice-1", report_of("AIDAALICE"));
  for (size_t i = 0; i < 3 * UsageTracker::kMaxReportsPerOwner; ++i)
    usage.StoreReport("bob-" + std::to_string(i), report_of("AIDABOB"));
  EXPECT_TRUE(usage.FindReport("alice-1"));  // bob's own oldest went instead
  EXPECT_FALSE(usage.FindReport("bob-0"));
  EXPECT_TRUE(usage.FindReport("bob-" + std::to_string(3 * UsageTracker::kMaxReportsPerOwner - 1)));
  size_t bobs = 0;
  for (size_t i = 0; i < 3 * UsageTracker::kMaxReportsPerOwner; ++i)
    bobs += usage.FindReport("bob-" + std::to_string(i)) != nullptr;
  EXPECT_EQ(bobs, UsageTracker::kMaxReportsPerOwner);
}

TEST(UsageTracker, LargeReportsAreKeptWithinTheByteBudget) {
  UsageTracker usage;
  auto big = [] {
    auto r = std::make_shared<UsageTracker::AccessReport>();
    r->owner = "AIDAOWNER";
    // About a third of the budget each.
    r->entities.resize(UsageTracker::kMaxReportBytes / 3 / 200,
                       {std::string(100, 'a'), "n", "USER", "AIDA", "/"});
    return r;
  };
  usage.StoreReport("1", big());
  usage.StoreReport("2", big());
  usage.StoreReport("3", big());  // the first goes to make room
  EXPECT_FALSE(usage.FindReport("1"));
  EXPECT_TRUE(usage.FindReport("2"));
  EXPECT_TRUE(usage.FindReport("3"));
}

TEST(UsageTracker, PrincipalSkipIsPerTracker) {
  UsageTracker first, second;
  first.RecordPrincipal("AROAEXAMPLEEXAMPLE01", 60000, "sts", "us-east-1");
  second.RecordPrincipal("AROAEXAMPLEEXAMPLE01", 60000, "sts", "us-east-1");  // same thread, minute
  EXPECT_TRUE(second.PrincipalLastUsed("AROAEXAMPLEEXAMPLE01", "sts"));
  auto changed = second.TakeChanged();
  ASSERT_EQ(changed.principals.size(), 1u);
  EXPECT_EQ(changed.principals[0].first, "AROAEXAMPLEEXAMPLE01");
  EXPECT_EQ(changed.principals[0].second.service, "sts");
  EXPECT_TRUE(second.TakeChanged().principals.empty());  // reported once
}

TEST(UsageTracker, AUseRecordedOnOneThreadIsSeenOnAnother) {
  UsageTracker usage;
  std::thread([&] { usage.RecordRole("AROAEXAMPLEEXAMPLE01", 5000, "us-west-2"); }).join();
  std::optional<UsageTracker::Use> seen;
  std::thread([&] { seen = usage.RoleLastUsed("AROAEXAMPLEEXAMPLE01"); }).join();
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->region, "us-west-2");
}

TEST(UsageTracker, ReportsEachChangedRoleAndKeyOnceWithItsLatestUse) {
  UsageTracker usage;
  EXPECT_TRUE(usage.TakeChanged().empty());
  usage.RecordRole("AROAEXAMPLEEXAMPLE01", 1000, "us-east-1");
  usage.RecordRole("AROAEXAMPLEEXAMPLE01", 2000, "eu-west-1");
  usage.RecordAccessKey("AKIAEXAMPLEEXAMPLE01", 120000, "iam", "us-east-1");
  UsageTracker::Changes changed = usage.TakeChanged();
  ASSERT_EQ(changed.roles.size(), 1u);
  EXPECT_EQ(changed.roles[0].first, "AROAEXAMPLEEXAMPLE01");
  EXPECT_EQ(changed.roles[0].second.millis, 2000);
  EXPECT_EQ(changed.roles[0].second.region, "eu-west-1");
  ASSERT_EQ(changed.keys.size(), 1u);
  EXPECT_EQ(changed.keys[0].first, "AKIAEXAMPLEEXAMPLE01");
  EXPECT_EQ(changed.keys[0].second.millis, 120000);
  EXPECT_EQ(changed.keys[0].second.service, "iam");
  EXPECT_TRUE(usage.TakeChanged().empty());  // taken
  // What was taken is still what the tracker answers.
  EXPECT_EQ(usage.RoleLastUsed("AROAEXAMPLEEXAMPLE01")->millis, 2000);
  // A key used again in the same minute for the same service is not a change; in the next
  // minute, or for another service, it is.
  usage.RecordAccessKey("AKIAEXAMPLEEXAMPLE01", 150000, "iam", "us-east-1");
  EXPECT_TRUE(usage.TakeChanged().empty());
  usage.RecordAccessKey("AKIAEXAMPLEEXAMPLE01", 185000, "iam", "us-east-1");
  changed = usage.TakeChanged();
  ASSERT_EQ(changed.keys.size(), 1u);
  EXPECT_EQ(changed.keys[0].second.millis, 185000);
  usage.RecordAccessKey("AKIAEXAMPLEEXAMPLE01", 186000, "sts", "us-east-1");
  changed = usage.TakeChanged();
  ASSERT_EQ(changed.keys.size(), 1u);
  EXPECT_EQ(changed.keys[0].second.service, "sts");
}

TEST(UsageTracker, ATrackerIsNotSkippedForWhatAnotherRecordedOnTheSameThread) {
  // The per-thread shortcut (same key, same minute) belongs to one tracker.
  UsageTracker first, second;
  first.RecordAccessKey("AKIAEXAMPLEEXAMPLE01", 60000, "iam", "us-east-1");
  second.RecordAccessKey("AKIAEXAMPLEEXAMPLE01", 60000, "iam", "us-east-1");
  ASSERT_TRUE(second.AccessKeyLastUsed("AKIAEXAMPLEEXAMPLE01"));
  EXPECT_EQ(second.TakeChanged().keys.size(), 1u);
}

TEST(UsageTracker, AnMfaCodeIsGoodOnce) {
  UsageTracker usage;
  EXPECT_TRUE(usage.UseMfaStep("arn:aws:iam::123456789012:mfa/a", 100));
  EXPECT_FALSE(usage.UseMfaStep("arn:aws:iam::123456789012:mfa/a", 100));  // the same code
  EXPECT_FALSE(usage.UseMfaStep("arn:aws:iam::123456789012:mfa/a", 99));   // an older one
  EXPECT_TRUE(usage.UseMfaStep("arn:aws:iam::123456789012:mfa/b", 100));   // another device
  EXPECT_TRUE(usage.UseMfaStep("arn:aws:iam::123456789012:mfa/a", 101));
  EXPECT_TRUE(usage.TakeChanged().empty());  // nothing of this is written to the store
}

}  // namespace
}  // namespace iamd::api
