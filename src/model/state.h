// The in-memory IAM model of one account: every entity, its indexes and compiled policies, and
// the rules that change them.
//
// Writes: each mutating operation checks everything first and changes nothing on error; on
// success it appends the records it wrote to the caller's ChangeSet and applies them to memory
// through `Apply`, the same function that rebuilds the model from the store at start-up.
// The caller persists the ChangeSet (src/store) before acknowledging the write.
//
// Thread-safety: none. The owner (src/api) serialises writers and lets readers share.
// Pointers returned stay valid until the next mutating call.
#pragma once

#include <cstdint>
#include <functional>
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/ids.h"
#include "model/records.h"
#include "policy/policy.h"

namespace iamd::managed {
struct AwsManagedPolicy;
}

namespace iamd::model {

// Lets unordered maps keyed by std::string be searched with a string_view, without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// Orders IAM names regardless of ASCII case (IAM names are unique and found that way), and lets
// a map be searched with a name in any case, without building a lower-cased copy.
struct NameLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
      char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
      if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
    }
    return a.size() < b.size();
  }
};
// Entities by name; keys are the lower-cased names.
template <typename V>
using NameMap = std::map<std::string, V, NameLess>;

// AWS quotas (IAM User Guide, "IAM and AWS STS quotas"). Policy sizes exclude white space.
inline constexpr size_t kMaxTrustPolicySize = 2048;        // "Role trust policy length"
inline constexpr size_t kMaxRoleInlinePolicyBytes = 10240;  // aggregate per role
inline constexpr size_t kMaxUserInlinePolicyBytes = 2048;   // aggregate per user
inline constexpr size_t kMaxGroupInlinePolicyBytes = 5120;  // aggregate per group
inline constexpr size_t kMaxManagedPolicySize = 6144;
inline constexpr size_t kMaxAttachedPolicies = 10;  // per role, user or group
inline constexpr size_t kMaxRolesPerInstanceProfile = 1;  // "InstanceSessionsPerInstanceProfile"
inline constexpr size_t kMaxPolicyVersions = 5;
inline constexpr size_t kMaxTags = 50;
inline constexpr size_t kMaxAccessKeysPerUser = 2;
inline constexpr size_t kMaxCertificatesPerUser = 2;  // signing certificates
inline constexpr size_t kMaxSshPublicKeysPerUser = 5;
inline constexpr size_t kMaxGroupsPerUser = 10;
inline constexpr size_t kMaxMfaDevicesPerUser = 8;  // "MFA devices in use per user"
inline constexpr size_t kMaxServerCertificates = 20;  // "Server certificates per account"
// "Service-specific credentials per user per service"
inline constexpr size_t kMaxServiceCredentialsPerService = 2;
inline constexpr size_t kMaxSamlProviders = 100;  // "SAML providers in an AWS account"
inline constexpr size_t kMaxSamlPrivateKeys = 2;  // API reference, PrivateKeyList
inline constexpr size_t kMaxOidcProviders = 100;  // "OpenId connect providers per account"
inline constexpr size_t kMaxClientIdsPerOidcProvider = 100;  // API reference, ClientIDList
inline constexpr size_t kMaxThumbprintsPerOidcProvider = 5;  // API reference, ThumbprintList

struct InlinePolicy {
  std::string name;
  std::string document;
  std::string document_url;  // percent-encoded once, as responses carry it
  policy::PolicyPtr compiled;
};

struct PolicyView;

// Something that owns inline policies and attached managed policies: a role, user or group.
struct PolicyOwner {
  OwnerKind kind;
  std::map<std::string, InlinePolicy> inline_policies;  // by lower-cased name
  std::vector<std::string> attached;                    // policy ARNs, in attach order
  // The same policies, resolved when attached (a policy cannot be deleted while attached), so
  // that deciding a request needs no lookup.
  std::vector<PolicyView> attached_views;
};

struct InstanceProfile;
struct Group;
struct AccessKey;
struct SigningCertificate;
struct SshPublicKey;
struct ServiceCredential;
struct MfaDevice;

struct Role : PolicyOwner {
  RoleRecord rec;
  std::string arn;
  std::string trust_policy_url;  // percent-encoded once, as responses carry it
  policy::PolicyPtr trust;
  // rec.trust_principal_ids, parsed: principal ARN -> the unique ID it named.
  std::unordered_map<std::string, std::string> trust_principal_ids;
  std::vector<InstanceProfile*> profiles;  // the profiles this role is in
  bool service_linked() const;
};

struct InstanceProfile {
  InstanceProfileRecord rec;
  std::string arn;
  Role* role = nullptr;
};

struct PolicyVersion {
  PolicyVersionRecord rec;
  std::string document_url;  // percent-encoded once, as responses carry it
  policy::PolicyPtr compiled;
};

// A customer managed policy.
struct ManagedPolicy {
  ManagedPolicyRecord rec;
  std::string arn;
  std::map<int64_t, PolicyVersion> versions;  // by version number
  int64_t attachment_count = 0;
  int64_t boundary_usage_count = 0;
  const PolicyVersion* default_version() const;
};

struct User : PolicyOwner {
  UserRecord rec;
  std::string arn;
  std::vector<Group*> groups;
  std::vector<AccessKey*> access_keys;
  std::vector<SigningCertificate*> certificates;  // in the order uploaded
  std::vector<SshPublicKey*> ssh_keys;            // in the order uploaded
  std::vector<ServiceCredential*> service_credentials;  // in the order created
  std::vector<MfaDevice*> mfa_devices;            // enabled for this user
  std::optional<LoginProfileRecord> login_profile;
};

struct Group : PolicyOwner {
  GroupRecord rec;
  std::string arn;
  std::vector<User*> members;
};

struct AccessKey {
  AccessKeyRecord rec;
  User* user = nullptr;
};

struct SigningCertificate {
  SigningCertificateRecord rec;
  User* user = nullptr;
};

struct SshPublicKey {
  SshPublicKeyRecord rec;
  User* user = nullptr;
};

struct ServiceCredential {
  ServiceCredentialRecord rec;
  User* user = nullptr;
};

struct ServerCertificate {
  ServerCertificateRecord rec;
  std::string arn;  // arn:aws:iam::ACCOUNT:server-certificate/PATH+NAME
};

struct MfaDevice {
  MfaDeviceRecord rec;
  User* user = nullptr;  // the user it is enabled for, if any
};

struct SamlProvider {
  SamlProviderRecord rec;
  std::string arn;  // arn:aws:iam::ACCOUNT:saml-provider/NAME
};

struct OidcProvider {
  OidcProviderRecord rec;
  std::string arn;  // arn:aws:iam::ACCOUNT:oidc-provider/URL
};

// The account's password policy (UpdateAccountPasswordPolicy); AWS's values where a parameter
// was not given (an update replaces the whole policy).
struct PasswordPolicy {
  int64_t minimum_length = 6;
  bool require_symbols = false;
  bool require_numbers = false;
  bool require_uppercase = false;
  bool require_lowercase = false;
  bool allow_users_to_change = false;
  std::optional<int64_t> max_age_days;      // ExpirePasswords is true when set
  std::optional<int64_t> reuse_prevention;  // iamd keeps no old passwords: only ChangePassword to
                                            // the current one is refused
  std::optional<bool> hard_expiry;
  friend bool operator==(const PasswordPolicy&, const PasswordPolicy&) = default;
};

// The account's credential report as GenerateCredentialReport left it (GetCredentialReport).
struct CredentialReport {
  int64_t generated_millis = 0;
  std::string csv;  // AWS's columns (api/iam_account.cc builds it)
  friend bool operator==(const CredentialReport&, const CredentialReport&) = default;
};

// Outbound identity federation (EnableOutboundWebIdentityFederation): whether the account's
// principals may get JSON Web Tokens from STS GetWebIdentityToken, the issuer those tokens name,
// and the keys that sign them. The first Enable makes the issuer and the keys; Disable keeps them,
// so that tokens issued before stay verifiable and a later Enable names the same issuer.
struct OutboundSigningKey {
  std::string algorithm;           // "RS256" or "ES384" (GetWebIdentityToken's SigningAlgorithm)
  std::string key_id;              // the JWT header's "kid"
  std::string private_key_sealed;  // PEM, encrypted with the data folder's key (never plain)
  std::string public_jwk;          // the public key as a JSON Web Key (JSON text)
  friend bool operator==(const OutboundSigningKey&, const OutboundSigningKey&) = default;
};
struct OutboundFederation {
  bool enabled = false;
  std::string issuer;  // https://<uuid>.tokens.sts.global.api.aws
  std::vector<OutboundSigningKey> keys;
  friend bool operator==(const OutboundFederation&, const OutboundFederation&) = default;
};

// Usage of an AWS managed policy in this account, and its compiled document once used.
struct AwsPolicyUsage {
  int64_t attachment_count = 0;
  int64_t boundary_usage_count = 0;
  policy::PolicyPtr compiled;
};

// A managed policy seen through one lens, whether AWS's or the customer's.
struct PolicyView {
  const managed::AwsManagedPolicy* aws = nullptr;  // set for AWS managed policies
  const AwsPolicyUsage* usage = nullptr;           // AWS managed: its use here, if any
  const ManagedPolicy* local = nullptr;            // set for customer managed policies
  std::string_view arn() const;
  std::string_view name() const;
  std::string_view path() const;
  std::string_view id() const;
  std::string_view default_version_id() const;
  int64_t create_millis() const;
  int64_t update_millis() const;
  int64_t attachment_count() const;
  int64_t boundary_usage_count() const;
  std::string_view default_document() const;
  // The compiled default version; null for an AWS managed policy this account never used.
  policy::PolicyPtr compiled_default() const;
  // The same without touching the reference count; valid while the model is not changed.
  const policy::Policy* compiled_default_raw() const;
};

// Inputs of the operations that take many parameters. Absent optional parameters are nullopt.
struct CreateRoleInput {
  std::string name;
  std::string path = "/";
  std::string trust_policy;
  std::optional<std::string> description;
  std::optional<int64_t> max_session_duration;
  std::optional<std::string> permissions_boundary;
  Tags tags;
};

struct CreatePolicyInput {
  std::string name;
  std::string path = "/";
  std::string document;
  std::optional<std::string> description;
  Tags tags;
};

struct CreateOidcProviderInput {
  std::string url;  // as the client sent it, "https://" included
  std::vector<std::string> client_ids;
  std::vector<std::string> thumbprints;
  Tags tags;
};

struct CreateUserInput {
  std::string name;
  std::string path = "/";
  std::optional<std::string> permissions_boundary;
  Tags tags;
};

class State {
 public:
  State(std::string account_id, const Clock& clock, IdSource& ids);
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State();

  const std::string& account_id() const { return account_id_; }

  // Applies one stored record to memory (start-up load, and every write). A record that refers
  // to a missing owner is reported as ServiceFailure: the store is inconsistent.
  Status Apply(const Change& change);
  // Forgets everything (before a reload from the store).
  void Clear();
  // Deletes every entity of the account, durably (the AWS managed policies stay).
  Status DeleteEverything(ChangeSet& out);

  // ---- roles ----
  Result<const Role*> CreateRole(const CreateRoleInput& in, ChangeSet& out);
  Result<const Role*> GetRole(std::string_view name) const;
  // UpdateRole: only the parameters given change.
  Result<const Role*> UpdateRole(std::string_view name, const std::optional<std::string>& description,
                                 std::optional<int64_t> max_session_duration, ChangeSet& out);
  Result<const Role*> UpdateAssumeRolePolicy(std::string_view name, std::string_view document,
                                             ChangeSet& out);
  Status DeleteRole(std::string_view name, ChangeSet& out);
  Status PutRolePermissionsBoundary(std::string_view name, std::string_view arn, ChangeSet& out);
  Status DeleteRolePermissionsBoundary(std::string_view name, ChangeSet& out);
  Status TagRole(std::string_view name, const Tags& tags, ChangeSet& out);
  Status UntagRole(std::string_view name, std::span<const std::string> keys, ChangeSet& out);
  const NameMap<std::unique_ptr<Role>>& roles() const { return roles_; }
  // Stores when the role with this ID was last used (RoleLastUsed), unless the role is gone or
  // already shows that use or a later one: then nothing changes.
  void RecordRoleUse(std::string_view role_id, int64_t millis, std::string_view region,
                     ChangeSet& out);

  // ---- service-linked roles ----
  Result<const Role*> CreateServiceLinkedRole(std::string_view service,
                                              const std::optional<std::string>& description,
                                              const std::optional<std::string>& custom_suffix,
                                              ChangeSet& out);
  // Returns the deletion task ID.
  Result<std::string> DeleteServiceLinkedRole(std::string_view name, ChangeSet& out);
  Result<const DeletionTaskRecord*> GetDeletionTask(std::string_view task_id) const;

  // ---- instance profiles ----
  Result<const InstanceProfile*> CreateInstanceProfile(std::string_view name, std::string_view path,
                                                       const Tags& tags, ChangeSet& out);
  Result<const InstanceProfile*> GetInstanceProfile(std::string_view name) const;
  Status DeleteInstanceProfile(std::string_view name, ChangeSet& out);
  Status AddRoleToInstanceProfile(std::string_view profile, std::string_view role, ChangeSet& out);
  Status RemoveRoleFromInstanceProfile(std::string_view profile, std::string_view role,
                                       ChangeSet& out);
  Status TagInstanceProfile(std::string_view name, const Tags& tags, ChangeSet& out);
  Status UntagInstanceProfile(std::string_view name, std::span<const std::string> keys,
                              ChangeSet& out);
  const NameMap<std::unique_ptr<InstanceProfile>>& instance_profiles() const {
    return profiles_;
  }

  // ---- inline policies of a role, user or group ----
  // The role, user or group `name` (NoSuchEntity in AWS's words otherwise).
  Result<const PolicyOwner*> GetOwner(OwnerKind kind, std::string_view name) const {
    return FindOwner(kind, name);
  }
  Status PutInlinePolicy(OwnerKind kind, std::string_view owner, std::string_view policy_name,
                         std::string_view document, ChangeSet& out);
  Result<const InlinePolicy*> GetInlinePolicy(OwnerKind kind, std::string_view owner,
                                              std::string_view policy_name) const;
  Status DeleteInlinePolicy(OwnerKind kind, std::string_view owner, std::string_view policy_name,
                            ChangeSet& out);

  // ---- managed policies ----
  Result<const ManagedPolicy*> CreatePolicy(const CreatePolicyInput& in, ChangeSet& out);
  // Finds an AWS or customer managed policy by ARN. NoSuchEntity "Policy X was not found."
  Result<PolicyView> GetPolicy(std::string_view arn) const;
  Status DeletePolicy(std::string_view arn, ChangeSet& out);
  Result<const PolicyVersion*> CreatePolicyVersion(std::string_view arn, std::string_view document,
                                                   bool set_as_default, ChangeSet& out);
  Status DeletePolicyVersion(std::string_view arn, std::string_view version_id, ChangeSet& out);
  Status SetDefaultPolicyVersion(std::string_view arn, std::string_view version_id,
                                 ChangeSet& out);
  Status TagPolicy(std::string_view arn, const Tags& tags, ChangeSet& out);
  Status UntagPolicy(std::string_view arn, std::span<const std::string> keys, ChangeSet& out);
  const NameMap<std::unique_ptr<ManagedPolicy>>& policies() const {
    return policies_;
  }
  // Usage of AWS managed policies, by ARN (only those used in this account).
  const StringMap<AwsPolicyUsage>& aws_policy_usage() const {
    return aws_usage_;
  }

  // ---- attachments ----
  Status AttachPolicy(OwnerKind kind, std::string_view owner, std::string_view arn, ChangeSet& out);
  Status DetachPolicy(OwnerKind kind, std::string_view owner, std::string_view arn, ChangeSet& out);
  // The owners a policy is attached to.
  struct Attachments {
    std::vector<const Role*> roles;
    std::vector<const User*> users;
    std::vector<const Group*> groups;
  };
  Attachments EntitiesForPolicy(std::string_view arn) const;

  // ---- users, groups, access keys ----
  Result<const User*> CreateUser(const CreateUserInput& in, ChangeSet& out);
  Result<const User*> GetUser(std::string_view name) const;
  const User* FindUserById(std::string_view id) const;
  Status UpdateUser(std::string_view name, const std::optional<std::string>& new_name,
                    const std::optional<std::string>& new_path, ChangeSet& out);
  Status DeleteUser(std::string_view name, ChangeSet& out);
  Status PutUserPermissionsBoundary(std::string_view name, std::string_view arn, ChangeSet& out);
  Status DeleteUserPermissionsBoundary(std::string_view name, ChangeSet& out);
  Status TagUser(std::string_view name, const Tags& tags, ChangeSet& out);
  Status UntagUser(std::string_view name, std::span<const std::string> keys, ChangeSet& out);
  const NameMap<std::unique_ptr<User>>& users() const { return users_; }

  Result<const Group*> CreateGroup(std::string_view name, std::string_view path, ChangeSet& out);
  Result<const Group*> GetGroup(std::string_view name) const;
  Status UpdateGroup(std::string_view name, const std::optional<std::string>& new_name,
                     const std::optional<std::string>& new_path, ChangeSet& out);
  Status DeleteGroup(std::string_view name, ChangeSet& out);
  Status AddUserToGroup(std::string_view group, std::string_view user, ChangeSet& out);
  Status RemoveUserFromGroup(std::string_view group, std::string_view user, ChangeSet& out);
  const NameMap<std::unique_ptr<Group>>& groups() const { return groups_; }

  // `secret_sealed` is the secret already encrypted by the caller.
  Result<const AccessKey*> CreateAccessKey(std::string_view user, std::string access_key_id,
                                           std::string secret_sealed, ChangeSet& out);
  Status UpdateAccessKey(std::string_view user, std::string_view key_id, bool active,
                         ChangeSet& out);
  Status DeleteAccessKey(std::string_view user, std::string_view key_id, ChangeSet& out);
  // Stores when the key was last used (GetAccessKeyLastUsed), unless the key is gone or
  // already shows that use or a later one: then nothing changes.
  void RecordAccessKeyUse(std::string_view key_id, int64_t millis, std::string_view service,
                          std::string_view region, ChangeSet& out);
  // A user's or role's (by unique ID) authentication to `service` at `millis`: its record, with
  // the service's entry in services_used moved to this use, is emitted unless the entity is
  // gone or shows a use of the service at `millis` or later.
  void RecordServiceUse(std::string_view principal_id, std::string_view service, int64_t millis,
                        std::string_view region, ChangeSet& out);
  const AccessKey* FindAccessKey(std::string_view key_id) const;
  const StringMap<std::unique_ptr<AccessKey>>& access_keys() const {
    return access_keys_;
  }

  // A user's signing certificates: at most two (LimitExceeded), none whose body another
  // certificate of the account has (DuplicateCertificate). The caller has checked that `body`
  // is a PEM X.509 certificate and made the ID. NoSuchEntity for a user or a certificate of
  // the user that does not exist.
  Result<const SigningCertificate*> UploadSigningCertificate(std::string_view user,
                                                             std::string id, std::string body,
                                                             ChangeSet& out);
  Status UpdateSigningCertificate(std::string_view user, std::string_view id, bool active,
                                  ChangeSet& out);
  Status DeleteSigningCertificate(std::string_view user, std::string_view id, ChangeSet& out);

  // A user's SSH public keys: at most five (LimitExceeded), not the same key twice
  // (DuplicateSSHPublicKey, by fingerprint). The caller has read the key, made its
  // fingerprint and the ID. NoSuchEntity for a user or a key of the user that does not exist.
  Result<const SshPublicKey*> UploadSshPublicKey(std::string_view user, std::string id,
                                                 std::string body, std::string fingerprint,
                                                 ChangeSet& out);
  Result<const SshPublicKey*> GetSshPublicKey(std::string_view user, std::string_view id) const;
  Status UpdateSshPublicKey(std::string_view user, std::string_view id, bool active,
                            ChangeSet& out);
  Status DeleteSshPublicKey(std::string_view user, std::string_view id, ChangeSet& out);

  // ---- service-specific credentials (model/users.cc) ----
  // A user's credentials for one service: at most kMaxServiceCredentialsPerService per service
  // (LimitExceeded). The caller has checked the service, made the ID and the user name (for
  // services with passwords) and sealed the secret. NoSuchEntity for a user or a credential of
  // the user that does not exist.
  Result<const ServiceCredential*> CreateServiceCredential(std::string_view user,
                                                          ServiceCredentialRecord r,
                                                          ChangeSet& out);
  Result<const ServiceCredential*> GetServiceCredential(std::string_view user,
                                                        std::string_view id) const;
  // A new secret (ResetServiceSpecificCredential), sealed by the caller.
  Status ResetServiceCredential(std::string_view user, std::string_view id,
                                std::string secret_sealed, ChangeSet& out);
  Status UpdateServiceCredential(std::string_view user, std::string_view id, bool active,
                                 ChangeSet& out);
  Status DeleteServiceCredential(std::string_view user, std::string_view id, ChangeSet& out);

  // ---- virtual MFA devices (model/mfa_devices.cc) ----
  // Checks the codes a request carries against a device: the TOTP step they were accepted at,
  // or nullopt (InvalidAuthenticationCode). The caller opens the device's seed to do it.
  using MfaCodeCheck = std::function<std::optional<int64_t>(const MfaDevice&)>;
  // The serial number (ARN) a device of that path and name has in this account.
  std::string MfaSerial(std::string_view path, std::string_view name) const;
  // A new device, enabled for nobody. EntityAlreadyExists for a path and name that has one;
  // InvalidInput / LimitExceeded for bad or too many tags. The caller has sealed the seed.
  Result<const MfaDevice*> CreateVirtualMfaDevice(std::string_view name, std::string_view path,
                                                  std::string seed_sealed, const Tags& tags,
                                                  ChangeSet& out);
  // NoSuchEntity for a serial number of no device here.
  Result<const MfaDevice*> GetMfaDevice(std::string_view serial) const;
  // DeleteConflict while the device is enabled for a user.
  Status DeleteVirtualMfaDevice(std::string_view serial, ChangeSet& out);
  // Enables a device for a user: in this order, NoSuchEntity for the user or the device,
  // EntityAlreadyExists if it is enabled (for anyone), LimitExceeded if the user has the most
  // devices there may be, InvalidAuthenticationCode unless `check` accepts the codes.
  Status EnableMfaDevice(std::string_view user, std::string_view serial, const MfaCodeCheck& check,
                         ChangeSet& out);
  // NoSuchEntity for the user, or a device that is not enabled for that user.
  Status DeactivateMfaDevice(std::string_view user, std::string_view serial, ChangeSet& out);
  // As Deactivate's lookups, then InvalidAuthenticationCode unless `check` accepts the codes.
  Status ResyncMfaDevice(std::string_view user, std::string_view serial, const MfaCodeCheck& check,
                         ChangeSet& out);
  Status TagMfaDevice(std::string_view serial, const Tags& tags, ChangeSet& out);
  Status UntagMfaDevice(std::string_view serial, std::span<const std::string> keys, ChangeSet& out);
  // By serial number.
  const std::map<std::string, std::unique_ptr<MfaDevice>, std::less<>>& mfa_devices() const {
    return mfa_devices_;
  }

  // ---- server certificates (model/server_certificates.cc) ----
  // The caller has checked the certificate, its key and chain (auth::CheckServerCertificate),
  // made the ID and sealed the key. Errors: EntityAlreadyExists for a name that has one (in any case),
  // LimitExceeded beyond kMaxServerCertificates, InvalidInput / LimitExceeded for tags.
  struct UploadServerCertificateInput {
    std::string id;  // ASCA...
    std::string name;
    std::string path = "/";
    std::string body;
    std::optional<std::string> chain;
    std::string private_key_sealed;
    int64_t expiration_millis = 0;
    Tags tags;
  };
  Result<const ServerCertificate*> UploadServerCertificate(UploadServerCertificateInput in,
                                                           ChangeSet& out);
  // NoSuchEntity for a name of no certificate.
  Result<const ServerCertificate*> GetServerCertificate(std::string_view name) const;
  // Renames or moves it (the ID stays); EntityAlreadyExists if the new name is another's.
  Status UpdateServerCertificate(std::string_view name, const std::optional<std::string>& new_name,
                                 const std::optional<std::string>& new_path, ChangeSet& out);
  Status DeleteServerCertificate(std::string_view name, ChangeSet& out);
  Status TagServerCertificate(std::string_view name, const Tags& tags, ChangeSet& out);
  Status UntagServerCertificate(std::string_view name, std::span<const std::string> keys,
                                ChangeSet& out);
  const NameMap<std::unique_ptr<ServerCertificate>>& server_certificates() const {
    return server_certificates_;
  }

  Status CreateLoginProfile(std::string_view user, std::string password_hash, bool reset_required,
                            ChangeSet& out);
  Status UpdateLoginProfile(std::string_view user, const std::optional<std::string>& password_hash,
                            std::optional<bool> reset_required, ChangeSet& out);
  Status DeleteLoginProfile(std::string_view user, ChangeSet& out);

  // ---- OpenID Connect identity providers ----
  // Errors (AWS's words): ValidationError for a Url that is not https://HOST[/PATH] (no port,
  // query or fragment); InvalidInput for more than 5 thumbprints, a thumbprint that is not 40
  // hex digits, or duplicate tag keys; LimitExceeded for more than 100 client IDs, 50 tags or
  // 100 providers; EntityAlreadyExists for a Url that has a provider. Duplicate client IDs are
  // kept once.
  Result<const OidcProvider*> CreateOidcProvider(const CreateOidcProviderInput& in,
                                                 ChangeSet& out);
  // The provider whose ARN is `arn`. Errors: InvalidInput for text that is not an OIDC provider
  // ARN, NoSuchEntity for one of no provider here.
  Result<const OidcProvider*> GetOidcProvider(std::string_view arn) const;
  // Errors as GetOidcProvider; NoSuchEntity has Delete's own wording.
  Status DeleteOidcProvider(std::string_view arn, ChangeSet& out);
  // Adding a client ID that is there, or removing one that is not, succeeds and changes nothing.
  Status AddClientIdToOidcProvider(std::string_view arn, std::string_view client_id,
                                   ChangeSet& out);
  Status RemoveClientIdFromOidcProvider(std::string_view arn, std::string_view client_id,
                                        ChangeSet& out);
  // Replaces the whole thumbprint list (same checks as CreateOidcProvider).
  Status UpdateOidcProviderThumbprint(std::string_view arn,
                                      std::span<const std::string> thumbprints, ChangeSet& out);
  Status TagOidcProvider(std::string_view arn, const Tags& tags, ChangeSet& out);
  Status UntagOidcProvider(std::string_view arn, std::span<const std::string> keys,
                           ChangeSet& out);
  // By URL (without https://), sorted.
  const std::map<std::string, std::unique_ptr<OidcProvider>, std::less<>>& oidc_providers() const {
    return oidc_providers_;
  }

  // ---- SAML identity providers (model/saml_providers.cc) ----
  // The caller has checked the document and the key (auth::IsSamlMetadata, IsPemPrivateKey),
  // made the IDs and sealed the key. Errors: EntityAlreadyExists for a name that has one (in any
  // case), LimitExceeded beyond kMaxSamlProviders, InvalidInput for Required encryption without
  // a key, and MergeTags's.
  struct CreateSamlProviderInput {
    std::string name;
    std::string uuid;
    std::string document;
    bool encryption_required = false;
    std::optional<SamlPrivateKey> key;
    Tags tags;
  };
  Result<const SamlProvider*> CreateSamlProvider(CreateSamlProviderInput in, ChangeSet& out);
  // NoSuchEntity ("Manifest not found for arn ARN", AWS's) for anything that is not the ARN of
  // a SAML provider here.
  Result<const SamlProvider*> GetSamlProvider(std::string_view arn) const;
  // Absent members change nothing; at least one must be there (InvalidInput). A key is added
  // or removed, not both (InvalidInput); at most kMaxSamlPrivateKeys (LimitExceeded); Required
  // encryption needs a key left (InvalidInput); removing an unknown key ID is InvalidInput.
  struct UpdateSamlProviderInput {
    std::optional<std::string> document;
    std::optional<bool> encryption_required;
    std::optional<SamlPrivateKey> add_key;
    std::optional<std::string> remove_key_id;
  };
  Result<const SamlProvider*> UpdateSamlProvider(std::string_view arn, UpdateSamlProviderInput in,
                                                 ChangeSet& out);
  Status DeleteSamlProvider(std::string_view arn, ChangeSet& out);
  Status TagSamlProvider(std::string_view arn, const Tags& tags, ChangeSet& out);
  Status UntagSamlProvider(std::string_view arn, std::span<const std::string> keys,
                           ChangeSet& out);
  const NameMap<std::unique_ptr<SamlProvider>>& saml_providers() const { return saml_providers_; }

  // The user, role or group whose ARN is `arn` (this account, exact path, name in any case);
  // nullptr if there is none.
  const PolicyOwner* FindPrincipalByArn(std::string_view arn) const;
  // The ARN of an owner found that way.
  std::string_view OwnerArn(const PolicyOwner& owner) const;

  // Lookups by ID (for records and session tokens).
  const Role* FindRoleById(std::string_view id) const;

  // ---- the account's alias and password policy (model/account.cc) ----
  // CreateAccountAlias: an account has at most one alias, and a new one replaces it.
  Status SetAccountAlias(std::string_view alias, ChangeSet& out);
  // NoSuchEntity unless `alias` is the account's alias.
  Status DeleteAccountAlias(std::string_view alias, ChangeSet& out);
  const std::optional<std::string>& account_alias() const { return account_alias_; }
  Status SetPasswordPolicy(const PasswordPolicy& policy, ChangeSet& out);
  // NoSuchEntity if the account has none (each with AWS's own wording).
  Result<const PasswordPolicy*> GetPasswordPolicy() const;
  Status DeletePasswordPolicy(ChangeSet& out);
  // PasswordPolicyViolation unless `password` meets the account's password policy or, without
  // one, AWS's default policy's length (8).
  Status CheckPassword(std::string_view password) const;
  // When the account was created: the first start of a data folder records it (IamService),
  // for the root user's row of the credential report. Recording it again changes nothing.
  Status SetAccountCreated(int64_t millis, ChangeSet& out);
  std::optional<int64_t> account_created_millis() const { return account_created_millis_; }
  // The credential report: one per account, replaced by the next one; the moto-style reset
  // removes it with the users it lists.
  Status SetCredentialReport(CredentialReport report, ChangeSet& out);
  const std::optional<CredentialReport>& credential_report() const { return credential_report_; }
  // Which session tokens the global STS endpoint issues (SetSecurityTokenServicePreferences):
  // 1 (v1Token, valid only in regions enabled by default; AWS's default) or 2 (v2Token).
  Status SetGlobalEndpointTokenVersion(int version, ChangeSet& out);
  int global_endpoint_token_version() const { return global_endpoint_token_version_; }
  // Outbound identity federation. Enable: FeatureEnabled (409) if it is enabled already; else it
  // is enabled with the issuer and keys it had, or, the first time, with `made` (which must
  // have an issuer and keys). Disable: FeatureDisabled (404) unless it is enabled.
  Status EnableOutboundFederation(const OutboundFederation& made, ChangeSet& out);
  Status DisableOutboundFederation(ChangeSet& out);
  // nullopt until the first Enable.
  const std::optional<OutboundFederation>& outbound_federation() const {
    return outbound_federation_;
  }

 private:
  template <typename T>
  friend struct EntityTable;

  Result<Role*> MutableRole(std::string_view name);
  Result<InstanceProfile*> MutableProfile(std::string_view name);
  Result<User*> MutableUser(std::string_view name);
  // What a user owns under its own ID (access keys, signing certificates, SSH keys): the
  // entity `id` of `map` if the user named `user` owns it; NoSuchEntity for a missing user, and
  // `missing(id)` for an ID that is not the user's (another user's is as good as absent).
  template <typename Entity>
  Result<const Entity*> FindOwned(const StringMap<std::unique_ptr<Entity>>& map,
                                  std::string_view user, std::string_view id,
                                  std::unexpected<Error> (*missing)(std::string_view)) const;
  // Activates or deactivates such an entity (UpdateAccessKey and the like).
  template <typename Entity>
  Status SetOwnedActive(const StringMap<std::unique_ptr<Entity>>& map, std::string_view user,
                        std::string_view id, bool active,
                        std::unexpected<Error> (*missing)(std::string_view), ChangeSet& out);
  // Adds such an entity, active and uploaded now, from `r` (its ID, user and contents set).
  template <typename Entity, typename Record>
  Result<const Entity*> AddOwned(const StringMap<std::unique_ptr<Entity>>& map, Record r,
                                 ChangeSet& out);
  // Removes such an entity: `Key` is its record's key.
  template <typename Key, typename Entity>
  Status RemoveOwned(const StringMap<std::unique_ptr<Entity>>& map, std::string_view user,
                     std::string_view id, std::unexpected<Error> (*missing)(std::string_view),
                     ChangeSet& out);
  Result<Group*> MutableGroup(std::string_view name);
  Result<ManagedPolicy*> MutableLocalPolicy(std::string_view arn);
  // GetOidcProvider, with DeleteOpenIDConnectProvider's NoSuchEntity wording if `for_delete`.
  Result<const OidcProvider*> FindOidcProvider(std::string_view arn, bool for_delete) const;
  Result<PolicyOwner*> MutableOwner(OwnerKind kind, std::string_view name);
  Result<const PolicyOwner*> FindOwner(OwnerKind kind, std::string_view name) const;
  const PolicyOwner* FindOwnerById(OwnerKind kind, std::string_view id) const;
  PolicyOwner* FindOwnerById(OwnerKind kind, std::string_view id);
  std::string_view OwnerId(const PolicyOwner& owner) const;
  std::string_view OwnerName(const PolicyOwner& owner) const;
  // The "ARN\tID\n" bindings of a trust policy's principals (see RoleRecord); MalformedPolicyDocument
  // for a user or role of this account that does not exist.
  Result<std::string> BindTrustPrincipals(const policy::Policy& trust) const;
  // Checks that `arn` names a policy usable as a permissions boundary (AWS or customer managed).
  Status CheckBoundaryArn(std::string_view arn) const;
  // Adjusts boundary usage counts when an entity's boundary changes from `from` to `to`.
  void CountBoundary(std::string_view from, std::string_view to);
  void CountAttachment(std::string_view arn, int64_t delta);

  // Emits a change: applies it to memory and appends it to `out`.
  Status Emit(Change change, ChangeSet& out);
  // RecordRoleUse and RecordAccessKeyUse: emits a copy of `entity`'s record with `set` applied
  // to it, unless the entity is gone (nullptr) or already shows a use at `millis` or later.
  template <typename Entity, typename Set>
  void EmitLaterUse(const Entity* entity, int64_t millis, Set set, ChangeSet& out) {
    if (!entity || entity->rec.last_used_millis >= millis) return;
    auto record = entity->rec;
    record.last_used_millis = millis;
    set(record);
    // Applying an entity's own record with only its last use changed cannot fail.
    [[maybe_unused]] Status applied = Emit(std::move(record), out);
  }
  // The Tag* and Untag* operations of every taggable entity: `found` is the lookup's result
  // (an entity pointer or its error); a copy of the entity's record gets the tags merged
  // (errors as internal::MergeTags, for an entity of `kind`) or removed, and is emitted.
  // Defined in internal/tagging.h.
  template <typename Found>
  Status TagFound(const Found& found, const Tags& tags, std::string_view kind, ChangeSet& out);
  template <typename Found>
  Status UntagFound(const Found& found, std::span<const std::string> keys, bool case_sensitive,
                    ChangeSet& out);

  Status ApplyRecord(const RoleRecord& r);
  Status ApplyRecord(const InstanceProfileRecord& r);
  Status ApplyRecord(const ManagedPolicyRecord& r);
  Status ApplyRecord(const PolicyVersionRecord& r);
  Status ApplyRecord(const InlinePolicyRecord& r);
  Status ApplyRecord(const AttachmentRecord& r);
  Status ApplyRecord(const UserRecord& r);
  Status ApplyRecord(const GroupRecord& r);
  Status ApplyRecord(const GroupMembershipRecord& r);
  Status ApplyRecord(const AccessKeyRecord& r);
  Status ApplyRecord(const LoginProfileRecord& r);
  Status ApplyRecord(const DeletionTaskRecord& r);
  Status ApplyRecord(const OidcProviderRecord& r);
  Status ApplyRecord(const Removed<RoleKey>& r);
  Status ApplyRecord(const Removed<InstanceProfileKey>& r);
  Status ApplyRecord(const Removed<ManagedPolicyKey>& r);
  Status ApplyRecord(const Removed<PolicyVersionKey>& r);
  Status ApplyRecord(const Removed<InlinePolicyKey>& r);
  Status ApplyRecord(const Removed<AttachmentKey>& r);
  Status ApplyRecord(const Removed<UserKey>& r);
  Status ApplyRecord(const Removed<GroupKey>& r);
  Status ApplyRecord(const Removed<GroupMembershipKey>& r);
  Status ApplyRecord(const Removed<AccessKeyKey>& r);
  Status ApplyRecord(const SigningCertificateRecord& r);
  Status ApplyRecord(const Removed<SigningCertificateKey>& r);
  Status ApplyRecord(const SshPublicKeyRecord& r);
  Status ApplyRecord(const Removed<SshPublicKeyKey>& r);
  Status ApplyRecord(const SamlProviderRecord& r);
  Status ApplyRecord(const Removed<SamlProviderKey>& r);
  Result<SamlProvider*> MutableSamlProvider(std::string_view arn);
  Status ApplyRecord(const ServiceCredentialRecord& r);
  Status ApplyRecord(const Removed<ServiceCredentialKey>& r);
  Status ApplyRecord(const ServerCertificateRecord& r);
  Status ApplyRecord(const Removed<ServerCertificateKey>& r);
  Result<ServerCertificate*> MutableServerCertificate(std::string_view name);
  Status ApplyRecord(const MfaDeviceRecord& r);
  Status ApplyRecord(const Removed<MfaDeviceKey>& r);
  Result<MfaDevice*> MutableMfaDevice(std::string_view serial);
  // The device `serial` enabled for the user named `user` (NoSuchEntity otherwise).
  Result<MfaDevice*> UsersMfaDevice(std::string_view user, std::string_view serial);
  Status ApplyRecord(const Removed<LoginProfileKey>& r);
  Status ApplyRecord(const Removed<DeletionTaskKey>& r);
  Status ApplyRecord(const Removed<OidcProviderKey>& r);
  Status ApplyRecord(const AccountSettingRecord& r);
  Status ApplyRecord(const Removed<AccountSettingKey>& r);

  std::string account_id_;
  const Clock& clock_;
  IdSource& ids_;

  // Entities by lower-cased name (IAM names are unique regardless of case); sorted for listing.
  NameMap<std::unique_ptr<Role>> roles_;
  NameMap<std::unique_ptr<InstanceProfile>> profiles_;
  NameMap<std::unique_ptr<ManagedPolicy>> policies_;
  NameMap<std::unique_ptr<User>> users_;
  NameMap<std::unique_ptr<Group>> groups_;
  StringMap<std::unique_ptr<AccessKey>> access_keys_;
  StringMap<std::unique_ptr<SigningCertificate>> certificates_;
  StringMap<std::unique_ptr<SshPublicKey>> ssh_keys_;
  StringMap<std::unique_ptr<ServiceCredential>> service_credentials_;
  std::map<std::string, std::unique_ptr<MfaDevice>, std::less<>> mfa_devices_;  // by serial
  NameMap<std::unique_ptr<ServerCertificate>> server_certificates_;
  NameMap<std::unique_ptr<SamlProvider>> saml_providers_;
  StringMap<ServerCertificate*> server_certificates_by_id_;
  StringMap<DeletionTaskRecord> deletion_tasks_;
  // By URL (case-sensitive), as in OidcProviderRecord.
  std::map<std::string, std::unique_ptr<OidcProvider>, std::less<>> oidc_providers_;
  // By ID.
  StringMap<Role*> roles_by_id_;
  StringMap<InstanceProfile*> profiles_by_id_;
  StringMap<ManagedPolicy*> policies_by_id_;
  StringMap<User*> users_by_id_;
  StringMap<Group*> groups_by_id_;
  StringMap<AwsPolicyUsage> aws_usage_;
  std::optional<std::string> account_alias_;
  std::optional<PasswordPolicy> password_policy_;
  std::optional<int64_t> account_created_millis_;
  std::optional<CredentialReport> credential_report_;
  int global_endpoint_token_version_ = 1;
  std::optional<OutboundFederation> outbound_federation_;
};

// Size of a policy as IAM counts it against quotas: characters other than white space.
size_t PolicySize(std::string_view document);

// The ARN of the service-linked role CreateServiceLinkedRole makes for `service` (with
// `custom_suffix` if not empty); "" for a service without one.
std::string ServiceLinkedRoleArn(std::string_view account, std::string_view service,
                                 std::string_view custom_suffix);

// Name of the kind for messages: "role", "user", "group".
std::string_view OwnerKindName(OwnerKind kind);

}  // namespace iamd::model
