// Handlers: STS on the IAM endpoint (their Action names do not overlap): AssumeRole,
// AssumeRoleWithWebIdentity, AssumeRoleWithSAML, GetCallerIdentity, GetSessionToken,
// GetFederationToken, GetAccessKeyInfo.
#include "api/sts.h"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <optional>

#include "api/authz.h"
#include "api/iam_handlers.h"
#include "auth/keys.h"
#include "auth/saml_assertion.h"
#include "auth/web_identity.h"
#include "common/arn.h"
#include "common/strings.h"

namespace iamd::api {
namespace {

Error InvalidParameter(std::string message) {
  return Error(ErrorCode::kInvalidParameterValue, std::move(message));
}

void WriteCredentials(XmlWriter& xml, const auth::SessionClaims& claims, std::string_view token) {
  xml.Open("Credentials");
  xml.Element("AccessKeyId", claims.access_key_id);
  xml.Element("SecretAccessKey", claims.secret_access_key);
  xml.Element("SessionToken", token);
  WriteDate(xml, "Expiration", claims.expires_millis);
  xml.Close("Credentials");
}

// AWS reports the packed size of session policies and tags as a percentage of what fits; the
// packed form is AWS's own, so iamd estimates it from the policy's size without white space.
int PackedPolicyPercent(std::string_view policy, size_t arns, const model::Tags& tags) {
  size_t bytes = model::PolicySize(policy) + 40 * arns;
  for (const auto& t : tags) bytes += t.key.size() + t.value.size() + 2;
  return static_cast<int>(std::ceil(100.0 * static_cast<double>(bytes) / 2048.0));
}

// The session policies a request passes (AssumeRole, GetFederationToken): the inline Policy,
// checked as a session policy (MalformedPolicyDocument), and the PolicyArns (each an IAM policy
// ARN, else ValidationError "ARN is invalid").
struct SessionPolicies {
  std::string text;
  std::vector<std::string> arns;
  bool any() const { return !text.empty() || !arns.empty(); }
};
Result<SessionPolicies> ReadSessionPolicies(const Call& c) {
  SessionPolicies out;
  out.text = c.p.OptStr("Policy").value_or("");
  if (!out.text.empty()) {
    auto compiled = policy::ParsePolicy(out.text, policy::PolicyKind::kSession);
    if (!compiled) return std::unexpected(compiled.error());
  }
  if (const ParamValue* arns = c.p.Get("PolicyArns"))
    for (const auto& item : arns->items)
      if (auto it = item.fields.find("arn"); it != item.fields.end()) {
        auto arn_parts = ParseArn(it->second.text);
        if (!arn_parts || !SplitIamResource(arn_parts->resource, kPolicyResource))
          return Fail(ErrorCode::kValidationError, it->second.text + " is invalid");
        out.arns.push_back(it->second.text);
      }
  return out;
}

// PackedPolicySize for the session policies and tags, nullopt when the request passes none
// (AWS then leaves it out); PackedPolicyTooLarge past 100%.
Result<std::optional<int>> PackedPolicySize(const SessionPolicies& policies,
                                            const model::Tags& tags) {
  if (!policies.any() && tags.empty()) return std::nullopt;
  const int packed = PackedPolicyPercent(policies.text, policies.arns.size(), tags);
  if (packed > 100)
    return Fail(ErrorCode::kPackedPolicyTooLarge,
                "Packed policy consumes " + std::to_string(packed) +
                    "% of allotted space, please use smaller policy.");
  return packed;
}

}  // namespace

Status CheckSessionTagKeys(const model::Tags& tags) {
  for (size_t i = 0; i < tags.size(); ++i)
    for (size_t j = i + 1; j < tags.size(); ++j)
      if (EqualsIgnoreCase(tags[i].key, tags[j].key))
        return std::unexpected(InvalidParameter(
            "Duplicate tag keys found. Please note that Tag keys are case insensitive."));
  return {};
}

Status AuthorizeRequestTags(const Call& c, std::string_view action, std::string_view arn,
                            const model::Tags& tags) {
  if (tags.empty()) return {};
  std::vector<std::string> keys;
  keys.reserve(tags.size());
  for (const auto& t : tags) keys.push_back("aws:RequestTag/" + t.key);
  std::vector<std::pair<std::string_view, std::string_view>> extra;
  for (size_t i = 0; i < tags.size(); ++i) {
    extra.emplace_back(keys[i], tags[i].value);
    extra.emplace_back("aws:TagKeys", tags[i].key);
  }
  return AuthorizeAlso(c, action, arn, arn, extra);
}

auth::SessionClaims NewRoleSession(const model::Role& role, std::string_view session_name,
                                   int64_t now_millis, int64_t duration_seconds) {
  auth::SessionClaims claims;
  claims.kind = auth::SessionClaims::Kind::kRoleSession;
  claims.access_key_id = auth::NewAccessKeyId(kTemporaryKeyPrefix);
  claims.secret_access_key = auth::NewSecretAccessKey();
  claims.issued_millis = now_millis;
  claims.expires_millis = now_millis / 1000 * 1000 + duration_seconds * 1000;
  claims.principal_id = role.rec.id;
  claims.principal_name = role.rec.name;
  claims.session_name = std::string(session_name);
  return claims;
}

namespace {

// SerialNumber and TokenCode (AssumeRole, GetSessionToken): when the caller authenticated with
// their MFA device, now; 0 without them. Either without the other is a ValidationError (iamd's
// wording); a code that does not check is AccessDenied (CheckMfaToken).
Result<int64_t> MfaAuthentication(const Call& c) {
  auto serial = c.p.OptStr("SerialNumber");
  auto code = c.p.OptStr("TokenCode");
  if (!serial && !code) return 0;
  if (!serial || !code)
    return Fail(ErrorCode::kValidationError,
                "SerialNumber and TokenCode must be specified together.");
  IAMD_TRY(CheckMfaToken(c, *serial, *code));
  return c.clock.NowMillis();
}

}  // namespace

Status AssumeRole(Call& c) {
  std::string_view role_arn = c.p.Str("RoleArn");
  std::string_view session_name = c.p.Str("RoleSessionName");
  // AWS: "arn:a:::something/test-role is invalid" for ARNs with empty parts (recorded).
  auto parts = ParseArn(role_arn);
  if (!parts || parts->partition.empty() || parts->service.empty() || parts->resource.empty())
    return Fail(ErrorCode::kValidationError, std::string(role_arn) + " is invalid");
  // (In permissive mode every caller acts as root, and may assume any role.)
  if (c.caller.kind == Caller::Kind::kRoot && c.config.auth_mode == AuthMode::kEnforce)
    return Fail(ErrorCode::kAccessDenied, "Roles may not be assumed by root accounts.");
  auto denied = [&](std::string_view action) {
    return std::unexpected(AccessDenied(c.caller, action, role_arn, ""));
  };
  // A role in another account, or one that does not exist, is refused like a trust failure:
  // AWS does not tell a caller whether a role exists.
  auto pn = SplitIamResource(parts->resource, kRoleResource);
  if (parts->service != "iam" || parts->account != c.state.account_id() || !pn)
    return denied("sts:AssumeRole");
  auto found = c.state.GetRole(pn->name);
  if (!found || (*found)->rec.path != pn->path || !(*found)->trust) return denied("sts:AssumeRole");
  const model::Role& role = **found;

  bool chained = c.caller.kind == Caller::Kind::kRoleSession;
  auto mfa_millis = MfaAuthentication(c);
  if (!mfa_millis) return std::unexpected(mfa_millis.error());
  model::Tags tags = c.p.TagList();
  std::vector<std::string> transitive = c.p.StrList("TransitiveTagKeys");

  // The caller's identity policies and the role's trust policy decide together, as a request
  // to a resource-based policy in the same account (IAM User Guide, "Policy evaluation logic").
  Arena arena;
  CallerPolicies policies(c.state, c.caller, arena);
  policy::RequestContext ctx;
  AddGlobalContext(c, policies, ctx, arena, *mfa_millis);
  if (auto external = c.p.OptStr("ExternalId")) ctx.Add("sts:ExternalId", arena.Keep(*external));
  ctx.Add("sts:RoleSessionName", session_name);
  if (auto source = c.p.OptStr("SourceIdentity")) {
    ctx.Add("sts:SourceIdentity", arena.Keep(*source));
  }
  for (const auto& t : tags) {
    ctx.Add(arena.Keep("aws:RequestTag/" + t.key), arena.Keep(t.value));
    ctx.Add("aws:TagKeys", arena.Keep(t.key));
  }
  for (const auto& k : transitive) ctx.Add("sts:TransitiveTagKeys", arena.Keep(k));
  policy::PolicySource trust{role.trust.get(), role.arn, policy::PolicySourceType::kResource};
  // A role's trust policy must always allow the caller (IAM User Guide, "Roles terms and
  // concepts": the trust policy is required); then the trust policy and the caller's identity
  // policies decide together as a resource-based and identity-based policy of one account: a
  // trust policy naming the caller's ARN grants by itself, one naming the account delegates to
  // the identity policies.
  // A trust policy names users and roles of the account by ARN but means the entities that had
  // those ARNs when it was stored: another entity now under the same ARN (deleted and
  // re-created, or renamed into it) is not the one trusted.
  policy::Principal principal = policies.principal();
  std::string stale_arn, stale_role_arn;
  auto bound_to_caller = [&](std::string_view arn) {
    auto it = role.trust_principal_ids.find(std::string(arn));
    return it == role.trust_principal_ids.end() || it->second == c.caller.principal_id;
  };
  if (c.caller.kind == Caller::Kind::kUser && !bound_to_caller(principal.arn)) {
    stale_arn = std::string(principal.arn) + "#not-the-trusted-entity";
    principal.arn = stale_arn;
  }
  if (c.caller.kind == Caller::Kind::kRoleSession && !bound_to_caller(principal.role_arn)) {
    stale_role_arn = std::string(principal.role_arn) + "#not-the-trusted-entity";
    principal.role_arn = stale_role_arn;
  }
  auto decide = [&](std::string_view action) {
    if (policy::EvaluateTrustPolicy(*role.trust, principal, &ctx, action).decision !=
        policy::Decision::kAllow)
      return false;
    policy::Request request = policies.MakeRequest(action, role.arn, &ctx);
    request.principal = principal;
    request.resource_policy = &trust;
    request.resource_account = c.state.account_id();
    return policy::Authorize(request).decision == policy::Decision::kAllow;
  };
  if (c.config.auth_mode == AuthMode::kEnforce) {
    if (!decide("sts:AssumeRole")) return denied("sts:AssumeRole");
    if (!tags.empty() && !decide("sts:TagSession")) return denied("sts:TagSession");
    if (c.p.Has("SourceIdentity") && !decide("sts:SetSourceIdentity"))
      return denied("sts:SetSourceIdentity");
  }

  // Only an authorized caller learns how its request is wrong: checked after the decision, so
  // that nobody can probe for roles and their settings.
  int64_t duration = c.p.OptInt("DurationSeconds").value_or(3600);
  if (chained && duration > 3600)
    return Fail(ErrorCode::kValidationError,
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed "
                "by role chaining.");
  if (duration > role.rec.max_session_duration)
    return Fail(ErrorCode::kValidationError,
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

  auto session_policies = ReadSessionPolicies(c);
  if (!session_policies) return std::unexpected(session_policies.error());

  // Session tags: unique regardless of case; transitive keys must be among them and may not
  // change a transitive tag of the calling session (all recorded from AWS).
  IAMD_TRY(CheckSessionTagKeys(tags));
  for (const auto& k : transitive)
    if (std::none_of(tags.begin(), tags.end(),
                     [&](const model::Tag& t) { return EqualsIgnoreCase(t.key, k); }))
      return std::unexpected(InvalidParameter(
          "The specified transitive tag key must be included in the requested tags."));
  std::vector<std::pair<std::string, std::string>> session_tags;
  std::vector<std::string> session_transitive;
  if (chained && c.caller.session) {
    for (const auto& key : c.caller.session->transitive_tag_keys)
      for (const auto& [k, v] : c.caller.session->tags)
        if (EqualsIgnoreCase(k, key)) {
          for (const auto& t : tags)
            if (EqualsIgnoreCase(t.key, k) && t.value != v)
              return std::unexpected(InvalidParameter(
                  "One of the specified transitive tag keys can't be set because it conflicts "
                  "with a transitive tag key from the calling session."));
          session_tags.emplace_back(k, v);
          session_transitive.push_back(k);
        }
  }
  for (const auto& t : tags) {
    std::erase_if(session_tags, [&](const auto& e) { return EqualsIgnoreCase(e.first, t.key); });
    session_tags.emplace_back(t.key, t.value);
  }
  for (const auto& k : transitive) session_transitive.push_back(k);

  auth::SessionClaims claims = NewRoleSession(role, session_name, c.clock.NowMillis(), duration);
  claims.account = c.state.account_id();
  claims.chained = chained;
  claims.source_identity = c.p.OptStr("SourceIdentity").value_or(
      c.caller.session ? c.caller.session->source_identity : "");
  claims.session_policy = session_policies->text;
  claims.session_policy_arns = session_policies->arns;
  claims.tags = session_tags;
  claims.transitive_tag_keys = session_transitive;
  claims.mfa_millis = *mfa_millis;
  auto packed = PackedPolicySize(*session_policies, tags);
  if (!packed) return std::unexpected(packed.error());
  std::string token = auth::EncodeSessionToken(c.sealer, claims);
  c.usage.RecordRole(role.rec.id, c.clock.NowMillis(), c.region.empty() ? "us-east-1" : c.region);

  WriteCredentials(c.xml, claims, token);
  c.xml.Open("AssumedRoleUser");
  c.xml.Element("AssumedRoleId", role.rec.id + ":" + std::string(session_name));
  c.xml.Element("Arn", AssumedRoleArn(c.state.account_id(), role.rec.name, session_name));
  c.xml.Close("AssumedRoleUser");
  if (*packed) c.xml.Element("PackedPolicySize", **packed);
  if (!claims.source_identity.empty()) c.xml.Element("SourceIdentity", claims.source_identity);
  return {};
}

namespace {

Error InvalidIdentityToken(std::string message) {
  return Error(ErrorCode::kInvalidIdentityToken, std::move(message));
}

// The session tags a federated identity carries (an ID token's "https://aws.amazon.com/tags",
// a SAML assertion's PrincipalTag attributes), checked as AssumeRole checks its Tags and
// TransitiveTagKeys; `source` names the carrier in messages.
Result<model::Tags> FederatedSessionTags(
    const std::vector<std::pair<std::string, std::string>>& principal_tags,
    const std::vector<std::string>& transitive_tag_keys, std::string_view source) {
  // AWS's limits on session tags (IAM User Guide, "Passing session tags in AWS STS": at most 50,
  // keys of 1 to 128 characters, values of at most 256, the tag character set, no aws: prefix),
  // as the Tags parameter of AssumeRole has them from the API model.
  auto tag_text = [](std::string_view s, size_t min, size_t max) {
    if (s.size() < min || s.size() > max) return false;
    for (char ch : s)
      if (const auto u = static_cast<unsigned char>(ch);
          u < 0x80 && !std::isalnum(u) && std::string_view(" _.:/=+-@").find(ch) == s.npos)
        return false;
    return true;
  };
  auto bad_tags = [source] {
    return std::unexpected(InvalidIdentityToken(
        "The session tags of the " + std::string(source) +
        " break AWS's limits: at most 50 tags, keys of 1 to 128 and values of at most 256 "
        "letters, digits, spaces or _.:/=+-@ characters, no key starting with aws:."));
  };
  if (principal_tags.size() > 50 || transitive_tag_keys.size() > 50) return bad_tags();
  model::Tags tags;
  for (const auto& [k, v] : principal_tags) {
    if (!tag_text(k, 1, 128) || !tag_text(v, 0, 256) ||
        EqualsIgnoreCase(std::string_view(k).substr(0, 4), "aws:"))
      return bad_tags();
    tags.push_back({k, v});
  }
  IAMD_TRY(CheckSessionTagKeys(tags));
  for (const auto& k : transitive_tag_keys)
    if (std::none_of(tags.begin(), tags.end(),
                     [&](const model::Tag& t) { return EqualsIgnoreCase(t.key, k); }))
      return std::unexpected(InvalidParameter(
          "The specified transitive tag key must be included in the requested tags."));
  return tags;
}

// What AssumeRoleWithWebIdentity and AssumeRoleWithSAML read alike once the trust policy has
// allowed: DurationSeconds (an hour by default) within the role's MaxSessionDuration, the
// session policies, and the packed size of those and the session tags.
struct SessionTerms {
  int64_t duration = 3600;
  SessionPolicies policies;
  std::optional<int> packed;
};
Result<SessionTerms> ReadSessionTerms(const Call& c, const model::Role& role,
                                      const model::Tags& tags) {
  SessionTerms terms;
  terms.duration = c.p.OptInt("DurationSeconds").value_or(3600);
  if (terms.duration > role.rec.max_session_duration)
    return Fail(ErrorCode::kValidationError,
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  auto policies = ReadSessionPolicies(c);
  if (!policies) return std::unexpected(policies.error());
  terms.policies = std::move(*policies);
  auto packed = PackedPolicySize(terms.policies, tags);
  if (!packed) return std::unexpected(packed.error());
  terms.packed = *packed;
  return terms;
}

// The session of a federated identity (web identity or SAML) in role `role`.
auth::SessionClaims FederatedRoleSession(const Call& c, const model::Role& role,
                                         std::string_view session_name, const SessionTerms& terms,
                                         const model::Tags& tags,
                                         const std::vector<std::string>& transitive,
                                         std::string_view source_identity,
                                         std::string_view provider_arn) {
  auth::SessionClaims claims =
      NewRoleSession(role, session_name, c.clock.NowMillis(), terms.duration);
  claims.account = c.state.account_id();
  claims.session_policy = terms.policies.text;
  claims.session_policy_arns = terms.policies.arns;
  for (const auto& t : tags) claims.tags.emplace_back(t.key, t.value);
  claims.transitive_tag_keys = transitive;
  claims.source_identity = std::string(source_identity);
  claims.federated_provider = std::string(provider_arn);
  return claims;
}

Result<model::Tags> WebIdentitySessionTags(const auth::WebIdentityToken& token) {
  if (token.tags_malformed)
    return std::unexpected(InvalidIdentityToken(
        "The https://aws.amazon.com/tags claim of the web identity token is malformed."));
  return FederatedSessionTags(token.principal_tags, token.transitive_tag_keys,
                              "web identity token");
}

// SourceIdentity's constraints (STS API reference, AssumeRole: 2 to 64 characters of letters,
// digits and +=,.@_-).
bool ValidSourceIdentity(std::string_view s) {
  return s.size() >= 2 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char ch) {
           return std::isalnum(static_cast<unsigned char>(ch)) ||
                  std::string_view("_+=,.@-").find(ch) != std::string_view::npos;
         });
}

}  // namespace

// The token is checked first, as AWS must before it can know whose request this is: its form,
// its issuer (an OIDC provider of this account), the issuer's keys, the signature, its time and
// audience (recorded wordings, where AWS's are known: aws-actions/configure-aws-credentials#721,
// awslabs/amazon-eks-irsa-cfn#18, aws/aws-sdk-js-v3#3052, awslabs/aws-orbit-workbench#771).
// Then the role's trust policy alone decides, with the token's claims as context keys named
// after the provider (IAM User Guide, "Available keys for OIDC federation").
Status AssumeRoleWithWebIdentity(Call& c) {
  std::string_view role_arn = c.p.Str("RoleArn");
  std::string_view session_name = c.p.Str("RoleSessionName");
  // ProviderId names an OAuth 2.0 provider (www.amazon.com, graph.facebook.com) whose access
  // tokens only the provider itself can check: iamd does not reach out to it.
  if (auto provider_id = c.p.OptStr("ProviderId"))
    return Fail(ErrorCode::kIdpCommunicationError,
                "iamd verifies OpenID Connect ID tokens only; it does not reach " + *provider_id +
                    " to check an OAuth 2.0 access token.");
  auto token = auth::ParseWebIdentityToken(c.p.Str("WebIdentityToken"));
  if (!token)
    return std::unexpected(InvalidIdentityToken("The web identity token is not a valid JWT."));
  constexpr std::string_view kHttps = "https://";
  const std::string& iss = token->issuer;
  const model::OidcProvider* provider = nullptr;
  if (iss.starts_with(kHttps)) {
    auto found = c.state.GetOidcProvider("arn:aws:iam::" + c.state.account_id() +
                                         ":oidc-provider/" + iss.substr(kHttps.size()));
    if (found) provider = *found;
  }
  if (!provider)
    return std::unexpected(
        InvalidIdentityToken("No OpenIDConnect provider found in your account for " + iss));
  const std::string& url = provider->rec.url;
  auto keys = c.config.web_identity_keys.find(url);
  if (keys == c.config.web_identity_keys.end())
    return std::unexpected(InvalidIdentityToken(
        "Couldn't retrieve verification key from your identity provider,  please reference "
        "AssumeRoleWithWebIdentity documentation for requirements"));
  if (!auth::VerifySignature(*token, *keys->second))
    return std::unexpected(InvalidIdentityToken(
        "The web identity token's signature does not verify with the keys of " + iss + "."));
  const int64_t now = c.clock.NowMillis() / 1000;
  if (!token->expires)
    return std::unexpected(InvalidIdentityToken("The web identity token has no exp claim."));
  if (now >= *token->expires)
    return Fail(ErrorCode::kExpiredTokenException,
                "Token expired: current date/time " + std::to_string(now) +
                    " must be before the expiration date/time" + std::to_string(*token->expires));
  if (token->not_before && now < *token->not_before)
    return std::unexpected(
        InvalidIdentityToken("The web identity token is not valid yet (nbf is in the future)."));
  // The audience: one of the token's aud values among the provider's client IDs (OpenID Connect
  // Core 3.1.3.7: aud contains the client ID). Google's ID tokens name the app's client ID in
  // azp, which AWS takes as the audience (IAM User Guide, "Available keys for OIDC
  // federation"); for Google alone, azp is the audience when it is present.
  const bool google = url == "accounts.google.com" && !token->authorized_party.empty();
  const std::string* audience = nullptr;
  for (const std::string& id : provider->rec.client_ids) {
    if (google) {
      if (token->authorized_party == id) audience = &token->authorized_party;
    } else {
      for (const std::string& aud : token->audiences)
        if (aud == id && !audience) audience = &aud;
    }
    if (audience) break;
  }
  if (!audience) return std::unexpected(InvalidIdentityToken("Incorrect token audience"));

  auto denied = [&] {
    return Fail(ErrorCode::kAccessDenied,
                "Not authorized to perform sts:AssumeRoleWithWebIdentity");
  };
  auto parts = ParseArn(role_arn);
  if (!parts || parts->partition.empty() || parts->service.empty() || parts->resource.empty())
    return Fail(ErrorCode::kValidationError, std::string(role_arn) + " is invalid");
  auto pn = SplitIamResource(parts->resource, kRoleResource);
  if (parts->service != "iam" || parts->account != c.state.account_id() || !pn) return denied();
  auto found = c.state.GetRole(pn->name);
  if (!found || (*found)->rec.path != pn->path || !(*found)->trust) return denied();
  const model::Role& role = **found;

  auto tags = WebIdentitySessionTags(*token);
  if (!tags) return std::unexpected(tags.error());
  // The source identity claim, under SourceIdentity's own constraints (STS API reference,
  // AssumeRole: 2 to 64 characters of letters, digits and +=,.@_-).
  const std::string& source_identity = token->source_identity;
  if (!source_identity.empty() && !ValidSourceIdentity(source_identity))
    return std::unexpected(InvalidIdentityToken(
        "The https://aws.amazon.com/source_identity claim must be 2 to 64 letters, digits or "
        "+=,.@_- characters."));

  // The request context: the provider's claims under "URL:key", the session's name and tags.
  // URL:aud is the audience that matched a client ID (the Audience of the response), not every
  // aud value; for Google, URL:oaud holds the token's aud values (IAM User Guide, "Available
  // keys for OIDC federation").
  Arena arena;
  policy::RequestContext ctx;
  auto key = [&](std::string_view name) { return arena.Keep(url + ":" + std::string(name)); };
  ctx.Add(key("aud"), *audience);
  if (google)
    for (const auto& aud : token->audiences) ctx.Add(key("oaud"), aud);
  else if (!token->authorized_party.empty())
    ctx.Add(key("azp"), token->authorized_party);
  if (!token->subject.empty()) ctx.Add(key("sub"), token->subject);
  for (const auto& amr : token->amr) ctx.Add(key("amr"), amr);
  if (!token->email.empty()) ctx.Add(key("email"), token->email);
  ctx.Add("aws:FederatedProvider", provider->arn);
  ctx.Add("sts:RoleSessionName", session_name);
  AddRequestContextKeys(c, ctx);
  for (const auto& t : *tags) {
    ctx.Add(arena.Keep("aws:RequestTag/" + t.key), t.value);
    ctx.Add("aws:TagKeys", t.key);
  }
  for (const auto& k : token->transitive_tag_keys) ctx.Add("sts:TransitiveTagKeys", k);
  if (!source_identity.empty()) ctx.Add("sts:SourceIdentity", source_identity);
  policy::Principal principal;
  principal.type = policy::PrincipalType::kWebIdentity;
  principal.federated_provider = provider->arn;
  auto trusted = [&](std::string_view action) {
    return policy::EvaluateTrustPolicy(*role.trust, principal, &ctx, action).decision ==
           policy::Decision::kAllow;
  };
  if (c.config.auth_mode == AuthMode::kEnforce) {
    if (!trusted("sts:AssumeRoleWithWebIdentity")) return denied();
    // Session tags need sts:TagSession as well (IAM User Guide, "Passing session tags in STS").
    if (!tags->empty() && !trusted("sts:TagSession"))
      return Fail(ErrorCode::kAccessDenied, "Not authorized to perform sts:TagSession");
    // A source identity needs sts:SetSourceIdentity (IAM User Guide, "Monitor and control
    // actions taken with assumed roles").
    if (!source_identity.empty() && !trusted("sts:SetSourceIdentity"))
      return Fail(ErrorCode::kAccessDenied, "Not authorized to perform sts:SetSourceIdentity");
  }

  auto terms = ReadSessionTerms(c, role, *tags);
  if (!terms) return std::unexpected(terms.error());

  auth::SessionClaims claims =
      FederatedRoleSession(c, role, session_name, *terms, *tags, token->transitive_tag_keys,
                           source_identity, provider->arn);
  std::string session_token = auth::EncodeSessionToken(c.sealer, claims);
  c.usage.RecordRole(role.rec.id, c.clock.NowMillis(), c.region.empty() ? "us-east-1" : c.region);

  // In the order of the STS API reference's example response.
  c.xml.Element("SubjectFromWebIdentityToken", token->subject);
  c.xml.Element("Audience", *audience);
  c.xml.Open("AssumedRoleUser");
  c.xml.Element("Arn", AssumedRoleArn(c.state.account_id(), role.rec.name, session_name));
  c.xml.Element("AssumedRoleId", role.rec.id + ":" + std::string(session_name));
  c.xml.Close("AssumedRoleUser");
  WriteCredentials(c.xml, claims, session_token);
  if (terms->packed) c.xml.Element("PackedPolicySize", *terms->packed);
  if (!source_identity.empty()) c.xml.Element("SourceIdentity", source_identity);
  c.xml.Element("Provider", provider->arn);
  return {};
}

namespace {

// "(Service: AWSOpenIdDiscoveryService; ...)": how AWS's recorded SAML errors end.
std::string SamlServiceSuffix(const Call& c, std::string_view code) {
  return " (Service: AWSOpenIdDiscoveryService; Status Code: 400; Error Code: " +
         std::string(code) + "; Request ID: " + std::string(c.request_id) + ")";
}

// An AWS sign-in endpoint for SAML, where assertions for AWS are presented (IAM User Guide,
// "Configure SAML assertions for the authentication response"): https://signin.aws.amazon.com/saml,
// a regional https://REGION.signin.aws.amazon.com/saml, and either with /acs/ID (encryption).
bool IsSignInEndpoint(std::string_view url) {
  constexpr std::string_view kHttps = "https://", kHost = "signin.aws.amazon.com/saml";
  if (!url.starts_with(kHttps)) return false;
  url.remove_prefix(kHttps.size());
  if (const size_t dot = url.find('.'); !url.starts_with(kHost) && dot != url.npos) {
    const std::string_view region = url.substr(0, dot);
    if (region.empty() || !std::all_of(region.begin(), region.end(), [](char ch) {
          return std::islower(static_cast<unsigned char>(ch)) ||
                 std::isdigit(static_cast<unsigned char>(ch)) || ch == '-';
        }))
      return false;
    url.remove_prefix(dot + 1);
  }
  if (!url.starts_with(kHost)) return false;
  url.remove_prefix(kHost.size());
  if (url.empty()) return true;
  constexpr std::string_view kAcs = "/acs/";
  return url.starts_with(kAcs) && url.size() > kAcs.size() &&
         std::all_of(url.begin() + kAcs.size(), url.end(), [](char ch) {
           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
         });
}

// SAML attributes AWS maps to saml: context keys, by their OID names (IAM User Guide,
// "Available keys for SAML-based federation"; eduPerson and eduOrg object class specifications,
// RFC 4519 for the X.500 names). An attribute may also be sent under the key's own name.
constexpr std::pair<std::string_view, std::string_view> kSamlAttributeKeys[] = {
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.1", "saml:edupersonaffiliation"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.11", "saml:edupersonassurance"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.7", "saml:edupersonentitlement"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.2", "saml:edupersonnickname"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.3", "saml:edupersonorgdn"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.4", "saml:edupersonorgunitdn"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.5", "saml:edupersonprimaryaffiliation"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.8", "saml:edupersonprimaryorgunitdn"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "saml:edupersonprincipalname"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.9", "saml:edupersonscopedaffiliation"},
    {"urn:oid:1.3.6.1.4.1.5923.1.1.1.10", "saml:edupersontargetedid"},
    {"urn:oid:1.3.6.1.4.1.5923.1.2.1.2", "saml:eduorghomepageuri"},
    {"urn:oid:1.3.6.1.4.1.5923.1.2.1.3", "saml:eduorgidentityauthnpolicyuri"},
    {"urn:oid:1.3.6.1.4.1.5923.1.2.1.4", "saml:eduorglegalname"},
    {"urn:oid:1.3.6.1.4.1.5923.1.2.1.5", "saml:eduorgsuperioruri"},
    {"urn:oid:1.3.6.1.4.1.5923.1.2.1.6", "saml:eduorgwhitepagesuri"},
    {"urn:oid:2.5.4.3", "saml:cn"},
    {"urn:oid:2.5.4.42", "saml:givenName"},
    {"urn:oid:0.9.2342.19200300.100.1.3", "saml:mail"},
    {"urn:oid:2.5.4.41", "saml:name"},
    {"urn:oid:2.5.4.4", "saml:surname"},
    {"urn:oid:0.9.2342.19200300.100.1.1", "saml:uid"},
    {"urn:oid:2.5.4.45", "saml:x500UniqueIdentifier"},
};

constexpr std::string_view kSamlAttributes = "https://aws.amazon.com/SAML/Attributes/";

}  // namespace

// The assertion is checked first, as AWS must before it knows whose request this is: the
// provider named by PrincipalArn, the response's signature against the provider's metadata,
// issuer, times, audience and recipient (AWS's wordings where recorded: IAM User Guide,
// "Troubleshooting SAML 2.0 federation"; Nike-Inc/gimme-aws-creds#251, Versent/saml2aws#759 and
// #536, techservicesillinois/awscli-login, aws-google-auth#270). Then the role's trust policy
// alone decides, with the assertion's saml: keys as context (IAM User Guide, "Available keys for
// SAML-based federation").
Status AssumeRoleWithSAML(Call& c) {
  const std::string_view role_arn = c.p.Str("RoleArn");
  const std::string_view principal_arn = c.p.Str("PrincipalArn");
  auto role_parts = ParseArn(role_arn);
  if (!role_parts || role_parts->partition.empty() || role_parts->service.empty() ||
      role_parts->resource.empty())
    return Fail(ErrorCode::kValidationError, "Request ARN is invalid");
  auto provider_parts = ParseArn(principal_arn);
  if (!provider_parts || provider_parts->partition.empty() || provider_parts->service != "iam" ||
      !provider_parts->resource.starts_with("saml-provider/"))
    return Fail(ErrorCode::kValidationError, "Principal ARN is invalid");
  if (provider_parts->account != role_parts->account)
    return Fail(ErrorCode::kValidationError,
                "Principal exists outside the account of the Role being assumed.");
  auto provider = c.state.GetSamlProvider(principal_arn);
  if (!provider)
    return std::unexpected(
        InvalidIdentityToken("Specified provider doesn't exist" +
                             SamlServiceSuffix(c, "AuthSamlManifestNotFoundException")));
  const model::SamlProvider& idp = **provider;

  // The provider's private keys (AddPrivateKey) decrypt encrypted assertions.
  std::vector<std::string> private_keys;
  for (const model::SamlPrivateKey& key : idp.rec.private_keys)
    if (auto pem = c.sealer.Open(key.key_sealed, key.key_id))
      private_keys.push_back(std::move(*pem));
  auto assertion = auth::ReadSamlResponse(c.p.Str("SAMLAssertion"), idp.rec.document, private_keys);
  if (!assertion) {
    const auth::SamlError& e = assertion.error();
    switch (e.kind) {
      case auth::SamlFailure::kNotBase64:
        return std::unexpected(
            InvalidIdentityToken("Invalid base64 SAMLResponse" +
                                 SamlServiceSuffix(c, "AuthSamlInvalidSamlResponseException")));
      case auth::SamlFailure::kUnsigned:
      case auth::SamlFailure::kBadSignature:
      case auth::SamlFailure::kNoKey:  // the provider's set-up is not the caller's business
        return std::unexpected(InvalidIdentityToken("Response signature invalid"));
      default:
        return std::unexpected(InvalidIdentityToken(e.message));
    }
  }
  // AssertionEncryptionMode Required: only encrypted assertions are accepted (IAM API
  // reference, CreateSAMLProvider; the wording is iamd's).
  if (idp.rec.encryption_required && !assertion->encrypted)
    return std::unexpected(InvalidIdentityToken(
        "The SAML provider requires encrypted assertions (AssertionEncryptionMode Required); "
        "this response's assertion is not encrypted."));
  if (assertion->issuer != auth::SamlMetadataEntityId(idp.rec.document))
    return std::unexpected(
        InvalidIdentityToken("Issuer not present in specified provider" +
                             SamlServiceSuffix(c, "AuthSamlInvalidSamlResponseException")));
  if (assertion->recipients.empty() || !assertion->confirmation_not_on_or_after)
    return std::unexpected(InvalidIdentityToken(
        "Responses must contain SubjectConfirmatonData with a Recipient and NotOnOrAfter"));
  const int64_t now = c.clock.NowMillis();
  // Expiry is exact; times in the future are allowed a minute of the IdP's clock running ahead
  // (iamd's allowance: AWS's is not documented).
  constexpr int64_t kClockSkewMillis = 60 * 1000;
  if (now >= *assertion->confirmation_not_on_or_after ||
      (assertion->not_on_or_after && now >= *assertion->not_on_or_after) ||
      (assertion->session_not_on_or_after && now >= *assertion->session_not_on_or_after))
    return Fail(ErrorCode::kExpiredTokenException, "Response has expired");
  if (!assertion->issue_instant)
    return std::unexpected(InvalidIdentityToken("The SAML assertion has no IssueInstant."));
  if (now - *assertion->issue_instant > 5 * 60 * 1000)
    return Fail(ErrorCode::kExpiredTokenException,
                "Token must be redeemed within 5 minutes of issuance");
  if ((assertion->not_before && now + kClockSkewMillis < *assertion->not_before) ||
      *assertion->issue_instant > now + kClockSkewMillis)
    return std::unexpected(InvalidIdentityToken(
        "The SAML assertion is not valid yet: its IssueInstant or NotBefore is in the future."));
  // Every AudienceRestriction must name AWS (SAML core 2.5.1.4), and there must be one.
  auto names_aws = [](const std::vector<std::string>& audiences) {
    return std::any_of(audiences.begin(), audiences.end(), [](const std::string& a) {
      return a == "urn:amazon:webservices" || (IsSignInEndpoint(a) && a.ends_with("/saml"));
    });
  };
  const auto& restrictions = assertion->audience_restrictions;
  if (restrictions.empty() || !std::all_of(restrictions.begin(), restrictions.end(), names_aws))
    return std::unexpected(
        InvalidIdentityToken("Response does not contain the required audience."));
  const std::string& recipient = assertion->recipients.front();
  if (!IsSignInEndpoint(recipient))
    return std::unexpected(InvalidIdentityToken(
        "The SAML assertion's Recipient, " + recipient +
        ", is not an AWS sign-in endpoint such as https://signin.aws.amazon.com/saml."));

  auto denied = [] {
    return Fail(ErrorCode::kAccessDenied, "Not authorized to perform sts:AssumeRoleWithSAML");
  };
  // The Role attribute's "role ARN,provider ARN" pairs, in either order, must name this pair.
  // Role and provider names may hold commas themselves: every comma is tried as the separator.
  bool paired = false;
  if (const auto* roles = assertion->Attribute(std::string(kSamlAttributes) + "Role"))
    for (const std::string& value : *roles)
      for (size_t comma = value.find(','); comma != std::string::npos && !paired;
           comma = value.find(',', comma + 1)) {
        const std::string_view a = TrimAscii(std::string_view(value).substr(0, comma));
        const std::string_view b = TrimAscii(std::string_view(value).substr(comma + 1));
        paired = (a == role_arn && b == principal_arn) || (a == principal_arn && b == role_arn);
      }
  if (!paired || assertion->subject.empty()) return denied();
  auto pn = SplitIamResource(role_parts->resource, kRoleResource);
  if (role_parts->service != "iam" || role_parts->account != c.state.account_id() || !pn)
    return denied();
  auto found = c.state.GetRole(pn->name);
  if (!found || (*found)->rec.path != pn->path || !(*found)->trust) return denied();
  const model::Role& role = **found;

  auto first = [&](std::string_view name) -> const std::string* {
    const auto* values = assertion->Attribute(std::string(kSamlAttributes) + std::string(name));
    return values && !values->empty() ? &values->front() : nullptr;
  };
  const std::string* session_name = first("RoleSessionName");
  if (!session_name || session_name->empty())
    return std::unexpected(InvalidIdentityToken("RoleSessionName is required in AuthnResponse"));
  if (!ValidSourceIdentity(*session_name))
    return std::unexpected(InvalidIdentityToken(
        "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"));
  const std::string* source = first("SourceIdentity");
  const std::string source_identity = source ? *source : "";
  if (source && (!ValidSourceIdentity(*source) ||
                 EqualsIgnoreCase(std::string_view(*source).substr(0, 4), "aws:")))
    return std::unexpected(InvalidIdentityToken(
        "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\""));
  // PrincipalTag:KEY attributes, one value each ("Multivalued session tags are not supported",
  // IAM User Guide, "Passing session tags using AssumeRoleWithSAML"), and TransitiveTagKeys.
  std::vector<std::pair<std::string, std::string>> principal_tags;
  const std::string tag_prefix = std::string(kSamlAttributes) + "PrincipalTag:";
  for (const auto& [name, values] : assertion->attributes) {
    if (!name.starts_with(tag_prefix)) continue;
    if (values.size() != 1)
      return std::unexpected(
          InvalidIdentityToken("The SAML attribute " + name +
                               " must have exactly one value: multivalued session "
                               "tags are not supported."));
    principal_tags.emplace_back(name.substr(tag_prefix.size()), values.front());
  }
  const auto* transitive_values =
      assertion->Attribute(std::string(kSamlAttributes) + "TransitiveTagKeys");
  const std::vector<std::string> transitive =
      transitive_values ? *transitive_values : std::vector<std::string>{};
  auto tags = FederatedSessionTags(principal_tags, transitive, "SAML assertion");
  if (!tags) return std::unexpected(tags.error());

  // SubjectType: the Format without SAML 2.0's nameid-format prefix, any other as it is (IAM
  // User Guide); a NameID without Format is SAML's "unspecified" (SAML core, 8.3.1).
  constexpr std::string_view kNameIdPrefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:";
  std::string subject_type = assertion->subject_format.empty()
                                 ? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
                                 : assertion->subject_format;
  if (subject_type.starts_with(kNameIdPrefix)) subject_type.erase(0, kNameIdPrefix.size());
  const std::string name_qualifier =
      auth::SamlNameQualifier(assertion->issuer, c.state.account_id(), idp.rec.name);

  Arena arena;
  policy::RequestContext ctx;
  ctx.Add("saml:aud", recipient);
  ctx.Add("saml:iss", assertion->issuer);
  ctx.Add("saml:sub", assertion->subject);
  ctx.Add("saml:sub_type", subject_type);
  ctx.Add("saml:namequalifier", name_qualifier);
  ctx.Add("saml:doc", arena.Keep(c.state.account_id() + "/" + idp.rec.name));
  for (const auto& [name, values] : assertion->attributes)
    for (const auto& [oid, key] : kSamlAttributeKeys)
      if (name == oid || EqualsIgnoreCase(name, key.substr(5)))
        for (const std::string& v : values) ctx.Add(key, v);
  ctx.Add("sts:RoleSessionName", *session_name);
  AddRequestContextKeys(c, ctx);
  for (const auto& t : *tags) {
    ctx.Add(arena.Keep("aws:RequestTag/" + t.key), t.value);
    ctx.Add("aws:TagKeys", t.key);
  }
  for (const auto& k : transitive) ctx.Add("sts:TransitiveTagKeys", k);
  if (!source_identity.empty()) ctx.Add("sts:SourceIdentity", source_identity);
  policy::Principal principal;
  principal.type = policy::PrincipalType::kSaml;
  principal.federated_provider = idp.arn;
  auto trusted = [&](std::string_view action) {
    return policy::EvaluateTrustPolicy(*role.trust, principal, &ctx, action).decision ==
           policy::Decision::kAllow;
  };
  // Session tags need sts:TagSession and a source identity sts:SetSourceIdentity as well;
  // AWS answers each refusal alike (IAM User Guide, "Troubleshooting SAML 2.0 federation").
  if (c.config.auth_mode == AuthMode::kEnforce &&
      (!trusted("sts:AssumeRoleWithSAML") || (!tags->empty() && !trusted("sts:TagSession")) ||
       (!source_identity.empty() && !trusted("sts:SetSourceIdentity"))))
    return denied();

  auto terms = ReadSessionTerms(c, role, *tags);
  if (!terms) return std::unexpected(terms.error());

  auth::SessionClaims claims = FederatedRoleSession(c, role, *session_name, *terms, *tags,
                                                    transitive, source_identity, idp.arn);
  // The session ends at DurationSeconds, or earlier at the assertion's SessionNotOnOrAfter
  // (after now: checked above) or its SessionDuration attribute (IAM User Guide).
  if (assertion->session_not_on_or_after)
    claims.expires_millis = std::min(claims.expires_millis, *assertion->session_not_on_or_after);
  if (const std::string* sd = first("SessionDuration")) {
    int64_t seconds = 0;
    if (std::from_chars(sd->data(), sd->data() + sd->size(), seconds).ptr ==
            sd->data() + sd->size() &&
        seconds >= 900 && seconds <= 43200)
      claims.expires_millis = std::min(claims.expires_millis, now / 1000 * 1000 + seconds * 1000);
  }
  std::string session_token = auth::EncodeSessionToken(c.sealer, claims);
  c.usage.RecordRole(role.rec.id, now, c.region.empty() ? "us-east-1" : c.region);

  // In the order of the STS API reference's example response.
  c.xml.Element("Issuer", assertion->issuer);
  c.xml.Open("AssumedRoleUser");
  c.xml.Element("Arn", AssumedRoleArn(c.state.account_id(), role.rec.name, *session_name));
  c.xml.Element("AssumedRoleId", role.rec.id + ":" + *session_name);
  c.xml.Close("AssumedRoleUser");
  WriteCredentials(c.xml, claims, session_token);
  c.xml.Element("Audience", recipient);
  c.xml.Element("SubjectType", subject_type);
  if (terms->packed) c.xml.Element("PackedPolicySize", *terms->packed);
  c.xml.Element("NameQualifier", name_qualifier);
  if (!source_identity.empty()) c.xml.Element("SourceIdentity", source_identity);
  c.xml.Element("Subject", assertion->subject);
  return {};
}

Status GetCallerIdentity(Call& c) {
  c.xml.Element("UserId", c.caller.user_id);
  c.xml.Element("Account", c.caller.account);
  c.xml.Element("Arn", c.caller.arn);
  return {};
}

Status GetSessionToken(Call& c) {
  if (c.caller.temporary())
    return Fail(ErrorCode::kAccessDenied, "Cannot call GetSessionToken with session credentials");
  // Root sessions last at most an hour (STS API reference, GetSessionToken).
  int64_t duration =
      c.p.OptInt("DurationSeconds").value_or(c.caller.kind == Caller::Kind::kRoot ? 3600 : 43200);
  if (c.caller.kind == Caller::Kind::kRoot) duration = std::min<int64_t>(duration, 3600);
  auto mfa_millis = MfaAuthentication(c);
  if (!mfa_millis) return std::unexpected(mfa_millis.error());
  auth::SessionClaims claims;
  claims.kind = c.caller.kind == Caller::Kind::kRoot ? auth::SessionClaims::Kind::kRootSession
                                                     : auth::SessionClaims::Kind::kUserSession;
  claims.access_key_id = auth::NewAccessKeyId(kTemporaryKeyPrefix);
  claims.secret_access_key = auth::NewSecretAccessKey();
  claims.issued_millis = c.clock.NowMillis();
  claims.expires_millis = claims.issued_millis / 1000 * 1000 + duration * 1000;
  claims.account = c.state.account_id();
  claims.principal_id = c.caller.principal_id;
  claims.principal_name = c.caller.name;
  claims.mfa_millis = *mfa_millis;
  WriteCredentials(c.xml, claims, auth::EncodeSessionToken(c.sealer, claims));
  return {};
}

Status GetFederationToken(Call& c) {
  // Long-term credentials only (STS API reference, GetFederationToken). Sessions other than
  // role sessions were refused before (service.cc), as for GetSessionToken.
  if (c.caller.temporary())
    return Fail(ErrorCode::kAccessDenied,
                "Cannot call GetFederationToken with session credentials");
  const std::string_view name = c.p.Str("Name");
  const bool root = c.caller.kind == Caller::Kind::kRoot;
  // 900 to 129,600 seconds (Params), 12 hours by default; the root user's sessions last at most
  // an hour, a longer request getting one hour.
  int64_t duration = c.p.OptInt("DurationSeconds").value_or(43200);
  if (root) duration = std::min<int64_t>(duration, 3600);
  auto session_policies = ReadSessionPolicies(c);
  if (!session_policies) return std::unexpected(session_policies.error());
  const model::Tags tags = c.p.TagList();
  IAMD_TRY(CheckSessionTagKeys(tags));
  const std::string arn = FederatedUserArn(c.state.account_id(), name);
  // Passing session tags takes sts:TagSession as well (IAM User Guide, "Passing session tags
  // in AWS STS").
  IAMD_TRY(AuthorizeRequestTags(c, "sts:TagSession", arn, tags));
  auto packed = PackedPolicySize(*session_policies, tags);
  if (!packed) return std::unexpected(packed.error());

  auth::SessionClaims claims;
  claims.kind = auth::SessionClaims::Kind::kFederatedUserSession;
  claims.access_key_id = auth::NewAccessKeyId(kTemporaryKeyPrefix);
  claims.secret_access_key = auth::NewSecretAccessKey();
  claims.issued_millis = c.clock.NowMillis();
  claims.expires_millis = claims.issued_millis / 1000 * 1000 + duration * 1000;
  claims.account = c.state.account_id();
  claims.principal_id = root ? c.state.account_id() : c.caller.principal_id;
  claims.principal_name = root ? "" : c.caller.name;
  claims.session_name = std::string(name);
  claims.session_policy = session_policies->text;
  claims.session_policy_arns = session_policies->arns;
  for (const auto& t : tags) claims.tags.emplace_back(t.key, t.value);
  WriteCredentials(c.xml, claims, auth::EncodeSessionToken(c.sealer, claims));
  c.xml.Open("FederatedUser");
  c.xml.Element("FederatedUserId", c.state.account_id() + ":" + std::string(name));
  c.xml.Element("Arn", arn);
  c.xml.Close("FederatedUser");
  if (*packed) c.xml.Element("PackedPolicySize", **packed);
  return {};
}

Status GetAccessKeyInfo(Call& c) {
  // Every key iamd issues belongs to its one account.
  c.xml.Element("Account", c.state.account_id());
  return {};
}

}  // namespace iamd::api
