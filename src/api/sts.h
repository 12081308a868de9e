// Internal to src/api: issuing role sessions, shared by STS AssumeRole and the instance
// metadata service; the checks of tags passed to STS.
#pragma once

#include <string_view>

#include "api/handlers.h"
#include "auth/session_token.h"
#include "model/state.h"

namespace iamd::api {

// The claims of a new session of `role` (fresh ASIA key and secret), valid for
// `duration_seconds` from `now_millis`. The caller fills in account, policies and tags.
auth::SessionClaims NewRoleSession(const model::Role& role, std::string_view session_name,
                                   int64_t now_millis, int64_t duration_seconds);

// Session and request tag keys are unique regardless of case (recorded from AWS):
// InvalidParameterValue "Duplicate tag keys found. Please note that Tag keys are case
// insensitive." otherwise.
Status CheckSessionTagKeys(const model::Tags& tags);

// Passing tags to an STS action takes a second permission (sts:TagSession for sessions,
// sts:TagGetWebIdentityToken for tokens) on `arn`, with the tags in the request context
// (aws:RequestTag/KEY, aws:TagKeys). Nothing to check without tags. Errors: AccessDenied.
Status AuthorizeRequestTags(const Call& c, std::string_view action, std::string_view arn,
                            const model::Tags& tags);

}  // namespace iamd::api
