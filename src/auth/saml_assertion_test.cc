#include "auth/saml_assertion.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <xmlsec/crypto.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlenc.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <sstream>

#include "auth/testing/http_text.h"
#include "common/strings.h"

namespace iamd::auth {
namespace {

std::string Testdata(const std::string& name) { return test_support::AuthTestdata("saml/" + name); }

std::string CertBase64(const std::string& pem) {
  std::string out;
  std::istringstream in(pem);
  for (std::string line; std::getline(in, line);)
    if (!line.starts_with("-----")) out += line;
  return out;
}

std::string Metadata(const std::string& cert_pem, const char* use = "signing") {
  return R"(<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor)" +
         (*use ? std::string(" use=\"") + use + "\"" : std::string()) + R"(>
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>
)" + CertBase64(cert_pem) +
         R"(
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>)";
}

std::string SignatureTemplate(const std::string& id, bool ec = false) {
  return R"(<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>)"
         R"(<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>)"
         R"(<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#)" +
         std::string(ec ? "ecdsa-sha256" : "rsa-sha256") + R"("/>)" + R"(<ds:Reference URI="#)" +
         id +
         R"("><ds:Transforms>)"
         R"(<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>)"
         R"(<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>)"
         R"(<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>)"
         R"(<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature>)";
}

struct Shape {
  bool sign_assertion = true;
  bool sign_response = false;
  std::string assertion_reference = "a1";  // what the assertion's signature points to
  bool ec = false;
  std::string status = "urn:oasis:names:tc:SAML:2.0:status:Success";
};

// An IdP's response: ADFS-like attributes, with signature templates where `shape` asks.
std::string ResponseXml(const Shape& shape) {
  return R"(<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" )"
         R"(xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r1" Version="2.0" )"
         R"(IssueInstant="2026-12-03T08:00:00Z" Destination="https://signin.aws.amazon.com/saml">)"
         R"(<saml:Issuer>https://idp.example.com/saml</saml:Issuer>)" +
         (shape.sign_response ? SignatureTemplate("r1", shape.ec) : "") +
         R"(<samlp:Status><samlp:StatusCode Value=")" + shape.status +
         R"("/></samlp:Status>)"
         R"(<saml:Assertion ID="a1" Version="2.0" IssueInstant="2026-12-03T08:00:00Z">)"
         R"(<saml:Issuer>https://idp.example.com/saml</saml:Issuer>)" +
         (shape.sign_assertion ? SignatureTemplate(shape.assertion_reference, shape.ec) : "") +
         R"(<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">)"
         R"(jdoe@example.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">)"
         R"(<saml:SubjectConfirmationData NotOnOrAfter="2026-12-03T08:05:00Z" )"
         R"(Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>)"
         R"(<saml:Conditions NotBefore="2026-12-03T07:59:00Z" NotOnOrAfter="2026-12-03T08:05:00Z">)"
         R"(<saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience>)"
         R"(</saml:AudienceRestriction></saml:Conditions>)"
         R"(<saml:AuthnStatement AuthnInstant="2026-12-03T08:00:00Z" SessionNotOnOrAfter="2026-12-03T16:00:00Z"/>)"
         R"(<saml:AttributeStatement>)"
         R"(<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">)"
         R"(<saml:AttributeValue>arn:aws:iam::123456789012:role/Admin,arn:aws:iam::123456789012:saml-provider/Idp</saml:AttributeValue>)"
         R"(<saml:AttributeValue>arn:aws:iam::123456789012:saml-provider/Idp,arn:aws:iam::123456789012:role/Dev</saml:AttributeValue>)"
         R"(</saml:Attribute><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName">)"
         R"(<saml:AttributeValue>jdoe</saml:AttributeValue></saml:Attribute>)"
         R"(</saml:AttributeStatement></saml:Assertion></samlp:Response>)";
}

// Encrypts the assertion of `doc` for the holder of the certificate testdata/saml/`cert` as an
// IdP does: AES-128-CBC, the key wrapped with RSA-OAEP inside the EncryptedData's KeyInfo, in
// an EncryptedAssertion.
void EncryptAssertion(xmlDocPtr doc, const std::string& cert,
                      xmlSecTransformId key_transport = xmlSecTransformRsaOaepId) {
  xmlNodePtr response = xmlDocGetRootElement(doc);
  xmlNodePtr assertion = nullptr;
  for (xmlNodePtr n = response->children; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "Assertion") == 0) assertion = n;
  ASSERT_NE(assertion, nullptr);
  xmlNodePtr wrapper = xmlNewNode(assertion->ns, BAD_CAST "EncryptedAssertion");
  xmlAddPrevSibling(assertion, wrapper);
  xmlUnlinkNode(assertion);
  xmlAddChild(wrapper, assertion);
  xmlNodePtr tmpl = xmlSecTmplEncDataCreate(doc, xmlSecTransformAes128CbcId, nullptr,
                                            xmlSecTypeEncElement, nullptr, nullptr);
  ASSERT_NE(xmlSecTmplEncDataEnsureCipherValue(tmpl), nullptr);
  xmlNodePtr key_info = xmlSecTmplEncDataEnsureKeyInfo(tmpl, nullptr);
  xmlNodePtr encrypted_key =
      xmlSecTmplKeyInfoAddEncryptedKey(key_info, key_transport, nullptr, nullptr, nullptr);
  ASSERT_NE(xmlSecTmplEncDataEnsureCipherValue(encrypted_key), nullptr);
  xmlSecKeysMngrPtr mngr = xmlSecKeysMngrCreate();
  ASSERT_GE(xmlSecCryptoAppDefaultKeysMngrInit(mngr), 0);
  const std::string path = (test_support::SourceDir() / "src/auth/testdata/saml" / cert).string();
  xmlSecKeyPtr rsa =
      xmlSecCryptoAppKeyLoad(path.c_str(), xmlSecKeyDataFormatCertPem, nullptr, nullptr, nullptr);
  ASSERT_NE(rsa, nullptr);
  ASSERT_GE(xmlSecCryptoAppDefaultKeysMngrAdoptKey(mngr, rsa), 0);
  xmlSecEncCtxPtr ctx = xmlSecEncCtxCreate(mngr);
  ctx->encKey = xmlSecKeyGenerate(xmlSecKeyDataAesId, 128, xmlSecKeyDataTypeSession);
  ASSERT_GE(xmlSecEncCtxXmlEncrypt(ctx, tmpl, assertion), 0);
  xmlSecEncCtxDestroy(ctx);
  xmlSecKeysMngrDestroy(mngr);
}

// Signs the signature templates of `xml` with the key in testdata/saml/`key`, the assertion's
// first (the response's signature covers it), as an IdP would; with `encrypt_for`, the
// assertion is encrypted for that certificate between the two.
std::string Sign(const std::string& xml, const std::string& key,
                 const std::string& encrypt_for = "",
                 xmlSecTransformId key_transport = xmlSecTransformRsaOaepId) {
  // ReadSamlResponse initializes libxml2 and xmlsec; a throwaway call makes sure it did.
  (void)ReadSamlResponse("", "");
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "t.xml", nullptr, 0);
  EXPECT_NE(doc, nullptr);
  xmlNodePtr response = xmlDocGetRootElement(doc);
  std::vector<xmlNodePtr> inner, outer;
  for (xmlNodePtr n = response->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (xmlStrcmp(n->name, BAD_CAST "Assertion") == 0) {
      xmlAddID(nullptr, doc, BAD_CAST "a1", xmlHasProp(n, BAD_CAST "ID"));
      for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, BAD_CAST "Signature") == 0)
          inner.push_back(c);
    }
    if (xmlStrcmp(n->name, BAD_CAST "Signature") == 0) outer.push_back(n);
  }
  xmlAddID(nullptr, doc, BAD_CAST "r1", xmlHasProp(response, BAD_CAST "ID"));
  const std::string path = (test_support::SourceDir() / "src/auth/testdata/saml" / key).string();
  auto sign = [&](const std::vector<xmlNodePtr>& signatures) {
    for (xmlNodePtr sig : signatures) {
      xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(nullptr);
      ctx->signKey =
          xmlSecCryptoAppKeyLoad(path.c_str(), xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr);
      EXPECT_NE(ctx->signKey, nullptr);
      EXPECT_EQ(xmlSecDSigCtxSign(ctx, sig), 0);
      xmlSecDSigCtxDestroy(ctx);
    }
  };
  sign(inner);
  if (!encrypt_for.empty()) EncryptAssertion(doc, encrypt_for, key_transport);
  sign(outer);
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemory(doc, &out, &size);
  std::string text(reinterpret_cast<const char*>(out), static_cast<size_t>(size));
  xmlFree(out);
  xmlFreeDoc(doc);
  return text;
}

std::string Signed(const Shape& shape = {}, const std::string& key = "idp-key.pem") {
  return Base64Encode(Sign(ResponseXml(shape), key));
}

TEST(ReadSamlResponse, ReadsAnAssertionItsOwnSignatureCovers) {
  auto a = ReadSamlResponse(Signed(), Metadata(Testdata("idp-cert.pem")));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->issuer, "https://idp.example.com/saml");
  EXPECT_EQ(a->subject, "jdoe@example.com");
  EXPECT_EQ(a->subject_format, "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
  EXPECT_EQ(a->audience_restrictions,
            std::vector<std::vector<std::string>>{{"https://signin.aws.amazon.com/saml"}});
  EXPECT_EQ(a->recipients, std::vector<std::string>{"https://signin.aws.amazon.com/saml"});
  EXPECT_EQ(a->issue_instant, 1796284800000);  // 2026-12-03T08:00:00Z
  EXPECT_EQ(a->not_before, 1796284800000 - 60000);
  EXPECT_EQ(a->not_on_or_after, 1796284800000 + 300000);
  EXPECT_EQ(a->confirmation_not_on_or_after, 1796284800000 + 300000);
  EXPECT_EQ(a->session_not_on_or_after, 1796284800000 + 8 * 3600000);
  const auto* roles = a->Attribute("https://aws.amazon.com/SAML/Attributes/Role");
  ASSERT_NE(roles, nullptr);
  ASSERT_EQ(roles->size(), 2u);
  EXPECT_EQ((*roles)[1],
            "arn:aws:iam::123456789012:saml-provider/Idp,arn:aws:iam::123456789012:role/Dev");
  EXPECT_EQ(a->Attribute("nope"), nullptr);
}

TEST(ReadSamlResponse, AcceptsTheResponsesSignatureAlone) {
  Shape shape;
  shape.sign_assertion = false;
  shape.sign_response = true;
  auto a = ReadSamlResponse(Signed(shape), Metadata(Testdata("idp-cert.pem")));
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->subject, "jdoe@example.com");
}

TEST(ReadSamlResponse, AcceptsBothSignaturesAndAnEcdsaKey) {
  Shape shape;
  shape.sign_response = true;
  shape.ec = true;
  auto a = ReadSamlResponse(Signed(shape, "ec-key.pem"), Metadata(Testdata("ec-cert.pem"), ""));
  EXPECT_TRUE(a.has_value()) << a.error().message;
}

TEST(ReadSamlResponse, RefusesAnotherKeysSignature) {
  auto a = ReadSamlResponse(Signed({}, "other-key.pem"), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kBadSignature);
}

TEST(ReadSamlResponse, IgnoresCertificatesForEncryption) {
  auto a = ReadSamlResponse(Signed(), Metadata(Testdata("idp-cert.pem"), "encryption"));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kNoKey);
}

TEST(ReadSamlResponse, RefusesAChangedAttribute) {
  std::string xml = Sign(ResponseXml({}), "idp-key.pem");
  const size_t at = xml.find("role/Dev");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 8, "role/Own");
  auto a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kBadSignature);
}

TEST(ReadSamlResponse, RefusesAnUnsignedResponse) {
  Shape shape;
  shape.sign_assertion = false;
  auto a = ReadSamlResponse(Base64Encode(ResponseXml(shape)), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kUnsigned);
}

// A signature inside the assertion that signs the response instead: it does not cover the
// assertion as its enveloping element, so it is refused.
TEST(ReadSamlResponse, RefusesASignatureReferencingAnotherElement) {
  Shape shape;
  shape.assertion_reference = "r1";
  auto a = ReadSamlResponse(Signed(shape), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kBadSignature);
}

// Signature wrapping: the signed assertion is moved under Extensions and a forged one, with
// the same ID and the moved assertion's signature copied in, takes its place.
TEST(ReadSamlResponse, RefusesAWrappedAssertion) {
  const std::string xml = Sign(ResponseXml({}), "idp-key.pem");
  const size_t begin = xml.find("<saml:Assertion");
  const size_t end = xml.find("</saml:Assertion>") + std::string_view("</saml:Assertion>").size();
  const std::string original = xml.substr(begin, end - begin);
  std::string forged = original;
  forged.replace(forged.find("role/Dev"), 8, "role/Own");
  std::string wrapped = xml.substr(0, begin) + "<samlp:Extensions>" + original +
                        "</samlp:Extensions>" + forged + xml.substr(end);
  auto a = ReadSamlResponse(Base64Encode(wrapped), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kBadSignature);
}

TEST(ReadSamlResponse, RefusesTwoAssertions) {
  std::string xml = Sign(ResponseXml({}), "idp-key.pem");
  const size_t begin = xml.find("<saml:Assertion");
  const size_t end = xml.find("</saml:Assertion>") + std::string_view("</saml:Assertion>").size();
  xml.insert(end, xml.substr(begin, end - begin));
  auto a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kMalformed);
}

TEST(ReadSamlResponse, RefusesADocumentWithADtd) {
  const std::string xml =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"x\">]>" + ResponseXml({}).substr(0);
  auto a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kMalformed);
}

TEST(ReadSamlResponse, RefusesWhatIsNotBase64OrNotAResponse) {
  const std::string metadata = Metadata(Testdata("idp-cert.pem"));
  EXPECT_EQ(ReadSamlResponse("not base64!", metadata).error().kind, SamlFailure::kNotBase64);
  EXPECT_EQ(ReadSamlResponse(Base64Encode("<a/>"), metadata).error().kind, SamlFailure::kMalformed);
  EXPECT_EQ(ReadSamlResponse(Base64Encode("<unclosed"), metadata).error().kind,
            SamlFailure::kMalformed);
}

TEST(ReadSamlResponse, RefusesAFailedStatusAndEncryptedAssertions) {
  Shape shape;
  shape.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";
  EXPECT_EQ(ReadSamlResponse(Signed(shape), Metadata(Testdata("idp-cert.pem"))).error().kind,
            SamlFailure::kNotSuccess);
  const std::string whole = ResponseXml({});
  const size_t begin = whole.find("<saml:Assertion");
  const std::string xml =
      whole.substr(0, begin) +
      "<saml:EncryptedAssertion><xenc:EncryptedData "
      "xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></saml:EncryptedAssertion>" +
      whole.substr(whole.find("</saml:Assertion>") + 17);
  EXPECT_EQ(ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem"))).error().kind,
            SamlFailure::kEncrypted);
}

TEST(ReadSamlResponse, IgnoresWhiteSpaceInTheBase64) {
  const std::string compact = Signed();
  std::string b64;
  for (size_t i = 0; i < compact.size(); i += 76) b64 += compact.substr(i, 76) + "\r\n";
  EXPECT_TRUE(ReadSamlResponse(b64, Metadata(Testdata("idp-cert.pem"))).has_value());
}

// The SAML provider's private key (AddPrivateKey) opens an assertion encrypted for it
// (testdata other-key.pem plays the provider's key, other-cert.pem the certificate the IdP
// encrypts for); the assertion's own signature is verified once decrypted.
TEST(ReadSamlResponse, DecryptsAnEncryptedAssertionWithTheProvidersKey) {
  const std::string response = Base64Encode(Sign(ResponseXml({}), "idp-key.pem", "other-cert.pem"));
  ASSERT_EQ(Base64Decode(response)->find("jdoe@example.com"), std::string::npos);
  auto a = ReadSamlResponse(response, Metadata(Testdata("idp-cert.pem")),
                            {Testdata("idp-key.pem"), Testdata("other-key.pem")});
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_TRUE(a->encrypted);
  EXPECT_EQ(a->subject, "jdoe@example.com");
  EXPECT_EQ(a->Attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName")->front(),
            "jdoe");
  EXPECT_EQ(
      ReadSamlResponse(response, Metadata(Testdata("idp-cert.pem")), {Testdata("idp-key.pem")})
          .error()
          .kind,
      SamlFailure::kBadSignature);
  EXPECT_EQ(ReadSamlResponse(response, Metadata(Testdata("idp-cert.pem"))).error().kind,
            SamlFailure::kEncrypted);
}

// The response's signature, made over the encrypted assertion, covers it.
TEST(ReadSamlResponse, AcceptsAResponseSignatureOverAnEncryptedAssertion) {
  Shape shape;
  shape.sign_assertion = false;
  shape.sign_response = true;
  const std::string response =
      Base64Encode(Sign(ResponseXml(shape), "idp-key.pem", "other-cert.pem"));
  auto a =
      ReadSamlResponse(response, Metadata(Testdata("idp-cert.pem")), {Testdata("other-key.pem")});
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->subject, "jdoe@example.com");
}

// Anyone can encrypt for the provider's certificate: an encrypted assertion nobody signed is
// refused, with the answer of every failure after decryption.
TEST(ReadSamlResponse, RefusesAnEncryptedAssertionNobodySigned) {
  Shape shape;
  shape.sign_assertion = false;
  const std::string response =
      Base64Encode(Sign(ResponseXml(shape), "idp-key.pem", "other-cert.pem"));
  auto a =
      ReadSamlResponse(response, Metadata(Testdata("idp-cert.pem")), {Testdata("other-key.pem")});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kBadSignature);
}

TEST(ReadSamlResponse, FollowsNoRetrievalMethod) {
  std::string xml = Sign(ResponseXml({}), "idp-key.pem", "other-cert.pem");
  const std::string key_info = "<KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\">";
  const size_t at = xml.find(key_info);
  ASSERT_NE(at, std::string::npos) << xml;
  xml = xml.substr(0, at + key_info.size()) +
        "<RetrievalMethod URI=\"file:///etc/passwd\" "
        "Type=\"http://www.w3.org/2001/04/xmlenc#EncryptedKey\"/>" +
        xml.substr(at + key_info.size());
  auto a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")),
                            {Testdata("other-key.pem")});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kMalformed);
}

// RSA PKCS#1 v1.5 key transport is refused before any decryption (its padding errors are an
// oracle), as the algorithms outside AES-CBC/GCM and RSA-OAEP are.
TEST(ReadSamlResponse, RefusesRsaPkcs1KeyTransport) {
  const std::string response = Base64Encode(
      Sign(ResponseXml({}), "idp-key.pem", "other-cert.pem", xmlSecTransformRsaPkcs1Id));
  auto a =
      ReadSamlResponse(response, Metadata(Testdata("idp-cert.pem")), {Testdata("other-key.pem")});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kMalformed);
}

// A reference xmlsec would evaluate as an XPath over the whole document, for every element
// (seconds of CPU for a few kilobytes, before any signature value is checked): refused by its
// shape, as is a Manifest in a ds:Object beside a valid signature.
TEST(ReadSamlResponse, RefusesXPointerReferencesAndManifests) {
  Shape shape;
  shape.assertion_reference = "xpointer(//*[count(//*[count(//*) > 0]) > 0])";
  std::string xml = ResponseXml(shape);
  std::string filler;
  for (int i = 0; i < 2000; ++i) filler += "<saml:x/>";
  xml.insert(xml.find("<saml:Subject>"), "<saml:Advice>" + filler + "</saml:Advice>");
  auto a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kBadSignature);

  std::string signed_xml = Sign(ResponseXml({}), "idp-key.pem");
  const size_t end = signed_xml.find("</ds:Signature>");
  ASSERT_NE(end, std::string::npos);
  signed_xml.insert(
      end,
      "<ds:Object><ds:Manifest><ds:Reference URI=\"#xpointer(//*)\">"
      "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
      "<ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:Manifest></ds:Object>");
  a = ReadSamlResponse(Base64Encode(signed_xml), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kBadSignature);
}

// The response's Issuer is outside what an assertion's signature covers: an assertion without
// its own Issuer is refused.
TEST(ReadSamlResponse, RequiresTheAssertionsOwnIssuer) {
  std::string xml = ResponseXml({});
  const std::string issuer = "<saml:Issuer>https://idp.example.com/saml</saml:Issuer>";
  const size_t in_assertion = xml.find(issuer, xml.find("<saml:Assertion"));
  xml = xml.substr(0, in_assertion) + xml.substr(in_assertion + issuer.size());
  auto a =
      ReadSamlResponse(Base64Encode(Sign(xml, "idp-key.pem")), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kMalformed);
}

// An ID that is not an NCName would be XPath inside xmlsec's id('...'): refused.
TEST(ReadSamlResponse, RefusesIdsThatAreNotNcNames) {
  std::string xml = Sign(ResponseXml({}), "idp-key.pem");
  const std::string id = "ID=\"r1\"";
  xml.replace(xml.find(id), id.size(), "ID=\"r1')|//*|id('z\"");
  auto a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kMalformed);
}

// xmlsec reads an attribute by local name, whatever its namespace: a namespaced twin of the
// checked URI (or Algorithm) could be the one it uses, so any namespaced attribute in a
// signature or an encrypted assertion is refused, even a harmless one.
TEST(ReadSamlResponse, RefusesNamespacedAttributesInSignaturesAndEncryption) {
  std::string xml = Sign(ResponseXml({}), "idp-key.pem");
  const std::string reference = "<ds:Reference ";
  xml.replace(xml.find(reference), reference.size(),
              "<ds:Reference xmlns:q=\"urn:q\" q:URI=\"#a1\" ");
  auto a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kBadSignature);

  xml = Sign(ResponseXml({}), "idp-key.pem", "other-cert.pem");
  const std::string method = "<EncryptionMethod ";
  xml.replace(xml.find(method), method.size(),
              "<EncryptionMethod xmlns:q=\"urn:q\" "
              "q:Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\" ");
  a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")),
                       {Testdata("other-key.pem")});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kMalformed);
}

// One EncryptedKey, inside the EncryptedData's KeyInfo: each more would cost an RSA
// decryption per private key for anyone who sends it.
TEST(ReadSamlResponse, RefusesMoreThanOneEncryptedKey) {
  std::string xml = Sign(ResponseXml({}), "idp-key.pem", "other-cert.pem");
  const size_t begin = xml.find("<EncryptedKey");
  const size_t end = xml.find("</EncryptedKey>") + std::string_view("</EncryptedKey>").size();
  ASSERT_NE(begin, std::string::npos);
  xml = xml.substr(0, end) + xml.substr(begin, end - begin) + xml.substr(end);
  auto a = ReadSamlResponse(Base64Encode(xml), Metadata(Testdata("idp-cert.pem")),
                            {Testdata("other-key.pem")});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().kind, SamlFailure::kMalformed);
}

// IAM User Guide, "Configure SAML assertions for the authentication response": NameQualifier
// is BASE64(SHA1("https://example.com/saml" + "123456789012" + "/MySAMLIdP")).
TEST(SamlNameQualifier, HashesIssuerAccountAndProviderName) {
  EXPECT_EQ(SamlNameQualifier("https://example.com/saml", "123456789012", "MySAMLIdP"),
            "1uAJanUnBc2XeUkHURMht+xam2c=");
}

TEST(SamlMetadataEntityId, ReadsTheRootsEntityId) {
  EXPECT_EQ(SamlMetadataEntityId(Metadata(Testdata("idp-cert.pem"))),
            "https://idp.example.com/saml");
  EXPECT_EQ(SamlMetadataEntityId("<x/>"), "");
}

}  // namespace
}  // namespace iamd::auth
