// Boost 1.74 quirk: <utility> must come before Asio's awaitable header.
// clang-format off
#include <utility>
// clang-format on

#include "server/http_server.h"

#include <sys/types.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "server/send_batch.h"

namespace iamd::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// Everything runs on io_context executors named by their concrete type: the default
// (type-erased any_io_executor) costs a virtual dispatch and a copy at every suspension.
using Executor = net::io_context::executor_type;
template <typename T>
using Task = net::awaitable<T, Executor>;
constexpr net::use_awaitable_t<Executor> kAwait;
using Socket = net::basic_stream_socket<tcp, Executor>;
using Acceptor = net::basic_socket_acceptor<tcp, Executor>;
using Timer = net::basic_waitable_timer<std::chrono::steady_clock,
                                        net::wait_traits<std::chrono::steady_clock>, Executor>;

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
  char number[24];
  auto append_number = [&out, &number](uint64_t n) {
    out.append(number, std::to_chars(number, number + sizeof number, n).ptr);
  };
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  if (r.status == 200) {
    out += "200 OK";
  } else {
    append_number(static_cast<uint64_t>(r.status));
    out += ' ';
    out += View(http::obsolete_reason(static_cast<http::status>(r.status)));
  }
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
  append_number(r.body.size());
  if (!keep_alive)
    out += "\r\nConnection: close";
  else if (version == 10)
    out += "\r\nConnection: keep-alive";
  out += "\r\n\r\n";
}

// What one request leaves behind after parsing: copies of its request line and fields (the
// parser's views point into the read buffer, which the next read may move), and its body.
// Reused for every request of a connection, so that a keep-alive connection stops allocating
// once its buffers have grown to the size of its requests.
struct ParsedRequest {
  std::string method, target;
  unsigned version = 11;
  struct Field {
    uint32_t offset, name_size, value_size;  // name then value, at offset in field_bytes
  };
  std::string field_bytes;
  std::vector<Field> fields;  // in the order received
  std::string body;

  void Clear() {
    field_bytes.clear();
    fields.clear();
    body.clear();
  }
  // The fields as (name, value) views into field_bytes, in the order received.
  void Views(std::vector<std::pair<std::string_view, std::string_view>>& out) const {
    out.clear();
    const std::string_view all(field_bytes);
    for (const Field& f : fields)
      out.emplace_back(all.substr(f.offset, f.name_size),
                       all.substr(f.offset + f.name_size, f.value_size));
  }
};

// Beast's HTTP/1.1 request parser (framing, chunked bodies, limits, keep-alive rules) with a
// sink that copies into a ParsedRequest instead of building a `http::fields` tree: the
// tree's node per field and its ordering cost more than the rest of parsing.
class RequestParser final : public http::basic_parser<true> {
 public:
  explicit RequestParser(ParsedRequest& out) : out_(out) { out_.Clear(); }

 private:
  void on_request_impl(http::verb, beast::string_view method, beast::string_view target,
                       int version, beast::error_code&) override {
    out_.method.assign(method.data(), method.size());
    out_.target.assign(target.data(), target.size());
    out_.version = static_cast<unsigned>(version);
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}
  void on_field_impl(http::field, beast::string_view name, beast::string_view value,
                     beast::error_code&) override {
    // Sizes fit: the parser stops at header_limit (a uint32_t) bytes of header.
    out_.fields.push_back({static_cast<uint32_t>(out_.field_bytes.size()),
                           static_cast<uint32_t>(name.size()),
                           static_cast<uint32_t>(value.size())});
    // Names are stored lowercase (they are case-insensitive, RFC 9110 5.1): lookups by
    // lowercase name then match byte for byte.
    const size_t at = out_.field_bytes.size();
    out_.field_bytes.append(name.data(), name.size());
    for (size_t i = at; i < out_.field_bytes.size(); ++i) {
      char& c = out_.field_bytes[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    out_.field_bytes.append(value.data(), value.size());
  }
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<uint64_t>& length, beast::error_code&) override {
    // The parser has checked a declared length against the body limit already.
    if (length) out_.body.reserve(static_cast<size_t>(*length));
  }
  size_t on_body_impl(beast::string_view data, beast::error_code&) override {
    out_.body.append(data.data(), data.size());
    return data.size();
  }
  void on_chunk_header_impl(uint64_t, beast::string_view, beast::error_code&) override {}
  size_t on_chunk_body_impl(uint64_t, beast::string_view data, beast::error_code&) override {
    out_.body.append(data.data(), data.size());
    return data.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  ParsedRequest& out_;
};

// A fixed response that ends the connection (limits exceeded, malformed HTTP).
std::string ClosingResponse(int status, std::string_view body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + ' ';
  out += View(http::obsolete_reason(static_cast<http::status>(status)));
  out += "\r\nContent-Type: text/plain\r\nDate: ";
  out += HttpDate();
  out += "\r\nContent-Length: " + std::to_string(body.size());
  out += "\r\nConnection: close\r\n\r\n";
  out += body;
  return out;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(api::IamService& service, ServerOptions options, RequestLog log)
      : service_(service), options_(std::move(options)), log_(std::move(log)) {
    int n =
        options_.threads > 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
    for (int i = 0; i < n; ++i) contexts_.push_back(std::make_unique<Worker>(options_.io_uring));
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
    started_ = true;
    for (auto& l : listeners_) net::co_spawn(*contexts_[0]->io, Accept(*l), net::detached);
    for (auto& w : contexts_) {
      Worker* worker = w.get();
      net::co_spawn(*worker->io, Sweep(*worker), net::detached);
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
    if (!started_) {
      // Nothing ever ran: no connection to drain, no thread to join (an io_context that never
      // ran never reports stopped, so the drain loop below would wait out its timeout).
      MarkStopped();
      return;
    }
    // Stop accepting.
    net::post(*contexts_[0]->io, [this] {
      for (auto& l : listeners_) {
        boost::system::error_code ec;
        l->acceptor.close(ec);
      }
    });
    // Close idle connections and end the sweeps now; busy connections close after their
    // response.
    for (auto& w : contexts_) {
      Worker* worker = w.get();
      net::post(*worker->io, [worker] {
        worker->sweep.cancel();
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
    MarkStopped();
  }

  void Wait() {
    std::unique_lock lock(stop_mu_);
    stop_cv_.wait(lock, [this] { return stopped_; });
  }

 private:
  using Clock = std::chrono::steady_clock;

  void MarkStopped() {
    {
      std::lock_guard lock(stop_mu_);
      stopped_ = true;
    }
    stop_cv_.notify_all();
  }

  struct Session {
    explicit Session(Socket s) : socket(std::move(s)) {}
    Socket socket;
    bool busy = false;  // between a request's last byte and its response's
    // When the request being read (and then its response) must be done by; max() when the
    // connection has been closed by a sweep.
    Clock::time_point deadline = Clock::time_point::max();
    void Close() {
      boost::system::error_code ec;
      socket.shutdown(tcp::socket::shutdown_both, ec);
      socket.close(ec);
    }
  };

  // A response waiting for its thread's next batched send, and the coroutine to resume with
  // SendBatch's result.
  struct PendingSend {
    Session* session;
    std::string_view bytes;
    std::move_only_function<void(ssize_t)> done;
  };

  struct Worker {
    explicit Worker(bool io_uring) : sender(io_uring) {}
    // Declared first, destroyed last: the coroutines that io and `pending` may still own when
    // a drain times out unregister their sessions as they are destroyed.
    std::list<Session*> sessions;  // touched only on this worker's thread
    std::unique_ptr<net::io_context> io = std::make_unique<net::io_context>(1);
    std::optional<net::executor_work_guard<net::io_context::executor_type>> guard{
        net::make_work_guard(*io)};
    Timer sweep{io->get_executor()};
    // Responses ready to go; a posted FlushSends sends them all with one system call.
    SendBatch sender;
    std::vector<PendingSend> pending, flushing;
    std::vector<SendBatch::Item> items;
    std::vector<ssize_t> results;
    bool flush_posted = false;
    std::thread thread;
  };

  // Sends every pending response of the worker at once, then resumes each sender with its
  // result. A session closed meanwhile (a sweep) sends nothing: its socket no longer has a
  // descriptor, and the number may already belong to a new connection.
  static void FlushSends(Worker& worker) {
    worker.flush_posted = false;
    std::swap(worker.pending, worker.flushing);
    worker.items.clear();
    for (const PendingSend& p : worker.flushing) {
      int fd = p.session->socket.is_open() ? p.session->socket.native_handle() : -1;
      worker.items.push_back({fd, p.bytes.data(), p.bytes.size()});
    }
    worker.results.resize(worker.items.size());
    worker.sender.Send(worker.items, worker.results);
    // A resumed coroutine may queue its next response: into `pending`, not this batch.
    for (size_t i = 0; i < worker.flushing.size(); ++i) {
      auto done = std::move(worker.flushing[i].done);
      done(worker.results[i]);
    }
    worker.flushing.clear();
  }

  // Completes with SendBatch's result for `bytes` once the worker's batch is sent: after the
  // other requests of this turn of the event loop have been handled.
  template <typename Token>
  static auto AsyncBatchedSend(Worker& worker, Session& session, std::string_view bytes,
                               Token&& token) {
    return net::async_initiate<Token, void(ssize_t)>(
        [&worker, &session, bytes](auto handler) {
          worker.pending.push_back({&session, bytes, std::move(handler)});
          if (!worker.flush_posted) {
            worker.flush_posted = true;
            net::post(*worker.io, [&worker] { FlushSends(worker); });
          }
        },
        token);
  }

  struct Listener {
    explicit Listener(net::io_context& io) : acceptor(io.get_executor()) {}
    Acceptor acceptor;
    Endpoint endpoint;
    uint16_t port = 0;
  };

  Task<void> Accept(Listener& listener) {
    size_t next = 0;
    for (;;) {
      Worker& worker = *contexts_[next++ % contexts_.size()];
      boost::system::error_code ec;
      Socket socket =
          co_await listener.acceptor.async_accept(*worker.io, net::redirect_error(kAwait, ec));
      if (ec) {
        if (!listener.acceptor.is_open() || stopping_.load()) co_return;
        continue;  // e.g. EMFILE: keep serving the connections we have
      }
      socket.set_option(tcp::no_delay(true), ec);
      net::co_spawn(*worker.io, Serve(std::move(socket), listener.endpoint, worker), net::detached);
    }
  }

  // Closes the connections of `worker` whose deadline has passed. One coarse timer per thread
  // instead of one per connection: re-arming a timer for every request costs a timer-queue
  // update (and often a timerfd_settime) each time.
  Task<void> Sweep(Worker& worker) {
    auto period = std::clamp<Clock::duration>(
        options_.read_timeout / 4, std::chrono::milliseconds(50), std::chrono::seconds(1));
    for (;;) {
      worker.sweep.expires_after(period);
      boost::system::error_code ec;
      co_await worker.sweep.async_wait(net::redirect_error(kAwait, ec));
      if (ec || stopping_.load()) co_return;
      auto now = Clock::now();
      for (Session* s : worker.sessions)
        if (s->deadline <= now) {
          s->deadline = Clock::time_point::max();
          s->Close();
        }
    }
  }

  enum class ReadResult { kRequest, kClosed, kTooLarge, kMalformed };

  // Feeds what `buffer` holds to `parser`, leaving what follows the request (a pipelined one)
  // in `buffer`. A result once the request is complete or cannot be; nullopt when more bytes
  // must be read. Plain code, called from Serve's loop: a coroutine of its own would cost a
  // frame and a resumption per request.
  static std::optional<ReadResult> ParseBuffered(beast::flat_buffer& buffer,
                                                 RequestParser& parser) {
    while (buffer.size() != 0) {
      boost::system::error_code ec;
      size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (ec == http::error::body_limit || ec == http::error::header_limit)
        return ReadResult::kTooLarge;
      if (ec && ec != http::error::need_more) return ReadResult::kMalformed;
      if (parser.is_done()) return ReadResult::kRequest;
      if (used == 0) break;  // the parser needs more than the buffer holds
    }
    return std::nullopt;
  }

  Task<void> Serve(Socket socket, const Endpoint& endpoint, Worker& worker) {
    Session session(std::move(socket));
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
      auto ep = session.socket.remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    beast::flat_buffer buffer;
    ParsedRequest parsed;
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    std::string out;
    for (;;) {
      if (stopping_.load()) break;
      RequestParser parser(parsed);
      parser.eager(true);
      parser.body_limit(options_.max_body_bytes);
      parser.header_limit(static_cast<uint32_t>(options_.max_header_bytes));
      // One deadline covers reading the request and writing its response.
      session.deadline = Clock::now() + options_.read_timeout;
      // Read until the buffer holds a whole request (or the connection ends).
      ReadResult read;
      for (;;) {
        if (std::optional<ReadResult> parsed_result = ParseBuffered(buffer, parser)) {
          read = *parsed_result;
          break;
        }
        constexpr size_t kReadChunk = 8192;
        boost::system::error_code ec;
        size_t n = co_await session.socket.async_read_some(buffer.prepare(kReadChunk),
                                                           net::redirect_error(kAwait, ec));
        if (ec) {  // closed, reset, timed out by a sweep
          read = ReadResult::kClosed;
          break;
        }
        buffer.commit(n);
      }
      if (read == ReadResult::kTooLarge || read == ReadResult::kMalformed) {
        out = read == ReadResult::kTooLarge ? ClosingResponse(413, "Request too large\n")
                                            : ClosingResponse(400, "Bad request\n");
        boost::system::error_code ec;
        co_await net::async_write(session.socket, net::buffer(out),
                                  net::redirect_error(kAwait, ec));
        break;
      }
      if (read != ReadResult::kRequest) break;
      session.busy = true;
      const bool logged = log_ && options_.log_requests;
      const auto start = logged ? Clock::now() : Clock::time_point();
      std::string_view target = parsed.target;
      bool keep_alive = parser.keep_alive();

      const bool healthz = endpoint.serve_healthz && parsed.method == "GET" && target == "/healthz";
      api::HttpResponse response = [&] {
        if (healthz) {
          api::HttpResponse ok;
          ok.content_type = "text/plain";
          ok.body = "ok\n";
          return ok;
        }
        parsed.Views(headers);
        return endpoint.handle(
            api::HttpRequest{parsed.method, target, headers, parsed.body, remote});
      }();
      if (!healthz && response.wait_for != 0 && !service_.IsDurable(response.wait_for)) {
        bool ok = co_await AsyncWaitDurable(service_, response.wait_for, kAwait);
        if (!ok) response = service_.DurabilityFailure(response);
      }

      // The response is serialized by hand into one buffer and written with one call: Beast's
      // generic serializer costs more than the rest of a GetRole.
      bool keep = keep_alive && !stopping_.load();
      out.clear();
      AppendResponseHead(out, response, parsed.version, keep);
      out += response.body;
      // Sent after the other requests of this thread that arrived with this one have been
      // handled, all in one system call: a client on the same cores is then woken once for the
      // burst, instead of preempting this thread after each response (send_batch.h). What the
      // batch could not take (a full socket buffer) goes through Asio.
      bool written = true;
      {
        const ssize_t sent = co_await AsyncBatchedSend(worker, session, out, kAwait);
        if (sent < 0 && sent != -EAGAIN && sent != -EWOULDBLOCK) {
          written = false;
        } else if (size_t done = sent > 0 ? static_cast<size_t>(sent) : 0; done != out.size()) {
          boost::system::error_code ec;
          co_await net::async_write(session.socket, net::buffer(std::string_view(out).substr(done)),
                                    net::redirect_error(kAwait, ec));
          written = !ec;
        }
      }
      session.busy = false;
      if (logged) {
        auto micros =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
        log_(LogEntry{endpoint.name, parsed.method, target, response.action, response.caller,
                      response.request_id, remote, response.status, micros});
      }
      if (!written || !keep) break;
    }
    session.deadline = Clock::time_point::max();
    boost::system::error_code ec;
    session.socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  api::IamService& service_;
  ServerOptions options_;
  RequestLog log_;
  std::vector<std::unique_ptr<Worker>> contexts_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::atomic<bool> stopping_{false};
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  std::atomic<bool> started_{false};  // Stop() may run on another thread than Start()
  bool stop_requested_ = false;
  bool stopped_ = false;
};

HttpServer::HttpServer(api::IamService& service, ServerOptions options, RequestLog log)
    : impl_(std::make_unique<Impl>(service, std::move(options), std::move(log))) {}
HttpServer::~HttpServer() { Stop(); }
Status HttpServer::AddEndpoint(Endpoint endpoint) {
  return impl_->AddEndpoint(std::move(endpoint));
}
uint16_t HttpServer::port(size_t index) const { return impl_->port(index); }
void HttpServer::Start() { impl_->Start(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Wait() { impl_->Wait(); }

}  // namespace iamd::server
