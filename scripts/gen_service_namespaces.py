#!/usr/bin/env python3
"""Writes src/managed/service_namespaces.inc: the service namespaces (the prefixes of IAM actions,
"s3" in "s3:GetObject") of AWS's services, with the names IAM's access reports give them
(GetServiceLastAccessedDetails' ServiceName).

Facts, from three sources on a machine with the image's Python:
 - the namespaces: the IAM policy data that cfn-lint ships (cfnlint/data/AdditionalSpecs/
   Policies.json, taken from AWS's policy generator), plus "iam" and "sts" (always there);
 - the names as AWS returned them in recorded GetServiceLastAccessedDetails responses
   (cloud-custodian tests/data/placebo/test_iam_user_usage/iam.GetServiceLastAccessedDetails_2.json,
   March 2019), in RECORDED below;
 - for the other namespaces, the serviceFullName of the botocore service model whose signing
   name, endpoint prefix or serviceId (lowercase, hyphens for spaces) is the namespace;
 - for the rest, the service's name in AWS's Service Authorization Reference (as the
   cloudtools/awacs modules generated from it give it, awacs/<prefix>.py, and the reference's
   pages for five newer names), in SAR_NAMES below; else the namespace itself.
Run it again when those change:  python3 scripts/gen_service_namespaces.py > src/managed/service_namespaces.inc
"""
import glob
import gzip
import json
import os

import botocore
import cfnlint

RECORDED = """
a4b|Alexa for Business
acm|AWS Certificate Manager
acm-pca|AWS Certificate Manager Private Certificate Authority
amplify|AWS Amplify
apigateway|Manage - Amazon API Gateway
application-autoscaling|Application Auto Scaling
appstream|Amazon AppStream 2.0
appsync|AWS AppSync
artifact|AWS Artifact
athena|Amazon Athena
autoscaling|Amazon EC2 Auto Scaling
autoscaling-plans|AWS Auto Scaling
aws-marketplace|AWS Marketplace
aws-marketplace-management|AWS Marketplace Management Portal
aws-portal|AWS Billing
backup|AWS Backup
batch|AWS Batch
budgets|AWS Budget Service
ce|AWS Cost Explorer Service
chime|Amazon Chime
cloud9|AWS Cloud9
clouddirectory|Amazon Cloud Directory
cloudformation|AWS CloudFormation
cloudfront|Amazon CloudFront
cloudhsm|AWS CloudHSM
cloudsearch|Amazon CloudSearch
cloudtrail|AWS CloudTrail
cloudwatch|Amazon CloudWatch
codebuild|AWS CodeBuild
codecommit|AWS CodeCommit
codedeploy|AWS CodeDeploy
codepipeline|AWS CodePipeline
codestar|AWS CodeStar
cognito-identity|Amazon Cognito Identity
cognito-idp|Amazon Cognito User Pools
cognito-sync|Amazon Cognito Sync
comprehend|Amazon Comprehend
comprehendmedical|Comprehend Medical
config|AWS Config
connect|Amazon Connect
cur|AWS Cost and Usage Report
datapipeline|Data Pipeline
datasync|DataSync
dax|Amazon DynamoDB Accelerator (DAX)
deeplens|AWS DeepLens
devicefarm|AWS Device Farm
directconnect|AWS Direct Connect
discovery|AWS Application Discovery Service
dlm|Amazon Data Lifecycle Manager
dms|AWS Database Migration Service
ds|AWS Directory Service
dynamodb|Amazon DynamoDB
ec2|Amazon EC2
ec2messages|Amazon Message Delivery Service
ecr|Amazon Elastic Container Registry
ecs|Amazon Elastic Container Service
eks|Amazon Elastic Container Service for Kubernetes
elastic-inference|Amazon Elastic Inference
elasticache|Amazon ElastiCache
elasticbeanstalk|AWS Elastic Beanstalk
elasticfilesystem|Amazon Elastic File System
elasticloadbalancing|Elastic Load Balancing
elasticmapreduce|Amazon Elastic MapReduce
elastictranscoder|Amazon Elastic Transcoder
es|Amazon Elasticsearch Service
events|Amazon CloudWatch Events
execute-api|Amazon API Gateway
firehose|Amazon Kinesis Firehose
fms|AWS Firewall Manager
freertos|Amazon FreeRTOS
fsx|Amazon FSx
gamelift|Amazon GameLift
glacier|Amazon Glacier
globalaccelerator|Global Accelerator
glue|AWS Glue
greengrass|AWS Greengrass
groundtruthlabeling|Amazon GroundTruth Labeling
guardduty|Amazon GuardDuty
health|AWS Health APIs and Notifications
iam|AWS Identity and Access Management
importexport|AWS Import Export
inspector|Amazon Inspector
iot|AWS IoT
iot1click|AWS IoT 1-Click
iotanalytics|AWS IoT Analytics
iotevents|AWS IoT Events
iotsitewise|AWS IoT SiteWise
kafka|Amazon Managed Streaming for Kafka
kinesis|Amazon Kinesis
kinesisanalytics|Amazon Kinesis Analytics
kinesisvideo|Amazon Kinesis Video Streams
kms|AWS Key Management Service
lambda|AWS Lambda
lex|Amazon Lex
license-manager|AWS License Manager
lightsail|Amazon Lightsail
logs|Amazon CloudWatch Logs
machinelearning|Amazon Machine Learning
macie|Amazon Macie
mechanicalturk|Amazon Mechanical Turk
mediaconnect|AWS Elemental MediaConnect
mediaconvert|AWS Elemental MediaConvert
medialive|AWS Elemental MediaLive
mediapackage|AWS Elemental MediaPackage
mediastore|AWS Elemental MediaStore
mgh|AWS Migration Hub
mobileanalytics|Amazon Mobile Analytics
mobilehub|AWS Mobile Hub
mobiletargeting|Amazon Pinpoint
mq|Amazon MQ
neptune-db|Amazon Neptune
opsworks|AWS OpsWorks
opsworks-cm|AWS OpsWorks Configuration Management
organizations|AWS Organizations
pi|AWS Performance Insights
polly|Amazon Polly
pricing|AWS Price List
quicksight|Amazon QuickSight
ram|AWS Resource Access Manager
rds|Amazon RDS
redshift|Amazon Redshift
rekognition|Amazon Rekognition
resource-groups|AWS Resource Groups
robomaker|AWS RoboMaker
route53|Amazon Route 53
route53domains|Amazon Route53 Domains
route53resolver|Amazon Route 53 Resolver
s3|Amazon S3
sagemaker|Amazon SageMaker
sdb|Amazon SimpleDB
secretsmanager|AWS Secrets Manager
securityhub|AWS Security Hub
serverlessrepo|AWS Serverless Application Repository
servicecatalog|AWS Service Catalog
servicediscovery|AWS Cloud Map
ses|Amazon SES
shield|AWS Shield
signer|AWS Code Signing for Amazon FreeRTOS
sms|AWS Server Migration Service
sms-voice|Amazon Pinpoint SMS and Voice Service
snowball|AWS Snowball
sns|Amazon SNS
sqs|Amazon SQS
ssm|AWS Systems Manager
ssmmessages|Amazon Session Manager Message Gateway Service
sso|AWS SSO
sso-directory|AWS SSO Directory
states|AWS Step Functions
storagegateway|Amazon Storage Gateway
sts|AWS Security Token Service
sumerian|Amazon Sumerian
support|AWS Support
swf|Amazon Simple Workflow Service
tag|Amazon Resource Group Tagging API
textract|Amazon Textract
transcribe|Amazon Transcribe
transfer|AWS Transfer for SFTP
translate|Amazon Translate
trustedadvisor|AWS Trusted Advisor
waf|AWS WAF
waf-regional|AWS WAF Regional
wam|Amazon WorkSpaces Application Manager
wellarchitected|AWS Well-Architected Tool
workdocs|Amazon WorkDocs
worklink|Amazon WorkLink
workmail|Amazon WorkMail
workspaces|Amazon WorkSpaces
xray|AWS X-Ray
"""

SAR_NAMES = """
a2c|AWS App2Container
action-recommendations|AWS Action Recommendations
activate|AWS Activate
agentaccess-mcp|Amazon WorkSpaces AgentAccess MCP Server
application-signals-mcp|Amazon CloudWatch Application Signals MCP Server
application-transformation|AWS Application Transformation Service
appmesh-preview|AWS App Mesh Preview
appstudio|AWS App Studio
apptest|AWS Mainframe Modernization Application Testing
arsenal|Application Discovery Arsenal
aws-external-anthropic|Claude Platform on AWS
awsconnector|AWS Connector Service
backup-storage|AWS Backup storage
bedrock-mantle|Amazon Bedrock Powered by AWS Mantle
bugbust|AWS BugBust
cloudshell|AWS CloudShell
codedeploy-commands-secure|AWS CodeDeploy secure host commands service
codeguru|Amazon CodeGuru
codewhisperer|Amazon CodeWhisperer
consoleapp|AWS Management Console Mobile App
consolidatedbilling|AWS Consolidated Billing
customer-verification|AWS Customer Verification Service
dbqms|Database Query Metadata Service
ecs-mcp|Amazon ECS MCP Service
eks-mcp|Amazon EKS MCP Server
elemental-activations|AWS Elemental Appliances and Software Activation Service
elemental-appliances-software|AWS Elemental Appliances and Software
elemental-support-cases|AWS Elemental Support Cases
elemental-support-content|AWS Elemental Support Content
evidently|Amazon CloudWatch Evidently
honeycode|Amazon Honeycode
identity-sync|AWS Identity Sync
identitystore-auth|AWS Identity Store Auth
inspector2-telemetry|Amazon Inspector2 Telemetry Channel
iot-device-tester|AWS IoT Device Tester
iotfleethub|Fleet Hub for AWS IoT Device Management
iotjobsdata|AWS IoT Jobs DataPlane
iq|AWS IQ
iq-permission|AWS IQ Permissions
kafka-cluster|Apache Kafka APIs for Amazon MSK clusters
lookoutmetrics|Amazon Lookout for Metrics
lookoutvision|Amazon Lookout for Vision
mapcredits|AWS Migration Acceleration Program Credits
mediaimport|AmazonMediaImport
monitron|Amazon Monitron
network-security-director|AWS Shield network security director
networkmanager-chat|AWS Network Manager Chat
nimble|Amazon Nimble Studio
odb|AWS Service - Oracle Database@AWS
one|Amazon One Enterprise
partnercentral|AWS Partner Central
partnercentral-account-management|AWS Partner central account management
payments|AWS Payments
pricingplanmanager|AWS PricingPlanManager Service
private-networks|AWS service providing managed private networks
purchase-orders|AWS Purchase Orders Console
q|Amazon Q
qdeveloper|Amazon Q Developer
qldb|Amazon QLDB
rds-db|Amazon RDS IAM Authentication
researchstudio|Amazon Bio Discovery
resource-explorer|Tag Editor
rhelkb|Amazon RHEL Knowledgebase Portal
s3-object-lambda|Amazon S3 Object Lambda
s3express|Amazon S3 Express
sagemaker-data-science-assistant|Amazon SageMaker data science assistant
sagemaker-mlflow|Amazon SageMaker with MLflow
sagemaker-unified-studio-mcp|Amazon SageMaker Unified Studio MCP
serviceextract|AWS Microservice Extractor for .NET
sqlworkbench|AWS SQL Workbench
support-console|AWS Support Console
supportplans|AWS Support Plans
tiros|AWS Tiros
transform|AWS Transform
transform-custom|AWS Transform custom
ts|AWS Diagnostic tools
user-subscriptions|AWS User Subscriptions
vendor-insights|AWS Marketplace Vendor Insights
verified-access|AWS Verified Access
vpc-lattice-svcs|Amazon VPC Lattice Services
vpce|AWS PrivateLink
"""


def recorded(text=RECORDED):
    out = {}
    for line in text.strip().splitlines():
        namespace, name = line.split("|", 1)
        out[namespace] = name
    return out


def botocore_names():
    names = {}
    data = os.path.join(os.path.dirname(botocore.__file__), "data")
    for path in sorted(glob.glob(os.path.join(data, "*", "*", "service-2.json.gz"))):
        with gzip.open(path) as f:
            meta = json.load(f)["metadata"]
        service_id = meta.get("serviceId", "").lower().replace(" ", "-")
        for key in (meta.get("signingName"), meta.get("endpointPrefix"), service_id):
            if key and key not in names and meta["serviceFullName"] != key:
                names[key] = meta["serviceFullName"]
    return names


def main():
    policies = os.path.join(os.path.dirname(cfnlint.__file__), "data", "AdditionalSpecs",
                            "Policies.json")
    with open(policies) as f:
        namespaces = set(json.load(f))
    namespaces |= {"iam", "sts"}
    known, fallback, reference = recorded(), botocore_names(), recorded(SAR_NAMES)
    print("// Generated by scripts/gen_service_namespaces.py: do not edit. {namespace, ServiceName}")
    print("// sorted by namespace (byte order).")
    for namespace in sorted(namespaces):
        name = (known.get(namespace) or fallback.get(namespace) or reference.get(namespace) or
                namespace)
        print("{%s, %s}," % (json.dumps(namespace), json.dumps(name, ensure_ascii=False)))


if __name__ == "__main__":
    main()
