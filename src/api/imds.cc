#include "api/imds.h"

#include <shared_mutex>

#include "api/sts.h"
#include "api/usage.h"
#include "auth/keys.h"
#include "auth/sealer.h"
#include "common/strings.h"
#include "common/time.h"
#include "policy/evaluator.h"

namespace iamd::api {
namespace {

constexpr std::string_view kService = "ec2.amazonaws.com";

std::string_view Header(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return {};
}

HttpResponse Text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

}  // namespace

ServiceRoleCredentials::ServiceRoleCredentials(IamService& service, std::string principal,
                                               std::string session_name)
    : service_(service), principal_(std::move(principal)), session_name_(std::move(session_name)) {}

std::optional<ServiceRoleCredentials::Issued> ServiceRoleCredentials::Current(
    const std::function<const model::Role*(const model::State&)>& find_role) {
  IamService& s = service_;
  int64_t now = s.clock_.NowMillis();
  std::shared_lock model_lock(s.mu_);
  const model::Role* role = find_role(s.state_);
  if (!role || !role->trust) return std::nullopt;
  // The service assumes the role as its service principal: the trust policy alone decides.
  policy::Principal principal;
  principal.type = policy::PrincipalType::kService;
  principal.service = principal_;
  if (policy::EvaluateTrustPolicy(*role->trust, principal, nullptr).decision !=
      policy::Decision::kAllow)
    return std::nullopt;
  std::lock_guard lock(mu_);
  if (issued_ && issued_->role_id == role->rec.id &&
      issued_->claims.expires_millis - now > kRefreshBeforeSeconds * 1000)
    return issued_;
  Issued fresh;
  fresh.role_id = role->rec.id;
  fresh.role_name = role->rec.name;
  fresh.role_arn = role->arn;
  fresh.claims = NewRoleSession(*role, session_name_, now, kCredentialSeconds);
  fresh.claims.account = s.state_.account_id();
  fresh.token = auth::EncodeSessionToken(*s.sealer_, fresh.claims);
  fresh.updated_millis = now;
  s.usage_->RecordRole(role->rec.id, now, "us-east-1");
  issued_ = std::move(fresh);
  return issued_;
}

// EC2 instance IDs: "i-" and 17 hexadecimal digits.
ImdsService::ImdsService(IamService& service, std::string instance_profile)
    : service_(service),
      profile_(std::move(instance_profile)),
      instance_id_("i-" + HexEncode(auth::RandomBytes(9)).substr(0, 17)),
      credentials_(service, std::string(kService), instance_id_) {}

std::optional<ServiceRoleCredentials::Issued> ImdsService::CurrentCredentials() {
  return credentials_.Current([this](const model::State& state) -> const model::Role* {
    auto profile = state.GetInstanceProfile(profile_);
    return profile ? (*profile)->role : nullptr;
  });
}

HttpResponse ImdsService::Handle(const HttpRequest& request) {
  std::string_view path = request.target.substr(0, request.target.find('?'));
  int64_t now = service_.clock_.NowMillis();
  if (request.method == "PUT") {
    if (path != "/latest/api/token") return Text(404, "Not Found");
    auto ttl = ParseInt64(Header(request, "X-aws-ec2-metadata-token-ttl-seconds"));
    if (!ttl || *ttl < 1 || *ttl > 21600) return Text(400, "Bad Request");
    std::string token = Base64Encode(auth::RandomBytes(42));
    {
      std::lock_guard lock(mu_);
      std::erase_if(tokens_, [now](const auto& t) { return t.second <= now; });
      // A bound on what a flood of PUTs can hold; EC2's own limit is lower still.
      if (tokens_.size() >= kMaxTokens) return Text(429, "Too Many Requests");
      tokens_[token] = now + *ttl * 1000;
    }
    HttpResponse r = Text(200, token);
    r.extra_headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", std::to_string(*ttl));
    return r;
  }
  if (request.method != "GET") return Text(405, "Method Not Allowed");
  // IMDSv2: a token, when sent, must be one we issued and still valid (v1 GETs carry none).
  std::string_view token = Header(request, "X-aws-ec2-metadata-token");
  if (!token.empty()) {
    std::lock_guard lock(mu_);
    auto it = tokens_.find(std::string(token));
    if (it == tokens_.end() || it->second <= now) return Text(401, "Unauthorized");
  }
  const std::string prefix = "/latest/meta-data/iam/security-credentials/";
  if (path == "/latest/meta-data/instance-id") return Text(200, instance_id_);
  if (path == "/latest/meta-data/placement/region") return Text(200, "us-east-1");
  if (path == "/latest/meta-data/placement/availability-zone") return Text(200, "us-east-1a");
  if (path == "/latest/dynamic/instance-identity/document") {
    HttpResponse r = Text(200, "{\"accountId\":\"" + service_.config().account_id +
                                   "\",\"instanceId\":\"" + instance_id_ +
                                   "\",\"region\":\"us-east-1\",\"availabilityZone\":\"us-east-1a\"}");
    r.content_type = "application/json";
    return r;
  }
  if (path == prefix || std::string(path) + "/" == prefix) {
    auto creds = CurrentCredentials();
    if (!creds) return Text(404, "Not Found");
    return Text(200, creds->role_name);
  }
  if (path.substr(0, prefix.size()) == prefix) {
    auto creds = CurrentCredentials();
    if (!creds || path.substr(prefix.size()) != creds->role_name) return Text(404, "Not Found");
    const auth::SessionClaims& c = creds->claims;
    HttpResponse r = Text(
        200, "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"" +
                 FormatIso8601(creds->updated_millis) +
                 "\",\n  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"" + c.access_key_id +
                 "\",\n  \"SecretAccessKey\" : \"" + c.secret_access_key +
                 "\",\n  \"Token\" : \"" + creds->token + "\",\n  \"Expiration\" : \"" +
                 FormatIso8601(c.expires_millis) + "\"\n}");
    return r;
  }
  if (path == "/latest/meta-data/iam/info") {
    std::shared_lock model_lock(service_.mu_);
    auto profile = service_.state_.GetInstanceProfile(profile_);
    if (!profile) return Text(404, "Not Found");
    std::string body = "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"" +
                       FormatIso8601(now) + "\",\n  \"InstanceProfileArn\" : \"";
    AppendJsonEscaped(body, (*profile)->arn);  // (a path may hold " and \)
    body += "\",\n  \"InstanceProfileId\" : \"" + (*profile)->rec.id + "\"\n}";
    return Text(200, std::move(body));
  }
  return Text(404, "Not Found");
}

// ---- ECS task credentials ----

namespace {
constexpr std::string_view kEcsTasks = "ecs-tasks.amazonaws.com";

// A task ID as ECS shows them: 32 hexadecimal digits.
std::string NewTaskId() { return HexEncode(auth::RandomBytes(16)); }

// A UUID (version 4) for the credentials path, as ECS's agent makes one per task.
std::string NewCredentialsId() {
  std::string hex = HexEncode(auth::RandomBytes(16));
  hex[12] = '4';
  hex[16] = "89ab"[static_cast<unsigned char>(hex[16]) % 4];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}
}  // namespace

ContainerCredentialsService::ContainerCredentialsService(IamService& service,
                                                         std::string role_name)
    : role_name_(std::move(role_name)),
      task_id_(NewTaskId()),
      path_("/v2/credentials/" + NewCredentialsId()),
      credentials_(service, std::string(kEcsTasks), task_id_) {}

HttpResponse ContainerCredentialsService::Handle(const HttpRequest& request) {
  std::string_view path = request.target.substr(0, request.target.find('?'));
  if (path != path_) return Text(404, "Not Found");
  if (request.method != "GET") return Text(405, "Method Not Allowed");
  auto creds = credentials_.Current([this](const model::State& state) -> const model::Role* {
    auto role = state.GetRole(role_name_);
    return role ? *role : nullptr;
  });
  if (!creds) return Text(404, "Not Found");
  // The fields of the task credentials ECS's agent returns (Amazon ECS Developer Guide, "Task
  // IAM role"): AccessKeyId, Expiration, RoleArn, SecretAccessKey, Token.
  // (A role's path may hold " and \, which JSON escapes.)
  const auth::SessionClaims& c = creds->claims;
  std::string body = "{\"AccessKeyId\":\"" + c.access_key_id + "\",\"Expiration\":\"" +
                     FormatIso8601(c.expires_millis) + "\",\"RoleArn\":\"";
  AppendJsonEscaped(body, creds->role_arn);
  body += "\",\"SecretAccessKey\":\"" + c.secret_access_key + "\",\"Token\":\"" + creds->token +
          "\"}";
  HttpResponse r = Text(200, std::move(body));
  r.content_type = "application/json";
  return r;
}

}  // namespace iamd::api
