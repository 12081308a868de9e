// Boost 1.74 quirk: <utility> must come before Asio's awaitable header.
#include <utility>

#include "server/http_server.h"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <ctime>
#include <list>
#include <mutex>
#include <thread>

namespace iamd::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

// Completes with true once `seq` is durable, false if it was lost; resumes on the caller's
// executor.
template <typename Token>
auto AsyncWaitDurable(api::IamService& service, uint64_t seq, Token&& token) {
  return net::async_initiate<Token, void(bool)>(
      [&service, seq](auto handler) {
        auto executor = net::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        service.WhenDurable(seq, [shared, executor](bool ok) {
          net::post(executor, [shared, ok]() { (*shared)(ok); });
        });
      },
      token);
}

// "Date: Sat, 28 Nov 2026 00:42:45 GMT", formatted once per second per thread.
std::string_view HttpDate() {
  thread_local time_t cached_second = 0;
  thread_local char buf[64];
  thread_local size_t len = 0;
  time_t now = ::time(nullptr);
  if (now != cached_second) {
    struct tm tm;
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {buf, len};
}

void AppendResponseHead(std::string& out, const api::HttpResponse& r, unsigned version,
                        bool keep_alive) {
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  std::string_view reason = View(http::obsolete_reason(static_cast<http::status>(r.status)));
  out += reason;
  out += "\r\nContent-Type: ";
  out += r.content_type;
  if (!r.request_id.empty()) {
    out += "\r\nx-amzn-RequestId: ";
    out += r.request_id;
  }
  for (const auto& [name, value] : r.extra_headers) {
    out += "\r\n";
    out += name;
    out += ": ";
    out += value;
  }
  out += "\r\nDate: ";
  out += HttpDate();
  out += "\r\nContent-Length: ";
  out += std::to_string(r.body.size());
  if (!keep_alive)
    out += "\r\nConnection: close";
  else if (version == 10)
    out += "\r\nConnection: keep-alive";
  out += "\r\n\r\n";
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(api::IamService& service, ServerOptions options, RequestLog log)
      : service_(service), options_(std::move(options)), log_(std::move(log)) {
    int n = options_.threads > 0 ? options_.threads
                                 : std::max(1u, std::thread::hardware_concurrency());
    for (int i = 0; i < n; ++i) contexts_.push_back(std::make_unique<Worker>());
  }

  Status AddEndpoint(Endpoint endpoint) {
    auto listener = std::make_unique<Listener>(*contexts_[0]->io);
    listener->endpoint = std::move(endpoint);
    boost::system::error_code ec;
    auto address = net::ip::make_address(listener->endpoint.host, ec);
    if (ec)
      return Fail(ErrorCode::kServiceFailure, "bad listen address " + listener->endpoint.host);
    tcp::endpoint ep(address, listener->endpoint.port);
    auto& acc = listener->acceptor;
    acc.open(ep.protocol(), ec);
    if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acc.bind(ep, ec);
    if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return Fail(ErrorCode::kServiceFailure, "cannot listen on " + listener->endpoint.host + ":" +
                                                  std::to_string(listener->endpoint.port) + ": " +
                                                  ec.message());
    listener->port = acc.local_endpoint().port();
    listeners_.push_back(std::move(listener));
    return {};
  }

  uint16_t port(size_t index) const {
    return index < listeners_.size() ? listeners_[index]->port : 0;
  }

  void Start() {
    for (auto& l : listeners_)
      net::co_spawn(*contexts_[0]->io, Accept(*l), net::detached);
    for (auto& w : contexts_) {
      Worker* worker = w.get();
      worker->thread = std::thread([worker] { worker->io->run(); });
    }
  }

  void Stop() {
    {
      std::lock_guard lock(stop_mu_);
      if (stop_requested_) return;
      stop_requested_ = true;
    }
    stopping_.store(true);
    // Stop accepting.
    net::post(*contexts_[0]->io, [this] {
      for (auto& l : listeners_) {
        boost::system::error_code ec;
        l->acceptor.close(ec);
      }
    });
    // Close idle connections now; busy ones close after their response.
    for (auto& w : contexts_) {
      Worker* worker = w.get();
      net::post(*worker->io, [worker] {
        for (Session* s : worker->sessions)
          if (!s->busy) s->Close();
      });
    }
    // Let the work guard go: each context ends when its sessions are done.
    for (auto& w : contexts_) w->guard.reset();
    auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
    for (auto& w : contexts_) {
      while (!w->io->stopped() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      w->io->stop();
      if (w->thread.joinable()) w->thread.join();
    }
    {
      std::lock_guard lock(stop_mu_);
      stopped_ = true;
    }
    stop_cv_.notify_all();
  }

  void Wait() {
    std::unique_lock lock(stop_mu_);
    stop_cv_.wait(lock, [this] { return stopped_; });
  }

 private:
  struct Session {
    beast::tcp_stream* stream = nullptr;
    bool busy = false;
    void Close() {
      boost::system::error_code ec;
      stream->socket().shutdown(tcp::socket::shutdown_both, ec);
      stream->socket().close(ec);
    }
  };

  struct Worker {
    std::unique_ptr<net::io_context> io = std::make_unique<net::io_context>(1);
    std::optional<net::executor_work_guard<net::io_context::executor_type>> guard{
        net::make_work_guard(*io)};
    std::list<Session*> sessions;  // touched only on this worker's thread
    std::thread thread;
  };

  struct Listener {
    explicit Listener(net::io_context& io) : acceptor(io) {}
    tcp::acceptor acceptor;
    Endpoint endpoint;
    uint16_t port = 0;
  };

  net::awaitable<void> Accept(Listener& listener) {
    size_t next = 0;
    for (;;) {
      Worker& worker = *contexts_[next++ % contexts_.size()];
      boost::system::error_code ec;
      tcp::socket socket = co_await listener.acceptor.async_accept(
          *worker.io, net::redirect_error(net::use_awaitable, ec));
      if (ec) {
        if (!listener.acceptor.is_open() || stopping_.load()) co_return;
        continue;  // e.g. EMFILE: keep serving the connections we have
      }
      socket.set_option(tcp::no_delay(true), ec);
      net::co_spawn(*worker.io, Serve(std::move(socket), listener.endpoint, worker),
                    net::detached);
    }
  }

  net::awaitable<void> Serve(tcp::socket socket, const Endpoint& endpoint, Worker& worker) {
    beast::tcp_stream stream(std::move(socket));
    Session session{&stream};
    worker.sessions.push_back(&session);
    // Unregistered however the coroutine ends, so that Stop() never closes a dead session.
    struct Unregister {
      std::list<Session*>& sessions;
      std::list<Session*>::iterator it;
      ~Unregister() { sessions.erase(it); }
    } unregister{worker.sessions, std::prev(worker.sessions.end())};
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    beast::flat_buffer buffer;
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    std::string out;
    for (;;) {
      if (stopping_.load()) break;
      http::request_parser<http::string_body> parser;
      parser.body_limit(options_.max_body_bytes);
      parser.header_limit(static_cast<uint32_t>(options_.max_header_bytes));
      // One deadline covers reading the request and writing its response.
      stream.expires_after(options_.read_timeout);
      boost::system::error_code ec;
      co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        co_await WriteSimple(stream, http::status::payload_too_large, "Request too large\n");
        break;
      }
      if (ec) break;  // closed, timed out, or malformed HTTP
      session.busy = true;
      auto start = std::chrono::steady_clock::now();
      http::request<http::string_body>& req = parser.get();
      std::string_view target = View(req.target());
      bool keep_alive = req.keep_alive();

      api::HttpResponse response;
      if (endpoint.serve_healthz && req.method() == http::verb::get && target == "/healthz") {
        response.status = 200;
        response.content_type = "text/plain";
        response.body = "ok\n";
      } else {
        headers.clear();
        for (const auto& field : req) headers.emplace_back(View(field.name_string()), View(field.value()));
        api::HttpRequest request{View(req.method_string()), target, headers, req.body(), remote};
        response = endpoint.handle(request);
        if (response.wait_for != 0 && !service_.IsDurable(response.wait_for)) {
          bool ok = co_await AsyncWaitDurable(service_, response.wait_for, net::use_awaitable);
          if (!ok) response = service_.DurabilityFailure(response);
        }
      }

      // The response is serialized by hand into one buffer and written with one call: Beast's
      // generic serializer costs more than the rest of a GetRole.
      bool keep = keep_alive && !stopping_.load();
      out.clear();
      AppendResponseHead(out, response, req.version(), keep);
      out += response.body;
      co_await net::async_write(stream, net::buffer(out), net::redirect_error(net::use_awaitable, ec));
      session.busy = false;
      if (log_ && options_.log_requests) {
        auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
        log_(LogEntry{endpoint.name, View(req.method_string()), target, response.action,
                      response.caller, response.request_id, remote, response.status, micros});
      }
      if (ec || !keep) break;
    }
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  static net::awaitable<void> WriteSimple(beast::tcp_stream& stream, http::status status,
                                          std::string body) {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::content_type, "text/plain");
    res.keep_alive(false);
    res.body() = std::move(body);
    res.prepare_payload();
    boost::system::error_code ec;
    co_await http::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
  }

  api::IamService& service_;
  ServerOptions options_;
  RequestLog log_;
  std::vector<std::unique_ptr<Worker>> contexts_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::atomic<bool> stopping_{false};
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_requested_ = false;
  bool stopped_ = false;
};

HttpServer::HttpServer(api::IamService& service, ServerOptions options, RequestLog log)
    : impl_(std::make_unique<Impl>(service, std::move(options), std::move(log))) {}
HttpServer::~HttpServer() { Stop(); }
Status HttpServer::AddEndpoint(Endpoint endpoint) { return impl_->AddEndpoint(std::move(endpoint)); }
uint16_t HttpServer::port(size_t index) const { return impl_->port(index); }
void HttpServer::Start() { impl_->Start(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Wait() { impl_->Wait(); }

}  // namespace iamd::server
