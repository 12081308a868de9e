// Policy engine throughput: single-thread decisions per second for the seed page's ray-head role
// (AmazonEC2FullAccess, AmazonS3FullAccess, AmazonFSxFullAccess, CloudWatchAgentServerPolicy,
// AmazonSSMFullAccess and the inline ray-pass-role-policy), as enforcement would run them:
// policies compiled once, Authorize per request. bench/moto_evaluator_bench.py times moto's
// evaluator on the same policies and requests.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "policy/evaluator.h"
#include "policy/policy.h"

namespace {

using namespace iamd::policy;  // NOLINT: benchmark translation unit

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string SourceDir() {
  const char* env = std::getenv("IAMD_SOURCE_DIR");
  return env != nullptr ? env : IAMD_SOURCE_DIR;
}

struct RayHead {
  std::vector<PolicyPtr> policies;
  std::vector<PolicySource> sources;
  Principal principal;

  RayHead() {
    const char* managed[] = {"AmazonEC2FullAccess", "AmazonS3FullAccess", "AmazonFSxFullAccess",
                             "CloudWatchAgentServerPolicy", "AmazonSSMFullAccess"};
    for (const char* name : managed) Add(std::string("seed/") + name + ".json", PolicyKind::kManagedIdentity);
    Add("seed/ray_pass_role_policy.json", PolicyKind::kIdentity);
    sources[0].id = "arn:aws:iam::aws:policy/AmazonEC2FullAccess";
    sources[5].id = "ray-pass-role-policy";
    sources[5].type = PolicySourceType::kRole;
    principal.type = PrincipalType::kRoleSession;
    principal.arn = "arn:aws:sts::123456789012:assumed-role/ray-head/i-0abc1234def567890";
    principal.account = "123456789012";
    principal.role_arn = "arn:aws:iam::123456789012:role/ray-head";
  }

  void Add(const std::string& file, PolicyKind kind) {
    auto p = ParsePolicy(ReadFile(SourceDir() + "/tests/policy/" + file), kind);
    if (!p) throw std::runtime_error(file + ": " + p.error().message);
    policies.push_back(*p);
    sources.push_back(PolicySource{p->get(), file, PolicySourceType::kAwsManaged});
  }
};

const RayHead& Head() {
  static const RayHead* head = new RayHead();
  return *head;
}

void RunDecisions(benchmark::State& state, const char* action, const char* resource,
                  Decision expected) {
  const RayHead& head = Head();
  RequestContext context;  // what enforcement fills per request
  context.Add("aws:PrincipalArn", head.principal.role_arn);
  context.Add("aws:PrincipalAccount", head.principal.account);
  context.Add("aws:SourceIp", "10.0.1.17");
  context.Add("aws:SecureTransport", "true");
  Request r;
  r.action = action;
  r.resource = resource;
  r.context = &context;
  r.principal = head.principal;
  r.identity_policies = head.sources;
  if (Authorize(r).decision != expected) {
    state.SkipWithError("unexpected decision");
    return;
  }
  for (auto _ : state) {
    AuthorizationResult result = Authorize(r);
    benchmark::DoNotOptimize(result);
  }
  state.counters["decisions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_RayHeadPassRoleWorker(benchmark::State& state) {
  RunDecisions(state, "iam:PassRole", "arn:aws:iam::123456789012:role/ray-worker", Decision::kAllow);
}
void BM_RayHeadS3GetObject(benchmark::State& state) {
  RunDecisions(state, "s3:GetObject", "arn:aws:s3:::ray-bucket/data/part-0000.parquet",
               Decision::kAllow);
}
void BM_RayHeadCreateRoleDenied(benchmark::State& state) {
  RunDecisions(state, "iam:CreateRole", "arn:aws:iam::123456789012:role/new-role",
               Decision::kImplicitDeny);
}
void BM_RayHeadSimulatePassRole(benchmark::State& state) {
  const RayHead& head = Head();
  Request r;
  r.action = "iam:PassRole";
  r.resource = "arn:aws:iam::123456789012:role/ray-worker";
  r.principal = head.principal;
  r.identity_policies = head.sources;
  for (auto _ : state) benchmark::DoNotOptimize(Simulate(r));
  state.counters["decisions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_ParseAmazonFSxFullAccess(benchmark::State& state) {
  std::string text = ReadFile(SourceDir() + "/tests/policy/seed/AmazonFSxFullAccess.json");
  for (auto _ : state) benchmark::DoNotOptimize(ParsePolicy(text, PolicyKind::kManagedIdentity));
}

BENCHMARK(BM_RayHeadPassRoleWorker);
BENCHMARK(BM_RayHeadS3GetObject);
BENCHMARK(BM_RayHeadCreateRoleDenied);
BENCHMARK(BM_RayHeadSimulatePassRole);
BENCHMARK(BM_ParseAmazonFSxFullAccess);

}  // namespace

BENCHMARK_MAIN();
