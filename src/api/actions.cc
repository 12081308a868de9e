#include <algorithm>
#include <array>

#include "api/iam_handlers.h"

namespace iamd::api {
namespace {

#define IAMD_ROW(name, access) ActionDef{#name, &name, Access::access},
constexpr ActionDef kActions[] = {IAMD_ACTIONS(IAMD_ROW)};
#undef IAMD_ROW

}  // namespace

const ActionDef* FindAction(std::string_view name) {
  for (const ActionDef& a : kActions)
    if (a.name == name) return &a;
  return nullptr;
}

std::span<const ActionDef> AllActions() { return kActions; }

}  // namespace iamd::api
