// IamService in process: signed requests in, XML out, with an injected clock (token expiry,
// signature windows) and a real SQLite store in a temporary folder.
#include "api/service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <regex>

#include "auth/sigv4.h"
#include "common/strings.h"
#include "common/url.h"

namespace iamd::api {
namespace {

constexpr char kRootKey[] = "AKIAROOTROOTROOTROOT";
constexpr char kRootSecret[] = "rootsecret";
constexpr int64_t kNow = 1795826565000;  // 2026-11-28T00:42:45Z
constexpr char kTrustEc2[] =
    R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";

struct Creds {
  std::string key, secret, token;
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("iamd-service-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  // Starts the service on the test's database (again, after Restart's shutdown).
  void Open() {
    auto store = store::OpenSqliteStore((dir_ / "iamd.db").string(), {.durable = false});
    ASSERT_TRUE(store);
    ServiceConfig config;
    config.root_access_key_id = kRootKey;
    config.root_secret_access_key = kRootSecret;
    config.master_key = std::string(32, 'm');
    config.usage_flush_interval = std::chrono::milliseconds(0);  // tests call FlushUsage
    auto service = IamService::Create(config, std::move(*store), clock_, ids_);
    ASSERT_TRUE(service);
    service_ = std::move(*service);
  }
  void Restart() {
    service_.reset();  // shuts down: stores the last uses, commits, closes the database
    Open();
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Sends `body` signed with `creds` at the fake clock's time (or `signed_at`).
  HttpResponse Send(const std::string& body, const Creds& creds, int64_t signed_at = 0) {
    body_ = body;
    headers_storage_.clear();
    headers_storage_.emplace_back("Host", "127.0.0.1:4599");
    headers_storage_.emplace_back("Content-Type",
                                  "application/x-www-form-urlencoded; charset=utf-8");
    std::vector<std::pair<std::string_view, std::string_view>> view(headers_storage_.begin(),
                                                                    headers_storage_.end());
    if (!creds.key.empty()) {
      auth::HttpRequestView req{"POST", "/", view, body_};
      auth::SignedHeaders signed_headers =
          auth::SignRequest(req, {creds.key, creds.secret, creds.token},
                            {.region = "us-east-1",
                             .service = "iam",
                             .now_millis = signed_at ? signed_at : clock_.NowMillis()});
      headers_storage_.emplace_back("X-Amz-Date", signed_headers.amz_date);
      headers_storage_.emplace_back("Authorization", signed_headers.authorization);
      if (!creds.token.empty()) headers_storage_.emplace_back("X-Amz-Security-Token", creds.token);
    }
    headers_.assign(headers_storage_.begin(), headers_storage_.end());
    HttpResponse r = service_->Handle(HttpRequest{"POST", "/", headers_, body_, "127.0.0.1"});
    if (r.wait_for) {
      EXPECT_TRUE(WaitDurable(r.wait_for));
    }
    return r;
  }
  HttpResponse Root(const std::string& body) { return Send(body, {kRootKey, kRootSecret, ""}); }

  bool WaitDurable(uint64_t seq) {
    std::promise<bool> p;
    auto f = p.get_future();
    service_->WhenDurable(seq, [&p](bool ok) { p.set_value(ok); });
    return f.get();
  }

  // 403 AccessDenied for `user` refused `action` on `resource` because no identity-based
  // policy allows it, in AWS's words (shared/AWS-WIRE.md "AccessDenied").
  static void ExpectNoIdentityPolicyAllows(const HttpResponse& r, std::string_view user,
                                           std::string_view action, std::string_view resource) {
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(Element(r.body, "Code"), "AccessDenied");
    EXPECT_EQ(Element(r.body, "Message"),
              "User: arn:aws:iam::123456789012:user/" + std::string(user) +
                  " is not authorized to perform: " + std::string(action) + " on resource: " +
                  std::string(resource) + " because no identity-based policy allows the " +
                  std::string(action) + " action");
  }

  // A set-up request made as root; false (and a failure that shows the answer) unless 200.
  bool RootOk(const std::string& body) {
    HttpResponse r = Root(body);
    EXPECT_EQ(r.status, 200) << body << "\n" << r.body;
    return r.status == 200;
  }

  static std::string Element(const std::string& xml, const std::string& name) {
    std::smatch m;
    if (std::regex_search(xml, m, std::regex("<" + name + ">([^<]*)</" + name + ">"))) return m[1];
    return "";
  }

  static std::string Enc(std::string_view v) { return PercentEncode(v); }

  Creds NewUserWithKey(const std::string& name) {
    EXPECT_EQ(Root("Action=CreateUser&UserName=" + name).status, 200);
    HttpResponse r = Root("Action=CreateAccessKey&UserName=" + name);
    EXPECT_EQ(r.status, 200) << r.body;
    return {Element(r.body, "AccessKeyId"), Element(r.body, "SecretAccessKey"), ""};
  }

  FakeClock clock_{kNow};
  SequentialIdSource ids_{1};
  std::filesystem::path dir_;
  std::unique_ptr<IamService> service_;
  std::string body_;
  std::vector<std::pair<std::string, std::string>> headers_storage_;
  std::vector<std::pair<std::string_view, std::string_view>> headers_;
};

TEST_F(ServiceTest, UnsignedRequestIsMissingAuthenticationToken) {
  HttpResponse r = Send("Action=ListRoles", {});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Code"), "MissingAuthenticationToken");
}

// AssumeRoleWithWebIdentity and AssumeRoleWithSAML alone take no credentials (STS API
// reference): they reach their handlers unsigned, which refuse a token that is not a JWT and a
// provider that does not exist; every other STS action, and the same names under IAM's API
// version, still need a signature.
TEST_F(ServiceTest, OnlyTheFederationExchangesGoUnsigned) {
  const std::string web_identity =
      "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=s1&"
      "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&WebIdentityToken=not-a-jwt";
  HttpResponse r = Send(web_identity, {});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Element(r.body, "Code"), "InvalidIdentityToken");
  EXPECT_EQ(Element(r.body, "Message"), "The web identity token is not a valid JWT.");
  for (std::string_view other : {"Action=GetCallerIdentity&Version=2011-06-15",
                                 "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1&"
                                 "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"}) {
    r = Send(std::string(other), {});
    EXPECT_EQ(r.status, 403) << other;
    EXPECT_EQ(Element(r.body, "Code"), "MissingAuthenticationToken") << other;
  }
  r = Send("Action=AssumeRoleWithWebIdentity&Version=2010-05-08", {});
  EXPECT_EQ(Element(r.body, "Code"), "MissingAuthenticationToken");
  r = Send(
      "Action=AssumeRoleWithSAML&Version=2011-06-15&SAMLAssertion=PHgvPg%3D%3D&"
      "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&"
      "PrincipalArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Asaml-provider%2Fidp",
      {});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Element(r.body, "Code"), "InvalidIdentityToken");
  EXPECT_TRUE(Element(r.body, "Message").starts_with("Specified provider doesn't exist"));
  r = Send("Action=AssumeRoleWithSAML&Version=2010-05-08", {});
  EXPECT_EQ(Element(r.body, "Code"), "MissingAuthenticationToken");
}

TEST_F(ServiceTest, UnknownKeyIsInvalidClientTokenId) {
  HttpResponse r = Send("Action=ListRoles", {"AKIANOTAKNOWNKEY1234", "x", ""});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Code"), "InvalidClientTokenId");
  EXPECT_EQ(Element(r.body, "Message"), "The security token included in the request is invalid.");
}

TEST_F(ServiceTest, WrongSecretIsSignatureDoesNotMatch) {
  HttpResponse r = Send("Action=ListRoles", {kRootKey, "wrong", ""});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Code"), "SignatureDoesNotMatch");
}

TEST_F(ServiceTest, TwentyMinuteOldSignatureIsRefused) {
  HttpResponse r = Send("Action=ListRoles", {kRootKey, kRootSecret, ""}, kNow - 20 * 60 * 1000);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Code"), "SignatureDoesNotMatch");
  EXPECT_NE(Element(r.body, "Message").find("Signature expired"), std::string::npos);
}

TEST_F(ServiceTest, ErrorsHaveAwsShape) {
  HttpResponse r = Root("Action=GetRole&Version=2010-05-08&RoleName=nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                        "<Error><Type>Sender</Type><Code>NoSuchEntity</Code>"
                        "<Message>The role with name nope cannot be found.</Message></Error>"
                        "<RequestId>"),
            std::string::npos)
      << r.body;
}

TEST_F(ServiceTest, CreateRoleReturnsDocumentAsStoredAndEncoded) {
  HttpResponse r =
      Root("Action=CreateRole&RoleName=ray-head&AssumeRolePolicyDocument=" + Enc(kTrustEc2));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<CreateRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                        "<CreateRoleResult><Role>"),
            std::string::npos);
  EXPECT_EQ(Element(r.body, "AssumeRolePolicyDocument"), Enc(kTrustEc2));
  EXPECT_TRUE(std::regex_match(Element(r.body, "RoleId"), std::regex("AROA[A-Z2-7]{17}")));
  EXPECT_EQ(Element(r.body, "CreateDate"), "2026-11-28T00:42:45Z");
  // CreateRole does not show MaxSessionDuration (recorded from AWS); GetRole does.
  EXPECT_EQ(r.body.find("MaxSessionDuration"), std::string::npos);
  EXPECT_EQ(Element(Root("Action=GetRole&RoleName=ray-head").body, "MaxSessionDuration"), "3600");
}

TEST_F(ServiceTest, UnknownActionIsInvalidAction) {
  HttpResponse r = Root("Action=FlyToTheMoon");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Element(r.body, "Code"), "InvalidAction");
}

TEST_F(ServiceTest, ActionWithTheOtherServicesVersionIsInvalidAction) {
  HttpResponse r = Root("Action=ListRoles&Version=2011-06-15");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Element(r.body, "Code"), "InvalidAction");
  EXPECT_EQ(Element(r.body, "Message"),
            "Could not find operation ListRoles for version 2011-06-15");
  EXPECT_EQ(Root("Action=ListRoles&Version=2010-05-08").status, 200);
}

TEST_F(ServiceTest, UserWithoutPoliciesIsRefusedWithAwsWording) {
  Creds alice = NewUserWithKey("alice");
  ExpectNoIdentityPolicyAllows(Send("Action=ListRoles", alice), "alice", "iam:ListRoles",
                               "arn:aws:iam::123456789012:role/");
}

TEST_F(ServiceTest, ReadOnlyUserListsButCannotCreate) {
  Creds alice = NewUserWithKey("alice");
  ASSERT_TRUE(
      RootOk("Action=AttachUserPolicy&UserName=alice&PolicyArn=arn:aws:iam::aws:policy/"
             "IAMReadOnlyAccess"));
  EXPECT_EQ(Send("Action=ListRoles", alice).status, 200);
  HttpResponse r =
      Send("Action=CreateRole&RoleName=x&AssumeRolePolicyDocument=" + Enc(kTrustEc2), alice);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(Element(r.body, "Message")
                .find("iam:CreateRole on resource: arn:aws:iam::123456789012:role/x because no "
                      "identity-based policy allows the iam:CreateRole action"),
            std::string::npos);
}

TEST_F(ServiceTest, BoundaryLimitsAnAdministrator) {
  Creds alice = NewUserWithKey("alice");
  ASSERT_TRUE(
      RootOk("Action=AttachUserPolicy&UserName=alice&PolicyArn=arn:aws:iam::aws:policy/"
             "AdministratorAccess"));
  std::string boundary =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]})";
  HttpResponse p = Root("Action=CreatePolicy&PolicyName=b&PolicyDocument=" + Enc(boundary));
  ASSERT_EQ(p.status, 200) << p.body;
  ASSERT_TRUE(RootOk("Action=PutUserPermissionsBoundary&UserName=alice&PermissionsBoundary=" +
                     Element(p.body, "Arn")));
  EXPECT_EQ(Send("Action=ListRoles", alice).status, 200);
  HttpResponse r =
      Send("Action=CreateRole&RoleName=x&AssumeRolePolicyDocument=" + Enc(kTrustEc2), alice);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(Element(r.body, "Message")
                .find("because no permissions boundary allows the iam:CreateRole action"),
            std::string::npos)
      << r.body;
}

class SessionTest : public ServiceTest {
 protected:
  // A role that trusts alice, readable by its sessions; alice may assume it.
  Creds AssumeAsAlice(const std::string& extra = "") {
    Creds alice = NewUserWithKey("alice");
    std::string trust =
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]})";
    EXPECT_EQ(
        Root("Action=CreateRole&RoleName=reader&AssumeRolePolicyDocument=" + Enc(trust)).status,
        200);
    EXPECT_EQ(Root("Action=AttachRolePolicy&RoleName=reader&PolicyArn=arn:aws:iam::aws:policy/"
                   "IAMReadOnlyAccess")
                  .status,
              200);
    HttpResponse r = Send(
        "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1&RoleArn=arn:aws:iam::"
        "123456789012:role/reader" +
            extra,
        alice);
    EXPECT_EQ(r.status, 200) << r.body;
    return {Element(r.body, "AccessKeyId"), Element(r.body, "SecretAccessKey"),
            Element(r.body, "SessionToken")};
  }
};

TEST_F(SessionTest, AssumedRoleActsWithTheRolesPermissions) {
  Creds session = AssumeAsAlice();
  EXPECT_EQ(session.key.substr(0, 4), "ASIA");
  HttpResponse who = Send("Action=GetCallerIdentity&Version=2011-06-15", session);
  EXPECT_EQ(Element(who.body, "Arn"), "arn:aws:sts::123456789012:assumed-role/reader/s1");
  EXPECT_EQ(Send("Action=ListRoles", session).status, 200);
  EXPECT_EQ(Send("Action=CreateGroup&GroupName=g", session).status, 403);
}

// RoleLastUsed (GetRole) and GetAccessKeyLastUsed survive a restart: the uses recorded in
// memory are stored at shutdown (and every usage_flush_interval, FlushUsage).
TEST_F(SessionTest, LastUsesAreStoredAtShutdown) {
  AssumeAsAlice();  // alice's key signs AssumeRole, which uses the role
  const std::string key_id = Element(Root("Action=ListAccessKeys&UserName=alice").body,
                                     "AccessKeyId");
  ASSERT_FALSE(key_id.empty());
  clock_.Advance(60 * 1000);  // the restart's requests are not the uses looked for
  Restart();
  HttpResponse role = Root("Action=GetRole&RoleName=reader");
  ASSERT_EQ(role.status, 200) << role.body;
  EXPECT_NE(role.body.find("<RoleLastUsed><LastUsedDate>2026-11-28T00:42:45Z</LastUsedDate>"
                           "<Region>us-east-1</Region></RoleLastUsed>"),
            std::string::npos)
      << role.body;
  HttpResponse key = Root("Action=GetAccessKeyLastUsed&AccessKeyId=" + key_id);
  ASSERT_EQ(key.status, 200) << key.body;
  EXPECT_EQ(Element(key.body, "LastUsedDate"), "2026-11-28T00:42:45Z") << key.body;
  EXPECT_EQ(Element(key.body, "ServiceName"), "iam");  // the service the request was signed for
  EXPECT_EQ(Element(key.body, "Region"), "us-east-1");
}

TEST_F(SessionTest, FlushUsageStoresWhatChangedOnce) {
  EXPECT_EQ(service_->FlushUsage(), 0u);  // nothing used yet
  Creds alice = NewUserWithKey("alice");
  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]})";
  ASSERT_TRUE(RootOk("Action=CreateRole&RoleName=reader&AssumeRolePolicyDocument=" + Enc(trust)));
  const std::string assume =
      "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1&RoleArn=arn:aws:iam::123456789012:"
      "role/reader";
  ASSERT_EQ(Send(assume, alice).status, 200);
  uint64_t seq = service_->FlushUsage();
  ASSERT_NE(seq, 0u);
  EXPECT_TRUE(WaitDurable(seq));
  EXPECT_EQ(service_->FlushUsage(), 0u);  // stored already
  // A later use is stored by the next flush; GetRole shows it before and after.
  clock_.Advance(3600 * 1000);
  ASSERT_EQ(Send(assume, alice).status, 200);
  EXPECT_EQ(Element(Root("Action=GetRole&RoleName=reader").body, "LastUsedDate"),
            "2026-11-28T01:42:45Z");
  seq = service_->FlushUsage();
  ASSERT_NE(seq, 0u);
  EXPECT_TRUE(WaitDurable(seq));
  Restart();
  EXPECT_EQ(Element(Root("Action=GetRole&RoleName=reader").body, "LastUsedDate"),
            "2026-11-28T01:42:45Z");
}

TEST_F(SessionTest, AUseOfARoleDeletedSinceIsNotStored) {
  AssumeAsAlice();
  ASSERT_TRUE(RootOk("Action=DetachRolePolicy&RoleName=reader&PolicyArn=arn:aws:iam::aws:policy/"
                     "IAMReadOnlyAccess"));
  ASSERT_TRUE(RootOk("Action=DeleteRole&RoleName=reader"));
  // Only alice's key is left to store; the role's use is dropped, and nothing fails.
  uint64_t seq = service_->FlushUsage();
  ASSERT_NE(seq, 0u);
  EXPECT_TRUE(WaitDurable(seq));
  Restart();
  EXPECT_EQ(Root("Action=GetRole&RoleName=reader").status, 404);
  // A role made again under the name is another role, never used.
  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
  ASSERT_TRUE(RootOk("Action=CreateRole&RoleName=reader&AssumeRolePolicyDocument=" + Enc(trust)));
  HttpResponse again = Root("Action=GetRole&RoleName=reader");
  EXPECT_NE(again.body.find("<RoleLastUsed></RoleLastUsed>"), std::string::npos) << again.body;
}

TEST_F(SessionTest, SessionPolicyNarrowsTheSession) {
  std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]})";
  Creds session = AssumeAsAlice("&Policy=" + Enc(policy));
  EXPECT_EQ(Send("Action=GetRole&RoleName=reader", session).status, 200);
  HttpResponse r = Send("Action=ListRoles", session);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(
      Element(r.body, "Message").find("because no session policy allows the iam:ListRoles action"),
      std::string::npos)
      << r.body;
}

TEST_F(SessionTest, ExpiredTokenIsRefused) {
  Creds session = AssumeAsAlice();
  clock_.Advance(3601 * 1000);
  HttpResponse r = Send("Action=ListRoles", session);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Code"), "ExpiredToken");
}

TEST_F(SessionTest, TamperedTokenIsInvalidClientTokenId) {
  Creds session = AssumeAsAlice();
  std::string& t = session.token;
  t[t.size() / 2] = t[t.size() / 2] == 'A' ? 'B' : 'A';
  HttpResponse r = Send("Action=ListRoles", session);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Code"), "InvalidClientTokenId");
}

TEST_F(SessionTest, UserCannotAssumeARoleThatTrustsOnlyEc2) {
  Creds alice = NewUserWithKey("alice");
  ASSERT_TRUE(
      RootOk("Action=AttachUserPolicy&UserName=alice&PolicyArn=arn:aws:iam::aws:policy/"
             "AdministratorAccess"));
  ASSERT_TRUE(
      RootOk("Action=CreateRole&RoleName=ray-head&AssumeRolePolicyDocument=" + Enc(kTrustEc2)));
  HttpResponse r = Send(
      "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s2&RoleArn=arn:aws:iam::123456789012:"
      "role/ray-head",
      alice);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Message"),
            "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: "
            "sts:AssumeRole on resource: arn:aws:iam::123456789012:role/ray-head");
}

TEST_F(SessionTest, DurationLongerThanTheRoleAllowsIsRefused) {
  HttpResponse r;
  Creds alice = NewUserWithKey("bob");
  std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}]})";
  ASSERT_TRUE(RootOk("Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=" + Enc(trust)));
  r = Send(
      "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s2&DurationSeconds=7200&RoleArn="
      "arn:aws:iam::123456789012:role/r",
      alice);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Element(r.body, "Message"),
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
}

// Review finding: UpdateUser needs permission on the new name as well (AWS).
// GetCredentialReport before a report: ReportNotPresent, 410, and no Message at all (LocalStack's
// AWS-validated snapshot test_iam_credential_report, February 2026).
TEST_F(ServiceTest, CredentialReportNotPresentHasNoMessage) {
  HttpResponse r = Root("Action=GetCredentialReport");
  EXPECT_EQ(r.status, 410);
  EXPECT_NE(r.body.find("<Error><Type>Sender</Type><Code>ReportNotPresent</Code></Error>"),
            std::string::npos)
      << r.body;
}

// A report is made at most once every four hours and is good for four hours: within them,
// Generate answers COMPLETE and the report stays as it was; after them, Get answers
// ReportExpired and Generate makes a new one.
TEST_F(ServiceTest, CredentialReportLastsFourHours) {
  NewUserWithKey("alice");
  HttpResponse started = Root("Action=GenerateCredentialReport");
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(Element(started.body, "State"), "STARTED");
  EXPECT_EQ(Element(started.body, "Description"),
            "No report exists. Starting a new report generation task");
  NewUserWithKey("bob");
  clock_.Advance(4 * 3600 * 1000 - 1000);
  HttpResponse again = Root("Action=GenerateCredentialReport");
  EXPECT_EQ(Element(again.body, "State"), "COMPLETE");
  EXPECT_EQ(again.body.find("Description"), std::string::npos) << again.body;
  HttpResponse got = Root("Action=GetCredentialReport");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Element(got.body, "ReportFormat"), "text/csv");
  EXPECT_EQ(Element(got.body, "GeneratedTime"), "2026-11-28T00:42:45Z");
  std::optional<std::string> csv = Base64Decode(Element(got.body, "Content"));
  ASSERT_TRUE(csv);
  EXPECT_NE(csv->find("\nalice,arn:aws:iam::123456789012:user/alice,2026-11-28T00:42:45+00:00,"
                      "false,N/A,N/A,N/A,false,true,2026-11-28T00:42:45+00:00,N/A,N/A,N/A,"
                      "false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"),
            std::string::npos)
      << *csv;
  EXPECT_EQ(csv->find("\nbob,"), std::string::npos) << "made after the report";

  clock_.Advance(1000);
  HttpResponse expired = Root("Action=GetCredentialReport");
  EXPECT_EQ(expired.status, 410);
  EXPECT_EQ(Element(expired.body, "Code"), "ReportExpired");
  EXPECT_EQ(Element(Root("Action=GenerateCredentialReport").body, "State"), "STARTED");
  got = Root("Action=GetCredentialReport");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Element(got.body, "GeneratedTime"), "2026-11-28T04:42:45Z");
  csv = Base64Decode(Element(got.body, "Content"));
  ASSERT_TRUE(csv);
  EXPECT_NE(csv->find("\nbob,arn:aws:iam::123456789012:user/bob,"), std::string::npos) << *csv;
}

// A user name with a comma and a path with a quote stay one field each (RFC 4180 quoting).
TEST_F(ServiceTest, CredentialReportQuotesWhatWouldSplitAField) {
  ASSERT_TRUE(RootOk("Action=CreateUser&UserName=" + Enc("last,first") + "&Path=" + Enc("/a\"b/")));
  ASSERT_EQ(Element(Root("Action=GenerateCredentialReport").body, "State"), "STARTED");
  std::optional<std::string> csv =
      Base64Decode(Element(Root("Action=GetCredentialReport").body, "Content"));
  ASSERT_TRUE(csv);
  EXPECT_NE(csv->find("\n\"last,first\",\"arn:aws:iam::123456789012:user/a\"\"b/last,first\","
                      "2026-11-28T00:42:45+00:00,false,"),
            std::string::npos)
      << *csv;
}

// The report shows each key's latest use, stored or recorded since the last flush, and a
// password's next rotation under a policy with a maximum age.
TEST_F(ServiceTest, CredentialReportShowsKeyUseAndPasswordRotation) {
  Creds alice = NewUserWithKey("alice");
  ASSERT_TRUE(RootOk("Action=UpdateAccountPasswordPolicy&MaxPasswordAge=90"));
  ASSERT_TRUE(RootOk("Action=CreateLoginProfile&UserName=alice&Password=" + Enc("Passw0rd!x")));
  clock_.Advance(60 * 1000);
  EXPECT_EQ(Send("Action=GetUser", alice).status, 403);  // a use, even when refused
  ASSERT_EQ(Root("Action=CreateAccessKey&UserName=alice").status, 200);
  ASSERT_EQ(Element(Root("Action=GenerateCredentialReport").body, "State"), "STARTED");
  std::optional<std::string> csv =
      Base64Decode(Element(Root("Action=GetCredentialReport").body, "Content"));
  ASSERT_TRUE(csv);
  const std::string created = "2026-11-28T00:42:45+00:00", used = "2026-11-28T00:43:45+00:00";
  EXPECT_NE(csv->find("\nalice,arn:aws:iam::123456789012:user/alice," + created +
                      ",true,no_information," + created + ",2027-02-26T00:42:45+00:00,false,true," +
                      created + "," + used + ",us-east-1,iam,true," + used +
                      ",N/A,N/A,N/A,false,N/A,false,N/A\n"),
            std::string::npos)
      << *csv;
  // The root user: created with the data folder, its key active, its password not IAM's.
  EXPECT_NE(csv->find("\n<root_account>,arn:aws:iam::123456789012:root," + created +
                      ",not_supported,no_information,not_supported,not_supported,false,true,"
                      "N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"),
            std::string::npos)
      << *csv;
}

TEST_F(ServiceTest, RenamingAUserNeedsPermissionOnTheNewName) {
  Creds mallory = NewUserWithKey("mallory");
  std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:UpdateUser","Resource":"arn:aws:iam::123456789012:user/mallory"}]})";
  ASSERT_TRUE(
      RootOk("Action=PutUserPolicy&UserName=mallory&PolicyName=p&PolicyDocument=" + Enc(policy)));
  ExpectNoIdentityPolicyAllows(
      Send("Action=UpdateUser&UserName=mallory&NewUserName=admin", mallory), "mallory",
      "iam:UpdateUser", "arn:aws:iam::123456789012:user/admin");
  EXPECT_TRUE(Root("Action=GetUser&UserName=mallory").status == 200);
}

// Review finding: a trust policy means the user it named, not a later one with the same ARN.
TEST_F(ServiceTest, ARecreatedUserIsNotTheOneATrustPolicyNamed) {
  Creds first = NewUserWithKey("alice");
  std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]})";
  ASSERT_TRUE(RootOk("Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=" + Enc(trust)));
  std::string assume =
      "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1&RoleArn=arn:aws:iam::"
      "123456789012:role/r";
  EXPECT_EQ(Send(assume, first).status, 200);
  ASSERT_TRUE(RootOk("Action=DeleteAccessKey&UserName=alice&AccessKeyId=" + first.key));
  ASSERT_TRUE(RootOk("Action=DeleteUser&UserName=alice"));
  Creds second = NewUserWithKey("alice");
  EXPECT_EQ(Send(assume, second).status, 403);
}

TEST_F(ServiceTest, TrustPolicyNamingAMissingUserIsMalformed) {
  std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/nobody"},"Action":"sts:AssumeRole"}]})";
  HttpResponse r = Root("Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=" + Enc(trust));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Element(r.body, "Message"),
            "Invalid principal in policy: \"AWS\":\"arn:aws:iam::123456789012:user/nobody\"");
}

// Review finding: adding a role to an instance profile passes it to EC2.
TEST_F(ServiceTest, AddingARoleToAProfileNeedsPassRole) {
  Creds bob = NewUserWithKey("bob");
  ASSERT_TRUE(
      RootOk("Action=CreateRole&RoleName=ray-head&AssumeRolePolicyDocument=" + Enc(kTrustEc2)));
  ASSERT_TRUE(RootOk("Action=CreateInstanceProfile&InstanceProfileName=p"));
  std::string profiles_only =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AddRoleToInstanceProfile","Resource":"*"}]})";
  ASSERT_TRUE(RootOk("Action=PutUserPolicy&UserName=bob&PolicyName=p&PolicyDocument=" +
                     Enc(profiles_only)));
  HttpResponse r =
      Send("Action=AddRoleToInstanceProfile&InstanceProfileName=p&RoleName=ray-head", bob);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(Element(r.body, "Message")
                .find("iam:PassRole on resource: arn:aws:iam::123456789012:role/ray-head"),
            std::string::npos)
      << r.body;
  std::string pass =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]})";
  ASSERT_TRUE(
      RootOk("Action=PutUserPolicy&UserName=bob&PolicyName=pass&PolicyDocument=" + Enc(pass)));
  EXPECT_EQ(
      Send("Action=AddRoleToInstanceProfile&InstanceProfileName=p&RoleName=ray-head", bob).status,
      200);
}

// Review finding: GetSessionToken credentials may call no IAM API (STS API reference).
TEST_F(ServiceTest, SessionTokenCredentialsCannotCallIam) {
  Creds alice = NewUserWithKey("alice");
  ASSERT_TRUE(
      RootOk("Action=AttachUserPolicy&UserName=alice&PolicyArn=arn:aws:iam::aws:policy/"
             "AdministratorAccess"));
  HttpResponse t = Send("Action=GetSessionToken&Version=2011-06-15", alice);
  ASSERT_EQ(t.status, 200) << t.body;
  Creds session{Element(t.body, "AccessKeyId"), Element(t.body, "SecretAccessKey"),
                Element(t.body, "SessionToken")};
  HttpResponse r = Send("Action=ListRoles", session);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Code"), "InvalidClientTokenId");
  EXPECT_EQ(Send("Action=GetCallerIdentity&Version=2011-06-15", session).status, 200);
}

// Review finding: an unauthorized caller must not learn a role's settings.
TEST_F(ServiceTest, AssumeRoleRefusesBeforeItValidates) {
  Creds nobody = NewUserWithKey("nobody");
  ASSERT_TRUE(
      RootOk("Action=CreateRole&RoleName=power&AssumeRolePolicyDocument=" + Enc(kTrustEc2)));
  HttpResponse r = Send(
      "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1&DurationSeconds=43200&RoleArn="
      "arn:aws:iam::123456789012:role/power",
      nobody);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Element(r.body, "Code"), "AccessDenied");
}

TEST_F(ServiceTest, PasswordIsHashedAndChecked) {
  ASSERT_TRUE(RootOk("Action=CreateUser&UserName=carol"));
  HttpResponse weak = Root("Action=CreateLoginProfile&UserName=carol&Password=short");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(Element(weak.body, "Code"), "PasswordPolicyViolation");
  HttpResponse ok = Root("Action=CreateLoginProfile&UserName=carol&Password=Correct-Horse-1");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Element(ok.body, "PasswordResetRequired"), "false");
}

TEST_F(ServiceTest, SecretsAreNotStoredInTheClear) {
  Creds alice = NewUserWithKey("alice");
  service_.reset();  // flush and close the database
  std::ifstream db(dir_ / "iamd.db", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  std::ifstream wal(dir_ / "iamd.db-wal", std::ios::binary);
  bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(alice.secret.empty());
  EXPECT_NE(bytes.find(alice.key), std::string::npos);     // the key ID is there
  EXPECT_EQ(bytes.find(alice.secret), std::string::npos);  // the secret is not
}

}  // namespace
}  // namespace iamd::api
