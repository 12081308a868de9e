// Handlers: server certificates (Upload/Get/List/Update/DeleteServerCertificate, their tags).
#include "api/iam_handlers.h"
#include "auth/certificates.h"
#include "common/arn.h"
#include "common/ids.h"

namespace iamd::api {
namespace {

// AWS returns what was uploaded with its line breaks as LF and no white space at the end
// (observed: hashicorp/terraform issues 2409 and 3837; terraform-provider-aws compares the
// two after removing CRs and trimming).
std::string Normalized(std::string_view pem) {
  std::string out;
  out.reserve(pem.size());
  for (char ch : pem)
    if (ch != '\r') out.push_back(ch);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t'))
    out.pop_back();
  return out;
}

// Messages: MalformedCertificate for the body as AWS words it (recorded in
// openshift/openshift-ansible issue 11214), and for a chain AWS's older wording (aws/aws-cli
// issue 715) with the index AWS now appends; for a private key, a certificate outside its
// validity and KeyPairMismatch no AWS wording was found: iamd's own.
Error UploadProblem(auth::ServerCertificateProblem problem) {
  switch (problem) {
    case auth::ServerCertificateProblem::kMalformedCertificate:
      break;
    case auth::ServerCertificateProblem::kMalformedPrivateKey:
      return Error(ErrorCode::kMalformedCertificate,
                   "Unable to parse private key. Please ensure the private key is an unencrypted "
                   "key in PEM format.");
    case auth::ServerCertificateProblem::kMalformedChain:
      return Error(ErrorCode::kMalformedCertificate,
                   "Unable to validate certificate chain. The certificate chain must start with "
                   "the immediate signing certificate, followed by any intermediaries in order. "
                   "The index within the chain of the invalid certificate is: -1");
    case auth::ServerCertificateProblem::kKeyPairMismatch:
      return Error(ErrorCode::kKeyPairMismatch,
                   "The public key of the certificate does not match the private key.");
  }
  return Error(ErrorCode::kMalformedCertificate,
               "Unable to parse certificate. Please ensure the certificate is in PEM format.");
}

void WriteMetadata(XmlWriter& xml, const model::ServerCertificate& cert,
                   std::string_view element = "ServerCertificateMetadata") {
  xml.Open(element);
  xml.Element("Path", cert.rec.path);
  xml.Element("ServerCertificateName", cert.rec.name);
  xml.Element("ServerCertificateId", cert.rec.id);
  xml.Element("Arn", cert.arn);
  WriteDate(xml, "UploadDate", cert.rec.upload_millis);
  WriteDate(xml, "Expiration", cert.rec.expiration_millis);
  xml.Close(element);
}

}  // namespace

Status UploadServerCertificate(Call& c) {
  model::State::UploadServerCertificateInput in;
  in.name = c.p.Str("ServerCertificateName");
  in.path = c.p.OptStr("Path").value_or("/");
  in.body = Normalized(c.p.Str("CertificateBody"));
  if (auto chain = c.p.OptStr("CertificateChain")) in.chain = Normalized(*chain);
  const std::string_view private_key = c.p.Str("PrivateKey");
  auto validity = auth::CheckServerCertificate(in.body, private_key, in.chain);
  if (!validity) return std::unexpected(UploadProblem(validity.error()));
  // "The certificate must be valid at the time of upload" (IAM User Guide, "Managing server
  // certificates in IAM"): MalformedCertificate, "malformed or expired" (botocore).
  const int64_t now = c.clock.NowMillis();
  if (now < validity->not_before_millis)
    return Fail(ErrorCode::kMalformedCertificate, "The certificate is not valid yet.");
  if (now > validity->not_after_millis)
    return Fail(ErrorCode::kMalformedCertificate, "The certificate has expired.");
  in.expiration_millis = validity->not_after_millis;
  in.tags = c.p.TagList();
  // Sealed under the certificate's ID, which stays when it is renamed or moved.
  in.id = c.ids.NewUniqueId(kServerCertificateIdPrefix);
  in.private_key_sealed = c.sealer.Seal(private_key, in.id);
  auto cert = c.mut->UploadServerCertificate(std::move(in), c.changes);
  if (!cert) return std::unexpected(cert.error());
  WriteMetadata(c.xml, **cert);
  WriteTags(c.xml, (*cert)->rec.tags);
  return {};
}

// Recorded (LocalStack's AWS-validated snapshot): CertificateChain only when one was uploaded,
// Tags always.
Status GetServerCertificate(Call& c) {
  auto cert = c.state.GetServerCertificate(c.p.Str("ServerCertificateName"));
  if (!cert) return std::unexpected(cert.error());
  c.xml.Open("ServerCertificate");
  WriteMetadata(c.xml, **cert);
  c.xml.Element("CertificateBody", (*cert)->rec.body);
  if ((*cert)->rec.chain) c.xml.Element("CertificateChain", *(*cert)->rec.chain);
  WriteTags(c.xml, (*cert)->rec.tags, /*always=*/true);
  c.xml.Close("ServerCertificate");
  return {};
}

Status ListServerCertificates(Call& c) {
  return ListPage(
      c, c.state.server_certificates(), "ServerCertificateMetadataList",
      [&](const model::ServerCertificate& cert) { return PathMatches(c.p, cert.rec.path); },
      [&](const model::ServerCertificate& cert) { WriteMetadata(c.xml, cert, "member"); });
}

Status UpdateServerCertificate(Call& c) {
  const std::string_view name = c.p.Str("ServerCertificateName");
  IAMD_TRY(AuthorizeNewName(c, "iam:UpdateServerCertificate", kServerCertificateResource,
                            c.state.GetServerCertificate(name), "NewServerCertificateName"));
  return c.mut->UpdateServerCertificate(name, c.p.OptStr("NewServerCertificateName"),
                                        c.p.OptStr("NewPath"), c.changes);
}

Status DeleteServerCertificate(Call& c) {
  return c.mut->DeleteServerCertificate(c.p.Str("ServerCertificateName"), c.changes);
}

Status TagServerCertificate(Call& c) {
  return c.mut->TagServerCertificate(c.p.Str("ServerCertificateName"), c.p.TagList(), c.changes);
}

Status UntagServerCertificate(Call& c) {
  return c.mut->UntagServerCertificate(c.p.Str("ServerCertificateName"), c.p.StrList("TagKeys"),
                                       c.changes);
}

Status ListServerCertificateTags(Call& c) {
  auto cert = c.state.GetServerCertificate(c.p.Str("ServerCertificateName"));
  if (!cert) return std::unexpected(cert.error());
  return WriteTagPage(c, (*cert)->rec.tags);
}

}  // namespace iamd::api
