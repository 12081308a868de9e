#include "server/uring.h"

#include <liburing.h>
#include <sys/socket.h>

#include <cerrno>

namespace iamd::server {

struct Uring::State {
  io_uring ring{};
  bool open = false;
  ~State() {
    if (open) io_uring_queue_exit(&ring);
  }
};

namespace {

// The settings worth having, best first: completions run only when the owning thread asks for
// them (no interruption of the thread while it handles requests; Linux 6.1), then cooperative
// task running (5.19). Older kernels (no multishot accept either) get no ring.
constexpr unsigned kSetupFlags[] = {
    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    IORING_SETUP_COOP_TASKRUN,
};

// One no-op through the ring and back: a ring that the kernel created but cannot run (some
// sandboxes and emulators) is found here rather than by the first connection.
bool RoundTrips(io_uring& ring) {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring);
  if (sqe == nullptr) return false;
  io_uring_prep_nop(sqe);
  io_uring_sqe_set_data64(sqe, 1);
  __kernel_timespec ts{.tv_sec = 1, .tv_nsec = 0};
  io_uring_cqe* cqe = nullptr;
  if (io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, nullptr) < 0 || cqe == nullptr)
    return false;
  const bool ok = io_uring_cqe_get_data64(cqe) == 1 && cqe->res == 0;
  io_uring_cqe_seen(&ring, cqe);
  return ok;
}

bool Supports(io_uring& ring) {
  io_uring_probe* probe = io_uring_get_probe_ring(&ring);
  if (probe == nullptr) return false;
  bool ok = true;
  for (int op :
       {IORING_OP_ACCEPT, IORING_OP_RECV, IORING_OP_SEND, IORING_OP_READ, IORING_OP_ASYNC_CANCEL})
    ok = ok && io_uring_opcode_supported(probe, op);
  io_uring_free_probe(probe);
  return ok;
}

}  // namespace

std::unique_ptr<Uring> Uring::Open(unsigned entries) {
  for (unsigned flags : kSetupFlags) {
    auto state = std::make_unique<State>();
    io_uring_params params{};
    params.flags = flags;
    if (io_uring_queue_init_params(entries, &state->ring, &params) != 0) continue;
    state->open = true;
    if (!(params.features & IORING_FEAT_NODROP) || !(params.features & IORING_FEAT_EXT_ARG) ||
        !Supports(state->ring) || !RoundTrips(state->ring))
      return nullptr;
    return std::unique_ptr<Uring>(new Uring(std::move(state)));
  }
  return nullptr;
}

Uring::Uring(std::unique_ptr<State> state) : state_(std::move(state)) {}
Uring::~Uring() = default;

void* Uring::NextEntry() {
  io_uring_sqe* sqe = io_uring_get_sqe(&state_->ring);
  while (sqe == nullptr) {
    io_uring_submit(&state_->ring);
    sqe = io_uring_get_sqe(&state_->ring);
  }
  return sqe;
}

void Uring::Accept(int fd, uint64_t tag) {
  auto* sqe = static_cast<io_uring_sqe*>(NextEntry());
  io_uring_prep_multishot_accept(sqe, fd, nullptr, nullptr, SOCK_CLOEXEC);
  io_uring_sqe_set_data64(sqe, tag);
}

void Uring::Recv(int fd, void* data, size_t size, uint64_t tag) {
  auto* sqe = static_cast<io_uring_sqe*>(NextEntry());
  io_uring_prep_recv(sqe, fd, data, size, 0);
  io_uring_sqe_set_data64(sqe, tag);
}

void Uring::Send(int fd, const void* data, size_t size, uint64_t tag) {
  auto* sqe = static_cast<io_uring_sqe*>(NextEntry());
  io_uring_prep_send(sqe, fd, data, size, MSG_NOSIGNAL);
  io_uring_sqe_set_data64(sqe, tag);
}

void Uring::Read(int fd, void* data, size_t size, uint64_t tag) {
  auto* sqe = static_cast<io_uring_sqe*>(NextEntry());
  io_uring_prep_read(sqe, fd, data, static_cast<unsigned>(size), 0);
  io_uring_sqe_set_data64(sqe, tag);
}

void Uring::Cancel(uint64_t tag) {
  auto* sqe = static_cast<io_uring_sqe*>(NextEntry());
  io_uring_prep_cancel64(sqe, tag, IORING_ASYNC_CANCEL_ALL);
  io_uring_sqe_set_data64(sqe, 0);
}

int Uring::SubmitAndWait(std::chrono::nanoseconds timeout, std::vector<Completion>& out) {
  io_uring& ring = state_->ring;
  __kernel_timespec ts{};
  if (timeout.count() > 0) {
    ts.tv_sec = timeout.count() / 1'000'000'000;
    ts.tv_nsec = timeout.count() % 1'000'000'000;
  }
  io_uring_cqe* first = nullptr;
  int rc = io_uring_submit_and_wait_timeout(&ring, &first, 1, &ts, nullptr);
  if (rc < 0 && rc != -ETIME) return rc;
  unsigned head;
  unsigned seen = 0;
  io_uring_cqe* cqe;
  io_uring_for_each_cqe(&ring, head, cqe) {
    ++seen;
    out.push_back({io_uring_cqe_get_data64(cqe), cqe->res, (cqe->flags & IORING_CQE_F_MORE) != 0});
  }
  io_uring_cq_advance(&ring, seen);
  return 0;
}

}  // namespace iamd::server
