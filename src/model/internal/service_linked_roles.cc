#include "model/internal/service_linked_roles.h"

#include <algorithm>
#include <iterator>

namespace iamd::model::internal {
namespace {

constexpr ServiceLinkedRoleSpec kSpecs[] = {
#include "model/internal/service_linked_roles.inc"
};

}  // namespace

const ServiceLinkedRoleSpec* FindServiceLinkedRole(std::string_view service) {
  auto it = std::lower_bound(std::begin(kSpecs), std::end(kSpecs), service,
                             [](const ServiceLinkedRoleSpec& s, std::string_view v) {
                               return s.service < v;
                             });
  return it != std::end(kSpecs) && it->service == service ? it : nullptr;
}

}  // namespace iamd::model::internal
