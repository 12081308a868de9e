#include "auth/certificates.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace iamd::auth {
namespace {

std::string ReadCert(int n) {
  std::ifstream in(std::string(IAMD_SOURCE_DIR) + "/src/auth/testdata/certificates/self-signed-" +
                   std::to_string(n) + ".pem");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

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

}  // namespace
}  // namespace iamd::auth
