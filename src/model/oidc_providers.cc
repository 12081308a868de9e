// IAM OpenID Connect identity providers.
//
// AWS's messages used here, and where each was recorded (LocalStack's AWS-validated snapshots,
// tests/aws/services/iam/test_iam_oidc.snapshot.json, recorded against AWS in February 2026):
//   EntityAlreadyExists  "Provider with url https://HOST already exists."
//   ValidationError      "Invalid Open ID Connect Provider URL" (Url "example.org")
//   InvalidInput         "Thumbprint list must contain fewer than 5 entries." (6 thumbprints)
//   LimitExceeded        "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100"
//   NoSuchEntity         "OpenIDConnect Provider not found for arn ARN" (Get)
//   NoSuchEntity         "OpenId connect Provider ARN cannot be found." (Delete, twice)
// The same "Provider with url ... already exists." text appears in Terraform users' reports of
// real AWS errors (e.g. getscaf/sfu-fullstack-template#75).
#include <algorithm>

#include "common/arn.h"
#include "common/strings.h"
#include "model/internal/messages.h"
#include "model/internal/tagging.h"
#include "model/state.h"

namespace iamd::model {
namespace {

constexpr std::string_view kOidcResource = "oidc-provider/";
constexpr std::string_view kTagKind = "OpenIDConnectProvider";

std::unexpected<Error> InvalidUrl() {
  return Fail(ErrorCode::kValidationError, "Invalid Open ID Connect Provider URL");
}

// The Url without its scheme, if it is https://HOST[/PATH]. The API reference
// (CreateOpenIDConnectProvider, Url): "The URL must begin with https:// ... path components are
// allowed but query parameters are not ... The URL should not contain a port number." A
// fragment or user information has no place in an OIDC issuer either (OpenID Connect
// Discovery 1.0, section 2). The scheme is matched regardless of case; the rest is kept as
// given, so that URLs differing in case are different providers.
Result<std::string> ProviderUrl(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.size() < kScheme.size() || !EqualsIgnoreCase(url.substr(0, kScheme.size()), kScheme))
    return InvalidUrl();
  std::string_view rest = url.substr(kScheme.size());
  std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty()) return InvalidUrl();
  for (char c : rest)
    if (c <= ' ' || c > '~' || c == '?' || c == '#' || c == '\\') return InvalidUrl();
  if (host.find_first_of(":@") != std::string_view::npos) return InvalidUrl();
  return std::string(rest);
}

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

Status CheckThumbprints(std::span<const std::string> thumbprints) {
  if (thumbprints.size() > kMaxThumbprintsPerOidcProvider)
    return Fail(ErrorCode::kInvalidInput, "Thumbprint list must contain fewer than 5 entries.");
  // The service model fixes the length at 40 (ValidationError before this); a thumbprint is
  // "the hex-encoded SHA-1 hash value" (botocore thumbprintType), so other characters are
  // refused too. (This message is iamd's: no AWS response for it has been recorded.)
  for (const std::string& t : thumbprints)
    if (t.size() != 40 || !IsHex(t))
      return Fail(ErrorCode::kInvalidInput,
                  "Thumbprint " + t + " must be 40 hexadecimal characters.");
  return {};
}

std::unexpected<Error> TooManyClientIds() {
  return Fail(ErrorCode::kLimitExceeded,
              "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: " +
                  std::to_string(kMaxClientIdsPerOidcProvider));
}

}  // namespace

Result<const OidcProvider*> State::FindOidcProvider(std::string_view arn, bool for_delete) const {
  // Text that is no OIDC provider ARN gets the InvalidInput AWS gives for a malformed policy
  // ARN (internal::CheckPolicyArnSyntax); AWS's answer for OIDC providers is not recorded.
  auto parts = ParseArn(arn);
  if (!parts || parts->partition != "aws" || parts->service != "iam" || !parts->region.empty() ||
      !parts->resource.starts_with(kOidcResource) || parts->resource.size() == kOidcResource.size())
    return Fail(ErrorCode::kInvalidInput, "ARN " + std::string(arn) + " is not valid.");
  auto it = parts->account == account_id_
                ? oidc_providers_.find(parts->resource.substr(kOidcResource.size()))
                : oidc_providers_.end();
  if (it == oidc_providers_.end()) {
    if (for_delete)
      return Fail(ErrorCode::kNoSuchEntity,
                  "OpenId connect Provider " + std::string(arn) + " cannot be found.");
    return Fail(ErrorCode::kNoSuchEntity,
                "OpenIDConnect Provider not found for arn " + std::string(arn));
  }
  return it->second.get();
}

Result<const OidcProvider*> State::GetOidcProvider(std::string_view arn) const {
  return FindOidcProvider(arn, /*for_delete=*/false);
}

Result<const OidcProvider*> State::CreateOidcProvider(const CreateOidcProviderInput& in,
                                                      ChangeSet& out) {
  auto url = ProviderUrl(in.url);
  if (!url) return std::unexpected(url.error());
  IAMD_TRY(CheckThumbprints(in.thumbprints));
  std::vector<std::string> client_ids;
  for (const std::string& id : in.client_ids)
    if (std::find(client_ids.begin(), client_ids.end(), id) == client_ids.end())
      client_ids.push_back(id);
  if (client_ids.size() > kMaxClientIdsPerOidcProvider) return TooManyClientIds();
  Tags tags;
  IAMD_TRY(internal::MergeTags(tags, in.tags, kTagKind));
  if (oidc_providers_.contains(*url))
    return Fail(ErrorCode::kEntityAlreadyExists,
                "Provider with url " + in.url + " already exists.");
  // IAM User Guide, "IAM and AWS STS quotas": OpenId connect providers per account, 100. (The
  // wording follows AWS's other "Cannot exceed quota for ..." messages; this one is not
  // recorded.)
  if (oidc_providers_.size() >= kMaxOidcProviders)
    return Fail(ErrorCode::kLimitExceeded,
                "Cannot exceed quota for OpenIdConnectProvidersPerAccount: " +
                    std::to_string(kMaxOidcProviders));
  OidcProviderRecord r;
  r.url = *url;
  r.create_millis = clock_.NowMillis() / 1000 * 1000;
  r.client_ids = std::move(client_ids);
  r.thumbprints = in.thumbprints;
  r.tags = std::move(tags);
  IAMD_TRY(Emit(std::move(r), out));
  return oidc_providers_.at(*url).get();
}

Status State::DeleteOidcProvider(std::string_view arn, ChangeSet& out) {
  // The API reference says this operation is idempotent, but AWS answers a second delete with
  // NoSuchEntity (recorded 2026-02-18, see the top of this file): iamd does as AWS does.
  auto p = FindOidcProvider(arn, /*for_delete=*/true);
  if (!p) return std::unexpected(p.error());
  return Emit(Removed<OidcProviderKey>{{(*p)->rec.url}}, out);
}

Status State::AddClientIdToOidcProvider(std::string_view arn, std::string_view client_id,
                                        ChangeSet& out) {
  auto p = GetOidcProvider(arn);
  if (!p) return std::unexpected(p.error());
  const auto& ids = (*p)->rec.client_ids;
  if (std::find(ids.begin(), ids.end(), client_id) != ids.end()) return {};
  if (ids.size() >= kMaxClientIdsPerOidcProvider) return TooManyClientIds();
  OidcProviderRecord r = (*p)->rec;
  r.client_ids.emplace_back(client_id);
  return Emit(std::move(r), out);
}

Status State::RemoveClientIdFromOidcProvider(std::string_view arn, std::string_view client_id,
                                             ChangeSet& out) {
  // API reference: "This operation is idempotent; it does not fail or return an error if you
  // try to remove a client ID that does not exist."
  auto p = GetOidcProvider(arn);
  if (!p) return std::unexpected(p.error());
  const auto& ids = (*p)->rec.client_ids;
  if (std::find(ids.begin(), ids.end(), client_id) == ids.end()) return {};
  OidcProviderRecord r = (*p)->rec;
  std::erase(r.client_ids, client_id);
  return Emit(std::move(r), out);
}

Status State::UpdateOidcProviderThumbprint(std::string_view arn,
                                           std::span<const std::string> thumbprints,
                                           ChangeSet& out) {
  auto p = GetOidcProvider(arn);
  if (!p) return std::unexpected(p.error());
  IAMD_TRY(CheckThumbprints(thumbprints));
  OidcProviderRecord r = (*p)->rec;
  r.thumbprints.assign(thumbprints.begin(), thumbprints.end());
  return Emit(std::move(r), out);
}

Status State::TagOidcProvider(std::string_view arn, const Tags& tags, ChangeSet& out) {
  return TagFound(GetOidcProvider(arn), tags, kTagKind, out);
}

Status State::UntagOidcProvider(std::string_view arn, std::span<const std::string> keys,
                                ChangeSet& out) {
  return UntagFound(GetOidcProvider(arn), keys, /*case_sensitive=*/false, out);
}

Status State::ApplyRecord(const OidcProviderRecord& r) {
  auto& slot = oidc_providers_[r.url];
  if (!slot) {
    slot = std::make_unique<OidcProvider>();
    slot->arn = "arn:aws:iam::" + account_id_ + ":" + std::string(kOidcResource) + r.url;
  }
  slot->rec = r;
  return {};
}

Status State::ApplyRecord(const Removed<OidcProviderKey>& r) {
  if (oidc_providers_.erase(r.key.url) == 0)
    return Fail(ErrorCode::kServiceFailure,
                "Store inconsistency: removing unknown OpenID Connect provider");
  return {};
}

}  // namespace iamd::model
