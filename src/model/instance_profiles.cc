// Instance profiles.
#include "common/strings.h"
#include "model/internal/messages.h"
#include "model/internal/tagging.h"
#include "model/state.h"

namespace iamd::model {

using internal::NoSuchInstanceProfile;

Result<InstanceProfile*> State::MutableProfile(std::string_view name) {
  auto it = profiles_.find(name);
  if (it == profiles_.end()) return NoSuchInstanceProfile(name);
  return it->second.get();
}

Result<const InstanceProfile*> State::GetInstanceProfile(std::string_view name) const {
  auto it = profiles_.find(name);
  if (it == profiles_.end()) return NoSuchInstanceProfile(name);
  return it->second.get();
}

Result<const InstanceProfile*> State::CreateInstanceProfile(std::string_view name,
                                                            std::string_view path,
                                                            const Tags& tags, ChangeSet& out) {
  Tags merged;
  IAMD_TRY(internal::MergeTags(merged, tags, "InstanceProfile"));
  if (profiles_.contains(name))
    return Fail(ErrorCode::kEntityAlreadyExists,
                "Instance Profile " + std::string(name) + " already exists.");
  InstanceProfileRecord r;
  r.id = ids_.NewUniqueId(kInstanceProfileIdPrefix);
  r.name = std::string(name);
  r.path = std::string(path);
  r.create_millis = clock_.NowMillis() / 1000 * 1000;
  r.tags = std::move(merged);
  std::string id = r.id;
  IAMD_TRY(Emit(std::move(r), out));
  return profiles_by_id_.at(id);
}

Status State::DeleteInstanceProfile(std::string_view name, ChangeSet& out) {
  auto profile = MutableProfile(name);
  if (!profile) return std::unexpected(profile.error());
  if ((*profile)->role)
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, must remove roles from instance profile first.");
  return Emit(Removed<InstanceProfileKey>{{(*profile)->rec.id}}, out);
}

Status State::AddRoleToInstanceProfile(std::string_view profile_name, std::string_view role_name,
                                       ChangeSet& out) {
  auto profile = MutableProfile(profile_name);
  if (!profile) return std::unexpected(profile.error());
  auto role = MutableRole(role_name);
  if (!role) return std::unexpected(role.error());
  if ((*profile)->role)  // kMaxRolesPerInstanceProfile is 1
    return Fail(ErrorCode::kLimitExceeded,
                "Cannot exceed quota for InstanceSessionsPerInstanceProfile: " +
                    std::to_string(kMaxRolesPerInstanceProfile));
  InstanceProfileRecord r = (*profile)->rec;
  r.role_id = (*role)->rec.id;
  return Emit(std::move(r), out);
}

Status State::RemoveRoleFromInstanceProfile(std::string_view profile_name,
                                            std::string_view role_name, ChangeSet& out) {
  auto profile = MutableProfile(profile_name);
  if (!profile) return std::unexpected(profile.error());
  auto role = MutableRole(role_name);
  if (!role) return std::unexpected(role.error());
  if ((*profile)->role != *role)
    return Fail(ErrorCode::kNoSuchEntity, "Role " + std::string(role_name) +
                                              " in Instance Profile " +
                                              std::string(profile_name) + " cannot be found.");
  InstanceProfileRecord r = (*profile)->rec;
  r.role_id.clear();
  return Emit(std::move(r), out);
}

Status State::TagInstanceProfile(std::string_view name, const Tags& tags, ChangeSet& out) {
  return TagFound(MutableProfile(name), tags, "InstanceProfile", out);
}

Status State::UntagInstanceProfile(std::string_view name, std::span<const std::string> keys,
                                   ChangeSet& out) {
  return UntagFound(MutableProfile(name), keys, /*case_sensitive=*/false, out);
}

}  // namespace iamd::model
