#include "auth/internal/crypto.h"

#include <gtest/gtest.h>

#include <cstdio>
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

// Hashes `message` starting with UpdateFirst on its first `first` bytes.
Digest HashFromFirst(std::string_view message, size_t first) {
  Sha256 sha;
  sha.UpdateFirst(message.substr(0, first));
  sha.Update(message.substr(first));
  return sha.Final();
}

// A message of `size` bytes that differs from others of the same `seed` only from `from` on.
std::string Message(size_t size, char seed = 'a', size_t from = 0) {
  std::string m(size, ' ');
  for (size_t i = 0; i < size; ++i)
    m[i] = static_cast<char>((i < from ? 'a' : seed) + static_cast<char>(i % 23));
  return m;
}

TEST(Sha256, UpdateFirstMatchesTheNistTwoBlockVector) {
  // FIPS 180-2 appendix B.2 (112 bytes): the first block is remembered, then resumed from.
  const std::string nist =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
      "lmnopqrsmnopqrstnopqrstu";
  for (int round = 0; round < 2; ++round)
    EXPECT_EQ(Hex(HashFromFirst(nist, nist.size())),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, UpdateFirstEqualsUpdateAtEveryLengthAndSplit) {
  for (size_t size : {0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 300}) {
    const std::string m = Message(size);
    for (size_t first : {size, size / 2, size_t{0}}) {
      for (int round = 0; round < 2; ++round)  // the second round finds what the first left
        EXPECT_EQ(HashFromFirst(m, first), Sha256Of(m)) << size << " bytes, first " << first;
    }
  }
}

TEST(Sha256, UpdateFirstResumesOnlyFromIdenticalLeadingBlocks) {
  // Same first block, another second block; same two blocks, another tail; another first byte.
  const std::string a = Message(200);
  const std::string same_first_block = Message(200, 'b', 64);
  const std::string same_two_blocks = Message(200, 'c', 128);
  const std::string other_first_byte = Message(200, 'd', 0);
  for (int round = 0; round < 3; ++round) {
    for (const std::string* m : {&a, &same_first_block, &same_two_blocks, &other_first_byte})
      EXPECT_EQ(HashFromFirst(*m, m->size()), Sha256Of(*m)) << round;
  }
}

TEST(Sha256, UpdateFirstKeepsEachThreadsStatesApart) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const std::string m = Message(150, static_cast<char>('a' + (i + t) % 5), 64 * (i % 3));
        if (HashFromFirst(m, m.size()) != Sha256Of(m)) ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

// HMAC-SHA256 from its definition (RFC 2104), for keys of at most 64 bytes.
Digest ReferenceHmac(std::string_view key, std::string_view message) {
  std::string inner(64, '\x36'), outer(64, '\x5c');
  for (size_t i = 0; i < key.size(); ++i) {
    inner[i] = static_cast<char>(inner[i] ^ key[i]);
    outer[i] = static_cast<char>(outer[i] ^ key[i]);
  }
  const Digest inner_hash = Sha256Of(inner + std::string(message));
  return Sha256Of(outer + std::string(AsStringView(inner_hash)));
}

TEST(HmacSha256, MessagesOfSeveralBlocksMatchTheDefinition) {
  // The key remembers the inner state after the first block of its last message: messages
  // that share it, and messages that do not, under one key and under another.
  const std::string a = Message(140);
  const std::string same_first_block = Message(140, 'b', 64);
  const std::string other_first_block = Message(140, 'c', 3);
  for (int round = 0; round < 2; ++round) {
    for (std::string_view key : {"key-1", "key-2"}) {
      for (const std::string* m : {&a, &same_first_block, &a, &other_first_block})
        EXPECT_EQ(HmacSha256(key, *m), ReferenceHmac(key, *m)) << key << " round " << round;
    }
  }
  const std::string exactly_one_block = Message(64);
  EXPECT_EQ(HmacSha256("key-1", exactly_one_block), ReferenceHmac("key-1", exactly_one_block));
}

TEST(HmacSha256, PartsSplitAnywhereInTheFirstBlockEqualTheirConcatenation) {
  const std::string m = Message(150);
  const Digest whole = ReferenceHmac("Jefe", m);
  for (size_t cut : {0, 1, 40, 63, 64, 65, 100, 150}) {
    const std::string_view view(m);
    EXPECT_EQ(HmacSha256("Jefe", {view.substr(0, cut), "", view.substr(cut)}), whole) << cut;
  }
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

TEST(ToHex, WritesEveryByteValueAsTwoLowercaseDigits) {
  for (int start = 0; start < 256; start += 32) {
    Digest digest;
    std::string expected;
    for (int i = 0; i < 32; ++i) {
      digest[i] = static_cast<unsigned char>(start + i);
      char pair[4];
      std::snprintf(pair, sizeof pair, "%02x", start + i);
      expected += pair;
    }
    EXPECT_EQ(std::string(AsStringView(ToHex(digest))), expected) << start;
  }
}

TEST(ConstantTimeEquals, FindsADifferenceAtAnyPosition) {
  const std::string base(70, 'x');  // eight-byte words and a tail
  for (size_t i = 0; i < base.size(); ++i) {
    std::string other = base;
    other[i] = 'y';
    EXPECT_FALSE(ConstantTimeEquals(base, other)) << i;
  }
  EXPECT_TRUE(ConstantTimeEquals(base, std::string(70, 'x')));
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace iamd::auth::internal
