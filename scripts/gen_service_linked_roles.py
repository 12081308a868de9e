#!/usr/bin/env python3
"""Writes src/model/internal/service_linked_roles.inc: for each AWS service that has a
service-linked role, the role's name and the AWS managed policy AWS attaches to it.

The role names are mined from the AWS managed policies themselves (resources like
`role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM*`), plus a few well-known
ones the policies only grant by `iam:AWSServiceName` (EXTRA below, from the IAM User Guide's
"AWS services that work with IAM"). The attached policy is the `/aws-service-role/` policy whose
name best matches the role name; CURATED pins the ones where the names differ.

    python3 scripts/gen_service_linked_roles.py > src/model/internal/service_linked_roles.inc
"""
import json
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

EXTRA = {
    "spotfleet.amazonaws.com": "AWSServiceRoleForEC2SpotFleet",
    "ec2scheduled.amazonaws.com": "AWSServiceRoleForEC2Scheduled",
    "transitgateway.amazonaws.com": "AWSServiceRoleForVPCTransitGateway",
    "fsx.amazonaws.com": "AWSServiceRoleForAmazonFSx",
    "ec2fleet.amazonaws.com": "AWSServiceRoleForEC2Fleet",
    "guardduty.amazonaws.com": "AWSServiceRoleForAmazonGuardDuty",
    "organizations.amazonaws.com": "AWSServiceRoleForOrganizations",
    "trustedadvisor.amazonaws.com": "AWSServiceRoleForTrustedAdvisor",
    "cloudtrail.amazonaws.com": "AWSServiceRoleForCloudTrail",
    "securityhub.amazonaws.com": "AWSServiceRoleForSecurityHub",
    "elasticfilesystem.amazonaws.com": "AWSServiceRoleForAmazonElasticFileSystem",
    "dax.amazonaws.com": "AWSServiceRoleForDAX",
    "redshift.amazonaws.com": "AWSServiceRoleForRedshift",
}
CURATED = {
    "AWSServiceRoleForAutoScaling": "AutoScalingServiceRolePolicy",
    "AWSServiceRoleForEC2Spot": "AWSEC2SpotServiceRolePolicy",
    "AWSServiceRoleForEC2SpotFleet": "AWSEC2SpotFleetServiceRolePolicy",
    "AWSServiceRoleForElasticLoadBalancing": "AWSElasticLoadBalancingServiceRolePolicy",
    "AWSServiceRoleForVPCTransitGateway": "AWSVPCTransitGatewayServiceRolePolicy",
    "AWSServiceRoleForAmazonSSM": "AmazonSSMServiceRolePolicy",
    "AWSServiceRoleForAmazonFSx": "AmazonFSxServiceRolePolicy",
    "AWSServiceRoleForECS": "AmazonECSServiceRolePolicy",
    "AWSServiceRoleForAmazonEKS": "AmazonEKSServiceRolePolicy",
    "AWSServiceRoleForRDS": "AmazonRDSServiceRolePolicy",
    "AWSServiceRoleForElastiCache": "ElastiCacheServiceRolePolicy",
    "AWSServiceRoleForOrganizations": "AWSOrganizationsServiceTrustPolicy",
    "AWSServiceRoleForAmazonGuardDuty": "AmazonGuardDutyServiceRolePolicy",
}
# Recorded from real AWS (service -> role name, attached policy), which wins over mining.
RECORDED = {
    "accountdiscovery.ssm.amazonaws.com": ("AWSServiceRoleForAmazonSSM_AccountDiscovery", "AWSSystemsManagerAccountDiscoveryServicePolicy"),
    "acm.amazonaws.com": ("AWSServiceRoleForCertificateManager", "CertificateManagerServiceRolePolicy"),
    "appmesh.amazonaws.com": ("AWSServiceRoleForAppMesh", "AWSAppMeshServiceRolePolicy"),
    "autoscaling-plans.amazonaws.com": ("AWSServiceRoleForAutoScalingPlans_EC2AutoScaling", "AWSAutoScalingPlansEC2AutoScalingPolicy"),
    "autoscaling.amazonaws.com": ("AWSServiceRoleForAutoScaling", "AutoScalingServiceRolePolicy"),
    "backup.amazonaws.com": ("AWSServiceRoleForBackup", "AWSBackupServiceLinkedRolePolicyForBackup"),
    "batch.amazonaws.com": ("AWSServiceRoleForBatch", "BatchServiceRolePolicy"),
    "cassandra.application-autoscaling.amazonaws.com": ("AWSServiceRoleForApplicationAutoScaling_CassandraTable", "AWSApplicationAutoscalingCassandraTablePolicy"),
    "cks.kms.amazonaws.com": ("AWSServiceRoleForKeyManagementServiceCustomKeyStores", "AWSKeyManagementServiceCustomKeyStoresServiceRolePolicy"),
    "cloudtrail.amazonaws.com": ("AWSServiceRoleForCloudTrail", "CloudTrailServiceRolePolicy"),
    "codestar-notifications.amazonaws.com": ("AWSServiceRoleForCodeStarNotifications", "AWSCodeStarNotificationsServiceRolePolicy"),
    "config.amazonaws.com": ("AWSServiceRoleForConfig", "AWSConfigServiceRolePolicy"),
    "connect.amazonaws.com": ("AWSServiceRoleForAmazonConnect", "AmazonConnectServiceLinkedRolePolicy"),
    "dms-fleet-advisor.amazonaws.com": ("AWSServiceRoleForDMSFleetAdvisor", "AWSDMSFleetAdvisorServiceRolePolicy"),
    "dms.amazonaws.com": ("AWSServiceRoleForDMSServerless", "AWSDMSServerlessServiceRolePolicy"),
    "docdb-elastic.amazonaws.com": ("AWSServiceRoleForDocDB-Elastic", "AmazonDocDB-ElasticServiceRolePolicy"),
    "ec2-instance-connect.amazonaws.com": ("AWSServiceRoleForEc2InstanceConnect", "Ec2InstanceConnectEndpoint"),
    "ec2.application-autoscaling.amazonaws.com": ("AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest", "AWSApplicationAutoscalingEC2SpotFleetRequestPolicy"),
    "ecr.amazonaws.com": ("AWSServiceRoleForECRTemplate", "ECRTemplateServiceRolePolicy"),
    "ecs.amazonaws.com": ("AWSServiceRoleForECS", "AmazonECSServiceRolePolicy"),
    "eks-connector.amazonaws.com": ("AWSServiceRoleForAmazonEKSConnector", "AmazonEKSConnectorServiceRolePolicy"),
    "eks-fargate.amazonaws.com": ("AWSServiceRoleForAmazonEKSForFargate", "AmazonEKSForFargateServiceRolePolicy"),
    "eks-nodegroup.amazonaws.com": ("AWSServiceRoleForAmazonEKSNodegroup", "AWSServiceRoleForAmazonEKSNodegroup"),
    "eks.amazonaws.com": ("AWSServiceRoleForAmazonEKS", "AmazonEKSServiceRolePolicy"),
    "elasticache.amazonaws.com": ("AWSServiceRoleForElastiCache", "ElastiCacheServiceRolePolicy"),
    "elasticbeanstalk.amazonaws.com": ("AWSServiceRoleForElasticBeanstalk", "AWSElasticBeanstalkServiceRolePolicy"),
    "elasticfilesystem.amazonaws.com": ("AWSServiceRoleForAmazonElasticFileSystem", "AmazonElasticFileSystemServiceRolePolicy"),
    "elasticloadbalancing.amazonaws.com": ("AWSServiceRoleForElasticLoadBalancing", "AWSElasticLoadBalancingServiceRolePolicy"),
    "email.cognito-idp.amazonaws.com": ("AWSServiceRoleForAmazonCognitoIdpEmailService", "AmazonCognitoIdpEmailServiceRolePolicy"),
    "emr-containers.amazonaws.com": ("AWSServiceRoleForAmazonEMRContainers", "AmazonEMRContainersServiceRolePolicy"),
    "emrwal.amazonaws.com": ("AWSServiceRoleForEMRWAL", "EMRDescribeClusterPolicyForEMRWAL"),
    "fis.amazonaws.com": ("AWSServiceRoleForFIS", "AmazonFISServiceRolePolicy"),
    "grafana.amazonaws.com": ("AWSServiceRoleForAmazonGrafana", "AmazonGrafanaServiceLinkedRolePolicy"),
    "imagebuilder.amazonaws.com": ("AWSServiceRoleForImageBuilder", "AWSServiceRoleForImageBuilder"),
    "iotmanagedintegrations.amazonaws.com": ("AWSServiceRoleForIoTManagedIntegrations", "AWSIoTManagedIntegrationsRolePolicy"),
    "kafka.amazonaws.com": ("AWSServiceRoleForKafka", "KafkaServiceRolePolicy"),
    "kafkaconnect.amazonaws.com": ("AWSServiceRoleForKafkaConnect", "KafkaConnectServiceRolePolicy"),
    "lakeformation.amazonaws.com": ("AWSServiceRoleForLakeFormationDataAccess", "LakeFormationDataAccessServiceRolePolicy"),
    "lex.amazonaws.com": ("AWSServiceRoleForLexBots", "AmazonLexBotPolicy"),
    "lexv2.amazonaws.com": ("AWSServiceRoleForLexV2Bots", "AmazonLexV2BotPolicy"),
    "lightsail.amazonaws.com": ("AWSServiceRoleForLightsail", "LightsailExportAccess"),
    "m2.amazonaws.com": ("AWSServiceRoleForAWSM2", "AWSM2ServicePolicy"),
    "memorydb.amazonaws.com": ("AWSServiceRoleForMemoryDB", "MemoryDBServiceRolePolicy"),
    "mq.amazonaws.com": ("AWSServiceRoleForAmazonMQ", "AmazonMQServiceRolePolicy"),
    "mrk.kms.amazonaws.com": ("AWSServiceRoleForKeyManagementServiceMultiRegionKeys", "AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy"),
    "notifications.amazonaws.com": ("AWSServiceRoleForAwsUserNotifications", "AWSUserNotificationsServiceLinkedRolePolicy"),
    "observability.aoss.amazonaws.com": ("AWSServiceRoleForAmazonOpenSearchServerless", "AmazonOpenSearchServerlessServiceRolePolicy"),
    "opensearchservice.amazonaws.com": ("AWSServiceRoleForAmazonOpenSearchService", "AmazonOpenSearchServiceRolePolicy"),
    "ops.apigateway.amazonaws.com": ("AWSServiceRoleForAPIGateway", "APIGatewayServiceRolePolicy"),
    "ops.emr-serverless.amazonaws.com": ("AWSServiceRoleForAmazonEMRServerless", "AmazonEMRServerlessServiceRolePolicy"),
    "opsdatasync.ssm.amazonaws.com": ("AWSServiceRoleForSystemsManagerOpsDataSync", "AWSSystemsManagerOpsDataSyncServiceRolePolicy"),
    "opsinsights.ssm.amazonaws.com": ("AWSServiceRoleForAmazonSSM_OpsInsights", "AWSSSMOpsInsightsServiceRolePolicy"),
    "pullthroughcache.ecr.amazonaws.com": ("AWSServiceRoleForECRPullThroughCache", "AWSECRPullThroughCache_ServiceRolePolicy"),
    "ram.amazonaws.com": ("AWSServiceRoleForResourceAccessManager", "AWSResourceAccessManagerServiceRolePolicy"),
    "rds.amazonaws.com": ("AWSServiceRoleForRDS", "AmazonRDSServiceRolePolicy"),
    "redshift.amazonaws.com": ("AWSServiceRoleForRedshift", "AmazonRedshiftServiceLinkedRolePolicy"),
    "replication.cassandra.amazonaws.com": ("AWSServiceRoleForKeyspacesReplication", "KeyspacesReplicationServiceRolePolicy"),
    "replication.ecr.amazonaws.com": ("AWSServiceRoleForECRReplication", "ECRReplicationServiceRolePolicy"),
    "repository.sync.codeconnections.amazonaws.com": ("AWSServiceRoleForGitSync", "AWSGitSyncServiceRolePolicy"),
    "resource-explorer-2.amazonaws.com": ("AWSServiceRoleForResourceExplorer", "AWSResourceExplorerServiceRolePolicy"),
    "rolesanywhere.amazonaws.com": ("AWSServiceRoleForRolesAnywhere", "AWSRolesAnywhereServicePolicy"),
    "s3-outposts.amazonaws.com": ("AWSServiceRoleForS3OnOutposts", "AWSS3OnOutpostsServiceRolePolicy"),
    "ses.amazonaws.com": ("AWSServiceRoleForAmazonSES", "AmazonSESServiceRolePolicy"),
    "shield.amazonaws.com": ("AWSServiceRoleForAWSShield", "AWSShieldServiceRolePolicy"),
    "ssm-incidents.amazonaws.com": ("AWSServiceRoleForIncidentManager", "AWSIncidentManagerServiceRolePolicy"),
    "ssm-quicksetup.amazonaws.com": ("AWSServiceRoleForSSMQuickSetup", "SSMQuickSetupRolePolicy"),
    "ssm.amazonaws.com": ("AWSServiceRoleForAmazonSSM", "AmazonSSMServiceRolePolicy"),
    "sso.amazonaws.com": ("AWSServiceRoleForSSO", "AWSSSOServiceRolePolicy"),
    "vpcorigin.cloudfront.amazonaws.com": ("AWSServiceRoleForCloudFrontVPCOrigin", "AWSCloudFrontVPCOriginServiceRolePolicy"),
    "waf.amazonaws.com": ("AWSServiceRoleForWAFLogging", "WAFLoggingServiceRolePolicy"),
    "wafv2.amazonaws.com": ("AWSServiceRoleForWAFV2Logging", "WAFV2LoggingServiceRolePolicy"),
}

# Services whose service-linked role takes a custom suffix (IAM User Guide, CreateServiceLinkedRole:
# "Some services do not support the CustomSuffix parameter").
SUFFIX = {"autoscaling.amazonaws.com", "connect.amazonaws.com", "lexv2.amazonaws.com",
          "elasticbeanstalk.amazonaws.com", "s3.data-source.lustre.fsx.amazonaws.com"}


def main():
    with open(os.path.join(ROOT, "resources", "aws-managed-policies.json")) as f:
        policies = json.load(f)
    roles = {}
    for p in policies:
        text = json.dumps(p["Document"])
        for m in re.finditer(r"role/aws-service-role/([a-z0-9.\-]+\.amazonaws\.com)/"
                             r"(AWSServiceRoleFor[A-Za-z0-9]+)", text):
            roles.setdefault(m.group(1), m.group(2))
    for service, role in EXTRA.items():
        roles.setdefault(service, role)
    for service, (role, _) in RECORDED.items():
        roles[service] = role
    slr_policies = {p["PolicyName"] for p in policies if p["Path"] == "/aws-service-role/"}

    recorded_policy = {role: policy for role, policy in RECORDED.values()}

    def policy_for(role):
        if role in recorded_policy:
            return recorded_policy[role] if recorded_policy[role] in slr_policies else ""
        if role in CURATED:
            return CURATED[role] if CURATED[role] in slr_policies else ""
        stem = role[len("AWSServiceRoleFor"):]
        candidates = [n for n in slr_policies if stem.lower() in n.lower()]
        candidates.sort(key=lambda n: (not n.endswith("ServiceRolePolicy"), len(n)))
        return candidates[0] if candidates else ""

    print("// Generated by scripts/gen_service_linked_roles.py. Do not edit by hand.")
    print("// clang-format off")
    for service in sorted(roles):
        role = roles[service]
        print('{"%s", "%s", "%s", %s},' % (service, role, policy_for(role),
                                             "true" if service in SUFFIX else "false"))


if __name__ == "__main__":
    main()
