// Internal to src/api: deciding whether the caller may perform an action, with the policy
// engine, and AWS's AccessDenied messages.
//
// Everything here runs under the model lock and borrows from the model: results must not
// outlive the lock.
#pragma once

#include <forward_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/handlers.h"
#include "policy/context.h"
#include "policy/evaluator.h"

namespace iamd::api {

// Owns the strings that a RequestContext and a policy::Request point into. Allocates nothing
// until a string is kept (most requests keep none).
class Arena {
 public:
  std::string_view Keep(std::string s) { return strings_.emplace_front(std::move(s)); }

 private:
  std::forward_list<std::string> strings_;
};

// The policies that decide for one caller: identity policies (inline, attached, and for users
// their groups'), the permissions boundary, the session policies. Built from the model.
class CallerPolicies {
 public:
  CallerPolicies(const model::State& state, const Caller& caller, Arena& arena);

  // A request for `action` on `resource` with everything about the caller filled in.
  policy::Request MakeRequest(std::string_view action, std::string_view resource,
                              const policy::RequestContext* context) const;
  const policy::Principal& principal() const { return principal_; }
  // False when no policy of the caller has a condition or a policy variable: the request
  // context cannot change the decision, and need not be built.
  bool needs_context() const { return needs_context_; }
  bool is_root() const { return root_; }
  // The tags the caller carries (user tags, or role tags overridden by session tags).
  const std::vector<std::pair<std::string_view, std::string_view>>& principal_tags() const {
    return principal_tags_;
  }

 private:
  void AddManaged(const model::State& state, std::string_view arn,
                  std::vector<policy::PolicySource>& out);
  // An IAM user's policies (its own and its groups'), boundary and tags.
  void AddUser(const model::State& state, const model::User& user);


 public:
  // Vectors a thread reuses from call to call, so that deciding allocates nothing once warm.
  struct Scratch {
    std::vector<policy::PolicySource> identity, boundary, session;
    std::vector<policy::PolicyPtr> keep_alive;  // policies compiled for this call
    std::vector<std::pair<std::string_view, std::string_view>> tags;
  };
  struct ScratchReturn {
    void operator()(Scratch* s) const;
  };
  static std::unique_ptr<Scratch, ScratchReturn> TakeScratch();

 private:
  Arena& arena_;
  bool root_ = false;
  policy::Principal principal_;
  std::unique_ptr<Scratch, ScratchReturn> scratch_ = TakeScratch();
  std::vector<policy::PolicySource>& identity_ = scratch_->identity;
  std::vector<policy::PolicySource>& boundary_ = scratch_->boundary;  // 0 or 1
  std::vector<policy::PolicySource>& session_ = scratch_->session;
  std::vector<policy::PolicyPtr>& keep_alive_ = scratch_->keep_alive;
  std::vector<std::pair<std::string_view, std::string_view>>& principal_tags_ = scratch_->tags;
  bool has_session_policies_ = false;
  bool needs_context_ = false;
};

// How a managed policy is named in a PolicySource: by ARN (AccessDenied messages) or by name
// (the simulator's SourcePolicyId).
enum class ManagedId { kArn, kName };

// Appends the policies of a role, user or group — its inline policies, then the managed policies
// attached to it — to `out`. The sources point into the model: valid while it is locked.
void AppendOwnerPolicies(const model::PolicyOwner& owner, policy::PolicySourceType inline_type,
                         ManagedId id, std::vector<policy::PolicySource>& out);
// Appends one managed policy (compiling an AWS managed policy on first use); false if it has
// no document that compiles.
bool AppendManagedPolicy(const model::PolicyView& view, ManagedId id,
                         std::vector<policy::PolicySource>& out);

// A policy that allows nothing: what an unresolvable permissions boundary or session policy
// stands for, so that it limits rather than disappears.
const policy::PolicySource& AllowsNothing();

// Adds the global context keys of the caller (aws:PrincipalArn, aws:userid, aws:CurrentTime,
// aws:SourceIp, aws:PrincipalTag/..., ...). aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge
// (IAM User Guide, "AWS global condition context keys"): absent for long-term keys, unless the
// request itself carries a checked MFA code (`mfa_millis`: when; AssumeRole with SerialNumber);
// for temporary credentials "false" without MFA, "true" and the seconds since with it.
void AddGlobalContext(const Call& c, const CallerPolicies& policies, policy::RequestContext& ctx,
                      Arena& arena, int64_t mfa_millis = 0);
// The global context keys of the request alone, whoever sends it (part of AddGlobalContext):
// aws:SourceIp, aws:CurrentTime, aws:EpochTime, aws:SecureTransport, aws:RequestedRegion.
void AddRequestContextKeys(const Call& c, policy::RequestContext& ctx);

// AWS's ending of an AccessDenied message for `result`, naming a managed policy that denied.
std::string DenialEnding(const policy::AuthorizationResult& result, std::string_view action);

// "User: ARN is not authorized to perform: ACTION on resource: RESOURCE[ REASON]".
Error AccessDenied(const Caller& caller, std::string_view action, std::string_view resource,
                   std::string_view reason);

// A second authorization some actions need beyond their own (enforce mode; root may do
// everything): `action` on `resource`, with the caller's context and `extra` keys. Examples:
// UpdateUser also on the user's new name; AddRoleToInstanceProfile also iam:PassRole on the
// role. Errors: AccessDenied naming `display`.
Status AuthorizeAlso(const Call& c, std::string_view action, std::string_view resource,
                     std::string_view display,
                     std::span<const std::pair<std::string_view, std::string_view>> extra);
Status AuthorizeAlso(const Call& c, std::string_view action, std::string_view resource,
                     std::string_view display,
                     std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {});

// The generic authorization of every action (enforce mode), before its handler runs: the
// action `service:Name` on the resource of the action's ResourceSpec, with the request's
// context keys. Root may do everything. Errors: AccessDenied with AWS's wording.
Status AuthorizeAction(const Call& c, const ActionDef& def);

}  // namespace iamd::api
