// Uring over socket pairs, a listening socket and an eventfd. Skipped where the kernel refuses
// io_uring (the HTTP server then runs on Asio, which http_server_test covers too).
#include "server/uring.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace iamd::server {
namespace {

using namespace std::chrono_literals;

class UringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ring_ = Uring::Open(8);  // small, so that queueing more than 8 must submit on the way
    if (!ring_) GTEST_SKIP() << "io_uring is unavailable here";
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair_), 0)
        << std::strerror(errno);
  }
  void TearDown() override {
    ring_.reset();  // before the descriptors and buffers its operations point to
    for (int fd : pair_)
      if (fd >= 0) ::close(fd);
  }

  // Waits (up to 5 s) until `n` completions have arrived.
  std::vector<Uring::Completion> WaitFor(size_t n) {
    std::vector<Uring::Completion> all;
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (all.size() < n && std::chrono::steady_clock::now() < give_up) {
      int rc = ring_->SubmitAndWait(100ms, all);
      EXPECT_TRUE(rc == 0 || rc == -EINTR) << rc;
    }
    return all;
  }

  std::unique_ptr<Uring> ring_;
  int pair_[2] = {-1, -1};
};

TEST_F(UringTest, SendThenRecvCarryTheBytesAndTheirTags) {
  const std::string message = "GET /healthz HTTP/1.1\r\n\r\n";
  ring_->Send(pair_[0], message.data(), message.size(), 11);
  auto sent = WaitFor(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].tag, 11u);
  EXPECT_EQ(sent[0].result, static_cast<int32_t>(message.size()));
  EXPECT_FALSE(sent[0].more);

  ring_->RecvMultishot(pair_[1], 12);
  auto got = WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].tag, 12u);
  ASSERT_EQ(got[0].result, static_cast<int32_t>(message.size()));
  EXPECT_TRUE(got[0].more) << "the receive stays armed";
  ASSERT_GE(got[0].buffer, 0);
  EXPECT_EQ(ring_->BufferBytes(got[0]), message);
  ring_->ReleaseBuffer(got[0].buffer);
}

TEST_F(UringTest, AMultishotRecvWaitsWithoutBlockingAndCompletesForEachArrival) {
  ring_->RecvMultishot(pair_[1], 7);
  std::vector<Uring::Completion> none;
  ASSERT_EQ(ring_->SubmitAndWait(50ms, none), 0);  // nothing yet: the wait times out
  EXPECT_TRUE(none.empty());
  for (std::string word : {"late", "later", "latest"}) {
    ASSERT_EQ(::write(pair_[0], word.data(), word.size()), static_cast<ssize_t>(word.size()));
    auto got = WaitFor(1);
    ASSERT_EQ(got.size(), 1u) << word;
    EXPECT_EQ(got[0].tag, 7u);
    EXPECT_TRUE(got[0].more);
    EXPECT_EQ(ring_->BufferBytes(got[0]), word);
    ring_->ReleaseBuffer(got[0].buffer);
  }
}

TEST_F(UringTest, AMultishotRecvEndsWithZeroWhenThePeerShutsDown) {
  ring_->RecvMultishot(pair_[1], 7);
  std::vector<Uring::Completion> none;
  ASSERT_EQ(ring_->SubmitAndWait(10ms, none), 0);
  ::shutdown(pair_[1], SHUT_RDWR);  // as the server's close of a connection does
  auto got = WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].result, 0);
  EXPECT_FALSE(got[0].more);
  EXPECT_EQ(got[0].buffer, -1);
}

TEST(UringBuffers, BytesLargerThanABufferArriveInSeveralAndRunningOutEndsTheRecv) {
  auto ring = Uring::Open(8, /*buffers=*/2, /*buffer_size=*/16);
  if (!ring) GTEST_SKIP() << "io_uring is unavailable here";
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  const std::string message(40, 'm');  // 16 + 16 + 8 bytes, with only two buffers
  ASSERT_EQ(::write(pair[0], message.data(), message.size()), 40);
  ring->RecvMultishot(pair[1], 3);
  std::vector<Uring::Completion> got;
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < give_up &&
         (got.empty() || got.back().more))  // until the receive has ended
    ASSERT_EQ(ring->SubmitAndWait(100ms, got), 0);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].result, 16);
  EXPECT_EQ(got[1].result, 16);
  EXPECT_NE(got[0].buffer, got[1].buffer);
  EXPECT_EQ(got[2].result, -ENOBUFS) << "no buffer left for the last 8 bytes";
  EXPECT_FALSE(got[2].more);
  std::string received(ring->BufferBytes(got[0]));
  received += ring->BufferBytes(got[1]);
  ring->ReleaseBuffer(got[0].buffer);
  ring->ReleaseBuffer(got[1].buffer);
  // Armed again with the buffers back, it gets the rest.
  got.clear();
  ring->RecvMultishot(pair[1], 4);
  while (got.empty() && std::chrono::steady_clock::now() < give_up)
    ASSERT_EQ(ring->SubmitAndWait(100ms, got), 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].result, 8);
  EXPECT_TRUE(got[0].more);
  received += ring->BufferBytes(got[0]);
  EXPECT_EQ(received, message);
  ring.reset();
  ::close(pair[0]);
  ::close(pair[1]);
}

TEST(UringBuffers, OpenRefusesBufferCountsThatAreNotAPowerOfTwo) {
  EXPECT_EQ(Uring::Open(8, 3, 16), nullptr);
  EXPECT_EQ(Uring::Open(8, 0, 16), nullptr);
  EXPECT_EQ(Uring::Open(8, 4, 0), nullptr);
}

TEST_F(UringTest, ASendToAClosedPeerIsAnErrorNotASignal) {
  ::close(pair_[1]);
  pair_[1] = -1;
  ring_->Send(pair_[0], "x", 1, 3);
  auto got = WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].result, -EPIPE);  // the test process is still here: no SIGPIPE
}

TEST_F(UringTest, CancelEndsAPendingOperation) {
  ring_->RecvMultishot(pair_[1], 40);
  std::vector<Uring::Completion> none;
  ASSERT_EQ(ring_->SubmitAndWait(10ms, none), 0);
  ring_->Cancel(40);
  auto got = WaitFor(2);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& c : got) {
    if (c.tag == 40) {
      EXPECT_EQ(c.result, -ECANCELED);
      EXPECT_FALSE(c.more);
    } else {
      EXPECT_EQ(c.tag, 0u) << "the cancellation's own completion has tag 0";
    }
  }
}

TEST_F(UringTest, MoreOperationsThanRingEntriesAreAllSubmitted) {
  constexpr int kCount = 50;  // the ring has 8 entries
  for (int i = 0; i < kCount; ++i) ring_->Send(pair_[0], "y", 1, 100 + i);
  auto got = WaitFor(kCount);
  ASSERT_EQ(got.size(), static_cast<size_t>(kCount));
  std::vector<bool> seen(kCount);
  for (const auto& c : got) {
    EXPECT_EQ(c.result, 1);
    ASSERT_GE(c.tag, 100u);
    seen[c.tag - 100] = true;
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), kCount);
  char buf[kCount + 1];
  EXPECT_EQ(::read(pair_[1], buf, sizeof buf), kCount);
}

TEST_F(UringTest, AcceptCompletesOncePerConnectionAndGoesOn) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 16), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);

  ring_->Accept(listener, 5);
  std::vector<int> clients;
  for (int i = 0; i < 3; ++i) {
    int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    clients.push_back(c);
  }
  auto got = WaitFor(3);
  ASSERT_EQ(got.size(), 3u);
  for (const auto& c : got) {
    EXPECT_EQ(c.tag, 5u);
    ASSERT_GE(c.result, 0) << std::strerror(-c.result);
    EXPECT_TRUE(c.more) << "one accept keeps accepting";
    ::close(c.result);
  }
  ring_->Cancel(5);
  auto ended = WaitFor(2);
  bool accept_ended = false;
  for (const auto& c : ended)
    if (c.tag == 5) accept_ended = !c.more && c.result == -ECANCELED;
  EXPECT_TRUE(accept_ended);
  for (int c : clients) ::close(c);
  ::close(listener);
}

TEST_F(UringTest, AReadOnAnEventfdWakesTheWaitFromAnotherThread) {
  int efd = ::eventfd(0, EFD_CLOEXEC);
  ASSERT_GE(efd, 0);
  uint64_t value = 0;
  ring_->Read(efd, &value, sizeof value, 9);
  std::thread poster([efd] {
    std::this_thread::sleep_for(50ms);
    const uint64_t one = 1;
    EXPECT_EQ(::write(efd, &one, sizeof one), 8);
  });
  std::vector<Uring::Completion> got;
  const auto start = std::chrono::steady_clock::now();
  while (got.empty() && std::chrono::steady_clock::now() - start < 5s)
    ASSERT_EQ(ring_->SubmitAndWait(10s, got), 0);
  poster.join();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].tag, 9u);
  EXPECT_EQ(got[0].result, 8);
  EXPECT_EQ(value, 1u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << "woken by the write, not the timeout";
  ::close(efd);
}

}  // namespace
}  // namespace iamd::server
