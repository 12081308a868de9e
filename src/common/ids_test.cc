#include "common/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace iamd {
namespace {

TEST(RandomIdSource, UniqueIdHasPrefixAnd17Base32Chars) {
  RandomIdSource ids;
  std::string id = ids.NewUniqueId(kRoleIdPrefix);
  EXPECT_TRUE(std::regex_match(id, std::regex("AROA[A-Z2-7]{17}"))) << id;
}

TEST(RandomIdSource, AccessKeyIdIs20Chars) {
  RandomIdSource ids;
  std::string id = ids.NewAccessKeyId(kLongTermKeyPrefix);
  EXPECT_TRUE(std::regex_match(id, std::regex("AKIA[A-Z2-7]{16}"))) << id;
}

TEST(RandomIdSource, IdsDoNotRepeat) {
  RandomIdSource ids;
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(seen.insert(ids.NewUniqueId("AIPA")).second);
}

TEST(RandomIdSource, RequestIdIsUuidV4) {
  RandomIdSource ids;
  std::string id = ids.NewRequestId();
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
}

TEST(SequentialIdSource, IsDeterministic) {
  SequentialIdSource a(5), b(5);
  EXPECT_EQ(a.NewUniqueId("AROA"), b.NewUniqueId("AROA"));
  EXPECT_NE(a.NewUniqueId("AROA"), a.NewUniqueId("AROA"));
}

TEST(StableUniqueId, SameKeySameIdDifferentKeyDifferentId) {
  std::string a = StableUniqueId("ANPA", "arn:aws:iam::aws:policy/AmazonS3FullAccess");
  EXPECT_EQ(a, StableUniqueId("ANPA", "arn:aws:iam::aws:policy/AmazonS3FullAccess"));
  EXPECT_NE(a, StableUniqueId("ANPA", "arn:aws:iam::aws:policy/AmazonEC2FullAccess"));
  EXPECT_TRUE(std::regex_match(a, std::regex("ANPA[A-Z2-7]{17}"))) << a;
}

}  // namespace
}  // namespace iamd
