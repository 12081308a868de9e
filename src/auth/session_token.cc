#include "auth/session_token.h"

#include "common/strings.h"

namespace iamd::auth {
namespace {

// A purpose string authenticated with every token, so that a sealed secret at rest can never
// be presented as a token or the other way round.
constexpr std::string_view kTokenContext = "iamd/session-token/v1";
constexpr uint8_t kFormat = 1;

void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void PutStr(std::string& out, std::string_view s) {
  PutU64(out, s.size());
  out += s;
}

struct Reader {
  std::string_view in;
  bool ok = true;
  uint64_t U64() {
    if (in.size() < 8) {
      ok = false;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in[i])) << (8 * i);
    in.remove_prefix(8);
    return v;
  }
  std::string Str() {
    uint64_t n = U64();
    if (!ok || n > in.size()) {
      ok = false;
      return {};
    }
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
};

}  // namespace

std::string EncodeSessionToken(const Sealer& sealer, const SessionClaims& c) {
  std::string plain;
  plain.push_back(static_cast<char>(kFormat));
  plain.push_back(static_cast<char>(c.kind));
  plain.push_back(c.chained ? 1 : 0);
  PutStr(plain, c.access_key_id);
  PutStr(plain, c.secret_access_key);
  PutU64(plain, static_cast<uint64_t>(c.issued_millis));
  PutU64(plain, static_cast<uint64_t>(c.expires_millis));
  PutStr(plain, c.account);
  PutStr(plain, c.principal_id);
  PutStr(plain, c.principal_name);
  PutStr(plain, c.session_name);
  PutStr(plain, c.source_identity);
  PutStr(plain, c.session_policy);
  PutU64(plain, c.session_policy_arns.size());
  for (const auto& a : c.session_policy_arns) PutStr(plain, a);
  PutU64(plain, c.tags.size());
  for (const auto& [k, v] : c.tags) {
    PutStr(plain, k);
    PutStr(plain, v);
  }
  PutU64(plain, c.transitive_tag_keys.size());
  for (const auto& k : c.transitive_tag_keys) PutStr(plain, k);
  PutU64(plain, static_cast<uint64_t>(c.mfa_millis));
  PutStr(plain, c.federated_provider);
  return Base64Encode(sealer.Seal(plain, kTokenContext));
}

std::optional<SessionClaims> DecodeSessionToken(const Sealer& sealer, std::string_view token) {
  auto sealed = Base64Decode(token);
  if (!sealed) return std::nullopt;
  auto plain = sealer.Open(*sealed, kTokenContext);
  if (!plain || plain->size() < 3 || static_cast<uint8_t>((*plain)[0]) != kFormat)
    return std::nullopt;
  SessionClaims c;
  uint8_t kind = static_cast<uint8_t>((*plain)[1]);
  if (kind < 1 || kind > 4) return std::nullopt;
  c.kind = static_cast<SessionClaims::Kind>(kind);
  c.chained = (*plain)[2] != 0;
  Reader r{std::string_view(*plain).substr(3)};
  c.access_key_id = r.Str();
  c.secret_access_key = r.Str();
  c.issued_millis = static_cast<int64_t>(r.U64());
  c.expires_millis = static_cast<int64_t>(r.U64());
  c.account = r.Str();
  c.principal_id = r.Str();
  c.principal_name = r.Str();
  c.session_name = r.Str();
  c.source_identity = r.Str();
  c.session_policy = r.Str();
  uint64_t n = r.U64();
  for (uint64_t i = 0; r.ok && i < n; ++i) c.session_policy_arns.push_back(r.Str());
  n = r.U64();
  for (uint64_t i = 0; r.ok && i < n; ++i) {
    std::string k = r.Str();
    c.tags.emplace_back(std::move(k), r.Str());
  }
  n = r.U64();
  for (uint64_t i = 0; r.ok && i < n; ++i) c.transitive_tag_keys.push_back(r.Str());
  if (r.ok && !r.in.empty()) c.mfa_millis = static_cast<int64_t>(r.U64());  // absent before MFA
  if (r.ok && !r.in.empty()) c.federated_provider = r.Str();  // absent before web identity
  if (!r.ok || !r.in.empty()) return std::nullopt;
  return c;
}

}  // namespace iamd::auth
