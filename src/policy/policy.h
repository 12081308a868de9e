// AWS IAM policy documents: parse, validate and compile once; evaluate many times (evaluator.h).
//
// ParsePolicy(text, kind) checks a document the way IAM does when it is stored (PutRolePolicy,
// CreatePolicy, CreateRole's AssumeRolePolicyDocument, a resource policy, an STS session policy)
// and returns either an immutable compiled Policy or Error{kMalformedPolicyDocument, message}
// with the message AWS prints ("Syntax errors in policy.", "Policy statement must contain
// resources.", ...). Checks run in AWS's order, so the first problem AWS would report is the one
// reported. Sources: IAM User Guide "IAM JSON policy element reference" and "Grammar of the IAM
// JSON policy language"; messages as IAM returns them (quoted in AWS docs and public bug reports,
// and reproduced by moto's and LocalStack's validators).
//
// Ownership and threads: a Policy owns a copy of the text and everything compiled from it; it is
// immutable after ParsePolicy returns, so one PolicyPtr may be shared by any number of threads.
// Nothing here does I/O.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "policy/internal/glob.h"
#include "policy/internal/values.h"

namespace iamd::policy {

enum class PolicyKind {
  kIdentity,            // inline identity policy (Put{Role,User,Group}Policy); 2008-10-17 allowed
  kManagedIdentity,     // CreatePolicy / CreatePolicyVersion: must be 2012-10-17
  kTrust,               // a role's AssumeRolePolicyDocument
  kResource,            // a resource-based policy (e.g. the simulator's ResourcePolicy)
  kSession,             // an STS session policy (identity grammar)
  kPermissionsBoundary  // identity grammar (boundaries are managed policies)
};

// "identity", "managed", "trust", "resource", "session", "boundary".
std::string_view PolicyKindName(PolicyKind kind);
std::optional<PolicyKind> PolicyKindFromName(std::string_view name);

// 1-based line and column (characters) in the policy text.
struct SourcePosition {
  uint32_t line = 0;
  uint32_t column = 0;
  auto operator<=>(const SourcePosition&) const = default;
};

enum class Effect : uint8_t { kAllow, kDeny };

// ---- Compiled statement parts. Views point into the owning Policy. ----

// One entry of Action/NotAction, lower-cased ("Actions are not case-sensitive").
struct ActionPattern {
  bool match_all = false;            // "*"
  bool service_has_wildcard = false; // e.g. "s3*:Get*": match the whole text instead
  std::string_view service;          // lower-case service prefix when it has no wildcard
  uint64_t service_hash = 0;         // internal::HashService(service), compared first
  internal::Pattern name;            // the part after ':' (or the whole text if service_has_wildcard)
};

// One entry of Resource/NotResource. ARNs match component by component, case-sensitively;
// `*` and `?` stay within a component, except in the last (resource) part where `*` also spans
// ':' and '/' (IAM User Guide, "IAM JSON policy elements: Resource").
struct ResourcePattern {
  bool match_all = false;                  // "*"
  bool is_arn = false;                     // starts with "arn:"
  std::vector<internal::Pattern> parts;    // ARN: partition, service, region, account, resource
                                           // (fewer if the text has fewer components: the last
                                           // one then matches the rest of the ARN); else 1 part
};

// Principal / NotPrincipal.
struct PrincipalSet {
  bool everyone = false;                 // "*" or {"AWS": "*"}
  std::vector<std::string_view> accounts;   // 12-digit IDs and arn:...:iam::ID:root
  std::vector<std::string_view> arns;       // user, role, assumed-role, federated-user ARNs
  std::vector<std::string_view> services;   // "ec2.amazonaws.com" (lower-case)
  std::vector<std::string_view> federated;  // SAML/OIDC provider ARNs or names
  std::vector<std::string_view> canonical_users;
};

enum class ConditionFamily : uint8_t {
  kStringEquals, kStringEqualsIgnoreCase, kStringLike,
  kNumeric, kDate, kBool, kBinary, kIpAddress, kArn, kNull,
};
enum class Comparison : uint8_t { kEquals, kLessThan, kLessThanEquals, kGreaterThan, kGreaterThanEquals };
enum class SetOperator : uint8_t { kNone, kForAllValues, kForAnyValue };

struct ConditionValue {
  std::string_view text;         // as written
  internal::Pattern pattern;     // strings/ARNs (wildcards for Like and Arn operators)
  std::vector<internal::Pattern> arn_parts;  // Arn*: the six components
  bool valid = true;             // false: the typed value did not parse (never matches)
  internal::Number number;
  int64_t date_millis = 0;
  internal::IpNetwork network;
  bool boolean = false;
  std::string_view binary;       // BinaryEquals: decoded bytes
};

// One key under one operator: {"StringLike": {"s3:prefix": ["a/*", "b/*"]}}.
struct Condition {
  std::string_view operator_name;  // as written, e.g. "ForAnyValue:StringLikeIfExists"
  std::string_view key;            // as written; compared case-insensitively
  ConditionFamily family = ConditionFamily::kStringEquals;
  Comparison comparison = Comparison::kEquals;
  SetOperator set = SetOperator::kNone;
  bool negated = false;   // StringNotEquals, NotIpAddress, ArnNotLike, DateNotEquals, ...
  bool if_exists = false;
  std::vector<ConditionValue> values;
};

struct Statement {
  std::string_view sid;
  Effect effect = Effect::kAllow;
  SourcePosition begin;  // the statement's '{'
  SourcePosition end;    // just past its '}'
  bool not_action = false;
  std::vector<ActionPattern> actions;
  // A pre-filter on the request's service: unless `any_service`, the action can only match if
  // HashService(service) is one of `service_hashes`.
  bool any_service = false;
  std::vector<uint64_t> service_hashes;
  bool has_resource = false;  // Resource or NotResource present (trust policies have none)
  bool not_resource = false;
  std::vector<ResourcePattern> resources;
  bool has_principal = false;  // Principal or NotPrincipal present
  bool not_principal = false;
  PrincipalSet principals;
  std::vector<Condition> conditions;
};

class Policy {
 public:
  Policy(const Policy&) = delete;
  Policy& operator=(const Policy&) = delete;

  // The document exactly as given.
  std::string_view text() const { return text_; }
  PolicyKind kind() const { return kind_; }
  // "2012-10-17", "2008-10-17", or "" when the document has no Version (treated as 2008-10-17).
  std::string_view version() const { return version_; }
  std::string_view id() const { return id_; }
  std::span<const Statement> statements() const { return statements_; }
  // False when no statement can match an action of the service whose internal::HashService is
  // `service_hash` (the union of the statements' pre-filters): evaluation skips the policy.
  bool MayNameService(uint64_t service_hash) const {
    return any_service_ || std::find(service_hashes_.begin(), service_hashes_.end(),
                                     service_hash) != service_hashes_.end();
  }
  // The indexes, in document order, of the statements whose pre-filter lets an action of that
  // service through (those naming it, and those that may match any service); every other
  // statement cannot match. Empty when MayNameService is false.
  std::span<const uint32_t> StatementsFor(uint64_t service_hash) const {
    for (size_t i = 0; i < service_hashes_.size(); ++i)
      if (service_hashes_[i] == service_hash) return by_service_[i];
    return any_service_statements_;
  }
  // Every context key the policy references — condition keys and policy variables — in document
  // order, as first written, without case-insensitive duplicates (GetContextKeysFor*Policy).
  std::span<const std::string_view> context_keys() const { return context_keys_; }

 private:
  friend class PolicyCompiler;
  Policy() = default;

  std::string text_;
  PolicyKind kind_ = PolicyKind::kIdentity;
  std::string_view version_;
  std::string_view id_;
  std::vector<Statement> statements_;
  bool any_service_ = false;
  std::vector<uint64_t> service_hashes_;
  std::vector<std::vector<uint32_t>> by_service_;  // by_service_[i]: for service_hashes_[i]
  std::vector<uint32_t> any_service_statements_;
  std::vector<std::string_view> context_keys_;
  internal::StringArena arena_;
};

using PolicyPtr = std::shared_ptr<const Policy>;

// Validates `text` as a policy of `kind` in AWS's order and compiles it.
// Errors: ErrorCode::kMalformedPolicyDocument with AWS's message. If `error_position` is given,
// it receives where the problem is (the JSON error's offset, or the offending statement's start;
// 1:1 for document-level problems).
Result<PolicyPtr> ParsePolicy(std::string_view text, PolicyKind kind,
                              SourcePosition* error_position = nullptr);

// Whether some Allow statement of `policy` can match some action of the service whose prefix
// is `service` ("s3", any case): an Action entry that names one of its actions, directly or
// through wildcards ("s3:Get*", "s3*:*", "*"), or a NotAction that does not exclude all of
// them ("iam:*" leaves s3's). Conditions and Resource are not considered, nor Deny statements:
// what ListPoliciesGrantingServiceAccess reports (its documentation: "It only applies
// permissions policy logic"). The service's action names are not known here: any name counts.
bool AllowsSomeActionOf(const Policy& policy, std::string_view service);

}  // namespace iamd::policy
