// The table behind catalog.h. The build generates its definition from the catalog source (see
// catalog_writer.h); only catalog.cc reads it. All three are constant-initialized (constinit).
#pragma once

#include <cstddef>
#include <cstdint>

#include "managed/catalog.h"

namespace iamd::managed::internal {

// kPolicyCount policies, sorted by name (byte order).
extern const AwsManagedPolicy kPolicies[];
extern const std::size_t kPolicyCount;
// kPolicyCount indices into kPolicies, in ARN order (byte order).
extern const std::uint16_t kPolicyIndexByArn[];

}  // namespace iamd::managed::internal
