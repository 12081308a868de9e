// The instance metadata service of one virtual EC2 instance (IMDSv2, and v1 GETs): the
// credentials of its instance profile's role, assumed on behalf of ec2.amazonaws.com through
// the role's trust policy, as EC2 does. No credentials when the profile has no role or the
// role does not trust EC2. Point an SDK at it with AWS_EC2_METADATA_SERVICE_ENDPOINT.
//
// Thread-safety: Handle is thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/service.h"
#include "auth/session_token.h"

namespace iamd::api {

class ImdsService {
 public:
  // `service` must outlive this object.
  ImdsService(IamService& service, std::string instance_profile);
  HttpResponse Handle(const HttpRequest& request);

  const std::string& instance_id() const { return instance_id_; }

  // How long issued credentials last, and how long before expiry they are replaced.
  static constexpr int64_t kCredentialSeconds = 6 * 3600;
  static constexpr int64_t kRefreshBeforeSeconds = 15 * 60;
  static constexpr size_t kMaxTokens = 10000;  // live IMDSv2 session tokens

 private:
  struct Credentials {
    std::string role_id;
    std::string role_name;
    auth::SessionClaims claims;
    std::string token;
    int64_t updated_millis = 0;
  };
  // The current credentials, issuing new ones when needed; nullopt when there are none to give.
  std::optional<Credentials> CurrentCredentials();

  IamService& service_;
  std::string profile_;
  std::string instance_id_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> tokens_;  // IMDSv2 session token -> expiry
  std::optional<Credentials> credentials_;
};

}  // namespace iamd::api
