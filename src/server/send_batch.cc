#include "server/send_batch.h"

#include <liburing.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace iamd::server {
namespace {

constexpr unsigned kRingEntries = 256;  // sends per system call; larger batches take several
constexpr int kSendFlags = MSG_DONTWAIT | MSG_NOSIGNAL;

ssize_t PlainSend(const SendBatch::Item& item) {
  if (item.fd < 0) return -EBADF;
  ssize_t n;
  do {
    n = ::send(item.fd, item.data, item.size, kSendFlags);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : n;
}

}  // namespace

class SendBatch::Ring {
 public:
  // Null where io_uring is unavailable (old kernel, seccomp, io_uring_disabled) or cannot send.
  static std::unique_ptr<Ring> Open() {
    auto ring = std::unique_ptr<Ring>(new Ring);
    if (io_uring_queue_init(kRingEntries, &ring->ring_, 0) != 0) return nullptr;
    ring->open_ = true;
    io_uring_probe* probe = io_uring_get_probe_ring(&ring->ring_);
    bool can_send = probe && io_uring_opcode_supported(probe, IORING_OP_SEND);
    if (probe) io_uring_free_probe(probe);
    if (!can_send) return nullptr;
    return ring;
  }
  ~Ring() {
    if (open_) io_uring_queue_exit(&ring_);
  }

  void Send(std::span<const Item> items, std::span<ssize_t> results) {
    size_t done = 0;
    while (done < items.size()) {
      const size_t count = std::min<size_t>(items.size() - done, kRingEntries);
      unsigned queued = 0;
      for (size_t i = done; i < done + count; ++i) {
        if (items[i].fd < 0) {
          results[i] = -EBADF;
          continue;
        }
        io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
        // With MSG_DONTWAIT a full socket completes at once with -EAGAIN instead of being
        // parked until it drains: the caller finishes such a write through its event loop.
        io_uring_prep_send(sqe, items[i].fd, items[i].data, items[i].size, kSendFlags);
        io_uring_sqe_set_data64(sqe, i);
        ++queued;
      }
      // Until a completion says otherwise, an item counts as failed: a ring error (which
      // does not happen while every completion is reaped, as here) then closes the connections
      // it concerns instead of leaving their responses half known.
      for (size_t i = done; i < done + count; ++i)
        if (items[i].fd >= 0) results[i] = -EIO;
      int submitted = 0;
      if (queued != 0) {
        do {
          submitted = io_uring_submit_and_wait(&ring_, queued);
        } while (submitted == -EINTR);
        if (submitted < 0) {
          broken_ = true;
          return;
        }
      }
      for (unsigned reaped = 0; reaped < queued; ++reaped) {
        io_uring_cqe* cqe = nullptr;
        int rc;
        do {
          rc = io_uring_wait_cqe(&ring_, &cqe);
        } while (rc == -EINTR);
        if (rc != 0) {
          broken_ = true;  // completions may be left behind: never read this ring again
          return;
        }
        const uint64_t index = io_uring_cqe_get_data64(cqe);
        if (index < items.size()) results[index] = cqe->res;
        io_uring_cqe_seen(&ring_, cqe);
      }
      done += count;
    }
  }

 private:
  Ring() = default;
  io_uring ring_{};
  bool open_ = false;

 public:
  bool broken_ = false;  // after a ring error: plain send() from then on
};

SendBatch::SendBatch(bool use_io_uring) {
  if (use_io_uring) ring_ = Ring::Open();
}

SendBatch::~SendBatch() = default;

bool SendBatch::uses_io_uring() const { return ring_ != nullptr; }

void SendBatch::Send(std::span<const Item> items, std::span<ssize_t> results) {
  if (ring_ && !ring_->broken_) return ring_->Send(items, results);
  for (size_t i = 0; i < items.size(); ++i) results[i] = PlainSend(items[i]);
}

}  // namespace iamd::server
