#include "policy/evaluator.h"

#include <algorithm>

#include "common/strings.h"

namespace iamd::policy {

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kAllow: return "allowed";
    case Decision::kExplicitDeny: return "explicitDeny";
    case Decision::kImplicitDeny: return "implicitDeny";
  }
  return "implicitDeny";
}

std::string_view PolicySourceTypeName(PolicySourceType type) {
  switch (type) {
    case PolicySourceType::kUser: return "user";
    case PolicySourceType::kGroup: return "group";
    case PolicySourceType::kRole: return "role";
    case PolicySourceType::kAwsManaged: return "aws-managed";
    case PolicySourceType::kUserManaged: return "user-managed";
    case PolicySourceType::kResource: return "resource";
    case PolicySourceType::kNone: return "none";
  }
  return "none";
}

namespace {

// ---- The request, prepared once per evaluation ----

// An ARN split into views, with the offset where each component starts.
struct ResourceView {
  std::string_view full;
  bool is_arn = false;
  std::string_view parts[5];  // partition, service, region, account, resource
  size_t offsets[5] = {};
};

ResourceView SplitResource(std::string_view text) {
  ResourceView v;
  v.full = text;
  if (!StartsWith(text, "arn:")) return v;
  size_t start = 4;
  for (int i = 0; i < 4; ++i) {
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) return v;
    v.parts[i] = text.substr(start, colon - start);
    v.offsets[i] = start;
    start = colon + 1;
  }
  v.parts[4] = text.substr(start);
  v.offsets[4] = start;
  v.is_arn = true;
  return v;
}

constexpr size_t kActionBuffer = 128;

struct Input {
  std::string_view action_lower;  // whole action, lower-case
  std::string_view service;       // before ':'
  std::string_view name;          // after ':'
  uint64_t service_hash = 0;
  ResourceView resource;
  const RequestContext* context = nullptr;
  const Principal* principal = nullptr;
  bool has_boundary = false;
};

// Lower-cases the action into `buffer` (or `spill` for very long ones) and splits the resource.
Input Prepare(std::string_view action, std::string_view resource, const RequestContext* context,
              const Principal* principal, char* buffer, std::string& spill) {
  Input in;
  char* out = buffer;
  if (action.size() > kActionBuffer) {
    spill.resize(action.size());
    out = spill.data();
  }
  for (size_t i = 0; i < action.size(); ++i) out[i] = AsciiLower(action[i]);
  in.action_lower = std::string_view(out, action.size());
  size_t colon = in.action_lower.find(':');
  in.service = in.action_lower.substr(0, colon);
  in.name = colon == std::string_view::npos ? std::string_view() : in.action_lower.substr(colon + 1);
  in.service_hash = internal::HashService(in.service);
  in.resource = SplitResource(resource);
  in.context = context;
  in.principal = principal;
  return in;
}

// ---- Matching ----

bool ActionMatches(const ActionPattern& p, const Input& in) {
  if (p.match_all) return true;
  if (p.service_has_wildcard) return internal::MatchPattern(p.name, in.action_lower, nullptr);
  return p.service_hash == in.service_hash && p.service == in.service &&
         internal::MatchPattern(p.name, in.name, nullptr);
}

bool ActionApplies(const Statement& s, const Input& in) {
  if (!s.any_service && std::find(s.service_hashes.begin(), s.service_hashes.end(),
                                  in.service_hash) == s.service_hashes.end())
    return false;  // no pattern names this service (not_action implies any_service)
  bool any = false;
  for (const ActionPattern& p : s.actions)
    if (ActionMatches(p, in)) {
      any = true;
      break;
    }
  return s.not_action ? !any : any;
}

// ARN components compare one by one; a pattern with fewer components matches the rest of the
// ARN with its last one.
bool ArnPartsMatch(const std::vector<internal::Pattern>& parts, const ResourceView& arn,
                   const RequestContext* context) {
  if (parts.empty() || parts.size() > 5) return false;
  size_t last = parts.size() - 1;
  for (size_t i = 0; i < last; ++i)
    if (!internal::MatchPattern(parts[i], arn.parts[i], context)) return false;
  return internal::MatchPattern(parts[last], arn.full.substr(arn.offsets[last]), context);
}

bool ResourceMatches(const ResourcePattern& p, const Input& in) {
  if (p.match_all) return true;
  if (!p.is_arn) return internal::MatchPattern(p.parts[0], in.resource.full, in.context);
  if (!in.resource.is_arn) return false;
  return ArnPartsMatch(p.parts, in.resource, in.context);
}

bool ResourceApplies(const Statement& s, const Input& in) {
  if (!s.has_resource) return true;  // trust policies: the role itself
  bool any = false;
  for (const ResourcePattern& p : s.resources)
    if (ResourceMatches(p, in)) {
      any = true;
      break;
    }
  return s.not_resource ? !any : any;
}

// How a resource-based policy statement's Principal names the caller (see evaluator.h, rule 3).
enum class PrincipalMatch : uint8_t { kNone, kAccount, kRole, kDirect };

bool Contains(const std::vector<std::string_view>& list, std::string_view value) {
  if (value.empty()) return false;
  return std::find(list.begin(), list.end(), value) != list.end();
}

PrincipalMatch MatchPrincipalSet(const PrincipalSet& set, const Principal& p) {
  if (set.everyone) return PrincipalMatch::kDirect;
  switch (p.type) {
    case PrincipalType::kService:
      for (std::string_view s : set.services)
        if (EqualsIgnoreCase(s, p.service)) return PrincipalMatch::kDirect;
      return PrincipalMatch::kNone;
    case PrincipalType::kWebIdentity:
    case PrincipalType::kSaml:
      return Contains(set.federated, p.federated_provider) ? PrincipalMatch::kDirect
                                                           : PrincipalMatch::kNone;
    case PrincipalType::kAnonymous:
      return Contains(set.canonical_users, p.canonical_user) ? PrincipalMatch::kDirect
                                                             : PrincipalMatch::kNone;
    default: break;
  }
  if (Contains(set.arns, p.arn)) return PrincipalMatch::kDirect;
  if (p.type == PrincipalType::kRoleSession && Contains(set.arns, p.role_arn))
    return PrincipalMatch::kRole;
  if (p.type == PrincipalType::kFederatedUser && Contains(set.arns, p.user_arn))
    return PrincipalMatch::kRole;
  if (Contains(set.accounts, p.account)) {
    // The root user is the account itself.
    return p.type == PrincipalType::kRoot ? PrincipalMatch::kDirect : PrincipalMatch::kAccount;
  }
  return PrincipalMatch::kNone;
}

// NotPrincipal excludes a caller only if every name the caller goes by is listed: its account,
// and its user ARN, or its role ARN and session ARN (IAM User Guide, "AWS JSON policy
// elements: NotPrincipal").
bool NotPrincipalExcludes(const PrincipalSet& set, const Principal& p) {
  if (set.everyone) return true;
  switch (p.type) {
    case PrincipalType::kService:
      for (std::string_view s : set.services)
        if (EqualsIgnoreCase(s, p.service)) return true;
      return false;
    case PrincipalType::kWebIdentity:
    case PrincipalType::kSaml: return Contains(set.federated, p.federated_provider);
    case PrincipalType::kAnonymous: return Contains(set.canonical_users, p.canonical_user);
    case PrincipalType::kRoot: return Contains(set.accounts, p.account) || Contains(set.arns, p.arn);
    case PrincipalType::kIamUser:
      return Contains(set.accounts, p.account) && Contains(set.arns, p.arn);
    case PrincipalType::kRoleSession:
      return Contains(set.accounts, p.account) && Contains(set.arns, p.role_arn) &&
             Contains(set.arns, p.arn);
    case PrincipalType::kFederatedUser:
      return Contains(set.accounts, p.account) && Contains(set.arns, p.arn);
  }
  return false;
}

PrincipalMatch PrincipalApplies(const Statement& s, const Input& in) {
  if (!s.has_principal) return PrincipalMatch::kDirect;
  if (!s.not_principal) return MatchPrincipalSet(s.principals, *in.principal);
  // "The NotPrincipal element with a Deny effect will always deny any IAM principal that has a
  // permissions boundary policy attached" (Permissions boundaries for IAM entities).
  if (s.effect == Effect::kDeny && in.has_boundary) return PrincipalMatch::kDirect;
  return NotPrincipalExcludes(s.principals, *in.principal) ? PrincipalMatch::kNone
                                                          : PrincipalMatch::kDirect;
}

// ---- Conditions ----

bool Compare(int cmp, Comparison c) {
  switch (c) {
    case Comparison::kEquals: return cmp == 0;
    case Comparison::kLessThan: return cmp < 0;
    case Comparison::kLessThanEquals: return cmp <= 0;
    case Comparison::kGreaterThan: return cmp > 0;
    case Comparison::kGreaterThanEquals: return cmp >= 0;
  }
  return false;
}

// Whether one request value matches any of the condition's policy values (before negation).
bool ValueMatchesAny(const Condition& c, std::string_view value, const RequestContext* ctx) {
  switch (c.family) {
    case ConditionFamily::kStringEquals:
    case ConditionFamily::kStringLike:
      for (const ConditionValue& v : c.values)
        if (internal::MatchPattern(v.pattern, value, ctx)) return true;
      return false;
    case ConditionFamily::kStringEqualsIgnoreCase:
      for (const ConditionValue& v : c.values)
        if (internal::MatchPattern(v.pattern, value, ctx, true)) return true;
      return false;
    case ConditionFamily::kNumeric: {
      auto n = internal::ParseNumber(value);
      if (!n) return false;
      for (const ConditionValue& v : c.values)
        if (v.valid && Compare(internal::CompareNumbers(*n, v.number), c.comparison)) return true;
      return false;
    }
    case ConditionFamily::kDate: {
      auto d = internal::ParseDateMillis(value);
      if (!d) return false;
      for (const ConditionValue& v : c.values)
        if (v.valid && Compare(*d < v.date_millis ? -1 : (*d > v.date_millis), c.comparison))
          return true;
      return false;
    }
    case ConditionFamily::kBool: {
      auto b = internal::ParseBool(value);
      if (!b) return false;
      for (const ConditionValue& v : c.values)
        if (v.valid && v.boolean == *b) return true;
      return false;
    }
    case ConditionFamily::kBinary:
      // Both sides are base64 text; equal bytes have equal canonical base64.
      for (const ConditionValue& v : c.values)
        if (v.valid && v.text == value) return true;
      return false;
    case ConditionFamily::kIpAddress: {
      auto ip = internal::ParseIpNetwork(value);
      if (!ip) return false;
      for (const ConditionValue& v : c.values)
        if (v.valid && internal::IpInNetwork(*ip, v.network)) return true;
      return false;
    }
    case ConditionFamily::kArn: {
      ResourceView arn = SplitResource(value);
      for (const ConditionValue& v : c.values) {
        if (!v.arn_parts.empty()) {
          if (arn.is_arn && ArnPartsMatch(v.arn_parts, arn, ctx))
            return true;
        } else if (internal::MatchPattern(v.pattern, value, ctx)) {
          return true;
        }
      }
      return false;
    }
    case ConditionFamily::kNull: return false;  // handled by the caller
  }
  return false;
}

// IAM User Guide, "Condition operators" and "Set operators for multivalued context keys":
//  * a key missing from the context fails a positive operator and satisfies a negated one;
//  * ...IfExists is true when the key is missing;
//  * ForAllValues is true when the key is missing or empty; ForAnyValue is then false;
//  * Null: "true" means the key is absent, "false" that it is present.
bool ConditionHolds(const Condition& c, const RequestContext* ctx) {
  bool has_values = ctx != nullptr && ctx->HasValue(c.key);
  if (c.family == ConditionFamily::kNull) {
    for (const ConditionValue& v : c.values)
      if (v.valid && v.boolean == !has_values) return true;
    return false;
  }
  if (!has_values) {
    if (c.set == SetOperator::kForAllValues || c.if_exists) return true;
    if (c.set == SetOperator::kForAnyValue) return false;
    return c.negated;
  }
  auto holds_for = [&](std::string_view value) {
    return ValueMatchesAny(c, value, ctx) != c.negated;
  };
  switch (c.set) {
    case SetOperator::kNone: {
      bool any = !ctx->ForEachValue(c.key, [&](std::string_view v) {
        return !ValueMatchesAny(c, v, ctx);
      });
      return any != c.negated;
    }
    case SetOperator::kForAnyValue:
      return !ctx->ForEachValue(c.key, [&](std::string_view v) { return !holds_for(v); });
    case SetOperator::kForAllValues:
      return ctx->ForEachValue(c.key, [&](std::string_view v) { return holds_for(v); });
  }
  return false;
}

bool ConditionsHold(const Statement& s, const RequestContext* ctx) {
  for (const Condition& c : s.conditions)
    if (!ConditionHolds(c, ctx)) return false;
  return true;
}

// ---- The decision ----

// What one policy type contributed.
struct TypeOutcome {
  bool allowed = false;
  bool denied = false;
  StatementRef allow_ref;
  StatementRef deny_ref;
  PrincipalMatch best = PrincipalMatch::kNone;  // resource policies: strongest allowing match
};

// Records matched statements and missing keys for the simulator; the enforcement path passes
// nullptr and never allocates.
struct Recorder {
  std::vector<StatementRef> allows;
  std::vector<StatementRef> denies;
  std::vector<std::string_view> missing;

  void NoteMissing(const Statement& s, const RequestContext* ctx) {
    for (const Condition& c : s.conditions) {
      if (ctx != nullptr && ctx->HasValue(c.key)) continue;
      bool seen = false;
      for (std::string_view m : missing)
        if (EqualsIgnoreCase(m, c.key)) seen = true;
      if (!seen) missing.push_back(c.key);
    }
  }
};

void EvaluatePolicy(const PolicySource& source, PolicyType type, const Input& in,
                    TypeOutcome& out, Recorder* rec) {
  if (source.policy == nullptr) return;
  const std::span<const Statement> statements = source.policy->statements();
  // Only the statements that may name the request's service (in document order, so the first
  // allow and deny found are the document's first).
  for (uint32_t index : source.policy->StatementsFor(in.service_hash)) {
    const Statement& s = statements[index];
    bool is_allow = s.effect == Effect::kAllow;
    // Enforcement needs one allow per type but every deny; the simulator looks at everything.
    if (rec == nullptr && is_allow && out.allowed &&
        (type != PolicyType::kResource || out.best == PrincipalMatch::kDirect))
      continue;
    if (!ActionApplies(s, in) || !ResourceApplies(s, in)) continue;
    PrincipalMatch pm = PrincipalApplies(s, in);
    if (pm == PrincipalMatch::kNone) continue;
    if (rec != nullptr) rec->NoteMissing(s, in.context);
    if (!ConditionsHold(s, in.context)) continue;
    StatementRef ref{&source, &s, type};
    if (is_allow) {
      if (!out.allowed) out.allow_ref = ref;
      out.allowed = true;
      if (pm > out.best) out.best = pm;
      if (rec != nullptr) rec->allows.push_back(ref);
    } else {
      if (!out.denied) out.deny_ref = ref;
      out.denied = true;
      if (rec != nullptr) rec->denies.push_back(ref);
    }
  }
}

struct CoreResult {
  AuthorizationResult result;
  bool has_boundary = false;
  bool boundary_allowed = false;
};

CoreResult Decide(const Request& r, Recorder* rec) {
  char buffer[kActionBuffer];
  std::string spill;
  Input in = Prepare(r.action, r.resource, r.context, &r.principal, buffer, spill);
  in.has_boundary = r.permissions_boundary != nullptr;
  CoreResult core;
  core.has_boundary = in.has_boundary;
  AuthorizationResult& result = core.result;

  auto explicit_deny = [&](const TypeOutcome& o, PolicyType type) {
    result.decision = Decision::kExplicitDeny;
    result.cause = type;
    result.deciding = o.deny_ref;
  };
  auto implicit_deny = [&](PolicyType type) {
    result.decision = Decision::kImplicitDeny;
    result.cause = type;
    result.deciding = {};
  };
  auto allow = [&](const StatementRef& ref) {
    result.decision = Decision::kAllow;
    result.cause = PolicyType::kNone;
    result.deciding = ref;
  };

  // Step 1: explicit denies anywhere win. Types are looked at in a fixed order so that the
  // reported cause is deterministic; enforcement stops at the first deny.
  TypeOutcome identity, resource, boundary, session;
  for (const PolicySource& p : r.identity_policies) {
    EvaluatePolicy(p, PolicyType::kIdentity, in, identity, rec);
    if (identity.denied && rec == nullptr) break;
  }
  if (identity.denied && rec == nullptr) {
    explicit_deny(identity, PolicyType::kIdentity);
    return core;
  }
  if (r.resource_policy != nullptr)
    EvaluatePolicy(*r.resource_policy, PolicyType::kResource, in, resource, rec);
  if (r.permissions_boundary != nullptr)
    EvaluatePolicy(*r.permissions_boundary, PolicyType::kPermissionsBoundary, in, boundary, rec);
  for (const PolicySource& p : r.session_policies)
    EvaluatePolicy(p, PolicyType::kSession, in, session, rec);
  core.boundary_allowed = boundary.allowed;

  if (identity.denied) return explicit_deny(identity, PolicyType::kIdentity), core;
  if (resource.denied) return explicit_deny(resource, PolicyType::kResource), core;
  if (boundary.denied) return explicit_deny(boundary, PolicyType::kPermissionsBoundary), core;
  if (session.denied) return explicit_deny(session, PolicyType::kSession), core;

  const Principal& p = r.principal;
  bool same_account = r.resource_account.empty() || r.resource_account == p.account;

  // Principals without identity policies: only the resource-based policy can grant.
  if (p.type == PrincipalType::kService || p.type == PrincipalType::kAnonymous ||
      p.type == PrincipalType::kWebIdentity || p.type == PrincipalType::kSaml) {
    if (resource.best == PrincipalMatch::kDirect || resource.best == PrincipalMatch::kRole)
      return allow(resource.allow_ref), core;
    return implicit_deny(PolicyType::kResource), core;
  }
  // "By default, all requests are implicitly denied with the exception of the AWS account root
  // user, which has full access."
  if (p.type == PrincipalType::kRoot) {
    if (same_account) return allow({}), core;
    if (resource.allowed) return allow(resource.allow_ref), core;
    return implicit_deny(PolicyType::kResource), core;
  }

  if (same_account) {
    // Rule 3: a grant to the user or session ARN itself is not limited by implicit denies.
    if (resource.best == PrincipalMatch::kDirect) return allow(resource.allow_ref), core;
    bool role_grant = resource.best == PrincipalMatch::kRole;
    if (!identity.allowed && !role_grant) return implicit_deny(PolicyType::kIdentity), core;
    if (r.permissions_boundary != nullptr && !boundary.allowed)
      return implicit_deny(PolicyType::kPermissionsBoundary), core;
    if (!r.session_policies.empty() && !session.allowed)
      return implicit_deny(PolicyType::kSession), core;
    return allow(identity.allowed ? identity.allow_ref : resource.allow_ref), core;
  }

  // Cross-account: both accounts must allow.
  if (!identity.allowed) return implicit_deny(PolicyType::kIdentity), core;
  if (r.permissions_boundary != nullptr && !boundary.allowed)
    return implicit_deny(PolicyType::kPermissionsBoundary), core;
  if (!r.session_policies.empty() && !session.allowed)
    return implicit_deny(PolicyType::kSession), core;
  if (!resource.allowed) return implicit_deny(PolicyType::kResource), core;
  return allow(identity.allow_ref), core;
}

MatchedStatement ToMatched(const StatementRef& ref) {
  MatchedStatement m;
  m.source_policy_id = ref.source->id;
  m.source_policy_type = ref.source->type;
  m.policy_type = ref.policy_type;
  m.sid = ref.statement->sid;
  m.effect = ref.statement->effect;
  m.start = ref.statement->begin;
  m.end = ref.statement->end;
  return m;
}

}  // namespace

AuthorizationResult Authorize(const Request& request) { return Decide(request, nullptr).result; }

SimulationResult Simulate(const Request& request) {
  Recorder rec;
  CoreResult core = Decide(request, &rec);
  SimulationResult out;
  out.decision = core.result.decision;
  out.cause = core.result.cause;
  out.has_permissions_boundary = core.has_boundary;
  out.allowed_by_permissions_boundary = core.boundary_allowed;
  if (out.decision == Decision::kExplicitDeny) {
    for (const StatementRef& ref : rec.denies) out.matched_statements.push_back(ToMatched(ref));
  } else if (out.decision == Decision::kAllow) {
    for (const StatementRef& ref : rec.allows)
      if (ref.policy_type != PolicyType::kPermissionsBoundary)
        out.matched_statements.push_back(ToMatched(ref));
  }
  for (std::string_view key : rec.missing) out.missing_context_values.emplace_back(key);
  return out;
}

std::string DenialReason(const AuthorizationResult& result, std::string_view action) {
  auto type_name = [](PolicyType t) -> std::string_view {
    switch (t) {
      case PolicyType::kResource: return "resource-based policy";
      case PolicyType::kPermissionsBoundary: return "permissions boundary";
      case PolicyType::kSession: return "session policy";
      default: return "identity-based policy";
    }
  };
  auto article = [](PolicyType t) -> std::string_view {
    return t == PolicyType::kIdentity || t == PolicyType::kNone ? "an " : "a ";
  };
  switch (result.decision) {
    case Decision::kAllow: return {};
    case Decision::kExplicitDeny:
      return "with an explicit deny in " + std::string(article(result.cause)) +
             std::string(type_name(result.cause));
    case Decision::kImplicitDeny:
      return "because no " + std::string(type_name(result.cause)) + " allows the " +
             std::string(action) + " action";
  }
  return {};
}

AuthorizationResult EvaluateTrustPolicy(const Policy& trust_policy, const Principal& caller,
                                        const RequestContext* context, std::string_view action) {
  PolicySource source{&trust_policy, "trust", PolicySourceType::kResource};
  char buffer[kActionBuffer];
  std::string spill;
  Input in = Prepare(action, "", context, &caller, buffer, spill);
  TypeOutcome outcome;
  EvaluatePolicy(source, PolicyType::kResource, in, outcome, nullptr);
  AuthorizationResult result;
  if (outcome.denied) {
    result.decision = Decision::kExplicitDeny;
    result.cause = PolicyType::kResource;
    result.deciding = outcome.deny_ref;
  } else if (outcome.allowed) {
    result.decision = Decision::kAllow;
    result.deciding = outcome.allow_ref;
  } else {
    result.cause = PolicyType::kResource;
  }
  // The PolicySource above lives on this stack frame: do not hand out a pointer to it.
  result.deciding.source = nullptr;
  return result;
}

std::vector<std::string> ContextKeys(std::span<const Policy* const> policies) {
  std::vector<std::string> keys;
  for (const Policy* p : policies) {
    if (p == nullptr) continue;
    for (std::string_view k : p->context_keys()) {
      bool seen = false;
      for (const std::string& existing : keys)
        if (EqualsIgnoreCase(existing, k)) seen = true;
      if (!seen) keys.emplace_back(k);
    }
  }
  return keys;
}

}  // namespace iamd::policy
