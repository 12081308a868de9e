// Amazon Resource Names: parsing into their six parts, and the IAM/STS ARNs iamd builds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iamd {

// arn:partition:service:region:account:resource. Views into the parsed text.
struct ArnParts {
  std::string_view partition;
  std::string_view service;
  std::string_view region;
  std::string_view account;
  std::string_view resource;  // everything after the fifth colon, colons included
};

// Splits an ARN; nullopt unless it starts with "arn:" and has at least six parts.
std::optional<ArnParts> ParseArn(std::string_view arn);

// The IAM resource types iamd names, as they appear in ARNs.
inline constexpr std::string_view kRoleResource = "role";
inline constexpr std::string_view kInstanceProfileResource = "instance-profile";
inline constexpr std::string_view kPolicyResource = "policy";
inline constexpr std::string_view kUserResource = "user";
inline constexpr std::string_view kGroupResource = "group";
inline constexpr std::string_view kServerCertificateResource = "server-certificate";
inline constexpr std::string_view kMfaResource = "mfa";

// arn:aws:iam::ACCOUNT:TYPE{path}{name}; `path` starts and ends with '/'.
std::string IamArn(std::string_view account, std::string_view type, std::string_view path,
                   std::string_view name);
// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION (role sessions carry no path).
std::string AssumedRoleArn(std::string_view account, std::string_view role_name,
                           std::string_view session_name);
// arn:aws:sts::ACCOUNT:federated-user/NAME (GetFederationToken's federated user).
std::string FederatedUserArn(std::string_view account, std::string_view name);
// arn:aws:sts::ACCOUNT:self: the resource STS authorizes GetWebIdentityToken on (Service
// Authorization Reference, AWS STS, resource type self-session).
std::string StsSelfArn(std::string_view account);

// For an IAM ARN of `type` (e.g. "policy"), splits its resource into path and name:
// "policy/a/b/Name" -> {"/a/b/", "Name"}. Nullopt if the ARN is not of that type.
struct PathAndName {
  std::string path;
  std::string name;
};
std::optional<PathAndName> SplitIamResource(std::string_view resource, std::string_view type);

inline constexpr std::string_view kAwsManagedAccount = "aws";

}  // namespace iamd
