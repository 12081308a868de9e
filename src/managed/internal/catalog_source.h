// Reads resources/aws-managed-policies.json into the rows of the catalog table, computing at build
// time everything the server serves: IDs, epoch millis and rendered documents. Build-time only.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace iamd::managed::internal {

// One AWS managed policy, ready to be written into the table (see catalog.h for the fields).
struct SourcePolicy {
  std::string name;
  std::string path;
  std::string arn;
  std::string policy_id;  // StableUniqueId(kPolicyIdPrefix, arn)
  std::string default_version_id;
  int64_t create_millis = 0;
  int64_t update_millis = 0;
  std::string document;  // RenderAwsPolicyDocument of the source's Document
};

// The most policies one table holds (its ARN index is 16-bit).
inline constexpr size_t kMaxCatalogPolicies = 65535;

// Parses the catalog source: a JSON array of objects with string members PolicyName, Path, Arn,
// DefaultVersionId, CreateDate and UpdateDate and an object member Document (other members are
// ignored). Returns the policies sorted by name (byte order), or one message that names the
// problem and, for a bad policy, its position in the array and its name: malformed JSON (with
// line and column), a missing or mistyped member, a name with characters IAM does not allow, a
// Path that does not start and end with '/', an Arn other than arn:aws:iam::aws:policy +
// Path + PolicyName, a version ID not of the form v<N>, a date that ParseIso8601Millis rejects, a
// name that occurs twice, or more than kMaxCatalogPolicies policies. (ARNs are then unique too.)
std::expected<std::vector<SourcePolicy>, std::string> ReadCatalogSource(std::string_view json_text);

}  // namespace iamd::managed::internal
