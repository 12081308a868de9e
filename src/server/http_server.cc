// Boost 1.74 quirk: <utility> must come before Asio's awaitable header.
// clang-format off
#include <utility>
// clang-format on

#include "server/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "server/send_batch.h"
#include "server/uring.h"

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
// A TLS connection, over the session's own socket (which the sweeps and Stop() close).
using TlsStream = net::ssl::stream<Socket&>;
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

// Valgrind does not model io_uring (the kernel fills the rings behind its back, and a process
// under it was seen stuck in the kernel on exit): under valgrind, whose preload library is in
// LD_PRELOAD, the server runs on Asio.
bool UnderValgrind() {
  const char* preload = std::getenv("LD_PRELOAD");
  return preload != nullptr && std::strstr(preload, "vgpreload") != nullptr;
}

// Reads a PEM file of an HTTPS endpoint without ever blocking: opened non-blocking (a FIFO or
// a terminal would wait for a writer), it must be a regular file, of at most 1 MiB. A private
// key (`secret`) must also be out of other users' reach, by PostgreSQL's rule for its server
// key (src/backend/libpq/be-secure-common.c, check_ssl_key_file_permissions): owned by the
// user iamd runs as with no access for group or others (0600), or owned by root with at most
// read access for the group (0640, as Debian's ssl-cert group has /etc/ssl/private). The
// check and the read use one descriptor, so what was checked is what is read.
Result<std::string> ReadPemFile(const std::string& path, const std::string& what, bool secret) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return Fail(ErrorCode::kServiceFailure, what + " " + path + ": " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return Fail(ErrorCode::kServiceFailure, what + " " + path + " is not a regular file");
  if (secret) {
    if (st.st_uid != ::geteuid() && st.st_uid != 0)
      return Fail(ErrorCode::kServiceFailure,
                  what + " " + path + " must be owned by the user iamd runs as, or by root");
    const mode_t allowed = st.st_uid == 0 ? 0640 : 0600;
    if ((st.st_mode & 0777 & ~allowed) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 0777));
      return Fail(ErrorCode::kServiceFailure,
                  what + " " + path + " has mode " + mode +
                      ": others can read or change it; chmod 600 it (640 if root owns it)");
    }
  }
  constexpr off_t kMaxPemBytes = 1 << 20;
  if (st.st_size > kMaxPemBytes)
    return Fail(ErrorCode::kServiceFailure, what + " " + path + " is larger than 1 MiB");
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return Fail(ErrorCode::kServiceFailure, what + " " + path + ": " + std::strerror(errno));
    if (n == 0) break;  // shrank while being read
    got += static_cast<size_t>(n);
  }
  text.resize(got);
  return text;
}

// The TLS settings of an HTTPS endpoint: TLS 1.2 and 1.3 only (AWS's own endpoints have
// required TLS 1.2 at least since 2024); key exchange by elliptic-curve Diffie-Hellman only,
// on X25519, P-256 or P-384 (TLS 1.3 would otherwise let a client pick a finite-field group
// such as ffdhe8192, which costs the server ~120 ms of CPU per handshake); for TLS 1.2 AEAD
// ciphers (AES-GCM or ChaCha20-Poly1305; TLS 1.3's suites are all of that kind) in the
// server's order of preference; no compression, no renegotiation; record buffers released
// while a connection is idle (as nginx does). The key is never asked for a passphrase.
Result<std::unique_ptr<net::ssl::context>> LoadTls(const TlsFiles& files) {
  auto chain = ReadPemFile(files.certificate_chain, "TLS certificate chain", false);
  if (!chain) return std::unexpected(std::move(chain).error());
  auto key = ReadPemFile(files.private_key, "TLS private key", true);
  if (!key) return std::unexpected(std::move(key).error());
  // PKCS #8's encrypted form, or the traditional form's Proc-Type header (RFC 1421 4.6.1.1).
  if (key->find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos ||
      key->find("Proc-Type: 4,ENCRYPTED") != std::string::npos)
    return Fail(ErrorCode::kServiceFailure,
                "TLS private key " + files.private_key +
                    " is encrypted: give iamd the key unencrypted (openssl pkey -in KEY -out "
                    "PLAIN.pem)");
  auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1 ||
      SSL_CTX_set1_groups_list(native, "X25519:P-256:P-384") != 1) {
    ERR_clear_error();
    return Fail(ErrorCode::kServiceFailure, "TLS: this OpenSSL lacks the ciphers or groups");
  }
  ctx->set_password_callback(
      [](size_t, net::ssl::context::password_purpose) { return std::string(); });
  boost::system::error_code ec;
  ctx->use_certificate_chain(net::buffer(*chain), ec);
  if (ec) {
    ERR_clear_error();
    return Fail(ErrorCode::kServiceFailure,
                "TLS certificate chain " + files.certificate_chain +
                    (chain->find("-----BEGIN CERTIFICATE-----") == std::string::npos
                         ? " holds no PEM certificate"
                         : ": " + ec.message()));
  }
  // OpenSSL checks the key against the certificate as it loads it (X509_check_private_key).
  ctx->use_private_key(net::buffer(*key), net::ssl::context::pem, ec);
  const bool mismatch =
      (ec && ec.category() == net::error::get_ssl_category() &&
       ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) ||
      (!ec && SSL_CTX_check_private_key(native) != 1);
  ERR_clear_error();
  if (mismatch)
    return Fail(ErrorCode::kServiceFailure, "TLS private key " + files.private_key +
                                                " does not match the certificate of " +
                                                files.certificate_chain);
  if (ec)
    return Fail(ErrorCode::kServiceFailure, "TLS private key " + files.private_key +
                                                (key->find("PRIVATE KEY-----") == std::string::npos
                                                     ? " holds no PEM private key"
                                                     : ": " + ec.message()));
  return ctx;
}

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
    if (listener->endpoint.tls) {
      auto tls = LoadTls(*listener->endpoint.tls);
      if (!tls) return std::unexpected(std::move(tls).error());
      listener->tls = std::move(*tls);
    }
    std::lock_guard lock(tls_mu_);
    listeners_.push_back(std::move(listener));
    return {};
  }

  // The files are read with no lock held (accepting goes on meanwhile); the lock covers only
  // the swap. listeners_ itself changes only in AddEndpoint, before Start().
  Status ReloadTls() {
    std::vector<std::shared_ptr<net::ssl::context>> loaded;
    for (const auto& l : listeners_) {
      if (!l->endpoint.tls) continue;
      auto tls = LoadTls(*l->endpoint.tls);
      if (!tls) return std::unexpected(std::move(tls).error());
      loaded.push_back(std::move(*tls));
    }
    std::lock_guard lock(tls_mu_);
    size_t next = 0;
    for (const auto& l : listeners_)
      if (l->endpoint.tls) l->tls = std::move(loaded[next++]);
    return {};
  }

  bool runs_on_io_uring() const { return on_ring_.load(); }

  uint16_t port(size_t index) const {
    return index < listeners_.size() ? listeners_[index]->port : 0;
  }

  void Start() {
    started_ = true;
    // TLS runs on Asio's reactor (OpenSSL reads and writes through Asio's SSL stream); a server
    // with an HTTPS endpoint runs all its threads there.
    const bool any_tls = std::any_of(listeners_.begin(), listeners_.end(),
                                     [](const auto& l) { return l->endpoint.tls.has_value(); });
    if (options_.io_uring && !UnderValgrind() && !any_tls && StartRings()) return;
    for (auto& l : listeners_) net::co_spawn(*contexts_[0]->io, Accept(*l), net::detached);
    for (auto& w : contexts_) {
      Worker* worker = w.get();
      worker->sender.emplace(options_.io_uring);
      net::co_spawn(*worker->io, Sweep(*worker), net::detached);
      worker->thread = std::thread([worker] { worker->io->run(); });
    }
  }

  // Starts one io_uring loop per worker thread, on a ring the thread opens itself (a ring
  // belongs to one thread). All or none: false, with no thread left, if any thread could not
  // open one.
  bool StartRings() {
    std::promise<bool> go;
    std::shared_future<bool> go_future = go.get_future().share();
    std::vector<std::future<bool>> opened;
    for (auto& w : contexts_) {
      Worker* worker = w.get();
      std::promise<bool> open;
      opened.push_back(open.get_future());
      worker->thread = std::thread([this, worker, open = std::move(open), go_future]() mutable {
        worker->ring = worker->wake_fd >= 0
                           ? Uring::Open(kRingEntries, kReceiveBuffers, kReceiveBufferSize)
                           : nullptr;
        open.set_value(worker->ring != nullptr);
        if (go_future.get())
          RunRing(*worker);
        else
          worker->ring.reset();
      });
    }
    bool all = true;
    for (auto& f : opened) all = f.get() && all;
    on_ring_.store(all);
    go.set_value(all);
    if (!all)
      for (auto& w : contexts_) w->thread.join();
    return all;
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
    if (on_ring_.load()) {
      // Each ring loop stops accepting, closes its idle connections and ends when its busy
      // ones have answered; past the drain timeout it ends anyway.
      for (auto& w : contexts_) Wake(*w, {});
      auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
      for (auto& w : contexts_) {
        while (!w->ring_done.load() && std::chrono::steady_clock::now() < deadline)
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        w->ring_force.store(true);
        Wake(*w, {});
        if (w->thread.joinable()) w->thread.join();
      }
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

  // A connection served by a worker's io_uring loop (RunRing). Lives in the worker's list
  // until it is closed and the kernel holds none of its operations.
  struct Conn {
    int fd = -1;
    const Endpoint* endpoint = nullptr;
    std::list<Conn>::iterator self;
    std::string remote;
    beast::flat_buffer buffer;
    ParsedRequest parsed;
    std::optional<RequestParser> parser;
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    api::HttpResponse response;  // being sent, for the log
    std::string out;             // the response's bytes
    size_t sent = 0;
    Clock::time_point start, deadline = Clock::time_point::max();
    bool busy = false;        // between a request's last byte and its response's
    bool receiving = false;   // its multishot receive is armed
    bool pausing = false;     // and cancelled: too much is buffered (Received)
    bool sending = false;     // a send is queued
    bool peer_closed = false;  // the receive saw the end of the peer's bytes
    bool waiting = false;     // for the durability of its response
    bool closed = false;
    bool close_after_send = false;
    bool in_kernel() const { return receiving || sending; }
  };

  // A message from another thread to a ring loop.
  struct Message {
    enum class Kind { kWake, kConnection, kDurable } kind = Kind::kWake;
    int fd = -1;                         // kConnection
    const Endpoint* endpoint = nullptr;  // kConnection
    Conn* conn = nullptr;                // kDurable
    bool ok = false;                     // kDurable
  };

  struct Worker {
    Worker() = default;
    ~Worker() {
      for (const Message& m : inbox)  // handed over after this worker's loop ended
        if (m.kind == Message::Kind::kConnection) ::close(m.fd);
      if (wake_fd >= 0) ::close(wake_fd);
    }
    // The io_uring loop's state (RunRing); null ring: the worker runs Asio's io_context.
    std::unique_ptr<Uring> ring;
    std::list<Conn> conns;                          // touched only on this worker's thread
    std::vector<std::list<Conn>::iterator> closed;  // to free once the kernel is done with them
    int wake_fd = ::eventfd(0, EFD_CLOEXEC);
    uint64_t wake_count = 0;  // the eventfd read's buffer
    std::mutex inbox_mu;
    std::vector<Message> inbox, inbox_taken;
    std::atomic<bool> ring_done{false}, ring_force{false};
    size_t next_worker = 0;  // worker 0: the next in turn for an accepted connection
    // Connections handed to this worker and not yet freed (PickWorker's balance).
    std::atomic<size_t> open{0};
    std::vector<size_t> accepts_paused;  // worker 0: listeners to accept on again at the sweep

    // Declared first, destroyed last: the coroutines that io and `pending` may still own when
    // a drain times out unregister their sessions as they are destroyed.
    std::list<Session*> sessions;  // touched only on this worker's thread
    std::unique_ptr<net::io_context> io = std::make_unique<net::io_context>(1);
    std::optional<net::executor_work_guard<net::io_context::executor_type>> guard{
        net::make_work_guard(*io)};
    Timer sweep{io->get_executor()};
    // Responses ready to go; a posted FlushSends sends them all with one system call.
    std::optional<SendBatch> sender;  // made when the worker starts on Asio
    std::vector<PendingSend> pending, flushing;
    std::vector<SendBatch::Item> items;
    std::vector<ssize_t> results;
    bool flush_posted = false;
    std::thread thread;
  };

  // ---- The io_uring loop: one per worker thread, where the kernel has io_uring ----
  //
  // Each turn submits every operation queued since the last turn (the receives and sends of
  // all connections of this thread) and waits for completions in one system call; requests
  // that completed are handled at once and their responses queued for the next turn. Worker 0
  // accepts for every listener and hands connections out in turn. Other threads reach a loop
  // through its inbox and eventfd (new connections, durable writes, Stop).

  enum Op : uint64_t { kRecv = 1, kSend = 2, kAccept = 3, kWakeUp = 4 };
  static constexpr unsigned kRingEntries = 1024;
  // How many more connections than the least loaded worker PickWorker lets a worker have.
  static constexpr size_t kSteerSlack = 4;
  // Each thread's receive buffers, shared by its connections: a buffer holds one arrival of
  // bytes only until the loop has copied them to their connection (the same turn), so the
  // buffers in use at once are about the connections that became readable in one turn.
  // Running out is harmless (the receives that found none are armed again the same turn).
  static constexpr unsigned kReceiveBuffers = 64, kReceiveBufferSize = 2048;
  static uint64_t Tag(Conn& c, Op op) { return reinterpret_cast<uintptr_t>(&c) | op; }

  static void Wake(Worker& worker, Message message) {
    {
      std::lock_guard lock(worker.inbox_mu);
      worker.inbox.push_back(message);
    }
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(worker.wake_fd, &one, sizeof one);
  }

  void RunRing(Worker& worker) {
    Uring& ring = *worker.ring;
    ring.Read(worker.wake_fd, &worker.wake_count, sizeof worker.wake_count, kWakeUp);
    if (&worker == contexts_[0].get())
      for (size_t i = 0; i < listeners_.size(); ++i)
        ring.Accept(listeners_[i]->acceptor.native_handle(), (i << 3) | kAccept);
    const auto period = std::clamp<Clock::duration>(
        options_.read_timeout / 4, std::chrono::milliseconds(50), std::chrono::seconds(1));
    auto next_sweep = Clock::now() + period;
    bool stop_seen = false;
    std::vector<Uring::Completion> done;
    while (!worker.ring_force.load(std::memory_order_relaxed)) {
      if (stop_seen && worker.conns.empty()) break;
      done.clear();
      auto wait = next_sweep - Clock::now();
      int rc = ring.SubmitAndWait(std::max<Clock::duration>(wait, Clock::duration(1)), done);
      if (rc == -EINTR || rc == -EAGAIN || rc == -EBUSY) continue;  // try again
      if (rc < 0) {
        // Not seen once a ring has passed Uring::Open's round trip; if it happens, this thread's
        // connections end (the others' go on).
        std::fprintf(stderr,
                     "iamd: io_uring_enter failed (%s); closing this thread's connections\n",
                     std::strerror(-rc));
        break;
      }
      for (const Uring::Completion& c : done) Complete(worker, c);
      if (!stop_seen && stopping_.load()) {
        stop_seen = true;
        if (&worker == contexts_[0].get())
          for (size_t i = 0; i < listeners_.size(); ++i) {
            ring.Cancel((i << 3) | kAccept);
            boost::system::error_code ec;
            listeners_[i]->acceptor.close(ec);  // refuses new connections from now on
          }
        for (Conn& c : worker.conns)
          if (!c.busy) CloseConn(worker, c);
      }
      if (auto now = Clock::now(); now >= next_sweep) {
        next_sweep = now + period;
        for (Conn& c : worker.conns)
          if (c.deadline <= now) CloseConn(worker, c);
        if (!stop_seen)
          for (size_t index : worker.accepts_paused)
            ring.Accept(listeners_[index]->acceptor.native_handle(), (index << 3) | kAccept);
        worker.accepts_paused.clear();
      }
      FreeClosed(worker);
    }
    // Leave the kernel nothing that points into this thread's connections, then close them.
    for (Conn& c : worker.conns) {
      if (!c.closed) ::shutdown(c.fd, SHUT_RDWR);
      c.closed = true;
      if (c.receiving) ring.Cancel(Tag(c, kRecv));
      if (c.sending) ring.Cancel(Tag(c, kSend));
    }
    const auto give_up = Clock::now() + std::chrono::seconds(1);
    auto busy = [&worker] {
      return std::any_of(worker.conns.begin(), worker.conns.end(),
                         [](const Conn& c) { return c.in_kernel(); });
    };
    while (busy() && Clock::now() < give_up) {
      done.clear();
      if (ring.SubmitAndWait(std::chrono::milliseconds(50), done) < 0) break;
      for (const Uring::Completion& c : done) {
        ring.ReleaseBuffer(c.buffer);
        Conn* conn = reinterpret_cast<Conn*>(c.tag & ~uint64_t{7});
        if (const uint64_t op = c.tag & 7; op == kRecv && !c.more)
          conn->receiving = false;
        else if (op == kSend)
          conn->sending = false;
      }
    }
    worker.ring.reset();
    for (Conn& c : worker.conns) ::close(c.fd);
    worker.conns.clear();
    worker.closed.clear();
    worker.ring_done.store(true);
  }

  void Complete(Worker& worker, const Uring::Completion& c) {
    const uint64_t op = c.tag & 7;
    if (c.tag == 0) return;  // a cancellation's own completion
    if (op == kWakeUp) {
      {
        std::lock_guard lock(worker.inbox_mu);
        std::swap(worker.inbox, worker.inbox_taken);
      }
      for (const Message& m : worker.inbox_taken) {
        if (m.kind == Message::Kind::kConnection) AddConn(worker, m.fd, *m.endpoint);
        if (m.kind == Message::Kind::kDurable) Durable(worker, *m.conn, m.ok);
      }
      worker.inbox_taken.clear();
      worker.ring->Read(worker.wake_fd, &worker.wake_count, sizeof worker.wake_count, kWakeUp);
      return;
    }
    if (op == kAccept) {
      const size_t index = c.tag >> 3;
      if (c.result >= 0) {
        if (stopping_.load() || !Admit()) {
          ::close(c.result);
        } else {
          Worker& to = PickWorker(worker, c.result);
          to.open.fetch_add(1, std::memory_order_relaxed);
          if (&to == &worker)
            AddConn(worker, c.result, listeners_[index]->endpoint);
          else
            Wake(to, {Message::Kind::kConnection, c.result, &listeners_[index]->endpoint});
        }
      }
      // The multishot accept ended (an error, or a cancellation): accept again, and keep
      // serving the connections there are meanwhile. Out of descriptors (EMFILE, ENFILE), at
      // the next sweep: accepting again at once would fail again at once, a busy loop.
      if (!c.more && !stopping_.load()) {
        if (c.result == -EMFILE || c.result == -ENFILE)
          worker.accepts_paused.push_back(index);
        else
          worker.ring->Accept(listeners_[index]->acceptor.native_handle(), c.tag);
      }
      return;
    }
    Conn& conn = *reinterpret_cast<Conn*>(c.tag & ~uint64_t{7});
    if (op == kRecv) return Received(worker, conn, c);
    // kSend
    conn.sending = false;
    if (conn.closed) return;  // freed at the end of the turn
    if (c.result < 0) return CloseConn(worker, conn);
    conn.sent += static_cast<size_t>(c.result);
    if (conn.sent < conn.out.size()) return SendRest(worker, conn);
    conn.busy = false;
    if (log_ && options_.log_requests && conn.parser)  // none for a 400 or 413
      Log(*conn.endpoint, conn.parsed, conn.response, conn.remote, conn.start);
    if (conn.close_after_send || stopping_.load()) return CloseConn(worker, conn);
    StartRequest(conn);
    Continue(worker, conn);
  }

  // Bytes from the connection's multishot receive, or its end. The bytes join what the
  // connection has buffered: parsed now if it waits for a request, else once its response is
  // sent. A client that sends more than kMaxBufferedAhead bytes ahead of its answers is not
  // read from until they are answered (its receive is cancelled, then armed again by Continue):
  // the kernel's socket buffer, not iamd's memory, holds what it sends meanwhile.
  void Received(Worker& worker, Conn& conn, const Uring::Completion& c) {
    const std::string_view bytes = worker.ring->BufferBytes(c);
    if (!conn.closed && !bytes.empty()) {
      auto space = conn.buffer.prepare(bytes.size());
      std::memcpy(space.data(), bytes.data(), bytes.size());
      conn.buffer.commit(bytes.size());
    }
    worker.ring->ReleaseBuffer(c.buffer);
    if (!c.more) conn.receiving = conn.pausing = false;
    if (conn.closed) return;  // freed at the end of the turn
    if (c.result == 0) conn.peer_closed = true;
    if (c.result < 0 && c.result != -ENOBUFS && c.result != -ECANCELED)
      return CloseConn(worker, conn);  // reset, or another error
    if (conn.busy) {  // answering: the bytes wait for the response to be sent
      constexpr size_t kMaxBufferedAhead = 64 * 1024;
      if (conn.receiving && !conn.pausing && conn.buffer.size() > kMaxBufferedAhead) {
        conn.pausing = true;
        worker.ring->Cancel(Tag(conn, kRecv));
      }
      return;
    }
    Continue(worker, conn);
  }

  // The worker for a connection accepted by `acceptor` (worker 0 of the io_uring loop; called
  // on its thread): the one whose index is the CPU that received the connection's
  // packets (SO_INCOMING_CPU; over loopback, the CPU its client ran on when it connected),
  // modulo the number of workers. So the connections of one client thread tend to share one
  // worker thread, which answers a burst of them with one submission and wakes that client
  // once, where connections dealt out in turn had both workers wake every client thread
  // (getrole.sh, 15 interleaved rounds on the 2-core benchmark VM: iamd's CPU per GetRole went
  // from 10.8-11.5 us to 9.7, and its ratio to tuned nginx from 1.03-1.07x to 1.14x). If that
  // worker already has kSteerSlack more connections than the least loaded one, the least
  // loaded one instead: packets that all arrive on one CPU (a single-queue NIC) must not leave
  // the other workers idle. In turn if the kernel does not say.
  Worker& PickWorker(Worker& acceptor, int fd) {
    const size_t n = contexts_.size();
    int cpu = -1;
    socklen_t size = sizeof cpu;
    if (n == 1 || ::getsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU, &cpu, &size) != 0 || cpu < 0)
      return *contexts_[acceptor.next_worker++ % n];
    size_t least = 0;
    for (size_t i = 1; i < n; ++i)
      if (contexts_[i]->open.load(std::memory_order_relaxed) <
          contexts_[least]->open.load(std::memory_order_relaxed))
        least = i;
    const size_t preferred = static_cast<size_t>(cpu) % n;
    return contexts_[preferred]->open.load(std::memory_order_relaxed) <=
                   contexts_[least]->open.load(std::memory_order_relaxed) + kSteerSlack
               ? *contexts_[preferred]
               : *contexts_[least];
  }

  void AddConn(Worker& worker, int fd, const Endpoint& endpoint) {
    Conn& conn = worker.conns.emplace_back();
    conn.self = std::prev(worker.conns.end());
    conn.fd = fd;
    conn.endpoint = &endpoint;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_storage peer{};
    socklen_t size = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) == 0) {
      char text[INET6_ADDRSTRLEN] = "";
      const void* address =
          peer.ss_family == AF_INET6
              ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&peer)->sin6_addr)
              : &reinterpret_cast<sockaddr_in*>(&peer)->sin_addr;
      if (::inet_ntop(peer.ss_family, address, text, sizeof text)) conn.remote = text;
    }
    if (stopping_.load()) return CloseConn(worker, conn);
    StartRequest(conn);
    Continue(worker, conn);
  }

  // Readies `conn` for its next request; its deadline covers reading it and answering.
  void StartRequest(Conn& conn) {
    conn.parser.emplace(conn.parsed);
    conn.parser->eager(true);
    conn.parser->body_limit(options_.max_body_bytes);
    conn.parser->header_limit(static_cast<uint32_t>(options_.max_header_bytes));
    conn.deadline = Clock::now() + options_.read_timeout;
  }

  // Parses what `conn` has buffered: answers a whole request, or waits for more bytes (its
  // multishot receive armed), or ends a connection whose peer has closed.
  void Continue(Worker& worker, Conn& conn) {
    std::optional<ReadResult> read = ParseBuffered(conn.buffer, *conn.parser);
    if (!read) {
      if (conn.peer_closed) return CloseConn(worker, conn);
      if (!conn.receiving) {
        conn.receiving = true;
        worker.ring->RecvMultishot(conn.fd, Tag(conn, kRecv));
      }
      return;
    }
    conn.busy = true;
    if (*read != ReadResult::kRequest) {
      conn.out = *read == ReadResult::kTooLarge ? ClosingResponse(413, "Request too large\n")
                                                : ClosingResponse(400, "Bad request\n");
      conn.parser.reset();  // nothing to log
      conn.close_after_send = true;
      conn.sent = 0;
      return SendRest(worker, conn);
    }
    if (log_ && options_.log_requests) conn.start = Clock::now();
    bool healthz = false;
    conn.response = Answer(*conn.endpoint, conn.parsed, conn.remote, conn.headers, healthz);
    if (!healthz && conn.response.wait_for != 0 && !service_.IsDurable(conn.response.wait_for)) {
      conn.waiting = true;
      service_.WhenDurable(conn.response.wait_for, [&worker, c = &conn](bool ok) {
        Wake(worker, {Message::Kind::kDurable, -1, nullptr, c, ok});
      });
      return;
    }
    Respond(worker, conn);
  }

  void Durable(Worker& worker, Conn& conn, bool ok) {
    conn.waiting = false;
    if (conn.closed) return;
    if (!ok) conn.response = service_.DurabilityFailure(conn.response);
    Respond(worker, conn);
  }

  void Respond(Worker& worker, Conn& conn) {
    const bool keep = conn.parser->keep_alive() && !stopping_.load();
    conn.close_after_send = !keep;
    conn.out.clear();
    AppendResponseHead(conn.out, conn.response, conn.parsed.version, keep);
    conn.out += conn.response.body;
    conn.sent = 0;
    SendRest(worker, conn);
  }

  static void SendRest(Worker& worker, Conn& conn) {
    conn.sending = true;
    worker.ring->Send(conn.fd, conn.out.data() + conn.sent, conn.out.size() - conn.sent,
                      Tag(conn, kSend));
  }

  // Ends `conn`: shuts its socket down now (which ends a pending receive or send); FreeClosed
  // closes the descriptor and frees the connection at the end of the turn in which the kernel
  // holds none of its operations and no durability wait refers to it.
  static void CloseConn(Worker& worker, Conn& conn) {
    if (conn.closed) return;
    conn.closed = true;
    conn.deadline = Clock::time_point::max();
    ::shutdown(conn.fd, SHUT_RDWR);
    if (conn.receiving) worker.ring->Cancel(Tag(conn, kRecv));  // if the shutdown has not ended it
    worker.closed.push_back(conn.self);
  }

  // Frees the closed connections that nothing refers to any more.
  void FreeClosed(Worker& worker) {
    size_t kept = 0;
    for (auto it : worker.closed) {
      if (it->in_kernel() || it->waiting) {
        worker.closed[kept++] = it;
        continue;
      }
      ::close(it->fd);
      worker.conns.erase(it);
      open_connections_.fetch_sub(1, std::memory_order_relaxed);
      worker.open.fetch_sub(1, std::memory_order_relaxed);
    }
    worker.closed.resize(kept);
  }

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
    worker.sender->Send(worker.items, worker.results);
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
    // An HTTPS endpoint's (Endpoint::tls), replaced by ReloadTls(): read and written under
    // tls_mu_; each connection holds the one it started with.
    std::shared_ptr<net::ssl::context> tls;
  };

  // Counts a new connection in, or false (and counts nothing) when max_connections are open.
  bool Admit() {
    if (open_connections_.fetch_add(1, std::memory_order_relaxed) < options_.max_connections)
      return true;
    open_connections_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }

  Task<void> Accept(Listener& listener) {
    size_t next = 0;
    for (;;) {
      Worker& worker = *contexts_[next++ % contexts_.size()];
      boost::system::error_code ec;
      Socket socket =
          co_await listener.acceptor.async_accept(*worker.io, net::redirect_error(kAwait, ec));
      if (ec) {
        if (!listener.acceptor.is_open() || stopping_.load()) co_return;
        // Keep serving the connections there are. Out of descriptors (EMFILE, ENFILE), wait a
        // little first: accepting again at once would fail again at once, a busy loop.
        if (ec == net::error::no_descriptors || ec.value() == ENFILE) {
          Timer pause(co_await net::this_coro::executor);
          pause.expires_after(std::chrono::milliseconds(50));
          co_await pause.async_wait(net::redirect_error(kAwait, ec));
        }
        continue;
      }
      if (!Admit()) {  // at max_connections
        socket.close(ec);
        continue;
      }
      worker.open.fetch_add(1, std::memory_order_relaxed);
      socket.set_option(tcp::no_delay(true), ec);
      std::shared_ptr<net::ssl::context> tls;
      if (listener.endpoint.tls) {
        std::lock_guard lock(tls_mu_);
        tls = listener.tls;
      }
      net::co_spawn(*worker.io, Serve(std::move(socket), listener.endpoint, std::move(tls), worker),
                    net::detached);
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

  // The response to a parsed request: /healthz here, everything else from the endpoint's
  // handler. `headers` is scratch space for the handler's view of the fields.
  static api::HttpResponse Answer(
      const Endpoint& endpoint, const ParsedRequest& parsed, std::string_view remote,
      std::vector<std::pair<std::string_view, std::string_view>>& headers, bool& healthz,
      bool secure = false) {
    healthz = endpoint.serve_healthz && parsed.method == "GET" &&
              std::string_view(parsed.target) == "/healthz";
    if (healthz) {
      api::HttpResponse ok;
      ok.content_type = "text/plain";
      ok.body = "ok\n";
      return ok;
    }
    parsed.Views(headers);
    return endpoint.handle(
        api::HttpRequest{parsed.method, parsed.target, headers, parsed.body, remote, secure});
  }

  void Log(const Endpoint& endpoint, const ParsedRequest& parsed, const api::HttpResponse& r,
           std::string_view remote, Clock::time_point start) const {
    auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    log_(LogEntry{endpoint.name, parsed.method, parsed.target, r.action, r.caller, r.request_id,
                  remote, r.status, micros});
  }

  // Serves one connection of `endpoint` on Asio: over TLS with `tls_context` if there is one
  // (after the handshake, which the connection's read deadline covers), else plain.
  Task<void> Serve(Socket socket, const Endpoint& endpoint,
                   std::shared_ptr<net::ssl::context> tls_context, Worker& worker) {
    Session session(std::move(socket));
    worker.sessions.push_back(&session);
    // Unregistered (and counted out) however the coroutine ends, so that Stop() never closes a
    // dead session.
    struct Unregister {
      std::list<Session*>& sessions;
      std::list<Session*>::iterator it;
      std::atomic<size_t>& open;
      std::atomic<size_t>& worker_open;
      ~Unregister() {
        sessions.erase(it);
        open.fetch_sub(1, std::memory_order_relaxed);
        worker_open.fetch_sub(1, std::memory_order_relaxed);
      }
    } unregister{worker.sessions, std::prev(worker.sessions.end()), open_connections_,
                 worker.open};
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = session.socket.remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    std::string out;
    std::optional<TlsStream> tls;
    if (tls_context) {
      session.deadline = Clock::now() + options_.read_timeout;
      boost::system::error_code ec;
      // A TLS connection opens with a handshake record (content type 22, RFC 8446 5.1); any
      // other first byte is most likely plain HTTP sent to this HTTPS port, which gets a 400
      // that says so (as nginx answers it) rather than a dropped connection.
      co_await session.socket.async_wait(tcp::socket::wait_read, net::redirect_error(kAwait, ec));
      unsigned char first = 0;
      if (!ec && ::recv(session.socket.native_handle(), &first, 1, MSG_PEEK) == 1 && first != 22) {
        out =
            ClosingResponse(400, "This is an HTTPS endpoint: the request was sent as plain HTTP\n");
        co_await net::async_write(session.socket, net::buffer(out),
                                  net::redirect_error(kAwait, ec));
        // Read what the client still sends until it closes (or the deadline's sweep does):
        // closing with unread bytes would reset the connection before it reads the answer.
        session.socket.shutdown(tcp::socket::shutdown_send, ec);
        char discard[4096];
        while (!ec)
          co_await session.socket.async_read_some(net::buffer(discard),
                                                  net::redirect_error(kAwait, ec));
        session.deadline = Clock::time_point::max();
        co_return;
      }
      tls.emplace(session.socket, *tls_context);
      co_await tls->async_handshake(net::ssl::stream_base::server, net::redirect_error(kAwait, ec));
      if (ec) {  // not a TLS client, no shared version or cipher, or the deadline passed
        session.deadline = Clock::time_point::max();
        session.socket.shutdown(tcp::socket::shutdown_both, ec);
        co_return;
      }
    }
    beast::flat_buffer buffer;
    ParsedRequest parsed;
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    // Over TLS the handshake and the first request share one deadline: a client cannot hold
    // the connection for twice the read timeout by finishing its handshake at the last moment.
    bool deadline_set = tls.has_value();
    for (;;) {
      if (stopping_.load()) break;
      RequestParser parser(parsed);
      parser.eager(true);
      parser.body_limit(options_.max_body_bytes);
      parser.header_limit(static_cast<uint32_t>(options_.max_header_bytes));
      // One deadline covers reading the request and writing its response.
      if (!deadline_set) session.deadline = Clock::now() + options_.read_timeout;
      deadline_set = false;
      // Read until the buffer holds a whole request (or the connection ends).
      ReadResult read;
      for (;;) {
        if (std::optional<ReadResult> parsed_result = ParseBuffered(buffer, parser)) {
          read = *parsed_result;
          break;
        }
        constexpr size_t kReadChunk = 8192;
        boost::system::error_code ec;
        size_t n = 0;
        if (tls)
          n = co_await tls->async_read_some(buffer.prepare(kReadChunk),
                                            net::redirect_error(kAwait, ec));
        else
          n = co_await session.socket.async_read_some(buffer.prepare(kReadChunk),
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
        if (tls)
          co_await net::async_write(*tls, net::buffer(out), net::redirect_error(kAwait, ec));
        else
          co_await net::async_write(session.socket, net::buffer(out),
                                    net::redirect_error(kAwait, ec));
        break;
      }
      if (read != ReadResult::kRequest) break;
      session.busy = true;
      const bool logged = log_ && options_.log_requests;
      const auto start = logged ? Clock::now() : Clock::time_point();
      bool keep_alive = parser.keep_alive();
      bool healthz = false;
      api::HttpResponse response =
          Answer(endpoint, parsed, remote, headers, healthz, /*secure=*/tls.has_value());
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
      if (tls) {  // one TLS record, written through OpenSSL
        boost::system::error_code ec;
        co_await net::async_write(*tls, net::buffer(out), net::redirect_error(kAwait, ec));
        written = !ec;
      } else {
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
      if (logged) Log(endpoint, parsed, response, remote, start);
      if (!written || !keep) break;
    }
    boost::system::error_code ec;
    if (tls && session.socket.is_open()) {
      // End TLS properly (close_notify, RFC 8446 6.1): a client reading to the end of the
      // stream sees the end rather than a truncation, and OpenSSL keeps the session for
      // resumption only after a clean shutdown. Waiting for the client's close_notify is
      // bounded by a second at most (and by Stop(), which closes idle connections).
      session.deadline = std::min(session.deadline, Clock::now() + std::chrono::seconds(1));
      co_await tls->async_shutdown(net::redirect_error(kAwait, ec));
    }
    session.deadline = Clock::time_point::max();
    session.socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  api::IamService& service_;
  ServerOptions options_;
  RequestLog log_;
  std::vector<std::unique_ptr<Worker>> contexts_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::mutex tls_mu_;  // listeners_' TLS contexts (ReloadTls runs on any thread)
  std::atomic<bool> on_ring_{false};
  std::atomic<size_t> open_connections_{0};  // accepted and not yet closed (Admit)  // the workers
                                             // run RunRing, not Asio (set by Start)
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
Status CheckTlsFiles(const TlsFiles& files) {
  auto loaded = LoadTls(files);
  if (!loaded) return std::unexpected(std::move(loaded).error());
  return {};
}

uint16_t HttpServer::port(size_t index) const { return impl_->port(index); }
Status HttpServer::ReloadTls() { return impl_->ReloadTls(); }
bool HttpServer::runs_on_io_uring() const { return impl_->runs_on_io_uring(); }
void HttpServer::Start() { impl_->Start(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Wait() { impl_->Wait(); }

}  // namespace iamd::server
