#include "auth/keys.h"

#include <openssl/rand.h>

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

}  // namespace iamd::auth
