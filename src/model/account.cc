// The account as a whole: its alias, its password policy, when it was created, its credential
// report and outbound identity federation, each one AccountSettingRecord.
//
// AWS's behaviour and messages used here, and where each was recorded:
//  - LocalStack's AWS-validated snapshots (tests/aws/services/iam/, recorded against AWS in
//    February 2026): UpdateAccountPasswordPolicy without parameters gives MinimumPasswordLength
//    6 and every flag false, with no MaxPasswordAge, PasswordReusePrevention or HardExpiry;
//    GetAccountPasswordPolicy without a policy is NoSuchEntity (404) "The Password Policy with
//    domain name ACCOUNT cannot be found."; DeleteAccountPasswordPolicy without one is
//    NoSuchEntity "The account policy with name PasswordPolicy cannot be found.".
//  - floci-io/floci#2103 (observed on AWS): CreateAccountAlias replaces the alias an account
//    has; DeleteAccountAlias with another name is NoSuchEntity.
//  - The IAM User Guide, "Set an account password policy for IAM users": the symbols a policy
//    can require; "Default password policy": 8 characters when the account has no policy.
//  - radkawar/stackd testdata/aws/iam/outbound_issuance.json (recorded on AWS, September 2026):
//    "Outbound identity federation is already enabled for account ACCOUNT" (FeatureEnabled),
//    "... is already disabled ..." (FeatureDisabled); the issuer is the same after Disable and
//    Enable.
// The wording of DeleteAccountAlias's NoSuchEntity and of the character-class violations is
// iamd's, in the style of AWS's "Password should have a minimum length of 8".
#include <charconv>

#include "common/strings.h"
#include "model/internal/messages.h"
#include "model/state.h"

namespace iamd::model {

using internal::Inconsistent;
namespace {

constexpr std::string_view kAliasSetting = "alias";
constexpr std::string_view kPasswordPolicySetting = "password_policy";
constexpr std::string_view kAccountCreatedSetting = "account_created";
constexpr std::string_view kCredentialReportSetting = "credential_report";
constexpr std::string_view kTokenVersionSetting = "sts_token_version";  // "1" or "2"
constexpr std::string_view kOutboundFederationSetting = "outbound_federation";
constexpr std::string_view kSymbols = "!@#$%^&*()_+-=[]{}|'";

// The stored form: one "key=value" line per field; optional fields only when set.
std::string Encode(const PasswordPolicy& p) {
  std::string out;
  auto field = [&out](std::string_view key, int64_t value) {
    out.append(key).append("=").append(std::to_string(value)).append("\n");
  };
  field("minimum_length", p.minimum_length);
  field("require_symbols", p.require_symbols);
  field("require_numbers", p.require_numbers);
  field("require_uppercase", p.require_uppercase);
  field("require_lowercase", p.require_lowercase);
  field("allow_users_to_change", p.allow_users_to_change);
  if (p.max_age_days) field("max_age_days", *p.max_age_days);
  if (p.reuse_prevention) field("reuse_prevention", *p.reuse_prevention);
  if (p.hard_expiry) field("hard_expiry", *p.hard_expiry);
  return out;
}

std::optional<PasswordPolicy> Decode(std::string_view text) {
  PasswordPolicy p;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = line.substr(0, eq), digits = line.substr(eq + 1);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    if (key == "minimum_length") p.minimum_length = v;
    else if (key == "require_symbols") p.require_symbols = v != 0;
    else if (key == "require_numbers") p.require_numbers = v != 0;
    else if (key == "require_uppercase") p.require_uppercase = v != 0;
    else if (key == "require_lowercase") p.require_lowercase = v != 0;
    else if (key == "allow_users_to_change") p.allow_users_to_change = v != 0;
    else if (key == "max_age_days") p.max_age_days = v;
    else if (key == "reuse_prevention") p.reuse_prevention = v;
    else if (key == "hard_expiry") p.hard_expiry = v != 0;
    else return std::nullopt;
  }
  return p;
}

// The stored form of outbound federation: "enabled=0|1", "issuer=URL", and one line per key,
// "key=ALG KID SEALED JWK" with the sealed key and the JWK in base64.
std::string Encode(const OutboundFederation& f) {
  std::string out = f.enabled ? "enabled=1\n" : "enabled=0\n";
  out.append("issuer=").append(f.issuer).append("\n");
  for (const auto& k : f.keys)
    out.append("key=")
        .append(k.algorithm)
        .append(" ")
        .append(k.key_id)
        .append(" ")
        .append(Base64Encode(k.private_key_sealed))
        .append(" ")
        .append(Base64Encode(k.public_jwk))
        .append("\n");
  return out;
}

std::optional<OutboundFederation> DecodeOutboundFederation(std::string_view text) {
  OutboundFederation f;
  bool enabled_seen = false;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line == "enabled=1" || line == "enabled=0") {
      f.enabled = line.back() == '1';
      enabled_seen = true;
    } else if (line.starts_with("issuer=")) {
      f.issuer = std::string(line.substr(7));
    } else if (line.starts_with("key=")) {
      std::vector<std::string_view> fields;
      for (std::string_view rest = line.substr(4);;) {
        const size_t sp = rest.find(' ');
        fields.push_back(rest.substr(0, sp));
        if (sp == std::string_view::npos) break;
        rest = rest.substr(sp + 1);
      }
      if (fields.size() != 4) return std::nullopt;
      auto sealed = Base64Decode(fields[2]);
      auto jwk = Base64Decode(fields[3]);
      if (!sealed || !jwk) return std::nullopt;
      f.keys.push_back(OutboundSigningKey{std::string(fields[0]), std::string(fields[1]),
                                          std::move(*sealed), std::move(*jwk)});
    } else {
      return std::nullopt;
    }
  }
  if (!enabled_seen || f.issuer.empty() || f.keys.empty()) return std::nullopt;
  return f;
}

std::optional<int64_t> ParseMillis(std::string_view digits) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

Status State::SetAccountAlias(std::string_view alias, ChangeSet& out) {
  if (account_alias_ == alias) return {};
  return Emit(AccountSettingRecord{std::string(kAliasSetting), std::string(alias)}, out);
}

Status State::DeleteAccountAlias(std::string_view alias, ChangeSet& out) {
  if (account_alias_ != alias)
    return Fail(ErrorCode::kNoSuchEntity,
                "The account alias " + std::string(alias) + " cannot be found.");
  return Emit(Removed<AccountSettingKey>{{std::string(kAliasSetting)}}, out);
}

Status State::SetPasswordPolicy(const PasswordPolicy& policy, ChangeSet& out) {
  return Emit(AccountSettingRecord{std::string(kPasswordPolicySetting), Encode(policy)}, out);
}

Result<const PasswordPolicy*> State::GetPasswordPolicy() const {
  if (!password_policy_)
    return Fail(ErrorCode::kNoSuchEntity,
                "The Password Policy with domain name " + account_id_ + " cannot be found.");
  return &*password_policy_;
}

Status State::DeletePasswordPolicy(ChangeSet& out) {
  if (!password_policy_)
    return Fail(ErrorCode::kNoSuchEntity,
                "The account policy with name PasswordPolicy cannot be found.");
  return Emit(Removed<AccountSettingKey>{{std::string(kPasswordPolicySetting)}}, out);
}

Status State::CheckPassword(std::string_view password) const {
  const int64_t minimum = password_policy_ ? password_policy_->minimum_length : 8;
  auto violation = [](std::string message) {
    return Fail(ErrorCode::kPasswordPolicyViolation, std::move(message));
  };
  if (static_cast<int64_t>(password.size()) < minimum)
    return violation("Password should have a minimum length of " + std::to_string(minimum));
  if (!password_policy_) return {};
  const PasswordPolicy& p = *password_policy_;
  auto any = [password](auto predicate) {
    for (char c : password)
      if (predicate(c)) return true;
    return false;
  };
  if (p.require_uppercase && !any([](char c) { return c >= 'A' && c <= 'Z'; }))
    return violation("Password should have at least one uppercase letter");
  if (p.require_lowercase && !any([](char c) { return c >= 'a' && c <= 'z'; }))
    return violation("Password should have at least one lowercase letter");
  if (p.require_numbers && !any([](char c) { return c >= '0' && c <= '9'; }))
    return violation("Password should have at least one number");
  if (p.require_symbols &&
      !any([](char c) { return kSymbols.find(c) != std::string_view::npos; }))
    return violation("Password should have at least one symbol");
  return {};
}

Status State::SetAccountCreated(int64_t millis, ChangeSet& out) {
  if (account_created_millis_) return {};
  return Emit(AccountSettingRecord{std::string(kAccountCreatedSetting), std::to_string(millis)},
              out);
}

Status State::SetCredentialReport(CredentialReport report, ChangeSet& out) {
  // Stored as "<generated millis>\n<csv>".
  std::string value = std::to_string(report.generated_millis);
  value += '\n';
  value += report.csv;
  return Emit(AccountSettingRecord{std::string(kCredentialReportSetting), std::move(value)}, out);
}

Status State::SetGlobalEndpointTokenVersion(int version, ChangeSet& out) {
  if (version == global_endpoint_token_version_) return {};
  return Emit(AccountSettingRecord{std::string(kTokenVersionSetting), std::to_string(version)},
              out);
}

Status State::EnableOutboundFederation(const OutboundFederation& made, ChangeSet& out) {
  if (outbound_federation_ && outbound_federation_->enabled)
    return Fail(ErrorCode::kFeatureEnabled,
                "Outbound identity federation is already enabled for account " + account_id_);
  OutboundFederation f = outbound_federation_ ? *outbound_federation_ : made;
  if (f.issuer.empty() || f.keys.empty())
    return Fail(ErrorCode::kServiceFailure, "outbound federation without an issuer or keys");
  f.enabled = true;
  return Emit(AccountSettingRecord{std::string(kOutboundFederationSetting), Encode(f)}, out);
}

Status State::DisableOutboundFederation(ChangeSet& out) {
  if (!outbound_federation_ || !outbound_federation_->enabled)
    return Fail(ErrorCode::kFeatureDisabled,
                "Outbound identity federation is already disabled for account " + account_id_);
  OutboundFederation f = *outbound_federation_;
  f.enabled = false;
  return Emit(AccountSettingRecord{std::string(kOutboundFederationSetting), Encode(f)}, out);
}

Status State::ApplyRecord(const AccountSettingRecord& r) {
  if (r.name == kAliasSetting) {
    account_alias_ = r.value;
    return {};
  }
  if (r.name == kPasswordPolicySetting) {
    std::optional<PasswordPolicy> policy = Decode(r.value);
    if (!policy) return Inconsistent("unreadable password policy");
    password_policy_ = *policy;
    return {};
  }
  if (r.name == kAccountCreatedSetting) {
    std::optional<int64_t> millis = ParseMillis(r.value);
    if (!millis) return Inconsistent("unreadable account creation time");
    account_created_millis_ = *millis;
    return {};
  }
  if (r.name == kCredentialReportSetting) {
    const size_t nl = r.value.find('\n');
    std::optional<int64_t> millis = nl == std::string::npos
                                        ? std::nullopt
                                        : ParseMillis(std::string_view(r.value).substr(0, nl));
    if (!millis) return Inconsistent("unreadable credential report");
    credential_report_ = CredentialReport{*millis, r.value.substr(nl + 1)};
    return {};
  }
  if (r.name == kTokenVersionSetting) {
    if (r.value != "1" && r.value != "2") return Inconsistent("unreadable STS token version");
    global_endpoint_token_version_ = r.value[0] - '0';
    return {};
  }
  if (r.name == kOutboundFederationSetting) {
    std::optional<OutboundFederation> f = DecodeOutboundFederation(r.value);
    if (!f) return Inconsistent("unreadable outbound federation setting");
    outbound_federation_ = std::move(*f);
    return {};
  }
  return Inconsistent("unknown account setting " + r.name);
}

Status State::ApplyRecord(const Removed<AccountSettingKey>& r) {
  if (r.key.name == kAliasSetting && account_alias_) {
    account_alias_.reset();
    return {};
  }
  if (r.key.name == kPasswordPolicySetting && password_policy_) {
    password_policy_.reset();
    return {};
  }
  if (r.key.name == kCredentialReportSetting && credential_report_) {
    credential_report_.reset();
    return {};
  }
  if (r.key.name == kTokenVersionSetting) {
    global_endpoint_token_version_ = 1;
    return {};
  }
  if (r.key.name == kOutboundFederationSetting && outbound_federation_) {
    outbound_federation_.reset();
    return {};
  }
  return Inconsistent("removing unknown account setting " + r.key.name);
}

}  // namespace iamd::model
