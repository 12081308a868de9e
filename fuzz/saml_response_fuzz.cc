// libFuzzer target for SAML 2.0 responses (auth::ReadSamlResponse): libxml2's parser under
// iamd's rules (no DTD, one Assertion, registered IDs) and xmlsec's signature verification.
// The input is the response's XML, base64-encoded here as a client would send it; the
// metadata names the certificate of src/auth/testdata/saml/idp-key.pem.
// The provider also holds the private key of src/auth/testdata/saml/other-key.pem, so that
// encrypted assertions (corpus: encrypted-assertion.xml) are decrypted and checked too.
// Check beyond "no crash, no sanitizer report": a response accepted with that certificate is
// refused with another (src/auth/testdata/saml/other-cert.pem): whatever the mutation, what
// verifies was signed by the test key, never by nobody.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "auth/saml_assertion.h"
#include "common/strings.h"

namespace {

constexpr const char* kIdpCert =
    "MIIDHTCCAgWgAwIBAgIUaeFqNZwqO7BS+DVXLM+1X0Tri60wDQYJKoZIhvcNAQELBQAwHTEbMBkGA1UEAwwSaWFt"
    "ZCB0ZXN0IFNBTUwgaWRwMCAXDTI2MTIwMzA4MDMwMloYDzIxMjYxMTA5MDgwMzAyWjAdMRswGQYDVQQDDBJpYW1k"
    "IHRlc3QgU0FNTCBpZHAwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDATLTB0rqEZGjd2+d25ERRNydx"
    "5a27EsVH8++OfOHmeOgH4fUNgK6y2/oGMJxjnjre1Pyxc8Jlwp6DG96elYp4YXv6hLyKnhM0suCi4L1wCuFzbeyI"
    "rmZHZi0IbnJwEIyZlEorZEP4OHOKVACpYAxWE7ddt/jLUxpXX/sSwuLnzwDSK0bRfkDl+Ou9YaVW0DpwSKKFCgkS"
    "XSH7X3pH5WwsL60HDV8gXpsCSGl4qM4pgYhZHh9kPVHXRG4DIcVi9sG7oZjBccVMrSv7/cLpFUpFuKMDNw5LtdEM"
    "wwjkxrSeMq9CzCakvskOrW3Ma8j3mfl3W1JoY+hEazpUomd5d6lRAgMBAAGjUzBRMB0GA1UdDgQWBBR5/iDesGx0"
    "l/T5WPueNnke6LNWzzAfBgNVHSMEGDAWgBR5/iDesGx0l/T5WPueNnke6LNWzzAPBgNVHRMBAf8EBTADAQH/MA0G"
    "CSqGSIb3DQEBCwUAA4IBAQChXDeo9OEaFsFVIEkiRyLXJ9D3X8AsSKF/Langill71BJZM5T+4IuOyeFidCLP82Xy"
    "PeYwsIC27U30QmMQYTR70hzBU1/HmyJNai0mn763ojSp/9NiciYuH2tuWKk09dbdOvVFPWv0r+skPr9kBr6lO3Jf"
    "XkIs1MSr9uLpe0SCP+I1NhPATpp7j63/sn0dt/ycu2VuAAPgLvfYvzMrw4NmS8uDoDyiLjQT/6VpJdHbQ1prbcv6"
    "9TER/HWT7logZX35m9D4pJhXrv9AwEH8mplgjU0apSSJ6tdpEH7vxZ84xK59IJIzqvLeiSBptmhhV7zjnyGTtga5"
    "Ak6jScPX+9W9";
constexpr const char* kOtherCert =
    "MIIDITCCAgmgAwIBAgIUXrimIlHVNsq/vp996YAIIHqKJY4wDQYJKoZIhvcNAQELBQAwHzEdMBsGA1UEAwwUaWFt"
    "ZCB0ZXN0IFNBTUwgb3RoZXIwIBcNMjYxMjAzMDgwMzAyWhgPMjEyNjExMDkwODAzMDJaMB8xHTAbBgNVBAMMFGlh"
    "bWQgdGVzdCBTQU1MIG90aGVyMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvaDGPro9uS2gjw7YpT1P"
    "ZNnK9cKtXPHYrKwXGoQxlmknIs9qx0uh+4FfhiI4+D/CptUeNU3YMYzVSmem/LUec43pVXjsL6wFY58l1Gksw5oP"
    "W+rXMXMylm0+aYQwxEyZtYeWc7XLuihXJ54+Zo6arY3dZexNDAZSZr0yc7bqLM9Da4L0JucTHM6hhpYVjsUxEXR6"
    "f+gJ3zuxF5IbMv0ZkPG2hIZOBRmdjgxoPFYTb1nLG18yWbW6JD28IHC950Q7U/dqAfhw5br4MO1kr8Je4WPM4SCa"
    "mpzcuVTh07bK9qo9YHfzMh4zswGaUYdrdnQI32ckuMVKmcjYVYEoNl5SGwIDAQABo1MwUTAdBgNVHQ4EFgQUJimG"
    "JTiGZtEptyKthoaP3sNKx+UwHwYDVR0jBBgwFoAUJimGJTiGZtEptyKthoaP3sNKx+UwDwYDVR0TAQH/BAUwAwEB"
    "/zANBgkqhkiG9w0BAQsFAAOCAQEAjycpiR3oDQYoZ73V1NIhAUBCMmRq7DqpHO6gFnZYrSsyDvI9Xb2BCrQ9chqZ"
    "APbNAXYkxpkEBrpOJRkB0Jh8XrdtvoSSO9440PZwhyBOaX5TFRKpjayn+zcQz3nRoertIUGN9nVArLlepQEDhzTd"
    "/Hg6uynleSsVMCVNp5kWiyma/MwbGKDHValtCLeksDiCKdL9h+kpQ1CPEXwpPAbpET0DQUf+fn6Zz2Y7z9rnA90d"
    "Kk0ZjEhAs3LidTYHoeeWUEE042ycLrX8fJ/7fgN4DH87AOlmxvmJgWWef1UiXJChMC/B9rkc4n2jSnCKVzlz12x8"
    "/fuqaZcU8gRHmllz9Q==";

constexpr const char* kPrivateKey =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC9oMY+uj25LaCP\n"
    "DtilPU9k2cr1wq1c8disrBcahDGWaSciz2rHS6H7gV+GIjj4P8Km1R41TdgxjNVK\n"
    "Z6b8tR5zjelVeOwvrAVjnyXUaSzDmg9b6tcxczKWbT5phDDETJm1h5Zztcu6KFcn\n"
    "nj5mjpqtjd1l7E0MBlJmvTJztuosz0NrgvQm5xMczqGGlhWOxTERdHp/6AnfO7EX\n"
    "khsy/RmQ8baEhk4FGZ2ODGg8VhNvWcsbXzJZtbokPbwgcL3nRDtT92oB+HDluvgw\n"
    "7WSvwl7hY8zhIJqanNy5VOHTtsr2qj1gd/MyHjOzAZpRh2t2dAjfZyS4xUqZyNhV\n"
    "gSg2XlIbAgMBAAECggEAA1E9Npq2erdYIDiPxLBCY87FlLAPrVkTw82M5+tZHLsB\n"
    "MsQzJ4JktowoWiXeHkWrR5Th3ufaON+wWYlfq/sVKctZQiQH6buWKox9sm4WmONo\n"
    "kmCU3CoaP/RwS5NC8SQv6jORh7ut8TdEcw57I/sprJCXR3GvVV8E8QQtTkXsadU8\n"
    "sH+z1ND89Ps3fu8vXL37rqI7fGNgKEQO/yLzGyM9fBLFiNmoRhuWKS5a29xc+bvv\n"
    "7u1Tbc/79QUFwpM/w3rElaBIOfN0iEdEOfVG7q6TWkCAL1GdnNgEBRzXW5GsvsFH\n"
    "VIk9eochSDNhSVOjOOPRM4K1SKCd7UfGUZKjDSrSAQKBgQDfmD3UR5HWin3Ey5h8\n"
    "Fzwa2Z13+F/egr704Tu2jH7z8IjZbzXx9oYSM7/jumIOABOdNsddPms45mfKQ7oV\n"
    "yeur4zcf0R/EDedzymK8PYBBVUBfAkDW6gn4c/SlM8rSF/Eq6eRzO5iq/Uxd1tnV\n"
    "oa0t6DYnHhPTNbLvl0plMw3MGwKBgQDZHE813LGd7ptVfuK9GQHnFAVtWI+HGeYu\n"
    "KEhFmANsOjKxLg5ZpzmcX+CpFChOpsffU2XZGEvIzfkM27ToCSGd+lOU1CQme6cx\n"
    "gqzYdmMnhbIf3yRURycvfZBcr8Sab0v6DfMs85g4lky9fmEZHldqBSrI1VQeqCS8\n"
    "V7wJgQ3yAQKBgQDag75pJ0ivksk2+oIbQ9nJo8Lw7BtFKiHU0Am7bbLkU75qQPVH\n"
    "ctW0FD8EH7KUXB7PFingRpAjG4lzcpz5jkxzv6qvvYB96di4oKG9tZ0SPG6ca2dS\n"
    "oYb8+NWuXd9pU1ytw8cvlp6s/L8VNlPNJCRLKRVDRXG6iFBHNmPOYwao4QKBgQDG\n"
    "0GPA4R5Nj6jzO8SKgZH6d50YqtaUUyUz83NrN2869nhhQ9mkQ7w/9JSYgHsAuz2g\n"
    "xpAno1YSxntgSPl62pHMRuWvDi0kiGtsrUt21cKq+IVLJl3wR1Ac7xD5r4OMIIsk\n"
    "qw2ahl9Iwmn3xPlJtT07OwwY6TGk+TjauETbNzD8AQKBgHX3dPTgfiOJk67Ka05K\n"
    "/ee3+7Q8y5/UqImS+UNYmh4GYxLyVGWPBLdggRdsIy/A/FMhL2GurkqBwUN9jWt5\n"
    "Op4GjAXfafoM06QInJYJtPtkxpHm81TX8JLDhK3EnaAxFFnCfbWY+ibII1qM/2LG\n"
    "Sgfo4rppx5GvGGYn7pRtbWgR\n"
    "-----END PRIVATE KEY-----\n";

std::string Metadata(const char* cert) {
  return std::string(
             "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
             "entityID=\"https://idp.example.com/saml\"><md:IDPSSODescriptor><md:KeyDescriptor>"
             "<ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data>"
             "<ds:X509Certificate>") +
         cert +
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
         "</md:IDPSSODescriptor></md:EntityDescriptor>";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string idp = Metadata(kIdpCert), other = Metadata(kOtherCert);
  const std::string response =
      iamd::Base64Encode(std::string_view(reinterpret_cast<const char*>(data), size));
  static const std::vector<std::string> keys = {kPrivateKey};
  if (!iamd::auth::ReadSamlResponse(response, idp, keys)) return 0;
  if (iamd::auth::ReadSamlResponse(response, other, keys)) std::abort();
  return 0;
}
