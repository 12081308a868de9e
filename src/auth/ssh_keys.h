// SSH public keys that users upload (UploadSSHPublicKey, for AWS CodeCommit). AWS takes RSA keys
// of at least 2048 bits, "encoded in ssh-rsa format or PEM format" (IAM API reference,
// UploadSSHPublicKey), and gives them back in either encoding (GetSSHPublicKey) with an MD5
// fingerprint ("12:34:56:78:90:ab:cd:ef:12:34:56:78:90:ab:cd:ef", AWS CLI reference example).
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace iamd::auth {

struct SshPublicKey {
  std::string openssh;      // "ssh-rsa BASE64", without a comment
  std::string pem;          // "-----BEGIN PUBLIC KEY-----\n...-----END PUBLIC KEY-----\n"
  std::string fingerprint;  // MD5 of the OpenSSH key blob, 16 lowercase hex pairs joined by ':'
};

enum class SshKeyProblem {
  kUnrecognized,  // neither an OpenSSH line nor a PEM block
  kInvalid,       // one of them, but malformed, not RSA, or under 2048 bits
};

// Reads `body`: an OpenSSH line ("ssh-rsa BASE64 [comment]", white space around it allowed) or
// a PEM RSA public key ("PUBLIC KEY", SubjectPublicKeyInfo, or "RSA PUBLIC KEY", PKCS #1).
// Thread-safe.
std::expected<SshPublicKey, SshKeyProblem> ParseSshPublicKey(std::string_view body);

}  // namespace iamd::auth
