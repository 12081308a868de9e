#include "common/arn.h"

namespace iamd {

std::optional<ArnParts> ParseArn(std::string_view arn) {
  if (arn.substr(0, 4) != "arn:") return std::nullopt;
  std::string_view rest = arn.substr(4);
  std::string_view parts[4];
  for (auto& part : parts) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  return ArnParts{parts[0], parts[1], parts[2], parts[3], rest};
}

std::string IamArn(std::string_view account, std::string_view type, std::string_view path,
                   std::string_view name) {
  std::string arn;
  arn.reserve(20 + account.size() + type.size() + path.size() + name.size());
  arn += "arn:aws:iam::";
  arn += account;
  arn += ':';
  arn += type;
  arn += path;
  arn += name;
  return arn;
}

std::string AssumedRoleArn(std::string_view account, std::string_view role_name,
                           std::string_view session_name) {
  std::string arn = "arn:aws:sts::";
  arn += account;
  arn += ":assumed-role/";
  arn += role_name;
  arn += '/';
  arn += session_name;
  return arn;
}

std::string FederatedUserArn(std::string_view account, std::string_view name) {
  std::string arn = "arn:aws:sts::";
  arn += account;
  arn += ":federated-user/";
  arn += name;
  return arn;
}

std::string StsSelfArn(std::string_view account) {
  std::string arn = "arn:aws:sts::";
  arn += account;
  arn += ":self";
  return arn;
}

std::optional<PathAndName> SplitIamResource(std::string_view resource, std::string_view type) {
  if (resource.size() <= type.size() + 1 || resource.substr(0, type.size()) != type ||
      resource[type.size()] != '/')
    return std::nullopt;
  std::string_view tail = resource.substr(type.size());  // "/a/b/Name"
  size_t last = tail.rfind('/');
  if (last + 1 >= tail.size()) return std::nullopt;
  return PathAndName{std::string(tail.substr(0, last + 1)), std::string(tail.substr(last + 1))};
}

}  // namespace iamd
