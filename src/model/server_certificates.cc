// Server certificates: uploaded with their private key, renamed or moved, deleted.
#include "common/arn.h"
#include "model/internal/messages.h"
#include "model/internal/tagging.h"
#include "model/state.h"

namespace iamd::model {
namespace {

constexpr std::string_view kTagKind = "ServerCertificate";

std::unexpected<Error> NoSuchServerCertificate(std::string_view name) {
  return Fail(ErrorCode::kNoSuchEntity,
              "The Server Certificate with name " + std::string(name) + " cannot be found.");
}

std::unexpected<Error> AlreadyExists(std::string_view name) {
  return Fail(ErrorCode::kEntityAlreadyExists,
              "The Server Certificate with name " + std::string(name) + " already exists.");
}

}  // namespace

Result<ServerCertificate*> State::MutableServerCertificate(std::string_view name) {
  auto it = server_certificates_.find(name);
  if (it == server_certificates_.end()) return NoSuchServerCertificate(name);
  return it->second.get();
}

Result<const ServerCertificate*> State::GetServerCertificate(std::string_view name) const {
  auto it = server_certificates_.find(name);
  if (it == server_certificates_.end()) return NoSuchServerCertificate(name);
  return it->second.get();
}

Result<const ServerCertificate*> State::UploadServerCertificate(UploadServerCertificateInput in,
                                                                ChangeSet& out) {
  ServerCertificateRecord r;
  IAMD_TRY(internal::MergeTags(r.tags, in.tags, kTagKind));
  if (server_certificates_.contains(in.name)) return AlreadyExists(in.name);
  if (server_certificates_.size() >= kMaxServerCertificates)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for ServerCertificatesPerAccount: " +
                                               std::to_string(kMaxServerCertificates));
  r.id = std::move(in.id);
  r.name = std::move(in.name);
  r.path = std::move(in.path);
  r.body = std::move(in.body);
  r.chain = std::move(in.chain);
  r.private_key_sealed = std::move(in.private_key_sealed);
  r.upload_millis = clock_.NowMillis() / 1000 * 1000;
  r.expiration_millis = in.expiration_millis;
  std::string id = r.id;
  IAMD_TRY(Emit(std::move(r), out));
  return server_certificates_by_id_.at(id);
}

Status State::UpdateServerCertificate(std::string_view name,
                                      const std::optional<std::string>& new_name,
                                      const std::optional<std::string>& new_path, ChangeSet& out) {
  auto cert = MutableServerCertificate(name);
  if (!cert) return std::unexpected(cert.error());
  ServerCertificateRecord r = (*cert)->rec;
  if (new_name) {
    auto other = server_certificates_.find(*new_name);
    if (other != server_certificates_.end() && other->second.get() != *cert)
      return AlreadyExists(*new_name);
    r.name = *new_name;
  }
  if (new_path) r.path = *new_path;
  return Emit(std::move(r), out);
}

Status State::DeleteServerCertificate(std::string_view name, ChangeSet& out) {
  auto cert = MutableServerCertificate(name);
  if (!cert) return std::unexpected(cert.error());
  return Emit(Removed<ServerCertificateKey>{{(*cert)->rec.id}}, out);
}

Status State::TagServerCertificate(std::string_view name, const Tags& tags, ChangeSet& out) {
  return TagFound(MutableServerCertificate(name), tags, kTagKind, out);
}

Status State::UntagServerCertificate(std::string_view name, std::span<const std::string> keys,
                                     ChangeSet& out) {
  return UntagFound(MutableServerCertificate(name), keys, /*case_sensitive=*/false, out);
}

}  // namespace iamd::model
