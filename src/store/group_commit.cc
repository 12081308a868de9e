#include "store/group_commit.h"

#include <future>

namespace iamd::store {

GroupCommitter::GroupCommitter(Store& store, FailureHandler on_failure)
    : store_(store), on_failure_(std::move(on_failure)), thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() { Stop(); }

uint64_t GroupCommitter::Submit(model::ChangeSet changes) {
  std::lock_guard lock(mu_);
  if (changes.empty()) return visible_;
  uint64_t seq = next_seq_++;
  queue_.emplace_back(seq, std::move(changes));
  visible_ = seq;
  work_.notify_one();
  return seq;
}

uint64_t GroupCommitter::visible() const { return visible_.load(std::memory_order_acquire); }

uint64_t GroupCommitter::commits() const {
  std::lock_guard lock(mu_);
  return commits_;
}

void GroupCommitter::WhenDurable(uint64_t seq, Done done) {
  if (IsDurable(seq)) return done(true);
  bool ok;
  {
    std::lock_guard lock(mu_);
    if (seq > resolved_) {
      waiters_[seq].push_back(std::move(done));
      return;
    }
    ok = true;
    for (const auto& [first, last] : failed_)
      if (seq >= first && seq <= last) ok = false;
  }
  done(ok);
}

bool GroupCommitter::WaitDurable(uint64_t seq) {
  std::promise<bool> promise;
  auto future = promise.get_future();
  WhenDurable(seq, [&promise](bool ok) { promise.set_value(ok); });
  return future.get();
}

void GroupCommitter::Resolve(uint64_t upto, bool ok) {
  std::vector<Done> ready;
  {
    std::lock_guard lock(mu_);
    if (upto <= resolved_) return;
    if (!ok) failed_.emplace_back(resolved_ + 1, upto);
    resolved_ = upto;
    // The lock-free hint covers the common case, a history without failures; after a failure
    // every check takes the lock and consults failed_.
    if (ok && failed_.empty()) durable_hint_.store(upto, std::memory_order_release);
    while (!waiters_.empty() && waiters_.begin()->first <= upto) {
      for (auto& d : waiters_.begin()->second) ready.push_back(std::move(d));
      waiters_.erase(waiters_.begin());
    }
  }
  for (auto& d : ready) d(ok);
}

void GroupCommitter::FailPending() {
  uint64_t upto;
  {
    std::lock_guard lock(mu_);
    queue_.clear();
    upto = next_seq_ - 1;
    // After the rebuild, memory shows what the store holds: the last durable change.
    visible_ = last_durable_;
  }
  Resolve(upto, false);
}

void GroupCommitter::Run() {
  std::vector<std::pair<uint64_t, model::ChangeSet>> batch;
  std::vector<const model::ChangeSet*> sets;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      batch.swap(queue_);
    }
    sets.clear();
    for (const auto& [seq, changes] : batch) sets.push_back(&changes);
    uint64_t last = batch.back().first;
    Status committed = store_.Commit(sets);
    batch.clear();
    if (committed) {
      {
        std::lock_guard lock(mu_);
        ++commits_;
        last_durable_ = last;
      }
      Resolve(last, true);
    } else {
      // The handler rebuilds memory and fails everything pending (FailPending) before any
      // waiter hears of the failure, so nobody acts on the lost state in between.
      if (on_failure_) on_failure_(committed.error());
      Resolve(last, false);
    }
  }
}

void GroupCommitter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    work_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace iamd::store
