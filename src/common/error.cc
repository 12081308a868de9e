#include "common/error.h"

namespace iamd {

const ErrorInfo& Describe(ErrorCode code) {
  // HTTP statuses and codes from the botocore service models (`error` of each exception shape)
  // and, for the errors common to all Query services, from AWS's "Common Errors" reference.
  static const ErrorInfo kNoSuchEntity{404, "NoSuchEntity", true};
  static const ErrorInfo kEntityAlreadyExists{409, "EntityAlreadyExists", true};
  static const ErrorInfo kDeleteConflict{409, "DeleteConflict", true};
  static const ErrorInfo kLimitExceeded{409, "LimitExceeded", true};
  static const ErrorInfo kMalformedPolicyDocument{400, "MalformedPolicyDocument", true};
  static const ErrorInfo kValidationError{400, "ValidationError", true};
  static const ErrorInfo kInvalidInput{400, "InvalidInput", true};
  static const ErrorInfo kUnmodifiableEntity{400, "UnmodifiableEntity", true};
  static const ErrorInfo kPolicyNotAttachable{400, "PolicyNotAttachable", true};
  static const ErrorInfo kConcurrentModification{409, "ConcurrentModification", true};
  static const ErrorInfo kEntityTemporarilyUnmodifiable{409, "EntityTemporarilyUnmodifiable", true};
  static const ErrorInfo kPolicyEvaluation{500, "PolicyEvaluation", false};
  static const ErrorInfo kPasswordPolicyViolation{400, "PasswordPolicyViolation", true};
  static const ErrorInfo kMalformedCertificate{400, "MalformedCertificate", true};
  static const ErrorInfo kDuplicateCertificate{409, "DuplicateCertificate", true};
  static const ErrorInfo kInvalidPublicKey{400, "InvalidPublicKey", true};
  static const ErrorInfo kDuplicateSshPublicKey{400, "DuplicateSSHPublicKey", true};
  static const ErrorInfo kInvalidAuthenticationCode{403, "InvalidAuthenticationCode", true};
  static const ErrorInfo kKeyPairMismatch{400, "KeyPairMismatch", true};
  static const ErrorInfo kInvalidUserType{400, "InvalidUserType", true};
  static const ErrorInfo kOrganizationNotFound{400, "OrganizationNotFoundException", true};
  static const ErrorInfo kUnrecognizedPublicKeyEncoding{400, "UnrecognizedPublicKeyEncoding", true};
  static const ErrorInfo kReportNotPresent{410, "ReportNotPresent", true};
  static const ErrorInfo kReportExpired{410, "ReportExpired", true};
  static const ErrorInfo kFeatureEnabled{409, "FeatureEnabled", true};
  static const ErrorInfo kFeatureDisabled{404, "FeatureDisabled", true};
  static const ErrorInfo kServiceFailure{500, "ServiceFailure", false};
  static const ErrorInfo kPackedPolicyTooLarge{400, "PackedPolicyTooLarge", true};
  static const ErrorInfo kRegionDisabled{403, "RegionDisabledException", true};
  static const ErrorInfo kExpiredTokenException{400, "ExpiredTokenException", true};
  static const ErrorInfo kIdpRejectedClaim{403, "IDPRejectedClaim", true};
  static const ErrorInfo kIdpCommunicationError{400, "IDPCommunicationError", true};
  static const ErrorInfo kInvalidIdentityToken{400, "InvalidIdentityToken", true};
  static const ErrorInfo kInvalidAuthorizationMessage{400, "InvalidAuthorizationMessageException",
                                                      true};
  static const ErrorInfo kOutboundWebIdentityFederationDisabled{
      403, "OutboundWebIdentityFederationDisabledException", true};
  static const ErrorInfo kSessionDurationEscalation{403, "SessionDurationEscalationException",
                                                    true};
  static const ErrorInfo kJwtPayloadSizeExceeded{400, "JWTPayloadSizeExceededException", true};
  static const ErrorInfo kAccessDenied{403, "AccessDenied", true};
  static const ErrorInfo kInvalidClientTokenId{403, "InvalidClientTokenId", true};
  static const ErrorInfo kSignatureDoesNotMatch{403, "SignatureDoesNotMatch", true};
  static const ErrorInfo kIncompleteSignature{400, "IncompleteSignature", true};
  static const ErrorInfo kMissingAuthenticationToken{403, "MissingAuthenticationToken", true};
  static const ErrorInfo kExpiredToken{403, "ExpiredToken", true};
  static const ErrorInfo kInvalidAction{400, "InvalidAction", true};
  static const ErrorInfo kMissingAction{400, "MissingAction", true};
  static const ErrorInfo kMissingParameter{400, "MissingParameter", true};
  static const ErrorInfo kInvalidParameterValue{400, "InvalidParameterValue", true};
  static const ErrorInfo kInvalidParameterCombination{400, "InvalidParameterCombination", true};
  static const ErrorInfo kMalformedQueryString{404, "MalformedQueryString", true};
  static const ErrorInfo kNotImplemented{501, "NotImplemented", false};
  static const ErrorInfo kRequestEntityTooLarge{413, "RequestEntityTooLarge", true};
  static const ErrorInfo kOptInRequired{403, "OptInRequired", true};
  static const ErrorInfo kThrottling{400, "Throttling", true};

  switch (code) {
    case ErrorCode::kNoSuchEntity: return kNoSuchEntity;
    case ErrorCode::kEntityAlreadyExists: return kEntityAlreadyExists;
    case ErrorCode::kDeleteConflict: return kDeleteConflict;
    case ErrorCode::kLimitExceeded: return kLimitExceeded;
    case ErrorCode::kMalformedPolicyDocument: return kMalformedPolicyDocument;
    case ErrorCode::kValidationError: return kValidationError;
    case ErrorCode::kInvalidInput: return kInvalidInput;
    case ErrorCode::kUnmodifiableEntity: return kUnmodifiableEntity;
    case ErrorCode::kPolicyNotAttachable: return kPolicyNotAttachable;
    case ErrorCode::kConcurrentModification: return kConcurrentModification;
    case ErrorCode::kEntityTemporarilyUnmodifiable: return kEntityTemporarilyUnmodifiable;
    case ErrorCode::kPolicyEvaluation: return kPolicyEvaluation;
    case ErrorCode::kPasswordPolicyViolation: return kPasswordPolicyViolation;
    case ErrorCode::kMalformedCertificate: return kMalformedCertificate;
    case ErrorCode::kDuplicateCertificate: return kDuplicateCertificate;
    case ErrorCode::kInvalidPublicKey: return kInvalidPublicKey;
    case ErrorCode::kDuplicateSshPublicKey: return kDuplicateSshPublicKey;
    case ErrorCode::kInvalidAuthenticationCode: return kInvalidAuthenticationCode;
    case ErrorCode::kKeyPairMismatch: return kKeyPairMismatch;
    case ErrorCode::kInvalidUserType: return kInvalidUserType;
    case ErrorCode::kOrganizationNotFound: return kOrganizationNotFound;
    case ErrorCode::kUnrecognizedPublicKeyEncoding: return kUnrecognizedPublicKeyEncoding;
    case ErrorCode::kReportNotPresent: return kReportNotPresent;
    case ErrorCode::kReportExpired: return kReportExpired;
    case ErrorCode::kFeatureEnabled: return kFeatureEnabled;
    case ErrorCode::kFeatureDisabled: return kFeatureDisabled;
    case ErrorCode::kServiceFailure: return kServiceFailure;
    case ErrorCode::kPackedPolicyTooLarge: return kPackedPolicyTooLarge;
    case ErrorCode::kRegionDisabled: return kRegionDisabled;
    case ErrorCode::kExpiredTokenException: return kExpiredTokenException;
    case ErrorCode::kIdpRejectedClaim: return kIdpRejectedClaim;
    case ErrorCode::kIdpCommunicationError: return kIdpCommunicationError;
    case ErrorCode::kInvalidIdentityToken: return kInvalidIdentityToken;
    case ErrorCode::kInvalidAuthorizationMessage: return kInvalidAuthorizationMessage;
    case ErrorCode::kOutboundWebIdentityFederationDisabled:
      return kOutboundWebIdentityFederationDisabled;
    case ErrorCode::kSessionDurationEscalation: return kSessionDurationEscalation;
    case ErrorCode::kJwtPayloadSizeExceeded: return kJwtPayloadSizeExceeded;
    case ErrorCode::kAccessDenied: return kAccessDenied;
    case ErrorCode::kInvalidClientTokenId: return kInvalidClientTokenId;
    case ErrorCode::kSignatureDoesNotMatch: return kSignatureDoesNotMatch;
    case ErrorCode::kIncompleteSignature: return kIncompleteSignature;
    case ErrorCode::kMissingAuthenticationToken: return kMissingAuthenticationToken;
    case ErrorCode::kExpiredToken: return kExpiredToken;
    case ErrorCode::kInvalidAction: return kInvalidAction;
    case ErrorCode::kMissingAction: return kMissingAction;
    case ErrorCode::kMissingParameter: return kMissingParameter;
    case ErrorCode::kInvalidParameterValue: return kInvalidParameterValue;
    case ErrorCode::kInvalidParameterCombination: return kInvalidParameterCombination;
    case ErrorCode::kMalformedQueryString: return kMalformedQueryString;
    case ErrorCode::kNotImplemented: return kNotImplemented;
    case ErrorCode::kRequestEntityTooLarge: return kRequestEntityTooLarge;
    case ErrorCode::kOptInRequired: return kOptInRequired;
    case ErrorCode::kThrottling: return kThrottling;
  }
  return kServiceFailure;  // unreachable for valid enum values
}

}  // namespace iamd
