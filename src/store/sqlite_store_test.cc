#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <tuple>

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

  // What a freshly opened store on the same file loads.
  std::vector<model::Change> LoadReopened() {
    auto store = OpenSqliteStore(path_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? LoadAll(**store) : std::vector<model::Change>{};
  }

  // Runs SQL on the file directly (not through a store): rows an older version wrote.
  void ExecSql(const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  // A file left at schema `version`, holding the rows `sql` inserts.
  void MakeOldFile(int version, const char* sql) {
    {
      auto old = OpenSqliteStore(path_, {.durable = false, .schema_version = version});
      ASSERT_TRUE(old) << old.error().message;
    }
    ExecSql(sql);
  }

  // The one number a query such as "SELECT count(*) FROM tags" returns.
  int64_t QueryNumber(const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
      n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
  }

  // Commits the change sets as one batch.
  static Status Commit(Store& store, std::initializer_list<const model::ChangeSet*> sets) {
    const std::vector<const model::ChangeSet*> batch(sets);
    return store.Commit(batch);
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
    model::ChangeSet set{
        SampleRole(),
        model::InlinePolicyRecord{model::OwnerKind::kRole, "AROAAAAAAAAAAAAAAAAAA", "p", "{}"},
        model::AttachmentRecord{model::OwnerKind::kRole, "AROAAAAAAAAAAAAAAAAAA",
                                "arn:aws:iam::aws:policy/AmazonS3FullAccess"}};
    ASSERT_TRUE(Commit(**store, {&set}));
  }
  auto loaded = LoadReopened();
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
  ASSERT_TRUE(Commit(**store, {&set}));
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
  ASSERT_TRUE(Commit(**store, {&put, &del}));
  EXPECT_TRUE(LoadAll(**store).empty());
}

TEST_F(SqliteStoreTest, InlinePolicyNamesAreKeyedIgnoringCase) {
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store);
  model::ChangeSet set{
      SampleRole(),
      model::InlinePolicyRecord{model::OwnerKind::kRole, "AROAAAAAAAAAAAAAAAAAA", "Policy", "{1}"},
      model::InlinePolicyRecord{model::OwnerKind::kRole, "AROAAAAAAAAAAAAAAAAAA", "policy", "{2}"}};
  ASSERT_TRUE(Commit(**store, {&set}));
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
  EXPECT_FALSE(Commit(**store, {&first, &second}));
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
  ASSERT_TRUE(Commit(**first, {&set}));  // takes the exclusive lock
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
    ASSERT_TRUE(Commit(**store, {&set, &update}));
  }
  auto loaded = LoadReopened();
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
  ASSERT_TRUE(Commit(**store, {&put, &del}));
  EXPECT_TRUE(LoadAll(**store).empty());
  // Re-creating it starts from empty lists and tags (nothing left behind by the removal).
  model::OidcProviderRecord bare;
  bare.url = "token.actions.githubusercontent.com";
  model::ChangeSet again{bare};
  ASSERT_TRUE(Commit(**store, {&again}));
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
  ASSERT_EQ(SqliteSchemaVersion(), 10);
  {
    // A version-2 file, as the migrations up to 2 leave it, with rows written by that version.
    auto old = OpenSqliteStore(path_, {.durable = false, .schema_version = 2});
    ASSERT_TRUE(old) << old.error().message;
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* version = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1,
                                 &version, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(version), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(version, 0)), "2");
    sqlite3_finalize(version);
    sqlite3_stmt* table = nullptr;  // what migration 3 adds is not there yet
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name = 'oidc_providers'",
                                 -1, &table, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_step(table), SQLITE_DONE);
    sqlite3_finalize(table);
    const char* rows = R"sql(
INSERT INTO roles VALUES ('AROAAAAAAAAAAAAAAAAAA', 'ray-head', '/', 1795826565000, '{}', NULL,
  3600, '', 0, '', '');
INSERT INTO tags VALUES ('AROAAAAAAAAAAAAAAAAAA', 0, 'team', 'ray');
)sql";
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, rows, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_close(db);
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store) << store.error().message;
  model::ChangeSet set{SampleOidcProvider()};
  ASSERT_TRUE(Commit(**store, {&set}));
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 2u);
  const auto& role = std::get<model::RoleRecord>(loaded[0]);
  EXPECT_EQ(role.name, "ray-head");
  EXPECT_EQ(role.tags, (model::Tags{{"team", "ray"}}));
  EXPECT_EQ(std::get<model::OidcProviderRecord>(loaded[1]).client_ids,
            (std::vector<std::string>{"sts.amazonaws.com", "other"}));
}

TEST_F(SqliteStoreTest, AccountSettingsRoundTripAndGo) {
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    model::ChangeSet set{model::AccountSettingRecord{"alias", "first"},
                         model::AccountSettingRecord{"password_policy", "minimum_length=9\n"}};
    model::ChangeSet replace{model::AccountSettingRecord{"alias", "second"}};
    ASSERT_TRUE(Commit(**store, {&set, &replace}));
  }
  auto loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(std::get<model::AccountSettingRecord>(loaded[0]).value, "second");
  EXPECT_EQ(std::get<model::AccountSettingRecord>(loaded[1]).name, "password_policy");
  EXPECT_EQ(std::get<model::AccountSettingRecord>(loaded[1]).value, "minimum_length=9\n");
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    model::ChangeSet remove{model::Removed<model::AccountSettingKey>{{"alias"}}};
    ASSERT_TRUE(Commit(**store, {&remove}));
  }
  loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(std::get<model::AccountSettingRecord>(loaded[0]).name, "password_policy");
}

// A version-3 file (before account settings) gains the table and keeps its rows.
TEST_F(SqliteStoreTest, MigratesAVersion3Database) {
  {
    auto old = OpenSqliteStore(path_, {.durable = false, .schema_version = 3});
    ASSERT_TRUE(old) << old.error().message;
    // Such a store may only be closed again: reads and writes are refused, nothing crashes.
    model::ChangeSet set{model::AccountSettingRecord{"alias", "too-early"}};
    EXPECT_FALSE(Commit(**old, {&set}));
    EXPECT_FALSE((*old)->Load([](const model::Change&) -> Status { return {}; }));
  }
  ExecSql("INSERT INTO oidc_providers VALUES ('token.actions.githubusercontent.com', 1795826565000)");
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store) << store.error().message;
  model::ChangeSet set{model::AccountSettingRecord{"alias", "example"}};
  ASSERT_TRUE(Commit(**store, {&set}));
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(std::get<model::AccountSettingRecord>(loaded[0]).value, "example");
  EXPECT_EQ(std::get<model::OidcProviderRecord>(loaded[1]).url,
            "token.actions.githubusercontent.com");
}

TEST_F(SqliteStoreTest, SigningCertificatesRoundTripAndGo) {
  model::UserRecord user;
  user.id = "AIDAEXAMPLEUSER000001";
  user.name = "sofia";
  user.path = "/";
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    model::ChangeSet set{user,
                         model::SigningCertificateRecord{"CERTB", user.id, "pem-b", true, 2000},
                         model::SigningCertificateRecord{"CERTA", user.id, "pem-a", true, 2000}};
    model::ChangeSet update{
        model::SigningCertificateRecord{"CERTB", user.id, "pem-b", false, 2000}};
    ASSERT_TRUE(Commit(**store, {&set, &update}));
  }
  auto loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 3u);
  // After the user, by upload time and then ID.
  const auto& a = std::get<model::SigningCertificateRecord>(loaded[1]);
  const auto& b = std::get<model::SigningCertificateRecord>(loaded[2]);
  EXPECT_EQ((std::tuple{a.id, a.user_id, a.body, a.active, a.upload_millis}),
            (std::tuple{std::string("CERTA"), user.id, std::string("pem-a"), true, int64_t{2000}}));
  EXPECT_EQ((std::tuple{b.id, b.active}), (std::tuple{std::string("CERTB"), false}));
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    model::ChangeSet remove{model::Removed<model::SigningCertificateKey>{{"CERTA"}}};
    ASSERT_TRUE(Commit(**store, {&remove}));
  }
  loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(std::get<model::SigningCertificateRecord>(loaded[1]).id, "CERTB");
}

TEST_F(SqliteStoreTest, SshPublicKeysRoundTripAndGo) {
  model::UserRecord user;
  user.id = "AIDAEXAMPLEUSER000003";
  user.name = "sofia";
  user.path = "/";
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    model::ChangeSet set{user, model::SshPublicKeyRecord{"APKAONE", user.id, "ssh-rsa AAAA x",
                                                         "aa:bb", true, 1500}};
    model::ChangeSet update{model::SshPublicKeyRecord{"APKAONE", user.id, "ssh-rsa AAAA x",
                                                      "aa:bb", false, 1500}};
    ASSERT_TRUE(Commit(**store, {&set, &update}));
  }
  auto loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 2u);
  const auto& key = std::get<model::SshPublicKeyRecord>(loaded[1]);
  EXPECT_EQ((std::tuple{key.id, key.user_id, key.body, key.fingerprint, key.active,
                        key.upload_millis}),
            (std::tuple{std::string("APKAONE"), user.id, std::string("ssh-rsa AAAA x"),
                        std::string("aa:bb"), false, int64_t{1500}}));
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    model::ChangeSet remove{model::Removed<model::SshPublicKeyKey>{{"APKAONE"}}};
    ASSERT_TRUE(Commit(**store, {&remove}));
  }
  EXPECT_EQ(LoadReopened().size(), 1u);
}

// A version-4 file (before signing certificates and SSH keys) gains the tables and keeps its
// rows.
TEST_F(SqliteStoreTest, MigratesAVersion4Database) {
  MakeOldFile(4, "INSERT INTO account_settings VALUES ('alias', 'kept')");
  auto store = OpenSqliteStore(path_);
  ASSERT_TRUE(store) << store.error().message;
  model::UserRecord user;
  user.id = "AIDAEXAMPLEUSER000002";
  user.name = "later";
  user.path = "/";
  model::ChangeSet set{user, model::SigningCertificateRecord{"CERT", user.id, "pem", true, 1}};
  ASSERT_TRUE(Commit(**store, {&set}));
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 3u);
  EXPECT_EQ(std::get<model::SigningCertificateRecord>(loaded[1]).id, "CERT");
  EXPECT_EQ(std::get<model::AccountSettingRecord>(loaded[2]).value, "kept");
}

// A version-9 file (before services_used) keeps its users and roles, with no service uses; the
// uses then round-trip for both.
TEST_F(SqliteStoreTest, MigratesAVersion9DatabaseAndServiceUsesRoundTrip) {
  MakeOldFile(9,
              "INSERT INTO users VALUES ('AIDAEXAMPLEUSER000009', 'old', '/', 1, '', 0);"
              "INSERT INTO roles VALUES ('AROAAAAAAAAAAAAAAAAAA', 'ray-head', '/', 1, '{}', NULL,"
              " 3600, '', 0, '', '');");
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    auto loaded = LoadAll(**store);
    ASSERT_EQ(loaded.size(), 2u);
    EXPECT_EQ(std::get<model::RoleRecord>(loaded[0]).services_used, "");
    EXPECT_EQ(std::get<model::UserRecord>(loaded[1]).services_used, "");
    model::RoleRecord role = std::get<model::RoleRecord>(loaded[0]);
    role.services_used = "sts 1800000000000 eu-west-1\n";
    model::UserRecord user = std::get<model::UserRecord>(loaded[1]);
    user.services_used = "iam 1800000000001 us-east-1\nsts 1800000000002 us-west-2\n";
    model::ChangeSet set{role, user};
    ASSERT_TRUE(Commit(**store, {&set}));
  }
  auto loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(std::get<model::RoleRecord>(loaded[0]).services_used, "sts 1800000000000 eu-west-1\n");
  EXPECT_EQ(std::get<model::UserRecord>(loaded[1]).services_used,
            "iam 1800000000001 us-east-1\nsts 1800000000002 us-west-2\n");
}

// A version-5 file (before MFA devices) gains their table and keeps its rows; a device, its
// assignment and tags round-trip, and its removal takes its tags.
TEST_F(SqliteStoreTest, MigratesAVersion5DatabaseAndMfaDevicesRoundTrip) {
  MakeOldFile(5, "INSERT INTO account_settings VALUES ('alias', 'kept')");
  model::UserRecord user;
  user.id = "AIDAEXAMPLEUSER000004";
  user.name = "sofia";
  user.path = "/";
  const model::MfaDeviceRecord device{"arn:aws:iam::123456789012:mfa/p/sofia", "sofia", "/p/",
                                      2000, std::string("\x01\x00sealed", 8), user.id, 3000,
                                      59, {{"team", "a"}, {"env", "b"}}};
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    model::ChangeSet set{user, device};
    ASSERT_TRUE(Commit(**store, {&set}));
  }
  auto loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 3u);
  const auto& got = std::get<model::MfaDeviceRecord>(loaded[1]);
  EXPECT_EQ((std::tuple{got.serial, got.name, got.path, got.create_millis, got.seed_sealed,
                        got.user_id, got.enable_millis, got.last_step, got.tags}),
            (std::tuple{device.serial, device.name, device.path, device.create_millis,
                        device.seed_sealed, device.user_id, device.enable_millis,
                        device.last_step, device.tags}));
  EXPECT_EQ(std::get<model::AccountSettingRecord>(loaded[2]).value, "kept");
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    model::ChangeSet remove{model::Removed<model::MfaDeviceKey>{{device.serial}}};
    ASSERT_TRUE(Commit(**store, {&remove}));
  }
  EXPECT_EQ(LoadReopened().size(), 2u);
  EXPECT_EQ(QueryNumber("SELECT count(*) FROM tags"), 0);
}

// Service-specific credentials: every field round-trips, in the order created; removal.
TEST_F(SqliteStoreTest, ServiceCredentialsRoundTripAndGo) {
  model::UserRecord user;
  user.id = "AIDAEXAMPLEUSER000005";
  user.name = "sofia";
  user.path = "/";
  const model::ServiceCredentialRecord later{"ACCAEXAMPLE000000001", user.id,
                                             "bedrock.amazonaws.com", "sofia-at-123456789012",
                                             std::string("\x01\x00k", 3), false, 2000, 9000};
  const model::ServiceCredentialRecord first{"ACCAEXAMPLE000000002", user.id,
                                             "codecommit.amazonaws.com",
                                             "sofia-at-123456789012", "p", true, 1000, 0};
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    model::ChangeSet set{user, later, first};
    ASSERT_TRUE(Commit(**store, {&set}));
  }
  auto loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 3u);
  auto fields = [](const model::ServiceCredentialRecord& r) {
    return std::tuple{r.id, r.user_id, r.service_name, r.service_user_name, r.secret_sealed,
                      r.active, r.upload_millis, r.expiration_millis};
  };
  EXPECT_EQ(fields(std::get<model::ServiceCredentialRecord>(loaded[1])), fields(first));
  EXPECT_EQ(fields(std::get<model::ServiceCredentialRecord>(loaded[2])), fields(later));
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    model::ChangeSet remove{model::Removed<model::ServiceCredentialKey>{{first.id}}};
    ASSERT_TRUE(Commit(**store, {&remove}));
  }
  EXPECT_EQ(LoadReopened().size(), 2u);
}

// SAML providers: every field round-trips, private keys in order; an update replaces the keys;
// a removal takes keys and tags.
TEST_F(SqliteStoreTest, SamlProvidersRoundTripAndGo) {
  model::SamlProviderRecord provider{"okta", "SAMLSPEXAMPLE", "<md:EntityDescriptor/>",
                                     1000, 2000, true,
                                     {{"KEY1", 1500, std::string("\x01\x00a", 3)},
                                      {"KEY2", 1600, "b"}},
                                     {{"team", "sso"}}};
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    model::ChangeSet set{provider};
    ASSERT_TRUE(Commit(**store, {&set}));
  }
  auto fields = [](const model::SamlProviderRecord& r) {
    return std::tuple{r.name, r.uuid, r.document, r.create_millis, r.valid_until_millis,
                      r.encryption_required, r.private_keys, r.tags};
  };
  auto loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(fields(std::get<model::SamlProviderRecord>(loaded[0])), fields(provider));
  provider.private_keys.erase(provider.private_keys.begin());
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    model::ChangeSet update{provider};
    ASSERT_TRUE(Commit(**store, {&update}));
  }
  loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(fields(std::get<model::SamlProviderRecord>(loaded[0])), fields(provider));
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    model::ChangeSet remove{model::Removed<model::SamlProviderKey>{{"okta"}}};
    ASSERT_TRUE(Commit(**store, {&remove}));
  }
  EXPECT_TRUE(LoadReopened().empty());
  EXPECT_EQ(QueryNumber("SELECT count(*) FROM saml_provider_keys"), 0);
  EXPECT_EQ(QueryNumber("SELECT count(*) FROM tags"), 0);
}

// Server certificates: every field round-trips (a chain or none), renames keep the row, and a
// removal takes the tags.
TEST_F(SqliteStoreTest, ServerCertificatesRoundTripAndGo) {
  const model::ServerCertificateRecord with_chain{
      "ASCAEXAMPLE000000001", "web", "/cloudfront/", "body", std::string("chain"),
      std::string("\x01\x00key", 5), 1000, 2000, {{"env", "prod"}}};
  const model::ServerCertificateRecord without{
      "ASCAEXAMPLE000000002", "api", "/", "body2", std::nullopt, "k", 3000, 4000, {}};
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store) << store.error().message;
    auto renamed = with_chain;
    renamed.name = "www";
    model::ChangeSet set{with_chain, without}, update{renamed};
    ASSERT_TRUE(Commit(**store, {&set, &update}));
  }
  auto loaded = LoadReopened();
  ASSERT_EQ(loaded.size(), 2u);
  auto fields = [](const model::ServerCertificateRecord& r) {
    return std::tuple{r.id, r.name, r.path, r.body, r.chain, r.private_key_sealed,
                      r.upload_millis, r.expiration_millis, r.tags};
  };
  auto expected = with_chain;
  expected.name = "www";
  EXPECT_EQ(fields(std::get<model::ServerCertificateRecord>(loaded[0])), fields(expected));
  EXPECT_EQ(fields(std::get<model::ServerCertificateRecord>(loaded[1])), fields(without));
  {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store);
    model::ChangeSet remove{model::Removed<model::ServerCertificateKey>{{with_chain.id}}};
    ASSERT_TRUE(Commit(**store, {&remove}));
  }
  EXPECT_EQ(LoadReopened().size(), 1u);
  EXPECT_EQ(QueryNumber("SELECT count(*) FROM tags"), 0);
}

}  // namespace
}  // namespace iamd::store
