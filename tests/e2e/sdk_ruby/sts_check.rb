# sts_check.rb: drives iamd's STS with the AWS SDK for Ruby (Debian's ruby-aws-sdk-core, whose
# STS client and credential providers Chef, Fluentd and Logstash plugins use): its own query
# encoder, XML parser, signer and providers. Run by tests/e2e/test_ruby_sdk.py.
#
# Usage: ruby sts_check.rb MODE [ROLE_ARN]; prints the caller's ARN from GetCallerIdentity, or
# "ERROR <class> <message>" for an error from the service (exit 0 either way; anything else
# fails).
#   env           credentials from the SDK's default chain; here, keys in the environment
#   imds          Aws::InstanceProfileCredentials (IMDSv2) from the instance metadata at
#                 IAMD_IMDS_URL
#   ecs           Aws::ECSCredentials from the container endpoint at IAMD_ECS_URI
#   assume        Aws::AssumeRoleCredentials for ROLE_ARN, session "ruby-sdk", as the caller of
#                 the environment's keys
#   web-identity  Aws::AssumeRoleWebIdentityCredentials from AWS_ROLE_ARN and
#                 AWS_WEB_IDENTITY_TOKEN_FILE, session "pod-1"
# This version's default chain cannot reach the metadata and container endpoints of a test: it
# ignores the port of AWS_EC2_METADATA_SERVICE_ENDPOINT (port 80 unless given as an option) and
# knows only AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on 169.254.170.2), so those providers are
# given the endpoints as options.
# Environment: IAMD_ENDPOINT (http://127.0.0.1:PORT). The region is us-east-1.
require 'aws-sdk-core'
require 'uri'

ENDPOINT = ENV.fetch('IAMD_ENDPOINT')
REGION = 'us-east-1'

def sts(**options)
  Aws::STS::Client.new(endpoint: ENDPOINT, region: REGION, retry_limit: 0, **options)
end

begin
  mode = ARGV.fetch(0)
  client =
    case mode
    when 'env'
      sts
    when 'imds'
      imds = URI.parse(ENV.fetch('IAMD_IMDS_URL'))
      sts(credentials: Aws::InstanceProfileCredentials.new(
        endpoint: "http://#{imds.host}", port: imds.port, retries: 0))
    when 'ecs'
      ecs = URI.parse(ENV.fetch('IAMD_ECS_URI'))
      sts(credentials: Aws::ECSCredentials.new(
        ip_address: ecs.host, port: ecs.port, credential_path: ecs.path, retries: 0))
    when 'assume'
      sts(credentials: Aws::AssumeRoleCredentials.new(
        client: sts, role_arn: ARGV.fetch(1), role_session_name: 'ruby-sdk'))
    when 'web-identity'
      sts(credentials: Aws::AssumeRoleWebIdentityCredentials.new(
        client: sts(credentials: nil), role_arn: ENV.fetch('AWS_ROLE_ARN'),
        web_identity_token_file: ENV.fetch('AWS_WEB_IDENTITY_TOKEN_FILE'),
        role_session_name: 'pod-1'))
    else
      abort "sts_check.rb: unknown mode #{mode}"
    end
  puts client.get_caller_identity.arn
rescue Aws::STS::Errors::ServiceError => e
  puts "ERROR #{e.class.name.split('::').last} #{e.message}"
end
