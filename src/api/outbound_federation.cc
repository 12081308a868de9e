// Handlers: outbound identity federation. IAM EnableOutboundWebIdentityFederation,
// DisableOutboundWebIdentityFederation and GetOutboundWebIdentityFederationInfo turn it on and
// off for the account; STS GetWebIdentityToken gives a principal of the account a signed JSON
// Web Token of its identity, for services outside AWS; the issuer's OpenID Connect discovery
// documents let those services check the tokens.
//
// AWS's behaviour, and where it was recorded:
//  - IAM API reference (EnableOutboundWebIdentityFederation, ...): the issuer URL
//    https://<uuid>.tokens.sts.global.api.aws; FeatureEnabled 409, FeatureDisabled 404.
//  - STS API reference, GetWebIdentityToken: Audience 1-10 values, DurationSeconds 60-3600
//    (300 by default), SigningAlgorithm RS256 or ES384, at most 50 Tags.
//  - IAM User Guide, "Understanding token claims": iss, aud, sub (the principal's ARN), iat, exp,
//    jti, and under "https://sts.amazonaws.com/" aws_account, source_region, principal_tags,
//    request_tags, original_session_exp, source_identity, federated_provider.
//  - Service Authorization Reference, AWS STS: sts:GetWebIdentityToken with the keys
//    sts:IdentityTokenAudience, sts:DurationSeconds, sts:SigningAlgorithm, aws:RequestTag/*,
//    aws:TagKeys; tags also need sts:TagGetWebIdentityToken.
//  - Real AWS responses recorded in radkawar/stackd (testdata/aws/iam/outbound_issuance.json,
//    outbound_identity.json, September 2026): the messages used below; the resource
//    arn:aws:sts::ACCOUNT:self; kid "RSA_0" / "EC384_0" and the header {"kid","typ","alg"};
//    sub and principal_id the role's ARN for a role session, the user's ARN for a user; aud a
//    string for one audience, else an array (duplicates kept); jti a UUID; no nbf; the issuer
//    and keys unchanged by Disable and Enable; GetOutboundWebIdentityFederationInfo answering
//    FeatureDisabled while disabled; the largest payload accepted 14,984 bytes; the discovery
//    documents' members.
// iamd's own choices where AWS's are not recorded: the root user may get tokens too (sub its
// ARN); `iamd serve --outbound-issuer` replaces the issuer, so that a service can fetch the
// documents from iamd itself. A deliberate difference: Disable and Enable take effect at once
// (AWS's STS follows IAM some seconds later), and request_tags keep the request's order.
#include <algorithm>

#include "api/iam_handlers.h"
#include "api/sts.h"
#include "auth/web_identity.h"
#include "common/arn.h"
#include "common/strings.h"
#include "common/time.h"

namespace iamd::api {
namespace {

constexpr std::string_view kStsClaims = "https://sts.amazonaws.com/";
constexpr size_t kMaxPayloadBytes = 14984;  // recorded: one byte more is refused
constexpr int64_t kDefaultTokenSeconds = 300;

// The sealed private key's context: the key's purpose and ID, so it opens nowhere else.
std::string SealContext(std::string_view kid) {
  return "outbound-federation/" + std::string(kid);
}

// What the account's tokens name as their issuer.
std::string_view Issuer(const ServiceConfig& config, const model::OutboundFederation& f) {
  return config.outbound_issuer.empty() ? std::string_view(f.issuer)
                                        : std::string_view(config.outbound_issuer);
}

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  AppendJsonEscaped(out, text);
  out.push_back('"');
}

// {"KEY":"VALUE",...}
void AppendJsonTags(std::string& out,
                    const std::vector<std::pair<std::string, std::string>>& tags) {
  out.push_back('{');
  for (size_t i = 0; i < tags.size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(out, tags[i].first);
    out.push_back(':');
    AppendJsonString(out, tags[i].second);
  }
  out.push_back('}');
}

// 2026-09-11T18:36:46.507Z: STS's Expiration keeps the milliseconds (recorded).
std::string FormatIso8601Millis(int64_t millis) {
  std::string text = FormatIso8601(millis);
  char fraction[6];
  const int64_t ms = ((millis % 1000) + 1000) % 1000;
  std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(ms));
  text.insert(text.size() - 1, fraction);
  return text;
}

}  // namespace

// ---- IAM ----

// The first Enable makes the account's keys: slow work (an RSA key), done before the lock.
// The result: one "ALG KID PEM JWK" line per key, PEM and JWK in base64; "" when the account
// has its keys already.
namespace {
Result<std::string> MakeOutboundKeys() {
  std::string out;
  for (auto [alg, kid] : {std::pair{"RS256", "RSA_0"}, std::pair{"ES384", "EC384_0"}}) {
    auto key = auth::NewWebIdentitySigningKey(alg, kid);
    if (!key) return Fail(ErrorCode::kServiceFailure, "Could not make a signing key.");
    out.append(alg).append(" ").append(kid).append(" ");
    out.append(Base64Encode(key->private_key_pem)).append(" ");
    out.append(Base64Encode(key->jwk)).append("\n");
  }
  return out;
}
}  // namespace

Result<std::string> PrepareOutboundKeys(const PrepareInput& in) {
  bool has_keys = false;
  in.read([&](const model::State& state) { has_keys = state.outbound_federation().has_value(); });
  if (has_keys) return std::string();
  return MakeOutboundKeys();
}

Status EnableOutboundWebIdentityFederation(Call& c) {
  model::OutboundFederation made;
  if (!c.state.outbound_federation()) {
    made.issuer = "https://" + c.ids.NewRequestId() + ".tokens.sts.global.api.aws";
    // The Prepare step saw keys that are gone since (a moto-style reset): made here instead.
    std::string fresh;
    if (c.prepared.empty()) {
      auto keys = MakeOutboundKeys();
      if (!keys) return std::unexpected(keys.error());
      fresh = std::move(*keys);
    }
    std::string_view lines = c.prepared.empty() ? std::string_view(fresh) : c.prepared;
    while (!lines.empty()) {
      const size_t nl = lines.find('\n');
      std::string_view line = lines.substr(0, nl);
      lines = nl == std::string_view::npos ? std::string_view() : lines.substr(nl + 1);
      std::vector<std::string_view> f;
      for (size_t sp; (sp = line.find(' ')) != std::string_view::npos; line.remove_prefix(sp + 1))
        f.push_back(line.substr(0, sp));
      f.push_back(line);
      auto pem = f.size() == 4 ? Base64Decode(f[2]) : std::nullopt;
      auto jwk = f.size() == 4 ? Base64Decode(f[3]) : std::nullopt;
      if (!pem || !jwk) return Fail(ErrorCode::kServiceFailure, "Internal failure.");
      made.keys.push_back(model::OutboundSigningKey{
          std::string(f[0]), std::string(f[1]), c.sealer.Seal(*pem, SealContext(f[1])), *jwk});
    }
  }
  IAMD_TRY(c.mut->EnableOutboundFederation(made, c.changes));
  c.xml.Element("IssuerIdentifier", Issuer(c.config, *c.mut->outbound_federation()));
  return {};
}

Status DisableOutboundWebIdentityFederation(Call& c) {
  return c.mut->DisableOutboundFederation(c.changes);
}

Status GetOutboundWebIdentityFederationInfo(Call& c) {
  const auto& f = c.state.outbound_federation();
  if (!f || !f->enabled)
    return Fail(ErrorCode::kFeatureDisabled,
                "Outbound identity federation is disabled for account " + c.state.account_id());
  c.xml.Element("IssuerIdentifier", Issuer(c.config, *f));
  c.xml.Element("JwtVendingEnabled", "true");
  return {};
}

// ---- STS ----

Status GetWebIdentityToken(Call& c) {
  const std::string algorithm = c.p.OptStr("SigningAlgorithm").value_or("");
  if (algorithm != "RS256" && algorithm != "ES384")
    return Fail(ErrorCode::kValidationError,
                "Requested SigningAlgorithm is not supported. See the GetWebIdentityToken "
                "documentation for supported algorithms");
  const model::Tags tags = c.p.TagList();
  IAMD_TRY(CheckSessionTagKeys(tags));
  const std::string self = StsSelfArn(c.state.account_id());
  IAMD_TRY(AuthorizeRequestTags(c, "sts:TagGetWebIdentityToken", self, tags));
  // A token may not outlive the caller's session; AWS says so even while the feature is
  // disabled (recorded).
  const int64_t seconds = c.p.OptInt("DurationSeconds").value_or(kDefaultTokenSeconds);
  const int64_t now = c.clock.NowMillis();
  const int64_t expires_millis = now + seconds * 1000;
  if (c.caller.session && expires_millis > c.caller.session->expires_millis)
    return Fail(ErrorCode::kSessionDurationEscalation,
                "Requested token expiry time must be before the original session's expiry time.");
  const auto& federation = c.state.outbound_federation();
  if (!federation || !federation->enabled)
    return Fail(ErrorCode::kOutboundWebIdentityFederationDisabled,
                "OutboundWebIdentityFederation is disabled.");

  // Who the token is about: the role for a role session, else the user (or root) itself; its
  // tags, with the session's tags in place of the role's of the same key.
  std::string subject = c.caller.arn;
  std::vector<std::pair<std::string, std::string>> principal_tags;
  const model::Tags* own_tags = nullptr;
  if (c.caller.kind == Caller::Kind::kRoleSession) {
    const model::Role* role = c.state.FindRoleById(c.caller.principal_id);
    if (!role) return Fail(ErrorCode::kAccessDenied, "The role of this session no longer exists.");
    subject = role->arn;
    own_tags = &role->rec.tags;
  } else if (c.caller.kind == Caller::Kind::kUser) {
    if (const model::User* user = c.state.FindUserById(c.caller.principal_id))
      own_tags = &user->rec.tags;
  }
  if (own_tags)
    for (const auto& t : *own_tags) principal_tags.emplace_back(t.key, t.value);
  if (c.caller.session)
    for (const auto& [k, v] : c.caller.session->tags) {
      std::erase_if(principal_tags, [&](const auto& t) { return EqualsIgnoreCase(t.first, k); });
      principal_tags.emplace_back(k, v);
    }

  // The claims, in the order AWS writes them.
  const std::vector<std::string> audiences = c.p.StrList("Audience");
  std::string payload = "{\"aud\":";
  if (audiences.size() == 1) {
    AppendJsonString(payload, audiences[0]);
  } else {
    payload.push_back('[');
    for (size_t i = 0; i < audiences.size(); ++i) {
      if (i) payload.push_back(',');
      AppendJsonString(payload, audiences[i]);
    }
    payload.push_back(']');
  }
  payload += ",\"sub\":";
  AppendJsonString(payload, subject);
  payload += ",";
  AppendJsonString(payload, kStsClaims);
  payload += ":{\"aws_account\":";
  AppendJsonString(payload, c.state.account_id());
  if (!tags.empty()) {
    payload += ",\"request_tags\":";
    std::vector<std::pair<std::string, std::string>> request_tags;
    for (const auto& t : tags) request_tags.emplace_back(t.key, t.value);
    AppendJsonTags(payload, request_tags);
  }
  if (c.caller.session) {
    payload += ",\"original_session_exp\":";
    AppendJsonString(payload, FormatIso8601(c.caller.session->expires_millis));
  }
  payload += ",\"source_region\":";
  AppendJsonString(payload, c.region.empty() ? std::string_view("us-east-1") : c.region);
  payload += ",\"principal_id\":";
  AppendJsonString(payload, subject);
  if (!principal_tags.empty()) {
    payload += ",\"principal_tags\":";
    AppendJsonTags(payload, principal_tags);
  }
  if (c.caller.session && !c.caller.session->source_identity.empty()) {
    payload += ",\"source_identity\":";
    AppendJsonString(payload, c.caller.session->source_identity);
  }
  if (c.caller.session && !c.caller.session->federated_provider.empty()) {
    payload += ",\"federated_provider\":";
    AppendJsonString(payload, c.caller.session->federated_provider);
  }
  payload += "},\"iss\":";
  AppendJsonString(payload, Issuer(c.config, *federation));
  payload += ",\"exp\":" + std::to_string(now / 1000 + seconds);
  payload += ",\"iat\":" + std::to_string(now / 1000);
  payload += ",\"jti\":";
  AppendJsonString(payload, c.ids.NewRequestId());
  payload += "}";
  if (payload.size() > kMaxPayloadBytes)
    return Fail(ErrorCode::kJwtPayloadSizeExceeded, "JWT payload exceeds maximum allowed size");

  auto key = std::find_if(federation->keys.begin(), federation->keys.end(),
                          [&](const auto& k) { return k.algorithm == algorithm; });
  if (key == federation->keys.end())
    return Fail(ErrorCode::kServiceFailure, "Internal failure.");
  auto pem = c.sealer.Open(key->private_key_sealed, SealContext(key->key_id));
  if (!pem) return Fail(ErrorCode::kServiceFailure, "Internal failure.");
  auto token = auth::SignJsonWebToken(*pem, key->key_id, payload);
  if (!token) return Fail(ErrorCode::kServiceFailure, "Internal failure.");
  c.xml.Element("WebIdentityToken", *token);
  c.xml.ElementVerbatim("Expiration", FormatIso8601Millis(expires_millis));
  return {};
}

// ---- the issuer's documents ----

std::optional<std::string> OutboundDiscoveryDocument(std::string_view path,
                                                     const model::State& state,
                                                     const ServiceConfig& config) {
  const auto& f = state.outbound_federation();
  if (!f) return std::nullopt;
  if (path.ends_with("/.well-known/jwks.json")) {
    std::string out = "{\"keys\":[";
    for (size_t i = 0; i < f->keys.size(); ++i) {
      if (i) out.push_back(',');
      out += f->keys[i].public_jwk;
    }
    return out + "]}";
  }
  if (path.ends_with("/.well-known/openid-configuration")) {
    const std::string_view issuer = Issuer(config, *f);
    std::string jwks(issuer);
    if (jwks.ends_with('/')) jwks.pop_back();
    jwks += "/.well-known/jwks.json";
    // AWS's members, in its (alphabetical) order.
    std::string out =
        "{\"claims_supported\":[\"sub\",\"iss\",\"aud\",\"exp\",\"iat\",\"jti\","
        "\"https://sts.amazonaws.com/\"],"
        "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES384\"],\"issuer\":";
    AppendJsonString(out, issuer);
    out += ",\"jwks_uri\":";
    AppendJsonString(out, jwks);
    out += ",\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"]}";
    return out;
  }
  return std::nullopt;
}

}  // namespace iamd::api
