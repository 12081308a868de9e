// iamd-go-sdk-check: drives iamd with the AWS SDKs for Go, as Debian packages them: v2
// (golang-github-aws-aws-sdk-go-v2-dev; the SDK of Terraform's AWS provider) and v1
// (golang-github-aws-aws-sdk-go-dev; Packer's, Vault's and older Terraform resources'). Each has
// its own query-protocol encoder, XML decoder, signer and credential providers. Run by
// tests/e2e/test_go_sdk.py, which starts iamd and checks what this program leaves behind with
// boto3.
//
// Usage: iamd-go-sdk-check COMMAND (v2) or iamd-go-sdk-check v1-COMMAND (v1: seed, errors,
// pages, whoami)
//
//	seed       the seed page's calls, in its order, through the SDK (runSeed)
//	errors     AWS's errors as the SDK decodes them: codes, messages, HTTP statuses, request
//	           IDs (v2: also the modelled exception types)
//	pages      paginators (ListPolicies of the AWS scope, ListRoles one at a time) and waiters
//	whoami     sts:GetCallerIdentity with the SDK's default credential chain (so credentials
//	           come from wherever the environment says: keys, instance metadata, a container
//	           credentials endpoint, a web identity token file), then iam:GetRole ray-worker;
//	           prints two lines, the ARN and "GetRole: allowed" or "GetRole: <error code>"
//	assume     (v2) stscreds.AssumeRoleProvider: assumes ROLE_ARN (argument) and prints the
//	           session's ARN
//	lifecycle  (v2) a role, a managed policy and an instance profile created, read, updated and
//	           destroyed with the calls Terraform's resources make; prints "lifecycle: ok"
//
// Environment: IAMD_ENDPOINT (http://127.0.0.1:PORT, for IAM and STS both), IAMD_SEED_DIR (the
// seed's policy files), and the SDK's own variables for credentials (AWS_ACCESS_KEY_ID, ...,
// AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_ROLE_ARN with
// AWS_WEB_IDENTITY_TOKEN_FILE). The region is
// us-east-1. Exits 1 with the failed check on standard error.
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"time"
)

const account = "123456789012"

var seedPolicies = []string{
	"arn:aws:iam::aws:policy/AmazonEC2FullAccess",
	"arn:aws:iam::aws:policy/AmazonS3FullAccess",
	"arn:aws:iam::aws:policy/AmazonFSxFullAccess",
	"arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
	"arn:aws:iam::aws:policy/AmazonSSMFullAccess",
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "iamd-go-sdk-check: "+format+"\n", args...)
	os.Exit(1)
}

// must: the result of an SDK call that has to succeed; otherwise the program fails, naming
// the call's place in this source (the v2 SDK's errors also name the operation).
func must[T any](out T, err error) T {
	if err != nil {
		_, file, line, _ := runtime.Caller(1)
		fail("%s:%d: %v", filepath.Base(file), line, err)
	}
	return out
}

func check(err error, what string) {
	if err != nil {
		fail("%s: %v", what, err)
	}
}

func expect[T comparable](got, want T, what string) {
	if got != want {
		fail("%s: got %v, want %v", what, got, want)
	}
}

func expectMatch(pattern, got, what string) {
	if !regexp.MustCompile(pattern).MatchString(got) {
		fail("%s: %q does not match %s", what, got, pattern)
	}
}

func readSeedFile(name string) string {
	dir := os.Getenv("IAMD_SEED_DIR")
	if dir == "" {
		fail("IAMD_SEED_DIR is not set")
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	check(err, "reading "+name)
	return string(data)
}

// decoded: IAM returns policy documents percent-encoded (RFC 3986); the SDK hands them over as
// they came.
func decoded(document *string, what string) string {
	if document == nil {
		fail("%s: missing", what)
	}
	text, err := url.QueryUnescape(*document)
	check(err, "decoding "+what)
	return text
}

func recent(t *time.Time, what string) {
	if t == nil || time.Since(*t) > time.Hour || time.Until(*t) > time.Minute {
		fail("%s: %v is not a time of this run", what, t)
	}
}

func endpoint() string {
	url := os.Getenv("IAMD_ENDPOINT")
	if url == "" {
		fail("IAMD_ENDPOINT is not set")
	}
	return url
}

// A role or instance profile as an SDK decoded it, for the seed's checks.
type createdRole struct {
	id, arn, path string
	created       *time.Time
	trust         *string // percent-encoded, as sent by IAM
}

// seedCalls: the seed page's calls through one SDK. Each fails the program on an error.
type seedCalls interface {
	CreateRole(name, trust string) createdRole
	CreateInstanceProfile(name string) (id string, roles int)
	AddRoleToInstanceProfile(profile, role string)
	AttachRolePolicy(role, arn string)
	PutRolePolicy(role, name, document string)
	GetRolePolicy(role, name string) (document *string)
	ListAttachedRolePolicies(role string) (arns []string, truncated bool)
	GetPolicy(arn string) (id string, attachments int64, attachable bool)
	GetInstanceProfile(name string) (arn string, roles []string)
}

// runSeed: the seed page's calls in its order, checked as AWS would answer them (ID prefixes,
// ARNs, dates, the documents as written); prints the two instance profile ARNs, as the page's
// last two commands do.
func runSeed(c seedCalls) {
	trust := readSeedFile("ray_trust_policy.json")
	passRole := readSeedFile("ray_pass_role_policy.json")
	for _, name := range []string{"ray-head", "ray-worker"} {
		role := c.CreateRole(name, trust)
		expectMatch(`^AROA[A-Z2-7]{17}$`, role.id, "RoleId")
		expect(role.arn, "arn:aws:iam::"+account+":role/"+name, "role ARN")
		expect(role.path, "/", "role path")
		recent(role.created, "role CreateDate")
		expect(decoded(role.trust, "the trust policy"), trust, "CreateRole's trust policy")
		id, roles := c.CreateInstanceProfile(name)
		expectMatch(`^AIPA[A-Z2-7]{17}$`, id, "InstanceProfileId")
		expect(roles, 0, "roles of a new instance profile")
		c.AddRoleToInstanceProfile(name, name)
	}
	for _, arn := range seedPolicies {
		c.AttachRolePolicy("ray-head", arn)
	}
	c.PutRolePolicy("ray-head", "ray-pass-role-policy", passRole)

	// What the seed leaves, read back through the SDK.
	expect(decoded(c.GetRolePolicy("ray-head", "ray-pass-role-policy"), "the inline policy"),
		passRole, "the inline policy")
	arns, truncated := c.ListAttachedRolePolicies("ray-head")
	expect(fmt.Sprint(arns), fmt.Sprint(seedPolicies), "policies attached to ray-head")
	expect(truncated, false, "ListAttachedRolePolicies IsTruncated")
	id, attachments, attachable := c.GetPolicy(seedPolicies[0])
	expectMatch(`^ANPA[A-Z2-7]{17}$`, id, "PolicyId")
	expect(attachments, int64(1), "AttachmentCount")
	expect(attachable, true, "IsAttachable")
	for _, name := range []string{"ray-head", "ray-worker"} {
		arn, roles := c.GetInstanceProfile(name)
		expect(fmt.Sprint(roles), "["+name+"]", "roles in "+name)
		fmt.Println(arn)
	}
}

// The error each check provokes, as AWS answers it: code, HTTP status, message.
type wantError struct {
	code    string
	status  int
	message string
}

var wantErrors = map[string]wantError{
	"GetRole nope": {"NoSuchEntity", 404, "The role with name nope cannot be found."},
	"CreateRole RAY-HEAD": {"EntityAlreadyExists", 409,
		"Role with name RAY-HEAD already exists."},
	"DeleteRole ray-worker": {"DeleteConflict", 409,
		"Cannot delete entity, must remove roles from instance profile first."},
	"a second role in ray-head": {"LimitExceeded", 409,
		"Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"},
	"AttachRolePolicy of an unknown ARN": {"NoSuchEntity", 404,
		"Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable."},
	"PutRolePolicy of invalid JSON": {"MalformedPolicyDocument", 400, "Syntax errors in policy."},
	"DeletePolicy while attached": {"DeleteConflict", 409,
		"Cannot delete a policy attached to entities."},
	"GetRole tf-app after DeleteRole": {"NoSuchEntity", 404,
		"The role with name tf-app cannot be found."},
	// The SDKs validate required members themselves; a pattern is the server's to check. IAM
	// no longer echoes the value (src/api/params.cc).
	"CreateRole 'bad name!'": {"ValidationError", 400,
		"1 validation error detected: Value at 'roleName' failed to satisfy constraint: " +
			"Member must satisfy regular expression pattern: [\\w+=,.@-]+"},
}

// expectError: what an SDK read from the error response of the check named `what`.
func expectError(what, code, message string, status int, requestID string) {
	want, ok := wantErrors[what]
	if !ok {
		fail("no expected error for %q", what)
	}
	expect(code, want.code, what+": code")
	expect(message, want.message, what+": message")
	expect(status, want.status, what+": HTTP status")
	expectMatch(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, requestID,
		what+": request ID")
}

// checkManagedPolicyPage: one page of ListPolicies Scope=AWS; each ARN at most once overall.
func checkManagedPolicyPage(arns []string, seen map[string]bool) {
	if len(arns) > 100 {
		fail("ListPolicies: %d policies in a page of at most 100", len(arns))
	}
	for _, arn := range arns {
		if seen[arn] {
			fail("ListPolicies: %s on two pages", arn)
		}
		seen[arn] = true
		expectMatch(`^arn:aws:iam::aws:policy/`, arn, "ListPolicies Scope=AWS")
	}
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: iamd-go-sdk-check [v1-]seed|[v1-]errors|[v1-]pages|[v1-]whoami|assume ROLE_ARN")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	switch command := os.Args[1]; command {
	case "v1-seed", "v1-errors", "v1-pages", "v1-whoami":
		runV1(ctx, command[len("v1-"):])
	default:
		runV2(ctx, command, os.Args[2:])
	}
}
