#include "server/uring.h"

#include <liburing.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace iamd::server {

struct Uring::State {
  io_uring ring{};
  bool open = false;
  // The receive buffers, provided to the kernel through a buffer ring (group 0): `count`
  // buffers of `size` bytes in `memory`; the ring of descriptors in `buf_ring` (mmap'ed: it
  // must be page-aligned).
  io_uring_buf_ring* buf_ring = nullptr;
  size_t buf_ring_bytes = 0;
  unsigned count = 0, size = 0;
  std::unique_ptr<char[]> memory;
  ~State() {
    if (open) io_uring_queue_exit(&ring);  // unregisters the buffer ring too
    if (buf_ring != nullptr) ::munmap(buf_ring, buf_ring_bytes);
  }
  void Provide(unsigned id) {
    io_uring_buf_ring_add(buf_ring, memory.get() + size_t{id} * size, size,
                          static_cast<unsigned short>(id), io_uring_buf_ring_mask(count), 0);
    io_uring_buf_ring_advance(buf_ring, 1);
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

// Registers `count` receive buffers of `size` bytes as buffer group 0 (Linux 5.19).
bool ProvideBuffers(Uring::State& state, unsigned count, unsigned size) {
  state.buf_ring_bytes = sizeof(io_uring_buf) * count;
  void* mem = ::mmap(nullptr, state.buf_ring_bytes, PROT_READ | PROT_WRITE,
                     MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (mem == MAP_FAILED) return false;
  state.buf_ring = static_cast<io_uring_buf_ring*>(mem);
  io_uring_buf_ring_init(state.buf_ring);
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<uintptr_t>(mem);
  reg.ring_entries = count;
  reg.bgid = 0;
  if (io_uring_register_buf_ring(&state.ring, &reg, 0) != 0) return false;
  state.count = count;
  state.size = size;
  state.memory = std::make_unique<char[]>(size_t{count} * size);
  for (unsigned id = 0; id < count; ++id) state.Provide(id);
  return true;
}

// A multishot receive on one end of a socket pair gets a byte written to the other end and
// stays armed (Linux 6.0); then the pair is shut down, which ends it.
bool ReceivesMultishot(Uring::State& state) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return false;
  io_uring& ring = state.ring;
  bool ok = false;
  if (io_uring_sqe* sqe = io_uring_get_sqe(&ring)) {
    io_uring_prep_recv_multishot(sqe, pair[1], nullptr, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = 0;
    io_uring_sqe_set_data64(sqe, 2);
    ok = ::write(pair[0], "x", 1) == 1;
    __kernel_timespec ts{.tv_sec = 1, .tv_nsec = 0};
    io_uring_cqe* cqe = nullptr;
    if (ok && io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, nullptr) >= 0 && cqe) {
      ok = io_uring_cqe_get_data64(cqe) == 2 && cqe->res == 1 &&
           (cqe->flags & IORING_CQE_F_BUFFER) && (cqe->flags & IORING_CQE_F_MORE);
      if (cqe->flags & IORING_CQE_F_BUFFER) state.Provide(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
      io_uring_cqe_seen(&ring, cqe);
    } else {
      ok = false;
    }
    ::shutdown(pair[1], SHUT_RDWR);
    while (io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, nullptr) >= 0 && cqe) {
      const bool last = !(cqe->flags & IORING_CQE_F_MORE);
      if (cqe->flags & IORING_CQE_F_BUFFER) state.Provide(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
      io_uring_cqe_seen(&ring, cqe);
      if (last) break;
    }
  }
  ::close(pair[0]);
  ::close(pair[1]);
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

std::unique_ptr<Uring> Uring::Open(unsigned entries, unsigned buffers, unsigned buffer_size) {
  if (buffers == 0 || buffers > 32768 || (buffers & (buffers - 1)) != 0 || buffer_size == 0)
    return nullptr;
  for (unsigned flags : kSetupFlags) {
    auto state = std::make_unique<State>();
    io_uring_params params{};
    params.flags = flags;
    if (io_uring_queue_init_params(entries, &state->ring, &params) != 0) continue;
    state->open = true;
    if (!(params.features & IORING_FEAT_NODROP) || !(params.features & IORING_FEAT_EXT_ARG) ||
        !Supports(state->ring) || !RoundTrips(state->ring) ||
        !ProvideBuffers(*state, buffers, buffer_size) || !ReceivesMultishot(*state))
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

void Uring::RecvMultishot(int fd, uint64_t tag) {
  auto* sqe = static_cast<io_uring_sqe*>(NextEntry());
  io_uring_prep_recv_multishot(sqe, fd, nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = 0;
  io_uring_sqe_set_data64(sqe, tag);
}

std::string_view Uring::BufferBytes(const Completion& c) const {
  if (c.buffer < 0 || c.result <= 0) return {};
  return {state_->memory.get() + size_t(c.buffer) * state_->size, size_t(c.result)};
}

void Uring::ReleaseBuffer(int32_t buffer) {
  if (buffer >= 0 && unsigned(buffer) < state_->count) state_->Provide(unsigned(buffer));
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
    const int32_t buffer = (cqe->flags & IORING_CQE_F_BUFFER)
                               ? static_cast<int32_t>(cqe->flags >> IORING_CQE_BUFFER_SHIFT)
                               : -1;
    out.push_back({io_uring_cqe_get_data64(cqe), cqe->res, (cqe->flags & IORING_CQE_F_MORE) != 0,
                   buffer});
  }
  io_uring_cq_advance(&ring, seen);
  return 0;
}

}  // namespace iamd::server
