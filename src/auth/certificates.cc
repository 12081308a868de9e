#include "auth/certificates.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>

namespace iamd::auth {
namespace {

bool OnlyWhiteSpace(const char* p, long n) {
  for (long i = 0; i < n; ++i)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') return false;
  return true;
}

}  // namespace

bool IsPemCertificate(std::string_view body) {
  if (body.empty() || body.size() > INT_MAX) return false;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(body.data(), static_cast<int>(body.size())), &BIO_free);
  if (!bio) return false;
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  ERR_clear_error();  // a failed parse leaves its reasons on this thread's error queue
  if (!cert) return false;
  // PEM_read_bio skips text before the BEGIN line: refuse it, and anything after the END line.
  if (!OnlyWhiteSpace(body.data(), static_cast<long>(body.find("-----BEGIN CERTIFICATE-----"))))
    return false;
  char* rest = nullptr;
  const long left = BIO_get_mem_data(bio.get(), &rest);
  return OnlyWhiteSpace(rest, left);
}

}  // namespace iamd::auth
