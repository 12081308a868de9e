// libFuzzer target: ParsePolicy must never crash, leak or misbehave on any bytes, for any policy
// kind; whatever it accepts must evaluate without crashing either.
//
//   CXX=clang++ cmake -S . -B build-fuzz -DIAMD_FUZZ=ON -DIAMD_BUILD_TESTS=OFF -DIAMD_BUILD_BENCH=OFF
//   cmake --build build-fuzz --target policy_fuzz && build-fuzz/fuzz/policy_fuzz fuzz/corpus/policy
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/evaluator.h"
#include "policy/policy.h"

using namespace iamd::policy;  // NOLINT: a fuzz target's single translation unit

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the kind; the rest is the document.
  PolicyKind kind = static_cast<PolicyKind>(data[0] % 6);
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  SourcePosition where;
  auto policy = ParsePolicy(text, kind, &where);
  if (!policy) return 0;

  RequestContext context;
  context.Add("aws:username", "alice");
  context.Add("aws:SourceIp", "10.1.2.3");
  context.Add("aws:CurrentTime", "2026-11-28T00:00:00Z");
  context.Add("aws:TagKeys", "a");
  context.Add("aws:TagKeys", "b");
  context.Add("aws:PrincipalTag/team", "x*?$");
  context.Add("s3:max-keys", "10");
  PolicySource source{policy->get(), "fuzz", PolicySourceType::kNone};
  Principal principal;
  principal.type = PrincipalType::kRoleSession;
  principal.arn = "arn:aws:sts::123456789012:assumed-role/r/s";
  principal.account = "123456789012";
  principal.role_arn = "arn:aws:iam::123456789012:role/r";
  Request r;
  r.action = "s3:GetObject";
  r.resource = "arn:aws:s3:::bucket/alice/key";
  r.context = &context;
  r.principal = principal;
  if (kind == PolicyKind::kResource) {
    r.resource_policy = &source;
  } else if (kind == PolicyKind::kTrust) {
    (void)EvaluateTrustPolicy(**policy, principal, &context);
    return 0;
  } else {
    r.identity_policies = std::span<const PolicySource>(&source, 1);
  }
  (void)Authorize(r);
  (void)Simulate(r);
  return 0;
}
