// SAML 2.0 authentication responses (AssumeRoleWithSAML): the response an identity provider
// posts, read and its XML signature verified with the provider's metadata document. libxml2
// and xmlsec stay behind this header.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iamd::auth {

// What the one assertion of a verified response says. Times are epoch milliseconds.
struct SamlAssertion {
  std::string issuer;          // the assertion's Issuer (required)
  std::string subject;         // Subject/NameID
  std::string subject_format;  // NameID's Format, empty when absent
  // Conditions' AudienceRestrictions, each with its Audience values, in order (SAML core
  // 2.5.1.4: every restriction must be met, by one of its audiences).
  std::vector<std::vector<std::string>> audience_restrictions;
  std::vector<std::string> recipients;   // SubjectConfirmationData's Recipient values
  std::optional<int64_t> issue_instant;  // the assertion's IssueInstant
  std::optional<int64_t> not_before;     // Conditions
  std::optional<int64_t> not_on_or_after;
  std::optional<int64_t> confirmation_not_on_or_after;  // SubjectConfirmationData (bearer)
  std::optional<int64_t> session_not_on_or_after;       // AuthnStatement
  bool encrypted = false;                               // it came as an EncryptedAssertion
  // AttributeStatement: each Attribute's Name and its AttributeValues' text, in order.
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;

  // The values of the attribute named `name` (exactly), empty when absent.
  const std::vector<std::string>* Attribute(std::string_view name) const;
};

enum class SamlFailure {
  kNotBase64,     // the response is not base64
  kMalformed,     // not XML, not a SAML 2.0 Response with one Assertion, a DTD
  kNotSuccess,    // the response's StatusCode is not Success
  kEncrypted,     // an EncryptedAssertion, and no private key to decrypt it with
  kNoKey,         // the metadata names no signing certificate iamd can read
  kUnsigned,      // neither the assertion nor the response enveloping it is signed
  kBadSignature,  // a signature that does not verify with the metadata's certificates, or
                  // not of SAML's shape; for an encrypted assertion, any failure from its
                  // decryption on
};

struct SamlError {
  SamlFailure kind;
  std::string message;  // for the client: what is wrong, never key material
};

// Reads a base64-encoded SAML 2.0 Response (white space in the base64 is ignored) and verifies
// it against `metadata`, the provider's metadata document (the X.509 certificates of its
// IDPSSODescriptor's KeyDescriptors whose use is "signing" or not given). The assertion must be
// covered by an enveloped XML signature, its own or the Response's, that verifies with one of
// those certificates: RSA or ECDSA with SHA-1/256/384/512, exclusive or inclusive
// canonicalization, a same-document reference to the signed element's unique ID, and no other
// transforms; KeyInfo in the response is never trusted, and every signature present must
// verify. Documents with a DTD are refused (no entity expansion, no network).
// An EncryptedAssertion (XML Encryption: an EncryptedData of Type Element whose KeyInfo holds
// the EncryptedKey) is decrypted with the first of `private_keys` (PEM) that can; the
// Response's signature is verified before, over what the provider sent, the assertion's own
// after. Encryption proves nothing: an encrypted assertion needs a signature as any other.
// No RetrievalMethod or CipherReference is followed. Time and audience are the caller's to
// check. Thread-safe.
std::expected<SamlAssertion, SamlError> ReadSamlResponse(
    std::string_view base64, std::string_view metadata,
    const std::vector<std::string>& private_keys = {});

// AWS's NameQualifier of a SAML session: base64(SHA-1(issuer + account + "/" + provider name))
// (IAM User Guide, "Configure SAML assertions for the authentication response").
std::string SamlNameQualifier(std::string_view issuer, std::string_view account,
                              std::string_view provider_name);

// The entityID of a metadata document's root EntityDescriptor, empty when it has none.
std::string SamlMetadataEntityId(std::string_view metadata);

}  // namespace iamd::auth
