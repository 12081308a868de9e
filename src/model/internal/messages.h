// Internal to src/model: AWS's wording for the errors the model returns, in one place, and the
// tag rules every taggable entity shares. Messages follow real AWS responses (see
// tests/e2e/aws_errors_test.py for the recorded cases they are checked against).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "model/records.h"

namespace iamd::model {
struct Role;
}

namespace iamd::model::internal {

std::unexpected<Error> NoSuchRole(std::string_view name);
std::unexpected<Error> NoSuchInstanceProfile(std::string_view name);
std::unexpected<Error> NoSuchUser(std::string_view name);
std::unexpected<Error> NoSuchGroup(std::string_view name);
std::unexpected<Error> NoSuchOwner(OwnerKind kind, std::string_view name);
std::unexpected<Error> NoSuchInlinePolicy(OwnerKind kind, std::string_view policy_name);
std::unexpected<Error> NoSuchPolicy(std::string_view arn);

// ServiceFailure "Store inconsistency: WHAT": records that do not fit together (a bug or a
// damaged store), found while applying them.
std::unexpected<Error> Inconsistent(std::string_view what);

// Service-linked roles may only be changed by their service (UnmodifiableEntity).
Status CheckModifiable(const Role& role);

// Adds or replaces tags of an entity of `entity_kind` ("Role", "User", "InstanceProfile",
// "Policy", "OpenIDConnectProvider"). Errors: duplicate keys in `add` (InvalidInput), more
// than 50 tags in all (LimitExceeded). `tags` is unchanged on error.
Status MergeTags(Tags& tags, const Tags& add, std::string_view entity_kind);
// Removes the tags with these keys; keys that are not there are ignored.
void RemoveTags(Tags& tags, std::span<const std::string> keys, bool case_sensitive = false);
// "ARN X is not valid." (with `code`) unless `arn` has the form of an IAM policy ARN.
Status CheckPolicyArnSyntax(std::string_view arn, ErrorCode code);

}  // namespace iamd::model::internal
