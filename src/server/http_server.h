// The HTTP/1.1 front end: the only module that includes Boost.Beast/Asio (keep it out of this
// header: a file that includes Beast takes ~20 s to compile).
//
// One listener per endpoint; connections are spread over the worker threads, each of which runs
// its own event loop: io_uring where the kernel has it (uring.h), else an Asio io_context, where
// each connection is a coroutine. An endpoint may serve HTTPS (Endpoint::tls: TLS 1.2 or 1.3,
// OpenSSL); a server with any such endpoint runs all its threads on Asio. Either way keep-alive (and pipelined) requests of a
// connection are served in order. A response
// that shows not-yet-durable state waits for the group commit before it is written. The handler
// sees header names lowercase (values as sent).
//
// Limits: a header block over `max_header_bytes` or a body over `max_body_bytes` gets 413 and
// the connection is closed; malformed HTTP gets 400 and is closed; a connection that has not
// finished a request and its response within `read_timeout` of starting to wait for it (idle
// keep-alive included) is closed, give or take a quarter of the timeout (at most 1 s).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/service.h"
#include "common/error.h"

namespace iamd::server {

// Handles one request. Must be thread-safe.
using RequestHandler = std::function<api::HttpResponse(const api::HttpRequest&)>;

// The PEM files an HTTPS endpoint serves with: the certificate chain (the server's certificate
// first, then the intermediates, as nginx's ssl_certificate) and its unencrypted private key.
// Both are read whole when loaded (AddEndpoint, ReloadTls); neither is kept open.
struct TlsFiles {
  std::string certificate_chain;
  std::string private_key;
};

// Whether `files` make a usable HTTPS endpoint, as AddEndpoint would load them (regular files;
// the key owned by this user with mode 0600 at most, or by root with 0640 at most, and not
// encrypted; the key the certificate's), for checking a configuration before anything
// listens. Errors: ServiceFailure naming the file and what is wrong.
Status CheckTlsFiles(const TlsFiles& files);

struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port (see HttpServer::port)
  RequestHandler handle;
  bool serve_healthz = true;  // GET /healthz -> 200 ok
  std::string name = "api";   // for logs
  // HTTPS with these files; plain HTTP when empty. The handler sees
  // HttpRequest::secure_transport true for the requests of an HTTPS endpoint.
  std::optional<TlsFiles> tls;
};

struct ServerOptions {
  // Worker threads, each with its own connections; 0: one per core. On io_uring a new
  // connection goes to the worker whose index is the CPU its packets arrive on
  // (SO_INCOMING_CPU, modulo `threads`), unless that worker already has 4 more connections
  // than the least loaded one (then to that one); on Asio, and where the kernel does not say,
  // in turn.
  int threads = 0;
  size_t max_body_bytes = 2 << 20;
  size_t max_header_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};  // for a whole request, and idle keep-alive
  std::chrono::seconds drain_timeout{10};
  // Open connections at most, all endpoints together; a connection beyond it is closed as soon
  // as it is accepted, before it costs more than its descriptor (a TLS handshake holds ~90 KiB).
  size_t max_connections = 10000;
  bool log_requests = true;
  // Run each worker thread's sockets on io_uring: one system call per turn of its loop for
  // all the receives, sends and accepts in it; one multishot receive per connection, into the
  // thread's shared receive buffers (Linux 6.0 or later, where io_uring is not refused, and
  // not under valgrind). Else, and when false, on Asio's epoll reactor, with each
  // thread's ready responses sent by one io_uring submission where the kernel allows it, else
  // one send() each.
  bool io_uring = true;
};

// One line of the request log, written by `RequestLog`.
struct LogEntry {
  std::string_view endpoint, method, target, action, caller, request_id, remote;
  int status;
  int64_t micros;
};
using RequestLog = std::function<void(const LogEntry&)>;

class HttpServer {
 public:
  // `service` answers durability waits for the responses of every endpoint; it must outlive
  // the server.
  HttpServer(api::IamService& service, ServerOptions options, RequestLog log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (with Endpoint::tls: loads the certificate chain and key, and checks they
  // match). Errors: ServiceFailure naming the address or the file and what is wrong with it.
  // Call before Start().
  Status AddEndpoint(Endpoint endpoint);
  // The port endpoint `index` listens on (after AddEndpoint).
  uint16_t port(size_t index = 0) const;

  // Loads the certificate chain and key of every HTTPS endpoint again from its files (after a
  // certificate was renewed): connections accepted from then on use them, open ones keep
  // theirs. All or nothing: on an error (ServiceFailure naming the file and what is wrong)
  // every endpoint keeps what it had. Callable from any thread, before or after Start(), but
  // not while AddEndpoint runs.
  Status ReloadTls();

  // Whether the worker threads run on io_uring (ServerOptions::io_uring); false until Start().
  bool runs_on_io_uring() const;

  // Starts the worker threads; returns at once.
  void Start();
  // Stops accepting, lets requests in flight finish (up to drain_timeout), closes idle
  // connections, and joins the threads. Idempotent; callable from any thread but a worker.
  void Stop();
  // Blocks until Stop() has completed.
  void Wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iamd::server
