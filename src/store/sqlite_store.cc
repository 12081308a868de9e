// The SQLite store: WAL mode, synchronous=FULL, one connection owned by the committer thread.
// The schema is relational (one table per record kind, tags in their own table) so that the
// data stays inspectable with `sqlite3` and maps one-to-one onto PostgreSQL later.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "store/store.h"

namespace iamd::store {
namespace {

using model::Change;

// Each migration moves the schema from version i to i+1; never edit one that has shipped.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the IAM entities of issue 2 and 4.
    R"sql(
CREATE TABLE roles (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, create_ms INTEGER NOT NULL,
  trust_policy TEXT NOT NULL, description TEXT, max_session INTEGER NOT NULL,
  boundary_arn TEXT NOT NULL, last_used_ms INTEGER NOT NULL, last_used_region TEXT NOT NULL);
CREATE UNIQUE INDEX roles_name ON roles(lower(name));
CREATE TABLE instance_profiles (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, create_ms INTEGER NOT NULL,
  role_id TEXT NOT NULL);
CREATE UNIQUE INDEX instance_profiles_name ON instance_profiles(lower(name));
CREATE TABLE policies (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, description TEXT,
  create_ms INTEGER NOT NULL, update_ms INTEGER NOT NULL, default_version TEXT NOT NULL,
  next_version INTEGER NOT NULL);
CREATE UNIQUE INDEX policies_name ON policies(lower(name));
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
CREATE UNIQUE INDEX users_name ON users(lower(name));
CREATE TABLE groups_ (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, create_ms INTEGER NOT NULL);
CREATE UNIQUE INDEX groups_name ON groups_(lower(name));
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
)sql",
    // 1 -> 2: the unique IDs a trust policy's principals named when it was stored.
    R"sql(
ALTER TABLE roles ADD COLUMN trust_principal_ids TEXT NOT NULL DEFAULT '';
)sql",
    // 2 -> 3: OpenID Connect identity providers, keyed by their URL without https:// (what
    // follows "oidc-provider/" in the ARN); their client IDs (list 0) and thumbprints (list 1)
    // in order. Their tags are in `tags` under the entity ID "oidc-provider/URL".
    R"sql(
CREATE TABLE oidc_providers (url TEXT PRIMARY KEY, create_ms INTEGER NOT NULL);
CREATE TABLE oidc_provider_values (
  url TEXT NOT NULL, list INTEGER NOT NULL, position INTEGER NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (url, list, position));
)sql",
    // 3 -> 4: settings of the account as a whole (its alias, its password policy).
    R"sql(
CREATE TABLE account_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
    // 4 -> 5: users' signing certificates and SSH public keys.
    R"sql(
CREATE TABLE signing_certificates (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, body TEXT NOT NULL, active INTEGER NOT NULL,
  upload_ms INTEGER NOT NULL);
CREATE TABLE ssh_public_keys (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, body TEXT NOT NULL, fingerprint TEXT NOT NULL,
  active INTEGER NOT NULL, upload_ms INTEGER NOT NULL);
)sql",
    // 5 -> 6: virtual MFA devices, keyed by serial number (their ARN); user_id '' when not
    // enabled. Their tags are in `tags` under the serial number.
    R"sql(
CREATE TABLE mfa_devices (
  serial TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, create_ms INTEGER NOT NULL,
  seed_sealed BLOB NOT NULL, user_id TEXT NOT NULL, enable_ms INTEGER NOT NULL,
  last_step INTEGER NOT NULL);
)sql",
    // 6 -> 7: server certificates (chain NULL when none was uploaded); tags under their ID.
    R"sql(
CREATE TABLE server_certificates (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, body TEXT NOT NULL, chain TEXT,
  private_key_sealed BLOB NOT NULL, upload_ms INTEGER NOT NULL, expiration_ms INTEGER NOT NULL);
)sql",
    // 7 -> 8: service-specific credentials.
    R"sql(
CREATE TABLE service_credentials (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, service_name TEXT NOT NULL,
  service_user_name TEXT NOT NULL, secret_sealed BLOB NOT NULL, active INTEGER NOT NULL,
  create_ms INTEGER NOT NULL, expiration_ms INTEGER NOT NULL);
)sql",
    // 8 -> 9: SAML identity providers, keyed by name; their private keys in order. Their tags
    // are in `tags` under the entity ID "saml-provider/NAME".
    R"sql(
CREATE TABLE saml_providers (
  name TEXT PRIMARY KEY, uuid TEXT NOT NULL, document TEXT NOT NULL, create_ms INTEGER NOT NULL,
  valid_until_ms INTEGER NOT NULL, encryption_required INTEGER NOT NULL);
CREATE TABLE saml_provider_keys (
  name TEXT NOT NULL, position INTEGER NOT NULL, key_id TEXT NOT NULL,
  timestamp_ms INTEGER NOT NULL, key_sealed BLOB NOT NULL, PRIMARY KEY (name, position));
)sql",
    // 9 -> 10: the services each user and role last authenticated to (access reports).
    R"sql(
ALTER TABLE roles ADD COLUMN services_used TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN services_used TEXT NOT NULL DEFAULT '';
)sql",
};

// The entity ID under which an OIDC provider's tags are stored.
std::string OidcTagsId(const std::string& url) { return "oidc-provider/" + url; }
// The same for a SAML provider.
std::string SamlTagsId(const std::string& name) { return "saml-provider/" + name; }

Error SqlError(sqlite3* db, std::string_view what) {
  return Error(ErrorCode::kServiceFailure,
               std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A prepared statement that lives as long as the connection.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }
  Status Prepare(sqlite3* db, const char* sql) {
    db_ = db;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
      return std::unexpected(SqlError(db, std::string("prepare ") + sql));
    return {};
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::optional<std::string>& v) {
    if (v) return Bind(i, std::string_view(*v));
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // Runs a statement that returns no rows.
  Status Exec() {
    int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    if (rc != SQLITE_DONE) return std::unexpected(SqlError(db_, "write"));
    return {};
  }
  // Steps a query: true while there is a row.
  Result<bool> Next() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    sqlite3_reset(stmt_);
    if (rc == SQLITE_DONE) return false;
    return std::unexpected(SqlError(db_, "read"));
  }
  std::string Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::string Blob(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::optional<std::string> OptText(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Text(col);
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteStore final : public Store {
 public:
  ~SqliteStore() override {
    // close_v2 defers the close until the statements (members, destroyed after this body) are
    // finalized.
    if (db_) sqlite3_close_v2(db_);
  }

  Status Open(const std::string& path, const SqliteOptions& options) {
    // The database holds sealed secrets and password hashes: owner-only, also for a file an
    // older iamd created. SQLite gives its WAL file the database file's permissions.
    if (path != ":memory:" && !path.empty()) {
      int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd >= 0) {
        (void)::fchmod(fd, 0600);
        ::close(fd);
      }  // else: sqlite3_open_v2 below reports why the file cannot be opened
    }
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
      return std::unexpected(SqlError(db_, "open " + path));
    std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA locking_mode=EXCLUSIVE; ";
    pragmas += options.durable ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=OFF;";
    IAMD_TRY(ExecScript(pragmas.c_str()));
    IAMD_TRY(Migrate(options.schema_version));
    // A file left at an older version (tests) is only made, never read or written here.
    if (options.schema_version > 0 && options.schema_version < SqliteSchemaVersion()) return {};
    IAMD_TRY(PrepareAll());
    ready_ = true;
    return {};
  }

  Status Load(const std::function<Status(const Change&)>& sink) override {
    IAMD_TRY(CheckReady());
    // Runs a query, handing each row to `use` (which returns a Status).
    auto rows = [&](const char* sql, auto&& use) -> Status {
      Stmt q;
      IAMD_TRY(q.Prepare(db_, sql));
      for (;;) {
        auto row = q.Next();
        if (!row) return std::unexpected(row.error());
        if (!*row) return {};
        IAMD_TRY(use(q));
      }
    };
    std::unordered_map<std::string, model::Tags> tags;
    IAMD_TRY(rows("SELECT entity_id, key, value FROM tags ORDER BY entity_id, position",
                  [&](const Stmt& q) -> Status {
                    tags[q.Text(0)].push_back({q.Text(1), q.Text(2)});
                    return {};
                  }));
    auto take_tags = [&](const std::string& id) {
      auto it = tags.find(id);
      return it == tags.end() ? model::Tags{} : std::move(it->second);
    };
    // Runs a query whose rows are records: each made by `make` and handed to the sink.
    auto each = [&](const char* sql, auto&& make) -> Status {
      return rows(sql, [&](const Stmt& q) { return sink(make(q)); });
    };
    // Policies first: roles and users count their boundaries, attachments count their policies.
    IAMD_TRY(each("SELECT id, name, path, description, create_ms, update_ms, default_version, "
                  "next_version FROM policies",
                  [&](const Stmt& q) -> Change {
                    model::ManagedPolicyRecord r;
                    r.id = q.Text(0);
                    r.name = q.Text(1);
                    r.path = q.Text(2);
                    r.description = q.OptText(3);
                    r.create_millis = q.Int(4);
                    r.update_millis = q.Int(5);
                    r.default_version_id = q.Text(6);
                    r.next_version_number = q.Int(7);
                    r.tags = take_tags(r.id);
                    return r;
                  }));
    IAMD_TRY(each("SELECT policy_id, version_id, document, create_ms FROM policy_versions",
                  [&](const Stmt& q) -> Change {
                    return model::PolicyVersionRecord{q.Text(0), q.Text(1), q.Text(2), q.Int(3)};
                  }));
    IAMD_TRY(each("SELECT id, name, path, create_ms, trust_policy, description, max_session, "
                  "boundary_arn, last_used_ms, last_used_region, trust_principal_ids, "
                  "services_used FROM roles",
                  [&](const Stmt& q) -> Change {
                    model::RoleRecord r;
                    r.id = q.Text(0);
                    r.name = q.Text(1);
                    r.path = q.Text(2);
                    r.create_millis = q.Int(3);
                    r.trust_policy = q.Text(4);
                    r.description = q.OptText(5);
                    r.max_session_duration = q.Int(6);
                    r.permissions_boundary_arn = q.Text(7);
                    r.last_used_millis = q.Int(8);
                    r.last_used_region = q.Text(9);
                    r.trust_principal_ids = q.Text(10);
                    r.services_used = q.Text(11);
                    r.tags = take_tags(r.id);
                    return r;
                  }));
    IAMD_TRY(each("SELECT id, name, path, create_ms, boundary_arn, password_last_used_ms, "
                  "services_used FROM users",
                  [&](const Stmt& q) -> Change {
                    model::UserRecord r;
                    r.id = q.Text(0);
                    r.name = q.Text(1);
                    r.path = q.Text(2);
                    r.create_millis = q.Int(3);
                    r.permissions_boundary_arn = q.Text(4);
                    r.password_last_used_millis = q.Int(5);
                    r.services_used = q.Text(6);
                    r.tags = take_tags(r.id);
                    return r;
                  }));
    IAMD_TRY(each("SELECT id, name, path, create_ms FROM groups_", [&](const Stmt& q) -> Change {
      return model::GroupRecord{q.Text(0), q.Text(1), q.Text(2), q.Int(3)};
    }));
    IAMD_TRY(each("SELECT id, name, path, create_ms, role_id FROM instance_profiles",
                  [&](const Stmt& q) -> Change {
                    model::InstanceProfileRecord r;
                    r.id = q.Text(0);
                    r.name = q.Text(1);
                    r.path = q.Text(2);
                    r.create_millis = q.Int(3);
                    r.role_id = q.Text(4);
                    r.tags = take_tags(r.id);
                    return r;
                  }));
    IAMD_TRY(each("SELECT owner_kind, owner_id, name, document FROM inline_policies",
                  [&](const Stmt& q) -> Change {
                    return model::InlinePolicyRecord{static_cast<model::OwnerKind>(q.Int(0)),
                                                     q.Text(1), q.Text(2), q.Text(3)};
                  }));
    IAMD_TRY(each("SELECT owner_kind, owner_id, policy_arn FROM attachments ORDER BY seq",
                  [&](const Stmt& q) -> Change {
                    return model::AttachmentRecord{static_cast<model::OwnerKind>(q.Int(0)),
                                                   q.Text(1), q.Text(2)};
                  }));
    IAMD_TRY(each("SELECT group_id, user_id FROM group_members ORDER BY seq",
                  [&](const Stmt& q) -> Change {
                    return model::GroupMembershipRecord{q.Text(0), q.Text(1)};
                  }));
    IAMD_TRY(each("SELECT key_id, user_id, active, create_ms, secret_sealed, last_used_ms, "
                  "last_used_service, last_used_region FROM access_keys ORDER BY create_ms, key_id",
                  [&](const Stmt& q) -> Change {
                    model::AccessKeyRecord r;
                    r.access_key_id = q.Text(0);
                    r.user_id = q.Text(1);
                    r.active = q.Int(2) != 0;
                    r.create_millis = q.Int(3);
                    r.secret_sealed = q.Blob(4);
                    r.last_used_millis = q.Int(5);
                    r.last_used_service = q.Text(6);
                    r.last_used_region = q.Text(7);
                    return r;
                  }));
    IAMD_TRY(each("SELECT id, user_id, body, active, upload_ms FROM signing_certificates "
                  "ORDER BY upload_ms, id",
                  [&](const Stmt& q) -> Change {
                    return model::SigningCertificateRecord{q.Text(0), q.Text(1), q.Text(2),
                                                           q.Int(3) != 0, q.Int(4)};
                  }));
    IAMD_TRY(each("SELECT id, user_id, body, fingerprint, active, upload_ms FROM ssh_public_keys "
                  "ORDER BY upload_ms, id",
                  [&](const Stmt& q) -> Change {
                    return model::SshPublicKeyRecord{q.Text(0), q.Text(1), q.Text(2), q.Text(3),
                                                     q.Int(4) != 0, q.Int(5)};
                  }));
    IAMD_TRY(each("SELECT serial, name, path, create_ms, seed_sealed, user_id, enable_ms, "
                  "last_step FROM mfa_devices ORDER BY serial",
                  [&](const Stmt& q) -> Change {
                    model::MfaDeviceRecord r{q.Text(0), q.Text(1), q.Text(2), q.Int(3),
                                             q.Blob(4), q.Text(5), q.Int(6), q.Int(7), {}};
                    r.tags = take_tags(r.serial);
                    return r;
                  }));
    IAMD_TRY(each("SELECT id, name, path, body, chain, private_key_sealed, upload_ms, "
                  "expiration_ms FROM server_certificates ORDER BY id",
                  [&](const Stmt& q) -> Change {
                    model::ServerCertificateRecord r{q.Text(0),    q.Text(1), q.Text(2),
                                                     q.Text(3),    q.OptText(4), q.Blob(5),
                                                     q.Int(6),     q.Int(7), {}};
                    r.tags = take_tags(r.id);
                    return r;
                  }));
    IAMD_TRY(each("SELECT id, user_id, service_name, service_user_name, secret_sealed, active, "
                  "create_ms, expiration_ms FROM service_credentials ORDER BY create_ms, id",
                  [&](const Stmt& q) -> Change {
                    return model::ServiceCredentialRecord{q.Text(0), q.Text(1),  q.Text(2),
                                                          q.Text(3), q.Blob(4),  q.Int(5) != 0,
                                                          q.Int(6),  q.Int(7)};
                  }));
    {
      std::unordered_map<std::string, std::vector<model::SamlPrivateKey>> keys;
      IAMD_TRY(rows("SELECT name, key_id, timestamp_ms, key_sealed FROM saml_provider_keys "
                    "ORDER BY name, position",
                    [&](const Stmt& q) -> Status {
                      keys[q.Text(0)].push_back({q.Text(1), q.Int(2), q.Blob(3)});
                      return {};
                    }));
      IAMD_TRY(each("SELECT name, uuid, document, create_ms, valid_until_ms, encryption_required "
                    "FROM saml_providers ORDER BY name",
                    [&](const Stmt& q) -> Change {
                      model::SamlProviderRecord r{q.Text(0), q.Text(1), q.Text(2), q.Int(3),
                                                  q.Int(4),  q.Int(5) != 0, {}, {}};
                      if (auto it = keys.find(r.name); it != keys.end())
                        r.private_keys = std::move(it->second);
                      r.tags = take_tags(SamlTagsId(r.name));
                      return r;
                    }));
    }
    IAMD_TRY(each("SELECT user_id, create_ms, password_hash, reset_required FROM login_profiles",
                  [&](const Stmt& q) -> Change {
                    return model::LoginProfileRecord{q.Text(0), q.Int(1), q.Text(2), q.Int(3) != 0};
                  }));
    IAMD_TRY(each("SELECT name, value FROM account_settings ORDER BY name",
                  [&](const Stmt& q) -> Change {
                    return model::AccountSettingRecord{q.Text(0), q.Text(1)};
                  }));
    IAMD_TRY(each("SELECT id, status, create_ms FROM deletion_tasks", [&](const Stmt& q) -> Change {
      return model::DeletionTaskRecord{q.Text(0), q.Text(1), q.Int(2)};
    }));
    {
      std::unordered_map<std::string, std::vector<std::string>> lists[2];
      Stmt q;
      IAMD_TRY(q.Prepare(db_, "SELECT url, list, value FROM oidc_provider_values "
                              "ORDER BY url, list, position"));
      for (;;) {
        auto row = q.Next();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        lists[q.Int(1) == 0 ? 0 : 1][q.Text(0)].push_back(q.Text(2));
      }
      IAMD_TRY(each("SELECT url, create_ms FROM oidc_providers ORDER BY url",
                    [&](const Stmt& q) -> Change {
                      model::OidcProviderRecord r;
                      r.url = q.Text(0);
                      r.create_millis = q.Int(1);
                      r.client_ids = std::move(lists[0][r.url]);
                      r.thumbprints = std::move(lists[1][r.url]);
                      r.tags = take_tags(OidcTagsId(r.url));
                      return r;
                    }));
    }
    return {};
  }

  Status Commit(std::span<const model::ChangeSet* const> batch) override {
    IAMD_TRY(CheckReady());
    IAMD_TRY(begin_.Exec());
    for (const model::ChangeSet* set : batch)
      for (const Change& change : *set) {
        Status s = std::visit([this](const auto& r) { return Write(r); }, change);
        if (!s) {
          (void)rollback_.Exec();
          return s;
        }
      }
    Status s = commit_.Exec();
    if (!s) (void)rollback_.Exec();
    return s;
  }

 private:
  Status ExecScript(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Fail(ErrorCode::kServiceFailure, "sqlite: " + msg);
    }
    return {};
  }

  Status Migrate(int stop_at) {
    IAMD_TRY(ExecScript("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)"));
    int version = 0;
    {
      Stmt q;
      IAMD_TRY(q.Prepare(db_, "SELECT value FROM meta WHERE key = 'schema_version'"));
      auto row = q.Next();
      if (!row) return std::unexpected(row.error());
      if (*row) version = std::stoi(q.Text(0));
      if (*row) (void)q.Next();
    }
    const int latest = static_cast<int>(std::size(kMigrations));
    const int target = stop_at > 0 && stop_at < latest ? stop_at : latest;
    if (version > latest)
      return Fail(ErrorCode::kServiceFailure,
                  "database schema version " + std::to_string(version) +
                      " is newer than this iamd understands (" + std::to_string(latest) + ")");
    for (; version < target; ++version) {
      std::string script = "BEGIN; ";
      script += kMigrations[version];
      script += "; INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '" +
                std::to_string(version + 1) + "'); COMMIT;";
      Status s = ExecScript(script.c_str());
      if (!s) {
        (void)ExecScript("ROLLBACK");
        return s;
      }
    }
    return {};
  }

  // INSERT ... ON CONFLICT(primary key) DO UPDATE: unlike INSERT OR REPLACE, a clash on another
  // unique index (a second entity with the same name) is an error, never a silent delete.
  static std::string Upsert(std::string_view table, std::initializer_list<std::string_view> columns,
                            std::string_view key) {
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    std::string values, updates;
    int i = 0;
    for (std::string_view c : columns) {
      sql += (i ? ", " : "") + std::string(c);
      values += (i ? ", ?" : "?") + std::to_string(i + 1);
      if (c != key) updates += (updates.empty() ? "" : ", ") + std::string(c) + " = excluded." + std::string(c);
      ++i;
    }
    return sql + ") VALUES (" + values + ") ON CONFLICT(" + std::string(key) + ") DO UPDATE SET " +
           updates;
  }

  Status PrepareAll() {
    IAMD_TRY(begin_.Prepare(db_, "BEGIN"));
    IAMD_TRY(commit_.Prepare(db_, "COMMIT"));
    IAMD_TRY(rollback_.Prepare(db_, "ROLLBACK"));
    IAMD_TRY(put_role_.Prepare(db_, Upsert("roles", {"id", "name", "path", "create_ms",
        "trust_policy", "description", "max_session", "boundary_arn", "last_used_ms",
        "last_used_region", "trust_principal_ids", "services_used"}, "id").c_str()));
    IAMD_TRY(del_role_.Prepare(db_, "DELETE FROM roles WHERE id = ?1"));
    IAMD_TRY(put_profile_.Prepare(db_, Upsert("instance_profiles", {"id", "name", "path",
        "create_ms", "role_id"}, "id").c_str()));
    IAMD_TRY(del_profile_.Prepare(db_, "DELETE FROM instance_profiles WHERE id = ?1"));
    IAMD_TRY(put_policy_.Prepare(db_, Upsert("policies", {"id", "name", "path", "description",
        "create_ms", "update_ms", "default_version", "next_version"}, "id").c_str()));
    IAMD_TRY(del_policy_.Prepare(db_, "DELETE FROM policies WHERE id = ?1"));
    IAMD_TRY(put_version_.Prepare(db_,
        "INSERT OR REPLACE INTO policy_versions VALUES (?1, ?2, ?3, ?4)"));
    IAMD_TRY(del_version_.Prepare(db_,
        "DELETE FROM policy_versions WHERE policy_id = ?1 AND version_id = ?2"));
    IAMD_TRY(put_inline_.Prepare(db_,
        "INSERT OR REPLACE INTO inline_policies VALUES (?1, ?2, lower(?3), ?3, ?4)"));
    IAMD_TRY(del_inline_.Prepare(db_,
        "DELETE FROM inline_policies WHERE owner_kind = ?1 AND owner_id = ?2 AND "
        "name_key = lower(?3)"));
    IAMD_TRY(put_attachment_.Prepare(db_,
        "INSERT OR IGNORE INTO attachments (owner_kind, owner_id, policy_arn) VALUES (?1, ?2, ?3)"));
    IAMD_TRY(del_attachment_.Prepare(db_,
        "DELETE FROM attachments WHERE owner_kind = ?1 AND owner_id = ?2 AND policy_arn = ?3"));
    IAMD_TRY(put_user_.Prepare(db_, Upsert("users", {"id", "name", "path", "create_ms",
        "boundary_arn", "password_last_used_ms", "services_used"}, "id").c_str()));
    IAMD_TRY(del_user_.Prepare(db_, "DELETE FROM users WHERE id = ?1"));
    IAMD_TRY(put_group_.Prepare(db_, Upsert("groups_", {"id", "name", "path", "create_ms"},
        "id").c_str()));
    IAMD_TRY(del_group_.Prepare(db_, "DELETE FROM groups_ WHERE id = ?1"));
    IAMD_TRY(put_member_.Prepare(db_,
        "INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?1, ?2)"));
    IAMD_TRY(del_member_.Prepare(db_,
        "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2"));
    IAMD_TRY(put_key_.Prepare(db_,
        "INSERT OR REPLACE INTO access_keys VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    IAMD_TRY(del_key_.Prepare(db_, "DELETE FROM access_keys WHERE key_id = ?1"));
    IAMD_TRY(put_login_.Prepare(db_, "INSERT OR REPLACE INTO login_profiles VALUES (?1, ?2, ?3, ?4)"));
    IAMD_TRY(del_login_.Prepare(db_, "DELETE FROM login_profiles WHERE user_id = ?1"));
    IAMD_TRY(put_cert_.Prepare(db_,
        "INSERT OR REPLACE INTO signing_certificates VALUES (?1, ?2, ?3, ?4, ?5)"));
    IAMD_TRY(del_cert_.Prepare(db_, "DELETE FROM signing_certificates WHERE id = ?1"));
    IAMD_TRY(put_ssh_.Prepare(db_,
        "INSERT OR REPLACE INTO ssh_public_keys VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    IAMD_TRY(del_ssh_.Prepare(db_, "DELETE FROM ssh_public_keys WHERE id = ?1"));
    IAMD_TRY(put_mfa_.Prepare(db_,
        "INSERT OR REPLACE INTO mfa_devices VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    IAMD_TRY(del_mfa_.Prepare(db_, "DELETE FROM mfa_devices WHERE serial = ?1"));
    IAMD_TRY(put_server_cert_.Prepare(db_,
        "INSERT OR REPLACE INTO server_certificates VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    IAMD_TRY(del_server_cert_.Prepare(db_, "DELETE FROM server_certificates WHERE id = ?1"));
    IAMD_TRY(put_service_cred_.Prepare(db_,
        "INSERT OR REPLACE INTO service_credentials VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    IAMD_TRY(del_service_cred_.Prepare(db_, "DELETE FROM service_credentials WHERE id = ?1"));
    IAMD_TRY(put_saml_.Prepare(db_,
        "INSERT OR REPLACE INTO saml_providers VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    IAMD_TRY(del_saml_.Prepare(db_, "DELETE FROM saml_providers WHERE name = ?1"));
    IAMD_TRY(put_saml_key_.Prepare(db_,
        "INSERT INTO saml_provider_keys VALUES (?1, ?2, ?3, ?4, ?5)"));
    IAMD_TRY(del_saml_keys_.Prepare(db_, "DELETE FROM saml_provider_keys WHERE name = ?1"));
    IAMD_TRY(put_task_.Prepare(db_, "INSERT OR REPLACE INTO deletion_tasks VALUES (?1, ?2, ?3)"));
    IAMD_TRY(del_task_.Prepare(db_, "DELETE FROM deletion_tasks WHERE id = ?1"));
    IAMD_TRY(put_oidc_.Prepare(db_, Upsert("oidc_providers", {"url", "create_ms"}, "url").c_str()));
    IAMD_TRY(del_oidc_.Prepare(db_, "DELETE FROM oidc_providers WHERE url = ?1"));
    IAMD_TRY(del_oidc_values_.Prepare(db_, "DELETE FROM oidc_provider_values WHERE url = ?1"));
    IAMD_TRY(put_oidc_value_.Prepare(db_,
        "INSERT INTO oidc_provider_values VALUES (?1, ?2, ?3, ?4)"));
    IAMD_TRY(put_setting_.Prepare(db_, "INSERT OR REPLACE INTO account_settings VALUES (?1, ?2)"));
    IAMD_TRY(del_setting_.Prepare(db_, "DELETE FROM account_settings WHERE name = ?1"));
    IAMD_TRY(del_tags_.Prepare(db_, "DELETE FROM tags WHERE entity_id = ?1"));
    IAMD_TRY(put_tag_.Prepare(db_, "INSERT INTO tags VALUES (?1, ?2, ?3, ?4)"));
    return {};
  }

  // Removes the row `del` deletes by its key (`id`), and the tags of that entity.
  Status RemoveWithTags(Stmt& del, const std::string& id) {
    IAMD_TRY(del.Bind(1, id).Exec());
    return del_tags_.Bind(1, id).Exec();
  }
  Status WriteTags(const std::string& entity_id, const model::Tags& tags) {
    IAMD_TRY(del_tags_.Bind(1, entity_id).Exec());
    for (size_t i = 0; i < tags.size(); ++i)
      IAMD_TRY(put_tag_.Bind(1, entity_id)
                   .Bind(2, static_cast<int64_t>(i))
                   .Bind(3, tags[i].key)
                   .Bind(4, tags[i].value)
                   .Exec());
    return {};
  }

  Status Write(const model::RoleRecord& r) {
    IAMD_TRY(put_role_.Bind(1, r.id).Bind(2, r.name).Bind(3, r.path).Bind(4, r.create_millis)
                 .Bind(5, r.trust_policy).Bind(6, r.description).Bind(7, r.max_session_duration)
                 .Bind(8, r.permissions_boundary_arn).Bind(9, r.last_used_millis)
                 .Bind(10, r.last_used_region).Bind(11, r.trust_principal_ids)
                 .Bind(12, r.services_used).Exec());
    return WriteTags(r.id, r.tags);
  }
  Status Write(const model::Removed<model::RoleKey>& r) {
    return RemoveWithTags(del_role_, r.key.id);
  }
  Status Write(const model::InstanceProfileRecord& r) {
    IAMD_TRY(put_profile_.Bind(1, r.id).Bind(2, r.name).Bind(3, r.path).Bind(4, r.create_millis)
                 .Bind(5, r.role_id).Exec());
    return WriteTags(r.id, r.tags);
  }
  Status Write(const model::Removed<model::InstanceProfileKey>& r) {
    return RemoveWithTags(del_profile_, r.key.id);
  }
  Status Write(const model::ManagedPolicyRecord& r) {
    IAMD_TRY(put_policy_.Bind(1, r.id).Bind(2, r.name).Bind(3, r.path).Bind(4, r.description)
                 .Bind(5, r.create_millis).Bind(6, r.update_millis).Bind(7, r.default_version_id)
                 .Bind(8, r.next_version_number).Exec());
    return WriteTags(r.id, r.tags);
  }
  Status Write(const model::Removed<model::ManagedPolicyKey>& r) {
    return RemoveWithTags(del_policy_, r.key.id);
  }
  Status Write(const model::PolicyVersionRecord& r) {
    return put_version_.Bind(1, r.policy_id).Bind(2, r.version_id).Bind(3, r.document)
        .Bind(4, r.create_millis).Exec();
  }
  Status Write(const model::Removed<model::PolicyVersionKey>& r) {
    return del_version_.Bind(1, r.key.policy_id).Bind(2, r.key.version_id).Exec();
  }
  Status Write(const model::InlinePolicyRecord& r) {
    return put_inline_.Bind(1, static_cast<int64_t>(r.owner_kind)).Bind(2, r.owner_id)
        .Bind(3, r.name).Bind(4, r.document).Exec();
  }
  Status Write(const model::Removed<model::InlinePolicyKey>& r) {
    return del_inline_.Bind(1, static_cast<int64_t>(r.key.owner_kind)).Bind(2, r.key.owner_id)
        .Bind(3, r.key.name).Exec();
  }
  Status Write(const model::AttachmentRecord& r) {
    return put_attachment_.Bind(1, static_cast<int64_t>(r.owner_kind)).Bind(2, r.owner_id)
        .Bind(3, r.policy_arn).Exec();
  }
  Status Write(const model::Removed<model::AttachmentKey>& r) {
    return del_attachment_.Bind(1, static_cast<int64_t>(r.key.owner_kind)).Bind(2, r.key.owner_id)
        .Bind(3, r.key.policy_arn).Exec();
  }
  Status Write(const model::UserRecord& r) {
    IAMD_TRY(put_user_.Bind(1, r.id).Bind(2, r.name).Bind(3, r.path).Bind(4, r.create_millis)
                 .Bind(5, r.permissions_boundary_arn).Bind(6, r.password_last_used_millis)
                 .Bind(7, r.services_used).Exec());
    return WriteTags(r.id, r.tags);
  }
  Status Write(const model::Removed<model::UserKey>& r) {
    return RemoveWithTags(del_user_, r.key.id);
  }
  Status Write(const model::GroupRecord& r) {
    return put_group_.Bind(1, r.id).Bind(2, r.name).Bind(3, r.path).Bind(4, r.create_millis).Exec();
  }
  Status Write(const model::Removed<model::GroupKey>& r) {
    return del_group_.Bind(1, r.key.id).Exec();
  }
  Status Write(const model::GroupMembershipRecord& r) {
    return put_member_.Bind(1, r.group_id).Bind(2, r.user_id).Exec();
  }
  Status Write(const model::Removed<model::GroupMembershipKey>& r) {
    return del_member_.Bind(1, r.key.group_id).Bind(2, r.key.user_id).Exec();
  }
  Status Write(const model::AccessKeyRecord& r) {
    return put_key_.Bind(1, r.access_key_id).Bind(2, r.user_id).Bind(3, int64_t{r.active})
        .Bind(4, r.create_millis).BindBlob(5, r.secret_sealed).Bind(6, r.last_used_millis)
        .Bind(7, r.last_used_service).Bind(8, r.last_used_region).Exec();
  }
  Status Write(const model::Removed<model::AccessKeyKey>& r) {
    return del_key_.Bind(1, r.key.access_key_id).Exec();
  }
  Status Write(const model::LoginProfileRecord& r) {
    return put_login_.Bind(1, r.user_id).Bind(2, r.create_millis).Bind(3, r.password_hash)
        .Bind(4, int64_t{r.password_reset_required}).Exec();
  }
  Status Write(const model::Removed<model::LoginProfileKey>& r) {
    return del_login_.Bind(1, r.key.user_id).Exec();
  }
  Status Write(const model::SigningCertificateRecord& r) {
    return put_cert_.Bind(1, r.id).Bind(2, r.user_id).Bind(3, r.body)
        .Bind(4, int64_t{r.active}).Bind(5, r.upload_millis).Exec();
  }
  Status Write(const model::Removed<model::SigningCertificateKey>& r) {
    return del_cert_.Bind(1, r.key.id).Exec();
  }
  Status Write(const model::SshPublicKeyRecord& r) {
    return put_ssh_.Bind(1, r.id).Bind(2, r.user_id).Bind(3, r.body).Bind(4, r.fingerprint)
        .Bind(5, int64_t{r.active}).Bind(6, r.upload_millis).Exec();
  }
  Status Write(const model::Removed<model::SshPublicKeyKey>& r) {
    return del_ssh_.Bind(1, r.key.id).Exec();
  }
  Status Write(const model::MfaDeviceRecord& r) {
    IAMD_TRY(put_mfa_.Bind(1, r.serial).Bind(2, r.name).Bind(3, r.path).Bind(4, r.create_millis)
                 .BindBlob(5, r.seed_sealed).Bind(6, r.user_id).Bind(7, r.enable_millis)
                 .Bind(8, r.last_step).Exec());
    return WriteTags(r.serial, r.tags);
  }
  Status Write(const model::Removed<model::MfaDeviceKey>& r) {
    return RemoveWithTags(del_mfa_, r.key.serial);
  }
  Status Write(const model::ServerCertificateRecord& r) {
    IAMD_TRY(put_server_cert_.Bind(1, r.id).Bind(2, r.name).Bind(3, r.path).Bind(4, r.body)
                 .Bind(5, r.chain).BindBlob(6, r.private_key_sealed).Bind(7, r.upload_millis)
                 .Bind(8, r.expiration_millis).Exec());
    return WriteTags(r.id, r.tags);
  }
  Status Write(const model::Removed<model::ServerCertificateKey>& r) {
    return RemoveWithTags(del_server_cert_, r.key.id);
  }
  Status Write(const model::ServiceCredentialRecord& r) {
    return put_service_cred_.Bind(1, r.id).Bind(2, r.user_id).Bind(3, r.service_name)
        .Bind(4, r.service_user_name).BindBlob(5, r.secret_sealed).Bind(6, int64_t{r.active})
        .Bind(7, r.upload_millis).Bind(8, r.expiration_millis).Exec();
  }
  Status Write(const model::Removed<model::ServiceCredentialKey>& r) {
    return del_service_cred_.Bind(1, r.key.id).Exec();
  }
  Status Write(const model::SamlProviderRecord& r) {
    IAMD_TRY(put_saml_.Bind(1, r.name).Bind(2, r.uuid).Bind(3, r.document).Bind(4, r.create_millis)
                 .Bind(5, r.valid_until_millis).Bind(6, int64_t{r.encryption_required}).Exec());
    IAMD_TRY(del_saml_keys_.Bind(1, r.name).Exec());
    for (size_t i = 0; i < r.private_keys.size(); ++i) {
      const model::SamlPrivateKey& k = r.private_keys[i];
      IAMD_TRY(put_saml_key_.Bind(1, r.name).Bind(2, static_cast<int64_t>(i)).Bind(3, k.key_id)
                   .Bind(4, k.timestamp_millis).BindBlob(5, k.key_sealed).Exec());
    }
    return WriteTags(SamlTagsId(r.name), r.tags);
  }
  Status Write(const model::Removed<model::SamlProviderKey>& r) {
    IAMD_TRY(del_saml_.Bind(1, r.key.name).Exec());
    IAMD_TRY(del_saml_keys_.Bind(1, r.key.name).Exec());
    return del_tags_.Bind(1, SamlTagsId(r.key.name)).Exec();
  }
  Status Write(const model::DeletionTaskRecord& r) {
    return put_task_.Bind(1, r.id).Bind(2, r.status).Bind(3, r.create_millis).Exec();
  }
  Status Write(const model::Removed<model::DeletionTaskKey>& r) {
    return del_task_.Bind(1, r.key.id).Exec();
  }
  Status Write(const model::OidcProviderRecord& r) {
    IAMD_TRY(put_oidc_.Bind(1, r.url).Bind(2, r.create_millis).Exec());
    IAMD_TRY(del_oidc_values_.Bind(1, r.url).Exec());
    const std::vector<std::string>* lists[] = {&r.client_ids, &r.thumbprints};
    for (int64_t list = 0; list < 2; ++list)
      for (size_t i = 0; i < lists[list]->size(); ++i)
        IAMD_TRY(put_oidc_value_.Bind(1, r.url).Bind(2, list).Bind(3, static_cast<int64_t>(i))
                     .Bind(4, (*lists[list])[i]).Exec());
    return WriteTags(OidcTagsId(r.url), r.tags);
  }
  Status Write(const model::Removed<model::OidcProviderKey>& r) {
    IAMD_TRY(del_oidc_.Bind(1, r.key.url).Exec());
    IAMD_TRY(del_oidc_values_.Bind(1, r.key.url).Exec());
    return del_tags_.Bind(1, OidcTagsId(r.key.url)).Exec();
  }

  Status Write(const model::AccountSettingRecord& r) {
    return put_setting_.Bind(1, r.name).Bind(2, r.value).Exec();
  }
  Status Write(const model::Removed<model::AccountSettingKey>& r) {
    return del_setting_.Bind(1, r.key.name).Exec();
  }

  Status CheckReady() const {
    if (ready_) return {};
    return Fail(ErrorCode::kServiceFailure,
                "the store was opened at an older schema version: it can only be closed");
  }

  bool ready_ = false;  // migrated to the latest schema and its statements prepared
  sqlite3* db_ = nullptr;
  Stmt begin_, commit_, rollback_;
  Stmt put_role_, del_role_, put_profile_, del_profile_, put_policy_, del_policy_;
  Stmt put_version_, del_version_, put_inline_, del_inline_, put_attachment_, del_attachment_;
  Stmt put_user_, del_user_, put_group_, del_group_, put_member_, del_member_;
  Stmt put_key_, del_key_, put_login_, del_login_, put_task_, del_task_, del_tags_, put_tag_;
  Stmt put_oidc_, del_oidc_, del_oidc_values_, put_oidc_value_;
  Stmt put_setting_, del_setting_;
  Stmt put_cert_, del_cert_, put_ssh_, del_ssh_, put_mfa_, del_mfa_, put_server_cert_,
      del_server_cert_, put_service_cred_, del_service_cred_, put_saml_, del_saml_,
      put_saml_key_, del_saml_keys_;
};

}  // namespace

int SqliteSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  auto store = std::make_unique<SqliteStore>();
  IAMD_TRY(store->Open(path, options));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace iamd::store
