// Handlers: the account's alias, password policy and credential report. The rules and AWS's
// messages of the first two are in src/model/account.cc.
//
// The credential report, as AWS documents and records it:
//  - its columns and values: IAM User Guide, "Generate credential reports for your AWS account"
//    (the 22 columns in their order; the root user as <root_account>; not_supported,
//    no_information and N/A), and reports downloaded from AWS as kept in public test fixtures
//    (dates as 2017-06-10T02:35:07+00:00, booleans as true/false, one line per user by name);
//  - GenerateCredentialReport: STARTED with "No report exists. Starting a new report generation
//    task" (AWS CLI reference example), then COMPLETE without a Description
//    (prowler-cloud/prowler#272); a report is made at most once every four hours and is good
//    for four hours (IAM User Guide; amazon-archives/aws-security-benchmark#44);
//  - GetCredentialReport before any report: ReportNotPresent, 410, with no Message (LocalStack's
//    AWS-validated snapshot test_iam_credential_report, February 2026). ReportExpired is
//    answered the same way (its message is not recorded anywhere I found).
// iamd makes the report at once, so it never answers ReportInProgress.
#include "api/iam_handlers.h"
#include "common/strings.h"
#include "common/time.h"

namespace iamd::api {
namespace {

constexpr int64_t kReportLifetimeMillis = 4 * 3600 * 1000;

// 2017-06-10T02:35:07+00:00, as credential reports write dates.
std::string ReportDate(int64_t millis) {
  std::string text = FormatIso8601(millis);  // ...Z
  text.pop_back();
  return text + "+00:00";
}

std::string_view ReportBool(bool value) { return value ? "true" : "false"; }

// The report's CSV for the state now: the root user, then every user by name.
std::string BuildCredentialReport(const Call& c) {
  const model::State& state = c.state;
  std::string csv =
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
      "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
      "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
      "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
      "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
      "cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n";
  // RFC 4180: a value with a comma, a quote or a line break is quoted (user names may hold
  // commas, paths quotes), its quotes doubled.
  auto field = [&csv](std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
      csv += value;
    } else {
      csv += '"';
      for (char ch : value) {
        if (ch == '"') csv += '"';
        csv += ch;
      }
      csv += '"';
    }
    csv += ',';
  };
  // The root user: its password is the console's, not IAM's; its access key is iamd's root key.
  field("<root_account>");
  field("arn:aws:iam::" + state.account_id() + ":root");
  field(state.account_created_millis() ? ReportDate(*state.account_created_millis()) : "N/A");
  field("not_supported");
  field("no_information");
  field("not_supported");
  field("not_supported");
  field("false");
  field(ReportBool(!c.config.root_access_key_id.empty()));
  csv += "N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";

  int64_t max_age_days = 0;  // passwords do not expire
  if (auto policy = state.GetPasswordPolicy(); policy && (*policy)->max_age_days)
    max_age_days = *(*policy)->max_age_days;
  for (const auto& [key, user] : state.users()) {
    const model::UserRecord& u = user->rec;
    field(u.name);
    field(user->arn);
    field(ReportDate(u.create_millis));
    const auto& login = user->login_profile;
    field(ReportBool(login.has_value()));
    if (u.password_last_used_millis)
      field(ReportDate(u.password_last_used_millis));
    else
      field(login ? "no_information" : "N/A");
    field(login ? ReportDate(login->create_millis) : "N/A");
    field(login && max_age_days > 0 ? ReportDate(login->create_millis + max_age_days * 86400000)
                                    : "N/A");
    field(ReportBool(!user->mfa_devices.empty()));
    for (size_t i = 0; i < 2; ++i) {
      if (i >= user->access_keys.size()) {
        csv += "false,N/A,N/A,N/A,N/A,";
        continue;
      }
      const model::AccessKey& k = *user->access_keys[i];
      field(ReportBool(k.rec.active));
      field(ReportDate(k.rec.create_millis));
      if (std::optional<UsageTracker::Use> used = LastKeyUse(c.usage, k)) {
        field(ReportDate(used->millis));
        field(used->region);
        field(used->service);
      } else {
        csv += "N/A,N/A,N/A,";
      }
    }
    // Signing certificates in the order uploaded (a user has at most two).
    auto certs = InUploadOrder(user->certificates);
    auto cert = certs.begin();
    for (size_t i = 0; i < 2; ++i) {
      if (cert != certs.end()) {
        field(ReportBool(cert->second->rec.active));
        csv += ReportDate(cert->second->rec.upload_millis);
        ++cert;
      } else {
        csv += "false,N/A";
      }
      csv += i == 1 ? '\n' : ',';
    }
  }
  return csv;
}

}  // namespace

Status CreateAccountAlias(Call& c) {
  return c.mut->SetAccountAlias(c.p.Str("AccountAlias"), c.changes);
}

Status DeleteAccountAlias(Call& c) {
  return c.mut->DeleteAccountAlias(c.p.Str("AccountAlias"), c.changes);
}

Status ListAccountAliases(Call& c) {
  // At most one alias; Marker and MaxItems work as on every list.
  std::vector<std::string> keys;
  if (const auto& alias = c.state.account_alias()) keys.push_back(*alias);
  return WritePage(c, keys, "AccountAliases",
                   [&](size_t i) { c.xml.Element("member", keys[i]); });
}

Status UpdateAccountPasswordPolicy(Call& c) {
  // Every parameter not given takes AWS's default: an update replaces the whole policy.
  model::PasswordPolicy p;
  p.minimum_length = c.p.OptInt("MinimumPasswordLength").value_or(6);
  p.require_symbols = c.p.OptBool("RequireSymbols").value_or(false);
  p.require_numbers = c.p.OptBool("RequireNumbers").value_or(false);
  p.require_uppercase = c.p.OptBool("RequireUppercaseCharacters").value_or(false);
  p.require_lowercase = c.p.OptBool("RequireLowercaseCharacters").value_or(false);
  p.allow_users_to_change = c.p.OptBool("AllowUsersToChangePassword").value_or(false);
  p.max_age_days = c.p.OptInt("MaxPasswordAge");
  if (p.max_age_days == 0) p.max_age_days.reset();  // 0: passwords never expire
  p.reuse_prevention = c.p.OptInt("PasswordReusePrevention");
  if (p.reuse_prevention == 0) p.reuse_prevention.reset();
  p.hard_expiry = c.p.OptBool("HardExpiry");
  return c.mut->SetPasswordPolicy(p, c.changes);
}

Status GetAccountPasswordPolicy(Call& c) {
  auto policy = c.state.GetPasswordPolicy();
  if (!policy) return std::unexpected(policy.error());
  const model::PasswordPolicy& p = **policy;
  c.xml.Open("PasswordPolicy");
  c.xml.Element("MinimumPasswordLength", p.minimum_length);
  c.xml.Bool("RequireSymbols", p.require_symbols);
  c.xml.Bool("RequireNumbers", p.require_numbers);
  c.xml.Bool("RequireUppercaseCharacters", p.require_uppercase);
  c.xml.Bool("RequireLowercaseCharacters", p.require_lowercase);
  c.xml.Bool("AllowUsersToChangePassword", p.allow_users_to_change);
  c.xml.Bool("ExpirePasswords", p.max_age_days.has_value());
  if (p.max_age_days) c.xml.Element("MaxPasswordAge", *p.max_age_days);
  if (p.reuse_prevention) c.xml.Element("PasswordReusePrevention", *p.reuse_prevention);
  if (p.hard_expiry) c.xml.Bool("HardExpiry", *p.hard_expiry);
  c.xml.Close("PasswordPolicy");
  return {};
}

Status DeleteAccountPasswordPolicy(Call& c) { return c.mut->DeletePasswordPolicy(c.changes); }

Status GenerateCredentialReport(Call& c) {
  const int64_t now = c.clock.NowMillis() / 1000 * 1000;
  const auto& report = c.state.credential_report();
  if (report && now - report->generated_millis < kReportLifetimeMillis) {
    c.xml.Element("State", "COMPLETE");
    return {};
  }
  IAMD_TRY(c.mut->SetCredentialReport({now, BuildCredentialReport(c)}, c.changes));
  c.xml.Element("State", "STARTED");
  c.xml.Element("Description", "No report exists. Starting a new report generation task");
  return {};
}

Status GetCredentialReport(Call& c) {
  const auto& report = c.state.credential_report();
  if (!report) return Fail(ErrorCode::kReportNotPresent, "");
  if (c.clock.NowMillis() - report->generated_millis >= kReportLifetimeMillis)
    return Fail(ErrorCode::kReportExpired, "");
  c.xml.Element("Content", Base64Encode(report->csv));
  c.xml.Element("ReportFormat", "text/csv");
  WriteDate(c.xml, "GeneratedTime", report->generated_millis);
  return {};
}

// The version is stored and shown (GetAccountSummary's GlobalEndpointTokenVersion); iamd's
// session tokens are valid in every region either way.
Status SetSecurityTokenServicePreferences(Call& c) {
  return c.mut->SetGlobalEndpointTokenVersion(
      c.p.Str("GlobalEndpointTokenVersion") == "v2Token" ? 2 : 1, c.changes);
}

// Centralized root access (ListOrganizationsFeatures, Enable/DisableOrganizationsRootCredentials-
// Management, Enable/DisableOrganizationsRootSessions) is a feature of an AWS Organizations
// organization's management account; an iamd account is a standalone account, in no
// organization. Code from the service model; the message is the model's description of it.
namespace {
Status NoOrganization() {
  return Fail(ErrorCode::kOrganizationNotFound,
              "The request was rejected because no organization is associated with your "
              "account.");
}
}  // namespace

Status ListOrganizationsFeatures(Call&) { return NoOrganization(); }
Status EnableOrganizationsRootCredentialsManagement(Call&) { return NoOrganization(); }
Status DisableOrganizationsRootCredentialsManagement(Call&) { return NoOrganization(); }
Status EnableOrganizationsRootSessions(Call&) { return NoOrganization(); }
Status DisableOrganizationsRootSessions(Call&) { return NoOrganization(); }

}  // namespace iamd::api
