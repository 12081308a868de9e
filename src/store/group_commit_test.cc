#include "store/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace iamd::store {
namespace {

// A store that records batches and can be told to fail.
class FakeStore : public Store {
 public:
  Status Load(const std::function<Status(const model::Change&)>&) override { return {}; }
  Status Commit(std::span<const model::ChangeSet* const> batch) override {
    batches.fetch_add(1);
    sets.fetch_add(batch.size());
    if (delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    if (fail.load()) return Fail(ErrorCode::kServiceFailure, "disk full");
    return {};
  }
  std::atomic<int> batches{0};
  std::atomic<size_t> sets{0};
  std::atomic<bool> fail{false};
  int delay_ms = 0;
};

model::ChangeSet OneChange() { return {model::GroupRecord{"AGPA", "g", "/", 0}}; }

TEST(GroupCommitter, ReportsDurableAfterCommit) {
  FakeStore store;
  GroupCommitter gc(store, nullptr);
  uint64_t seq = gc.Submit(OneChange());
  EXPECT_EQ(seq, 1u);
  EXPECT_TRUE(gc.WaitDurable(seq));
  EXPECT_TRUE(gc.IsDurable(seq));
  EXPECT_EQ(gc.visible(), 1u);
}

TEST(GroupCommitter, EmptyChangeSetIsNotQueued) {
  FakeStore store;
  GroupCommitter gc(store, nullptr);
  EXPECT_EQ(gc.Submit({}), 0u);
  gc.Stop();
  EXPECT_EQ(store.batches.load(), 0);
}

TEST(GroupCommitter, ConcurrentWritersShareCommits) {
  FakeStore store;
  store.delay_ms = 2;  // a slow fsync lets a queue build up
  GroupCommitter gc(store, nullptr);
  std::vector<std::thread> writers;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < 25; ++i) ok += gc.WaitDurable(gc.Submit(OneChange()));
    });
  for (auto& w : writers) w.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(store.sets.load(), 200u);
  EXPECT_LT(store.batches.load(), 200);  // some commits carried several change sets
}

TEST(GroupCommitter, FailedCommitFailsItsWaitersAndCallsTheHandler) {
  FakeStore store;
  store.fail = true;
  std::atomic<int> failures{0};
  GroupCommitter* self = nullptr;
  GroupCommitter gc(store, [&](const Error& e) {
    EXPECT_EQ(e.message, "disk full");
    ++failures;
    self->FailPending();
  });
  self = &gc;
  uint64_t seq = gc.Submit(OneChange());
  EXPECT_FALSE(gc.WaitDurable(seq));
  EXPECT_FALSE(gc.IsDurable(seq));
  EXPECT_EQ(failures.load(), 1);
  EXPECT_EQ(gc.visible(), 0u);  // memory was rebuilt to the last durable state
  store.fail = false;
  uint64_t next = gc.Submit(OneChange());
  EXPECT_TRUE(gc.WaitDurable(next));
  EXPECT_FALSE(gc.WaitDurable(seq));  // a lost change stays lost
}

TEST(GroupCommitter, StopCommitsWhatIsQueued) {
  FakeStore store;
  store.delay_ms = 5;
  auto gc = std::make_unique<GroupCommitter>(store, nullptr);
  for (int i = 0; i < 10; ++i) gc->Submit(OneChange());
  gc.reset();
  EXPECT_EQ(store.sets.load(), 10u);
}

}  // namespace
}  // namespace iamd::store
