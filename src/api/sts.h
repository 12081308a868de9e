// Internal to src/api: issuing role sessions, shared by STS AssumeRole and the instance
// metadata service.
#pragma once

#include <string_view>

#include "auth/session_token.h"
#include "model/state.h"

namespace iamd::api {

// The claims of a new session of `role` (fresh ASIA key and secret), valid for
// `duration_seconds` from `now_millis`. The caller fills in account, policies and tags.
auth::SessionClaims NewRoleSession(const model::Role& role, std::string_view session_name,
                                   int64_t now_millis, int64_t duration_seconds);

}  // namespace iamd::api
