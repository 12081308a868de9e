#include "auth/ssh_keys.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/testing/http_text.h"

namespace iamd::auth {
namespace {

// Keys made with OpenSSH's ssh-keygen; the PEM forms and the MD5 fingerprint are ssh-keygen's
// own (-e -m PKCS8, -e -m PEM, -l -E md5), so each check compares against another program.
std::string Read(const std::string& name) { return test_support::AuthTestdata("ssh/" + name); }

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// "ssh-rsa BASE64 comment\n" -> "ssh-rsa BASE64"
std::string WithoutComment(const std::string& line) {
  return line.substr(0, line.find(' ', line.find(' ') + 1));
}

TEST(ParseSshPublicKey, ReadsAnOpenSshLineWithItsFingerprintAndPem) {
  const std::string line = Read("rsa-2048-1.pub");
  ASSERT_FALSE(line.empty());
  auto key = ParseSshPublicKey(line);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->openssh, WithoutComment(line));
  EXPECT_EQ(key->fingerprint, Trimmed(Read("rsa-2048-1.md5")));
  EXPECT_EQ(key->pem, Read("rsa-2048-1.spki.pem"));
  // White space around the line, and no comment, change nothing.
  auto bare = ParseSshPublicKey("\n  " + WithoutComment(line) + "  \r\n");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->fingerprint, key->fingerprint);
}

TEST(ParseSshPublicKey, ReadsBothPemFormsAsTheSameKey) {
  const auto expected = ParseSshPublicKey(Read("rsa-2048-1.pub"));
  ASSERT_TRUE(expected);
  for (const char* file : {"rsa-2048-1.spki.pem", "rsa-2048-1.pkcs1.pem"}) {
    SCOPED_TRACE(file);
    auto key = ParseSshPublicKey(Read(file));
    ASSERT_TRUE(key);
    EXPECT_EQ(key->openssh, expected->openssh);
    EXPECT_EQ(key->fingerprint, expected->fingerprint);
    EXPECT_EQ(key->pem, expected->pem);
  }
}

TEST(ParseSshPublicKey, RefusesWhatAwsRefuses) {
  auto problem = [](const std::string& body) {
    auto key = ParseSshPublicKey(body);
    return key                                      ? std::string("accepted")
           : key.error() == SshKeyProblem::kInvalid ? "invalid"
                                                    : "unrecognized";
  };
  const std::string line = Read("rsa-2048-1.pub");
  EXPECT_EQ(problem(Read("rsa-1024.pub")), "invalid");  // under 2048 bits
  EXPECT_EQ(problem(Read("ed25519.pub")), "invalid");   // not RSA
  EXPECT_EQ(problem("ssh-rsa"), "invalid");
  EXPECT_EQ(problem("ssh-rsa AAAA!!!!"), "invalid");                // not base64
  EXPECT_EQ(problem("ssh-rsa " + line.substr(8, 100)), "invalid");  // cut short
  std::string wrong_type = line;
  wrong_type.replace(0, 7, "ssh-dss");
  EXPECT_EQ(problem(wrong_type), "invalid");
  std::string pem = Read("rsa-2048-1.spki.pem");
  EXPECT_EQ(problem(pem + "trailing text"), "invalid");
  EXPECT_EQ(problem(pem.substr(0, pem.size() / 2)), "invalid");
  EXPECT_EQ(problem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "invalid");
  EXPECT_EQ(problem(""), "unrecognized");
  EXPECT_EQ(problem("not a key at all"), "unrecognized");
  EXPECT_EQ(problem(line.substr(8)), "unrecognized");  // base64 without its type
}

}  // namespace
}  // namespace iamd::auth
