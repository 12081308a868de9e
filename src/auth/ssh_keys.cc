#define OPENSSL_SUPPRESS_DEPRECATED  // PEM_read_bio_RSAPublicKey: PKCS #1 "RSA PUBLIC KEY"

#include "auth/ssh_keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/strings.h"

namespace iamd::auth {
namespace {

constexpr std::string_view kKeyType = "ssh-rsa";
constexpr int kMinimumBits = 2048;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using ParamBuild = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using Rsa = std::unique_ptr<RSA, Deleter<RSA, RSA_free>>;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// --- the OpenSSH wire form (RFC 4253 6.6): string "ssh-rsa", mpint e, mpint n -------------

void PutString(std::string& out, std::string_view bytes) {
  const auto n = static_cast<uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(bytes);
}

void PutMpint(std::string& out, const BIGNUM* v) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(v)), '\0');
  BN_bn2bin(v, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80)) bytes.insert(0, 1, '\0');
  PutString(out, bytes);
}

std::optional<std::string_view> TakeString(std::string_view& in) {
  if (in.size() < 4) return std::nullopt;
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n = (n << 8) | static_cast<unsigned char>(in[i]);
  in.remove_prefix(4);
  if (n > in.size()) return std::nullopt;
  std::string_view out = in.substr(0, n);
  in.remove_prefix(n);
  return out;
}

// A positive mpint in its shortest form (RFC 4251 5), as a BIGNUM.
Bignum TakePositiveMpint(std::string_view& in) {
  std::optional<std::string_view> bytes = TakeString(in);
  if (!bytes || bytes->empty() || (static_cast<unsigned char>((*bytes)[0]) & 0x80)) return nullptr;
  if ((*bytes)[0] == '\0' &&
      (bytes->size() == 1 || !(static_cast<unsigned char>((*bytes)[1]) & 0x80)))
    return nullptr;  // a needless leading zero
  return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                          static_cast<int>(bytes->size()), nullptr));
}

// --- building the key -------------------------------------------------------------------------

Pkey RsaFromComponents(const BIGNUM* n, const BIGNUM* e) {
  ParamBuild build(OSSL_PARAM_BLD_new());
  if (!build || !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n) ||
      !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e))
    return nullptr;
  Params params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return nullptr;
  return Pkey(key);
}

// Both encodings and the fingerprint of an RSA key given by n and e; kInvalid for keys AWS
// refuses (under 2048 bits, an even or unit exponent).
std::expected<SshPublicKey, SshKeyProblem> Describe(const BIGNUM* n, const BIGNUM* e) {
  if (BN_num_bits(n) < kMinimumBits || !BN_is_odd(e) || BN_is_one(e) || !BN_is_odd(n))
    return std::unexpected(SshKeyProblem::kInvalid);
  Pkey key = RsaFromComponents(n, e);
  if (!key) return std::unexpected(SshKeyProblem::kInvalid);
  SshPublicKey out;
  std::string blob;
  PutString(blob, kKeyType);
  PutMpint(blob, e);
  PutMpint(blob, n);
  out.openssh = std::string(kKeyType) + " " + Base64Encode(blob);

  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_PUBKEY(bio.get(), key.get()))
    return std::unexpected(SshKeyProblem::kInvalid);
  char* pem = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &pem);
  out.pem.assign(pem, static_cast<size_t>(size));

  unsigned char md5[EVP_MAX_MD_SIZE];
  unsigned int md5_size = 0;
  if (!EVP_Digest(blob.data(), blob.size(), md5, &md5_size, EVP_md5(), nullptr))
    return std::unexpected(SshKeyProblem::kInvalid);
  constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < md5_size; ++i) {
    if (i > 0) out.fingerprint.push_back(':');
    out.fingerprint.push_back(kHex[md5[i] >> 4]);
    out.fingerprint.push_back(kHex[md5[i] & 15]);
  }
  return out;
}

std::expected<SshPublicKey, SshKeyProblem> FromOpenSsh(std::string_view line) {
  const size_t space = line.find_first_of(" \t");
  if (line.substr(0, space) != kKeyType) return std::unexpected(SshKeyProblem::kInvalid);
  std::string_view rest = space == std::string_view::npos ? "" : Trim(line.substr(space));
  const std::string_view encoded = rest.substr(0, rest.find_first_of(" \t"));
  std::optional<std::string> blob = Base64Decode(encoded);
  if (!blob) return std::unexpected(SshKeyProblem::kInvalid);
  std::string_view in(*blob);
  std::optional<std::string_view> type = TakeString(in);
  if (!type || *type != kKeyType) return std::unexpected(SshKeyProblem::kInvalid);
  Bignum e = TakePositiveMpint(in);
  Bignum n = e ? TakePositiveMpint(in) : nullptr;
  if (!n || !in.empty()) return std::unexpected(SshKeyProblem::kInvalid);
  return Describe(n.get(), e.get());
}

std::expected<SshPublicKey, SshKeyProblem> FromPem(std::string_view text) {
  if (text.size() > INT_MAX) return std::unexpected(SshKeyProblem::kInvalid);
  // Runs `reader` over the text: what it read, and whether only white space follows it.
  auto read = [&](auto reader) {
    Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    decltype(reader(bio.get())) result = bio ? reader(bio.get()) : nullptr;
    char* rest = nullptr;
    const long left = bio ? BIO_get_mem_data(bio.get(), &rest) : 0;
    ERR_clear_error();  // a failed read leaves its reasons on this thread's error queue
    return std::pair(result,
                     left <= 0 || Trim(std::string_view(rest, static_cast<size_t>(left))).empty());
  };
  Bignum n, e;
  if (text.starts_with("-----BEGIN PUBLIC KEY-----")) {
    auto [raw, whole] =
        read([](BIO* b) { return PEM_read_bio_PUBKEY(b, nullptr, nullptr, nullptr); });
    Pkey key(raw);
    if (!key || !whole || !EVP_PKEY_is_a(key.get(), "RSA"))
      return std::unexpected(SshKeyProblem::kInvalid);
    BIGNUM* got_n = nullptr;
    BIGNUM* got_e = nullptr;
    EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &got_n);
    EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &got_e);
    n.reset(got_n);
    e.reset(got_e);
  } else if (text.starts_with("-----BEGIN RSA PUBLIC KEY-----")) {
    auto [raw, whole] =
        read([](BIO* b) { return PEM_read_bio_RSAPublicKey(b, nullptr, nullptr, nullptr); });
    Rsa rsa(raw);
    if (!rsa || !whole) return std::unexpected(SshKeyProblem::kInvalid);
    const BIGNUM* rsa_n = nullptr;
    const BIGNUM* rsa_e = nullptr;
    RSA_get0_key(rsa.get(), &rsa_n, &rsa_e, nullptr);
    n.reset(rsa_n ? BN_dup(rsa_n) : nullptr);
    e.reset(rsa_e ? BN_dup(rsa_e) : nullptr);
  } else {
    return std::unexpected(SshKeyProblem::kInvalid);  // a PEM block of another kind
  }
  if (!n || !e) return std::unexpected(SshKeyProblem::kInvalid);
  return Describe(n.get(), e.get());
}

}  // namespace

std::expected<SshPublicKey, SshKeyProblem> ParseSshPublicKey(std::string_view body) {
  const std::string_view text = Trim(body);
  std::expected<SshPublicKey, SshKeyProblem> key = std::unexpected(SshKeyProblem::kUnrecognized);
  if (text.starts_with("-----BEGIN ")) {
    key = FromPem(text);
  } else if (text.starts_with("ssh-") || text.starts_with("ecdsa-") || text.starts_with("sk-")) {
    // An OpenSSH line names its type first: "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", ...
    key = FromOpenSsh(text);
  }
  ERR_clear_error();  // leave this thread's OpenSSL error queue as it was
  return key;
}

}  // namespace iamd::auth
