// The IAM and STS Query APIs over one account: authentication, the action table, handlers,
// XML responses and errors. Transport-agnostic: src/server feeds it requests and waits, when a
// response asks for it, until the state the response shows is durable.
//
// Thread-safety: Handle may be called from many threads at once. Reads share the model; writes
// take it exclusively for the time it takes to check and apply a change (microseconds), and
// their durability is awaited outside the lock (group commit).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "auth/web_identity.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/ids.h"
#include "model/state.h"
#include "store/group_commit.h"
#include "store/store.h"

namespace iamd::auth {
class Sealer;
}

namespace iamd::api {

struct HttpRequest {
  std::string_view method;  // "GET", "POST"
  std::string_view target;  // raw request-target: "/?Action=..." or "/"
  // In the order received. Names may be in any case (the HTTP server passes them lowercase,
  // which makes lookups by lowercase name a byte comparison); values are as sent.
  std::span<const std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;
  std::string_view remote_ip;  // for aws:SourceIp
  bool secure_transport = false;  // arrived over TLS: aws:SecureTransport
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/xml";
  std::string body;
  // If non-zero: the response shows state up to this sequence number, which must be durable
  // before the response is sent (see IamService::WhenDurable).
  uint64_t wait_for = 0;
  // For the request log.
  std::string action;
  std::string caller;
  std::string request_id;
  std::string namespace_uri;  // of the action's service, for a later error response
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

enum class AuthMode {
  kEnforce,     // every request is signed and authorized against IAM policies (default)
  kPermissive,  // any well-formed signature is accepted and acts as the root user
};

struct ServiceConfig {
  std::string account_id = "123456789012";
  std::string root_access_key_id;
  std::string root_secret_access_key;
  AuthMode auth_mode = AuthMode::kEnforce;
  // 32 bytes that seal secrets at rest and session tokens (the data folder's key file). Empty:
  // a random key for this process only (tests).
  std::string master_key;
  // How often the times roles and access keys were last used are stored (in memory in between;
  // stored at Shutdown too). Zero: only by FlushUsage and Shutdown.
  std::chrono::milliseconds usage_flush_interval{30000};
  // The signature keys of OpenID Connect identity providers, by issuer URL without its
  // "https://" (as an OIDC provider's Url is kept): what AssumeRoleWithWebIdentity verifies ID
  // tokens with. iamd fetches nothing from a provider; an issuer without keys here has its
  // tokens refused as AWS refuses one whose keys it cannot retrieve.
  std::map<std::string, std::shared_ptr<const auth::JsonWebKeySet>, std::less<>>
      web_identity_keys;
  // The issuer that outbound identity federation's tokens (GetWebIdentityToken) name, in place
  // of the account's https://<uuid>.tokens.sts.global.api.aws: a URL under which iamd's own
  // listener serves /.well-known/openid-configuration and /.well-known/jwks.json, so that a
  // service can verify them. Empty: the account's AWS-style issuer.
  std::string outbound_issuer;
};

class IamService {
 public:
  // Loads the model from `store`. Errors: the store's.
  static Result<std::unique_ptr<IamService>> Create(ServiceConfig config,
                                                    std::unique_ptr<store::Store> store,
                                                    const Clock& clock, IdSource& ids);
  ~IamService();

  HttpResponse Handle(const HttpRequest& request);

  // Calls `done(true)` once sequence number `seq` is durable, `done(false)` if it was lost.
  void WhenDurable(uint64_t seq, std::function<void(bool)> done);
  // Lock-free check: true if `seq` is already known to be durable.
  bool IsDurable(uint64_t seq) const { return committer_->IsDurable(seq); }
  // The error response that replaces `response` when its state could not be made durable.
  HttpResponse DurabilityFailure(const HttpResponse& response) const;

  // Stores the last uses of roles and access keys recorded since the previous flush (in one
  // change set, applied to the model at once) and returns the sequence number that makes them
  // durable, 0 if there was nothing to store. Runs by itself every usage_flush_interval.
  uint64_t FlushUsage();

  // Stores the last uses, commits what is queued and stops the committer. Idempotent.
  void Shutdown();

  const ServiceConfig& config() const { return config_; }

 private:
  friend class Dispatcher;
  friend class ImdsService;
  friend class ServiceRoleCredentials;
  IamService(ServiceConfig config, std::unique_ptr<store::Store> store, const Clock& clock,
             IdSource& ids);
  void OnCommitFailure(const Error& error);
  HttpResponse Reset();
  // The secret of an access key, opened from its sealed form (cached per thread); the view is
  // valid until the calling thread opens another secret.
  std::optional<std::string_view> OpenSecret(const model::AccessKey& key) const;

  ServiceConfig config_;
  const std::string root_arn_;  // arn:aws:iam::<account>:root, the root caller of every request
  std::unique_ptr<store::Store> store_;
  const Clock& clock_;
  IdSource& ids_;
  mutable std::shared_mutex mu_;  // guards state_
  model::State state_;
  std::unique_ptr<store::GroupCommitter> committer_;
  std::unique_ptr<auth::Sealer> sealer_;
  std::unique_ptr<class UsageTracker> usage_;
  // The thread that calls FlushUsage every usage_flush_interval until Shutdown.
  std::mutex flusher_mu_;
  std::condition_variable flusher_cv_;
  bool flusher_stop_ = false;
  std::thread flusher_;
};

}  // namespace iamd::api
