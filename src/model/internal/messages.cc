#include "model/internal/messages.h"

#include <algorithm>

#include "common/arn.h"
#include "common/strings.h"
#include "model/state.h"

namespace iamd::model::internal {

std::unexpected<Error> Inconsistent(std::string_view what) {
  return Fail(ErrorCode::kServiceFailure, "Store inconsistency: " + std::string(what));
}

std::unexpected<Error> NoSuchRole(std::string_view name) {
  return Fail(ErrorCode::kNoSuchEntity, "The role with name " + std::string(name) + " cannot be found.");
}

std::unexpected<Error> NoSuchInstanceProfile(std::string_view name) {
  return Fail(ErrorCode::kNoSuchEntity, "Instance Profile " + std::string(name) + " cannot be found.");
}

std::unexpected<Error> NoSuchUser(std::string_view name) {
  return Fail(ErrorCode::kNoSuchEntity, "The user with name " + std::string(name) + " cannot be found.");
}

std::unexpected<Error> NoSuchGroup(std::string_view name) {
  return Fail(ErrorCode::kNoSuchEntity, "The group with name " + std::string(name) + " cannot be found.");
}

std::unexpected<Error> NoSuchOwner(OwnerKind kind, std::string_view name) {
  switch (kind) {
    case OwnerKind::kRole: return NoSuchRole(name);
    case OwnerKind::kUser: return NoSuchUser(name);
    case OwnerKind::kGroup: return NoSuchGroup(name);
  }
  return NoSuchRole(name);
}

std::unexpected<Error> NoSuchInlinePolicy(OwnerKind kind, std::string_view policy_name) {
  return Fail(ErrorCode::kNoSuchEntity, "The " + std::string(OwnerKindName(kind)) +
                                            " policy with name " + std::string(policy_name) +
                                            " cannot be found.");
}

std::unexpected<Error> NoSuchPolicy(std::string_view arn) {
  return Fail(ErrorCode::kNoSuchEntity, "Policy " + std::string(arn) + " was not found.");
}

Status CheckModifiable(const Role& role) {
  if (!role.service_linked()) return {};
  return Fail(ErrorCode::kUnmodifiableEntity,
              "Cannot perform the operation on the protected role '" + role.rec.name +
                  "' - this role is only modifiable by AWS");
}

Status MergeTags(Tags& tags, const Tags& add, std::string_view entity_kind) {
  // Roles, users and instance profiles compare tag keys case-insensitively; managed policies
  // case-sensitively, with a shorter message (both recorded from AWS).
  bool policy = entity_kind == "Policy";
  auto same = [policy](std::string_view a, std::string_view b) {
    return policy ? a == b : EqualsIgnoreCase(a, b);
  };
  for (size_t i = 0; i < add.size(); ++i)
    for (size_t j = i + 1; j < add.size(); ++j)
      if (same(add[i].key, add[j].key))
        return Fail(ErrorCode::kInvalidInput,
                    policy ? "Duplicate tag keys found."
                           : "Duplicate tag keys found. Please note that Tag keys are case "
                             "insensitive.");
  Tags merged = tags;
  for (const Tag& t : add) {
    auto it = std::find_if(merged.begin(), merged.end(),
                           [&](const Tag& e) { return same(e.key, t.key); });
    if (it != merged.end())
      it->value = t.value;  // re-tagging keeps the tag's place
    else
      merged.push_back(t);
  }
  if (merged.size() > kMaxTags) {
    // OIDC providers word it differently (recorded from AWS by LocalStack's validated test
    // test_iam_oidc.py::test_open_id_connect_provider_tags_limit, 2026-02-18).
    if (entity_kind == "OpenIDConnectProvider")
      return Fail(ErrorCode::kLimitExceeded, "The number of tags has reached the maximum limit.");
    return Fail(ErrorCode::kLimitExceeded,
                "Cannot exceed quota for TagsPer" + std::string(entity_kind) + ": 50");
  }
  tags = std::move(merged);
  return {};
}

void RemoveTags(Tags& tags, std::span<const std::string> keys, bool case_sensitive) {
  std::erase_if(tags, [&](const Tag& t) {
    return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
      return case_sensitive ? k == t.key : EqualsIgnoreCase(k, t.key);
    });
  });
}

Status CheckPolicyArnSyntax(std::string_view arn, ErrorCode code) {
  auto parts = ParseArn(arn);
  if (!parts || parts->service != "iam" || !SplitIamResource(parts->resource, kPolicyResource))
    return Fail(code, "ARN " + std::string(arn) + " is not valid.");
  return {};
}

}  // namespace iamd::model::internal
