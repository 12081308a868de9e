// Credentials for compute of AWS services, on listeners of their own: the instance metadata
// service of one virtual EC2 instance (ImdsService) and the credentials endpoint of one ECS task
// (ContainerCredentialsService).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/service.h"
#include "auth/session_token.h"

namespace iamd::api {

// A role's credentials as an AWS service hands them to its compute (EC2 to an instance, ECS to
// a task): the role assumed on behalf of the service's principal, the trust policy alone
// deciding, for kCredentialSeconds, replaced kRefreshBeforeSeconds before they expire.
//
// Thread-safety: Current is thread-safe.
class ServiceRoleCredentials {
 public:
  // `service` must outlive this object. `principal`: "ec2.amazonaws.com"; `session_name`: the
  // role session's name (the instance or task ID).
  ServiceRoleCredentials(IamService& service, std::string principal, std::string session_name);

  static constexpr int64_t kCredentialSeconds = 6 * 3600;
  static constexpr int64_t kRefreshBeforeSeconds = 15 * 60;

  struct Issued {
    std::string role_id;
    std::string role_name;
    std::string role_arn;
    auth::SessionClaims claims;
    std::string token;
    int64_t updated_millis = 0;
  };
  // The current credentials of the role `find_role` names in the model (called under its shared
  // lock; null: none), issuing new ones when needed; nullopt when there is no role or it does
  // not trust the service.
  std::optional<Issued> Current(
      const std::function<const model::Role*(const model::State&)>& find_role);

  IamService& service() const { return service_; }

 private:
  IamService& service_;
  std::string principal_;
  std::string session_name_;
  std::mutex mu_;
  std::optional<Issued> issued_;
};

// The instance metadata service of one virtual EC2 instance (IMDSv2, and v1 GETs): the
// credentials of its instance profile's role, assumed on behalf of ec2.amazonaws.com through
// the role's trust policy, as EC2 does. No credentials when the profile has no role or the
// role does not trust EC2. Point an SDK at it with AWS_EC2_METADATA_SERVICE_ENDPOINT.
//
// Thread-safety: Handle is thread-safe.
class ImdsService {
 public:
  // `service` must outlive this object.
  ImdsService(IamService& service, std::string instance_profile);
  HttpResponse Handle(const HttpRequest& request);

  const std::string& instance_id() const { return instance_id_; }

  static constexpr size_t kMaxTokens = 10000;  // live IMDSv2 session tokens

 private:
  std::optional<ServiceRoleCredentials::Issued> CurrentCredentials();

  IamService& service_;
  std::string profile_;
  std::string instance_id_;
  ServiceRoleCredentials credentials_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> tokens_;  // IMDSv2 session token -> expiry
};

// The credentials endpoint of one virtual ECS task: what the SDKs' container credentials
// provider reads (AWS_CONTAINER_CREDENTIALS_FULL_URI): the task role's credentials, assumed on
// behalf of ecs-tasks.amazonaws.com through the role's trust policy, as ECS does (Amazon ECS
// Developer Guide, "Task IAM role"). The credentials are served at path() only, a path with a
// random ID as ECS's agent makes one; anything else is 404.
//
// Thread-safety: Handle is thread-safe.
class ContainerCredentialsService {
 public:
  // `service` must outlive this object.
  ContainerCredentialsService(IamService& service, std::string role_name);
  HttpResponse Handle(const HttpRequest& request);

  const std::string& task_id() const { return task_id_; }
  const std::string& path() const { return path_; }  // "/v2/credentials/<uuid>"

 private:
  std::string role_name_;
  std::string task_id_;
  std::string path_;
  ServiceRoleCredentials credentials_;
};

}  // namespace iamd::api
