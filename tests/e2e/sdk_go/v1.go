// The AWS SDK for Go v1: its own query encoder, XML decoder, signer and credential chain.
package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/request"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/iam"
	"github.com/aws/aws-sdk-go/service/sts"
)

func runV1(ctx context.Context, command string) {
	// The SDK's default credential chain: keys or a web identity token file from the
	// environment, shared files (pointed at nothing by the test), then the container endpoint or
	// instance metadata.
	sess, err := session.NewSessionWithOptions(session.Options{
		Config: aws.Config{Region: aws.String("us-east-1"), Endpoint: aws.String(endpoint()),
			MaxRetries: aws.Int(0)},
		SharedConfigState: session.SharedConfigDisable,
	})
	check(err, "creating the v1 session")
	client := iam.New(sess)
	switch command {
	case "seed":
		runSeed(seedV1{ctx, client})
	case "errors":
		errorsV1(ctx, client)
	case "pages":
		pagesV1(ctx, client)
	case "whoami":
		whoamiV1(ctx, sess)
	}
}

// seedV1: runSeed's calls through the v1 SDK.
type seedV1 struct {
	ctx context.Context
	c   *iam.IAM
}

func (s seedV1) CreateRole(name, trust string) createdRole {
	out := must(s.c.CreateRoleWithContext(s.ctx, &iam.CreateRoleInput{
		RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}))
	r := out.Role
	return createdRole{aws.StringValue(r.RoleId), aws.StringValue(r.Arn), aws.StringValue(r.Path),
		r.CreateDate, r.AssumeRolePolicyDocument}
}

func (s seedV1) CreateInstanceProfile(name string) (string, int) {
	out := must(s.c.CreateInstanceProfileWithContext(s.ctx, &iam.CreateInstanceProfileInput{
		InstanceProfileName: aws.String(name)}))
	return aws.StringValue(out.InstanceProfile.InstanceProfileId), len(out.InstanceProfile.Roles)
}

func (s seedV1) AddRoleToInstanceProfile(profile, role string) {
	must(s.c.AddRoleToInstanceProfileWithContext(s.ctx, &iam.AddRoleToInstanceProfileInput{
		InstanceProfileName: aws.String(profile), RoleName: aws.String(role)}))
}

func (s seedV1) AttachRolePolicy(role, arn string) {
	must(s.c.AttachRolePolicyWithContext(s.ctx, &iam.AttachRolePolicyInput{
		PolicyArn: aws.String(arn), RoleName: aws.String(role)}))
}

func (s seedV1) PutRolePolicy(role, name, document string) {
	must(s.c.PutRolePolicyWithContext(s.ctx, &iam.PutRolePolicyInput{
		RoleName: aws.String(role), PolicyName: aws.String(name),
		PolicyDocument: aws.String(document)}))
}

func (s seedV1) GetRolePolicy(role, name string) *string {
	out := must(s.c.GetRolePolicyWithContext(s.ctx, &iam.GetRolePolicyInput{
		RoleName: aws.String(role), PolicyName: aws.String(name)}))
	return out.PolicyDocument
}

func (s seedV1) ListAttachedRolePolicies(role string) ([]string, bool) {
	out := must(s.c.ListAttachedRolePoliciesWithContext(s.ctx,
		&iam.ListAttachedRolePoliciesInput{RoleName: aws.String(role)}))
	var arns []string
	for _, p := range out.AttachedPolicies {
		arns = append(arns, aws.StringValue(p.PolicyArn))
	}
	return arns, aws.BoolValue(out.IsTruncated)
}

func (s seedV1) GetPolicy(arn string) (string, int64, bool) {
	out := must(s.c.GetPolicyWithContext(s.ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)}))
	return aws.StringValue(out.Policy.PolicyId), aws.Int64Value(out.Policy.AttachmentCount),
		aws.BoolValue(out.Policy.IsAttachable)
}

func (s seedV1) GetInstanceProfile(name string) (string, []string) {
	out := must(s.c.GetInstanceProfileWithContext(s.ctx, &iam.GetInstanceProfileInput{
		InstanceProfileName: aws.String(name)}))
	var roles []string
	for _, r := range out.InstanceProfile.Roles {
		roles = append(roles, aws.StringValue(r.RoleName))
	}
	return aws.StringValue(out.InstanceProfile.Arn), roles
}

func expectAPIErrorV1(err error, what string) {
	failure, ok := err.(awserr.RequestFailure)
	if !ok {
		fail("%s: %v is not a request failure", what, err)
	}
	expectError(what, failure.Code(), failure.Message(), failure.StatusCode(), failure.RequestID())
}

func errorsV1(ctx context.Context, client *iam.IAM) {
	trust := aws.String(readSeedFile("ray_trust_policy.json"))
	_, err := client.GetRoleWithContext(ctx, &iam.GetRoleInput{RoleName: aws.String("nope")})
	expectAPIErrorV1(err, "GetRole nope")
	_, err = client.CreateRoleWithContext(ctx, &iam.CreateRoleInput{
		RoleName: aws.String("RAY-HEAD"), AssumeRolePolicyDocument: trust})
	expectAPIErrorV1(err, "CreateRole RAY-HEAD")
	_, err = client.DeleteRoleWithContext(ctx, &iam.DeleteRoleInput{
		RoleName: aws.String("ray-worker")})
	expectAPIErrorV1(err, "DeleteRole ray-worker")
	_, err = client.AddRoleToInstanceProfileWithContext(ctx, &iam.AddRoleToInstanceProfileInput{
		InstanceProfileName: aws.String("ray-head"), RoleName: aws.String("ray-worker")})
	expectAPIErrorV1(err, "a second role in ray-head")
	_, err = client.AttachRolePolicyWithContext(ctx, &iam.AttachRolePolicyInput{
		RoleName:  aws.String("ray-worker"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
	expectAPIErrorV1(err, "AttachRolePolicy of an unknown ARN")
	_, err = client.PutRolePolicyWithContext(ctx, &iam.PutRolePolicyInput{
		RoleName: aws.String("ray-worker"), PolicyName: aws.String("bad"),
		PolicyDocument: aws.String("{not json")})
	expectAPIErrorV1(err, "PutRolePolicy of invalid JSON")
	_, err = client.CreateRoleWithContext(ctx, &iam.CreateRoleInput{
		RoleName: aws.String("bad name!"), AssumeRolePolicyDocument: trust})
	expectAPIErrorV1(err, "CreateRole 'bad name!'")
}

func pagesV1(ctx context.Context, client *iam.IAM) {
	seen := map[string]bool{}
	pageCount := 0
	err := client.ListPoliciesPagesWithContext(ctx, &iam.ListPoliciesInput{
		Scope: aws.String(iam.PolicyScopeTypeAws), MaxItems: aws.Int64(100)},
		func(page *iam.ListPoliciesOutput, _ bool) bool {
			pageCount++
			arns := make([]string, 0, len(page.Policies))
			for _, p := range page.Policies {
				arns = append(arns, aws.StringValue(p.Arn))
			}
			checkManagedPolicyPage(arns, seen)
			return true
		})
	check(err, "ListPolicies pages")
	fmt.Printf("AWS managed policies: %d in %d pages\n", len(seen), pageCount)

	var names []string
	err = client.ListRolesPagesWithContext(ctx, &iam.ListRolesInput{MaxItems: aws.Int64(1)},
		func(page *iam.ListRolesOutput, _ bool) bool {
			expect(len(page.Roles) <= 1, true, "ListRoles MaxItems=1")
			for _, r := range page.Roles {
				names = append(names, aws.StringValue(r.RoleName))
			}
			return true
		})
	check(err, "ListRoles pages")
	fmt.Printf("roles: %s\n", strings.Join(names, " "))

	must(client.CreateRoleWithContext(ctx, &iam.CreateRoleInput{RoleName: aws.String("waited-for"),
		AssumeRolePolicyDocument: aws.String(readSeedFile("ray_trust_policy.json"))}))
	check(client.WaitUntilRoleExistsWithContext(ctx, &iam.GetRoleInput{
		RoleName: aws.String("waited-for")}), "WaitUntilRoleExists")
	must(client.CreateInstanceProfileWithContext(ctx, &iam.CreateInstanceProfileInput{
		InstanceProfileName: aws.String("waited-for")}))
	check(client.WaitUntilInstanceProfileExistsWithContext(ctx, &iam.GetInstanceProfileInput{
		InstanceProfileName: aws.String("waited-for")}), "WaitUntilInstanceProfileExists")
	err = client.WaitUntilRoleExistsWithContext(ctx,
		&iam.GetRoleInput{RoleName: aws.String("never-made")},
		request.WithWaiterDelay(request.ConstantWaiterDelay(100*time.Millisecond)),
		request.WithWaiterMaxAttempts(3))
	if aerr, ok := err.(awserr.Error); !ok || aerr.Code() != request.WaiterResourceNotReadyErrorCode {
		fail("WaitUntilRoleExists on a missing role: %v", err)
	}
	fmt.Println("waiters: ok")
}

func whoamiV1(ctx context.Context, sess *session.Session) {
	identity := must(sts.New(sess).GetCallerIdentityWithContext(ctx, &sts.GetCallerIdentityInput{}))
	expect(aws.StringValue(identity.Account), account, "Account")
	fmt.Println(aws.StringValue(identity.Arn))
	_, err := iam.New(sess).GetRoleWithContext(ctx, &iam.GetRoleInput{
		RoleName: aws.String("ray-worker")})
	if err == nil {
		fmt.Println("GetRole: allowed")
		return
	}
	aerr, ok := err.(awserr.Error)
	if !ok {
		fail("GetRole: %v", err)
	}
	fmt.Printf("GetRole: %s\n", aerr.Code())
}
