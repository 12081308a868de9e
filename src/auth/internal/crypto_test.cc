#include "auth/internal/crypto.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace iamd::auth::internal {
namespace {

std::string Hex(const Digest& digest) { return std::string(AsStringView(ToHex(digest))); }

TEST(Sha256, MatchesKnownDigests) {
  EXPECT_EQ(Hex(Sha256Of("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256Of("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 sha;
  sha.Update("a");
  sha.Update("");
  sha.Update("bc");
  EXPECT_EQ(sha.Final(), Sha256Of("abc"));
}

TEST(Sha256, TwoMessagesCanBeHashedAtOnce) {
  Sha256 first;
  Sha256 second;
  first.Update("ab");
  second.Update("x");
  first.Update("c");
  EXPECT_EQ(first.Final(), Sha256Of("abc"));
  EXPECT_EQ(second.Final(), Sha256Of("x"));
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, AcceptsAnEmptyKey) {
  EXPECT_EQ(Hex(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256, RekeysForEveryCall) {
  const Digest first = HmacSha256("key-1", "msg");
  HmacSha256("key-2", "msg");
  EXPECT_EQ(HmacSha256("key-1", "msg"), first);
  EXPECT_NE(HmacSha256("key-2", "msg"), first);
}

TEST(HmacSha256, PartsEqualTheirConcatenation) {
  EXPECT_EQ(HmacSha256("Jefe", {"what do ya ", "", "want for nothing?"}),
            HmacSha256("Jefe", "what do ya want for nothing?"));
}

TEST(HmacSha256, IsThreadSafe) {
  const Digest expected = HmacSha256("Jefe", "what do ya want for nothing?");
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (HmacSha256("Jefe", "what do ya want for nothing?") != expected) ++wrong[t];
        if (Sha256Of("abc") != Sha256Of("abc")) ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace iamd::auth::internal
