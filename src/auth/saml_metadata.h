// SAML identity provider metadata documents (CreateSAMLProvider, UpdateSAMLProvider):
// recognised as such, not trusted. iamd keeps the document for the client to read back; it
// verifies no SAML assertion with it.
#pragma once

#include <string_view>

namespace iamd::auth {

// True if `document` is well-formed XML whose root element is a SAML 2.0 metadata
// EntityDescriptor (with or without a namespace prefix: "md:EntityDescriptor"). Thread-safe.
bool IsSamlMetadata(std::string_view document);

}  // namespace iamd::auth
