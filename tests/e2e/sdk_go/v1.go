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
	// The SDK's default credential chain: environment, shared files (pointed at nothing by the
	// test), then the container endpoint or instance metadata.
	sess, err := session.NewSessionWithOptions(session.Options{
		Config: aws.Config{Region: aws.String("us-east-1"), Endpoint: aws.String(endpoint()),
			MaxRetries: aws.Int(0)},
		SharedConfigState: session.SharedConfigDisable,
	})
	check(err, "creating the v1 session")
	client := iam.New(sess)
	switch command {
	case "seed":
		seedV1(ctx, client)
	case "errors":
		errorsV1(ctx, client)
	case "pages":
		pagesV1(ctx, client)
	case "whoami":
		whoamiV1(ctx, sess)
	}
}

func seedV1(ctx context.Context, client *iam.IAM) {
	trust := readSeedFile("ray_trust_policy.json")
	passRole := readSeedFile("ray_pass_role_policy.json")
	for _, name := range []string{"ray-head", "ray-worker"} {
		role, err := client.CreateRoleWithContext(ctx, &iam.CreateRoleInput{
			RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
		check(err, "CreateRole "+name)
		expectMatch(`^AROA[A-Z2-7]{17}$`, aws.StringValue(role.Role.RoleId), "RoleId")
		expect(aws.StringValue(role.Role.Arn), "arn:aws:iam::"+account+":role/"+name, "role ARN")
		recent(role.Role.CreateDate, "role CreateDate")
		expect(decoded(role.Role.AssumeRolePolicyDocument, "the trust policy"), trust,
			"CreateRole's trust policy")
		profile, err := client.CreateInstanceProfileWithContext(ctx, &iam.CreateInstanceProfileInput{
			InstanceProfileName: aws.String(name)})
		check(err, "CreateInstanceProfile "+name)
		expectMatch(`^AIPA[A-Z2-7]{17}$`, aws.StringValue(profile.InstanceProfile.InstanceProfileId),
			"InstanceProfileId")
		_, err = client.AddRoleToInstanceProfileWithContext(ctx, &iam.AddRoleToInstanceProfileInput{
			InstanceProfileName: aws.String(name), RoleName: aws.String(name)})
		check(err, "AddRoleToInstanceProfile "+name)
	}
	for _, arn := range seedPolicies {
		_, err := client.AttachRolePolicyWithContext(ctx, &iam.AttachRolePolicyInput{
			PolicyArn: aws.String(arn), RoleName: aws.String("ray-head")})
		check(err, "AttachRolePolicy "+arn)
	}
	_, err := client.PutRolePolicyWithContext(ctx, &iam.PutRolePolicyInput{
		RoleName: aws.String("ray-head"), PolicyName: aws.String("ray-pass-role-policy"),
		PolicyDocument: aws.String(passRole)})
	check(err, "PutRolePolicy")

	inline, err := client.GetRolePolicyWithContext(ctx, &iam.GetRolePolicyInput{
		RoleName: aws.String("ray-head"), PolicyName: aws.String("ray-pass-role-policy")})
	check(err, "GetRolePolicy")
	expect(decoded(inline.PolicyDocument, "the inline policy"), passRole, "the inline policy")
	attached, err := client.ListAttachedRolePoliciesWithContext(ctx,
		&iam.ListAttachedRolePoliciesInput{RoleName: aws.String("ray-head")})
	check(err, "ListAttachedRolePolicies")
	expect(len(attached.AttachedPolicies), len(seedPolicies), "policies attached to ray-head")
	for i, policy := range attached.AttachedPolicies {
		expect(aws.StringValue(policy.PolicyArn), seedPolicies[i], "attached policy")
	}
	policy, err := client.GetPolicyWithContext(ctx, &iam.GetPolicyInput{
		PolicyArn: aws.String(seedPolicies[0])})
	check(err, "GetPolicy")
	expect(aws.Int64Value(policy.Policy.AttachmentCount), int64(1), "AttachmentCount")
	for _, name := range []string{"ray-head", "ray-worker"} {
		got, err := client.GetInstanceProfileWithContext(ctx, &iam.GetInstanceProfileInput{
			InstanceProfileName: aws.String(name)})
		check(err, "GetInstanceProfile "+name)
		expect(len(got.InstanceProfile.Roles), 1, "roles in "+name)
		fmt.Println(aws.StringValue(got.InstanceProfile.Arn))
	}
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
	_, err = client.DeleteRoleWithContext(ctx, &iam.DeleteRoleInput{RoleName: aws.String("ray-worker")})
	expectAPIErrorV1(err, "DeleteRole ray-worker")
	_, err = client.AddRoleToInstanceProfileWithContext(ctx, &iam.AddRoleToInstanceProfileInput{
		InstanceProfileName: aws.String("ray-head"), RoleName: aws.String("ray-worker")})
	expectAPIErrorV1(err, "a second role in ray-head")
	_, err = client.AttachRolePolicyWithContext(ctx, &iam.AttachRolePolicyInput{
		RoleName: aws.String("ray-worker"), PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
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

	_, err = client.CreateRoleWithContext(ctx, &iam.CreateRoleInput{RoleName: aws.String("waited-for"),
		AssumeRolePolicyDocument: aws.String(readSeedFile("ray_trust_policy.json"))})
	check(err, "CreateRole waited-for")
	check(client.WaitUntilRoleExistsWithContext(ctx, &iam.GetRoleInput{
		RoleName: aws.String("waited-for")}), "WaitUntilRoleExists")
	_, err = client.CreateInstanceProfileWithContext(ctx, &iam.CreateInstanceProfileInput{
		InstanceProfileName: aws.String("waited-for")})
	check(err, "CreateInstanceProfile waited-for")
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
	identity, err := sts.New(sess).GetCallerIdentityWithContext(ctx, &sts.GetCallerIdentityInput{})
	check(err, "GetCallerIdentity")
	expect(aws.StringValue(identity.Account), account, "Account")
	fmt.Println(aws.StringValue(identity.Arn))
	_, err = iam.New(sess).GetRoleWithContext(ctx, &iam.GetRoleInput{
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
