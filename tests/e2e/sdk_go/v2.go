// The AWS SDK for Go v2.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// closedByClient: a known race in this SDK version (aws/aws-sdk-go-v2#1825, #2737): net/http's
// write loop may close the connection after the request is sent, while the answer is being
// read, so reading it fails with net.ErrClosed (caught: Go's transport closing the connection
// from persistConn.writeLoop, with iamd's 200 half read). Fast servers meet it most (LocalStack
// too, sigstore/sigstore#1110). The SDK has retried it since aws/aws-sdk-go-v2#2949 (2025); this
// is that fix. Nothing else is retried, so that every error iamd sends reaches the checks.
func closedByClient(err error) aws.Ternary {
	if errors.Is(err, net.ErrClosed) {
		return aws.TrueTernary
	}
	return aws.FalseTernary
}

// loadConfig: the SDK's default configuration (its credential chain included), with every
// service's endpoint at iamd.
func loadConfig(ctx context.Context) aws.Config {
	url := endpoint()
	resolver := aws.EndpointResolverWithOptionsFunc(
		func(service, region string, _ ...any) (aws.Endpoint, error) {
			return aws.Endpoint{URL: url, SigningRegion: region}, nil
		})
	cfg := must(config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"),
		config.WithEndpointResolverWithOptions(resolver),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Retryables = []retry.IsErrorRetryable{retry.IsErrorRetryableFunc(closedByClient)}
			})
		})))
	return cfg
}

// seedV2: runSeed's calls through the v2 SDK.
type seedV2 struct {
	ctx context.Context
	c   *iam.Client
}

func (s seedV2) CreateRole(name, trust string) createdRole {
	out := must(s.c.CreateRole(s.ctx, &iam.CreateRoleInput{
		RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}))
	r := out.Role
	return createdRole{aws.ToString(r.RoleId), aws.ToString(r.Arn), aws.ToString(r.Path),
		r.CreateDate, r.AssumeRolePolicyDocument}
}

func (s seedV2) CreateInstanceProfile(name string) (string, int) {
	out := must(s.c.CreateInstanceProfile(s.ctx, &iam.CreateInstanceProfileInput{
		InstanceProfileName: aws.String(name)}))
	return aws.ToString(out.InstanceProfile.InstanceProfileId), len(out.InstanceProfile.Roles)
}

func (s seedV2) AddRoleToInstanceProfile(profile, role string) {
	must(s.c.AddRoleToInstanceProfile(s.ctx, &iam.AddRoleToInstanceProfileInput{
		InstanceProfileName: aws.String(profile), RoleName: aws.String(role)}))
}

func (s seedV2) AttachRolePolicy(role, arn string) {
	must(s.c.AttachRolePolicy(s.ctx, &iam.AttachRolePolicyInput{
		PolicyArn: aws.String(arn), RoleName: aws.String(role)}))
}

func (s seedV2) PutRolePolicy(role, name, document string) {
	must(s.c.PutRolePolicy(s.ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role),
		PolicyName: aws.String(name), PolicyDocument: aws.String(document)}))
}

func (s seedV2) GetRolePolicy(role, name string) *string {
	out := must(s.c.GetRolePolicy(s.ctx, &iam.GetRolePolicyInput{
		RoleName: aws.String(role), PolicyName: aws.String(name)}))
	return out.PolicyDocument
}

func (s seedV2) ListAttachedRolePolicies(role string) ([]string, bool) {
	out := must(s.c.ListAttachedRolePolicies(s.ctx, &iam.ListAttachedRolePoliciesInput{
		RoleName: aws.String(role)}))
	var arns []string
	for _, p := range out.AttachedPolicies {
		arns = append(arns, aws.ToString(p.PolicyArn))
	}
	return arns, out.IsTruncated
}

func (s seedV2) GetPolicy(arn string) (string, int64, bool) {
	out := must(s.c.GetPolicy(s.ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)}))
	return aws.ToString(out.Policy.PolicyId), int64(aws.ToInt32(out.Policy.AttachmentCount)),
		out.Policy.IsAttachable
}

func (s seedV2) GetInstanceProfile(name string) (string, []string) {
	out := must(s.c.GetInstanceProfile(s.ctx, &iam.GetInstanceProfileInput{
		InstanceProfileName: aws.String(name)}))
	var roles []string
	for _, r := range out.InstanceProfile.Roles {
		roles = append(roles, aws.ToString(r.RoleName))
	}
	return aws.ToString(out.InstanceProfile.Arn), roles
}

// expectAPIError: the error's code, message, HTTP status and request ID as the SDK reads them.
// (The SDK takes the fault of a modelled exception from its model and leaves that of others
// unknown, so the error's Type is not checked here.)
func expectAPIError(err error, what string) {
	if err == nil {
		fail("%s: succeeded, want an error", what)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		fail("%s: %v is not an API error", what, err)
	}
	var respErr *awshttp.ResponseError
	if !errors.As(err, &respErr) {
		fail("%s: no HTTP response in %v", what, err)
	}
	expectError(what, apiErr.ErrorCode(), apiErr.ErrorMessage(), respErr.HTTPStatusCode(),
		respErr.ServiceRequestID())
}

// expectDecodedAs: the SDK turned err into the operation's modelled exception type T.
func expectDecodedAs[T error](err error, what string) {
	var target T
	if !errors.As(err, &target) {
		fail("%s: not decoded as %T: %T", what, target, err)
	}
}

func errorsCheck(ctx context.Context, client *iam.Client) {
	_, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nope")})
	expectAPIError(err, "GetRole nope")
	expectDecodedAs[*types.NoSuchEntityException](err, "GetRole nope")

	_, err = client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("RAY-HEAD"),
		AssumeRolePolicyDocument: aws.String(readSeedFile("ray_trust_policy.json"))})
	expectAPIError(err, "CreateRole RAY-HEAD")
	expectDecodedAs[*types.EntityAlreadyExistsException](err, "CreateRole RAY-HEAD")

	_, err = client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("ray-worker")})
	expectAPIError(err, "DeleteRole ray-worker")
	expectDecodedAs[*types.DeleteConflictException](err, "DeleteRole ray-worker")

	_, err = client.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{
		InstanceProfileName: aws.String("ray-head"), RoleName: aws.String("ray-worker")})
	expectAPIError(err, "a second role in ray-head")
	expectDecodedAs[*types.LimitExceededException](err, "a second role")

	_, err = client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{
		RoleName:  aws.String("ray-worker"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
	expectAPIError(err, "AttachRolePolicy of an unknown ARN")

	_, err = client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ray-worker"),
		PolicyName: aws.String("bad"), PolicyDocument: aws.String("{not json")})
	expectAPIError(err, "PutRolePolicy of invalid JSON")
	expectDecodedAs[*types.MalformedPolicyDocumentException](err, "invalid JSON")

	_, err = client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad name!"),
		AssumeRolePolicyDocument: aws.String(readSeedFile("ray_trust_policy.json"))})
	expectAPIError(err, "CreateRole 'bad name!'")

	// Nothing of the failed calls is left.
	worker := must(client.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{
		RoleName: aws.String("ray-worker")}))
	expect(len(worker.PolicyNames), 0, "inline policies of ray-worker after the failures")
	profile := must(client.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{
		InstanceProfileName: aws.String("ray-head")}))
	expect(len(profile.InstanceProfile.Roles), 1, "roles in ray-head after the failure")
}

func pages(ctx context.Context, client *iam.Client) {
	// Every AWS managed policy, 100 a page, as Terraform's data sources list them.
	paginator := iam.NewListPoliciesPaginator(client, &iam.ListPoliciesInput{
		Scope: types.PolicyScopeTypeAws, MaxItems: aws.Int32(100)})
	seen := map[string]bool{}
	pageCount := 0
	for paginator.HasMorePages() {
		page := must(paginator.NextPage(ctx))
		pageCount++
		arns := make([]string, 0, len(page.Policies))
		for _, p := range page.Policies {
			arns = append(arns, aws.ToString(p.Arn))
		}
		checkManagedPolicyPage(arns, seen)
	}
	fmt.Printf("AWS managed policies: %d in %d pages\n", len(seen), pageCount)

	// Roles, one a page.
	roles := iam.NewListRolesPaginator(client, &iam.ListRolesInput{MaxItems: aws.Int32(1)})
	var names []string
	for roles.HasMorePages() {
		page := must(roles.NextPage(ctx))
		expect(len(page.Roles) <= 1, true, "ListRoles MaxItems=1")
		for _, r := range page.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
	}
	fmt.Printf("roles: %s\n", strings.Join(names, " "))

	// Waiters: a role and an instance profile made just now, a policy that exists.
	must(client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("waited-for"),
		AssumeRolePolicyDocument: aws.String(readSeedFile("ray_trust_policy.json"))}))
	check(iam.NewRoleExistsWaiter(client).Wait(ctx,
		&iam.GetRoleInput{RoleName: aws.String("waited-for")}, 30*time.Second), "RoleExists waiter")
	must(client.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{
		InstanceProfileName: aws.String("waited-for")}))
	check(iam.NewInstanceProfileExistsWaiter(client).Wait(ctx,
		&iam.GetInstanceProfileInput{InstanceProfileName: aws.String("waited-for")},
		30*time.Second), "InstanceProfileExists waiter")
	check(iam.NewPolicyExistsWaiter(client).Wait(ctx,
		&iam.GetPolicyInput{PolicyArn: aws.String(seedPolicies[1])}, 30*time.Second),
		"PolicyExists waiter")
	// A waiter for something that never comes gives up (not an error from the server).
	err := iam.NewRoleExistsWaiter(client, func(o *iam.RoleExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Second, time.Second
	}).Wait(ctx, &iam.GetRoleInput{RoleName: aws.String("never-made")}, 2*time.Second)
	if err == nil || !strings.Contains(err.Error(), "exceeded max wait time") {
		fail("RoleExists waiter on a missing role: %v", err)
	}
	fmt.Println("waiters: ok")
}

func whoami(ctx context.Context, cfg aws.Config) {
	identity := must(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	expect(aws.ToString(identity.Account), account, "Account")
	fmt.Println(aws.ToString(identity.Arn))
	_, err := iam.NewFromConfig(cfg).GetRole(ctx, &iam.GetRoleInput{
		RoleName: aws.String("ray-worker")})
	if err == nil {
		fmt.Println("GetRole: allowed")
		return
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		fail("GetRole: %v", err)
	}
	fmt.Printf("GetRole: %s\n", apiErr.ErrorCode())
}

func assume(ctx context.Context, cfg aws.Config, roleArn string) {
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), roleArn,
		func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "go-sdk" })
	creds := must(provider.Retrieve(ctx))
	expectMatch(`^ASIA[A-Z2-7]{16}$`, creds.AccessKeyID, "session key ID")
	// stscreds asks for its default of 15 minutes (DurationSeconds 900).
	if left := time.Until(creds.Expires); !creds.CanExpire || left < 14*time.Minute ||
		left > 15*time.Minute {
		fail("AssumeRole: expires %v, want 15 minutes from now", creds.Expires)
	}
	session := cfg.Copy()
	session.Credentials = aws.NewCredentialsCache(provider)
	identity := must(sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	fmt.Println(aws.ToString(identity.Arn))
}

func runV2(ctx context.Context, command string, args []string) {
	cfg := loadConfig(ctx)
	switch command {
	case "seed":
		runSeed(seedV2{ctx, iam.NewFromConfig(cfg)})
	case "errors":
		errorsCheck(ctx, iam.NewFromConfig(cfg))
	case "pages":
		pages(ctx, iam.NewFromConfig(cfg))
	case "whoami":
		whoami(ctx, cfg)
	case "lifecycle":
		lifecycle(ctx, iam.NewFromConfig(cfg))
	case "assume":
		if len(args) != 1 {
			fail("usage: iamd-go-sdk-check assume ROLE_ARN")
		}
		assume(ctx, cfg, args[0])
	default:
		fail("unknown command %q", command)
	}
}

// lifecycle: a role, a customer managed policy and an instance profile through create, read,
// update and delete, making the calls Terraform's aws_iam_role, aws_iam_policy,
// aws_iam_instance_profile and aws_iam_role_policy_attachment make, in their order; reads
// every field back after each change. Leaves nothing behind.
func lifecycle(ctx context.Context, client *iam.Client) {
	const role, policyName, profile = "tf-app", "tf-app-policy", "tf-app"
	trust := readSeedFile("ray_trust_policy.json")
	document := func(action string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action +
			`","Resource":"*"}]}`
	}
	tags := func(list []types.Tag) map[string]string {
		out := map[string]string{}
		for _, t := range list {
			out[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		return out
	}

	// aws_iam_policy: create, then read the default version's document.
	created := must(client.CreatePolicy(ctx, &iam.CreatePolicyInput{
		PolicyName: aws.String(policyName), Path: aws.String("/tf/"),
		Description:    aws.String("made by the Go SDK"),
		PolicyDocument: aws.String(document("s3:GetObject")),
		Tags:           []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}}))
	policyArn := aws.ToString(created.Policy.Arn)
	expect(policyArn, "arn:aws:iam::"+account+":policy/tf/"+policyName, "policy ARN")
	policy := must(client.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(policyArn)}))
	expect(aws.ToString(policy.Policy.Description), "made by the Go SDK", "policy Description")
	expect(aws.ToString(policy.Policy.DefaultVersionId), "v1", "DefaultVersionId")
	expect(tags(policy.Policy.Tags)["team"], "data", "policy tag")
	version := must(client.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{
		PolicyArn: aws.String(policyArn), VersionId: policy.Policy.DefaultVersionId}))
	expect(decoded(version.PolicyVersion.Document, "the policy version"), document("s3:GetObject"),
		"policy document")
	expect(version.PolicyVersion.IsDefaultVersion, true, "IsDefaultVersion")

	// aws_iam_role with a description, a session limit, a boundary and tags.
	must(client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(role),
		AssumeRolePolicyDocument: aws.String(trust), Path: aws.String("/tf/"),
		Description: aws.String("app role"), MaxSessionDuration: aws.Int32(7200),
		PermissionsBoundary: aws.String(policyArn),
		Tags:                []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))
	got := must(client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role)}))
	expect(aws.ToString(got.Role.Description), "app role", "role Description")
	expect(aws.ToInt32(got.Role.MaxSessionDuration), int32(7200), "MaxSessionDuration")
	if got.Role.PermissionsBoundary == nil {
		fail("GetRole: no PermissionsBoundary")
	}
	expect(aws.ToString(got.Role.PermissionsBoundary.PermissionsBoundaryArn), policyArn,
		"PermissionsBoundaryArn")
	// AWS sends "Policy", not the model's PermissionsBoundaryPolicy (src/api/render.cc).
	expect(string(got.Role.PermissionsBoundary.PermissionsBoundaryType), "Policy",
		"PermissionsBoundaryType")
	expect(tags(got.Role.Tags)["env"], "dev", "role tag")
	if got.Role.RoleLastUsed == nil || got.Role.RoleLastUsed.LastUsedDate != nil {
		fail("GetRole: RoleLastUsed of an unused role: %+v", got.Role.RoleLastUsed)
	}

	// aws_iam_role_policy_attachment, an inline policy, and the role's reads after them.
	must(client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(role),
		PolicyArn: aws.String(policyArn)}))
	must(client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role),
		PolicyName: aws.String("inline"), PolicyDocument: aws.String(document("sqs:SendMessage"))}))
	inline := must(client.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{
		RoleName: aws.String(role)}))
	expect(strings.Join(inline.PolicyNames, ","), "inline", "inline policy names")
	attached := must(client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{
		RoleName: aws.String(role)}))
	expect(len(attached.AttachedPolicies), 1, "attached policies")
	policy = must(client.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(policyArn)}))
	expect(aws.ToInt32(policy.Policy.AttachmentCount), int32(1), "AttachmentCount")
	expect(aws.ToInt32(policy.Policy.PermissionsBoundaryUsageCount), int32(1),
		"PermissionsBoundaryUsageCount")

	// aws_iam_instance_profile.
	must(client.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{
		InstanceProfileName: aws.String(profile), Path: aws.String("/tf/"),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))
	must(client.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{
		InstanceProfileName: aws.String(profile), RoleName: aws.String(role)}))
	profiles := must(client.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{
		RoleName: aws.String(role)}))
	expect(len(profiles.InstanceProfiles), 1, "instance profiles of the role")
	expect(aws.ToString(profiles.InstanceProfiles[0].Path), "/tf/", "instance profile path")
	// Lists leave tags out ("this operation does not return tags": IAM API reference,
	// ListInstanceProfiles); Terraform reads them with GetInstanceProfile.
	expect(len(profiles.InstanceProfiles[0].Tags), 0, "tags in ListInstanceProfilesForRole")
	gotProfile := must(client.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{
		InstanceProfileName: aws.String(profile)}))
	expect(tags(gotProfile.InstanceProfile.Tags)["env"], "dev", "instance profile tag")

	// Updates: description and session limit, trust policy, tags, boundary, a new default
	// policy version.
	must(client.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String(role),
		Description: aws.String("app role, updated"), MaxSessionDuration: aws.Int32(3600)}))
	newTrust := strings.Replace(trust, "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", 1)
	must(client.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{
		RoleName: aws.String(role), PolicyDocument: aws.String(newTrust)}))
	must(client.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String(role),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")},
			{Key: aws.String("owner"), Value: aws.String("me")}}}))
	must(client.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String(role),
		TagKeys: []string{"owner"}}))
	must(client.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{
		RoleName: aws.String(role)}))
	got = must(client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role)}))
	expect(aws.ToString(got.Role.Description), "app role, updated", "updated Description")
	expect(aws.ToInt32(got.Role.MaxSessionDuration), int32(3600), "updated MaxSessionDuration")
	expect(decoded(got.Role.AssumeRolePolicyDocument, "the new trust policy"), newTrust,
		"updated trust policy")
	expect(fmt.Sprint(tags(got.Role.Tags)), "map[env:prod]", "updated tags")
	if got.Role.PermissionsBoundary != nil {
		fail("GetRole: a PermissionsBoundary after DeleteRolePermissionsBoundary")
	}
	must(client.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{
		PolicyArn: aws.String(policyArn), PolicyDocument: aws.String(document("s3:PutObject")),
		SetAsDefault: true}))
	versions := must(client.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{
		PolicyArn: aws.String(policyArn)}))
	expect(len(versions.Versions), 2, "policy versions")
	expect(aws.ToString(versions.Versions[0].VersionId), "v2", "the newest version first")
	expect(versions.Versions[0].IsDefaultVersion, true, "v2 is the default")

	// Destroy, in Terraform's order: the profile's role and the profile; the role's
	// attachments, inline policies and the role; the policy's other versions and the policy.
	must(client.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{
		InstanceProfileName: aws.String(profile), RoleName: aws.String(role)}))
	must(client.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{
		InstanceProfileName: aws.String(profile)}))
	_, err := client.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(policyArn)})
	expectAPIError(err, "DeletePolicy while attached")
	must(client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(role),
		PolicyArn: aws.String(policyArn)}))
	must(client.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(role),
		PolicyName: aws.String("inline")}))
	must(client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(role)}))
	must(client.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{
		PolicyArn: aws.String(policyArn), VersionId: aws.String("v1")}))
	must(client.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(policyArn)}))
	_, err = client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role)})
	expectAPIError(err, "GetRole tf-app after DeleteRole")
	fmt.Println("lifecycle: ok")
}
