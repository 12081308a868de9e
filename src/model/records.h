// The durable form of the IAM entities: one plain struct per stored row, and `Change`, the unit
// the store persists. The in-memory model (state.h) is rebuilt from these records alone, through
// the same `State::Apply` that every write uses, so memory and store cannot drift apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace iamd::model {

struct Tag {
  std::string key;
  std::string value;
  friend bool operator==(const Tag&, const Tag&) = default;
};
using Tags = std::vector<Tag>;

// The IAM identities that own inline policies and attachments.
enum class OwnerKind : uint8_t { kUser = 0, kGroup = 1, kRole = 2 };

struct RoleRecord {
  std::string id;  // AROA...
  std::string name;
  std::string path;
  int64_t create_millis = 0;
  std::string trust_policy;  // exactly as the client sent it
  // The unique IDs of the users and roles of this account that the trust policy names, as they
  // were when it was stored: "ARN\tID\n" lines. AWS binds such principals to the entity, so a
  // user deleted and re-created (or another renamed) under the same ARN is not trusted.
  std::string trust_principal_ids;
  std::optional<std::string> description;
  int64_t max_session_duration = 3600;
  std::string permissions_boundary_arn;  // empty: none
  Tags tags;
  int64_t last_used_millis = 0;  // 0: never
  std::string last_used_region;
  std::string services_used;  // ServiceUses: the services it (its sessions) last used
};

// When a user or role last authenticated to each service (for IAM's access reports), as stored
// in its record: one "SERVICE MILLIS REGION" line per service, sorted by service.
struct ServiceUse {
  std::string service;  // "iam", "sts"
  int64_t millis = 0;
  std::string region;
  friend bool operator==(const ServiceUse&, const ServiceUse&) = default;
};
std::vector<ServiceUse> ParseServiceUses(std::string_view text);  // skips malformed lines
std::string FormatServiceUses(const std::vector<ServiceUse>& uses);

struct InstanceProfileRecord {
  std::string id;  // AIPA...
  std::string name;
  std::string path;
  int64_t create_millis = 0;
  std::string role_id;  // empty: no role (AWS allows at most one)
  Tags tags;
};

struct ManagedPolicyRecord {
  std::string id;  // ANPA...
  std::string name;
  std::string path;
  std::optional<std::string> description;
  int64_t create_millis = 0;
  int64_t update_millis = 0;
  std::string default_version_id;  // "v3"
  int64_t next_version_number = 1;  // version IDs are never reused
  Tags tags;
};

struct PolicyVersionRecord {
  std::string policy_id;
  std::string version_id;
  std::string document;
  int64_t create_millis = 0;
};

struct InlinePolicyRecord {
  OwnerKind owner_kind;
  std::string owner_id;
  std::string name;
  std::string document;
};

struct AttachmentRecord {
  OwnerKind owner_kind;
  std::string owner_id;
  std::string policy_arn;
};

struct UserRecord {
  std::string id;  // AIDA...
  std::string name;
  std::string path;
  int64_t create_millis = 0;
  std::string permissions_boundary_arn;
  Tags tags;
  int64_t password_last_used_millis = 0;
  std::string services_used;  // ServiceUses: the services it last authenticated to
};

struct GroupRecord {
  std::string id;  // AGPA...
  std::string name;
  std::string path;
  int64_t create_millis = 0;
};

struct GroupMembershipRecord {
  std::string group_id;
  std::string user_id;
};

struct AccessKeyRecord {
  std::string access_key_id;  // AKIA...
  std::string user_id;
  bool active = true;
  int64_t create_millis = 0;
  std::string secret_sealed;  // the secret, encrypted with the data folder's key (never plain)
  int64_t last_used_millis = 0;
  std::string last_used_service;
  std::string last_used_region;
};

struct LoginProfileRecord {
  std::string user_id;
  int64_t create_millis = 0;
  std::string password_hash;  // salted PBKDF2, never the password
  bool password_reset_required = false;
};

// A service-linked role deletion task (DeleteServiceLinkedRole / GetServiceLinkedRoleDeletionStatus).
struct DeletionTaskRecord {
  std::string id;  // task/aws-service-role/<service>/<role>/<uuid>
  std::string status;  // SUCCEEDED | IN_PROGRESS | FAILED | NOT_STARTED
  int64_t create_millis = 0;
};

// An IAM OpenID Connect identity provider. Its ARN is arn:aws:iam::ACCOUNT:oidc-provider/ + `url`.
struct OidcProviderRecord {
  std::string url;  // the URL without its "https://" (host and optional path), as AWS shows it
  int64_t create_millis = 0;
  std::vector<std::string> client_ids;   // in the order added, no duplicates
  std::vector<std::string> thumbprints;  // as given
  Tags tags;
};

// An X.509 certificate of a user's (UploadSigningCertificate).
struct SigningCertificateRecord {
  std::string id;  // 28 characters of A-Z and 2-7, like AWS's
  std::string user_id;
  std::string body;  // PEM, as uploaded
  bool active = true;
  int64_t upload_millis = 0;
};

// A user's SSH public key (UploadSSHPublicKey, for AWS CodeCommit).
struct SshPublicKeyRecord {
  std::string id;  // APKA...
  std::string user_id;
  std::string body;  // as uploaded (an OpenSSH line or PEM)
  std::string fingerprint;
  bool active = true;
  int64_t upload_millis = 0;
};

// A credential of a user's for one AWS service (CreateServiceSpecificCredential): a user name
// and password (AWS CodeCommit, Amazon Keyspaces), or an API key (Amazon Bedrock, CloudWatch Logs).
struct ServiceCredentialRecord {
  std::string id;  // ACCA...
  std::string user_id;
  std::string service_name;       // "codecommit.amazonaws.com", ...
  std::string service_user_name;  // passwords: "USER-at-ACCOUNT"; API keys: the key's alias
  std::string secret_sealed;      // the password or API key, encrypted with the data folder's key
  bool active = true;
  int64_t upload_millis = 0;      // when it was created (the convention of what users own)
  int64_t expiration_millis = 0;  // API keys made with CredentialAgeDays; 0: never expires
};

// A virtual MFA device (CreateVirtualMFADevice), enabled for at most one user (EnableMFADevice).
struct MfaDeviceRecord {
  std::string serial;  // its ARN: arn:aws:iam::ACCOUNT:mfa/PATH+NAME
  std::string name;
  std::string path;
  int64_t create_millis = 0;
  std::string seed_sealed;  // the TOTP seed, encrypted with the data folder's key (never plain)
  std::string user_id;      // empty: not enabled for any user
  int64_t enable_millis = 0;
  int64_t last_step = 0;  // the last TOTP step whose code was accepted (a code is good once)
  Tags tags;
};

// An SSL/TLS certificate with its private key (UploadServerCertificate), for services that
// terminate TLS with it. Its ARN is arn:aws:iam::ACCOUNT:server-certificate/PATH+NAME.
struct ServerCertificateRecord {
  std::string id;  // ASCA...
  std::string name;
  std::string path;
  std::string body;                  // PEM, as uploaded
  std::optional<std::string> chain;  // PEM, as uploaded
  std::string private_key_sealed;    // encrypted with the data folder's key (never plain)
  int64_t upload_millis = 0;
  int64_t expiration_millis = 0;  // the certificate's notAfter
  Tags tags;
};

// A SAML 2.0 identity provider (CreateSAMLProvider). Its ARN is
// arn:aws:iam::ACCOUNT:saml-provider/NAME.
struct SamlPrivateKey {
  std::string key_id;  // 22 characters of A-Z and 0-9
  int64_t timestamp_millis = 0;
  std::string key_sealed;  // encrypted with the data folder's key (never plain)
  friend bool operator==(const SamlPrivateKey&, const SamlPrivateKey&) = default;
};
struct SamlProviderRecord {
  std::string name;
  std::string uuid;  // SAMLSP...
  std::string document;  // the metadata, as uploaded
  int64_t create_millis = 0;
  int64_t valid_until_millis = 0;
  bool encryption_required = false;  // AssertionEncryptionMode: Required, else Allowed
  std::vector<SamlPrivateKey> private_keys;  // at most two, in the order added
  Tags tags;
};

// A setting of the account as a whole: its alias (CreateAccountAlias), its password policy
// (UpdateAccountPasswordPolicy). `value` is the setting's stored form (model/account.cc).
struct AccountSettingRecord {
  std::string name;  // "alias", "password_policy"
  std::string value;
};

// The key of each record kind, and a removal carrying it.
struct RoleKey { std::string id; };
struct InstanceProfileKey { std::string id; };
struct ManagedPolicyKey { std::string id; };
struct PolicyVersionKey { std::string policy_id, version_id; };
struct InlinePolicyKey { OwnerKind owner_kind; std::string owner_id, name; };
struct AttachmentKey { OwnerKind owner_kind; std::string owner_id, policy_arn; };
struct UserKey { std::string id; };
struct GroupKey { std::string id; };
struct GroupMembershipKey { std::string group_id, user_id; };
struct AccessKeyKey { std::string access_key_id; };
struct LoginProfileKey { std::string user_id; };
struct DeletionTaskKey { std::string id; };
struct OidcProviderKey { std::string url; };
struct AccountSettingKey { std::string name; };
struct SigningCertificateKey { std::string id; };
struct SshPublicKeyKey { std::string id; };
struct MfaDeviceKey { std::string serial; };
struct ServerCertificateKey { std::string id; };
struct ServiceCredentialKey { std::string id; };
struct SamlProviderKey { std::string name; };

template <typename Key>
struct Removed {
  Key key;
};

// One row written or removed. A write stores the whole record (upsert by key).
using Change = std::variant<
    RoleRecord, Removed<RoleKey>, InstanceProfileRecord, Removed<InstanceProfileKey>,
    ManagedPolicyRecord, Removed<ManagedPolicyKey>, PolicyVersionRecord, Removed<PolicyVersionKey>,
    InlinePolicyRecord, Removed<InlinePolicyKey>, AttachmentRecord, Removed<AttachmentKey>,
    UserRecord, Removed<UserKey>, GroupRecord, Removed<GroupKey>, GroupMembershipRecord,
    Removed<GroupMembershipKey>, AccessKeyRecord, Removed<AccessKeyKey>, LoginProfileRecord,
    Removed<LoginProfileKey>, DeletionTaskRecord, Removed<DeletionTaskKey>, OidcProviderRecord,
    Removed<OidcProviderKey>, AccountSettingRecord, Removed<AccountSettingKey>,
    SigningCertificateRecord, Removed<SigningCertificateKey>, SshPublicKeyRecord,
    Removed<SshPublicKeyKey>, MfaDeviceRecord, Removed<MfaDeviceKey>, ServerCertificateRecord,
    Removed<ServerCertificateKey>, ServiceCredentialRecord, Removed<ServiceCredentialKey>,
    SamlProviderRecord, Removed<SamlProviderKey>>;

// The changes of one API call: applied to memory together and committed in one transaction.
using ChangeSet = std::vector<Change>;

}  // namespace iamd::model
