// Session tokens for temporary credentials (AssumeRole, GetSessionToken, GetFederationToken,
// instance profiles).
//
// A token is self-contained and authenticated: the claims (who, until when, the secret of the
// ASIA key, session policies and tags) are serialized and sealed with the server key (see
// sealer.h), then base64-encoded. Any iamd node holding the key verifies a token without a
// lookup; a token that was altered in any byte does not open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sealer.h"

namespace iamd::auth {

struct SessionClaims {
  enum class Kind : uint8_t {
    kRoleSession = 1,  // sts:AssumeRole (or an instance profile)
    kUserSession = 2,  // sts:GetSessionToken by an IAM user
    kRootSession = 3,  // sts:GetSessionToken by the root user
    // sts:GetFederationToken by an IAM user (principal_id: its AIDA... ID) or by the root user
    // (principal_id: the account); session_name: the federated user's Name.
    kFederatedUserSession = 4,
  };
  Kind kind = Kind::kRoleSession;
  std::string access_key_id;      // ASIA...
  std::string secret_access_key;  // the temporary secret
  int64_t issued_millis = 0;
  int64_t expires_millis = 0;
  std::string account;
  std::string principal_id;   // role ID (AROA...) or user ID (AIDA...)
  std::string principal_name;  // role name or user name
  std::string session_name;   // role sessions: RoleSessionName (e.g. i-0abc... for EC2)
  std::string source_identity;
  bool chained = false;  // the session was assumed by another role session
  std::string session_policy;                    // inline session policy text, or empty
  std::vector<std::string> session_policy_arns;  // managed session policies
  std::vector<std::pair<std::string, std::string>> tags;  // session tags
  std::vector<std::string> transitive_tag_keys;
  // When the caller authenticated with an MFA device for this session (SerialNumber and
  // TokenCode); 0: without MFA. Tokens made before this field existed read as 0.
  int64_t mfa_millis = 0;
  // Role sessions from AssumeRoleWithWebIdentity: the ARN of the OIDC provider whose token was
  // exchanged (aws:FederatedProvider in the session's requests); empty otherwise, and in tokens
  // made before this field existed.
  std::string federated_provider;
};

std::string EncodeSessionToken(const Sealer& sealer, const SessionClaims& claims);
// nullopt if the token was not made by EncodeSessionToken with this sealer (or is malformed).
// Expiry is the caller's to check.
std::optional<SessionClaims> DecodeSessionToken(const Sealer& sealer, std::string_view token);

}  // namespace iamd::auth
