#include "auth/keys.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdlib>

#include "common/ids.h"
#include "common/strings.h"

namespace iamd::auth {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    std::abort();  // no entropy: nothing safe can be done
  return out;
}

std::string NewAccessKeyId(std::string_view prefix) {
  std::string id(prefix);
  std::string bytes = RandomBytes(16);
  for (unsigned char b : bytes) id.push_back(kIdAlphabet[b & 31]);
  return id;
}

std::string NewSecretAccessKey() { return Base64Encode(RandomBytes(30)); }

namespace {
constexpr int kPasswordIterations = 100000;

std::string Pbkdf2(std::string_view password, std::string_view salt, int iterations) {
  std::string out(32, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1)
    std::abort();
  return out;
}
}  // namespace

std::string HashPassword(std::string_view password) {
  std::string salt = RandomBytes(16);
  return "pbkdf2-sha256$" + std::to_string(kPasswordIterations) + "$" + Base64Encode(salt) + "$" +
         Base64Encode(Pbkdf2(password, salt, kPasswordIterations));
}

bool CheckPassword(std::string_view password, std::string_view hash) {
  // pbkdf2-sha256$ITER$SALT$HASH
  size_t a = hash.find('$'), b = hash.find('$', a + 1), c = hash.find('$', b + 1);
  if (a == std::string_view::npos || b == std::string_view::npos || c == std::string_view::npos)
    return false;
  auto iterations = ParseInt64(hash.substr(a + 1, b - a - 1));
  auto salt = Base64Decode(hash.substr(b + 1, c - b - 1));
  auto expected = Base64Decode(hash.substr(c + 1));
  if (!iterations || *iterations < 1 || *iterations > 10000000 || !salt || !expected) return false;
  std::string actual = Pbkdf2(password, *salt, static_cast<int>(*iterations));
  return CRYPTO_memcmp(actual.data(), expected->data(), std::min(actual.size(), expected->size())) == 0 &&
         actual.size() == expected->size();
}

}  // namespace iamd::auth
