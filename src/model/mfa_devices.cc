// Virtual MFA devices: created unassigned, enabled for one user with two consecutive codes,
// deactivated, resynchronized, deleted once unassigned.
#include <algorithm>

#include "common/arn.h"
#include "model/internal/messages.h"
#include "model/internal/tagging.h"
#include "model/state.h"

namespace iamd::model {

using internal::Inconsistent;
namespace {

constexpr std::string_view kTagKind = "MFADevice";

// AWS's messages as LocalStack's AWS-validated snapshot test_iam_mfa recorded them (February
// 2026): NoSuchEntity for an unknown serial number (DeleteVirtualMFADevice, DeactivateMFADevice),
// EntityAlreadyExists for a second device of the same name and for enabling a device in use.
// InvalidAuthenticationCode's is the console's (403 per botocore's model). iamd's own wording,
// where no recording was found: DeleteConflict for a device still enabled, LimitExceeded (the
// quota of eight devices per user is the IAM User Guide's), and deactivating or resynchronizing
// a device that is not the user's (as for an unknown one).
std::unexpected<Error> NoSuchDevice(std::string_view serial) {
  return Fail(ErrorCode::kNoSuchEntity,
              "MFA Device with serial number " + std::string(serial) + " does not exist.");
}

std::unexpected<Error> CodesRejected() {
  return Fail(ErrorCode::kInvalidAuthenticationCode, "Authentication code for device is not valid.");
}

}  // namespace

std::string State::MfaSerial(std::string_view path, std::string_view name) const {
  return IamArn(account_id_, kMfaResource, path, name);
}

Result<MfaDevice*> State::MutableMfaDevice(std::string_view serial) {
  auto it = mfa_devices_.find(serial);
  if (it == mfa_devices_.end()) return NoSuchDevice(serial);
  return it->second.get();
}

Result<const MfaDevice*> State::GetMfaDevice(std::string_view serial) const {
  auto it = mfa_devices_.find(serial);
  if (it == mfa_devices_.end()) return NoSuchDevice(serial);
  return it->second.get();
}

Result<MfaDevice*> State::UsersMfaDevice(std::string_view user_name, std::string_view serial) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  for (MfaDevice* d : (*user)->mfa_devices)
    if (d->rec.serial == serial) return d;
  return NoSuchDevice(serial);
}

Result<const MfaDevice*> State::CreateVirtualMfaDevice(std::string_view name, std::string_view path,
                                                       std::string seed_sealed, const Tags& tags,
                                                       ChangeSet& out) {
  MfaDeviceRecord r;
  IAMD_TRY(internal::MergeTags(r.tags, tags, kTagKind));
  r.serial = MfaSerial(path, name);
  // Serial numbers, like IAM names, are unique regardless of case.
  for (const auto& [serial, device] : mfa_devices_)
    if (serial.size() == r.serial.size() && !NameLess{}(serial, r.serial) &&
        !NameLess{}(r.serial, serial))
      return Fail(ErrorCode::kEntityAlreadyExists,
                  "MFA device already exists.");
  r.name = std::string(name);
  r.path = std::string(path);
  r.create_millis = clock_.NowMillis() / 1000 * 1000;
  r.seed_sealed = std::move(seed_sealed);
  std::string serial = r.serial;
  IAMD_TRY(Emit(std::move(r), out));
  return mfa_devices_.find(serial)->second.get();
}

Status State::DeleteVirtualMfaDevice(std::string_view serial, ChangeSet& out) {
  auto device = MutableMfaDevice(serial);
  if (!device) return std::unexpected(device.error());
  if ((*device)->user)
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, the MFA device is enabled for user " +
                    (*device)->user->rec.name + ": deactivate it first.");
  return Emit(Removed<MfaDeviceKey>{{(*device)->rec.serial}}, out);
}

Status State::EnableMfaDevice(std::string_view user_name, std::string_view serial,
                              const MfaCodeCheck& check, ChangeSet& out) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  auto device = MutableMfaDevice(serial);
  if (!device) return std::unexpected(device.error());
  if ((*device)->user)
    return Fail(ErrorCode::kEntityAlreadyExists, "MFA Device is already in use.");
  if ((*user)->mfa_devices.size() >= kMaxMfaDevicesPerUser)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for MFADevicesPerUser: 8");
  std::optional<int64_t> step = check(**device);
  if (!step) return CodesRejected();
  MfaDeviceRecord r = (*device)->rec;
  r.user_id = (*user)->rec.id;
  r.enable_millis = clock_.NowMillis() / 1000 * 1000;
  r.last_step = *step;
  return Emit(std::move(r), out);
}

Status State::DeactivateMfaDevice(std::string_view user_name, std::string_view serial,
                                  ChangeSet& out) {
  auto device = UsersMfaDevice(user_name, serial);
  if (!device) return std::unexpected(device.error());
  MfaDeviceRecord r = (*device)->rec;
  r.user_id.clear();
  r.enable_millis = 0;
  return Emit(std::move(r), out);
}

Status State::ResyncMfaDevice(std::string_view user_name, std::string_view serial,
                              const MfaCodeCheck& check, ChangeSet& out) {
  auto device = UsersMfaDevice(user_name, serial);
  if (!device) return std::unexpected(device.error());
  std::optional<int64_t> step = check(**device);
  if (!step) return CodesRejected();
  MfaDeviceRecord r = (*device)->rec;
  r.last_step = *step;
  return Emit(std::move(r), out);
}

Status State::TagMfaDevice(std::string_view serial, const Tags& tags, ChangeSet& out) {
  return TagFound(MutableMfaDevice(serial), tags, kTagKind, out);
}

Status State::UntagMfaDevice(std::string_view serial, std::span<const std::string> keys,
                             ChangeSet& out) {
  return UntagFound(MutableMfaDevice(serial), keys, /*case_sensitive=*/false, out);
}

Status State::ApplyRecord(const MfaDeviceRecord& r) {
  User* user = nullptr;
  if (!r.user_id.empty()) {
    auto it = users_by_id_.find(r.user_id);
    if (it == users_by_id_.end()) return Inconsistent("MFA device of unknown user");
    user = it->second;
  }
  auto& slot = mfa_devices_[r.serial];
  if (!slot) slot = std::make_unique<MfaDevice>();
  if (slot->user) std::erase(slot->user->mfa_devices, slot.get());
  slot->rec = r;
  slot->user = user;
  if (user) user->mfa_devices.push_back(slot.get());
  return {};
}

Status State::ApplyRecord(const Removed<MfaDeviceKey>& r) {
  auto it = mfa_devices_.find(r.key.serial);
  if (it == mfa_devices_.end()) return Inconsistent("removing unknown MFA device");
  if (it->second->user) std::erase(it->second->user->mfa_devices, it->second.get());
  mfa_devices_.erase(it);
  return {};
}

}  // namespace iamd::model
