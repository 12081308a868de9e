#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"

namespace iamd::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("iamd-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "iamd.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<model::Change> LoadAll(Store& store) {
    std::vector<model::Change> out;
    EXPECT_TRUE(store.Load([&](const model::Change& c) -> Status {
      out.push_back(c);
      return {};
    }));
    return out;
  }

  std::filesystem::path dir_;
  std::string path_;
};

model::RoleRecord SampleRole() {
  model::RoleRecord r;
  r.id = "AROAAAAAAAAAAAAAAAAAA";
  r.name = "ray-head";
  r.path = "/";
  r.create_millis = 1795826565000;
  r.trust_policy = "{\"Version\": \"2008-10-17\"}\n";
  r.description = "head node";
  r.tags = {{"team", "ray"}, {"env", ""}};
  return r;
}

TEST_F(SqliteStoreTest, CommittedRecordsSurviveReopen) {
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    model::ChangeSet set{SampleRole(),
                         model::InlinePolicyRecord{model::OwnerKind::kRole,
                                                   "AROAAAAAAAAAAAAAAAAAA", "p", "{}"},
                         model::AttachmentRecord{model::OwnerKind::kRole, "AROAAAAAAAAAAAAAAAAAA",
                                                 "arn:aws:iam::aws:policy/AmazonS3FullAccess"}};
    const model::ChangeSet* batch[] = {&set};
    ASSERT_TRUE((*store)->Commit(batch));
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store);
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 3u);
  const auto& role = std::get<model::RoleRecord>(loaded[0]);
  EXPECT_EQ(role.name, "ray-head");
  EXPECT_EQ(role.trust_policy, "{\"Version\": \"2008-10-17\"}\n");
  EXPECT_EQ(role.description, "head node");
  EXPECT_EQ(role.tags, (model::Tags{{"team", "ray"}, {"env", ""}}));
  EXPECT_EQ(std::get<model::InlinePolicyRecord>(loaded[1]).name, "p");
  EXPECT_EQ(std::get<model::AttachmentRecord>(loaded[2]).policy_arn,
            "arn:aws:iam::aws:policy/AmazonS3FullAccess");
}

TEST_F(SqliteStoreTest, RemovalsDeleteRowsAndTags) {
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store);
  model::ChangeSet put{SampleRole()};
  model::ChangeSet del{model::Removed<model::RoleKey>{{"AROAAAAAAAAAAAAAAAAAA"}}};
  const model::ChangeSet* batch[] = {&put, &del};
  ASSERT_TRUE((*store)->Commit(batch));
  EXPECT_TRUE(LoadAll(**store).empty());
}

TEST_F(SqliteStoreTest, InlinePolicyNamesAreKeyedIgnoringCase) {
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store);
  model::ChangeSet set{SampleRole(),
                       model::InlinePolicyRecord{model::OwnerKind::kRole, "AROAAAAAAAAAAAAAAAAAA",
                                                 "Policy", "{1}"},
                       model::InlinePolicyRecord{model::OwnerKind::kRole, "AROAAAAAAAAAAAAAAAAAA",
                                                 "policy", "{2}"}};
  const model::ChangeSet* batch[] = {&set};
  ASSERT_TRUE((*store)->Commit(batch));
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(std::get<model::InlinePolicyRecord>(loaded[1]).document, "{2}");
}

TEST_F(SqliteStoreTest, FailedBatchWritesNothing) {
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store);
  model::RoleRecord clash = SampleRole();
  clash.id = "AROABBBBBBBBBBBBBBBBB";  // same name, other ID: violates the unique name index
  model::ChangeSet first{SampleRole()};
  model::ChangeSet second{clash};
  const model::ChangeSet* batch[] = {&first, &second};
  EXPECT_FALSE((*store)->Commit(batch));
  EXPECT_TRUE(LoadAll(**store).empty());
}

TEST_F(SqliteStoreTest, SchemaVersionIsRecorded) {
  { ASSERT_TRUE(OpenSqliteStore(path_)); }
  // Reopening an up-to-date database runs no migration and succeeds.
  EXPECT_TRUE(OpenSqliteStore(path_));
  EXPECT_GE(SqliteSchemaVersion(), 1);
}

TEST_F(SqliteStoreTest, SecondOpenOfTheSameFileIsRefused) {
  auto first = OpenSqliteStore(path_);
  ASSERT_TRUE(first);
  model::ChangeSet set{SampleRole()};
  const model::ChangeSet* batch[] = {&set};
  ASSERT_TRUE((*first)->Commit(batch));  // takes the exclusive lock
  auto second = OpenSqliteStore(path_);
  EXPECT_FALSE(second && (*second)->Load([](const model::Change&) -> Status { return {}; }));
}

}  // namespace
}  // namespace iamd::store
