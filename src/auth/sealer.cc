#include "auth/sealer.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "auth/keys.h"

namespace iamd::auth {
namespace {

constexpr unsigned char kVersion = 1;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Sealer::Sealer(std::string_view key) {
  key_.fill(0);
  std::memcpy(key_.data(), key.data(), std::min(key.size(), kKeyBytes));
}

std::string Sealer::Seal(std::string_view plaintext, std::string_view context) const {
  std::string nonce = RandomBytes(kNonceBytes);
  std::string out;
  out.resize(1 + kNonceBytes + plaintext.size() + kTagBytes);
  out[0] = static_cast<char>(kVersion);
  std::memcpy(out.data() + 1, nonce.data(), kNonceBytes);
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  auto* cipher_out = reinterpret_cast<unsigned char*>(out.data() + 1 + kNonceBytes);
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), U(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(context), static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher_out, &len, U(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher_out + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          out.data() + 1 + kNonceBytes + plaintext.size()) != 1)
    std::abort();  // only fails on allocation failure
  return out;
}

std::optional<std::string> Sealer::Open(std::string_view sealed, std::string_view context) const {
  if (sealed.size() < 1 + kNonceBytes + kTagBytes || static_cast<unsigned char>(sealed[0]) != kVersion)
    return std::nullopt;
  std::string_view nonce = sealed.substr(1, kNonceBytes);
  std::string_view cipher = sealed.substr(1 + kNonceBytes, sealed.size() - 1 - kNonceBytes - kTagBytes);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  std::string plain(cipher.size(), '\0');
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  auto* plain_out = reinterpret_cast<unsigned char*>(plain.data());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), U(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(context), static_cast<int>(context.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain_out, &len, U(cipher), static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), plain_out + len, &len) != 1)
    return std::nullopt;
  return plain;
}

Result<std::string> LoadOrCreateKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    std::string key(Sealer::kKeyBytes + 1, '\0');
    ssize_t n = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(Sealer::kKeyBytes))
      return Fail(ErrorCode::kServiceFailure, "key file " + path + " is not " +
                                                  std::to_string(Sealer::kKeyBytes) + " bytes");
    key.resize(Sealer::kKeyBytes);
    return key;
  }
  std::string key = RandomBytes(Sealer::kKeyBytes);
  std::string tmp = path + ".tmp";
  fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Fail(ErrorCode::kServiceFailure, "cannot create key file " + path);
  bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
    return Fail(ErrorCode::kServiceFailure, "cannot write key file " + path);
  return key;
}

}  // namespace iamd::auth
