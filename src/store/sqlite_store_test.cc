#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

// Security by default: the database and its WAL hold sealed secrets and password hashes.
TEST_F(SqliteStoreTest, DatabaseAndWalAreOwnerOnlyEvenIfTheFileWasNot) {
  { std::ofstream(path_) << ""; }  // an existing file, created world-readable
  std::filesystem::permissions(path_, std::filesystem::perms(0644));
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store) << store.error().message;
  model::ChangeSet set{SampleRole()};
  const model::ChangeSet* batch[] = {&set};
  ASSERT_TRUE((*store)->Commit(batch));
  for (const std::string& file : {path_, path_ + "-wal"}) {
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
              std::filesystem::perms(0600))
        << file;
  }
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

model::OidcProviderRecord SampleOidcProvider() {
  model::OidcProviderRecord r;
  r.url = "token.actions.githubusercontent.com";
  r.create_millis = 1795826565000;
  r.client_ids = {"sts.amazonaws.com", "other"};
  r.thumbprints = {std::string(40, 'a'), std::string(40, 'b')};
  r.tags = {{"team", "ci"}};
  return r;
}

TEST_F(SqliteStoreTest, OidcProvidersRoundTripInOrder) {
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    model::ChangeSet set{SampleOidcProvider()};
    model::OidcProviderRecord changed = SampleOidcProvider();
    changed.client_ids = {"other", "third"};
    changed.thumbprints.pop_back();
    model::ChangeSet update{changed};
    const model::ChangeSet* batch[] = {&set, &update};
    ASSERT_TRUE((*store)->Commit(batch));
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store);
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 1u);
  const auto& p = std::get<model::OidcProviderRecord>(loaded[0]);
  EXPECT_EQ(p.url, "token.actions.githubusercontent.com");
  EXPECT_EQ(p.create_millis, 1795826565000);
  EXPECT_EQ(p.client_ids, (std::vector<std::string>{"other", "third"}));
  EXPECT_EQ(p.thumbprints, std::vector<std::string>{std::string(40, 'a')});
  EXPECT_EQ(p.tags, (model::Tags{{"team", "ci"}}));
}

TEST_F(SqliteStoreTest, RemovedOidcProviderLeavesNoRows) {
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store);
  model::ChangeSet put{SampleOidcProvider()};
  model::ChangeSet del{
      model::Removed<model::OidcProviderKey>{{"token.actions.githubusercontent.com"}}};
  const model::ChangeSet* batch[] = {&put, &del};
  ASSERT_TRUE((*store)->Commit(batch));
  EXPECT_TRUE(LoadAll(**store).empty());
  // Re-creating it starts from empty lists and tags (nothing left behind by the removal).
  model::OidcProviderRecord bare;
  bare.url = "token.actions.githubusercontent.com";
  model::ChangeSet again{bare};
  const model::ChangeSet* batch2[] = {&again};
  ASSERT_TRUE((*store)->Commit(batch2));
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 1u);
  const auto& p = std::get<model::OidcProviderRecord>(loaded[0]);
  EXPECT_TRUE(p.client_ids.empty());
  EXPECT_TRUE(p.thumbprints.empty());
  EXPECT_TRUE(p.tags.empty());
}

// A database written by the previous schema (version 2, before OIDC providers) is migrated
// in place: its rows stay, and providers can then be stored.
TEST_F(SqliteStoreTest, MigratesAVersion2Database) {
  ASSERT_EQ(SqliteSchemaVersion(), 3);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    // Schema version 2 exactly as migrations 0->1 and 1->2 left it (only the tables this test
    // reads need their rows; the others exist so the file is a real version-2 database).
    const char* v2 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta VALUES ('schema_version', '2');
CREATE TABLE roles (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, create_ms INTEGER NOT NULL,
  trust_policy TEXT NOT NULL, description TEXT, max_session INTEGER NOT NULL,
  boundary_arn TEXT NOT NULL, last_used_ms INTEGER NOT NULL, last_used_region TEXT NOT NULL,
  trust_principal_ids TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX roles_name ON roles(lower(name));
CREATE TABLE instance_profiles (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, create_ms INTEGER NOT NULL,
  role_id TEXT NOT NULL);
CREATE TABLE policies (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, description TEXT,
  create_ms INTEGER NOT NULL, update_ms INTEGER NOT NULL, default_version TEXT NOT NULL,
  next_version INTEGER NOT NULL);
CREATE TABLE policy_versions (
  policy_id TEXT NOT NULL, version_id TEXT NOT NULL, document TEXT NOT NULL,
  create_ms INTEGER NOT NULL, PRIMARY KEY (policy_id, version_id));
CREATE TABLE inline_policies (
  owner_kind INTEGER NOT NULL, owner_id TEXT NOT NULL, name_key TEXT NOT NULL, name TEXT NOT NULL,
  document TEXT NOT NULL, PRIMARY KEY (owner_kind, owner_id, name_key));
CREATE TABLE attachments (
  owner_kind INTEGER NOT NULL, owner_id TEXT NOT NULL, policy_arn TEXT NOT NULL,
  seq INTEGER PRIMARY KEY AUTOINCREMENT, UNIQUE (owner_kind, owner_id, policy_arn));
CREATE TABLE users (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, create_ms INTEGER NOT NULL,
  boundary_arn TEXT NOT NULL, password_last_used_ms INTEGER NOT NULL);
CREATE TABLE groups_ (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, create_ms INTEGER NOT NULL);
CREATE TABLE group_members (
  group_id TEXT NOT NULL, user_id TEXT NOT NULL, seq INTEGER PRIMARY KEY AUTOINCREMENT,
  UNIQUE (group_id, user_id));
CREATE TABLE access_keys (
  key_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, active INTEGER NOT NULL,
  create_ms INTEGER NOT NULL, secret_sealed BLOB NOT NULL, last_used_ms INTEGER NOT NULL,
  last_used_service TEXT NOT NULL, last_used_region TEXT NOT NULL);
CREATE TABLE login_profiles (
  user_id TEXT PRIMARY KEY, create_ms INTEGER NOT NULL, password_hash TEXT NOT NULL,
  reset_required INTEGER NOT NULL);
CREATE TABLE deletion_tasks (id TEXT PRIMARY KEY, status TEXT NOT NULL, create_ms INTEGER NOT NULL);
CREATE TABLE tags (
  entity_id TEXT NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (entity_id, position));
INSERT INTO roles VALUES ('AROAAAAAAAAAAAAAAAAAA', 'ray-head', '/', 1795826565000, '{}', NULL,
  3600, '', 0, '', '');
INSERT INTO tags VALUES ('AROAAAAAAAAAAAAAAAAAA', 0, 'team', 'ray');
)sql";
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, v2, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_close(db);
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store) << store.error().message;
  model::ChangeSet set{SampleOidcProvider()};
  const model::ChangeSet* batch[] = {&set};
  ASSERT_TRUE((*store)->Commit(batch));
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 2u);
  const auto& role = std::get<model::RoleRecord>(loaded[0]);
  EXPECT_EQ(role.name, "ray-head");
  EXPECT_EQ(role.tags, (model::Tags{{"team", "ray"}}));
  EXPECT_EQ(std::get<model::OidcProviderRecord>(loaded[1]).client_ids,
            (std::vector<std::string>{"sts.amazonaws.com", "other"}));
}

}  // namespace
}  // namespace iamd::store
