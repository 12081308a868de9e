// Deciding requests against compiled policies, following the IAM User Guide's "Policy evaluation
// logic" (reference_policies_evaluation-logic.html), "Cross-account policy evaluation logic",
// "Permissions boundaries for IAM entities" and "Session policies".
//
// Three entry points:
//  * Authorize(request) — enforcement on every call. Allocation-free: it reads the compiled
//    policies and borrowed views only. Returns the Decision and, for a denial, which policy type
//    caused it, so the caller can print AWS's AccessDenied ending (DenialReason).
//  * Simulate(request) — the policy simulator (SimulatePrincipalPolicy/SimulateCustomPolicy):
//    the same decision plus matched statements with SourcePolicyId/Type and positions, the
//    context keys that conditions needed but the context lacked, and the permissions-boundary
//    detail. Allocates its result.
//  * EvaluateTrustPolicy(...) — whether a role's trust policy lets a caller perform
//    sts:AssumeRole (or AssumeRoleWithSAML/WebIdentity, TagSession, ...).
// ContextKeys(policies) lists the context keys policies reference (GetContextKeysFor*Policy).
//
// Ownership: a Request borrows everything (policies, strings, context); they must outlive the
// call, and a result's views point into them. Thread-safety: all functions are pure; compiled
// policies may be shared between threads.
//
// Decision rules implemented (same account unless stated):
//  1. An applicable Deny in any policy — identity, resource-based, permissions boundary,
//     session — gives kExplicitDeny.
//  2. The root user of the account is allowed (only resource-policy denies apply to it).
//  3. A resource-based policy Allow that names the calling IAM user, role session or federated
//     user session ARN directly (or "*") allows, whatever the identity policies, boundary or
//     session policies say. One that names the role ARN (or, for a federated user, the IAM
//     user's ARN) stands in for an identity-policy allow but is still limited by the boundary
//     and session policies. One that names only the account delegates to the account's
//     identity policies.
//  4. Otherwise an identity-based policy must allow (else "no identity-based policy allows"),
//     then the boundary, if any (else "no permissions boundary allows"), then the session
//     policies, if any (else "no session policy allows").
//  Cross-account (resource_account differs from the principal's): the identity side (identity
//  ∧ boundary ∧ session) AND the resource-based policy must both allow (else "no
//  resource-based policy allows"). Service and anonymous principals are decided by the
//  resource-based policy alone.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "policy/context.h"
#include "policy/policy.h"

namespace iamd::policy {

enum class Decision : uint8_t { kAllow, kExplicitDeny, kImplicitDeny };
// The simulator's EvalDecision words: "allowed", "explicitDeny", "implicitDeny".
std::string_view DecisionName(Decision decision);

enum class PrincipalType : uint8_t {
  kRoot,           // the account's root user
  kIamUser,
  kRoleSession,    // an assumed role: arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
  kFederatedUser,  // GetFederationToken: arn:aws:sts::ACCT:federated-user/NAME
  kService,        // an AWS service principal, e.g. ec2.amazonaws.com
  kWebIdentity,    // AssumeRoleWithWebIdentity caller (identified by its provider)
  kSaml,           // AssumeRoleWithSAML caller (identified by its provider)
  kAnonymous,
};

// Who is calling. Views are borrowed.
struct Principal {
  PrincipalType type = PrincipalType::kAnonymous;
  std::string_view arn;       // user, root, assumed-role session or federated-user ARN
  std::string_view account;   // 12-digit account ID of the principal
  std::string_view role_arn;  // kRoleSession: arn:aws:iam::ACCT:role/PATH/NAME
  std::string_view user_arn;  // kFederatedUser: the IAM user who called GetFederationToken
  std::string_view service;   // kService: "ec2.amazonaws.com"
  std::string_view federated_provider;  // kWebIdentity/kSaml: provider ARN or name
  std::string_view canonical_user;
};

// Where an input policy came from, as the simulator's SourcePolicyType reports it.
enum class PolicySourceType : uint8_t {
  kUser, kGroup, kRole, kAwsManaged, kUserManaged, kResource, kNone
};
// "user", "group", "role", "aws-managed", "user-managed", "resource", "none".
std::string_view PolicySourceTypeName(PolicySourceType type);

struct PolicySource {
  const Policy* policy = nullptr;  // borrowed; must not be null when used in a Request
  std::string_view id;             // SourcePolicyId: inline policy name or managed policy ARN
  PolicySourceType type = PolicySourceType::kNone;
};

// The policy types a decision can be attributed to.
enum class PolicyType : uint8_t { kNone, kIdentity, kResource, kPermissionsBoundary, kSession };

struct Request {
  std::string_view action;    // "iam:GetRole" (any case)
  std::string_view resource;  // an ARN, or "*" / another non-ARN text (matched as plain text)
  const RequestContext* context = nullptr;  // may be null: no context keys
  Principal principal;
  std::span<const PolicySource> identity_policies;  // inline, attached and group policies
  const PolicySource* permissions_boundary = nullptr;  // null: no boundary
  std::span<const PolicySource> session_policies;      // empty: no session policy
  const PolicySource* resource_policy = nullptr;       // null: none
  std::string_view resource_account;  // owner of the resource; empty: the principal's account
};

// A statement that took part in a decision.
struct StatementRef {
  const PolicySource* source = nullptr;
  const Statement* statement = nullptr;
  PolicyType policy_type = PolicyType::kNone;
};

struct AuthorizationResult {
  Decision decision = Decision::kImplicitDeny;
  // kExplicitDeny: the type of policy holding the deny. kImplicitDeny: the type of policy that
  // failed to allow. kAllow: kNone.
  PolicyType cause = PolicyType::kNone;
  // The deny statement, or one statement that allowed; empty for an implicit deny.
  StatementRef deciding;
};

AuthorizationResult Authorize(const Request& request);

// The end of AWS's AccessDenied message for a denial, e.g. "with an explicit deny in a
// permissions boundary" or "because no identity-based policy allows the iam:CreateRole action".
// Empty for kAllow. `action` is printed as given.
std::string DenialReason(const AuthorizationResult& result, std::string_view action);

struct MatchedStatement {
  std::string_view source_policy_id;
  PolicySourceType source_policy_type = PolicySourceType::kNone;
  PolicyType policy_type = PolicyType::kNone;
  std::string_view sid;
  Effect effect = Effect::kAllow;
  SourcePosition start;
  SourcePosition end;
};

struct SimulationResult {
  Decision decision = Decision::kImplicitDeny;
  PolicyType cause = PolicyType::kNone;
  // Explicit deny: the deny statements that applied. Allow: the allow statements of identity,
  // resource-based and session policies that applied. Implicit deny: none.
  std::vector<MatchedStatement> matched_statements;
  // Condition keys of statements whose action, resource and principal applied, for which the
  // context had no value; as written in the policy, first-seen order, no case-insensitive
  // duplicates.
  std::vector<std::string> missing_context_values;
  bool has_permissions_boundary = false;
  bool allowed_by_permissions_boundary = false;  // meaningful when has_permissions_boundary
};

SimulationResult Simulate(const Request& request);

// Decides `action` (default sts:AssumeRole) for `caller` against a role's trust policy alone:
// kAllow if an Allow statement's Principal, Action and Condition match and no Deny does.
// (Whether the caller's own identity policies must also allow sts:AssumeRole is the caller's
// business: cross-account they must, see "Cross-account policy evaluation logic".)
AuthorizationResult EvaluateTrustPolicy(const Policy& trust_policy, const Principal& caller,
                                        const RequestContext* context,
                                        std::string_view action = "sts:AssumeRole");

// All context keys referenced by `policies`, in order, without case-insensitive duplicates,
// as written (AWS's GetContextKeysForCustomPolicy returns e.g. "aws:username",
// "aws:CurrentTime").
std::vector<std::string> ContextKeys(std::span<const Policy* const> policies);

}  // namespace iamd::policy
