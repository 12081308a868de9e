#include "auth/internal/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace iamd::auth::internal {
namespace {

// OpenSSL fails here only when memory is exhausted or the default provider is missing: neither
// is a client's doing, and a verifier that cannot hash cannot answer anything, so stop loudly.
void CheckOpenSsl(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "iamd: OpenSSL %s failed\n", what);
    std::abort();
  }
}

// Fetched once: explicit fetching skips the per-call algorithm lookup that the convenience
// functions (EVP_Digest, HMAC) do. Never freed, so they outlive every thread's contexts.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    CheckOpenSsl(fetched != nullptr, "EVP_MD_fetch(SHA2-256)");
    return fetched;
  }();
  return md;
}

EVP_MAC* HmacMac() {
  static EVP_MAC* mac = [] {
    EVP_MAC* fetched = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    CheckOpenSsl(fetched != nullptr, "EVP_MAC_fetch(HMAC)");
    return fetched;
  }();
  return mac;
}

// Digest contexts a thread reuses. A pool rather than a single context because a caller may
// hash two messages at once (the body while building the canonical request, in a test).
struct MdContextPool {
  std::vector<EVP_MD_CTX*> idle;
  ~MdContextPool() {
    for (EVP_MD_CTX* ctx : idle) EVP_MD_CTX_free(ctx);
  }
  EVP_MD_CTX* Acquire() {
    if (idle.empty()) {
      EVP_MD_CTX* ctx = EVP_MD_CTX_new();
      CheckOpenSsl(ctx != nullptr, "EVP_MD_CTX_new");
      return ctx;
    }
    EVP_MD_CTX* ctx = idle.back();
    idle.pop_back();
    return ctx;
  }
  void Release(EVP_MD_CTX* ctx) { idle.push_back(ctx); }
};
thread_local MdContextPool md_pool;

// One HMAC context per thread, keyed anew for each MAC (EVP_MAC_init re-keys in place).
struct MacContext {
  EVP_MAC_CTX* ctx = nullptr;
  MacContext() {
    ctx = EVP_MAC_CTX_new(HmacMac());
    CheckOpenSsl(ctx != nullptr, "EVP_MAC_CTX_new");
    char digest[] = "SHA2-256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    CheckOpenSsl(EVP_MAC_CTX_set_params(ctx, params) == 1, "EVP_MAC_CTX_set_params");
  }
  ~MacContext() { EVP_MAC_CTX_free(ctx); }
};
thread_local MacContext mac_context;

}  // namespace

Sha256::Sha256() : ctx_(md_pool.Acquire()) {
  CheckOpenSsl(EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), Sha256Md(), nullptr) == 1,
               "EVP_DigestInit_ex2");
}

Sha256::~Sha256() { md_pool.Release(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(std::string_view data) {
  if (data.empty()) return;
  CheckOpenSsl(EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) == 1,
               "EVP_DigestUpdate");
}

Digest Sha256::Final() {
  Digest out;
  unsigned int len = 0;
  CheckOpenSsl(EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &len) == 1 &&
                   len == out.size(),
               "EVP_DigestFinal_ex");
  return out;
}

Digest Sha256Of(std::string_view data) {
  Sha256 sha;
  sha.Update(data);
  return sha.Final();
}

Digest HmacSha256(std::string_view key, std::initializer_list<std::string_view> parts) {
  EVP_MAC_CTX* ctx = mac_context.ctx;
  // An empty key must still re-key the context: EVP_MAC_init keeps the old key when given a
  // null pointer, so point at a valid empty buffer.
  static const unsigned char kEmpty = 0;
  const auto* key_bytes =
      key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  CheckOpenSsl(EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) == 1, "EVP_MAC_init");
  for (std::string_view part : parts) {
    if (part.empty()) continue;
    CheckOpenSsl(
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()), part.size()) == 1,
        "EVP_MAC_update");
  }
  Digest out;
  size_t len = 0;
  CheckOpenSsl(EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1 && len == out.size(),
               "EVP_MAC_final");
  return out;
}

HexDigest ToHex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  HexDigest hex;
  for (size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace iamd::auth::internal
