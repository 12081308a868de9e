#include "auth/internal/signing_key_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "auth/sigv4.h"

namespace iamd::auth::internal {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string Hex(const Digest& digest) { return std::string(AsStringView(ToHex(digest))); }

TEST(DeriveSigningKey, MatchesAwsDocumentationExample) {
  // "Examples of how to derive a signing key for Signature Version 4", AWS General Reference.
  EXPECT_EQ(Hex(DeriveSigningKeyDigest(kSecret, "20120215", "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(DeriveSigningKey, PublicFunctionReturnsRawBytes) {
  const std::string key = DeriveSigningKey(kSecret, "20120215", "us-east-1", "iam");
  ASSERT_EQ(key.size(), 32u);
  EXPECT_EQ(
      key,
      std::string(AsStringView(DeriveSigningKeyDigest(kSecret, "20120215", "us-east-1", "iam"))));
}

TEST(SigningKeyCache, ReturnsTheDerivedKey) {
  SigningKeyCache cache;
  EXPECT_EQ(cache.Get(kSecret, "20120215", "us-east-1", "iam"),
            DeriveSigningKeyDigest(kSecret, "20120215", "us-east-1", "iam"));
}

TEST(SigningKeyCache, SecondLookupIsAHit) {
  SigningKeyCache cache;
  cache.Get(kSecret, "20120215", "us-east-1", "iam");
  const Digest again = cache.Get(kSecret, "20120215", "us-east-1", "iam");
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(again, DeriveSigningKeyDigest(kSecret, "20120215", "us-east-1", "iam"));
}

TEST(SigningKeyCache, EachCacheCountsItsOwnLookups) {
  // A thread remembers its last lookup per cache: another cache, even one created where a
  // destroyed one was, starts with a miss.
  for (int round = 0; round < 2; ++round) {
    SigningKeyCache cache;
    EXPECT_EQ(cache.Get(kSecret, "20120215", "us-east-1", "iam"),
              DeriveSigningKeyDigest(kSecret, "20120215", "us-east-1", "iam"));
    EXPECT_EQ(cache.misses(), 1u) << round;
    EXPECT_EQ(cache.hits(), 0u) << round;
  }
  SigningKeyCache first, second;
  first.Get(kSecret, "20120215", "us-east-1", "iam");
  second.Get(kSecret, "20120215", "us-east-1", "iam");
  first.Get(kSecret, "20120215", "us-east-1", "iam");
  EXPECT_EQ(first.hits(), 1u);
  EXPECT_EQ(second.hits(), 0u);
  EXPECT_EQ(second.misses(), 1u);
}

TEST(SigningKeyCache, AlternatingKeysAreHitsInTheSlots) {
  SigningKeyCache cache;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(cache.Get(kSecret, "20120215", "us-east-1", "iam"),
              DeriveSigningKeyDigest(kSecret, "20120215", "us-east-1", "iam"));
    EXPECT_EQ(cache.Get("another-secret", "20120215", "us-east-1", "iam"),
              DeriveSigningKeyDigest("another-secret", "20120215", "us-east-1", "iam"));
  }
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.hits(), 4u);
}

TEST(SigningKeyCache, KeysBySecretDateRegionAndService) {
  SigningKeyCache cache;
  const Digest base = cache.Get(kSecret, "20120215", "us-east-1", "iam");
  EXPECT_NE(cache.Get("another-secret", "20120215", "us-east-1", "iam"), base);
  EXPECT_NE(cache.Get(kSecret, "20120216", "us-east-1", "iam"), base);
  EXPECT_NE(cache.Get(kSecret, "20120215", "us-west-2", "iam"), base);
  EXPECT_NE(cache.Get(kSecret, "20120215", "us-east-1", "sts"), base);
  EXPECT_EQ(cache.hits(), 0u);
}

TEST(SigningKeyCache, DoesNotConfuseShiftedFieldBoundaries) {
  SigningKeyCache cache(1);  // one slot: every entry competes for it
  const Digest ab_c = cache.Get(kSecret, "20120215", "ab", "c");
  EXPECT_EQ(cache.Get(kSecret, "20120215", "a", "bc"),
            DeriveSigningKeyDigest(kSecret, "20120215", "a", "bc"));
  EXPECT_NE(cache.Get(kSecret, "20120215", "a", "bc"), ab_c);
}

TEST(SigningKeyCache, ReplacesAnEntryThatSharesItsSlot) {
  SigningKeyCache cache(1);
  cache.Get(kSecret, "20120215", "us-east-1", "iam");
  cache.Get(kSecret, "20120215", "us-east-1", "sts");
  EXPECT_EQ(cache.Get(kSecret, "20120215", "us-east-1", "iam"),
            DeriveSigningKeyDigest(kSecret, "20120215", "us-east-1", "iam"));
  EXPECT_EQ(cache.misses(), 3u);
}

TEST(SigningKeyCache, DerivesOversizedScopesWithoutCaching) {
  SigningKeyCache cache;
  const std::string region(300, 'r');
  EXPECT_EQ(cache.Get(kSecret, "20120215", region, "iam"),
            DeriveSigningKeyDigest(kSecret, "20120215", region, "iam"));
  cache.Get(kSecret, "20120215", region, "iam");
  EXPECT_EQ(cache.hits(), 0u);
}

TEST(SigningKeyCache, IsThreadSafe) {
  SigningKeyCache cache(4);
  const std::vector<std::string> services = {"iam", "sts", "s3", "ec2", "kms", "sqs"};
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const std::string& service = services[(i + t) % services.size()];
        if (cache.Get(kSecret, "20120215", "us-east-1", service) !=
            DeriveSigningKeyDigest(kSecret, "20120215", "us-east-1", service))
          ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
  EXPECT_EQ(cache.hits() + cache.misses(), 1200u);
}

}  // namespace
}  // namespace iamd::auth::internal
