// Handlers: service-specific credentials (Create/List/Reset/Update/DeleteServiceSpecificCredential).
#include <algorithm>
#include <array>

#include "api/iam_handlers.h"
#include "auth/keys.h"
#include "common/ids.h"
#include "common/strings.h"

namespace iamd::api {
namespace {

constexpr std::string_view kIdPrefix = "ACCA";

// The services that take such credentials: a user name and password for AWS CodeCommit and
// Amazon Keyspaces, an API key for Amazon Bedrock (IAM API reference,
// CreateServiceSpecificCredential; LocalStack's AWS-validated tests for the first two).
enum class Kind { kPassword, kApiKey };
std::optional<Kind> KindOf(std::string_view service) {
  if (service == "codecommit.amazonaws.com" || service == "cassandra.amazonaws.com")
    return Kind::kPassword;
  if (service == "bedrock.amazonaws.com") return Kind::kApiKey;
  return std::nullopt;
}

// AWS's answer for any other service name (recorded by LocalStack's AWS-validated tests).
Status CheckService(std::string_view service) {
  if (KindOf(service)) return {};
  return Fail(ErrorCode::kNoSuchEntity, "No such service " + std::string(service) +
                                            " is supported for Service Specific Credentials");
}

// A password as AWS's: 60 characters of base64 (44 random bytes), ending in '='.
std::string NewPassword() { return Base64Encode(auth::RandomBytes(44)); }

// A Bedrock API key as AWS's look: "ABSK" + base64("BedrockAPIKey-XXXX-at-ACCOUNT:" + a secret
// like a password).
std::string NewApiKey(std::string_view account) {
  std::string tag = HexEncode(auth::RandomBytes(2));
  return "ABSK" + Base64Encode("BedrockAPIKey-" + tag + "-at-" + std::string(account) + ":" +
                               NewPassword());
}

std::string NewSecret(const Call& c, std::string_view service) {
  return KindOf(service) == Kind::kApiKey ? NewApiKey(c.state.account_id()) : NewPassword();
}

// "USER-at-ACCOUNT", then "USER+1-at-ACCOUNT" for a second credential of the same service
// (both recorded in AWS's documentation examples).
std::string ServiceUserName(const Call& c, const model::User& user, std::string_view service) {
  const std::string plain = user.rec.name + "-at-" + c.state.account_id();
  for (const model::ServiceCredential* other : user.service_credentials)
    if (other->rec.service_name == service && other->rec.service_user_name == plain)
      return user.rec.name + "+1-at-" + c.state.account_id();
  return plain;
}

std::string_view StatusOf(const Call& c, const model::ServiceCredential& cred) {
  if (cred.rec.expiration_millis && cred.rec.expiration_millis <= c.clock.NowMillis())
    return "Expired";
  return cred.rec.active ? "Active" : "Inactive";
}

// The members of ServiceSpecificCredential (with the secret) or of its metadata (without):
// passwords come with ServiceUserName, API keys with ServiceCredentialAlias.
void WriteCredential(const Call& c, const model::ServiceCredential& cred,
                     const std::string* secret, std::string_view element) {
  const bool api_key = KindOf(cred.rec.service_name) == Kind::kApiKey;
  XmlWriter& xml = c.xml;
  xml.Open(element);
  WriteDate(xml, "CreateDate", cred.rec.upload_millis / 1000 * 1000);
  if (cred.rec.expiration_millis) WriteDate(xml, "ExpirationDate", cred.rec.expiration_millis);
  xml.Element("ServiceName", cred.rec.service_name);
  if (api_key) {
    xml.Element("ServiceCredentialAlias", cred.rec.service_user_name);
    if (secret) xml.Element("ServiceCredentialSecret", *secret);
  } else {
    xml.Element("ServiceUserName", cred.rec.service_user_name);
    if (secret) xml.Element("ServicePassword", *secret);
  }
  xml.Element("ServiceSpecificCredentialId", cred.rec.id);
  xml.Element("UserName", cred.user->rec.name);
  xml.Element("Status", StatusOf(c, cred));
  xml.Close(element);
}

}  // namespace

Status CreateServiceSpecificCredential(Call& c) {
  const std::string service(c.p.Str("ServiceName"));
  auto user = c.state.GetUser(c.p.Str("UserName"));
  if (!user) return std::unexpected(user.error());
  IAMD_TRY(CheckService(service));
  auto age_days = c.p.OptInt("CredentialAgeDays");
  if (age_days && KindOf(service) != Kind::kApiKey)  // iamd's wording
    return Fail(ErrorCode::kValidationError,
                "CredentialAgeDays is only valid for Amazon Bedrock API keys.");
  const std::string secret = NewSecret(c, service);
  model::ServiceCredentialRecord r;
  r.id = c.ids.NewUniqueId(kIdPrefix);
  r.service_name = service;
  r.service_user_name = ServiceUserName(c, **user, service);
  r.secret_sealed = c.sealer.Seal(secret, r.id);
  if (age_days) r.expiration_millis = c.clock.NowMillis() / 1000 * 1000 + *age_days * 86400000;
  auto cred = c.mut->CreateServiceCredential((*user)->rec.name, std::move(r), c.changes);
  if (!cred) return std::unexpected(cred.error());
  WriteCredential(c, **cred, &secret, "ServiceSpecificCredential");
  return {};
}

// The caller's credentials, another user's (UserName), or every user's (AllUsers), of every
// service or one (ServiceName), in the order created.
Status ListServiceSpecificCredentials(Call& c) {
  const bool all_users = c.p.OptBool("AllUsers").value_or(false);
  if (all_users && c.p.Has("UserName"))  // iamd's wording
    return Fail(ErrorCode::kValidationError, "AllUsers cannot be specified together with UserName.");
  auto service = c.p.OptStr("ServiceName");
  std::vector<const model::User*> users;
  if (all_users) {
    for (const auto& [key, user] : c.state.users()) users.push_back(user.get());
  } else {
    auto user = TargetUserEntity(c);
    if (!user) return std::unexpected(user.error());
    users.push_back(*user);
  }
  if (service) IAMD_TRY(CheckService(*service));
  std::vector<model::ServiceCredential*> creds;
  for (const model::User* user : users) {
    const size_t before = creds.size();
    for (model::ServiceCredential* cred : user->service_credentials)
      if (!service || cred->rec.service_name == *service) creds.push_back(cred);
    // The action is authorized on the caller (or UserName) like the others; listing every
    // user's credentials needs it on each user whose credentials it shows.
    if (all_users && creds.size() > before)
      IAMD_TRY(AuthorizeAlso(c, "iam:ListServiceSpecificCredentials", user->arn,
                             "user " + user->rec.name));
  }
  return ListPage(
      c, InUploadOrder(creds), "ServiceSpecificCredentials",
      [](const model::ServiceCredential*) { return true; },
      [&](const model::ServiceCredential* cred) { WriteCredential(c, *cred, nullptr, "member"); });
}

Status ResetServiceSpecificCredential(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  const std::string_view id = c.p.Str("ServiceSpecificCredentialId");
  auto cred = c.state.GetServiceCredential(*name, id);
  if (!cred) return std::unexpected(cred.error());
  const std::string secret = NewSecret(c, (*cred)->rec.service_name);
  IAMD_TRY(c.mut->ResetServiceCredential(*name, id, c.sealer.Seal(secret, id), c.changes));
  WriteCredential(c, **c.state.GetServiceCredential(*name, id), &secret,
                  "ServiceSpecificCredential");
  return {};
}

Status UpdateServiceSpecificCredential(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->UpdateServiceCredential(*name, c.p.Str("ServiceSpecificCredentialId"),
                                        c.p.Str("Status") == "Active", c.changes);
}

Status DeleteServiceSpecificCredential(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->DeleteServiceCredential(*name, c.p.Str("ServiceSpecificCredentialId"), c.changes);
}

}  // namespace iamd::api
