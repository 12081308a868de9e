// Errors as values. Every failure a client can see is an `Error`: an `ErrorCode` plus the
// message AWS would print. One table (`Describe`) maps each code to its HTTP status, its AWS
// `Code` text and whether the sender or the service is at fault; nothing else in iamd decides
// those three things, and only src/api renders them as XML.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace iamd {

enum class ErrorCode {
  // IAM service errors (botocore iam/2010-05-08 exception shapes).
  kNoSuchEntity,
  kEntityAlreadyExists,
  kDeleteConflict,
  kLimitExceeded,
  kMalformedPolicyDocument,
  kValidationError,
  kInvalidInput,
  kUnmodifiableEntity,
  kPolicyNotAttachable,
  kConcurrentModification,
  kEntityTemporarilyUnmodifiable,
  kPolicyEvaluation,
  kPasswordPolicyViolation,
  kMalformedCertificate,
  kDuplicateCertificate,
  kInvalidPublicKey,
  kDuplicateSshPublicKey,
  kInvalidAuthenticationCode,
  kKeyPairMismatch,
  kInvalidUserType,
  kOrganizationNotFound,
  kUnrecognizedPublicKeyEncoding,
  kReportNotPresent,
  kReportExpired,
  kFeatureEnabled,
  kFeatureDisabled,
  kServiceFailure,
  // STS service errors (botocore sts/2011-06-15).
  kPackedPolicyTooLarge,
  kRegionDisabled,
  kExpiredTokenException,
  kIdpRejectedClaim,
  kIdpCommunicationError,
  kInvalidIdentityToken,
  kInvalidAuthorizationMessage,
  kOutboundWebIdentityFederationDisabled,
  kSessionDurationEscalation,
  kJwtPayloadSizeExceeded,
  // Errors common to every AWS Query service (authentication, protocol).
  kAccessDenied,
  kInvalidClientTokenId,
  kSignatureDoesNotMatch,
  kIncompleteSignature,
  kMissingAuthenticationToken,
  kExpiredToken,
  kInvalidAction,
  kMissingAction,
  kMissingParameter,
  kInvalidParameterValue,
  kInvalidParameterCombination,
  kMalformedQueryString,
  kNotImplemented,
  kRequestEntityTooLarge,
  kOptInRequired,
  kThrottling,
};

struct Error {
  ErrorCode code;
  std::string message;

  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}
  friend bool operator==(const Error&, const Error&) = default;
};

// What the wire shows for an error code.
struct ErrorInfo {
  int http_status;
  std::string_view aws_code;  // the <Code> element
  bool sender_fault;          // <Type>Sender</Type> or <Type>Receiver</Type>
};

// The one error table. Total over ErrorCode.
const ErrorInfo& Describe(ErrorCode code);

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(std::in_place, code, std::move(message));
}

}  // namespace iamd

// Propagates an error out of a function returning Result<U>/Status:
//   IAMD_TRY(CheckName(name));
#define IAMD_TRY(expr)                                      \
  do {                                                      \
    if (auto iamd_try_result_ = (expr); !iamd_try_result_)  \
      return std::unexpected(std::move(iamd_try_result_).error()); \
  } while (0)
