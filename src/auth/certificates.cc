#include "auth/certificates.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <ctime>
#include <memory>

namespace iamd::auth {
namespace {

bool OnlyWhiteSpace(const char* p, long n) {
  for (long i = 0; i < n; ++i)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') return false;
  return true;
}

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

BioPtr ReadOnlyBio(std::string_view text) {
  if (text.empty() || text.size() > INT_MAX) return BioPtr(nullptr, &BIO_free);
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
}

// True if what is left of `bio` is only white space.
bool NothingLeft(BIO* bio) {
  char* rest = nullptr;
  const long left = BIO_get_mem_data(bio, &rest);
  return OnlyWhiteSpace(rest, left);
}

// PEM_read_bio skips text before the BEGIN line: true if there is none before `marker`.
bool NothingBefore(std::string_view text, std::string_view marker) {
  const size_t at = text.find(marker);
  return at != std::string_view::npos && OnlyWhiteSpace(text.data(), static_cast<long>(at));
}

// The one certificate `text` holds, or null.
X509Ptr ReadOneCertificate(std::string_view text) {
  BioPtr bio = ReadOnlyBio(text);
  if (!bio) return X509Ptr(nullptr, &X509_free);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  ERR_clear_error();  // a failed parse leaves its reasons on this thread's error queue
  if (!cert || !NothingBefore(text, "-----BEGIN CERTIFICATE-----") || !NothingLeft(bio.get()))
    return X509Ptr(nullptr, &X509_free);
  return cert;
}

// A password callback that gives none: an encrypted key does not open (and OpenSSL never
// prompts on the terminal).
int NoPassword(char*, int, int, void*) { return 0; }

// The one unencrypted private key `text` holds, or null.
KeyPtr ReadOnePrivateKey(std::string_view text) {
  BioPtr bio = ReadOnlyBio(text);
  KeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr) : nullptr,
             &EVP_PKEY_free);
  ERR_clear_error();
  if (!key || !NothingBefore(text, "-----BEGIN ") || !NothingLeft(bio.get()))
    return KeyPtr(nullptr, &EVP_PKEY_free);
  return key;
}

}  // namespace

bool IsPemPrivateKey(std::string_view pem) { return ReadOnePrivateKey(pem) != nullptr; }

bool IsPemCertificate(std::string_view body) { return ReadOneCertificate(body) != nullptr; }

std::expected<Validity, ServerCertificateProblem> CheckServerCertificate(
    std::string_view body, std::string_view private_key, std::optional<std::string_view> chain) {
  X509Ptr cert = ReadOneCertificate(body);
  if (!cert) return std::unexpected(ServerCertificateProblem::kMalformedCertificate);

  KeyPtr key = ReadOnePrivateKey(private_key);
  if (!key) return std::unexpected(ServerCertificateProblem::kMalformedPrivateKey);

  if (chain) {
    BioPtr chain_bio = ReadOnlyBio(*chain);
    if (!chain_bio || !NothingBefore(*chain, "-----BEGIN CERTIFICATE-----"))
      return std::unexpected(ServerCertificateProblem::kMalformedChain);
    do {  // certificates until only white space is left
      X509Ptr link(PEM_read_bio_X509(chain_bio.get(), nullptr, nullptr, nullptr), &X509_free);
      ERR_clear_error();
      if (!link) return std::unexpected(ServerCertificateProblem::kMalformedChain);
    } while (!NothingLeft(chain_bio.get()));
  }

  const int matches = X509_check_private_key(cert.get(), key.get());
  ERR_clear_error();
  if (matches != 1) return std::unexpected(ServerCertificateProblem::kKeyPairMismatch);

  std::tm not_before{}, not_after{};
  if (ASN1_TIME_to_tm(X509_get0_notBefore(cert.get()), &not_before) != 1 ||
      ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &not_after) != 1)
    return std::unexpected(ServerCertificateProblem::kMalformedCertificate);
  return Validity{static_cast<int64_t>(timegm(&not_before)) * 1000,
                  static_cast<int64_t>(timegm(&not_after)) * 1000};
}

}  // namespace iamd::auth
