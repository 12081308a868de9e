// The AWS managed policies (arn:aws:iam::aws:policy/...), as a table compiled into the binary.
//
// The build generates the table from resources/aws-managed-policies.json (see gen_catalog.cc):
// every string, ID, date and rendered document below is a constant in read-only static storage,
// so nothing is parsed or allocated at start-up or on lookup. All functions are thread-safe, and
// every pointer and view they return stays valid for the life of the program.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace iamd::managed {

struct AwsManagedPolicy {
  std::string_view name;                // "AmazonS3FullAccess"
  std::string_view path;                // "/" or "/service-role/"
  std::string_view arn;                 // "arn:aws:iam::aws:policy/AmazonS3FullAccess"
  std::string_view policy_id;           // "ANPA" + 17: StableUniqueId("ANPA", arn), at build time
  std::string_view default_version_id;  // "v2"
  int64_t create_millis;                // CreateDate, epoch milliseconds (UTC)
  int64_t update_millis;                // UpdateDate, epoch milliseconds (UTC)
  // The default version's document as AWS shows it: JSON with 4-space indentation, Version, Id,
  // Statement first, and Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource,
  // NotResource, Condition first in each statement; everything else in the source's order, and
  // strings and numbers exactly as in the source.
  std::string_view document;
};

// All AWS managed policies, sorted by name (byte order); names and ARNs are unique.
std::span<const AwsManagedPolicy> AllPolicies();

// The policy with exactly this ARN (case-sensitive, as AWS), or nullptr. O(log n), no allocation.
const AwsManagedPolicy* FindByArn(std::string_view arn);

// The policy with exactly this name (case-sensitive), or nullptr. O(log n), no allocation.
const AwsManagedPolicy* FindByName(std::string_view name);

}  // namespace iamd::managed
