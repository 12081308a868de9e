// iamd's HTTP server with nothing behind it: the server iamd runs (the same io_uring loop,
// Beast's parser, keep-alive and response head), answering every request with the bytes of one
// file, as nginx does in bench/http/getrole.sh. No signature is checked and no IAM work done.
// It measures how far the HTTP layer alone goes on this machine: the difference between it and
// iamd in one getrole.sh run (CEILING=1) is what the request's own work (SigV4, authorization,
// the model, the XML) costs in throughput.
//
// Usage: iamd-http-ceiling PORT BODY_FILE [REQUEST_ID]
//   Listens on 127.0.0.1:PORT until SIGTERM or SIGINT; sends x-amzn-RequestId: REQUEST_ID with
//   every response if given (as getrole.sh's nginx does).
// Not a server to deploy: it answers anyone with the file.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "api/service.h"
#include "common/clock.h"
#include "common/ids.h"
#include "server/http_server.h"
#include "store/store.h"

namespace {

using namespace iamd;  // NOLINT: benchmark translation unit

int Run(uint16_t port, const std::string& body, const std::string& request_id) {
  // HttpServer answers durability waits through an IamService; this one is never called for a
  // request, and its store lives in a temporary folder removed at exit.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("iamd-http-ceiling-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  struct Remove {
    std::filesystem::path dir;
    ~Remove() { std::filesystem::remove_all(dir); }
  } remove{dir};
  auto store = store::OpenSqliteStore((dir / "iamd.db").string(), {.durable = false});
  if (!store) {
    std::cerr << "iamd-http-ceiling: " << store.error().message << "\n";
    return 1;
  }
  SystemClock clock;
  RandomIdSource ids;
  api::ServiceConfig config;
  config.root_access_key_id = "AKIAIOSFODNN7EXAMPLE";
  config.root_secret_access_key = "unused-unused-unused-unused-unused-unused";
  config.master_key = std::string(32, 'c');
  auto service = api::IamService::Create(config, std::move(*store), clock, ids);
  if (!service) {
    std::cerr << "iamd-http-ceiling: " << service.error().message << "\n";
    return 1;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  server::ServerOptions options;
  options.log_requests = false;
  server::HttpServer http(**service, options, [](const server::LogEntry&) {});
  server::Endpoint endpoint;
  endpoint.port = port;
  endpoint.handle = [&body, &request_id](const api::HttpRequest&) {
    api::HttpResponse r;
    r.body = body;
    r.request_id = request_id;
    return r;
  };
  if (auto s = http.AddEndpoint(std::move(endpoint)); !s) {
    std::cerr << "iamd-http-ceiling: " << s.error().message << "\n";
    return 1;
  }
  http.Start();
  int sig = 0;
  sigwait(&signals, &sig);
  http.Stop();
  http.Wait();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: iamd-http-ceiling PORT BODY_FILE [REQUEST_ID]\n";
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::cerr << "iamd-http-ceiling: cannot read " << argv[2] << "\n";
    return 1;
  }
  std::ostringstream body;
  body << in.rdbuf();
  return Run(static_cast<uint16_t>(std::stoi(argv[1])), body.str(), argc == 4 ? argv[3] : "");
}
