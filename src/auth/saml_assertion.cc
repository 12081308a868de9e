#include "auth/saml_assertion.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <openssl/evp.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/keys.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlenc.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>

#include "common/strings.h"
#include "common/time.h"

namespace iamd::auth {
namespace {

constexpr auto kProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
constexpr auto kAssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
constexpr auto kMetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata";
constexpr auto kDsigNs = "http://www.w3.org/2000/09/xmldsig#";
constexpr auto kXencNs = "http://www.w3.org/2001/04/xmlenc#";
constexpr std::string_view kSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;
struct DsigFree {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};
struct KeyFree {
  void operator()(xmlSecKey* k) const { xmlSecKeyDestroy(k); }
};
using Key = std::unique_ptr<xmlSecKey, KeyFree>;

// libxml2 and xmlsec are set up once per process; their error reports are silenced (the
// client gets iamd's message, and stderr is the request log's).
bool Initialized() {
  static const bool ok = [] {
    xmlInitParser();
    xmlSecErrorsDefaultCallbackEnableOutput(0);
    return xmlSecInit() >= 0 && xmlSecCheckVersion() == 1 && xmlSecCryptoAppInit(nullptr) >= 0 &&
           xmlSecCryptoInit() >= 0;
  }();
  return ok;
}

// libxml2 reports errors (an XPath's, a parser's) to stderr through handlers it keeps per
// thread; stderr carries the request log, and the text comes from the request. Silenced on
// each thread that reads SAML.
void IgnoreGeneric(void*, const char*, ...) {}
void IgnoreStructured(void*, xmlErrorPtr) {}
void SilenceLibxml() {
  thread_local bool done = false;
  if (done) return;
  xmlSetGenericErrorFunc(nullptr, &IgnoreGeneric);
  xmlSetStructuredErrorFunc(nullptr, &IgnoreStructured);
  done = true;
}

// Parses XML without network access, entity expansion or DTD loading, and refuses a document
// that has a DTD at all (no internal entities, no attribute defaults changing what is signed).
Doc ParseXml(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT32_MAX)) return nullptr;
  xmlParserCtxtPtr ctx = xmlNewParserCtxt();
  if (!ctx) return nullptr;
  Doc doc(xmlCtxtReadMemory(ctx, text.data(), static_cast<int>(text.size()), "saml.xml", nullptr,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  xmlFreeParserCtxt(ctx);
  if (doc && (doc->intSubset || doc->extSubset)) doc.reset();
  return doc;
}

bool Is(const xmlNode* n, const char* ns, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         std::strcmp(reinterpret_cast<const char*>(n->ns->href), ns) == 0 &&
         std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

// The element children of `parent` named ns:name, in order.
std::vector<xmlNode*> Children(const xmlNode* parent, const char* ns, const char* name) {
  std::vector<xmlNode*> out;
  if (!parent) return out;
  for (xmlNode* n = parent->children; n; n = n->next)
    if (Is(n, ns, name)) out.push_back(n);
  return out;
}
xmlNode* Child(const xmlNode* parent, const char* ns, const char* name) {
  auto all = Children(parent, ns, name);
  return all.empty() ? nullptr : all.front();
}

std::string Trim(std::string s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  return s.substr(i);
}

std::string Text(const xmlNode* n) {
  if (!n) return {};
  xmlChar* content = xmlNodeGetContent(n);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return Trim(std::move(out));
}

std::optional<std::string> Attr(const xmlNode* n, const char* name) {
  if (!n) return std::nullopt;
  xmlChar* v = xmlGetNoNsProp(n, X(name));
  if (!v) return std::nullopt;
  std::string out = reinterpret_cast<const char*>(v);
  xmlFree(v);
  return out;
}

// An optional xs:dateTime attribute: nullopt when absent, an error when unreadable.
bool TimeAttr(const xmlNode* n, const char* name, std::optional<int64_t>& out) {
  auto text = Attr(n, name);
  if (!text) return true;
  out = ParseIso8601Millis(*text);
  return out.has_value();
}

// Registers the ID attribute of `n` as the document's ID, so that "#ID" references resolve to
// `n` alone; false when `n` has none or another element already holds the value.
bool RegisterId(xmlDoc* doc, xmlNode* n, std::string& id) {
  xmlAttr* attr = xmlHasNsProp(n, X("ID"), nullptr);
  if (!attr) return false;
  auto value = Attr(n, "ID");
  if (!value || value->empty()) return false;
  // An xs:ID is an NCName; xmlsec resolves "#id" as the XPointer id('id'), so anything else in
  // it (quotes, parentheses) would be read as XPath.
  for (size_t i = 0; i < value->size(); ++i) {
    const auto ch = static_cast<unsigned char>((*value)[i]);
    if (!(std::isalpha(ch) || ch == '_' || (i > 0 && (std::isdigit(ch) || ch == '-' || ch == '.'))))
      return false;
  }
  if (xmlGetID(doc, X(value->c_str()))) return false;  // e.g. an xml:id of the same value
  if (!xmlAddID(nullptr, doc, X(value->c_str()), attr)) return false;
  id = *value;
  return true;
}

std::unexpected<SamlError> Fail(SamlFailure kind, std::string message) {
  return std::unexpected(SamlError{kind, std::move(message)});
}

// The DER certificates a metadata document names for signing.
std::vector<std::string> SigningCertificates(std::string_view metadata) {
  std::vector<std::string> out;
  Doc doc = ParseXml(metadata);
  xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!Is(root, kMetadataNs, "EntityDescriptor")) return out;
  for (xmlNode* idp : Children(root, kMetadataNs, "IDPSSODescriptor"))
    for (xmlNode* kd : Children(idp, kMetadataNs, "KeyDescriptor")) {
      if (auto use = Attr(kd, "use"); use && *use != "signing") continue;
      for (xmlNode* info : Children(kd, kDsigNs, "KeyInfo"))
        for (xmlNode* data : Children(info, kDsigNs, "X509Data"))
          for (xmlNode* cert : Children(data, kDsigNs, "X509Certificate")) {
            std::string b64 = Text(cert);
            std::erase_if(b64,
                          [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
            if (auto der = Base64Decode(b64); der && !der->empty()) out.push_back(std::move(*der));
          }
    }
  return out;
}

// True if an element of the subtree of `n` (itself included) has an attribute in a namespace.
// None of the signature's or encryption's elements has one; xmlsec reads an attribute by its
// local name whatever its namespace (xmlGetProp), so a q:URI or q:Algorithm beside the one
// checked here could be the one xmlsec uses.
bool AnyNamespacedAttribute(const xmlNode* n) {
  if (n->type != XML_ELEMENT_NODE) return false;
  for (const xmlAttr* a = n->properties; a; a = a->next)
    if (a->ns) return true;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (AnyNamespacedAttribute(c)) return true;
  return false;
}

// True if `uri` is the same-document reference "#id".
bool IsReferenceTo(std::string_view uri, std::string_view id) {
  return uri.size() == id.size() + 1 && uri.front() == '#' && uri.substr(1) == id;
}

constexpr std::string_view kC14nAlgorithms[] = {
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"};
constexpr std::string_view kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

// The shape of a SAML signature, checked before xmlsec reads it (SAML core, 5.4): one
// SignedInfo with one Reference to "#id", transformed by at most the enveloped-signature
// transform and one canonicalization, and nothing but SignedInfo, SignatureValue and KeyInfo
// beside it. xmlsec would otherwise evaluate an attacker's XPointer or Manifest before it
// checks a single signature value: unbounded work for anyone who can send a request.
bool SignatureShapeIsSaml(const xmlNode* sig, std::string_view id) {
  if (AnyNamespacedAttribute(sig)) return false;
  int signed_info = 0;
  for (const xmlNode* c = sig->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (Is(c, kDsigNs, "SignedInfo"))
      ++signed_info;
    else if (!Is(c, kDsigNs, "SignatureValue") && !Is(c, kDsigNs, "KeyInfo"))
      return false;
  }
  if (signed_info != 1) return false;
  const xmlNode* info = Child(sig, kDsigNs, "SignedInfo");
  const auto refs = Children(info, kDsigNs, "Reference");
  if (refs.size() != 1 || !IsReferenceTo(Attr(refs[0], "URI").value_or(""), id)) return false;
  size_t references = 0;
  for (const xmlNode* c = info->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE &&
        std::strcmp(reinterpret_cast<const char*>(c->name), "Reference") == 0)
      ++references;
  if (references != 1) return false;
  const auto transforms = Children(refs[0], kDsigNs, "Transforms");
  if (transforms.size() > 1) return false;
  int enveloped = 0, c14n = 0;
  for (const xmlNode* t = transforms.empty() ? nullptr : transforms[0]->children; t; t = t->next) {
    if (t->type != XML_ELEMENT_NODE) continue;
    if (!Is(t, kDsigNs, "Transform") || t->children) {
      // A Transform with content: only exclusive canonicalization's InclusiveNamespaces.
      if (!Is(t, kDsigNs, "Transform")) return false;
      // Its PrefixList is searched up the ancestors of every element canonicalized: a few
      // prefixes, as IdPs send, and no more.
      for (const xmlNode* p = t->children; p; p = p->next)
        if (p->type == XML_ELEMENT_NODE &&
            (std::strcmp(reinterpret_cast<const char*>(p->name), "InclusiveNamespaces") != 0 ||
             Attr(p, "PrefixList").value_or("").size() > 256))
          return false;
    }
    const std::string algorithm = Attr(t, "Algorithm").value_or("");
    if (algorithm == kEnveloped)
      ++enveloped;
    else if (std::find(std::begin(kC14nAlgorithms), std::end(kC14nAlgorithms), algorithm) !=
             std::end(kC14nAlgorithms))
      ++c14n;
    else
      return false;
  }
  return enveloped <= 1 && c14n <= 1;
}

// Verifies the enveloped signature `sig` (a child of `signed_element`, whose registered ID is
// `id`) with `key`: exactly one reference, to "#id", with only the allowed transforms.
bool VerifyWith(xmlNode* sig, std::string_view id, xmlSecKey* key) {
  std::unique_ptr<xmlSecDSigCtx, DsigFree> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return false;
  ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
  ctx->signKey = xmlSecKeyDuplicate(key);
  if (!ctx->signKey) return false;
  ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
  const xmlSecTransformId c14n[] = {
      xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId, xmlSecTransformInclC14NId,
      xmlSecTransformInclC14NWithCommentsId};
  const xmlSecTransformId digests[] = {xmlSecTransformSha1Id, xmlSecTransformSha256Id,
                                       xmlSecTransformSha384Id, xmlSecTransformSha512Id};
  const xmlSecTransformId signatures[] = {
      xmlSecTransformRsaSha1Id,     xmlSecTransformRsaSha256Id,  xmlSecTransformRsaSha384Id,
      xmlSecTransformRsaSha512Id,   xmlSecTransformEcdsaSha1Id,  xmlSecTransformEcdsaSha256Id,
      xmlSecTransformEcdsaSha384Id, xmlSecTransformEcdsaSha512Id};
  for (auto t : c14n)
    if (xmlSecDSigCtxEnableReferenceTransform(ctx.get(), t) < 0 ||
        xmlSecDSigCtxEnableSignatureTransform(ctx.get(), t) < 0)
      return false;
  for (auto t : digests)
    if (xmlSecDSigCtxEnableReferenceTransform(ctx.get(), t) < 0) return false;
  if (xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformEnvelopedId) < 0)
    return false;
  for (auto t : signatures)
    if (xmlSecDSigCtxEnableSignatureTransform(ctx.get(), t) < 0) return false;
  if (xmlSecDSigCtxVerify(ctx.get(), sig) < 0 || ctx->status != xmlSecDSigStatusSucceeded)
    return false;
  if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1) return false;
  auto* ref =
      static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
  if (!ref || ref->status != xmlSecDSigStatusSucceeded || !ref->uri) return false;
  return IsReferenceTo(reinterpret_cast<const char*>(ref->uri), id);
}

// True if the subtree of `n` has an element that would make xmlsec read from elsewhere: a
// RetrievalMethod (a key found by URI) or a CipherReference (cipher text found by URI).
// The algorithms an encrypted assertion may use: AES in CBC or GCM mode for the assertion,
// RSA-OAEP for its key; never RSA PKCS#1 v1.5, whose padding errors are an oracle.
bool EncryptionAlgorithmsAllowed(const xmlNode* n) {
  static constexpr std::string_view kAllowed[] = {"http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                                                  "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
                                                  "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
                                                  "http://www.w3.org/2009/xmlenc11#aes128-gcm",
                                                  "http://www.w3.org/2009/xmlenc11#aes192-gcm",
                                                  "http://www.w3.org/2009/xmlenc11#aes256-gcm",
                                                  "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
                                                  "http://www.w3.org/2009/xmlenc11#rsa-oaep"};
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (std::strcmp(reinterpret_cast<const char*>(c->name), "EncryptionMethod") == 0 &&
        std::find(std::begin(kAllowed), std::end(kAllowed), Attr(c, "Algorithm").value_or("")) ==
            std::end(kAllowed))
      return false;
    if (!EncryptionAlgorithmsAllowed(c)) return false;
  }
  return true;
}

// The elements named `name` (any namespace) in the subtree of `n`, itself excluded.
size_t CountElements(const xmlNode* n, const char* name) {
  size_t count = 0;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      count +=
          (std::strcmp(reinterpret_cast<const char*>(c->name), name) == 0) + CountElements(c, name);
  return count;
}

bool PointsElsewhere(const xmlNode* n) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const std::string_view name = reinterpret_cast<const char*>(c->name);
    if (name == "RetrievalMethod" || name == "CipherReference" || PointsElsewhere(c)) return true;
  }
  return false;
}

struct MngrFree {
  void operator()(xmlSecKeysMngr* m) const { xmlSecKeysMngrDestroy(m); }
};
struct EncFree {
  void operator()(xmlSecEncCtx* c) const { xmlSecEncCtxDestroy(c); }
};

// Decrypts a deep copy of `data` with the key `pem`, inserted just before `data`; true if it
// was replaced by what it held. Whatever happens, what was inserted lies between `before`'s
// next sibling (or the parent's first child) and `data`.
bool DecryptCopy(xmlNode* data, const std::string& pem) {
  xmlNode* copy = xmlDocCopyNode(data, data->doc, 1);
  if (!copy || !xmlAddPrevSibling(data, copy)) {
    xmlFreeNode(copy);
    return false;
  }
  std::unique_ptr<xmlSecKeysMngr, MngrFree> mngr(xmlSecKeysMngrCreate());
  // A simple key store holding the one key (the default manager's X.509 store costs ~20 ms).
  xmlSecKeyStorePtr store = mngr ? xmlSecKeyStoreCreate(xmlSecSimpleKeysStoreId) : nullptr;
  if (!store) return false;
  if (xmlSecKeysMngrAdoptKeysStore(mngr.get(), store) < 0) {
    xmlSecKeyStoreDestroy(store);
    return false;
  }
  mngr->getKey = xmlSecKeysMngrGetKey;
  Key key(xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(pem.data()),
                                       static_cast<xmlSecSize>(pem.size()), xmlSecKeyDataFormatPem,
                                       nullptr, nullptr, nullptr));
  if (!key || xmlSecSimpleKeysStoreAdoptKey(store, key.get()) < 0) return false;
  (void)key.release();  // the store owns it now
  std::unique_ptr<xmlSecEncCtx, EncFree> ctx(xmlSecEncCtxCreate(mngr.get()));
  if (!ctx) return false;
  ctx->transformCtx.enabledUris = xmlSecTransformUriTypeNone;
  ctx->keyInfoReadCtx.maxRetrievalMethodLevel = 0;
  // The key comes from an EncryptedKey only: not from a KeyValue or KeyName the sender wrote.
  if (xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData,
                       const_cast<void*>(static_cast<const void*>(xmlSecKeyDataEncryptedKeyId))) <
      0)
    return false;
  return xmlSecEncCtxDecrypt(ctx.get(), copy) >= 0 && ctx->result && ctx->resultReplaced;
}

// Decrypts the EncryptedData `data` in place (it is replaced by the element it holds) with the
// first of `pems` that opens its EncryptedKey. Every key is tried whatever the outcome, each
// on its own copy, so that the time taken tells nobody which key, if any, succeeded.
bool Decrypt(xmlNode* data, const std::vector<std::string>& pems) {
  bool decrypted = false;
  for (const std::string& pem : pems) {
    xmlNode* before = data->prev;
    const bool ok = DecryptCopy(data, pem);
    if (ok && !decrypted) {
      decrypted = true;  // keep what it held
      continue;
    }
    xmlNode* n = before ? before->next : data->parent->children;
    while (n && n != data) {
      xmlNode* next = n->next;
      xmlUnlinkNode(n);
      xmlFreeNode(n);
      n = next;
    }
  }
  if (decrypted) {
    xmlUnlinkNode(data);
    xmlFreeNode(data);
  }
  return decrypted;
}

}  // namespace

const std::vector<std::string>* SamlAssertion::Attribute(std::string_view name) const {
  for (const auto& [n, values] : attributes)
    if (n == name) return &values;
  return nullptr;
}

std::string SamlNameQualifier(std::string_view issuer, std::string_view account,
                              std::string_view provider_name) {
  const std::string text =
      std::string(issuer) + std::string(account) + "/" + std::string(provider_name);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr) != 1) return {};
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

std::string SamlMetadataEntityId(std::string_view metadata) {
  if (!Initialized()) return {};
  Doc doc = ParseXml(metadata);
  xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!Is(root, kMetadataNs, "EntityDescriptor")) return {};
  return Attr(root, "entityID").value_or("");
}

std::expected<SamlAssertion, SamlError> ReadSamlResponse(
    std::string_view base64, std::string_view metadata,
    const std::vector<std::string>& private_keys) {
  SilenceLibxml();
  if (!Initialized())
    return Fail(SamlFailure::kMalformed, "The XML security library is unavailable.");
  std::string compact(base64);
  std::erase_if(compact, [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
  auto xml = Base64Decode(compact);
  if (!xml) return Fail(SamlFailure::kNotBase64, "The SAML response is not valid base64.");
  Doc doc = ParseXml(*xml);
  if (!doc)
    return Fail(SamlFailure::kMalformed,
                "The SAML response is not well-formed XML (or has a DTD).");
  xmlNode* response = xmlDocGetRootElement(doc.get());
  if (!Is(response, kProtocolNs, "Response"))
    return Fail(SamlFailure::kMalformed, "The SAML document is not a SAML 2.0 Response.");
  std::string response_id;
  if (!RegisterId(doc.get(), response, response_id))
    return Fail(SamlFailure::kMalformed, "The SAML response has no unique ID.");
  xmlNode* status = Child(Child(response, kProtocolNs, "Status"), kProtocolNs, "StatusCode");
  if (Attr(status, "Value").value_or("") != kSuccess)
    return Fail(SamlFailure::kNotSuccess, "The SAML response's status is not Success.");
  auto plain = Children(response, kAssertionNs, "Assertion");
  auto encrypted = Children(response, kAssertionNs, "EncryptedAssertion");
  if (plain.size() + encrypted.size() != 1)
    return Fail(SamlFailure::kMalformed, "The SAML response must hold exactly one Assertion.");
  if (!encrypted.empty() && private_keys.empty())
    return Fail(SamlFailure::kEncrypted,
                "The SAML response's assertion is encrypted, and the SAML provider has no private "
                "key to decrypt it with.");

  std::vector<Key> keys;
  for (const std::string& der : SigningCertificates(metadata)) {
    Key key(xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(der.data()),
                                         static_cast<xmlSecSize>(der.size()),
                                         xmlSecKeyDataFormatCertDer, nullptr, nullptr, nullptr));
    if (key) keys.push_back(std::move(key));
  }
  // Every signature present must verify; one is enough to cover the assertion.
  bool covered = false;
  auto verify_all = [&](const std::vector<xmlNode*>& signatures, std::string_view id) {
    for (xmlNode* sig : signatures) {
      if (!SignatureShapeIsSaml(sig, id)) return false;
      bool verified = false;
      for (const Key& key : keys)
        if (VerifyWith(sig, id, key.get())) {
          verified = true;
          break;
        }
      if (!verified) return false;
      covered = true;
    }
    return true;
  };
  auto bad_signature = [] {
    return Fail(SamlFailure::kBadSignature,
                "The SAML response's signature does not verify with the provider's certificates.");
  };
  const auto response_signatures = Children(response, kDsigNs, "Signature");
  if (keys.empty())
    return Fail(SamlFailure::kNoKey, "The SAML provider's metadata names no signing certificate.");
  // The response's signature covers what the provider sent: verified before any decryption.
  if (!verify_all(response_signatures, response_id)) return bad_signature();

  xmlNode* assertion = nullptr;
  if (!encrypted.empty()) {
    xmlNode* data = Child(encrypted.front(), kXencNs, "EncryptedData");
    if (!data || PointsElsewhere(encrypted.front()) || AnyNamespacedAttribute(encrypted.front()) ||
        !EncryptionAlgorithmsAllowed(encrypted.front()) ||
        CountElements(encrypted.front(), "EncryptedKey") != 1)
      return Fail(SamlFailure::kMalformed,
                  "The SAML response's EncryptedAssertion must hold an EncryptedData with its "
                  "key and cipher text inline.");
    // From decryption on, every failure is the same kBadSignature, so that nobody learns
    // from iamd's answers whether a cipher text they made decrypted (an oracle for chosen
    // cipher texts), before the signature has said who made it.
    auto inner = Decrypt(data, private_keys)
                     ? Children(encrypted.front(), kAssertionNs, "Assertion")
                     : std::vector<xmlNode*>{};
    std::string assertion_id;
    if (inner.size() != 1 || !RegisterId(doc.get(), inner.front(), assertion_id) ||
        !verify_all(Children(inner.front(), kDsigNs, "Signature"), assertion_id) || !covered)
      return bad_signature();
    assertion = inner.front();
  } else {
    assertion = plain.front();
    std::string assertion_id;
    if (!RegisterId(doc.get(), assertion, assertion_id))
      return Fail(SamlFailure::kMalformed, "The SAML assertion has no unique ID.");
    if (!verify_all(Children(assertion, kDsigNs, "Signature"), assertion_id))
      return bad_signature();
    if (!covered)
      return Fail(SamlFailure::kUnsigned, "The SAML response and its assertion are not signed.");
  }

  SamlAssertion out;
  out.encrypted = !encrypted.empty();
  // The assertion's own Issuer: the response's may be outside what was signed.
  out.issuer = Text(Child(assertion, kAssertionNs, "Issuer"));
  if (out.issuer.empty()) return Fail(SamlFailure::kMalformed, "The SAML assertion has no Issuer.");
  xmlNode* subject = Child(assertion, kAssertionNs, "Subject");
  xmlNode* name_id = Child(subject, kAssertionNs, "NameID");
  out.subject = Text(name_id);
  out.subject_format = Attr(name_id, "Format").value_or("");
  bool times_ok = TimeAttr(assertion, "IssueInstant", out.issue_instant);
  for (xmlNode* conf : Children(subject, kAssertionNs, "SubjectConfirmation")) {
    if (Attr(conf, "Method").value_or("") != "urn:oasis:names:tc:SAML:2.0:cm:bearer") continue;
    for (xmlNode* data : Children(conf, kAssertionNs, "SubjectConfirmationData")) {
      if (auto r = Attr(data, "Recipient")) out.recipients.push_back(*r);
      std::optional<int64_t> until;
      times_ok = TimeAttr(data, "NotOnOrAfter", until) && times_ok;
      if (until &&
          (!out.confirmation_not_on_or_after || *until < *out.confirmation_not_on_or_after))
        out.confirmation_not_on_or_after = until;
    }
  }
  xmlNode* conditions = Child(assertion, kAssertionNs, "Conditions");
  times_ok = TimeAttr(conditions, "NotBefore", out.not_before) && times_ok;
  times_ok = TimeAttr(conditions, "NotOnOrAfter", out.not_on_or_after) && times_ok;
  for (xmlNode* restriction : Children(conditions, kAssertionNs, "AudienceRestriction")) {
    auto& audiences = out.audience_restrictions.emplace_back();
    for (xmlNode* aud : Children(restriction, kAssertionNs, "Audience"))
      audiences.push_back(Text(aud));
  }
  for (xmlNode* authn : Children(assertion, kAssertionNs, "AuthnStatement")) {
    std::optional<int64_t> until;
    times_ok = TimeAttr(authn, "SessionNotOnOrAfter", until) && times_ok;
    if (until && (!out.session_not_on_or_after || *until < *out.session_not_on_or_after))
      out.session_not_on_or_after = until;
  }
  if (!times_ok)
    return Fail(SamlFailure::kMalformed, "A time in the SAML assertion is not an xs:dateTime.");
  for (xmlNode* statement : Children(assertion, kAssertionNs, "AttributeStatement"))
    for (xmlNode* attr : Children(statement, kAssertionNs, "Attribute")) {
      std::vector<std::string> values;
      for (xmlNode* v : Children(attr, kAssertionNs, "AttributeValue")) values.push_back(Text(v));
      out.attributes.emplace_back(Attr(attr, "Name").value_or(""), std::move(values));
    }
  return out;
}

}  // namespace iamd::auth
