#include "api/service.h"

#include <mutex>
#include <unordered_map>

#include "api/handlers.h"
#include "api/iam_handlers.h"
#include "api/authz.h"
#include "api/usage.h"
#include "auth/keys.h"
#include "auth/sealer.h"
#include "auth/session_token.h"
#include "auth/sigv4.h"
#include "common/arn.h"
#include "common/url.h"
#include "common/xml.h"

namespace iamd::api {
namespace {

constexpr std::string_view kIamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/";
constexpr std::string_view kStsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";
constexpr std::string_view kAcceptedServices[] = {"iam", "sts"};

// The one place that turns an Error into the wire: status from the error table, XML body.
void RenderError(HttpResponse& response, const Error& error) {
  const ErrorInfo& info = Describe(error.code);
  response.status = info.http_status;
  response.body.clear();
  XmlWriter xml(response.body);
  xml.OpenWithNamespace("ErrorResponse", response.namespace_uri.empty()
                                             ? kIamNamespace
                                             : std::string_view(response.namespace_uri));
  xml.Open("Error");
  xml.Element("Type", info.sender_fault ? "Sender" : "Receiver");
  xml.Element("Code", info.aws_code);
  // AWS leaves Message out of some errors (ReportNotPresent, recorded by LocalStack's
  // AWS-validated snapshot test_iam_credential_report, February 2026): so does an empty one.
  if (!error.message.empty()) xml.Element("Message", error.message);
  xml.Close("Error");
  xml.Element("RequestId", response.request_id);
  xml.Close("ErrorResponse");
}

using FormPairs = std::vector<std::pair<std::string, std::string>>;

// Query string and (for POST) form body, in that order.
Result<FormPairs> DecodeForm(const HttpRequest& request) {
  FormPairs form;
  size_t q = request.target.find('?');
  if (q != std::string_view::npos) {
    auto pairs = ParseFormEncoded(request.target.substr(q + 1));
    if (!pairs) return Fail(ErrorCode::kMalformedQueryString, "Malformed query string.");
    form = std::move(*pairs);
  }
  if (!request.body.empty()) {
    auto pairs = ParseFormEncoded(request.body);
    if (!pairs) return Fail(ErrorCode::kMalformedQueryString, "Malformed request body.");
    if (form.empty()) return std::move(*pairs);
    for (auto& p : *pairs) form.push_back(std::move(p));
  }
  return form;
}

std::string_view FindParam(const FormPairs& form, std::string_view name) {
  for (const auto& [k, v] : form)
    if (k == name) return v;
  return {};
}

}  // namespace

// Dispatches one request; a friend of IamService, so that the request path reads top to bottom.
class Dispatcher {
 public:
  Dispatcher(IamService& service, HttpResponse& response)
      : s_(service), response_(response) {}

  void Run(const HttpRequest& request) {
    source_ip_ = request.remote_ip;
    secure_transport_ = request.secure_transport;
    auto form = DecodeForm(request);
    if (!form) return RenderError(response_, form.error());
    std::string_view action = FindParam(*form, "Action");
    response_.action = std::string(action);
    const OperationSpec* op = action.empty() ? nullptr : FindOperation(action);
    if (op && op->service == "sts") response_.namespace_uri = std::string(kStsNamespace);
    // A read takes the model's shared lock once, for authentication and the action both.
    const ActionDef* const found = op ? FindAction(action) : nullptr;
    if (found && found->access == Access::kRead) read_lock_ = std::shared_lock(s_.mu_);

    // Authenticate before anything else, as AWS does: an unsigned request learns nothing. The
    // exceptions: AssumeRoleWithWebIdentity and AssumeRoleWithSAML take no credentials (STS
    // API reference: "Calling AssumeRoleWithWebIdentity does not require the use of AWS
    // security credentials", and the same of AssumeRoleWithSAML); their handlers check the ID
    // token or SAML assertion the request carries, and a signature, if sent, is not read.
    const std::string_view version = FindParam(*form, "Version");
    const bool anonymous =
        op && op->service == "sts" &&
        (action == "AssumeRoleWithWebIdentity" || action == "AssumeRoleWithSAML") &&
        (version.empty() || version == op->version);
    auto caller = anonymous ? Result<Caller>(Anonymous()) : Authenticate(request);
    if (!caller) return RenderError(response_, caller.error());
    response_.caller = caller->arn;

    if (action.empty())
      return RenderError(response_, Error(ErrorCode::kMissingAction,
                                          "Could not find operation for version "
                                          "(missing Action parameter)."));
    // An action sent with the other service's API version does not exist there (AWS).
    if (op && !version.empty() && version != op->version) op = nullptr;
    const ActionDef* def = op ? found : nullptr;
    if (!def)
      return RenderError(response_,
                         Error(ErrorCode::kInvalidAction,
                               "Could not find operation " + std::string(action) + " for version " +
                                   std::string(!version.empty() ? version : "2010-05-08")));
    // Credentials from GetSessionToken may call IAM APIs only if MFA was used to get them, and no
    // STS API but AssumeRole and GetCallerIdentity (STS API reference, GetSessionToken).
    // Credentials from GetFederationToken may call no IAM API and no STS API but
    // GetCallerIdentity (STS API reference, GetFederationToken): refused the same way. IAM's
    // answer to GetSessionToken credentials is recorded in aws/aws-cli#8918, without the
    // final period of the unknown-key message; the answer to federation credentials is iamd's.
    if (caller->session && caller->session->kind != auth::SessionClaims::Kind::kRoleSession) {
      const bool federated = caller->kind == Caller::Kind::kFederatedUser;
      if (op->service == "iam" && (federated || !caller->session->mfa_millis))
        return RenderError(response_, Error(ErrorCode::kInvalidClientTokenId,
                                            "The security token included in the request is "
                                            "invalid"));
      // GetWebIdentityToken takes GetSessionToken's credentials but not a federated user's
      // (both recorded from AWS, radkawar/stackd testdata/aws/iam/outbound_identity.json).
      if (action == "GetWebIdentityToken" && federated)
        return RenderError(response_,
                           Error(ErrorCode::kAccessDenied,
                                 "GetWebIdentityToken does not support federated user sessions"));
      if (op->service == "sts" && action != "GetCallerIdentity" &&
          action != "GetWebIdentityToken" && (federated || action != "AssumeRole"))
        return RenderError(response_,
                           Error(ErrorCode::kAccessDenied, "Cannot call " + std::string(action) +
                                                               " with session credentials"));
    }
    auto params = Params::Parse(*op, *form);
    if (!params) return RenderError(response_, params.error());
    std::string prepared;
    if (def->prepare) {
      // Authorized before the slow work (hashing a password, reading a metadata document of
      // megabytes): it is done only for callers allowed to ask for it, and a refused caller
      // gets AccessDenied whatever it sent. Execute authorizes again under its lock.
      if (s_.config_.auth_mode == AuthMode::kEnforce) {
        std::string unused_body;
        XmlWriter unused_xml(unused_body);
        model::ChangeSet no_changes;
        auto lock = SharedLock();
        Call call{*params, unused_xml, s_.state_, nullptr, no_changes, *caller, s_.config_,
                  s_.clock_, s_.ids_, *s_.sealer_, *s_.usage_, response_.request_id,
                  source_ip_, region_, {}, secure_transport_};
        if (Status allowed = AuthorizeAction(call, *def); !allowed)
          return RenderError(response_, allowed.error());
      }
      PrepareInput input{*params, *caller, [this](const auto& use) {
                           auto lock = SharedLock();
                           use(s_.state_);
                         }};
      auto made = def->prepare(input);
      if (!made) return RenderError(response_, made.error());
      prepared = std::move(*made);
    }
    prepared_ = prepared;
    Execute(*op, *def, *params, *caller);
  }

 private:
  Caller Anonymous() const {
    Caller caller;
    caller.kind = Caller::Kind::kAnonymous;
    caller.account = s_.config_.account_id;
    return caller;
  }

  Result<Caller> Authenticate(const HttpRequest& request) {
    auth::HttpRequestView view{request.method, request.target, request.headers, request.body};
    auto sig = auth::ParseAuthorization(view);
    if (!sig) return std::unexpected(sig.error());
    region_ = sig->region;
    const ServiceConfig& config = s_.config_;
    Caller caller;
    caller.account = config.account_id;
    caller.access_key_id = sig->access_key_id;
    auto as_root = [&] {
      caller.kind = Caller::Kind::kRoot;
      caller.arn = s_.root_arn_;
      caller.user_id = config.account_id;
      caller.principal_id = config.account_id;
    };
    auto invalid = [] {
      return Fail(ErrorCode::kInvalidClientTokenId,
                  "The security token included in the request is invalid.");
    };
    int64_t now = s_.clock_.NowMillis();
    if (config.auth_mode == AuthMode::kPermissive) {
      // Any well-formed signature acts as the root user; the signature itself is not checked
      // (iamd does not know the secret of a key it never issued).
      as_root();
      return caller;
    }

    std::string_view secret;
    if (!sig->security_token.empty()) {
      // Temporary credentials: the token carries the secret, sealed by this server's key.
      auto claims = auth::DecodeSessionToken(*s_.sealer_, sig->security_token);
      if (!claims || claims->access_key_id != sig->access_key_id ||
          claims->account != config.account_id)
        return invalid();
      if (now >= claims->expires_millis)
        return Fail(ErrorCode::kExpiredToken,
                    "The security token included in the request is expired");
      caller.principal_id = claims->principal_id;
      caller.name = claims->principal_name;
      switch (claims->kind) {
        case auth::SessionClaims::Kind::kRoleSession:
          caller.kind = Caller::Kind::kRoleSession;
          caller.arn = AssumedRoleArn(config.account_id, claims->principal_name,
                                      claims->session_name);
          caller.user_id = claims->principal_id + ":" + claims->session_name;
          break;
        case auth::SessionClaims::Kind::kUserSession: {
          caller.kind = Caller::Kind::kUser;
          auto lock = SharedLock();
          const model::User* user = s_.state_.FindUserById(claims->principal_id);
          if (!user) return invalid();
          caller.arn = user->arn;
          caller.name = user->rec.name;
          caller.user_id = user->rec.id;
          break;
        }
        case auth::SessionClaims::Kind::kRootSession:
          as_root();
          break;
        case auth::SessionClaims::Kind::kFederatedUserSession: {
          // Federated by an IAM user that has been deleted since: the token no longer works,
          // as for GetSessionToken credentials.
          if (claims->principal_id != config.account_id) {
            auto lock = SharedLock();
            if (!s_.state_.FindUserById(claims->principal_id)) return invalid();
          }
          caller.kind = Caller::Kind::kFederatedUser;
          caller.arn = FederatedUserArn(config.account_id, claims->session_name);
          caller.user_id = config.account_id + ":" + claims->session_name;
          caller.name = claims->session_name;
          break;
        }
      }
      caller.session = std::move(*claims);
      secret = caller.session->secret_access_key;
    } else if (sig->access_key_id == config.root_access_key_id) {
      secret = config.root_secret_access_key;
      as_root();
    } else {
      // An IAM user's long-term key: its secret is stored sealed, bound to the key ID.
      auto lock = SharedLock();
      const model::AccessKey* key = s_.state_.FindAccessKey(sig->access_key_id);
      if (!key || !key->rec.active) return invalid();
      auto opened = s_.OpenSecret(*key);
      if (!opened) return invalid();
      secret = *opened;
      caller.kind = Caller::Kind::kUser;
      caller.arn = key->user->arn;
      caller.name = key->user->rec.name;
      caller.user_id = key->user->rec.id;
      caller.principal_id = key->user->rec.id;
    }
    IAMD_TRY(auth::VerifySignature(view, *sig, secret, now, kAcceptedServices));
    if (caller.kind == Caller::Kind::kUser && !caller.session)
      s_.usage_->RecordAccessKey(sig->access_key_id, now, sig->service, sig->region);
    if (caller.kind == Caller::Kind::kUser || caller.kind == Caller::Kind::kRoleSession)
      s_.usage_->RecordPrincipal(caller.principal_id, now, sig->service, sig->region);
    return caller;
  }

  void Execute(const OperationSpec& op, const ActionDef& def, const Params& params,
               const Caller& caller) {
    std::string& body = response_.body;
    body.reserve(1024);
    XmlWriter xml(body);
    std::string wrapper = response_.action + "Response";
    xml.OpenWithNamespace(wrapper, response_.namespace_uri.empty()
                                       ? kIamNamespace
                                       : std::string_view(response_.namespace_uri));
    std::string result = response_.action + "Result";
    if (op.has_output) xml.Open(result);

    model::ChangeSet changes;
    Status status;
    bool enforce = s_.config_.auth_mode == AuthMode::kEnforce;
    if (def.access == Access::kWrite) {
      std::unique_lock lock(s_.mu_);
      Call call{params, xml, s_.state_, &s_.state_, changes, caller, s_.config_,
                s_.clock_, s_.ids_, *s_.sealer_, *s_.usage_, response_.request_id,
                source_ip_, region_, prepared_, secure_transport_};
      // Changes are applied to memory as they are made; whatever was applied is committed,
      // even if the handler then failed (or threw), so that memory and store never disagree.
      try {
        status = enforce ? AuthorizeAction(call, def) : Status{};
        if (status) status = def.handler(call);
      } catch (...) {
        if (!changes.empty()) response_.wait_for = s_.committer_->Submit(std::move(changes));
        throw;
      }
      response_.wait_for = changes.empty() ? s_.committer_->visible()
                                           : s_.committer_->Submit(std::move(changes));
    } else {
      auto lock = SharedLock();
      Call call{params, xml, s_.state_, nullptr, changes, caller, s_.config_,
                s_.clock_, s_.ids_, *s_.sealer_, *s_.usage_, response_.request_id,
                source_ip_, region_, prepared_, secure_transport_};
      status = enforce ? AuthorizeAction(call, def) : Status{};
      if (status) status = def.handler(call);
      response_.wait_for = s_.committer_->visible();
    }
    if (!status) return RenderError(response_, status.error());

    if (op.has_output) xml.Close(result);
    xml.Open("ResponseMetadata");
    xml.Element("RequestId", response_.request_id);
    xml.Close("ResponseMetadata");
    xml.Close(wrapper);
  }

  // The model's shared lock: a new one, or nothing if Run already holds it for this request.
  std::shared_lock<std::shared_mutex> SharedLock() {
    if (read_lock_.owns_lock()) return {};
    return std::shared_lock(s_.mu_);
  }

  IamService& s_;
  HttpResponse& response_;
  std::string region_;
  std::string_view source_ip_;
  bool secure_transport_ = false;
  std::shared_lock<std::shared_mutex> read_lock_;
  std::string_view prepared_;
};

// ---- IamService ----

IamService::IamService(ServiceConfig config, std::unique_ptr<store::Store> store,
                       const Clock& clock, IdSource& ids)
    : config_(std::move(config)),
      root_arn_("arn:aws:iam::" + config_.account_id + ":root"),
      store_(std::move(store)),
      clock_(clock),
      ids_(ids),
      state_(config_.account_id, clock, ids),
      sealer_(std::make_unique<auth::Sealer>(config_.master_key.size() == auth::Sealer::kKeyBytes
                                                 ? config_.master_key
                                                 : auth::RandomBytes(auth::Sealer::kKeyBytes))),
      usage_(std::make_unique<UsageTracker>()) {}

IamService::~IamService() { Shutdown(); }

Result<std::unique_ptr<IamService>> IamService::Create(ServiceConfig config,
                                                       std::unique_ptr<store::Store> store,
                                                       const Clock& clock, IdSource& ids) {
  std::unique_ptr<IamService> service(
      new IamService(std::move(config), std::move(store), clock, ids));
  IAMD_TRY(service->store_->Load(
      [&](const model::Change& change) { return service->state_.Apply(change); }));
  IamService* raw = service.get();
  service->committer_ = std::make_unique<store::GroupCommitter>(
      *service->store_, [raw](const Error& error) { raw->OnCommitFailure(error); });
  if (!service->state_.account_created_millis()) {
    // A new data folder is a new account: its creation time is the root user's in the
    // credential report.
    model::ChangeSet created;
    IAMD_TRY(service->state_.SetAccountCreated(clock.NowMillis() / 1000 * 1000, created));
    service->committer_->Submit(std::move(created));
  }
  if (service->config_.usage_flush_interval.count() > 0) {
    service->flusher_ = std::thread([raw] {
      std::unique_lock lock(raw->flusher_mu_);
      while (!raw->flusher_cv_.wait_for(lock, raw->config_.usage_flush_interval,
                                        [raw] { return raw->flusher_stop_; })) {
        lock.unlock();
        raw->FlushUsage();
        lock.lock();
      }
    });
  }
  return service;
}

std::optional<std::string_view> IamService::OpenSecret(const model::AccessKey& key) const {
  // Opening costs an AES-GCM decryption; remember what each sealed secret opened to. A key
  // re-created under the same ID has another sealed form, so a stale entry never matches.
  thread_local std::unordered_map<std::string, std::pair<std::string, std::string>> cache;
  auto it = cache.find(key.rec.access_key_id);
  if (it != cache.end() && it->second.first == key.rec.secret_sealed)
    return std::string_view(it->second.second);
  auto opened = sealer_->Open(key.rec.secret_sealed, key.rec.access_key_id);
  if (!opened) return std::nullopt;
  if (cache.size() >= 4096) cache.clear();
  auto& slot = cache[key.rec.access_key_id];
  slot = {key.rec.secret_sealed, std::move(*opened)};
  return std::string_view(slot.second);
}

void IamService::OnCommitFailure(const Error& error) {
  // The store still holds the last good state: rebuild memory from it. Every change applied
  // since then is reported as lost to its waiter (ServiceFailure), never acknowledged.
  std::unique_lock lock(mu_);
  committer_->FailPending();
  state_.Clear();
  Status reloaded = store_->Load([this](const model::Change& c) { return state_.Apply(c); });
  if (!reloaded) {
    std::fprintf(stderr, "iamd: fatal: commit failed (%s) and reload failed (%s)\n",
                 error.message.c_str(), reloaded.error().message.c_str());
    std::abort();
  }
}

HttpResponse IamService::Handle(const HttpRequest& request) {
  HttpResponse response;
  std::string_view path = request.target.substr(0, request.target.find('?'));
  if (path.starts_with("/moto-api/")) {
    // moto's control API: only its reset call, and only for emulator use (permissive mode).
    if (config_.auth_mode == AuthMode::kPermissive && request.method == "POST" &&
        path == "/moto-api/reset")
      return Reset();
    response.status = 404;
    response.content_type = "text/plain";
    response.body = "Not Found\n";
    return response;
  }
  if (request.method == "GET" && path.size() == request.target.size() &&
      (path.ends_with("/.well-known/openid-configuration") ||
       path.ends_with("/.well-known/jwks.json"))) {
    // Outbound identity federation's discovery documents: public, like any OIDC issuer's.
    // (Only without a query: a Query API GET names its action there, whatever the path.)
    std::optional<std::string> document;
    {
      std::shared_lock lock(mu_);
      document = OutboundDiscoveryDocument(path, state_, config_);
    }
    response.status = document ? 200 : 404;
    response.content_type = document ? "application/json" : "text/plain";
    response.body = document ? std::move(*document) : "Not Found\n";
    return response;
  }
  response.request_id = ids_.NewRequestId();
  try {
    Dispatcher(*this, response).Run(request);
  } catch (const std::exception& e) {
    // Only resource exhaustion gets here (std::bad_alloc): an error, never a dropped connection.
    uint64_t wait_for = response.wait_for;
    RenderError(response, Error(ErrorCode::kServiceFailure, "Internal failure."));
    response.wait_for = wait_for;
  }
  return response;
}

HttpResponse IamService::Reset() {
  // moto's reset call, for test suites written against moto_server (permissive mode only):
  // every entity goes, durably; the AWS managed policies stay.
  HttpResponse response;
  response.content_type = "application/json";
  model::ChangeSet changes;
  std::unique_lock lock(mu_);
  Status s = state_.DeleteEverything(changes);
  response.wait_for = committer_->Submit(std::move(changes));
  if (!s) {
    response.status = 500;
    response.body = "{\"status\": \"error\"}";
    return response;
  }
  response.body = "{\"status\": \"ok\"}";
  return response;
}

void IamService::WhenDurable(uint64_t seq, std::function<void(bool)> done) {
  committer_->WhenDurable(seq, std::move(done));
}

HttpResponse IamService::DurabilityFailure(const HttpResponse& response) const {
  HttpResponse failed;
  failed.request_id = response.request_id;
  failed.action = response.action;
  failed.caller = response.caller;
  failed.namespace_uri = response.namespace_uri;
  RenderError(failed, Error(ErrorCode::kServiceFailure,
                            "The request could not be made durable; it was not applied."));
  return failed;
}

uint64_t IamService::FlushUsage() {
  UsageTracker::Changes used = usage_->TakeChanged();
  if (used.empty()) return 0;
  model::ChangeSet changes;
  // Submitted under the lock, like every write, so that the store's order is memory's.
  std::unique_lock lock(mu_);
  for (const auto& [id, use] : used.roles)
    state_.RecordRoleUse(id, use.millis, use.region, changes);
  for (const auto& [id, use] : used.keys)
    state_.RecordAccessKeyUse(id, use.millis, use.service, use.region, changes);
  for (const auto& [id, use] : used.principals)
    state_.RecordServiceUse(id, use.service, use.millis, use.region, changes);
  if (changes.empty()) return 0;
  return committer_->Submit(std::move(changes));
}

void IamService::Shutdown() {
  {
    std::lock_guard lock(flusher_mu_);
    if (flusher_stop_) return;
    flusher_stop_ = true;
  }
  flusher_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  if (!committer_) return;  // Create failed before making it
  FlushUsage();
  committer_->Stop();
}

}  // namespace iamd::api
