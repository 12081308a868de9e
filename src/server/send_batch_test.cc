// SendBatch over socket pairs, with io_uring and with plain send(): the same results either way.
#include "server/send_batch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace iamd::server {
namespace {

// A connected pair of non-blocking stream sockets, closed on destruction.
struct Pair {
  Pair() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd), 0)
        << std::strerror(errno);
  }
  Pair(const Pair&) = delete;
  Pair& operator=(const Pair&) = delete;
  ~Pair() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
  // Everything readable on the far end right now.
  std::string Drain() {
    std::string out;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd[1], buf, sizeof buf);
      if (n <= 0) return out;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  int fd[2] = {-1, -1};
};

class SendBatchTest : public testing::TestWithParam<bool> {
 protected:
  SendBatch batch_{GetParam()};
};

TEST_P(SendBatchTest, SendsEachItemToItsSocketInOrder) {
  Pair a, b, c;
  const std::vector<SendBatch::Item> items = {{a.fd[0], "first to a ", 11},
                                              {b.fd[0], "to b", 4},
                                              {a.fd[0], "second to a", 11},
                                              {c.fd[0], "to c", 4}};
  std::vector<ssize_t> results(items.size(), 12345);
  batch_.Send(items, results);
  EXPECT_EQ(results, (std::vector<ssize_t>{11, 4, 11, 4}));
  EXPECT_EQ(a.Drain(), "first to a second to a");
  EXPECT_EQ(b.Drain(), "to b");
  EXPECT_EQ(c.Drain(), "to c");
}

TEST_P(SendBatchTest, MoreItemsThanOneRingSubmissionHolds) {
  // 700 items (the ring takes 256 at a time) over 7 sockets, 100 small writes each: few
  // enough per socket that none fills its buffer.
  std::vector<Pair> pairs(7);
  std::vector<std::string> texts, want(pairs.size());
  for (int i = 0; i < 700; ++i) texts.push_back(std::to_string(i) + ";");
  std::vector<SendBatch::Item> items;
  for (size_t i = 0; i < texts.size(); ++i) {
    items.push_back({pairs[i % pairs.size()].fd[0], texts[i].data(), texts[i].size()});
    want[i % pairs.size()] += texts[i];
  }
  std::vector<ssize_t> results(items.size(), -1);
  batch_.Send(items, results);
  for (size_t i = 0; i < items.size(); ++i)
    ASSERT_EQ(results[i], static_cast<ssize_t>(items[i].size)) << "item " << i;
  for (size_t p = 0; p < pairs.size(); ++p) EXPECT_EQ(pairs[p].Drain(), want[p]) << "socket " << p;
}

TEST_P(SendBatchTest, AFullSocketTakesWhatFitsAndNeverBlocks) {
  Pair full, other;
  int small = 4096;
  ::setsockopt(full.fd[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  const std::string big(8 << 20, 'x');
  const std::vector<SendBatch::Item> items = {{full.fd[0], big.data(), big.size()},
                                              {full.fd[0], big.data(), big.size()},
                                              {other.fd[0], "still sent", 10}};
  std::vector<ssize_t> results(items.size(), 0);
  auto start = std::chrono::steady_clock::now();
  batch_.Send(items, results);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_GT(results[0], 0);
  EXPECT_LT(results[0], static_cast<ssize_t>(big.size()));
  EXPECT_EQ(results[1], -EAGAIN);  // nothing more fits
  EXPECT_EQ(results[2], 10);
  EXPECT_EQ(full.Drain().size(), static_cast<size_t>(results[0]));
  EXPECT_EQ(other.Drain(), "still sent");
}

TEST_P(SendBatchTest, AClosedPeerIsAnErrorNotASignal) {
  Pair p;
  ::close(p.fd[1]);
  p.fd[1] = -1;
  const std::vector<SendBatch::Item> items = {{p.fd[0], "lost", 4}};
  std::vector<ssize_t> results(1, 0);
  batch_.Send(items, results);  // SIGPIPE would end the test binary here
  EXPECT_EQ(results[0], -EPIPE);
}

TEST_P(SendBatchTest, ItemsWithoutADescriptorAreNotSent) {
  Pair p;
  int not_open = ::dup(p.fd[0]);
  ::close(not_open);
  const std::vector<SendBatch::Item> items = {{-1, "x", 1}, {not_open, "y", 1}, {p.fd[0], "z", 1}};
  std::vector<ssize_t> results(items.size(), 0);
  batch_.Send(items, results);
  EXPECT_EQ(results[0], -EBADF);
  EXPECT_EQ(results[1], -EBADF);
  EXPECT_EQ(results[2], 1);
  EXPECT_EQ(p.Drain(), "z");
}

TEST_P(SendBatchTest, AnEmptyBatchDoesNothing) {
  std::vector<SendBatch::Item> items;
  std::vector<ssize_t> results;
  batch_.Send(items, results);
  SUCCEED();
}

INSTANTIATE_TEST_SUITE_P(Modes, SendBatchTest, testing::Values(true, false),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "IoUring" : "PlainSend";
                         });

TEST(SendBatch, UsesIoUringOnlyWhenAsked) {
  EXPECT_FALSE(SendBatch(false).uses_io_uring());
  // Whether the kernel grants io_uring depends on the machine; iamd then works either way.
  SendBatch asked(true);
  std::printf("io_uring available here: %s\n", asked.uses_io_uring() ? "yes" : "no");
}

}  // namespace
}  // namespace iamd::server
