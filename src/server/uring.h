// One thread's io_uring: socket operations queued without a system call each, then submitted
// together with the wait for their completions (one io_uring_enter per turn of the thread's
// event loop).
//
// Why: on this project's target machines a system call costs 1.5-2 us of entry and exit
// (measured on the 2-core VM the benchmarks run on: getppid 1.5 us, an empty recv 1.9 us), as
// much as the rest of a signed GetRole. A server on epoll pays one epoll_wait per turn plus one
// recv and one send per request; on io_uring, one enter per turn, whatever the number of
// requests in it.
//
// liburing stays behind this header: it is included by uring.cc only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace iamd::server {

class Uring {
 public:
  // What an operation left: its tag, its result (as the system call's, -errno on failure),
  // whether it will complete again (a multishot accept or receive) and, for a receive that
  // got bytes, which of the ring's receive buffers holds them (-1: none).
  struct Completion {
    uint64_t tag;
    int32_t result;
    bool more;
    int32_t buffer = -1;
  };

  // A ring of `entries` submissions (completions: twice as many, and none are dropped when
  // they overflow) and `buffers` receive buffers of `buffer_size` bytes each (a power of two
  // up to 32768 buffers), or null where io_uring is unavailable (before Linux 6.0, seccomp,
  // kernel.io_uring_disabled), lacks an operation used here, or fails a round trip of a no-op
  // and of a multishot receive.
  // The ring belongs to the calling thread: only that thread may queue, submit or wait (it
  // may be destroyed anywhere).
  static std::unique_ptr<Uring> Open(unsigned entries, unsigned buffers = 64,
                                     unsigned buffer_size = 2048);
  ~Uring();
  Uring(const Uring&) = delete;
  Uring& operator=(const Uring&) = delete;

  // Queue an operation; nothing reaches the kernel before Submit or Wait. `tag` comes back in
  // its completion (and names it for Cancel). Buffers must stay valid until it completes.
  // Accept: connections on listening socket `fd`, as blocking, close-on-exec sockets; each
  // connection is a completion with the new descriptor, until one without `more`.
  void Accept(int fd, uint64_t tag);
  // RecvMultishot: one receive that stays armed. Each arrival of bytes on `fd` completes it
  // with `more` set, the bytes in one of the ring's buffers (Completion::buffer, read them with
  // BufferBytes, then give the buffer back with ReleaseBuffer); it ends (a completion without
  // `more`) with 0 when the peer has closed, with -ENOBUFS when every buffer was in use (arm
  // it again once some are released), with -ECANCELED after Cancel, or with another error.
  void RecvMultishot(int fd, uint64_t tag);
  // Never raises SIGPIPE; may complete with fewer bytes than `size` (send the rest again).
  void Send(int fd, const void* data, size_t size, uint64_t tag);
  void Read(int fd, void* data, size_t size, uint64_t tag);
  // Asks that the operations tagged `tag` end early (they complete with -ECANCELED). The
  // cancellation's own completion carries tag 0.
  void Cancel(uint64_t tag);

  // The bytes a receive's completion left in its buffer; valid until ReleaseBuffer.
  std::string_view BufferBytes(const Completion& c) const;
  // Hands a receive buffer back to the kernel (every buffer a completion names, once).
  void ReleaseBuffer(int32_t buffer);

  // Submits everything queued and waits until at least one completion is there or `timeout`
  // has passed, then appends every completion there is to `out`. Returns 0, or -errno of a
  // failed io_uring_enter (-EINTR: try again).
  int SubmitAndWait(std::chrono::nanoseconds timeout, std::vector<Completion>& out);

  struct State;  // liburing's ring and the receive buffers, in uring.cc

 private:
  explicit Uring(std::unique_ptr<State> state);
  void* NextEntry();  // submits when the submission queue is full
  std::unique_ptr<State> state_;
};

}  // namespace iamd::server
