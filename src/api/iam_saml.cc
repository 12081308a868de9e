// Handlers: SAML identity providers (Create/Get/List/Update/DeleteSAMLProvider, their tags).
#include "api/iam_handlers.h"
#include "auth/certificates.h"
#include "auth/saml_metadata.h"

namespace iamd::api {
namespace {

constexpr std::string_view kArnParam = "SAMLProviderArn";

std::optional<bool> EncryptionRequired(const Params& p) {
  auto mode = p.OptStr("AssertionEncryptionMode");
  if (!mode) return std::nullopt;
  return *mode == "Required";
}

// A private key to add (AddPrivateKey), sealed under its new ID.
std::optional<model::SamlPrivateKey> KeyToAdd(const Call& c, std::string_view param) {
  auto pem = c.p.OptStr(param);
  if (!pem) return std::nullopt;
  model::SamlPrivateKey key;
  key.key_id = c.ids.NewUniqueId("SAMLPK");  // 23 characters of A-Z and 2-7
  key.key_sealed = c.sealer.Seal(*pem, key.key_id);
  return key;
}

}  // namespace

// The Prepare step of CreateSAMLProvider and UpdateSAMLProvider (before the model is locked:
// a metadata document may be megabytes): InvalidInput unless the document is SAML metadata and
// the private key one unencrypted PEM key. iamd's messages ("Could not parse metadata" is the
// console's).
Result<std::string> CheckSamlParams(const PrepareInput& in) {
  const Params& p = in.p;
  if (auto document = p.OptStr("SAMLMetadataDocument"); document && !auth::IsSamlMetadata(*document))
    return Fail(ErrorCode::kInvalidInput, "Could not parse metadata");
  if (auto key = p.OptStr("AddPrivateKey"); key && !auth::IsPemPrivateKey(*key))
    return Fail(ErrorCode::kInvalidInput,
                "Unable to parse the private key. It must be one unencrypted key in PEM format.");
  return std::string();
}

Status CreateSAMLProvider(Call& c) {
  model::State::CreateSamlProviderInput in;
  in.name = c.p.Str("Name");
  in.uuid = c.ids.NewUniqueId("SAMLSP");
  in.document = c.p.Str("SAMLMetadataDocument");
  in.encryption_required = EncryptionRequired(c.p).value_or(false);
  in.key = KeyToAdd(c, "AddPrivateKey");
  in.tags = c.p.TagList();
  auto provider = c.mut->CreateSamlProvider(std::move(in), c.changes);
  if (!provider) return std::unexpected(provider.error());
  c.xml.Element("SAMLProviderArn", (*provider)->arn);
  WriteTags(c.xml, (*provider)->rec.tags);
  return {};
}

// Recorded (LocalStack's AWS-validated snapshot): Tags, AssertionEncryptionMode and
// PrivateKeyList always, empty too.
Status GetSAMLProvider(Call& c) {
  auto provider = c.state.GetSamlProvider(c.p.Str(kArnParam));
  if (!provider) return std::unexpected(provider.error());
  const model::SamlProviderRecord& r = (*provider)->rec;
  c.xml.Element("SAMLProviderUUID", r.uuid);
  c.xml.Element("SAMLMetadataDocument", r.document);
  WriteDate(c.xml, "CreateDate", r.create_millis);
  WriteDate(c.xml, "ValidUntil", r.valid_until_millis);
  WriteTags(c.xml, r.tags, /*always=*/true);
  c.xml.Element("AssertionEncryptionMode", r.encryption_required ? "Required" : "Allowed");
  if (r.private_keys.empty()) {
    c.xml.Empty("PrivateKeyList");
  } else {
    c.xml.Open("PrivateKeyList");
    for (const model::SamlPrivateKey& key : r.private_keys) {
      c.xml.Open("member");
      c.xml.Element("KeyId", key.key_id);
      WriteDate(c.xml, "Timestamp", key.timestamp_millis);
      c.xml.Close("member");
    }
    c.xml.Close("PrivateKeyList");
  }
  return {};
}

// Every provider (the API has no pagination), by name.
Status ListSAMLProviders(Call& c) {
  const auto& providers = c.state.saml_providers();
  if (providers.empty()) {
    c.xml.Empty("SAMLProviderList");
    return {};
  }
  c.xml.Open("SAMLProviderList");
  for (const auto& [key, provider] : providers) {
    c.xml.Open("member");
    c.xml.Element("Arn", provider->arn);
    WriteDate(c.xml, "ValidUntil", provider->rec.valid_until_millis);
    WriteDate(c.xml, "CreateDate", provider->rec.create_millis);
    c.xml.Close("member");
  }
  c.xml.Close("SAMLProviderList");
  return {};
}

Status UpdateSAMLProvider(Call& c) {
  model::State::UpdateSamlProviderInput in;
  in.document = c.p.OptStr("SAMLMetadataDocument");
  in.encryption_required = EncryptionRequired(c.p);
  in.add_key = KeyToAdd(c, "AddPrivateKey");
  in.remove_key_id = c.p.OptStr("RemovePrivateKey");
  auto provider = c.mut->UpdateSamlProvider(c.p.Str(kArnParam), std::move(in), c.changes);
  if (!provider) return std::unexpected(provider.error());
  c.xml.Element("SAMLProviderArn", (*provider)->arn);
  return {};
}

Status DeleteSAMLProvider(Call& c) {
  return c.mut->DeleteSamlProvider(c.p.Str(kArnParam), c.changes);
}

Status TagSAMLProvider(Call& c) {
  return c.mut->TagSamlProvider(c.p.Str(kArnParam), c.p.TagList(), c.changes);
}

Status UntagSAMLProvider(Call& c) {
  return c.mut->UntagSamlProvider(c.p.Str(kArnParam), c.p.StrList("TagKeys"), c.changes);
}

Status ListSAMLProviderTags(Call& c) {
  auto provider = c.state.GetSamlProvider(c.p.Str(kArnParam));
  if (!provider) return std::unexpected(provider.error());
  return WriteTagPage(c, (*provider)->rec.tags);
}

}  // namespace iamd::api
