// iamd: the AWS-IAM-compatible identity and access management server.
//
//   iamd serve [--listen 127.0.0.1:4599] [--data ./data] [--account-id 123456789012] ...
//   iamd policy validate|eval ...     (the policy engine, offline)
//   iamd oidc keygen|token ...        (ID tokens of one's own, for AssumeRoleWithWebIdentity)
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "api/imds.h"
#include "api/service.h"
#include "auth/keys.h"
#include "auth/sealer.h"
#include "auth/web_identity.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/strings.h"
#include "server/http_server.h"
#include "server/request_log.h"
#include "store/store.h"
#include "tools/oidc_cli.h"
#include "tools/policy_cli.h"
#include "tools/read_file.h"

namespace {

using namespace iamd;

struct ServeFlags {
  std::string listen = "127.0.0.1:4599";
  std::string data = "./data";
  std::string account_id = "123456789012";
  std::string root_key_id;
  std::string root_secret;
  std::string auth = "enforce";
  std::vector<std::string> imds;  // HOST:PORT=INSTANCE_PROFILE
  std::vector<std::string> oidc_jwks;  // ISSUER=FILE
  std::string outbound_issuer;
  std::vector<std::string> ecs;        // HOST:PORT=ROLE
  int threads = 0;
  int max_connections = 10000;
  int last_used_seconds = 30;
  bool quiet = false;
  bool no_io_uring = false;
  std::string tls_cert, tls_key;  // PEM files: HTTPS on --listen
};

bool SplitHostPort(const std::string& s, std::string& host, uint16_t& port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    int p = std::stoi(s.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    port = static_cast<uint16_t>(p);
  } catch (...) {
    return false;
  }
  return !host.empty();
}

// Root credentials live in DATA/root-credentials, in the AWS shared credentials file format
// (so AWS_SHARED_CREDENTIALS_FILE can point at it), readable by the owner only.
constexpr char kCredentialsFile[] = "root-credentials";

bool ReadCredentials(const std::filesystem::path& path, std::string& key_id, std::string& secret) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t\r") + 1);
      return s;
    };
    std::string k = trim(line.substr(0, eq)), v = trim(line.substr(eq + 1));
    if (k == "aws_access_key_id") key_id = v;
    if (k == "aws_secret_access_key") secret = v;
  }
  return !key_id.empty() && !secret.empty();
}

bool WriteCredentials(const std::filesystem::path& path, const std::string& key_id,
                      const std::string& secret) {
  std::string tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  std::string text = "[default]\naws_access_key_id = " + key_id +
                     "\naws_secret_access_key = " + secret + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  return ok && ::rename(tmp.c_str(), path.c_str()) == 0;
}

// 127.0.0.0/8 and ::1 (and their names): where plain HTTP never leaves the machine.
bool IsLoopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4;
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

int Serve(const ServeFlags& flags) {
  // Signals are taken by sigwait at the end, never by a thread: block them before any starts
  // (the committer and log threads inherit the mask).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);  // reload the TLS certificate and key
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  std::string host;
  uint16_t port;
  if (!SplitHostPort(flags.listen, host, port)) {
    std::fprintf(stderr, "iamd: --listen wants HOST:PORT, got '%s'\n", flags.listen.c_str());
    return 2;
  }
  if (flags.auth != "enforce" && flags.auth != "permissive") {
    std::fprintf(stderr, "iamd: --auth is enforce or permissive\n");
    return 2;
  }
  const bool tls = !flags.tls_cert.empty() || !flags.tls_key.empty();
  if (tls && (flags.tls_cert.empty() || flags.tls_key.empty())) {
    std::fprintf(stderr, "iamd: give both --tls-cert and --tls-key\n");
    return 2;
  }
  if (tls) {
    // The pair is loaded here once to refuse a bad configuration before anything listens.
    if (auto usable = server::CheckTlsFiles({flags.tls_cert, flags.tls_key}); !usable) {
      std::fprintf(stderr, "iamd: %s\n", usable.error().message.c_str());
      return 2;
    }
  } else if (!IsLoopback(host)) {
    std::fprintf(stderr,
                 "iamd: warning: plain HTTP on %s: requests and responses, among them the secret "
                 "keys CreateAccessKey and STS return, cross the network unencrypted; serve "
                 "HTTPS with --tls-cert and --tls-key\n",
                 flags.listen.c_str());
  }
  auto started = std::chrono::steady_clock::now();

  // The data folder: owner-only, and locked so that two servers never share it.
  std::filesystem::path data(flags.data);
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  ::chmod(data.c_str(), 0700);
  int lock_fd = ::open((data / "LOCK").c_str(), O_RDWR | O_CREAT, 0600);
  if (lock_fd < 0 || ::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    std::fprintf(stderr, "iamd: data folder %s is in use by another iamd (or not writable)\n",
                 data.c_str());
    return 1;
  }

  api::ServiceConfig config;
  config.account_id = flags.account_id;
  config.auth_mode = flags.auth == "permissive" ? api::AuthMode::kPermissive
                                                : api::AuthMode::kEnforce;
  config.usage_flush_interval = std::chrono::seconds(flags.last_used_seconds);
  // Each --oidc-jwks ISSUER=FILE: the key set an identity provider publishes at its jwks_uri,
  // saved to a file, for AssumeRoleWithWebIdentity (iamd fetches nothing from the network).
  for (const std::string& spec : flags.oidc_jwks) {
    const size_t eq = spec.find('=');
    std::string issuer = spec.substr(0, eq);
    if (issuer.starts_with("https://")) issuer.erase(0, 8);
    if (eq == std::string::npos || issuer.empty() || eq + 1 == spec.size()) {
      std::fprintf(stderr, "iamd: --oidc-jwks wants ISSUER=FILE, got '%s'\n", spec.c_str());
      return 2;
    }
    const std::string file = spec.substr(eq + 1);
    auto text = tools::ReadWholeFile(file);
    if (!text) {
      std::fprintf(stderr, "iamd: --oidc-jwks: cannot read %s\n", file.c_str());
      return 2;
    }
    auto keys = auth::JsonWebKeySet::Parse(*text);
    if (!keys) {
      std::fprintf(stderr, "iamd: --oidc-jwks: %s is not a usable JSON Web Key Set: %s\n",
                   file.c_str(), keys.error().c_str());
      return 2;
    }
    config.web_identity_keys[issuer] = std::move(*keys);
  }
  if (!flags.outbound_issuer.empty() && !flags.outbound_issuer.starts_with("https://") &&
      !flags.outbound_issuer.starts_with("http://")) {
    std::fprintf(stderr, "iamd: --outbound-issuer wants an http:// or https:// URL, got '%s'\n",
                 flags.outbound_issuer.c_str());
    return 2;
  }
  config.outbound_issuer = flags.outbound_issuer;
  bool created_keys = false;
  std::filesystem::path creds = data / kCredentialsFile;
  if (!flags.root_key_id.empty() || !flags.root_secret.empty()) {
    if (flags.root_key_id.empty() || flags.root_secret.empty()) {
      std::fprintf(stderr, "iamd: give both --root-access-key-id and --root-secret-access-key\n");
      return 2;
    }
    config.root_access_key_id = flags.root_key_id;
    config.root_secret_access_key = flags.root_secret;
  } else if (!ReadCredentials(creds, config.root_access_key_id, config.root_secret_access_key)) {
    config.root_access_key_id = auth::NewAccessKeyId("AKIA");
    config.root_secret_access_key = auth::NewSecretAccessKey();
    if (!WriteCredentials(creds, config.root_access_key_id, config.root_secret_access_key)) {
      std::fprintf(stderr, "iamd: cannot write %s\n", creds.c_str());
      return 1;
    }
    created_keys = true;
  }

  // The key that seals access key secrets at rest and session tokens; never in the database.
  auto master_key = auth::LoadOrCreateKeyFile((data / "master.key").string());
  if (!master_key) {
    std::fprintf(stderr, "iamd: %s\n", master_key.error().message.c_str());
    return 1;
  }
  config.master_key = std::move(*master_key);

  auto store = store::OpenSqliteStore((data / "iamd.db").string());
  if (!store) {
    std::fprintf(stderr, "iamd: %s\n", store.error().message.c_str());
    return 1;
  }
  static RandomIdSource ids;
  auto service = api::IamService::Create(config, std::move(*store), SystemClock::Instance(), ids);
  if (!service) {
    std::fprintf(stderr, "iamd: loading %s: %s\n", data.c_str(), service.error().message.c_str());
    return 1;
  }

  server::JsonLineLog log(stderr);
  server::ServerOptions options;
  options.threads = flags.threads;
  options.max_connections = static_cast<size_t>(flags.max_connections);
  options.log_requests = !flags.quiet;
  options.io_uring = !flags.no_io_uring;
  server::HttpServer http(**service, options,
                          [&log](const server::LogEntry& e) { log.Write(e); });
  api::IamService* svc = service->get();
  server::Endpoint api_endpoint;
  api_endpoint.host = host;
  api_endpoint.port = port;
  api_endpoint.handle = [svc](const api::HttpRequest& r) { return svc->Handle(r); };
  if (tls) api_endpoint.tls = server::TlsFiles{flags.tls_cert, flags.tls_key};
  if (auto s = http.AddEndpoint(std::move(api_endpoint)); !s) {
    std::fprintf(stderr, "iamd: %s\n", s.error().message.c_str());
    return 1;
  }

  // Listeners of their own for the credentials of virtual compute: each spec is HOST:PORT=NAME;
  // `add` makes the handler for NAME. Exit status 0 when all are listening.
  auto add_listeners = [&](const std::vector<std::string>& specs, const char* flag,
                           const char* want, const char* name, auto add) -> int {
    for (const std::string& spec : specs) {
      size_t eq = spec.find('=');
      server::Endpoint endpoint;
      if (eq == std::string::npos || eq + 1 == spec.size() ||
          !SplitHostPort(spec.substr(0, eq), endpoint.host, endpoint.port)) {
        std::fprintf(stderr, "iamd: %s wants %s, got '%s'\n", flag, want, spec.c_str());
        return 2;
      }
      endpoint.name = name;
      endpoint.serve_healthz = false;
      endpoint.handle = add(spec.substr(eq + 1));
      if (auto s = http.AddEndpoint(std::move(endpoint)); !s) {
        std::fprintf(stderr, "iamd: %s\n", s.error().message.c_str());
        return 1;
      }
    }
    return 0;
  };
  // One instance metadata listener per --imds HOST:PORT=INSTANCE_PROFILE, then one ECS task
  // credentials listener per --ecs HOST:PORT=ROLE.
  std::vector<std::unique_ptr<api::ImdsService>> imds;
  int status = add_listeners(
      flags.imds, "--imds", "HOST:PORT=INSTANCE_PROFILE", "imds", [&](std::string profile) {
        auto* h =
            imds.emplace_back(std::make_unique<api::ImdsService>(*svc, std::move(profile))).get();
        return [h](const api::HttpRequest& r) { return h->Handle(r); };
      });
  if (status != 0) return status;
  std::vector<std::unique_ptr<api::ContainerCredentialsService>> ecs;
  status = add_listeners(flags.ecs, "--ecs", "HOST:PORT=ROLE", "ecs", [&](std::string role) {
    auto* h =
        ecs.emplace_back(std::make_unique<api::ContainerCredentialsService>(*svc, std::move(role)))
            .get();
    return [h](const api::HttpRequest& r) { return h->Handle(r); };
  });
  if (status != 0) return status;

  http.Start();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
  std::string url = (tls ? "https://" : "http://") +
                    (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                    std::to_string(http.port());
  const char* io = http.runs_on_io_uring() ? "io_uring" : "epoll";
  std::printf(
      "iamd: serving IAM and STS at %s (account %s, data %s, auth %s, %s, ready in %.1f ms)\n",
      url.c_str(), config.account_id.c_str(), data.c_str(), flags.auth.c_str(), io,
      micros / 1000.0);
  if (created_keys) {
    std::printf(
        "iamd: created root credentials in %s (mode 0600); they are shown this once:\n"
        "  export AWS_ACCESS_KEY_ID=%s\n"
        "  export AWS_SECRET_ACCESS_KEY=%s\n"
        "  export AWS_DEFAULT_REGION=us-east-1\n",
        creds.c_str(), config.root_access_key_id.c_str(), config.root_secret_access_key.c_str());
  } else if (flags.root_key_id.empty()) {
    std::printf("iamd: root credentials: %s (export AWS_SHARED_CREDENTIALS_FILE=%s)\n",
                creds.c_str(), std::filesystem::absolute(creds).c_str());
  }
  std::printf("iamd: then:  aws --endpoint-url %s iam list-roles\n", url.c_str());
  if (tls)
    std::printf(
        "iamd: (for a certificate no CA of the system's trust store issued: add "
        "--ca-bundle FILE, or export AWS_CA_BUNDLE=FILE, FILE the issuer's PEM)\n");
  for (size_t i = 0; i < imds.size(); ++i)
    std::printf("iamd: instance metadata for %s (instance %s) at http://%s:%u\n",
                flags.imds[i].substr(flags.imds[i].find('=') + 1).c_str(),
                imds[i]->instance_id().c_str(),
                flags.imds[i].substr(0, flags.imds[i].rfind(':')).c_str(), http.port(i + 1));
  for (size_t i = 0; i < ecs.size(); ++i)
    std::printf("iamd: ECS task credentials of role %s (task %s): "
                "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://%s:%u%s\n",
                flags.ecs[i].substr(flags.ecs[i].find('=') + 1).c_str(),
                ecs[i]->task_id().c_str(), flags.ecs[i].substr(0, flags.ecs[i].rfind(':')).c_str(),
                http.port(1 + imds.size() + i), ecs[i]->path().c_str());
  std::fflush(stdout);
  log.Event("ready", "\"url\":\"" + url + "\",\"io\":\"" + io +
                         "\",\"startup_us\":" + std::to_string(micros));

  int sig = 0;
  for (;;) {
    sigwait(&signals, &sig);
    if (sig != SIGHUP) break;
    // SIGHUP: read --tls-cert and --tls-key again (a renewed certificate), as nginx does on a
    // reload; new connections get it. A bad pair is refused and the one in use stays.
    if (!tls) continue;
    if (auto reloaded = http.ReloadTls(); reloaded) {
      log.Event("tls_reloaded");
    } else {
      std::string fields = "\"error\":\"";
      AppendJsonEscaped(fields, reloaded.error().message);
      log.Event("tls_reload_failed", fields + "\"");
    }
  }
  log.Event("stopping", "\"signal\":" + std::to_string(sig));
  http.Stop();
  (*service)->Shutdown();
  log.Event("stopped");
  ::close(lock_fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "policy") return iamd::tools::RunPolicyCli(argc - 1, argv + 1);
  if (argc >= 2 && std::string(argv[1]) == "oidc")
    return iamd::tools::RunOidcCli(argc - 1, argv + 1);

  CLI::App app{"iamd: an AWS-IAM-compatible identity and access management server"};
  app.require_subcommand(1);
  ServeFlags flags;
  auto* serve = app.add_subcommand("serve", "Serve the IAM and STS Query APIs");
  serve->add_option("--listen", flags.listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--data", flags.data, "Folder for the database and keys")->capture_default_str();
  serve->add_option("--account-id", flags.account_id, "The AWS account ID iamd serves")
      ->capture_default_str();
  serve->add_option("--root-access-key-id", flags.root_key_id, "Root access key ID")
      ->envname("IAMD_ROOT_ACCESS_KEY_ID");
  serve->add_option("--root-secret-access-key", flags.root_secret, "Root secret access key")
      ->envname("IAMD_ROOT_SECRET_ACCESS_KEY");
  serve->add_option("--auth", flags.auth,
                    "enforce: sign and authorize every request; permissive: any well-formed "
                    "signature acts as root")
      ->capture_default_str();
  serve->add_option("--imds", flags.imds,
                    "HOST:PORT=INSTANCE_PROFILE: serve instance metadata (credentials of the "
                    "profile's role) for one virtual EC2 instance; repeatable");
  serve->add_option("--ecs", flags.ecs,
                    "HOST:PORT=ROLE: serve the credentials endpoint of one virtual ECS task whose "
                    "task role is ROLE (for AWS_CONTAINER_CREDENTIALS_FULL_URI); repeatable");
  serve->add_option("--oidc-jwks", flags.oidc_jwks,
                    "ISSUER=FILE: the JSON Web Key Set (saved from the provider's jwks_uri) that "
                    "AssumeRoleWithWebIdentity checks ID tokens of issuer ISSUER "
                    "(https://HOST[/PATH], as in the tokens' iss) with; repeatable");
  serve->add_option("--outbound-issuer", flags.outbound_issuer,
                    "URL: the issuer GetWebIdentityToken's tokens name instead of the account's "
                    "https://UUID.tokens.sts.global.api.aws; iamd serves its "
                    "/.well-known/openid-configuration and /.well-known/jwks.json, so point it "
                    "at this server (e.g. http://127.0.0.1:4599)");
  serve->add_option("--threads", flags.threads, "HTTP worker threads (0: one per core)");
  serve
      ->add_option("--max-connections", flags.max_connections,
                   "Open connections at most, all listeners together; one more is closed as "
                   "soon as it is accepted")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve->add_option("--last-used-interval", flags.last_used_seconds,
                    "Seconds between writes to disk of when roles and access keys were last used "
                    "(kept in memory in between, and written at shutdown)")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  serve->add_option("--tls-cert", flags.tls_cert,
                    "PEM file: serve HTTPS (TLS 1.2 or 1.3) on --listen with this certificate "
                    "chain (the server's certificate first); needs --tls-key; SIGHUP reads both "
                    "files again");
  serve->add_option("--tls-key", flags.tls_key,
                    "PEM file: the certificate's unencrypted private key (mode 0600, or 0640 "
                    "owned by root)");
  serve->add_flag("--quiet", flags.quiet, "Do not log each request");
  serve->add_flag("--no-io-uring", flags.no_io_uring,
                  "Serve on Asio's epoll reactor instead of io_uring (which is skipped by itself "
                  "where the kernel or a sandbox refuses it)");
  app.add_subcommand("policy", "Validate and evaluate policies offline (iamd policy --help)");
  app.add_subcommand("oidc",
                     "An OpenID Connect provider of one's own: signing keys and ID tokens for "
                     "AssumeRoleWithWebIdentity (iamd oidc --help)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*serve) return Serve(flags);
  return 0;
}
