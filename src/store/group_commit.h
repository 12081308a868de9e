// Group commit: many writers, one durable transaction per round.
//
// Writers apply a change set to the in-memory model and `Submit` it while holding the model's
// write lock, so sequence numbers follow the order of the changes in memory. A single committer
// thread takes everything queued, commits it to the Store in one transaction, and then reports
// every sequence number in it as durable (or, if the commit failed, as failed). While one
// transaction is being synced, the next one fills up: durability does not cost throughput.
//
// Thread-safety: all public members are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
#include "model/records.h"
#include "store/store.h"

namespace iamd::store {

class GroupCommitter {
 public:
  // Called on the committer thread after a commit failed, before any waiter is told. It should
  // rebuild the in-memory model from the store (which still holds the last good state) and
  // call `FailPending` under the model's write lock.
  using FailureHandler = std::function<void(const Error&)>;
  using Done = std::function<void(bool durable)>;

  GroupCommitter(Store& store, FailureHandler on_failure);
  ~GroupCommitter();  // commits what is queued, then stops
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues a change set and returns its sequence number (1, 2, ...). An empty set is not queued
  // and returns visible().
  uint64_t Submit(model::ChangeSet changes);
  // The sequence number of the newest change the in-memory model shows: a reader that saw the
  // model waits for this one before answering. Read it under the model's lock.
  uint64_t visible() const;
  // Calls `done(true)` once everything up to `seq` is durable, or `done(false)` if it was lost
  // to a failed commit. Calls it at once, on this thread, when that is already known.
  void WhenDurable(uint64_t seq, Done done);
  // True if `seq` is known to be durable (a lock-free check for the common case).
  bool IsDurable(uint64_t seq) const {
    return seq <= durable_hint_.load(std::memory_order_acquire);
  }
  // Blocks until `seq` is durable (true) or failed (false).
  bool WaitDurable(uint64_t seq);
  // Fails every queued, not yet committed change set (after a failed commit, before the model
  // is rebuilt). Call with the model's write lock held.
  void FailPending();
  // Commits what is queued and stops the thread. Idempotent.
  void Stop();

  uint64_t commits() const;  // transactions committed so far (for tests and metrics)

 private:
  void Run();
  void Resolve(uint64_t upto, bool ok);

  Store& store_;
  FailureHandler on_failure_;
  mutable std::mutex mu_;
  std::condition_variable work_;
  std::vector<std::pair<uint64_t, model::ChangeSet>> queue_;
  std::map<uint64_t, std::vector<Done>> waiters_;
  uint64_t next_seq_ = 1;
  std::atomic<uint64_t> visible_{0};  // newest change applied to memory and not failed
  // Every sequence number <= durable_hint_ is durable (frozen after the first failure).
  std::atomic<uint64_t> durable_hint_{0};
  uint64_t last_durable_ = 0;  // the newest change committed
  uint64_t resolved_ = 0;  // every sequence number <= resolved_ is durable or failed
  std::vector<std::pair<uint64_t, uint64_t>> failed_;  // [first, last] ranges lost to failures
  uint64_t commits_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace iamd::store
