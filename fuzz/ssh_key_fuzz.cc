// libFuzzer target for uploaded SSH public keys (auth::ParseSshPublicKey): iamd's reader of the
// OpenSSH wire form (length-prefixed strings, mpints) and OpenSSL's PEM readers behind it.
// Checks beyond "no crash, no sanitizer report": an accepted key read again from either of
// its encodings is the same key (same fingerprint, same encodings).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/ssh_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto key = iamd::auth::ParseSshPublicKey(text);
  if (!key) return 0;
  for (const auto& encoded : {key->openssh, key->pem}) {
    auto again = iamd::auth::ParseSshPublicKey(encoded);
    if (!again || again->fingerprint != key->fingerprint || again->openssh != key->openssh ||
        again->pem != key->pem)
      std::abort();
  }
  return 0;
}
