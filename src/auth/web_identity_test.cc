#include "auth/web_identity.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "common/strings.h"

namespace iamd::auth {
namespace {

std::string BigNumParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(key, name, &bn), 1);
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

std::string FixedBigNum(const BIGNUM* bn, size_t size) {
  std::string out(size, '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size));
  return out;
}

// A key pair an identity provider might sign with, its JWK, and a way to sign tokens.
class TestSigner {
 public:
  static TestSigner Rsa(int bits, std::string kid) {
    TestSigner s;
    s.key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
    s.kid_ = std::move(kid);
    s.jwk_ = R"({"kty":"RSA","use":"sig","alg":"RS256","kid":")" + s.kid_ + R"(","n":")" +
             Base64UrlEncode(BigNumParam(s.key_, OSSL_PKEY_PARAM_RSA_N)) + R"(","e":")" +
             Base64UrlEncode(BigNumParam(s.key_, OSSL_PKEY_PARAM_RSA_E)) + R"("})";
    return s;
  }
  static TestSigner Ec(const char* curve, std::string_view crv, size_t coordinate,
                       std::string kid) {
    TestSigner s;
    s.key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
    s.kid_ = std::move(kid);
    s.coordinate_ = coordinate;
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    EVP_PKEY_get_bn_param(s.key_, OSSL_PKEY_PARAM_EC_PUB_X, &x);
    EVP_PKEY_get_bn_param(s.key_, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
    s.jwk_ = R"({"kty":"EC","crv":")" + std::string(crv) + R"(","kid":")" + s.kid_ + R"(","x":")" +
             Base64UrlEncode(FixedBigNum(x, coordinate)) + R"(","y":")" +
             Base64UrlEncode(FixedBigNum(y, coordinate)) + R"("})";
    BN_free(x);
    BN_free(y);
    return s;
  }
  TestSigner(TestSigner&& o) noexcept
      : key_(std::exchange(o.key_, nullptr)),
        kid_(std::move(o.kid_)),
        jwk_(std::move(o.jwk_)),
        coordinate_(o.coordinate_) {}
  ~TestSigner() { EVP_PKEY_free(key_); }

  const std::string& jwk() const { return jwk_; }

  // header.payload.signature, with "kid" in the header unless `with_kid` is false.
  // `coordinate`: ECDSA's r and s padded to this size instead of the key's curve's.
  std::string Sign(std::string_view alg, std::string_view payload, bool with_kid = true,
                   size_t coordinate = 0) const {
    if (coordinate == 0) coordinate = coordinate_;
    std::string header = R"({"alg":")" + std::string(alg) + R"(","typ":"JWT")";
    if (with_kid) header += R"(,"kid":")" + kid_ + '"';
    header += '}';
    const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
    const EVP_MD* md = alg.ends_with("256")   ? EVP_sha256()
                       : alg.ends_with("384") ? EVP_sha384()
                                              : EVP_sha512();
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, md, nullptr, key_);
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    EVP_DigestSign(ctx, nullptr, &len, data, input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, data, input.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (coordinate_ != 0) {  // DER -> r || s
      const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
      ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
      sig = FixedBigNum(ECDSA_SIG_get0_r(es), coordinate) +
            FixedBigNum(ECDSA_SIG_get0_s(es), coordinate);
      ECDSA_SIG_free(es);
    }
    return input + "." + Base64UrlEncode(sig);
  }

 private:
  TestSigner() = default;
  EVP_PKEY* key_ = nullptr;
  std::string kid_, jwk_;
  size_t coordinate_ = 0;
};

const TestSigner& Rsa() {
  static const TestSigner s = TestSigner::Rsa(2048, "rsa-1");
  return s;
}
const TestSigner& Ec256() {
  static const TestSigner s = TestSigner::Ec("P-256", "P-256", 32, "ec-1");
  return s;
}

std::shared_ptr<const JsonWebKeySet> KeySet(std::initializer_list<const TestSigner*> signers) {
  std::string json = R"({"keys":[)";
  for (const TestSigner* s : signers) json += s->jwk() + ",";
  json.back() = ']';
  json += '}';
  auto set = JsonWebKeySet::Parse(json);
  EXPECT_TRUE(set.has_value()) << set.error();
  return set ? *set : nullptr;
}

constexpr std::string_view kClaims =
    R"({"iss":"https://token.actions.githubusercontent.com",)"
    R"("sub":"repo:octo/app:ref:refs/heads/main",)"
    R"("aud":"sts.amazonaws.com","exp":1900000000.5,"iat":1800000000,"nbf":1799999990,)"
    R"("amr":["authenticated","mfa"],"email":"a@example.com"})";

TEST(WebIdentityToken, ParsesClaims) {
  auto token = ParseWebIdentityToken(Rsa().Sign("RS256", kClaims));
  ASSERT_TRUE(token);
  EXPECT_EQ(token->algorithm, "RS256");
  EXPECT_EQ(token->key_id, "rsa-1");
  EXPECT_EQ(token->issuer, "https://token.actions.githubusercontent.com");
  EXPECT_EQ(token->subject, "repo:octo/app:ref:refs/heads/main");
  EXPECT_EQ(token->audiences, std::vector<std::string>{"sts.amazonaws.com"});
  EXPECT_EQ(token->amr, (std::vector<std::string>{"authenticated", "mfa"}));
  EXPECT_EQ(token->email, "a@example.com");
  EXPECT_EQ(token->expires, 1900000000);  // fractions dropped
  EXPECT_EQ(token->issued_at, 1800000000);
  EXPECT_EQ(token->not_before, 1799999990);
  EXPECT_TRUE(token->principal_tags.empty());
  EXPECT_FALSE(token->tags_malformed);
  EXPECT_EQ(token->source_identity, "");
  auto with_source = ParseWebIdentityToken(
      Rsa().Sign("RS256", R"({"https://aws.amazon.com/source_identity":"octocat"})"));
  ASSERT_TRUE(with_source);
  EXPECT_EQ(with_source->source_identity, "octocat");
}

TEST(WebIdentityToken, AudienceArrayAndSessionTags) {
  auto token = ParseWebIdentityToken(Rsa().Sign(
      "RS256",
      R"({"iss":"https://idp.example.com","aud":["a","b"],"https://aws.amazon.com/tags":)"
      R"({"principal_tags":{"Project":["Blue"],"Team":["Ops"]},"transitive_tag_keys":["Team"]}})"));
  ASSERT_TRUE(token);
  EXPECT_EQ(token->audiences, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(token->principal_tags.size(), 2u);
  EXPECT_EQ(token->principal_tags[0], (std::pair<std::string, std::string>{"Project", "Blue"}));
  EXPECT_EQ(token->transitive_tag_keys, std::vector<std::string>{"Team"});
  EXPECT_FALSE(token->tags_malformed);

  auto bad = ParseWebIdentityToken(Rsa().Sign(
      "RS256", R"({"https://aws.amazon.com/tags":{"principal_tags":{"Project":"Blue"}}})"));
  ASSERT_TRUE(bad);
  EXPECT_TRUE(bad->tags_malformed);
}

TEST(WebIdentityToken, MalformedTokensDoNotParse) {
  const std::string good = Rsa().Sign("RS256", kClaims);
  EXPECT_FALSE(ParseWebIdentityToken(""));
  EXPECT_FALSE(ParseWebIdentityToken("not-a-jwt"));
  EXPECT_FALSE(ParseWebIdentityToken("a.b"));
  EXPECT_FALSE(ParseWebIdentityToken(good + ".extra"));
  EXPECT_FALSE(ParseWebIdentityToken("!!!." + good.substr(good.find('.') + 1)));
  // Standard base64's characters are not base64url.
  EXPECT_FALSE(ParseWebIdentityToken(good.substr(0, good.rfind('.')) + ".ab+/"));
  EXPECT_FALSE(ParseWebIdentityToken(Base64UrlEncode("[1]") + "." + Base64UrlEncode("{}") + ".c2ln"));
  EXPECT_FALSE(ParseWebIdentityToken(Base64UrlEncode(R"({"alg":"RS256"})") + "." + Base64UrlEncode("not json") +
                                     ".c2ln"));
  EXPECT_FALSE(ParseWebIdentityToken(Rsa().Sign("RS256", R"({"iss":7})")));
  EXPECT_FALSE(ParseWebIdentityToken(Rsa().Sign("RS256", R"({"aud":[1]})")));
  EXPECT_FALSE(ParseWebIdentityToken(Rsa().Sign("RS256", R"({"exp":"soon"})")));
  // Strict JSON: a claim twice, NUL (raw, escaped or after the object), bad UTF-8, deep nesting.
  EXPECT_FALSE(ParseWebIdentityToken(Rsa().Sign("RS256", R"({"sub":"a","sub":"b"})")));
  EXPECT_FALSE(ParseWebIdentityToken(
      Rsa().Sign("RS256", R"({"x":{"k":1,"k":2}})")));  // in a nested object too
  EXPECT_FALSE(ParseWebIdentityToken(Rsa().Sign("RS256", std::string(R"({"sub":"a"})") + '\0')));
  EXPECT_FALSE(ParseWebIdentityToken(Rsa().Sign("RS256", R"({"sub":"a\u0000b"})")));
  EXPECT_FALSE(ParseWebIdentityToken(Rsa().Sign("RS256", "{\"sub\":\"\xff\xfe\"}")));
  EXPECT_FALSE(ParseWebIdentityToken(
      Rsa().Sign("RS256", R"({"x":)" + std::string(20, '[') + std::string(20, ']') + "}")));
  EXPECT_TRUE(ParseWebIdentityToken(
      Rsa().Sign("RS256", R"({"x":)" + std::string(15, '[') + std::string(15, ']') + "}")));
  EXPECT_TRUE(ParseWebIdentityToken(Rsa().Sign("RS256", R"({"sub":"caf\u00e9 ✓"})")));
  EXPECT_FALSE(ParseWebIdentityToken(
      Rsa().Sign("RS256", R"({"https://aws.amazon.com/source_identity":["a"]})")));
}

TEST(WebIdentityToken, RsaSignatureVerifies) {
  auto keys = KeySet({&Rsa(), &Ec256()});
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->size(), 2u);
  for (std::string_view alg : {"RS256", "RS384", "RS512"}) {
    auto token = ParseWebIdentityToken(Rsa().Sign(alg, kClaims));
    ASSERT_TRUE(token);
    EXPECT_TRUE(VerifySignature(*token, *keys)) << alg;
  }
  // Without "kid", any key of the algorithm's type may verify.
  auto no_kid = ParseWebIdentityToken(Rsa().Sign("RS256", kClaims, false));
  ASSERT_TRUE(no_kid);
  EXPECT_TRUE(VerifySignature(*no_kid, *keys));
}

TEST(WebIdentityToken, EcSignaturesVerify) {
  const TestSigner p384 = TestSigner::Ec("P-384", "P-384", 48, "ec-384");
  const TestSigner p521 = TestSigner::Ec("P-521", "P-521", 66, "ec-521");
  auto keys = KeySet({&Ec256(), &p384, &p521});
  auto es256 = ParseWebIdentityToken(Ec256().Sign("ES256", kClaims));
  auto es384 = ParseWebIdentityToken(p384.Sign("ES384", kClaims));
  auto es512 = ParseWebIdentityToken(p521.Sign("ES512", kClaims));
  ASSERT_TRUE(es256 && es384 && es512);
  EXPECT_TRUE(VerifySignature(*es256, *keys));
  EXPECT_TRUE(VerifySignature(*es384, *keys));
  EXPECT_TRUE(VerifySignature(*es512, *keys));
  // The algorithm must match the key's curve.
  // A P-256 key's signature of the SHA-384 digest, its r and s padded to P-384's size and
  // labelled ES384: the right length for ES384, but the key is not on that curve.
  auto mislabelled = ParseWebIdentityToken(Ec256().Sign("ES384", kClaims, true, 48));
  ASSERT_TRUE(mislabelled);
  EXPECT_EQ(mislabelled->signature.size(), 96u);
  EXPECT_FALSE(VerifySignature(*mislabelled, *keys));
  auto unpadded = ParseWebIdentityToken(Ec256().Sign("ES384", kClaims));
  ASSERT_TRUE(unpadded);
  EXPECT_FALSE(VerifySignature(*unpadded, *keys));
}

TEST(WebIdentityToken, WrongSignaturesFail) {
  auto keys = KeySet({&Rsa(), &Ec256()});
  const std::string good = Rsa().Sign("RS256", kClaims);
  // Whether `compact`, parsed and then changed by `change`, verifies with `keys`.
  auto verifies = [&](const std::string& compact, auto change) {
    auto token = ParseWebIdentityToken(compact);
    EXPECT_TRUE(token) << compact;
    if (!token) return false;
    change(*token);
    return VerifySignature(*token, *keys);
  };
  auto as_is = [](WebIdentityToken&) {};
  EXPECT_TRUE(verifies(good, as_is));
  // Another payload under the same signature.
  std::string tampered = good;
  const size_t dot = tampered.find('.');
  tampered.replace(
      dot + 1, tampered.rfind('.') - dot - 1,
      Base64UrlEncode(R"({"iss":"https://token.actions.githubusercontent.com","sub":"x"})"));
  EXPECT_FALSE(verifies(tampered, as_is));
  // A key the set does not have.
  const TestSigner stranger = TestSigner::Rsa(2048, "rsa-1");
  EXPECT_FALSE(verifies(stranger.Sign("RS256", kClaims), as_is));
  // A kid the set does not have, though the key is in it.
  EXPECT_FALSE(verifies(good, [](WebIdentityToken& t) { t.key_id = "rsa-2"; }));
  // "none", HMAC, unknown algorithms, and an RSA signature labelled ES256 never verify.
  for (std::string_view alg : {"none", "HS256", "PS256", "ES256"})
    EXPECT_FALSE(verifies(good, [&](WebIdentityToken& t) { t.algorithm = std::string(alg); }))
        << alg;
  // No signature at all.
  EXPECT_FALSE(verifies(good.substr(0, good.rfind('.') + 1), as_is));
}

TEST(JsonWebKeySet, RefusesWhatIsNotAKeySet) {
  EXPECT_EQ(JsonWebKeySet::Parse("nope").error(), "not a JSON object");
  EXPECT_EQ(JsonWebKeySet::Parse("{}").error(), "no \"keys\" array");
  EXPECT_EQ(JsonWebKeySet::Parse(R"({"keys":[]})").error(), "no RSA or EC signature key");
  // Skipped: an encryption key, a symmetric key.
  EXPECT_EQ(JsonWebKeySet::Parse(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})").error(),
            "no RSA or EC signature key");
  std::string enc = Rsa().jwk();
  enc.replace(enc.find(R"("use":"sig")"), 11, R"("use":"enc")");
  EXPECT_EQ(JsonWebKeySet::Parse(R"({"keys":[)" + enc + "]}").error(),
            "no RSA or EC signature key");
  EXPECT_EQ(JsonWebKeySet::Parse(R"({"keys":[{"kty":"RSA","n":"AQAB"}]})").error(),
            "key 0: an RSA key needs base64url \"n\" and \"e\"");
  // A curve iamd does not verify with is skipped like a key of another type.
  EXPECT_EQ(
      JsonWebKeySet::Parse(R"({"keys":[{"kty":"EC","crv":"P-192","x":"AA","y":"AA"}]})").error(),
      "no RSA or EC signature key");
  // An RSA exponent of 1 or an even one makes no key.
  for (std::string_view e : {"AQ", "AAI", "AQAA"}) {
    std::string jwk = Rsa().jwk();
    const size_t at = jwk.find(R"("e":")") + 5;
    jwk.replace(at, jwk.find('"', at) - at, e);
    EXPECT_EQ(JsonWebKeySet::Parse(R"({"keys":[)" + jwk + "]}").error(),
              "key 0 is not a valid public key")
        << e;
  }
  // A point that is not on the curve.
  const std::string zeros = Base64UrlEncode(std::string(32, '\x01'));
  EXPECT_EQ(JsonWebKeySet::Parse(R"({"keys":[{"kty":"EC","crv":"P-256","x":")" + zeros +
                                 R"(","y":")" + zeros + R"("}]})")
                .error(),
            "key 0 is not a valid public key");
  const TestSigner weak = TestSigner::Rsa(1024, "weak");
  EXPECT_EQ(JsonWebKeySet::Parse(R"({"keys":[)" + weak.jwk() + "]}").error(),
            "key 0: RSA keys of fewer than 2048 bits are not accepted");
}

}  // namespace
}  // namespace iamd::auth

namespace iamd::auth {
namespace {

// `iamd oidc`: a key of one's own, its key set, and tokens that verify with it.
TEST(MintWebIdentityToken, RoundTripsWithANewKey) {
  for (std::string_view alg : {"RS256", "ES256", "ES384"}) {
    auto key = NewWebIdentitySigningKey(alg, "k-1");
    ASSERT_TRUE(key) << key.error();
    EXPECT_TRUE(key->private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----")) << alg;
    auto keys = JsonWebKeySet::Parse(R"({"keys":[)" + key->jwk + "]}");
    ASSERT_TRUE(keys) << keys.error();
    WebIdentityClaims claims{.issuer = "https://idp.example.com",
                             .subject = "user-1",
                             .audiences = {"app", "sts.amazonaws.com"},
                             .issued_at = 1800000000,
                             .expires = 1800000600,
                             .extra_claims_json = R"({"sub":"user-2","amr":["mfa"]})"};
    auto minted = MintWebIdentityToken(key->private_key_pem, "k-1", claims);
    ASSERT_TRUE(minted) << minted.error();
    auto token = ParseWebIdentityToken(*minted);
    ASSERT_TRUE(token);
    EXPECT_EQ(token->algorithm, alg);
    EXPECT_EQ(token->key_id, "k-1");
    EXPECT_EQ(token->issuer, "https://idp.example.com");
    EXPECT_EQ(token->subject, "user-2");  // the extra claim replaced it
    EXPECT_EQ(token->audiences, (std::vector<std::string>{"app", "sts.amazonaws.com"}));
    EXPECT_EQ(token->amr, std::vector<std::string>{"mfa"});
    EXPECT_EQ(token->expires, 1800000600);
    EXPECT_TRUE(VerifySignature(*token, **keys)) << alg;
    // Another key's set does not verify it.
    auto other = NewWebIdentitySigningKey(alg, "k-1");
    ASSERT_TRUE(other);
    EXPECT_FALSE(VerifySignature(*token, **JsonWebKeySet::Parse(R"({"keys":[)" + other->jwk +
                                                                 "]}")));
  }
}

TEST(MintWebIdentityToken, RefusesWhatItCannotSign) {
  EXPECT_EQ(NewWebIdentitySigningKey("HS256", "k").error(),
            "the algorithm is RS256, ES256 or ES384, not HS256");
  EXPECT_EQ(MintWebIdentityToken("not a key", "k", {}).error(),
            "not an unencrypted PEM private key");
  auto key = NewWebIdentitySigningKey("ES256", "k");
  ASSERT_TRUE(key);
  WebIdentityClaims claims;
  claims.extra_claims_json = "[1]";
  EXPECT_EQ(MintWebIdentityToken(key->private_key_pem, "k", claims).error(),
            "the extra claims are not a JSON object");
}

}  // namespace
}  // namespace iamd::auth
