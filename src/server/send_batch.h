// Sends the responses that a worker thread has ready, several sockets at once.
//
// Why: on loopback a send wakes the client, and the kernel switches to it when the sending
// thread returns to user space. With one system call per response, a server that writes a
// burst of responses is preempted after each; with one system call for the burst (io_uring),
// at most once. The batch is a plain list of (socket, bytes); nothing here knows about HTTP.
//
// liburing stays behind this header: it is included by send_batch.cc only.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <span>

namespace iamd::server {

class SendBatch {
 public:
  struct Item {
    int fd;  // a connected, non-blocking stream socket; -1: not sent (result -EBADF)
    const char* data;
    size_t size;
  };

  // `use_io_uring`: try io_uring; where the kernel or a sandbox refuses it, and when false,
  // each item is one non-blocking send().
  explicit SendBatch(bool use_io_uring);
  ~SendBatch();
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  bool uses_io_uring() const;

  // Sends each item once, never blocking and never raising SIGPIPE. results[i] is the number
  // of bytes of item i the kernel took (possibly fewer than its size) or -errno (-EAGAIN when
  // its socket buffer is full). `results` has the size of `items`. Not thread-safe: one
  // SendBatch per thread.
  void Send(std::span<const Item> items, std::span<ssize_t> results);

 private:
  class Ring;
  std::unique_ptr<Ring> ring_;  // null: plain send()
};

}  // namespace iamd::server
