// Handlers: users, groups, their policies, access keys and login profiles.
#include "api/authz.h"
#include "api/iam_handlers.h"
#include "common/arn.h"
#include "auth/certificates.h"
#include "auth/keys.h"
#include "auth/ssh_keys.h"
#include "common/strings.h"

namespace iamd::api {

using model::OwnerKind;

namespace {

void WriteAccessKeyMetadata(XmlWriter& xml, const model::AccessKey& k, std::string_view element) {
  xml.Open(element);
  xml.Element("UserName", k.user->rec.name);
  xml.Element("AccessKeyId", k.rec.access_key_id);
  xml.Element("Status", k.rec.active ? "Active" : "Inactive");
  WriteDate(xml, "CreateDate", k.rec.create_millis);
  xml.Close(element);
}

void WriteLoginProfile(XmlWriter& xml, const model::User& user) {
  xml.Open("LoginProfile");
  xml.Element("UserName", user.rec.name);
  WriteDate(xml, "CreateDate", user.login_profile->create_millis);
  xml.Bool("PasswordResetRequired", user.login_profile->password_reset_required);
  xml.Close("LoginProfile");
}

}  // namespace

Result<std::string> TargetUser(const Call& c) {
  if (auto name = c.p.OptStr("UserName")) return *name;
  if (c.caller.kind == Caller::Kind::kUser) return c.caller.name;
  return Fail(ErrorCode::kValidationError,
              "Must specify userName when calling with non-User credentials");
}

Result<const model::User*> TargetUserEntity(const Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.state.GetUser(*name);
}

Result<std::string> HashPasswordParam(const PrepareInput& in) {
  auto password = in.p.OptStr("Password");
  if (!password) return std::string();
  return auth::HashPassword(*password);  // ~60 ms: this is why it runs before the lock
}

// ---- users ----

Status CreateUser(Call& c) {
  model::CreateUserInput in;
  in.name = c.p.Str("UserName");
  in.path = c.p.OptStr("Path").value_or("/");
  in.permissions_boundary = c.p.OptStr("PermissionsBoundary");
  in.tags = c.p.TagList();
  auto user = c.mut->CreateUser(in, c.changes);
  if (!user) return std::unexpected(user.error());
  WriteUser(c.xml, **user, /*detail=*/true);
  return {};
}

Status GetUser(Call& c) {
  if (!c.p.Has("UserName") && c.caller.kind == Caller::Kind::kRoot) {
    // The root user describes itself with the account's ID (AWS).
    c.xml.Open("User");
    c.xml.Element("UserId", c.caller.account);
    c.xml.Element("Arn", c.caller.arn);
    WriteDate(c.xml, "CreateDate", 0);
    c.xml.Close("User");
    return {};
  }
  auto user = TargetUserEntity(c);
  if (!user) return std::unexpected(user.error());
  WriteUser(c.xml, **user, /*detail=*/true);
  return {};
}

Status ListUsers(Call& c) {
  return ListPage(
      c, c.state.users(), "Users", [&](const model::User& u) { return PathMatches(c.p, u.rec.path); },
      [&](const model::User& u) { WriteUser(c.xml, u, /*detail=*/false, "member"); });
}

Status UpdateUser(Call& c) {
  IAMD_TRY(AuthorizeNewName(c, "iam:UpdateUser", kUserResource,
                            c.state.GetUser(c.p.Str("UserName")), "NewUserName"));
  return c.mut->UpdateUser(c.p.Str("UserName"), c.p.OptStr("NewUserName"), c.p.OptStr("NewPath"),
                           c.changes);
}

Status DeleteUser(Call& c) { return c.mut->DeleteUser(c.p.Str("UserName"), c.changes); }

Status TagUser(Call& c) { return c.mut->TagUser(c.p.Str("UserName"), c.p.TagList(), c.changes); }

Status UntagUser(Call& c) {
  return c.mut->UntagUser(c.p.Str("UserName"), c.p.StrList("TagKeys"), c.changes);
}

Status ListUserTags(Call& c) {
  auto user = c.state.GetUser(c.p.Str("UserName"));
  if (!user) return std::unexpected(user.error());
  return WriteTagPage(c, (*user)->rec.tags);
}

Status PutUserPermissionsBoundary(Call& c) {
  return c.mut->PutUserPermissionsBoundary(c.p.Str("UserName"), c.p.Str("PermissionsBoundary"),
                                           c.changes);
}

Status DeleteUserPermissionsBoundary(Call& c) {
  return c.mut->DeleteUserPermissionsBoundary(c.p.Str("UserName"), c.changes);
}

Status PutUserPolicy(Call& c) { return PutInlinePolicy(c, OwnerKind::kUser); }
Status GetUserPolicy(Call& c) { return GetInlinePolicy(c, OwnerKind::kUser); }
Status DeleteUserPolicy(Call& c) { return DeleteInlinePolicy(c, OwnerKind::kUser); }
Status ListUserPolicies(Call& c) { return ListInlinePolicies(c, OwnerKind::kUser); }
Status AttachUserPolicy(Call& c) { return AttachPolicy(c, OwnerKind::kUser); }
Status DetachUserPolicy(Call& c) { return DetachPolicy(c, OwnerKind::kUser); }
Status ListAttachedUserPolicies(Call& c) { return ListAttachedPolicies(c, OwnerKind::kUser); }

Status ListGroupsForUser(Call& c) {
  auto user = c.state.GetUser(c.p.Str("UserName"));
  if (!user) return std::unexpected(user.error());
  std::map<std::string, const model::Group*> groups;
  for (const model::Group* g : (*user)->groups) groups.emplace(AsciiLower(g->rec.name), g);
  return ListPage(
      c, groups, "Groups", [](const model::Group*) { return true; },
      [&](const model::Group* g) { WriteGroup(c.xml, *g, "member"); });
}

// ---- login profiles ----

Status CreateLoginProfile(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  if (auto password = c.p.OptStr("Password")) IAMD_TRY(c.state.CheckPassword(*password));
  IAMD_TRY(c.mut->CreateLoginProfile(*name, std::string(c.prepared),
                                     c.p.OptBool("PasswordResetRequired").value_or(false),
                                     c.changes));
  WriteLoginProfile(c.xml, **c.state.GetUser(*name));
  return {};
}

Status GetLoginProfile(Call& c) {
  auto user = TargetUserEntity(c);
  if (!user) return std::unexpected(user.error());
  if (!(*user)->login_profile)
    return Fail(ErrorCode::kNoSuchEntity,
                "Login Profile for User " + (*user)->rec.name + " cannot be found.");
  WriteLoginProfile(c.xml, **user);
  return {};
}

Status UpdateLoginProfile(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  std::optional<std::string> hash;
  if (!c.prepared.empty()) {
    IAMD_TRY(c.state.CheckPassword(c.p.Str("Password")));
    hash = std::string(c.prepared);
  }
  return c.mut->UpdateLoginProfile(*name, hash, c.p.OptBool("PasswordResetRequired"), c.changes);
}

// ChangePassword: an IAM user changes its own console password (IAM API Reference). Codes from
// the service model; the wording of its refusals is iamd's own (AWS's is not recorded):
//   InvalidUserType  the caller is not an IAM user (the root user's password is not IAM's; a
//                    role has none);
//   NoSuchEntity     the user has no login profile (AWS's message, as GetLoginProfile's);
//   AccessDenied     OldPassword is not the user's password;
//   PasswordPolicyViolation  NewPassword does not meet the account's password policy, or is
//                    the old one while the policy prevents reuse.
// Success clears PasswordResetRequired.
namespace {
Status CheckChangePasswordCaller(const Caller& caller) {
  if (caller.kind == Caller::Kind::kUser) return {};
  return Fail(ErrorCode::kInvalidUserType,
              "Only IAM users can change their own password with ChangePassword.");
}
}  // namespace

Result<std::string> CheckChangePassword(const PrepareInput& in) {
  IAMD_TRY(CheckChangePasswordCaller(in.caller));
  std::optional<std::string> stored;
  bool found = false;
  in.read([&](const model::State& state) {
    auto user = state.GetUser(in.caller.name);
    found = user.has_value();
    if (found && (*user)->login_profile) stored = (*user)->login_profile->password_hash;
  });
  if (!found || !stored)
    return Fail(ErrorCode::kNoSuchEntity,
                "Login Profile for User " + in.caller.name + " cannot be found.");
  // Two PBKDF2 runs (~60 ms each): here, before the model is locked for the write.
  if (!auth::CheckPassword(in.p.Str("OldPassword"), *stored))
    return Fail(ErrorCode::kAccessDenied, "The old password is incorrect.");
  return *stored + "\n" + auth::HashPassword(in.p.Str("NewPassword"));
}

Status ChangePassword(Call& c) {
  IAMD_TRY(CheckChangePasswordCaller(c.caller));
  const size_t newline = c.prepared.find('\n');
  if (newline == std::string_view::npos)
    return Fail(ErrorCode::kServiceFailure, "ChangePassword was not prepared.");
  const std::string_view checked = c.prepared.substr(0, newline);
  auto user = c.state.GetUser(c.caller.name);
  if (!user || !(*user)->login_profile)
    return Fail(ErrorCode::kNoSuchEntity,
                "Login Profile for User " + c.caller.name + " cannot be found.");
  if ((*user)->login_profile->password_hash != checked)
    return Fail(ErrorCode::kEntityTemporarilyUnmodifiable,
                "The password of user " + c.caller.name +
                    " changed while this request was checked. Try again.");
  const std::string_view new_password = c.p.Str("NewPassword");
  IAMD_TRY(c.state.CheckPassword(new_password));
  if (auto policy = c.state.GetPasswordPolicy();
      policy && (*policy)->reuse_prevention.value_or(0) > 0 &&
      new_password == c.p.Str("OldPassword"))
    return Fail(ErrorCode::kPasswordPolicyViolation,
                "Password should not be one of your previous " +
                    std::to_string(*(*policy)->reuse_prevention) + " passwords");
  return c.mut->UpdateLoginProfile(c.caller.name, std::string(c.prepared.substr(newline + 1)),
                                   false, c.changes);
}

Status DeleteLoginProfile(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->DeleteLoginProfile(*name, c.changes);
}

// ---- access keys ----

Status CreateAccessKey(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  std::string key_id = auth::NewAccessKeyId(kLongTermKeyPrefix);
  std::string secret = auth::NewSecretAccessKey();
  // The secret is stored sealed with the data folder's key, bound to its key ID.
  auto key = c.mut->CreateAccessKey(*name, key_id, c.sealer.Seal(secret, key_id), c.changes);
  if (!key) return std::unexpected(key.error());
  c.xml.Open("AccessKey");
  c.xml.Element("UserName", (*key)->user->rec.name);
  c.xml.Element("AccessKeyId", key_id);
  c.xml.Element("Status", "Active");
  c.xml.Element("SecretAccessKey", secret);
  WriteDate(c.xml, "CreateDate", (*key)->rec.create_millis);
  c.xml.Close("AccessKey");
  return {};
}

Status ListAccessKeys(Call& c) {
  auto user = TargetUserEntity(c);
  if (!user) return std::unexpected(user.error());
  std::map<std::string, const model::AccessKey*> keys;
  for (const model::AccessKey* k : (*user)->access_keys) keys.emplace(k->rec.access_key_id, k);
  return ListPage(
      c, keys, "AccessKeyMetadata", [](const model::AccessKey*) { return true; },
      [&](const model::AccessKey* k) { WriteAccessKeyMetadata(c.xml, *k, "member"); });
}

Status UpdateAccessKey(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->UpdateAccessKey(*name, c.p.Str("AccessKeyId"), c.p.Str("Status") == "Active",
                                c.changes);
}

Status DeleteAccessKey(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->DeleteAccessKey(*name, c.p.Str("AccessKeyId"), c.changes);
}

// ---- signing certificates ----
// AWS's messages: LocalStack's AWS-validated snapshot test_iam_signing_certificates (recorded
// February and March 2026); the model's in src/model/users.cc.

namespace {
void WriteCertificate(XmlWriter& xml, const model::SigningCertificate& cert,
                      std::string_view element) {
  xml.Open(element);
  xml.Element("UserName", cert.user->rec.name);
  xml.Element("CertificateId", cert.rec.id);
  xml.Element("CertificateBody", cert.rec.body);
  xml.Element("Status", cert.rec.active ? "Active" : "Inactive");
  WriteDate(xml, "UploadDate", cert.rec.upload_millis);
  xml.Close(element);
}
}  // namespace

Status UploadSigningCertificate(Call& c) {
  auto user = TargetUserEntity(c);  // a missing user first, then the body
  if (!user) return std::unexpected(user.error());
  std::string_view body = c.p.Str("CertificateBody");
  if (!auth::IsPemCertificate(body))
    return Fail(ErrorCode::kMalformedCertificate,
                "Certificate " + std::string(body) + " is malformed.");
  std::string id;
  c.ids.RandomIdChars(28, id);  // AWS's are 28 characters of A-Z and 2-7
  auto cert = c.mut->UploadSigningCertificate((*user)->rec.name, std::move(id), std::string(body), c.changes);
  if (!cert) return std::unexpected(cert.error());
  WriteCertificate(c.xml, **cert, "Certificate");
  return {};
}

Status ListSigningCertificates(Call& c) {
  auto user = TargetUserEntity(c);
  if (!user) return std::unexpected(user.error());
  return ListPage(
      c, InUploadOrder((*user)->certificates), "Certificates",
      [](const model::SigningCertificate*) { return true; },
      [&](const model::SigningCertificate* cert) { WriteCertificate(c.xml, *cert, "member"); });
}

Status UpdateSigningCertificate(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->UpdateSigningCertificate(*name, c.p.Str("CertificateId"),
                                         c.p.Str("Status") == "Active", c.changes);
}

Status DeleteSigningCertificate(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->DeleteSigningCertificate(*name, c.p.Str("CertificateId"), c.changes);
}

// ---- SSH public keys ----
// The rules and AWS's messages are in src/model/users.cc and src/auth/ssh_keys.h; shapes from
// LocalStack's AWS-validated snapshot test_iam_ssh_public_keys (February 2026): the key's
// ID, status and upload date in lists, its body and fingerprint too when uploaded and got.

namespace {
constexpr std::string_view kSshKeyIdPrefix = "APKA";

void WriteSshKey(XmlWriter& xml, const model::SshPublicKey& key, std::string_view element,
                 const std::string* body) {
  xml.Open(element);
  xml.Element("UserName", key.user->rec.name);
  xml.Element("SSHPublicKeyId", key.rec.id);
  if (body) {
    xml.Element("Fingerprint", key.rec.fingerprint);
    xml.Element("SSHPublicKeyBody", *body);
  }
  xml.Element("Status", key.rec.active ? "Active" : "Inactive");
  WriteDate(xml, "UploadDate", key.rec.upload_millis);
  xml.Close(element);
}
}  // namespace

Status UploadSSHPublicKey(Call& c) {
  auto user = TargetUserEntity(c);  // a missing user first, then the key
  if (!user) return std::unexpected(user.error());
  const std::string body(c.p.Str("SSHPublicKeyBody"));
  auto parsed = auth::ParseSshPublicKey(body);
  if (!parsed) {
    if (parsed.error() == auth::SshKeyProblem::kUnrecognized)
      return Fail(ErrorCode::kUnrecognizedPublicKeyEncoding,
                  "The public key encoding format is unsupported or unrecognized.");
    return Fail(ErrorCode::kInvalidPublicKey,
                "The public key is malformed or otherwise invalid: it must be an RSA key of at "
                "least 2048 bits, encoded in ssh-rsa or PEM format.");
  }
  auto key = c.mut->UploadSshPublicKey((*user)->rec.name, c.ids.NewUniqueId(kSshKeyIdPrefix), body,
                                       parsed->fingerprint, c.changes);
  if (!key) return std::unexpected(key.error());
  WriteSshKey(c.xml, **key, "SSHPublicKey", &body);
  return {};
}

Status GetSSHPublicKey(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  auto key = c.state.GetSshPublicKey(*name, c.p.Str("SSHPublicKeyId"));
  if (!key) return std::unexpected(key.error());
  auto parsed = auth::ParseSshPublicKey((*key)->rec.body);  // checked when it was uploaded
  if (!parsed) return Fail(ErrorCode::kServiceFailure, "Store inconsistency: unreadable SSH key");
  // SSH: an OpenSSH line comes back as uploaded; PEM: the key's SubjectPublicKeyInfo.
  std::string body = c.p.Str("Encoding") == "PEM"            ? parsed->pem
                     : (*key)->rec.body.starts_with("ssh-") ? (*key)->rec.body
                                                            : parsed->openssh;
  WriteSshKey(c.xml, **key, "SSHPublicKey", &body);
  return {};
}

Status ListSSHPublicKeys(Call& c) {
  auto user = TargetUserEntity(c);
  if (!user) return std::unexpected(user.error());
  return ListPage(
      c, InUploadOrder((*user)->ssh_keys), "SSHPublicKeys",
      [](const model::SshPublicKey*) { return true; },
      [&](const model::SshPublicKey* key) { WriteSshKey(c.xml, *key, "member", nullptr); });
}

Status UpdateSSHPublicKey(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->UpdateSshPublicKey(*name, c.p.Str("SSHPublicKeyId"),
                                   c.p.Str("Status") == "Active", c.changes);
}

Status DeleteSSHPublicKey(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->DeleteSshPublicKey(*name, c.p.Str("SSHPublicKeyId"), c.changes);
}

std::optional<UsageTracker::Use> LastKeyUse(const UsageTracker& usage,
                                            const model::AccessKey& key) {
  std::optional<UsageTracker::Use> used;
  if (const auto& r = key.rec; r.last_used_millis)
    used = UsageTracker::Use{r.last_used_millis, r.last_used_service, r.last_used_region};
  if (auto recent = usage.AccessKeyLastUsed(key.rec.access_key_id);
      recent && (!used || recent->millis > used->millis))
    used = std::move(recent);
  return used;
}

Status GetAccessKeyLastUsed(Call& c) {
  std::string_view key_id = c.p.Str("AccessKeyId");
  const model::AccessKey* key = c.state.FindAccessKey(key_id);
  if (!key)  // AWS answers an unknown key with AccessDenied (recorded)
    return Fail(ErrorCode::kAccessDenied, "User: " + c.caller.arn +
                                              " is not authorized to perform "
                                              "iam:GetAccessKeyLastUsed on resource: access key " +
                                              std::string(key_id));
  c.xml.Element("UserName", key->user->rec.name);
  c.xml.Open("AccessKeyLastUsed");
  if (std::optional<UsageTracker::Use> used = LastKeyUse(c.usage, *key)) {
    WriteDate(c.xml, "LastUsedDate", used->millis);
    c.xml.Element("ServiceName", used->service);
    c.xml.Element("Region", used->region);
  } else {
    c.xml.Element("ServiceName", "N/A");
    c.xml.Element("Region", "N/A");
  }
  c.xml.Close("AccessKeyLastUsed");
  return {};
}

// ---- groups ----

Status CreateGroup(Call& c) {
  auto group = c.mut->CreateGroup(c.p.Str("GroupName"), c.p.OptStr("Path").value_or("/"),
                                  c.changes);
  if (!group) return std::unexpected(group.error());
  WriteGroup(c.xml, **group);
  return {};
}

Status GetGroup(Call& c) {
  auto group = c.state.GetGroup(c.p.Str("GroupName"));
  if (!group) return std::unexpected(group.error());
  WriteGroup(c.xml, **group);
  std::map<std::string, const model::User*> users;
  for (const model::User* u : (*group)->members) users.emplace(AsciiLower(u->rec.name), u);
  return ListPage(
      c, users, "Users", [](const model::User*) { return true; },
      [&](const model::User* u) { WriteUser(c.xml, *u, /*detail=*/false, "member"); });
}

Status ListGroups(Call& c) {
  return ListPage(
      c, c.state.groups(), "Groups",
      [&](const model::Group& g) { return PathMatches(c.p, g.rec.path); },
      [&](const model::Group& g) { WriteGroup(c.xml, g, "member"); });
}

Status UpdateGroup(Call& c) {
  IAMD_TRY(AuthorizeNewName(c, "iam:UpdateGroup", kGroupResource,
                            c.state.GetGroup(c.p.Str("GroupName")), "NewGroupName"));
  return c.mut->UpdateGroup(c.p.Str("GroupName"), c.p.OptStr("NewGroupName"),
                            c.p.OptStr("NewPath"), c.changes);
}

Status DeleteGroup(Call& c) { return c.mut->DeleteGroup(c.p.Str("GroupName"), c.changes); }

Status AddUserToGroup(Call& c) {
  return c.mut->AddUserToGroup(c.p.Str("GroupName"), c.p.Str("UserName"), c.changes);
}

Status RemoveUserFromGroup(Call& c) {
  return c.mut->RemoveUserFromGroup(c.p.Str("GroupName"), c.p.Str("UserName"), c.changes);
}

Status PutGroupPolicy(Call& c) { return PutInlinePolicy(c, OwnerKind::kGroup); }
Status GetGroupPolicy(Call& c) { return GetInlinePolicy(c, OwnerKind::kGroup); }
Status DeleteGroupPolicy(Call& c) { return DeleteInlinePolicy(c, OwnerKind::kGroup); }
Status ListGroupPolicies(Call& c) { return ListInlinePolicies(c, OwnerKind::kGroup); }
Status AttachGroupPolicy(Call& c) { return AttachPolicy(c, OwnerKind::kGroup); }
Status DetachGroupPolicy(Call& c) { return DetachPolicy(c, OwnerKind::kGroup); }
Status ListAttachedGroupPolicies(Call& c) { return ListAttachedPolicies(c, OwnerKind::kGroup); }

}  // namespace iamd::api
