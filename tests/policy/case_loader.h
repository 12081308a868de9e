// Loads the JSON case files of tests/policy into plain structs. Test-only code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace iamd::policy::testing {

std::string SourceDir();  // IAMD_SOURCE_DIR
std::string ReadFile(const std::string& path);
std::vector<std::string> JsonFilesIn(const std::string& dir);

struct PolicySpec {
  std::string id;
  std::string type = "none";  // SourcePolicyType
  std::string text;           // the document text
};

struct PrincipalSpec {
  std::string type = "user";  // root, user, role-session, federated-user, service, web-identity, saml, anonymous
  std::string arn = "arn:aws:iam::123456789012:user/alice";
  std::string account = "123456789012";
  std::string role_arn, user_arn, service, federated, canonical_user;
};

struct RequestSpec {
  std::string action;
  std::string resource = "*";
  std::vector<std::pair<std::string, std::vector<std::string>>> context;  // empty vector: AddEmpty
  std::string expect;                    // allowed / explicitDeny / implicitDeny
  std::optional<std::string> cause;      // identity / resource / boundary / session / none
  std::optional<std::vector<std::string>> matched;  // Sids (or "id#index" when no Sid)
  std::optional<std::vector<std::string>> missing;  // MissingContextValues
  std::optional<bool> allowed_by_boundary;
};

struct ConformanceCase {
  std::string file;
  std::string name;
  std::string source;
  bool trust = false;  // EvaluateTrustPolicy against trust_policy
  PrincipalSpec principal;
  std::vector<PolicySpec> identity;
  std::optional<PolicySpec> boundary;
  std::vector<PolicySpec> session;
  std::optional<PolicySpec> resource_policy;
  std::optional<PolicySpec> trust_policy;
  std::string resource_account;
  std::vector<RequestSpec> requests;
};

struct ValidationCase {
  std::string file;
  std::string name;
  std::string source;
  std::string kind = "identity";
  std::string text;
  std::optional<std::string> error;  // nullopt: must be accepted
};

std::vector<ConformanceCase> LoadConformanceCases();
std::vector<ValidationCase> LoadValidationCases();

// A test name made of [A-Za-z0-9_].
std::string TestName(const std::string& raw);

}  // namespace iamd::policy::testing
