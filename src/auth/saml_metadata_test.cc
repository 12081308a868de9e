#include "auth/saml_metadata.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/certificates.h"
#include "auth/testing/http_text.h"

namespace iamd::auth {
namespace {

std::string ReadTestFile(const std::string& path) { return test_support::AuthTestdata(path); }

TEST(IsSamlMetadata, AcceptsAnEntityDescriptorWithOrWithoutPrefix) {
  const std::string metadata = ReadTestFile("saml/idp-metadata.xml");
  ASSERT_GT(metadata.size(), 1000u);
  EXPECT_TRUE(IsSamlMetadata(metadata));
  EXPECT_TRUE(IsSamlMetadata(
      R"(<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>)"));
}

TEST(IsSamlMetadata, RefusesWhatIsNotOneEntityDescriptor) {
  const std::string metadata = ReadTestFile("saml/idp-metadata.xml");
  EXPECT_FALSE(IsSamlMetadata(""));
  EXPECT_FALSE(IsSamlMetadata("not xml at all"));
  EXPECT_FALSE(IsSamlMetadata(metadata.substr(0, metadata.size() / 2)));  // cut short
  EXPECT_FALSE(IsSamlMetadata("<md:EntitiesDescriptor xmlns:md=\"m\"/>"));
  EXPECT_FALSE(IsSamlMetadata("<root><EntityDescriptor/></root>"));
  EXPECT_FALSE(IsSamlMetadata("<EntityDescriptor/><EntityDescriptor/>"));
  EXPECT_FALSE(IsSamlMetadata("<EntityDescriptor><unclosed></EntityDescriptor>"));
}

TEST(IsPemPrivateKey, AcceptsOneUnencryptedKey) {
  EXPECT_TRUE(IsPemPrivateKey(ReadTestFile("certificates/server-rsa.key")));
  std::string padded = "\n";  // (not "\n" + ...: GCC 12 -Wrestrict false positive)
  padded += ReadTestFile("certificates/server-rsa-pkcs1.key");
  padded += "\n";
  EXPECT_TRUE(IsPemPrivateKey(padded));
  EXPECT_TRUE(IsPemPrivateKey(ReadTestFile("certificates/server-ec.key")));
  EXPECT_FALSE(IsPemPrivateKey(ReadTestFile("certificates/server-rsa-encrypted.key")));
  EXPECT_FALSE(IsPemPrivateKey(ReadTestFile("certificates/server-rsa.pem")));
  EXPECT_FALSE(IsPemPrivateKey("text\n" + ReadTestFile("certificates/server-rsa.key")));
  EXPECT_FALSE(IsPemPrivateKey(ReadTestFile("certificates/server-rsa.key") + "text"));
  EXPECT_FALSE(IsPemPrivateKey(""));
}

}  // namespace
}  // namespace iamd::auth
