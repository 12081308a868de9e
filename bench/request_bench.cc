// What one request costs iamd in user space, without the network: IamService::Handle on the
// signed GetRole that bench/http sends with wrk (role ray-head of the seed page, root keys,
// enforcement on), and the SigV4 verification inside it. The HTTP server's own work (Beast's
// parser, the event loop, the response head) is not in these numbers; bench/http measures the
// whole path. To compare builds by instructions (steadier than time on a shared host), run
// under callgrind with a fixed number of iterations (bench/profile-request.sh does both).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api/service.h"
#include "auth/sigv4.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/url.h"

namespace {

using namespace iamd;  // NOLINT: benchmark translation unit

constexpr char kRootKey[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kRootSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kTrustEc2[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";

struct Keys {
  std::string id, secret;
};
const Keys kRoot{kRootKey, kRootSecret};

// A signed POST as botocore sends it: Host, Content-Type, X-Amz-Date, Authorization.
class SignedRequest {
 public:
  SignedRequest(std::string body, int64_t now_millis, const Keys& keys = kRoot)
      : body_(std::move(body)) {
    storage_ = {{"host", "127.0.0.1:4599"},
                {"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
    Views();
    auth::HttpRequestView view{"POST", "/", views_, body_};
    auth::SignedHeaders s =
        auth::SignRequest(view, {keys.id, keys.secret, ""},
                          {.region = "us-east-1", .service = "iam", .now_millis = now_millis});
    storage_.emplace_back("x-amz-date", s.amz_date);
    storage_.emplace_back("authorization", s.authorization);
    storage_.emplace_back("content-length", std::to_string(body_.size()));
    Views();
  }
  api::HttpRequest Http() const { return {"POST", "/", views_, body_, "127.0.0.1"}; }
  auth::HttpRequestView View() const { return {"POST", "/", views_, body_}; }

 private:
  void Views() {
    views_.clear();
    for (const auto& [k, v] : storage_) views_.emplace_back(k, v);
  }
  std::string body_;
  std::vector<std::pair<std::string, std::string>> storage_;
  std::vector<std::pair<std::string_view, std::string_view>> views_;
};

// An iamd service with the seed page's ray-head role, on a SQLite store in a temporary folder.
class Fixture {
 public:
  Fixture()
      : clock_(std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count()) {
    dir_ = std::filesystem::temp_directory_path() /
           ("iamd-request-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = store::OpenSqliteStore((dir_ / "iamd.db").string(), {.durable = false});
    if (!store) throw std::runtime_error(store.error().message);
    api::ServiceConfig config;
    config.root_access_key_id = kRootKey;
    config.root_secret_access_key = kRootSecret;
    config.master_key = std::string(32, 'm');
    auto service = api::IamService::Create(config, std::move(*store), clock_, ids_);
    if (!service) throw std::runtime_error(service.error().message);
    service_ = std::move(*service);
    const api::HttpResponse created = Send(
        "Action=CreateRole&RoleName=ray-head&AssumeRolePolicyDocument=" + PercentEncode(kTrustEc2) +
        "&Version=2010-05-08");
    if (created.status != 200) throw std::runtime_error("CreateRole: " + created.body);
    // A user whose access comes from an AWS managed policy, as in bench/http/enforcement.sh.
    Expect200(Send("Action=CreateUser&UserName=reader&Version=2010-05-08"));
    Expect200(Send("Action=AttachUserPolicy&UserName=reader&PolicyArn=" +
                   PercentEncode("arn:aws:iam::aws:policy/IAMReadOnlyAccess") +
                   "&Version=2010-05-08"));
    const std::string key =
        Expect200(Send("Action=CreateAccessKey&UserName=reader&Version=2010-05-08"));
    reader_ = {Between(key, "<AccessKeyId>", "</AccessKeyId>"),
               Between(key, "<SecretAccessKey>", "</SecretAccessKey>")};
  }
  ~Fixture() {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }

  api::HttpResponse Send(const std::string& body, const Keys& keys = kRoot) {
    SignedRequest request(body, clock_.NowMillis(), keys);
    api::HttpResponse response = service_->Handle(request.Http());
    if (response.wait_for != 0) {
      std::promise<bool> durable;
      service_->WhenDurable(response.wait_for, [&](bool ok) { durable.set_value(ok); });
      durable.get_future().get();
    }
    return response;
  }
  api::IamService& service() { return *service_; }
  int64_t now() const { return clock_.NowMillis(); }
  const Keys& reader() const { return reader_; }

 private:
  static std::string Expect200(const api::HttpResponse& response) {
    if (response.status != 200) throw std::runtime_error(response.body);
    return response.body;
  }
  static std::string Between(const std::string& text, std::string_view open,
                             std::string_view close) {
    const size_t start = text.find(open);
    const size_t end = text.find(close, start);
    if (start == std::string::npos || end == std::string::npos)
      throw std::runtime_error("no " + std::string(open) + " in " + text);
    return text.substr(start + open.size(), end - start - open.size());
  }

  FakeClock clock_;
  RandomIdSource ids_;
  std::filesystem::path dir_;
  std::unique_ptr<api::IamService> service_;
  Keys reader_;
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

constexpr char kGetRole[] = "Action=GetRole&RoleName=ray-head&Version=2010-05-08";

// GetRole signed by `keys`, answered 200.
void GetRole(benchmark::State& state, const Keys& keys) {
  Fixture& f = Shared();
  const SignedRequest request(kGetRole, f.now(), keys);
  const api::HttpRequest http = request.Http();
  for (auto _ : state) {
    api::HttpResponse response = f.service().Handle(http);
    if (response.status != 200) {
      state.SkipWithError(response.body.c_str());
      break;
    }
    benchmark::DoNotOptimize(response);
  }
  state.counters["requests/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_SignedGetRole(benchmark::State& state) { GetRole(state, kRoot); }

// The same GetRole by an IAM user allowed by IAMReadOnlyAccess: the cost of enforcement (the
// user's key looked up, the policy evaluated).
void BM_SignedGetRoleByUser(benchmark::State& state) { GetRole(state, Shared().reader()); }

void BM_VerifyGetRoleSignature(benchmark::State& state) {
  Fixture& f = Shared();
  const SignedRequest request(kGetRole, f.now());
  const auth::HttpRequestView view = request.View();
  constexpr std::string_view kServices[] = {"iam"};
  for (auto _ : state) {
    auto parsed = auth::ParseAuthorization(view);
    Status verified = parsed ? auth::VerifySignature(view, *parsed, kRootSecret, f.now(), kServices)
                             : Status(std::unexpected(parsed.error()));
    if (!verified) {
      state.SkipWithError(verified.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(verified);
  }
}

}  // namespace

// IAMD_BENCH_ITERATIONS=N runs each benchmark exactly N times, so that instruction counts under
// callgrind compare across builds (bench/profile-request.sh subtracts two such runs).
int main(int argc, char** argv) {
  const char* fixed = std::getenv("IAMD_BENCH_ITERATIONS");
  for (auto [name, fn] : {std::pair{"BM_SignedGetRole", &BM_SignedGetRole},
                          std::pair{"BM_SignedGetRoleByUser", &BM_SignedGetRoleByUser},
                          std::pair{"BM_VerifyGetRoleSignature", &BM_VerifyGetRoleSignature}}) {
    benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(name, fn);
    if (fixed != nullptr) b->Iterations(std::atoll(fixed));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
