#include <algorithm>
#include <array>
#include <unordered_map>
#include <vector>

#include "api/iam_handlers.h"

namespace iamd::api {
namespace {


// Actions any authenticated caller may perform (STS API reference: "No permissions are
// required"), AssumeRole, which its handler authorizes (the caller's identity policies and the
// role's trust policy decide together), and AssumeRoleWithWebIdentity and AssumeRoleWithSAML,
// which take no credentials and which the role's trust policy alone decides.
constexpr bool NeedsNoPermission(std::string_view name) {
  return name == "GetCallerIdentity" || name == "GetSessionToken" || name == "AssumeRole" ||
         name == "AssumeRoleWithWebIdentity" || name == "AssumeRoleWithSAML";
}

// Actions with slow work to do before the model is locked.
constexpr Prepare PrepareFor(std::string_view name) {
  if (name == "CreateLoginProfile" || name == "UpdateLoginProfile") return &HashPasswordParam;
  if (name == "CreateSAMLProvider" || name == "UpdateSAMLProvider") return &CheckSamlParams;
  if (name == "ChangePassword") return &CheckChangePassword;
  if (name == "EnableOutboundWebIdentityFederation") return &PrepareOutboundKeys;
  return nullptr;
}

#define IAMD_ROW(name, access, resource) \
  ActionDef{#name, &name, Access::access, resource, NeedsNoPermission(#name), PrepareFor(#name)},
constexpr ActionDef kActions[] = {IAMD_ACTIONS(IAMD_ROW)};
#undef IAMD_ROW

}  // namespace

const ActionDef* FindAction(std::string_view name) {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const ActionDef*>();
    for (const ActionDef& a : kActions) m->emplace(a.name, &a);
    return m;
  }();
  auto it = index->find(name);
  return it == index->end() ? nullptr : it->second;
}

std::span<const ActionDef> AllActions() { return kActions; }

std::string_view QualifiedActionName(const ActionDef& def) {
  static const auto* names = [] {
    auto* v = new std::vector<std::string>();
    for (const ActionDef& a : kActions) {
      const OperationSpec* op = FindOperation(a.name);
      v->push_back(std::string(op ? op->service : "iam") + ":" + std::string(a.name));
    }
    return v;
  }();
  return (*names)[static_cast<size_t>(&def - kActions)];
}

}  // namespace iamd::api
