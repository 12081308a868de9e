// Handlers: IAM OpenID Connect identity providers. The rules and AWS's messages are in
// src/model/oidc_providers.cc.
#include "api/iam_handlers.h"

namespace iamd::api {
namespace {
constexpr std::string_view kArnParam = "OpenIDConnectProviderArn";
}  // namespace

Status CreateOpenIDConnectProvider(Call& c) {
  model::CreateOidcProviderInput in;
  in.url = c.p.Str("Url");
  in.client_ids = c.p.StrList("ClientIDList");
  in.thumbprints = c.p.StrList("ThumbprintList");
  in.tags = c.p.TagList();
  auto provider = c.mut->CreateOidcProvider(in, c.changes);
  if (!provider) return std::unexpected(provider.error());
  c.xml.Element("OpenIDConnectProviderArn", (*provider)->arn);
  WriteTags(c.xml, (*provider)->rec.tags);  // only when there are some, as AWS
  return {};
}

Status GetOpenIDConnectProvider(Call& c) {
  auto provider = c.state.GetOidcProvider(c.p.Str(kArnParam));
  if (!provider) return std::unexpected(provider.error());
  WriteOidcProvider(c.xml, **provider);
  return {};
}

Status ListOpenIDConnectProviders(Call& c) {
  // Not paginated in the API (no Marker or MaxItems); sorted by URL, hence by ARN.
  const auto& providers = c.state.oidc_providers();
  if (providers.empty()) {
    c.xml.Empty("OpenIDConnectProviderList");
    return {};
  }
  c.xml.Open("OpenIDConnectProviderList");
  for (const auto& [url, p] : providers) {
    c.xml.Open("member");
    c.xml.Element("Arn", p->arn);
    c.xml.Close("member");
  }
  c.xml.Close("OpenIDConnectProviderList");
  return {};
}

Status DeleteOpenIDConnectProvider(Call& c) {
  return c.mut->DeleteOidcProvider(c.p.Str(kArnParam), c.changes);
}

Status AddClientIDToOpenIDConnectProvider(Call& c) {
  return c.mut->AddClientIdToOidcProvider(c.p.Str(kArnParam), c.p.Str("ClientID"), c.changes);
}

Status RemoveClientIDFromOpenIDConnectProvider(Call& c) {
  return c.mut->RemoveClientIdFromOidcProvider(c.p.Str(kArnParam), c.p.Str("ClientID"), c.changes);
}

Status UpdateOpenIDConnectProviderThumbprint(Call& c) {
  return c.mut->UpdateOidcProviderThumbprint(c.p.Str(kArnParam), c.p.StrList("ThumbprintList"),
                                             c.changes);
}

Status TagOpenIDConnectProvider(Call& c) {
  return c.mut->TagOidcProvider(c.p.Str(kArnParam), c.p.TagList(), c.changes);
}

Status UntagOpenIDConnectProvider(Call& c) {
  return c.mut->UntagOidcProvider(c.p.Str(kArnParam), c.p.StrList("TagKeys"), c.changes);
}

Status ListOpenIDConnectProviderTags(Call& c) {
  auto provider = c.state.GetOidcProvider(c.p.Str(kArnParam));
  if (!provider) return std::unexpected(provider.error());
  return WriteTagPage(c, (*provider)->rec.tags);
}

}  // namespace iamd::api
