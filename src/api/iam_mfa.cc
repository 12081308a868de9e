// Handlers: virtual MFA devices (CreateVirtualMFADevice ... ResyncMFADevice, their tags), and
// the checking of one-time codes that STS shares (CheckMfaToken).
#include <algorithm>

#include "api/iam_handlers.h"
#include "auth/keys.h"
#include "auth/totp.h"
#include "common/strings.h"
#include "mfa/qr_png.h"

namespace iamd::api {
namespace {

// How far (in 30-second steps, either way) a device's clock may be from iamd's. AWS documents
// no figure; it accepts codes of the previous and the current step (recorded by LocalStack's
// AWS-validated test_iam_mfa, February 2026). Resynchronizing exists for clocks further off.
constexpr int64_t kEnableWindowSteps = 2;
constexpr int64_t kResyncWindowSteps = 20;  // ten minutes either way
constexpr int64_t kTokenWindowSteps = 1;    // STS: one step either way

// The device's seed, opened with the data folder's key (sealed under its serial number).
std::optional<std::string> OpenSeed(const Call& c, const model::MfaDevice& device) {
  return c.sealer.Open(device.rec.seed_sealed, device.rec.serial);
}

// EnableMFADevice and ResyncMFADevice: AuthenticationCode1 and AuthenticationCode2 must be the
// codes of two consecutive steps within `window` of now, later than any code the device gave.
model::State::MfaCodeCheck ConsecutiveCodes(const Call& c, int64_t window) {
  return [&c, window](const model::MfaDevice& device) -> std::optional<int64_t> {
    auto seed = OpenSeed(c, device);
    if (!seed) return std::nullopt;
    auto step = auth::MatchConsecutiveCodes(*seed, c.p.Str("AuthenticationCode1"),
                                            c.p.Str("AuthenticationCode2"),
                                            auth::TotpStep(c.clock.NowMillis()), window);
    if (!step || *step - 1 <= device.rec.last_step) return std::nullopt;
    return step;
  };
}

void WriteEnableDate(XmlWriter& xml, const model::MfaDevice& device) {
  WriteDate(xml, "EnableDate", device.rec.enable_millis);
}

}  // namespace

Result<int64_t> CheckMfaToken(const Call& c, std::string_view serial, std::string_view code) {
  const model::User* user = nullptr;
  if (c.caller.kind == Caller::Kind::kUser)
    if (auto u = c.state.GetUser(c.caller.name)) user = *u;
  const model::MfaDevice* device = nullptr;
  if (user)
    for (const model::MfaDevice* d : user->mfa_devices)
      if (d->rec.serial == serial) device = d;
  // AWS's messages (quoted from AWS's answers in aws/aws-cli issue 6325 and 99designs/aws-vault
  // issue 676), the two spaces included.
  if (!device)
    return Fail(ErrorCode::kAccessDenied,
                "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify "
                "your MFA serial number is valid and associated with this user.");
  auto seed = OpenSeed(c, *device);
  std::optional<int64_t> step;
  if (seed)
    step = auth::MatchCode(*seed, code, auth::TotpStep(c.clock.NowMillis()), kTokenWindowSteps,
                           device->rec.last_step);
  // A code is good once (also across AssumeRole and GetSessionToken).
  if (step && !c.usage.UseMfaStep(device->rec.serial, *step)) step.reset();
  if (!step)
    return Fail(ErrorCode::kAccessDenied,
                "MultiFactorAuthentication failed with invalid MFA one time pass code.");
  return *step;
}

Status CreateVirtualMFADevice(Call& c) {
  const std::string name(c.p.Str("VirtualMFADeviceName"));
  const std::string path = c.p.OptStr("Path").value_or("/");
  const std::string seed = auth::RandomBytes(auth::kTotpSeedBytes);
  const std::string base32 = auth::Base32Encode(seed);
  // "otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String", AccountName being
  // the user name if set, otherwise the account ID (IAM API reference, VirtualMFADevice).
  const std::string account_name =
      c.caller.kind == Caller::Kind::kUser ? c.caller.name : c.state.account_id();
  auto png = mfa::QrCodePng("otpauth://totp/" + name + "@" + account_name + "?secret=" + base32);
  if (!png) return Fail(ErrorCode::kServiceFailure, "Could not draw the QR code.");
  const model::Tags tags = c.p.TagList();
  auto device = c.mut->CreateVirtualMfaDevice(
      name, path, c.sealer.Seal(seed, c.state.MfaSerial(path, name)), tags, c.changes);
  if (!device) return std::unexpected(device.error());
  c.xml.Open("VirtualMFADevice");
  c.xml.Element("SerialNumber", (*device)->rec.serial);
  c.xml.Element("Base32StringSeed", Base64Encode(base32));  // a blob: the base32 text, base64
  c.xml.Element("QRCodePNG", Base64Encode(*png));
  WriteTags(c.xml, (*device)->rec.tags);
  c.xml.Close("VirtualMFADevice");
  return {};
}

Status DeleteVirtualMFADevice(Call& c) {
  return c.mut->DeleteVirtualMfaDevice(c.p.Str("SerialNumber"), c.changes);
}

// Recorded (LocalStack's AWS-validated snapshot): an unassigned device is its SerialNumber
// alone; an assigned one adds User (as ListUsers shows it) and EnableDate. No seed, no tags.
Status ListVirtualMFADevices(Call& c) {
  const std::string status = c.p.OptStr("AssignmentStatus").value_or("Any");
  return ListPage(
      c, c.state.mfa_devices(), "VirtualMFADevices",
      [&](const model::MfaDevice& d) {
        return status == "Any" || (status == "Assigned") == (d.user != nullptr);
      },
      [&](const model::MfaDevice& d) {
        c.xml.Open("member");
        c.xml.Element("SerialNumber", d.rec.serial);
        if (d.user) {
          WriteUser(c.xml, *d.user, /*detail=*/false);
          WriteEnableDate(c.xml, d);
        }
        c.xml.Close("member");
      });
}

Status EnableMFADevice(Call& c) {
  return c.mut->EnableMfaDevice(c.p.Str("UserName"), c.p.Str("SerialNumber"),
                                ConsecutiveCodes(c, kEnableWindowSteps), c.changes);
}

Status DeactivateMFADevice(Call& c) {
  auto name = TargetUser(c);
  if (!name) return std::unexpected(name.error());
  return c.mut->DeactivateMfaDevice(*name, c.p.Str("SerialNumber"), c.changes);
}

Status ResyncMFADevice(Call& c) {
  return c.mut->ResyncMfaDevice(c.p.Str("UserName"), c.p.Str("SerialNumber"),
                                ConsecutiveCodes(c, kResyncWindowSteps), c.changes);
}

// The user's devices in the order enabled (then by serial number). The root user, who has no
// MFA device in iamd, has an empty list.
// GetMFADevice describes FIDO security keys only (IAM API Reference: its SerialNumber takes
// "only ... FIDO security key ARNs"). Those are registered through the console's WebAuthn
// ceremony, which iamd has not, so no serial names one: after the user (if named) is found,
// NoSuchEntity with AWS's message for a missing MFA device.
Status GetMFADevice(Call& c) {
  if (c.p.Has("UserName")) {
    auto user = TargetUserEntity(c);
    if (!user) return std::unexpected(user.error());
  }
  return Fail(ErrorCode::kNoSuchEntity, "MFA Device with serial number " +
                                            std::string(c.p.Str("SerialNumber")) +
                                            " does not exist.");
}

Status ListMFADevices(Call& c) {
  std::map<std::string, const model::MfaDevice*> devices;
  if (c.p.Has("UserName") || c.caller.kind != Caller::Kind::kRoot) {
    auto user = TargetUserEntity(c);
    if (!user) return std::unexpected(user.error());
    devices = InTimeOrder(
        (*user)->mfa_devices, [](const model::MfaDevice& d) { return d.rec.enable_millis; },
        [](const model::MfaDevice& d) -> const std::string& { return d.rec.serial; });
  }
  return ListPage(
      c, devices, "MFADevices", [](const model::MfaDevice*) { return true; },
      [&](const model::MfaDevice* d) {
        c.xml.Open("member");
        c.xml.Element("UserName", d->user->rec.name);
        c.xml.Element("SerialNumber", d->rec.serial);
        WriteEnableDate(c.xml, *d);
        c.xml.Close("member");
      });
}

Status TagMFADevice(Call& c) {
  return c.mut->TagMfaDevice(c.p.Str("SerialNumber"), c.p.TagList(), c.changes);
}

Status UntagMFADevice(Call& c) {
  return c.mut->UntagMfaDevice(c.p.Str("SerialNumber"), c.p.StrList("TagKeys"), c.changes);
}

Status ListMFADeviceTags(Call& c) {
  auto device = c.state.GetMfaDevice(c.p.Str("SerialNumber"));
  if (!device) return std::unexpected(device.error());
  return WriteTagPage(c, (*device)->rec.tags);
}

}  // namespace iamd::api
