#include "tools/policy_cli.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/arn.h"
#include "policy/evaluator.h"
#include "policy/policy.h"
#include "tools/read_file.h"

namespace iamd::tools {
namespace {

using policy::PolicyKind;

void Usage() {
  std::cerr << "usage: policy validate [--kind identity|managed|trust|resource|session|boundary] "
               "FILE...\n"
               "       policy eval --action ACTION [--resource ARN] [--context KEY=VALUE]... "
               "[--kind identity|resource] [--principal-arn ARN] FILE...\n";
}

bool ReadFile(const std::string& path, std::string& out) {
  auto bytes = ReadWholeFile(path);
  if (bytes) out = std::move(*bytes);
  return bytes.has_value();
}

int Validate(const std::vector<std::string>& files, PolicyKind kind) {
  int status = 0;
  for (const std::string& file : files) {
    std::string text;
    if (!ReadFile(file, text)) {
      std::cout << file << ": cannot read file\n";
      status = 1;
      continue;
    }
    policy::SourcePosition where;
    auto result = policy::ParsePolicy(text, kind, &where);
    if (result) {
      std::cout << file << ": OK\n";
    } else {
      std::cout << file << ":" << where.line << ":" << where.column << ": "
                << result.error().message << "\n";
      status = 1;
    }
  }
  return status;
}

// Fills a principal from its ARN: arn:aws:iam::ACCT:user/..., :root, :role/... (treated as a
// session of that role), arn:aws:sts::ACCT:assumed-role/ROLE/SESSION.
policy::Principal PrincipalFromArn(std::string_view arn, std::string& role_arn) {
  policy::Principal p;
  p.type = policy::PrincipalType::kIamUser;
  p.arn = arn;
  auto parts = ParseArn(arn);
  if (!parts) return p;
  p.account = parts->account;
  if (parts->resource == "root") {
    p.type = policy::PrincipalType::kRoot;
  } else if (parts->service == "sts" && StartsWith(parts->resource, "assumed-role/")) {
    p.type = policy::PrincipalType::kRoleSession;
    std::string_view rest = parts->resource.substr(13);
    role_arn = IamArn(parts->account, "role", "/", rest.substr(0, rest.find('/')));
    p.role_arn = role_arn;
  } else if (StartsWith(parts->resource, "role/")) {
    p.type = policy::PrincipalType::kRoleSession;
    role_arn = std::string(arn);
    p.role_arn = role_arn;
  }
  return p;
}

int Eval(const std::vector<std::string>& files, PolicyKind kind, const std::string& action,
         const std::string& resource, const std::vector<std::string>& context_args,
         const std::string& principal_arn) {
  std::vector<policy::PolicyPtr> policies;
  std::vector<policy::PolicySource> sources;
  for (const std::string& file : files) {
    std::string text;
    if (!ReadFile(file, text)) {
      std::cerr << file << ": cannot read file\n";
      return 1;
    }
    policy::SourcePosition where;
    auto result = policy::ParsePolicy(text, kind, &where);
    if (!result) {
      std::cerr << file << ":" << where.line << ":" << where.column << ": "
                << result.error().message << "\n";
      return 1;
    }
    policies.push_back(*result);
  }
  for (size_t i = 0; i < policies.size(); ++i)
    sources.push_back(policy::PolicySource{policies[i].get(), files[i],
                                           kind == PolicyKind::kResource
                                               ? policy::PolicySourceType::kResource
                                               : policy::PolicySourceType::kNone});
  policy::RequestContext context;
  for (const std::string& kv : context_args) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      std::cerr << "--context needs KEY=VALUE, got: " << kv << "\n";
      return 1;
    }
    context.Add(std::string_view(kv).substr(0, eq), std::string_view(kv).substr(eq + 1));
  }
  std::string role_arn;
  policy::Request request;
  request.action = action;
  request.resource = resource;
  request.context = &context;
  request.principal = PrincipalFromArn(principal_arn, role_arn);
  if (kind == PolicyKind::kResource) {
    if (sources.size() != 1) {
      std::cerr << "--kind resource takes exactly one FILE\n";
      return 1;
    }
    request.resource_policy = &sources[0];
  } else {
    request.identity_policies = sources;
  }
  policy::SimulationResult sim = policy::Simulate(request);
  policy::AuthorizationResult verdict{sim.decision, sim.cause, {}};
  std::cout << "EvalDecision: " << policy::DecisionName(sim.decision) << "\n";
  if (sim.decision != policy::Decision::kAllow)
    std::cout << "Reason: " << policy::DenialReason(verdict, action) << "\n";
  for (const policy::MatchedStatement& m : sim.matched_statements) {
    std::cout << "MatchedStatement: " << m.source_policy_id << ":" << m.start.line << ":"
              << m.start.column << "-" << m.end.line << ":" << m.end.column
              << (m.effect == policy::Effect::kAllow ? " Allow" : " Deny");
    if (!m.sid.empty()) std::cout << " Sid=" << m.sid;
    std::cout << "\n";
  }
  for (const std::string& key : sim.missing_context_values)
    std::cout << "MissingContextValue: " << key << "\n";
  return sim.decision == policy::Decision::kAllow ? 0 : 2;
}

}  // namespace

int RunPolicyCli(int argc, char** argv) {
  if (argc < 2) {
    Usage();
    return 1;
  }
  std::string command = argv[1];
  if (command != "validate" && command != "eval") {
    Usage();
    return 1;
  }
  PolicyKind kind = PolicyKind::kIdentity;
  std::string action, resource = "*", principal_arn = "arn:aws:iam::123456789012:user/cli";
  std::vector<std::string> context, files;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "--kind") {
      if (!value(v)) return Usage(), 1;
      auto k = policy::PolicyKindFromName(v);
      if (!k) {
        std::cerr << "unknown --kind " << v << "\n";
        return 1;
      }
      kind = *k;
    } else if (arg == "--action" && command == "eval") {
      if (!value(action)) return Usage(), 1;
    } else if (arg == "--resource" && command == "eval") {
      if (!value(resource)) return Usage(), 1;
    } else if (arg == "--context" && command == "eval") {
      if (!value(v)) return Usage(), 1;
      context.push_back(v);
    } else if (arg == "--principal-arn" && command == "eval") {
      if (!value(principal_arn)) return Usage(), 1;
    } else if (arg.size() > 1 && arg[0] == '-') {
      std::cerr << "unknown option " << arg << "\n";
      Usage();
      return 1;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty() || (command == "eval" && action.empty())) {
    Usage();
    return 1;
  }
  if (command == "validate") return Validate(files, kind);
  return Eval(files, kind, action, resource, context, principal_arn);
}

}  // namespace iamd::tools
