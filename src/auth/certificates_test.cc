#include "auth/certificates.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/testing/http_text.h"

namespace iamd::auth {
namespace {

std::string ReadTestFile(const std::string& name) {
  return test_support::AuthTestdata("certificates/" + name);
}

std::string ReadCert(int n) { return ReadTestFile("self-signed-" + std::to_string(n) + ".pem"); }

TEST(IsPemCertificate, AcceptsOneCertificateWithWhiteSpaceAround) {
  const std::string cert = ReadCert(1);
  ASSERT_FALSE(cert.empty());
  EXPECT_TRUE(IsPemCertificate(cert));
  EXPECT_TRUE(IsPemCertificate("\n\n" + cert + " \r\n\n"));
}

TEST(IsPemCertificate, RefusesWhatIsNotExactlyOneCertificate) {
  const std::string cert = ReadCert(1);
  EXPECT_FALSE(IsPemCertificate(""));
  EXPECT_FALSE(IsPemCertificate("invalid-certificate-body"));
  EXPECT_FALSE(IsPemCertificate("text before\n" + cert));
  EXPECT_FALSE(IsPemCertificate(cert + "text after"));
  EXPECT_FALSE(IsPemCertificate(cert + ReadCert(2)));  // two certificates
  // A broken base64 body, and a PEM object of another type.
  std::string broken = cert;
  broken[100] = '*';
  EXPECT_FALSE(IsPemCertificate(broken));
  std::string other = cert;
  other.replace(other.find("BEGIN CERTIFICATE"), 17, "BEGIN PUBLIC KEY");
  other.replace(other.find("END CERTIFICATE"), 15, "END PUBLIC KEY");
  EXPECT_FALSE(IsPemCertificate(other));
  // Cut short: the END line missing.
  EXPECT_FALSE(IsPemCertificate(cert.substr(0, cert.size() / 2)));
}

// Made with openssl req -x509 (RSA 2048 for ten years, EC P-256 for one); the RSA key also
// as PKCS #1 and encrypted with a password.
TEST(CheckServerCertificate, AcceptsACertificateWithItsKeyAndReturnsItsExpiry) {
  const std::string rsa = ReadTestFile("server-rsa.pem"), rsa_key = ReadTestFile("server-rsa.key");
  ASSERT_FALSE(rsa.empty());
  ASSERT_FALSE(rsa_key.empty());
  // notBefore=Dec  2 13:52:25 2026 GMT, notAfter=Nov 29 13:52:25 2036 GMT (openssl x509 -dates).
  auto validity = CheckServerCertificate(rsa, rsa_key, std::nullopt);
  ASSERT_TRUE(validity);
  EXPECT_EQ(validity->not_before_millis, int64_t{1796219545} * 1000);
  EXPECT_EQ(validity->not_after_millis, int64_t{2111579545} * 1000);
  auto pkcs1 = CheckServerCertificate(rsa, ReadTestFile("server-rsa-pkcs1.key"), std::nullopt);
  ASSERT_TRUE(pkcs1);
  EXPECT_EQ(pkcs1->not_after_millis, int64_t{2111579545} * 1000);
  EXPECT_TRUE(CheckServerCertificate(ReadTestFile("server-ec.pem"), ReadTestFile("server-ec.key"),
                                     std::nullopt));
  // A chain of one or more certificates.
  EXPECT_TRUE(CheckServerCertificate(rsa, rsa_key, ReadCert(1)));
  EXPECT_TRUE(CheckServerCertificate(rsa, rsa_key, ReadCert(1) + ReadCert(2) + "\n"));
}

TEST(CheckServerCertificate, NamesWhatIsWrongInOrder) {
  const std::string rsa = ReadTestFile("server-rsa.pem"), rsa_key = ReadTestFile("server-rsa.key");
  const std::string ec = ReadTestFile("server-ec.pem"), ec_key = ReadTestFile("server-ec.key");
  using P = ServerCertificateProblem;
  auto problem = [](auto result) { return result ? std::nullopt : std::optional(result.error()); };
  EXPECT_EQ(problem(CheckServerCertificate("not a certificate", "also bad", std::nullopt)),
            P::kMalformedCertificate);
  EXPECT_EQ(problem(CheckServerCertificate(rsa + rsa, rsa_key, std::nullopt)),
            P::kMalformedCertificate);
  EXPECT_EQ(problem(CheckServerCertificate(rsa, "not a key", std::string("bad chain"))),
            P::kMalformedPrivateKey);
  EXPECT_EQ(problem(CheckServerCertificate(rsa, rsa, std::nullopt)), P::kMalformedPrivateKey);
  EXPECT_EQ(problem(CheckServerCertificate(rsa, rsa_key + ec_key, std::nullopt)),
            P::kMalformedPrivateKey);
  // Encrypted keys do not open (and nothing prompts for a password).
  EXPECT_EQ(
      problem(CheckServerCertificate(rsa, ReadTestFile("server-rsa-encrypted.key"), std::nullopt)),
      P::kMalformedPrivateKey);
  EXPECT_EQ(problem(CheckServerCertificate(rsa, rsa_key, std::string("bad chain"))),
            P::kMalformedChain);
  EXPECT_EQ(problem(CheckServerCertificate(rsa, rsa_key, ReadCert(1) + "trailing text")),
            P::kMalformedChain);
  EXPECT_EQ(problem(CheckServerCertificate(rsa, rsa_key, std::string(""))), P::kMalformedChain);
  EXPECT_EQ(problem(CheckServerCertificate(rsa, ec_key, std::nullopt)), P::kKeyPairMismatch);
  EXPECT_EQ(problem(CheckServerCertificate(ec, rsa_key, ReadCert(1))), P::kKeyPairMismatch);
}

}  // namespace
}  // namespace iamd::auth
