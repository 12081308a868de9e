#include "auth/web_identity.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>

#include "common/strings.h"

namespace iamd::auth {
namespace {

// Tokens arrive unauthenticated, and their claims are read (the issuer, to find its keys) before
// the signature is checked: JSON is taken strictly. No member name twice in an object (RFC 7519
// section 4 allows refusing that), no NUL anywhere, valid UTF-8, nesting at most kMaxDepth.
constexpr int kMaxDepth = 16;

bool Strict(const rapidjson::Value& v, int depth) {
  if (depth > kMaxDepth) return false;
  auto clean = [](const rapidjson::Value& s) {
    return std::string_view(s.GetString(), s.GetStringLength()).find('\0') ==
           std::string_view::npos;
  };
  if (v.IsString()) return clean(v);
  if (v.IsArray()) {
    for (const auto& item : v.GetArray())
      if (!Strict(item, depth + 1)) return false;
    return true;
  }
  if (!v.IsObject()) return true;
  std::vector<std::string_view> names;
  names.reserve(v.MemberCount());
  for (const auto& m : v.GetObject()) {
    if (!clean(m.name) || !Strict(m.value, depth + 1)) return false;
    names.emplace_back(m.name.GetString(), m.name.GetStringLength());
  }
  std::sort(names.begin(), names.end());
  return std::adjacent_find(names.begin(), names.end()) == names.end();
}

std::optional<rapidjson::Document> ParseObject(std::string_view json) {
  if (json.find('\0') != std::string_view::npos) return std::nullopt;
  rapidjson::Document doc;
  // Iterative: nesting costs no stack, whatever the input.
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(json.data(),
                                                                                    json.size());
  if (doc.HasParseError() || !doc.IsObject() || !Strict(doc, 0)) return std::nullopt;
  return doc;
}

std::string_view Text(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// A string member; "" if absent, nullopt if present and not a string.
std::optional<std::string> StringMember(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return std::string();
  if (!it->value.IsString()) return std::nullopt;
  return std::string(Text(it->value));
}

// A member that is a string or an array of strings; false if it is anything else.
bool StringsMember(const rapidjson::Value& object, const char* name,
                   std::vector<std::string>& out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return true;
  if (it->value.IsString()) {
    out.emplace_back(Text(it->value));
    return true;
  }
  if (!it->value.IsArray()) return false;
  for (const auto& item : it->value.GetArray()) {
    if (!item.IsString()) return false;
    out.emplace_back(Text(item));
  }
  return true;
}

// A NumericDate member (RFC 7519 section 2: seconds, fractions allowed); false if not a number.
bool DateMember(const rapidjson::Value& object, const char* name, std::optional<int64_t>& out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return true;
  if (!it->value.IsNumber()) return false;
  const double seconds = it->value.GetDouble();
  if (!std::isfinite(seconds) || std::fabs(seconds) > 1e15) return false;
  out = static_cast<int64_t>(std::floor(seconds));
  return true;
}

void ReadSessionTags(const rapidjson::Value& payload, WebIdentityToken& token) {
  auto it = payload.FindMember("https://aws.amazon.com/tags");
  if (it == payload.MemberEnd()) return;
  const rapidjson::Value& claim = it->value;
  token.tags_malformed = true;
  if (!claim.IsObject()) return;
  if (auto tags = claim.FindMember("principal_tags"); tags != claim.MemberEnd()) {
    if (!tags->value.IsObject()) return;
    for (const auto& m : tags->value.GetObject()) {
      // Each tag's value is an array of one string.
      if (!m.value.IsArray() || m.value.Size() != 1 || !m.value[0].IsString()) return;
      token.principal_tags.emplace_back(Text(m.name), Text(m.value[0]));
    }
  }
  if (auto keys = claim.FindMember("transitive_tag_keys"); keys != claim.MemberEnd()) {
    if (!keys->value.IsArray()) return;
    for (const auto& k : keys->value.GetArray()) {
      if (!k.IsString()) return;
      token.transitive_tag_keys.emplace_back(Text(k));
    }
  }
  token.tags_malformed = false;
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// An RSA public key from its modulus and exponent (big-endian bytes).
Pkey RsaKey(std::string_view n, std::string_view e) {
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                           static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                           static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY* key = nullptr;
  // An even exponent or 1 makes no RSA key (and with 1 any message "verifies").
  if (bn_n && bn_e && bld && BN_is_odd(bn_e) && !BN_is_one(bn_e) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) &&
      (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
      EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
  }
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  ERR_clear_error();  // what a refused key left in this thread's OpenSSL error queue
  return Pkey(key);
}

// An elliptic-curve public key on `group` (an OpenSSL curve name) from its coordinates.
Pkey EcKey(const char* group, std::string_view x, std::string_view y) {
  std::string point = "\x04";
  point.append(x);
  point.append(y);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  return Pkey(key);
}

// The curves of RFC 7518 section 6.2.1.1: OpenSSL's name and the size of a coordinate.
struct Curve {
  std::string_view jwk_name;
  const char* openssl_name;
  size_t coordinate_bytes;
};
constexpr Curve kCurves[] = {
    {"P-256", "prime256v1", 32}, {"P-384", "secp384r1", 48}, {"P-521", "secp521r1", 66}};

// What "alg" asks for (RFC 7518 section 3.1), for the algorithms iamd verifies.
struct Algorithm {
  std::string_view name;
  bool rsa;
  const EVP_MD* (*digest)();
  size_t coordinate_bytes;  // ECDSA: the curve's
};
constexpr Algorithm kAlgorithms[] = {
    {"RS256", true, EVP_sha256, 0},   {"RS384", true, EVP_sha384, 0},
    {"RS512", true, EVP_sha512, 0},   {"ES256", false, EVP_sha256, 32},
    {"ES384", false, EVP_sha384, 48}, {"ES512", false, EVP_sha512, 66}};

// JWS carries an ECDSA signature as r || s, each the curve's size (RFC 7518 section 3.4);
// OpenSSL verifies the DER form. Empty if the size is wrong.
std::string EcdsaDer(std::string_view raw, size_t coordinate_bytes) {
  if (raw.size() != 2 * coordinate_bytes) return {};
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(coordinate_bytes), nullptr);
  BIGNUM* s = BN_bin2bn(bytes + coordinate_bytes, static_cast<int>(coordinate_bytes), nullptr);
  std::string der;
  if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
    r = s = nullptr;  // owned by sig now
    unsigned char* out = nullptr;
    int len = i2d_ECDSA_SIG(sig, &out);
    if (len > 0) der.assign(reinterpret_cast<char*>(out), static_cast<size_t>(len));
    OPENSSL_free(out);
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(sig);
  ERR_clear_error();
  return der;
}

}  // namespace

struct JsonWebKeySet::Key {
  std::string id;  // "kid"; may be empty
  bool rsa = false;
  size_t coordinate_bytes = 0;  // EC keys: the curve's
  Pkey pkey;
};

JsonWebKeySet::JsonWebKeySet() = default;
JsonWebKeySet::~JsonWebKeySet() = default;
size_t JsonWebKeySet::size() const { return keys_.size(); }

std::expected<std::shared_ptr<const JsonWebKeySet>, std::string> JsonWebKeySet::Parse(
    std::string_view json) {
  auto doc = ParseObject(json);
  if (!doc) return std::unexpected("not a JSON object");
  const rapidjson::Value& root = *doc;
  auto keys = root.FindMember("keys");
  if (keys == root.MemberEnd() || !keys->value.IsArray())
    return std::unexpected("no \"keys\" array");
  std::shared_ptr<JsonWebKeySet> set(new JsonWebKeySet());
  size_t index = 0;
  for (const auto& jwk : keys->value.GetArray()) {
    const std::string where = "key " + std::to_string(index++);
    if (!jwk.IsObject()) return std::unexpected(where + " is not an object");
    auto kty = StringMember(jwk, "kty");
    auto use = StringMember(jwk, "use");
    auto kid = StringMember(jwk, "kid");
    if (!kty || !use || !kid) return std::unexpected(where + ": kty, use and kid are strings");
    if (!use->empty() && *use != "sig") continue;
    auto member = [&](const char* name) -> std::optional<std::string> {
      auto text = StringMember(jwk, name);
      if (!text || text->empty()) return std::nullopt;
      return Base64UrlDecode(*text);
    };
    auto key = std::make_unique<Key>();
    key->id = *kid;
    if (*kty == "RSA") {
      auto n = member("n");
      auto e = member("e");
      if (!n || !e) return std::unexpected(where + ": an RSA key needs base64url \"n\" and \"e\"");
      key->rsa = true;
      key->pkey = RsaKey(*n, *e);
      if (key->pkey && EVP_PKEY_get_bits(key->pkey.get()) < 2048)
        return std::unexpected(where + ": RSA keys of fewer than 2048 bits are not accepted");
    } else if (*kty == "EC") {
      auto crv = StringMember(jwk, "crv");
      const Curve* curve = nullptr;
      for (const Curve& c : kCurves)
        if (crv && *crv == c.jwk_name) curve = &c;
      if (!curve) continue;  // a curve iamd does not verify with
      auto x = member("x");
      auto y = member("y");
      if (!x || !y || x->size() != curve->coordinate_bytes || y->size() != curve->coordinate_bytes)
        return std::unexpected(where + ": \"x\" and \"y\" are not coordinates on " +
                               std::string(curve->jwk_name));
      key->coordinate_bytes = curve->coordinate_bytes;
      key->pkey = EcKey(curve->openssl_name, *x, *y);
    } else {
      continue;  // a symmetric or OKP key: not one an OpenID provider signs ID tokens with
    }
    if (!key->pkey) return std::unexpected(where + " is not a valid public key");
    set->keys_.push_back(std::move(key));
  }
  if (set->keys_.empty()) return std::unexpected("no RSA or EC signature key");
  return set;
}

std::optional<WebIdentityToken> ParseWebIdentityToken(std::string_view compact) {
  const size_t first = compact.find('.');
  const size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  auto header_json = Base64UrlDecode(compact.substr(0, first));
  auto payload_json = Base64UrlDecode(compact.substr(first + 1, second - first - 1));
  auto signature = Base64UrlDecode(compact.substr(second + 1));
  if (!header_json || !payload_json || !signature) return std::nullopt;
  auto header = ParseObject(*header_json);
  auto payload = ParseObject(*payload_json);
  if (!header || !payload) return std::nullopt;

  WebIdentityToken token;
  auto alg = StringMember(*header, "alg");
  auto kid = StringMember(*header, "kid");
  auto iss = StringMember(*payload, "iss");
  auto sub = StringMember(*payload, "sub");
  auto azp = StringMember(*payload, "azp");
  auto email = StringMember(*payload, "email");
  auto source_identity = StringMember(*payload, "https://aws.amazon.com/source_identity");
  if (!alg || !kid || !iss || !sub || !azp || !email || !source_identity) return std::nullopt;
  token.source_identity = std::move(*source_identity);
  token.algorithm = std::move(*alg);
  token.key_id = std::move(*kid);
  token.issuer = std::move(*iss);
  token.subject = std::move(*sub);
  token.authorized_party = std::move(*azp);
  token.email = std::move(*email);
  if (!StringsMember(*payload, "aud", token.audiences) ||
      !StringsMember(*payload, "amr", token.amr) || !DateMember(*payload, "exp", token.expires) ||
      !DateMember(*payload, "nbf", token.not_before) ||
      !DateMember(*payload, "iat", token.issued_at))
    return std::nullopt;
  ReadSessionTags(*payload, token);
  token.signing_input = std::string(compact.substr(0, second));
  token.signature = std::move(*signature);
  return token;
}

bool VerifySignature(const WebIdentityToken& token, const JsonWebKeySet& keys) {
  const Algorithm* alg = nullptr;
  for (const Algorithm& a : kAlgorithms)
    if (a.name == token.algorithm) alg = &a;
  if (!alg) return false;
  std::string der;
  std::string_view signature = token.signature;
  if (!alg->rsa) {
    der = EcdsaDer(token.signature, alg->coordinate_bytes);
    if (der.empty()) return false;
    signature = der;
  }
  for (const auto& key : keys.keys_) {
    if (!token.key_id.empty() && key->id != token.key_id) continue;
    if (key->rsa != alg->rsa || (!alg->rsa && key->coordinate_bytes != alg->coordinate_bytes))
      continue;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = ctx != nullptr &&
              EVP_DigestVerifyInit(ctx, nullptr, alg->digest(), nullptr, key->pkey.get()) == 1 &&
              EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                               signature.size(),
                               reinterpret_cast<const unsigned char*>(token.signing_input.data()),
                               token.signing_input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();  // a signature that did not verify leaves OpenSSL errors behind
    if (ok) return true;
  }
  return false;
}

// ---- Minting ----

namespace {

// A BIGNUM parameter of a key, big-endian, left-padded with zeros to `size` bytes (0: none).
std::string KeyNumber(EVP_PKEY* key, const char* name, size_t size = 0) {
  BIGNUM* bn = nullptr;
  std::string out;
  if (EVP_PKEY_get_bn_param(key, name, &bn) == 1) {
    const size_t n = std::max(size, static_cast<size_t>(BN_num_bytes(bn)));
    out.assign(n, '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  }
  BN_free(bn);
  return out;
}

std::string JsonText(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

std::expected<WebIdentitySigningKey, std::string> NewWebIdentitySigningKey(std::string_view alg,
                                                                           std::string_view kid) {
  Pkey key;
  if (alg == "RS256")
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  else if (alg == "ES256")
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  else if (alg == "ES384")
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  else
    return std::unexpected("the algorithm is RS256, ES256 or ES384, not " + std::string(alg));
  if (!key) {
    ERR_clear_error();
    return std::unexpected("OpenSSL could not make a key");
  }
  rapidjson::Document jwk(rapidjson::kObjectType);
  auto& a = jwk.GetAllocator();
  auto add = [&](const char* name, std::string_view value) {
    jwk.AddMember(rapidjson::StringRef(name),
                  rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), a),
                  a);
  };
  // Members in alphabetical order, as AWS STS publishes its keys (recorded).
  add("alg", alg);
  if (alg == "RS256") {
    add("e", Base64UrlEncode(KeyNumber(key.get(), OSSL_PKEY_PARAM_RSA_E)));
    add("kid", kid);
    add("kty", "RSA");
    add("n", Base64UrlEncode(KeyNumber(key.get(), OSSL_PKEY_PARAM_RSA_N)));
    add("use", "sig");
  } else {
    // Coordinates are as long as the curve's order (RFC 7518 §6.2.1.2): 32 or 48 bytes.
    const bool p384 = alg == "ES384";
    const size_t bytes = p384 ? 48 : 32;
    add("crv", p384 ? "P-384" : "P-256");
    add("kid", kid);
    add("kty", "EC");
    add("use", "sig");
    add("x", Base64UrlEncode(KeyNumber(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, bytes)));
    add("y", Base64UrlEncode(KeyNumber(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, bytes)));
  }
  WebIdentitySigningKey out;
  out.jwk = JsonText(jwk);
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio && PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1) {
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    out.private_key_pem.assign(data, static_cast<size_t>(len));
  }
  BIO_free(bio);
  ERR_clear_error();
  if (out.private_key_pem.empty()) return std::unexpected("OpenSSL could not write the key");
  return out;
}

std::expected<std::string, std::string> SignJsonWebToken(std::string_view private_key_pem,
                                                         std::string_view kid,
                                                         std::string_view payload_json) {
  BIO* bio = BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size()));
  Pkey key(bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr);
  BIO_free(bio);
  ERR_clear_error();
  if (!key) return std::unexpected("not an unencrypted PEM private key");
  const Algorithm* alg = nullptr;
  if (EVP_PKEY_is_a(key.get(), "RSA")) {
    alg = &kAlgorithms[0];
  } else if (EVP_PKEY_is_a(key.get(), "EC")) {
    char group[32] = {};
    size_t len = 0;
    EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                   &len);
    for (size_t i = 0; i < std::size(kCurves); ++i)
      if (std::string_view(group) == kCurves[i].openssl_name) alg = &kAlgorithms[3 + i];
  }
  if (!alg) return std::unexpected("the key is neither RSA nor EC on P-256, P-384 or P-521");

  rapidjson::Document header(rapidjson::kObjectType);
  auto& ha = header.GetAllocator();
  // In the order AWS STS writes them (GetWebIdentityToken's tokens): kid, typ, alg.
  if (!kid.empty())
    header.AddMember("kid",
                     rapidjson::Value(kid.data(), static_cast<rapidjson::SizeType>(kid.size()), ha),
                     ha);
  header.AddMember("typ", "JWT", ha);
  header.AddMember("alg", rapidjson::Value(alg->name.data(), 5, ha), ha);
  const std::string input = Base64UrlEncode(JsonText(header)) + "." + Base64UrlEncode(payload_json);

  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (ctx && EVP_DigestSignInit(ctx, nullptr, alg->digest(), nullptr, key.get()) == 1 &&
      EVP_DigestSign(ctx, nullptr, &len, data, input.size()) == 1) {
    sig.resize(len);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, data,
                       input.size()) == 1)
      sig.resize(len);
    else
      sig.clear();
  }
  EVP_MD_CTX_free(ctx);
  if (!sig.empty() && !alg->rsa) {  // DER -> r || s (RFC 7518 section 3.4)
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    sig.clear();
    if (es) {
      std::string raw(2 * alg->coordinate_bytes, '\0');
      auto* out = reinterpret_cast<unsigned char*>(raw.data());
      const int n = static_cast<int>(alg->coordinate_bytes);
      if (BN_bn2binpad(ECDSA_SIG_get0_r(es), out, n) == n &&
          BN_bn2binpad(ECDSA_SIG_get0_s(es), out + n, n) == n)
        sig = std::move(raw);
      ECDSA_SIG_free(es);
    }
  }
  ERR_clear_error();
  if (sig.empty()) return std::unexpected("OpenSSL could not sign");
  return input + "." + Base64UrlEncode(sig);
}

std::expected<std::string, std::string> MintWebIdentityToken(std::string_view private_key_pem,
                                                             std::string_view kid,
                                                             const WebIdentityClaims& claims) {
  rapidjson::Document payload(rapidjson::kObjectType);
  auto& a = payload.GetAllocator();
  auto text = [&](std::string_view v) {
    return rapidjson::Value(v.data(), static_cast<rapidjson::SizeType>(v.size()), a);
  };
  payload.AddMember("iss", text(claims.issuer), a);
  payload.AddMember("sub", text(claims.subject), a);
  if (claims.audiences.size() == 1) {
    payload.AddMember("aud", text(claims.audiences[0]), a);
  } else if (!claims.audiences.empty()) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& aud : claims.audiences) list.PushBack(text(aud), a);
    payload.AddMember("aud", list, a);
  }
  payload.AddMember("iat", claims.issued_at, a);
  payload.AddMember("exp", claims.expires, a);
  if (!claims.extra_claims_json.empty()) {
    rapidjson::Document extra;
    extra.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(
        claims.extra_claims_json.data(), claims.extra_claims_json.size());
    if (extra.HasParseError() || !extra.IsObject())
      return std::unexpected("the extra claims are not a JSON object");
    const rapidjson::Value& members = extra;
    for (const auto& m : members.GetObject()) {
      payload.RemoveMember(m.name);
      payload.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
    }
  }
  return SignJsonWebToken(private_key_pem, kid, JsonText(payload));
}

}  // namespace iamd::auth
