// The conformance suite: every request of every case in tests/policy/conformance/*.json is one
// test, decided by both Authorize (enforcement) and Simulate (simulator), which must agree with
// the case's expectation and with each other.
#include <gtest/gtest.h>

#include <memory>

#include "case_loader.h"
#include "policy/evaluator.h"

namespace iamd::policy::testing {
namespace {

struct Param {
  const ConformanceCase* c;
  size_t request;
};

const std::vector<ConformanceCase>& AllCases() {
  static const auto* cases = new std::vector<ConformanceCase>(LoadConformanceCases());
  return *cases;
}

std::vector<Param> AllParams() {
  std::vector<Param> params;
  for (const ConformanceCase& c : AllCases())
    for (size_t i = 0; i < c.requests.size(); ++i) params.push_back(Param{&c, i});
  return params;
}

PolicySourceType SourceType(const std::string& s) {
  if (s == "user") return PolicySourceType::kUser;
  if (s == "group") return PolicySourceType::kGroup;
  if (s == "role") return PolicySourceType::kRole;
  if (s == "aws-managed") return PolicySourceType::kAwsManaged;
  if (s == "user-managed") return PolicySourceType::kUserManaged;
  if (s == "resource") return PolicySourceType::kResource;
  return PolicySourceType::kNone;
}

PrincipalType PrincipalTypeOf(const std::string& s) {
  if (s == "root") return PrincipalType::kRoot;
  if (s == "user") return PrincipalType::kIamUser;
  if (s == "role-session") return PrincipalType::kRoleSession;
  if (s == "federated-user") return PrincipalType::kFederatedUser;
  if (s == "service") return PrincipalType::kService;
  if (s == "web-identity") return PrincipalType::kWebIdentity;
  if (s == "saml") return PrincipalType::kSaml;
  if (s == "anonymous") return PrincipalType::kAnonymous;
  ADD_FAILURE() << "unknown principal type " << s;
  return PrincipalType::kAnonymous;
}

std::string CauseName(PolicyType t) {
  switch (t) {
    case PolicyType::kIdentity: return "identity";
    case PolicyType::kResource: return "resource";
    case PolicyType::kPermissionsBoundary: return "boundary";
    case PolicyType::kSession: return "session";
    case PolicyType::kNone: return "none";
  }
  return "?";
}

// Parsed policies and sources that stay alive for one decision.
struct Loaded {
  std::vector<PolicyPtr> keep;
  std::vector<PolicySource> identity, session;
  PolicySource boundary, resource, trust;
};

PolicySource Load(const PolicySpec& spec, PolicyKind kind, Loaded& loaded) {
  auto policy = ParsePolicy(spec.text, kind);
  EXPECT_TRUE(policy.has_value()) << spec.id << ": " << (policy ? "" : policy.error().message);
  if (!policy) return {};
  loaded.keep.push_back(*policy);
  return PolicySource{policy->get(), spec.id, SourceType(spec.type)};
}

std::string MatchedName(const MatchedStatement& m) {
  return m.sid.empty() ? std::string(m.source_policy_id) : std::string(m.sid);
}

class Conformance : public ::testing::TestWithParam<Param> {};

TEST_P(Conformance, Decides) {
  const ConformanceCase& c = *GetParam().c;
  const RequestSpec& rs = c.requests[GetParam().request];
  SCOPED_TRACE(c.file + ": " + c.name + " — " + c.source);
  Loaded loaded;
  for (const PolicySpec& p : c.identity)
    loaded.identity.push_back(Load(p, PolicyKind::kIdentity, loaded));
  for (const PolicySpec& p : c.session)
    loaded.session.push_back(Load(p, PolicyKind::kSession, loaded));
  if (c.boundary) loaded.boundary = Load(*c.boundary, PolicyKind::kPermissionsBoundary, loaded);
  if (c.resource_policy) loaded.resource = Load(*c.resource_policy, PolicyKind::kResource, loaded);
  if (c.trust_policy) loaded.trust = Load(*c.trust_policy, PolicyKind::kTrust, loaded);
  if (HasFailure()) return;

  Principal principal;
  principal.type = PrincipalTypeOf(c.principal.type);
  principal.arn = c.principal.arn;
  principal.account = c.principal.account;
  principal.role_arn = c.principal.role_arn;
  principal.user_arn = c.principal.user_arn;
  principal.service = c.principal.service;
  principal.federated_provider = c.principal.federated;
  principal.canonical_user = c.principal.canonical_user;

  RequestContext context;
  for (const auto& [key, values] : rs.context) {
    if (values.empty()) context.AddEmpty(key);
    for (const std::string& v : values) context.Add(key, v);
  }

  if (c.trust) {
    AuthorizationResult r = EvaluateTrustPolicy(*loaded.trust.policy, principal, &context,
                                                rs.action.empty() ? "sts:AssumeRole" : rs.action);
    EXPECT_EQ(DecisionName(r.decision), rs.expect);
    return;
  }

  Request request;
  request.action = rs.action;
  request.resource = rs.resource;
  request.context = &context;
  request.principal = principal;
  request.identity_policies = loaded.identity;
  request.session_policies = loaded.session;
  if (c.boundary) request.permissions_boundary = &loaded.boundary;
  if (c.resource_policy) request.resource_policy = &loaded.resource;
  request.resource_account = c.resource_account;

  AuthorizationResult fast = Authorize(request);
  SimulationResult sim = Simulate(request);
  EXPECT_EQ(DecisionName(fast.decision), rs.expect) << "Authorize";
  EXPECT_EQ(DecisionName(sim.decision), rs.expect) << "Simulate";
  if (rs.cause) {
    EXPECT_EQ(CauseName(fast.cause), *rs.cause) << "Authorize cause";
    EXPECT_EQ(CauseName(sim.cause), *rs.cause) << "Simulate cause";
  }
  if (rs.matched) {
    std::vector<std::string> got;
    for (const MatchedStatement& m : sim.matched_statements) got.push_back(MatchedName(m));
    EXPECT_EQ(got, *rs.matched);
  }
  if (rs.missing) {
    EXPECT_EQ(sim.missing_context_values, *rs.missing);
  }
  if (rs.allowed_by_boundary) {
    EXPECT_TRUE(sim.has_permissions_boundary);
    EXPECT_EQ(sim.allowed_by_permissions_boundary, *rs.allowed_by_boundary);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Suite, Conformance, ::testing::ValuesIn(AllParams()),
    [](const ::testing::TestParamInfo<Param>& info) {
      const ConformanceCase& c = *info.param.c;
      return TestName(c.file) + "_" + TestName(c.name) + "_" + std::to_string(info.param.request);
    });

}  // namespace
}  // namespace iamd::policy::testing
