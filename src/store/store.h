// The durable store: the source of truth for the IAM model. The in-memory model (src/model) is a
// cache rebuilt from it at start-up. SQLite is the embedded default; a PostgreSQL store can
// implement the same interface.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "common/error.h"
#include "model/records.h"

namespace iamd::store {

class Store {
 public:
  virtual ~Store() = default;

  // Calls `sink` with every stored record, each owner before the records that refer to it
  // (policies, then roles/users/groups, then what they own). Stops at the first error.
  virtual Status Load(const std::function<Status(const model::Change&)>& sink) = 0;

  // Writes all the change sets in one transaction and returns once it is durable on disk, or
  // an error with nothing written. Called by one thread at a time (the group committer).
  virtual Status Commit(std::span<const model::ChangeSet* const> batch) = 0;
};

struct SqliteOptions {
  // synchronous=FULL: a commit returns only after fsync. Tests may turn it off for speed.
  bool durable = true;
  // Stop the migrations at this schema version (0: the latest). Tests use it to make a file as
  // an older iamd left it: such a store may only be closed again (Load and Commit fail). A
  // server never sets it.
  int schema_version = 0;
};

// Opens (creating if needed) the SQLite database at `path` and brings its schema up to date.
// Errors: ServiceFailure with SQLite's message.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

// The schema version this build writes (migrations bring older files up to it).
int SqliteSchemaVersion();

}  // namespace iamd::store
