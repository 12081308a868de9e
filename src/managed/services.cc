#include "managed/services.h"

#include <algorithm>

namespace iamd::managed {
namespace {

constexpr AwsService kServices[] = {
#include "managed/service_namespaces.inc"
};

}  // namespace

std::span<const AwsService> AllServices() { return kServices; }

const AwsService* FindService(std::string_view service_namespace) {
  auto it = std::lower_bound(
      std::begin(kServices), std::end(kServices), service_namespace,
      [](const AwsService& s, std::string_view ns) { return s.service_namespace < ns; });
  return it != std::end(kServices) && it->service_namespace == service_namespace ? it : nullptr;
}

}  // namespace iamd::managed
