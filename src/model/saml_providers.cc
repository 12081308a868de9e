// SAML identity providers: their metadata document, encryption setting and private keys.
#include <ctime>

#include "common/arn.h"
#include "model/internal/messages.h"
#include "model/internal/tagging.h"
#include "model/state.h"

namespace iamd::model {
namespace {

using internal::Inconsistent;

constexpr std::string_view kTagKind = "SAMLProvider";
constexpr std::string_view kResourcePrefix = "saml-provider/";

// AWS's message for an unknown provider, recorded by LocalStack's AWS-validated snapshots
// (GetSAMLProvider, DeleteSAMLProvider). The other messages of this file are iamd's: no
// recording of AWS's was found.
std::unexpected<Error> NoSuchProvider(std::string_view arn) {
  return Fail(ErrorCode::kNoSuchEntity, "Manifest not found for arn " + std::string(arn));
}

std::unexpected<Error> NoKeyForRequired() {
  return Fail(ErrorCode::kInvalidInput,
              "Unable to set assertion encryption mode to Required because no private key is "
              "provided.");
}

// A SAML provider is good for 100 years from its creation (AWS's ValidUntil, observed in
// GetSAMLProvider answers: hashicorp/terraform-provider-aws issue 45699, the AWS CLI example).
int64_t HundredYearsLater(int64_t millis) {
  const std::time_t seconds = millis / 1000;
  std::tm when{};
  gmtime_r(&seconds, &when);
  when.tm_year += 100;
  return static_cast<int64_t>(timegm(&when)) * 1000 + millis % 1000;
}

}  // namespace

Result<SamlProvider*> State::MutableSamlProvider(std::string_view arn) {
  auto parts = ParseArn(arn);
  if (!parts || parts->partition != "aws" || parts->service != "iam" || !parts->region.empty() ||
      parts->account != account_id_ || !parts->resource.starts_with(kResourcePrefix))
    return NoSuchProvider(arn);
  auto it = saml_providers_.find(parts->resource.substr(kResourcePrefix.size()));
  // Names are found in any case, but an ARN names one exactly.
  if (it == saml_providers_.end() || it->second->arn != arn) return NoSuchProvider(arn);
  return it->second.get();
}

Result<const SamlProvider*> State::GetSamlProvider(std::string_view arn) const {
  auto found = const_cast<State*>(this)->MutableSamlProvider(arn);
  if (!found) return std::unexpected(found.error());
  return *found;
}

Result<const SamlProvider*> State::CreateSamlProvider(CreateSamlProviderInput in,
                                                      ChangeSet& out) {
  SamlProviderRecord r;
  IAMD_TRY(internal::MergeTags(r.tags, in.tags, kTagKind));
  if (saml_providers_.contains(in.name))
    return Fail(ErrorCode::kEntityAlreadyExists,
                "SAML provider " + in.name + " already exists.");
  if (saml_providers_.size() >= kMaxSamlProviders)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for SAMLProvidersPerAccount: " +
                                               std::to_string(kMaxSamlProviders));
  if (in.encryption_required && !in.key) return NoKeyForRequired();
  r.name = std::move(in.name);
  r.uuid = std::move(in.uuid);
  r.document = std::move(in.document);
  r.create_millis = clock_.NowMillis();
  r.valid_until_millis = HundredYearsLater(r.create_millis);
  r.encryption_required = in.encryption_required;
  if (in.key) {
    in.key->timestamp_millis = r.create_millis;
    r.private_keys.push_back(std::move(*in.key));
  }
  const std::string name = r.name;
  IAMD_TRY(Emit(std::move(r), out));
  return saml_providers_.find(name)->second.get();
}

Result<const SamlProvider*> State::UpdateSamlProvider(std::string_view arn,
                                                      UpdateSamlProviderInput in,
                                                      ChangeSet& out) {
  auto provider = MutableSamlProvider(arn);
  if (!provider) return std::unexpected(provider.error());
  if (!in.document && !in.encryption_required && !in.add_key && !in.remove_key_id)
    return Fail(ErrorCode::kInvalidInput,
                "Unable to update identity provider. No updates are defined for metadata or "
                "encryption assertion.");
  if (in.add_key && in.remove_key_id)
    return Fail(ErrorCode::kInvalidInput,
                "Unable to add and remove private keys in the same request. Set a value for only "
                "one of the two parameters.");
  SamlProviderRecord r = (*provider)->rec;
  if (in.document) r.document = std::move(*in.document);
  if (in.encryption_required) r.encryption_required = *in.encryption_required;
  if (in.add_key) {
    if (r.private_keys.size() >= kMaxSamlPrivateKeys)
      return Fail(ErrorCode::kLimitExceeded, "Private key limit of " +
                                                 std::to_string(kMaxSamlPrivateKeys) +
                                                 " is reached.");
    in.add_key->timestamp_millis = clock_.NowMillis();
    r.private_keys.push_back(std::move(*in.add_key));
  }
  if (in.remove_key_id &&
      std::erase_if(r.private_keys, [&](const SamlPrivateKey& k) {
        return k.key_id == *in.remove_key_id;
      }) == 0)
    return Fail(ErrorCode::kInvalidInput,
                "Failed to remove private key because the Key ID does not match a private key.");
  if (r.encryption_required && r.private_keys.empty()) return NoKeyForRequired();
  IAMD_TRY(Emit(std::move(r), out));
  return *provider;
}

Status State::DeleteSamlProvider(std::string_view arn, ChangeSet& out) {
  auto provider = MutableSamlProvider(arn);
  if (!provider) return std::unexpected(provider.error());
  return Emit(Removed<SamlProviderKey>{{(*provider)->rec.name}}, out);
}

Status State::TagSamlProvider(std::string_view arn, const Tags& tags, ChangeSet& out) {
  return TagFound(MutableSamlProvider(arn), tags, kTagKind, out);
}

Status State::UntagSamlProvider(std::string_view arn, std::span<const std::string> keys,
                                ChangeSet& out) {
  return UntagFound(MutableSamlProvider(arn), keys, /*case_sensitive=*/false, out);
}

Status State::ApplyRecord(const SamlProviderRecord& r) {
  auto& slot = saml_providers_[r.name];
  if (!slot) slot = std::make_unique<SamlProvider>();
  slot->rec = r;
  slot->arn = "arn:aws:iam::" + account_id_ + ":saml-provider/" + r.name;
  return {};
}

Status State::ApplyRecord(const Removed<SamlProviderKey>& r) {
  if (saml_providers_.erase(r.key.name) == 0) return Inconsistent("removing unknown SAML provider");
  return {};
}

}  // namespace iamd::model
