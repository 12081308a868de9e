// Internal to src/model: which services have service-linked roles, the role each gets, and the
// AWS managed policy attached to it (table generated from the AWS managed policies).
#pragma once

#include <string_view>

namespace iamd::model::internal {

struct ServiceLinkedRoleSpec {
  std::string_view service;      // "spot.amazonaws.com"
  std::string_view role_name;    // "AWSServiceRoleForEC2Spot"
  std::string_view policy_name;  // under arn:aws:iam::aws:policy/aws-service-role/; may be empty
  bool custom_suffix_allowed;
};

// nullptr if the service has no service-linked role.
const ServiceLinkedRoleSpec* FindServiceLinkedRole(std::string_view service);

}  // namespace iamd::model::internal
