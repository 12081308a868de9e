// AWS's services as IAM names them: the namespace of their actions ("s3" in "s3:GetObject") and
// the name IAM's access reports give them (GetServiceLastAccessedDetails' ServiceName). A
// constant table (service_namespaces.inc, made by scripts/gen_service_namespaces.py from AWS's
// policy generator data, recorded access reports, the botocore models and the Service
// Authorization Reference); thread-safe, views
// valid for the life of the program.
#pragma once

#include <span>
#include <string_view>

namespace iamd::managed {

struct AwsService {
  std::string_view service_namespace;  // "s3"
  std::string_view name;               // "Amazon S3"
};

// Every service, sorted by namespace (byte order); namespaces are unique.
std::span<const AwsService> AllServices();

// The service of this namespace (exact, lowercase as AWS writes them), or nullptr.
const AwsService* FindService(std::string_view service_namespace);

}  // namespace iamd::managed
