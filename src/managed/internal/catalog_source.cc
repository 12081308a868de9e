#include "managed/internal/catalog_source.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "common/ids.h"
#include "common/time.h"
#include "managed/internal/policy_json.h"

namespace iamd::managed::internal {
namespace {

// Every AWS managed policy ARN is this prefix, then the path, then the name.
constexpr std::string_view kArnPrefix = "arn:aws:iam::aws:policy";

// IAM's pattern for policy names: [\w+=,.@-]+ (IAM API reference, CreatePolicy).
bool IsValidPolicyName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("_+=,.@-").find(c) != std::string_view::npos;
  });
}

bool IsVersionId(std::string_view v) {
  return v.size() >= 2 && v[0] == 'v' && v[1] != '0' &&
         std::ranges::all_of(v.substr(1), [](char c) { return c >= '0' && c <= '9'; });
}

std::expected<std::string, std::string> StringMember(const JsonValue& policy,
                                                     std::string_view key) {
  const JsonValue* v = policy.Find(key);
  if (v == nullptr) return std::unexpected("missing member \"" + std::string(key) + "\"");
  if (v->kind != JsonValue::Kind::kString) {
    return std::unexpected("member \"" + std::string(key) + "\" is not a string");
  }
  return v->text;
}

// Reads one element of the array; errors say what is wrong, the caller says where.
std::expected<SourcePolicy, std::string> ReadPolicy(const JsonValue& entry) {
  if (entry.kind != JsonValue::Kind::kObject) return std::unexpected("not a JSON object");
  SourcePolicy p;
  std::string create, update;
  const std::pair<std::string_view, std::string*> fields[] = {
      {"PolicyName", &p.name}, {"Path", &p.path},
      {"Arn", &p.arn},         {"DefaultVersionId", &p.default_version_id},
      {"CreateDate", &create}, {"UpdateDate", &update},
  };
  for (auto [key, field] : fields) {
    auto value = StringMember(entry, key);
    if (!value) return std::unexpected(value.error());
    *field = std::move(*value);
  }
  const JsonValue* document = entry.Find("Document");
  if (document == nullptr) return std::unexpected("missing member \"Document\"");
  if (document->kind != JsonValue::Kind::kObject) {
    return std::unexpected("member \"Document\" is not a JSON object");
  }

  if (!IsValidPolicyName(p.name)) return std::unexpected("PolicyName is not a valid IAM name");
  if (p.path.empty() || p.path.front() != '/' || p.path.back() != '/') {
    return std::unexpected("Path \"" + p.path + "\" does not start and end with '/'");
  }
  std::string expected_arn = std::string(kArnPrefix) + p.path + p.name;
  if (p.arn != expected_arn) {
    return std::unexpected("Arn \"" + p.arn + "\" is not \"" + expected_arn + "\"");
  }
  if (!IsVersionId(p.default_version_id)) {
    return std::unexpected("DefaultVersionId \"" + p.default_version_id + "\" is not v<N>");
  }
  std::optional<int64_t> created = ParseIso8601Millis(create);
  if (!created) return std::unexpected("CreateDate \"" + create + "\" is not an ISO 8601 time");
  std::optional<int64_t> updated = ParseIso8601Millis(update);
  if (!updated) return std::unexpected("UpdateDate \"" + update + "\" is not an ISO 8601 time");
  p.create_millis = *created;
  p.update_millis = *updated;

  p.policy_id = StableUniqueId(kPolicyIdPrefix, p.arn);
  p.document = RenderAwsPolicyDocument(*document);
  return p;
}

}  // namespace

std::expected<std::vector<SourcePolicy>, std::string> ReadCatalogSource(
    std::string_view json_text) {
  std::expected<JsonValue, std::string> root = ParseJson(json_text);
  if (!root) return std::unexpected("malformed JSON: " + root.error());
  if (root->kind != JsonValue::Kind::kArray) {
    return std::unexpected("the top-level value is not a JSON array of policies");
  }
  if (root->elements.size() > kMaxCatalogPolicies) {
    return std::unexpected(std::to_string(root->elements.size()) + " policies; at most " +
                           std::to_string(kMaxCatalogPolicies) + " fit the table");
  }

  std::vector<SourcePolicy> policies;
  policies.reserve(root->elements.size());
  for (size_t i = 0; i < root->elements.size(); ++i) {
    const JsonValue& entry = root->elements[i];
    std::expected<SourcePolicy, std::string> p = ReadPolicy(entry);
    if (!p) {
      std::string where = "policy #" + std::to_string(i + 1);
      const JsonValue* name = entry.Find("PolicyName");
      if (name != nullptr && name->kind == JsonValue::Kind::kString) {
        where += " (\"" + name->text + "\")";
      }
      return std::unexpected(where + ": " + p.error());
    }
    policies.push_back(std::move(*p));
  }

  std::ranges::sort(policies, std::ranges::less{}, &SourcePolicy::name);
  // Unique names give unique ARNs: a name has no '/', so it is what follows the ARN's last '/'.
  for (size_t i = 1; i < policies.size(); ++i) {
    if (policies[i].name == policies[i - 1].name) {
      return std::unexpected("PolicyName \"" + policies[i].name + "\" occurs twice");
    }
  }
  return policies;
}

}  // namespace iamd::managed::internal
