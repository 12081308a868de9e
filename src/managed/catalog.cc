#include "managed/catalog.h"

#include <algorithm>
#include <functional>

#include "managed/internal/catalog_data.h"

namespace iamd::managed {

std::span<const AwsManagedPolicy> AllPolicies() {
  return {internal::kPolicies, internal::kPolicyCount};
}

const AwsManagedPolicy* FindByArn(std::string_view arn) {
  std::span<const std::uint16_t> by_arn(internal::kPolicyIndexByArn, internal::kPolicyCount);
  auto arn_of = [](std::uint16_t i) { return internal::kPolicies[i].arn; };
  auto it = std::ranges::lower_bound(by_arn, arn, std::ranges::less{}, arn_of);
  if (it == by_arn.end() || arn_of(*it) != arn) return nullptr;
  return &internal::kPolicies[*it];
}

const AwsManagedPolicy* FindByName(std::string_view name) {
  std::span<const AwsManagedPolicy> all = AllPolicies();
  auto it = std::ranges::lower_bound(all, name, std::ranges::less{}, &AwsManagedPolicy::name);
  if (it == all.end() || it->name != name) return nullptr;
  return &*it;
}

}  // namespace iamd::managed
