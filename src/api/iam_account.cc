// Handlers: the account's alias and password policy. The rules and AWS's messages are in
// src/model/account.cc.
#include "api/iam_handlers.h"

namespace iamd::api {

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

}  // namespace iamd::api
