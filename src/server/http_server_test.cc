// HttpServer over real sockets: an endpoint whose handler this file controls, bound to
// 127.0.0.1 port 0, and a plain POSIX client. Only the public contract (http_server.h) is used,
// so these tests hold for any implementation of it. Every wait on the server is bounded
// (kIoTimeout): a broken server fails a test instead of hanging it.
#include "server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <ranges>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "common/clock.h"
#include "common/ids.h"
#include "server/uring.h"
#include "store/store.h"

namespace iamd::server {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The longest a client waits for any one thing the server owes it.
constexpr milliseconds kIoTimeout = 5s;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

milliseconds Since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start);
}

// One response as the client received it.
struct Response {
  std::string status_line;  // "HTTP/1.1 200 OK"
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in the order received
  std::string body;

  // The value of the first header called `name` (any case); nullopt if there is none.
  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (EqualsIgnoreCase(n, name)) return v;
    return std::nullopt;
  }
  int HeaderCount(std::string_view name) const {
    return static_cast<int>(std::ranges::count_if(
        headers, [name](const auto& h) { return EqualsIgnoreCase(h.first, name); }));
  }
  // True if the Connection header lists `option` ("close", "keep-alive").
  bool ConnectionIs(std::string_view option) const {
    auto value = Header("Connection");
    return value && EqualsIgnoreCase(*value, option);
  }
};

// The test TLS material (testdata/tls/README.md).
std::string TlsTestdata(std::string_view name) {
  return std::string(IAMD_SOURCE_DIR) + "/src/server/testdata/tls/" + std::string(name);
}

// A blocking TCP client to 127.0.0.1 whose every read is bounded by poll(). Owns its socket.
// After StartTls() it speaks TLS (OpenSSL) on the same connection.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
      error_ = std::string("socket: ") + std::strerror(errno);
      return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      error_ = "connect to port " + std::to_string(port) + ": " + std::strerror(errno);
      ::close(fd_);
      fd_ = -1;
      return;
    }
    // Small writes go out as written (the piecewise test relies on it).
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Client() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }
  // A TLS handshake as a client that trusts only the CA in `ca_file` and checks the server's
  // certificate names 127.0.0.1; `max_version` (e.g. TLS1_1_VERSION) caps the version offered.
  // False (see error()) if the handshake fails or takes longer than kIoTimeout.
  // `groups`: the key exchange groups offered (OpenSSL's list syntax), else OpenSSL's default.
  bool StartTls(const std::string& ca_file, int max_version = 0, const char* groups = nullptr) {
    if (fd_ < 0) return false;
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (groups != nullptr && SSL_CTX_set1_groups_list(ctx_, groups) != 1)
      return TlsFailed(std::string("groups ") + groups);
    if (max_version != 0) {
      SSL_CTX_set_min_proto_version(ctx_, 0);
      SSL_CTX_set_security_level(ctx_, 0);  // lets this client offer TLS 1.1 at all
      SSL_CTX_set_max_proto_version(ctx_, max_version);
    }
    if (SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1)
      return TlsFailed("loading " + ca_file);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    ssl_ = SSL_new(ctx_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
    SSL_set_fd(ssl_, fd_);
    timeval tv{static_cast<time_t>(kIoTimeout.count() / 1000), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    // A blocking handshake; a signal interrupting a read shows as WANT_READ: go on.
    const auto deadline = SteadyClock::now() + kIoTimeout;
    for (;;) {
      const int rc = SSL_connect(ssl_);
      if (rc == 1) break;
      const int why = SSL_get_error(ssl_, rc);
      if ((why != SSL_ERROR_WANT_READ && why != SSL_ERROR_WANT_WRITE) ||
          SteadyClock::now() >= deadline)
        return TlsFailed("TLS handshake (SSL_get_error " + std::to_string(why) + ")");
    }
    tv = {};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return true;
  }
  // True once the server ended TLS with a close_notify alert (rather than just closing).
  bool close_notify() const { return close_notify_; }
  // The negotiated protocol ("TLSv1.3"), once StartTls() succeeded.
  std::string tls_version() const { return ssl_ ? SSL_get_version(ssl_) : ""; }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  // True once the server closed (or reset) the connection.
  bool closed() const { return closed_; }
  // Why the last call failed.
  const std::string& error() const { return error_; }
  // Bytes received and not yet returned by Read().
  const std::string& pending() const { return buffer_; }

  bool Send(std::string_view data) {
    if (fd_ < 0) return false;  // error() still says why connect failed
    while (!data.empty()) {
      if (ssl_ != nullptr) {
        const int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
        if (n <= 0 && SSL_get_error(ssl_, n) == SSL_ERROR_WANT_WRITE) continue;  // interrupted
        if (n <= 0) return TlsFailed("SSL_write");
        data.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = std::string("send: ") + std::strerror(errno);
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response, framed by its Content-Length. nullopt (see error()) on timeout, close,
  // or bytes that are not a response.
  std::optional<Response> Read(milliseconds timeout = kIoTimeout) {
    auto deadline = SteadyClock::now() + timeout;
    size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!Fill(deadline)) return Failed("waiting for the response head");
    Response r;
    std::string_view head(buffer_.data(), head_end);
    size_t eol = head.find("\r\n");
    r.status_line = std::string(head.substr(0, eol));
    static const std::regex kStatusLine(R"(HTTP/1\.[01] (\d{3}) .*)");
    std::smatch m;
    if (!std::regex_match(r.status_line, m, kStatusLine))
      return Failed("bad status line '" + r.status_line + "'");
    r.status = std::stoi(m[1]);
    while (eol != std::string_view::npos) {
      head.remove_prefix(eol + 2);
      eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0)
        return Failed("bad header line '" + std::string(line) + "'");
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
      r.headers.emplace_back(line.substr(0, colon), value);
    }
    auto length_text = r.Header("Content-Length");
    if (!length_text || r.HeaderCount("Content-Length") != 1)
      return Failed("not exactly one Content-Length in '" + r.status_line + "'");
    size_t length = 0;
    auto [end, ec] =
        std::from_chars(length_text->data(), length_text->data() + length_text->size(), length);
    if (ec != std::errc() || end != length_text->data() + length_text->size())
      return Failed("bad Content-Length '" + *length_text + "'");
    size_t total = head_end + 4 + length;
    while (buffer_.size() < total)
      if (!Fill(deadline)) return Failed("waiting for a body of " + *length_text + " bytes");
    r.body = buffer_.substr(head_end + 4, length);
    buffer_.erase(0, total);
    return r;
  }

  // Ends what the client sends (a half close): the server sees the end of its bytes.
  bool ShutdownWrite() {
    if (fd_ < 0 || ::shutdown(fd_, SHUT_WR) != 0) {
      error_ = std::string("shutdown: ") + std::strerror(errno);
      return false;
    }
    return true;
  }

  // True if the server closes the connection within `timeout`. What it sent before closing
  // stays in pending().
  bool WaitForClose(milliseconds timeout = kIoTimeout) {
    auto deadline = SteadyClock::now() + timeout;
    while (!closed_)
      if (!Fill(deadline)) break;
    return closed_;
  }

 private:
  bool TlsFailed(const std::string& what) {
    char reason[256] = "";
    ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
    error_ = what + ": " + reason;
    ERR_clear_error();
    return false;
  }
  std::nullopt_t Failed(const std::string& what) {
    error_ = what + " (" + error_ + "); received so far: '" + buffer_ + "'";
    return std::nullopt;
  }

  // Receives more bytes before `deadline`. False on timeout, close, or error.
  bool Fill(SteadyClock::time_point deadline) {
    if (fd_ < 0 || closed_) {
      error_ = fd_ < 0 ? "not connected" : "the server closed the connection";
      return false;
    }
    for (;;) {
      auto left = std::max<int64_t>(
          0, std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count());
      pollfd p{fd_, POLLIN, 0};
      // Bytes OpenSSL has decrypted already are not on the socket any more.
      int rc = ssl_ != nullptr && SSL_pending(ssl_) > 0 ? 1 : ::poll(&p, 1, static_cast<int>(left));
      if (rc < 0 && errno == EINTR) continue;
      if (rc < 0) {
        error_ = std::string("poll: ") + std::strerror(errno);
        return false;
      }
      if (rc == 0) {
        error_ = "timed out";
        return false;
      }
      char buf[16384];
      ssize_t n = 0;
      if (ssl_ != nullptr) {
        n = SSL_read(ssl_, buf, sizeof buf);
        if (n <= 0 && SSL_get_error(ssl_, static_cast<int>(n)) == SSL_ERROR_WANT_READ) continue;
        if (n <= 0 && SSL_get_error(ssl_, static_cast<int>(n)) == SSL_ERROR_ZERO_RETURN)
          close_notify_ = true;
        if (n < 0) n = 0;  // a TCP close without close_notify ends the connection too
      } else {
        n = ::recv(fd_, buf, sizeof buf, 0);
      }
      if (n > 0) {
        buffer_.append(buf, static_cast<size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      // A reset (the server closed with our bytes unread) is a close too.
      closed_ = true;
      error_ = n == 0 ? "closed by the server" : std::string("recv: ") + std::strerror(errno);
      return false;
    }
  }

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool close_notify_ = false;
  bool closed_ = false;
  std::string buffer_;
  std::string error_;
};

// A request for the echo handler: `token` travels in X-Token and comes back in the body.
std::string Post(std::string_view token, std::string_view body, std::string_view target = "/echo",
                 std::string_view more_headers = "") {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Token: " + std::string(token) + "\r\n" +
         std::string(more_headers) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}
std::string Get(std::string_view token, std::string_view target = "/echo",
                std::string_view version = "HTTP/1.1", std::string_view more_headers = "") {
  return "GET " + std::string(target) + " " + std::string(version) +
         "\r\nHost: 127.0.0.1\r\nX-Token: " + std::string(token) + "\r\n" +
         std::string(more_headers) + "\r\n";
}

// The body the echo handler answers with.
std::string Echoed(std::string_view method, std::string_view target, std::string_view token,
                   std::string_view body) {
  return std::string(method) + " " + std::string(target) + "\ntoken=" + std::string(token) + "\n" +
         std::string(body);
}

// Runs on the calling thread with the thread allowed on one CPU only (the first it may use),
// then restores its CPUs: a client whose packets all arrive on that CPU.
template <typename F>
void OnOneCpu(F&& body) {
  cpu_set_t before;
  ASSERT_EQ(::sched_getaffinity(0, sizeof before, &before), 0);
  int first = 0;
  while (first < CPU_SETSIZE && !CPU_ISSET(first, &before)) ++first;
  ASSERT_LT(first, CPU_SETSIZE);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(::sched_setaffinity(0, sizeof one, &one), 0);
  body();
  ::sched_setaffinity(0, sizeof before, &before);
}

std::string_view HeaderOf(const api::HttpRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (EqualsIgnoreCase(n, name)) return v;
  return {};
}

bool IoUringAvailable() { return Uring::Open(8) != nullptr; }

// The service's root credentials (the AWS documentation's example key pair).
constexpr std::string_view kRootKey = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kRootSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

// A LogEntry with its own copies of the strings.
struct LoggedRequest {
  std::string endpoint, method, target, action, caller, request_id, remote;
  int status;
  int64_t micros;
};

// Every test runs twice: on the io_uring loop (where the kernel has io_uring) and on Asio's
// epoll reactor (the fallback where it is refused, and `iamd serve --no-io-uring`).
class HttpServerTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    options_.io_uring = GetParam();
    std::string dir = (std::filesystem::temp_directory_path() / "iamd-http-server-test-XXXXXX");
    ASSERT_NE(::mkdtemp(dir.data()), nullptr) << std::strerror(errno);
    dir_ = dir;
    auto store = store::OpenSqliteStore((dir_ / "iamd.db").string(), {.durable = false});
    ASSERT_TRUE(store) << store.error().message;
    auto service = api::IamService::Create({.root_access_key_id = std::string(kRootKey),
                                            .root_secret_access_key = std::string(kRootSecret),
                                            .master_key = std::string(32, 'm')},
                                           std::move(*store), clock_, ids_);
    ASSERT_TRUE(service) << service.error().message;
    service_ = std::move(*service);
    // A server that fails to close idle connections on Stop() shows it in 5 s, not 10.
    options_.drain_timeout = 5s;
    endpoint_.name = "test-api";
    endpoint_.handle = [this](const api::HttpRequest& r) { return Echo(r); };
  }

  void TearDown() override {
    server_.reset();
    if (service_) service_->Shutdown();
    service_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Builds the server from options_ and endpoint_, and starts it; port_ is where it listens.
  void StartServer() {
    server_ =
        std::make_unique<HttpServer>(*service_, options_, [this](const LogEntry& e) { Record(e); });
    auto added = server_->AddEndpoint(endpoint_);
    ASSERT_TRUE(added) << added.error().message;
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    server_->Start();
    // The io_uring loop is not silently replaced by the fallback where the kernel has it (an
    // HTTPS endpoint runs on Asio).
    if (GetParam()) {
      ASSERT_EQ(server_->runs_on_io_uring(), IoUringAvailable() && !endpoint_.tls);
    } else {
      ASSERT_FALSE(server_->runs_on_io_uring());
    }
  }

  // Answers 200 (or the status in X-Status) with Echoed(method, target, X-Token, body), the
  // request ID "req-<X-Token>", action "Echo".
  api::HttpResponse Echo(const api::HttpRequest& r) {
    handler_calls_.fetch_add(1);
    std::string token(HeaderOf(r, "X-Token"));
    api::HttpResponse out;
    if (auto status = HeaderOf(r, "X-Status"); !status.empty())
      out.status = std::stoi(std::string(status));
    out.content_type = "text/plain; charset=utf-8";
    out.body = Echoed(r.method, r.target, token, r.body);
    // A response larger than a socket buffer: "X-Big: N" answers N bytes of 'b'.
    if (auto big = HeaderOf(r, "X-Big"); !big.empty())
      out.body.assign(std::stoul(std::string(big)), 'b');
    // "X-Wait-For: N": the response shows the service's state up to sequence number N.
    if (auto seq = HeaderOf(r, "X-Wait-For"); !seq.empty())
      out.wait_for = std::stoull(std::string(seq));
    out.action = "Echo";
    out.caller = "arn:aws:iam::123456789012:user/tester";
    out.extra_headers.emplace_back("X-Secure-Transport", r.secure_transport ? "true" : "false");
    if (!token.empty()) out.request_id = "req-" + token;
    return out;
  }

  // The header that holds the echo handler's answer until the service's next write is durable
  // (X-Wait-For: the sequence number after the last): creates role `name` to learn the last.
  std::string HoldUntilNextWrite(const std::string& name) {
    api::HttpResponse created = CreateRole(name);
    EXPECT_EQ(created.status, 200) << created.body;
    return "X-Wait-For: " + std::to_string(created.wait_for + 1) + "\r\n";
  }

  // Creates role `name` through the service, signed by root, as the API would: the service's
  // next durable sequence number.
  api::HttpResponse CreateRole(const std::string& name) {
    const std::string body =
        "Action=CreateRole&Version=2010-05-08&RoleName=" + name +
        "&AssumeRolePolicyDocument="
        "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22"
        "Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22"
        "Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
    std::vector<std::pair<std::string, std::string>> owned = {
        {"Host", "127.0.0.1:4599"},
        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    std::vector<std::pair<std::string_view, std::string_view>> view(owned.begin(), owned.end());
    auth::SignedHeaders sig = auth::SignRequest(
        auth::HttpRequestView{"POST", "/", view, body},
        {std::string(kRootKey), std::string(kRootSecret), ""},
        {.region = "us-east-1", .service = "iam", .now_millis = clock_.NowMillis()});
    owned.emplace_back("X-Amz-Date", sig.amz_date);
    owned.emplace_back("Authorization", sig.authorization);
    view.assign(owned.begin(), owned.end());
    return service_->Handle(api::HttpRequest{"POST", "/", view, body, "127.0.0.1"});
  }

  // Sends `request` and checks that the answer is the echo handler's 200 for it.
  void ExpectEcho(Client& c, const std::string& request, std::string_view method,
                  std::string_view target, std::string_view token, std::string_view body) {
    ASSERT_TRUE(c.Send(request)) << c.error();
    ExpectEchoResponse(c, method, target, token, body);
  }
  static void ExpectEchoResponse(Client& c, std::string_view method, std::string_view target,
                                 std::string_view token, std::string_view body) {
    auto r = c.Read();
    ASSERT_TRUE(r) << c.error();
    EXPECT_EQ(r->status, 200) << r->status_line;
    EXPECT_EQ(r->body, Echoed(method, target, token, body));
    EXPECT_EQ(r->Header("x-amzn-RequestId"), "req-" + std::string(token));
  }

  // Starts the server and sends `request`, which is over a limit, on a new connection: 413
  // with Connection: close, then the close, without the handler; a new connection is served.
  void ExpectRefusedAsTooLarge(const std::string& request) {
    ASSERT_NO_FATAL_FAILURE(StartServer());
    {
      Client c(port_);
      ASSERT_TRUE(c.Send(request)) << c.error();
      auto r = c.Read();
      ASSERT_TRUE(r) << c.error();
      EXPECT_EQ(r->status, 413) << r->status_line;
      EXPECT_TRUE(r->ConnectionIs("close"));
      EXPECT_TRUE(c.WaitForClose()) << c.error();
      EXPECT_EQ(c.pending(), "");
      EXPECT_EQ(handler_calls_.load(), 0);
    }
    ExpectServing();
  }

  // A new connection still gets answered.
  void ExpectServing() {
    Client c(port_);
    ASSERT_TRUE(c.connected()) << c.error();
    ExpectEcho(c, Post("still-serving", "b"), "POST", "/echo", "still-serving", "b");
  }

  // Starts a server of two worker threads whose handler notes the thread it runs on, then,
  // from one CPU, opens `count` connections one after the other (all kept open) and sends a
  // request on each: for each connection, the worker thread that answered it.
  std::vector<std::thread::id> WorkersOfConnectionsFromOneCpu(int count) {
    options_.threads = 2;
    std::mutex mu;
    std::map<std::string, std::thread::id> seen;
    endpoint_.handle = [&](const api::HttpRequest& r) {
      {
        std::lock_guard lock(mu);
        seen[std::string(HeaderOf(r, "X-Token"))] = std::this_thread::get_id();
      }
      return Echo(r);
    };
    std::vector<std::thread::id> threads;
    StartServer();
    if (HasFatalFailure()) return threads;
    server_runs_on_io_uring_ = server_->runs_on_io_uring();
    std::vector<std::unique_ptr<Client>> open;
    OnOneCpu([&] {
      for (int i = 0; i < count; ++i) {
        open.push_back(std::make_unique<Client>(port_));
        const std::string token = "conn-" + std::to_string(i);
        if (!open.back()->Send(Post(token, "")) || !open.back()->Read()) {
          ADD_FAILURE() << token << ": " << open.back()->error();
          return;
        }
        std::lock_guard lock(mu);
        threads.push_back(seen.at(token));
      }
    });
    server_.reset();  // before `seen` goes: the handler refers to it
    return threads;
  }

  // `threads` client threads, each with `connections` keep-alive connections that take turns
  // sending `requests` requests apiece (so the server has them all open at once). Returns how
  // many responses carried the right token back.
  int RunConcurrentClients(int threads, int connections, int requests) {
    std::atomic<int> correct{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::vector<std::unique_ptr<Client>> clients;
        for (int c = 0; c < connections; ++c) {
          clients.push_back(std::make_unique<Client>(port_));
          if (!clients.back()->connected()) {
            ADD_FAILURE() << clients.back()->error();
            return;
          }
        }
        for (int i = 0; i < requests; ++i) {
          for (int c = 0; c < connections; ++c) {
            std::string token =
                std::to_string(t) + "-" + std::to_string(c) + "-" + std::to_string(i);
            if (!clients[c]->Send(Post(token, "body " + token))) {
              ADD_FAILURE() << clients[c]->error();
              return;
            }
          }
          for (int c = 0; c < connections; ++c) {
            std::string token =
                std::to_string(t) + "-" + std::to_string(c) + "-" + std::to_string(i);
            auto r = clients[c]->Read();
            if (!r) {
              ADD_FAILURE() << token << ": " << clients[c]->error();
              return;
            }
            if (r->status == 200 && r->body == Echoed("POST", "/echo", token, "body " + token) &&
                r->Header("x-amzn-RequestId") == "req-" + token)
              correct.fetch_add(1);
            else
              ADD_FAILURE() << token << ": " << r->status_line << "\n" << r->body;
          }
        }
      });
    }
    for (auto& th : pool) th.join();
    return correct.load();
  }

  void Record(const LogEntry& e) {
    std::lock_guard lock(log_mu_);
    log_.push_back({std::string(e.endpoint), std::string(e.method), std::string(e.target),
                    std::string(e.action), std::string(e.caller), std::string(e.request_id),
                    std::string(e.remote), e.status, e.micros});
  }
  std::vector<LoggedRequest> Logged() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  FakeClock clock_{1795826565000};  // 2026-11-28T00:42:45Z
  SequentialIdSource ids_{1};
  std::filesystem::path dir_;
  std::unique_ptr<api::IamService> service_;
  ServerOptions options_;
  Endpoint endpoint_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::atomic<int> handler_calls_{0};
  bool server_runs_on_io_uring_ = false;  // set by WorkersOfConnectionsFromOneCpu
  std::mutex log_mu_;
  std::vector<LoggedRequest> log_;
};

// --- /healthz ---------------------------------------------------------------------------------

TEST_P(HttpServerTest, HealthzAnswersOkWithoutTheHandler) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) << c.error();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  EXPECT_EQ(r->status, 200) << r->status_line;
  EXPECT_EQ(r->body, "ok\n");
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_P(HttpServerTest, HealthzGoesToTheHandlerWhenNotServed) {
  endpoint_.serve_healthz = false;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ExpectEcho(c, Get("h", "/healthz"), "GET", "/healthz", "h", "");
  EXPECT_EQ(handler_calls_.load(), 1);
}

// --- one request ------------------------------------------------------------------------------

TEST_P(HttpServerTest, PostReachesTheHandlerAndItsResponseIsFramed) {
  struct Seen {
    std::string method, target, custom_header, content_type, body, remote;
  };
  std::mutex mu;
  std::optional<Seen> seen;
  endpoint_.handle = [&](const api::HttpRequest& r) {
    {
      std::lock_guard lock(mu);
      seen = Seen{std::string(r.method),
                  std::string(r.target),
                  std::string(HeaderOf(r, "x-custom-header")),
                  std::string(HeaderOf(r, "CONTENT-TYPE")),
                  std::string(r.body),
                  std::string(r.remote_ip)};
    }
    api::HttpResponse out;
    out.status = 202;
    out.content_type = "application/x-test";
    out.body = "<Answer>for " + std::string(r.body.substr(0, 11)) + "</Answer>";
    out.request_id = "rid-0001";
    out.extra_headers = {{"X-Extra-One", "1"}, {"X-Extra-Two", "second value"}};
    return out;
  };
  ASSERT_NO_FATAL_FAILURE(StartServer());

  // A NUL and a high byte: the body is bytes, not a C string.
  const std::string body = std::string("Action=Test") + '\0' + "&V=\xff\x01";
  Client c(port_);
  ASSERT_TRUE(
      c.Send("POST /path?Action=Test&x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "X-Custom-Header: Some Value\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\n"
             "Content-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body))
      << c.error();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();

  {
    std::lock_guard lock(mu);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->method, "POST");
    EXPECT_EQ(seen->target, "/path?Action=Test&x=1");
    EXPECT_EQ(seen->custom_header, "Some Value");
    EXPECT_EQ(seen->content_type, "application/x-www-form-urlencoded");
    EXPECT_EQ(seen->body, body);
    EXPECT_EQ(seen->remote, "127.0.0.1");
  }

  EXPECT_EQ(r->status_line, "HTTP/1.1 202 Accepted");
  EXPECT_EQ(r->Header("Content-Type"), "application/x-test");
  EXPECT_EQ(r->HeaderCount("Content-Type"), 1);
  EXPECT_EQ(r->body, "<Answer>for Action=Test</Answer>");
  EXPECT_EQ(r->Header("Content-Length"), std::to_string(r->body.size()));
  EXPECT_EQ(r->Header("x-amzn-RequestId"), "rid-0001");
  EXPECT_EQ(r->Header("X-Extra-One"), "1");
  EXPECT_EQ(r->Header("X-Extra-Two"), "second value");
  EXPECT_FALSE(r->ConnectionIs("close"));
  EXPECT_EQ(c.pending(), "") << "bytes after the Content-Length";

  // Date: an IMF-fixdate (RFC 9110 5.6.7) within seconds of now.
  auto date = r->Header("Date");
  ASSERT_TRUE(date);
  EXPECT_TRUE(std::regex_match(
      *date,
      std::regex(
          R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT)")))
      << *date;
  std::tm tm{};
  ASSERT_NE(::strptime(date->c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm), nullptr) << *date;
  EXPECT_LE(std::abs(::timegm(&tm) - ::time(nullptr)), 5) << *date;
}

TEST_P(HttpServerTest, HeaderNamesReachTheHandlerLowercaseWithValuesAsSent) {
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> seen;
  endpoint_.handle = [&](const api::HttpRequest& r) {
    std::lock_guard lock(mu);
    for (const auto& [name, value] : r.headers) seen.emplace_back(name, value);
    return api::HttpResponse{};
  };
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(
      c.Send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Date: 20261128T004245Z\r\n"
             "AUTHORIZATION: AWS4-HMAC-SHA256 Credential=AKID/x, Signature=ABC\r\n"
             "x-mixed-CASE-9: Value With Caps\r\n\r\n"))
      << c.error();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                      {"host", "127.0.0.1"},
                      {"x-amz-date", "20261128T004245Z"},
                      {"authorization", "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=ABC"},
                      {"x-mixed-case-9", "Value With Caps"}}));
}

TEST_P(HttpServerTest, ResponseWithoutRequestIdHasNoRequestIdHeader) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.Send(Post("", "x"))) << c.error();  // no token: the echo handler sets no ID
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, Echoed("POST", "/echo", "", "x"));
  EXPECT_EQ(r->HeaderCount("x-amzn-RequestId"), 0);
}

// --- connections carrying several requests ----------------------------------------------------

TEST_P(HttpServerTest, KeepAliveAnswersRequestsInOrderOnOneConnection) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  for (int i = 0; i < 5; ++i) {
    std::string token = "k" + std::to_string(i);
    std::string body(static_cast<size_t>(i) * 100, static_cast<char>('a' + i));
    if (i % 2) {
      ExpectEcho(c, Get(token, "/get?i=" + std::to_string(i)), "GET", "/get?i=" + std::to_string(i),
                 token, "");
    } else {
      ExpectEcho(c, Post(token, body), "POST", "/echo", token, body);
    }
    ASSERT_FALSE(c.closed()) << "closed after request " << i;
  }
  EXPECT_EQ(handler_calls_.load(), 5);
}

TEST_P(HttpServerTest, PipelinedRequestsAreAllAnsweredInOrder) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.Send(Post("p1", "first=1") + Get("p2", "/second") + Post("p3", "") +
                     Post("p4", std::string(5000, 'z'))))
      << c.error();
  ExpectEchoResponse(c, "POST", "/echo", "p1", "first=1");
  ExpectEchoResponse(c, "GET", "/second", "p2", "");
  ExpectEchoResponse(c, "POST", "/echo", "p3", "");
  ExpectEchoResponse(c, "POST", "/echo", "p4", std::string(5000, 'z'));
  EXPECT_EQ(handler_calls_.load(), 4);
}

TEST_P(HttpServerTest, RequestsArrivingInSmallPiecesAreParsed) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  std::string body(100, 'x');
  std::string wire = Post("s1", "first body", "/pieces?a=1") + Post("s2", body);
  size_t sent = 0;
  for (size_t k = 0; sent < wire.size(); ++k) {
    size_t n = std::min(wire.size() - sent, 1 + k % 7);
    ASSERT_TRUE(c.Send(std::string_view(wire).substr(sent, n))) << c.error();
    sent += n;
    std::this_thread::sleep_for(1ms);
  }
  ExpectEchoResponse(c, "POST", "/pieces?a=1", "s1", "first body");
  ExpectEchoResponse(c, "POST", "/echo", "s2", body);
}

TEST_P(HttpServerTest, ChunkedRequestBodyReachesTheHandlerDechunked) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  // Hex sizes in both cases, a chunk extension and a trailer (RFC 9112 7.1).
  ASSERT_TRUE(
      c.Send("POST /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Token: c1\r\n"
             "Transfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n"
             "7;name=value\r\n, world\r\n"
             "a\r\n0123456789\r\n"
             "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
             "0\r\nX-Trailer: t\r\n\r\n"))
      << c.error();
  ExpectEchoResponse(c, "POST", "/chunked", "c1",
                     "hello, world0123456789abcdefghijklmnopqrstuvwxyz");
  // The connection is still framed right after it.
  ExpectEcho(c, Post("c2", "after"), "POST", "/echo", "c2", "after");
}

// --- closing ----------------------------------------------------------------------------------

TEST_P(HttpServerTest, Http10RequestWithoutKeepAliveIsAnsweredThenClosed) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.Send(Get("old", "/echo", "HTTP/1.0"))) << c.error();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  EXPECT_EQ(r->status, 200) << r->status_line;
  EXPECT_EQ(r->body, Echoed("GET", "/echo", "old", ""));
  EXPECT_FALSE(r->ConnectionIs("keep-alive"));
  EXPECT_TRUE(c.WaitForClose()) << c.error();
  EXPECT_EQ(c.pending(), "");
}

TEST_P(HttpServerTest, Http10KeepAliveKeepsTheConnectionOpen) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  for (std::string token : {"a", "b"}) {
    ASSERT_TRUE(c.Send(Get(token, "/echo", "HTTP/1.0", "Connection: keep-alive\r\n"))) << c.error();
    auto r = c.Read();
    ASSERT_TRUE(r) << c.error();
    EXPECT_EQ(r->body, Echoed("GET", "/echo", token, ""));
    // An HTTP/1.0 client closes unless told the connection persists.
    EXPECT_TRUE(r->ConnectionIs("keep-alive")) << token;
  }
}

TEST_P(HttpServerTest, ConnectionCloseIsAnsweredWithConnectionCloseThenClosed) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.Send(Post("bye", "last", "/echo", "Connection: close\r\n"))) << c.error();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  EXPECT_EQ(r->status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r->body, Echoed("POST", "/echo", "bye", "last"));
  EXPECT_TRUE(r->ConnectionIs("close"));
  EXPECT_TRUE(c.WaitForClose()) << c.error();
  EXPECT_EQ(c.pending(), "");
}

// --- limits -----------------------------------------------------------------------------------

TEST_P(HttpServerTest, BodyOfExactlyMaxBodyBytesIsAccepted) {
  options_.max_body_bytes = 1024;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  std::string body(1024, 'b');
  ExpectEcho(c, Post("limit", body), "POST", "/echo", "limit", body);
}

TEST_P(HttpServerTest, BodyLargerThanMaxBodyBytesGets413AndClose) {
  options_.max_body_bytes = 1024;
  ExpectRefusedAsTooLarge(Post("big", std::string(2048, 'b')));
}

TEST_P(HttpServerTest, ChunkedBodyLargerThanMaxBodyBytesGets413AndClose) {
  options_.max_body_bytes = 1024;
  std::string chunk = "300\r\n" + std::string(0x300, 'c') + "\r\n";  // 768 bytes each
  ExpectRefusedAsTooLarge(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Token: big\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      chunk + chunk + "0\r\n\r\n");
}

TEST_P(HttpServerTest, HeaderLargerThanMaxHeaderBytesGets413AndClose) {
  options_.max_header_bytes = 1024;
  ExpectRefusedAsTooLarge(
      Get("big", "/echo", "HTTP/1.1", "X-Big: " + std::string(4000, 'h') + "\r\n"));
}

// --- bad input --------------------------------------------------------------------------------

TEST_P(HttpServerTest, MalformedRequestIsClosedAndTheServerKeepsServing) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const std::vector<std::string> malformed = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET /echo\r\n\r\n",
      "GET /echo HTTX/1.1\r\n\r\n",
      "GET /echo HTTP/1.1 trailing\r\n\r\n",
      "GET /echo HTTP/1.1\r\nNo colon in this line\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
  };
  for (const std::string& request : malformed) {
    SCOPED_TRACE(request);
    Client c(port_);
    ASSERT_TRUE(c.Send(request)) << c.error();
    EXPECT_TRUE(c.WaitForClose()) << c.error();
    // Closing silently is fine; if the server answers first, it is a 400.
    if (!c.pending().empty()) {
      EXPECT_EQ(c.pending().rfind("HTTP/1.1 400 ", 0), 0u);
    }
  }
  EXPECT_EQ(handler_calls_.load(), 0);
  ExpectServing();
}

// --- timeouts ---------------------------------------------------------------------------------

TEST_P(HttpServerTest, IncompleteRequestIsClosedAfterTheReadTimeout) {
  options_.read_timeout = 1s;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client in_head(port_), in_body(port_);
  auto start = SteadyClock::now();
  ASSERT_TRUE(in_head.Send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"))
      << in_head.error();
  ASSERT_TRUE(in_body.Send(Post("half", "0123456789").substr(0, 80))) << in_body.error();
  for (Client* c : {&in_head, &in_body}) {
    EXPECT_TRUE(c->WaitForClose(4s)) << c->error();
    // Closing silently is fine; if the server answers first, it is a 408.
    if (!c->pending().empty()) {
      EXPECT_EQ(c->pending().rfind("HTTP/1.1 408 ", 0), 0u);
    }
  }
  EXPECT_GE(Since(start), 500ms) << "closed long before the read timeout";
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_P(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterTheReadTimeout) {
  options_.read_timeout = 1s;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ExpectEcho(c, Post("idle", "x"), "POST", "/echo", "idle", "x");
  auto start = SteadyClock::now();
  EXPECT_TRUE(c.WaitForClose(4s)) << c.error();
  EXPECT_GE(Since(start), 500ms) << "closed long before the read timeout";
  EXPECT_EQ(c.pending(), "");
}

TEST_P(HttpServerTest, BusyConnectionOutlivesTheReadTimeout) {
  options_.read_timeout = 1s;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  auto start = SteadyClock::now();
  auto previous = start;
  for (int i = 0; i < 9; ++i) {  // one every 300 ms: 2.4 s in all
    std::string token = "busy" + std::to_string(i);
    ASSERT_NO_FATAL_FAILURE(ExpectEcho(c, Post(token, "x"), "POST", "/echo", token, "x"))
        << "request " << i << ", " << Since(previous).count() << " ms after the one before";
    previous = SteadyClock::now();
    std::this_thread::sleep_for(300ms);
  }
  EXPECT_GT(Since(start), 2s);
  EXPECT_FALSE(c.closed());
}

// A response that shows state not yet on disk is held until the group commit has made it
// durable (IamService::WhenDurable, answered from the committer's thread), then sent; the
// connection goes on serving.
TEST_P(HttpServerTest, AResponseIsHeldUntilTheStateItShowsIsDurable) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  // The service's writes so far (a new data folder records when the account was created) end
  // at `last`; the next write is last + 1.
  api::HttpResponse first = CreateRole("first-role");
  ASSERT_EQ(first.status, 200) << first.body;
  const uint64_t last = first.wait_for;
  ASSERT_GT(last, 0u);
  const std::string next = "X-Wait-For: " + std::to_string(last + 1) + "\r\n";
  Client c(port_);
  ASSERT_TRUE(c.Send(Post("held", "", "/echo", next))) << c.error();
  EXPECT_FALSE(c.Read(300ms)) << "answered before sequence number " << last + 1 << " was written";
  EXPECT_EQ(c.pending(), "");
  api::HttpResponse created = CreateRole("held-role");
  ASSERT_EQ(created.status, 200) << created.body;
  ASSERT_EQ(created.wait_for, last + 1);
  ExpectEchoResponse(c, "POST", "/echo", "held", "");
  ExpectEcho(c, Post("after", "x"), "POST", "/echo", "after", "x");
  // Already durable: answered at once.
  ExpectEcho(c, Post("durable", "", "/echo", next), "POST", "/echo", "durable", "");
}

// A client may end its side after its request (a half close): the request is still answered,
// then the connection closed. Also while the answer waits for durability, when the end of the
// client's bytes arrives before the answer is sent.
TEST_P(HttpServerTest, ARequestFollowedByAHalfCloseIsAnsweredThenClosed) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  {
    Client c(port_);
    ASSERT_TRUE(c.Send(Post("half-closed", "x"))) << c.error();
    ASSERT_TRUE(c.ShutdownWrite()) << c.error();
    ExpectEchoResponse(c, "POST", "/echo", "half-closed", "x");
    EXPECT_TRUE(c.WaitForClose());
  }
  Client c(port_);
  ASSERT_TRUE(c.Send(Post("held", "", "/echo", HoldUntilNextWrite("half-first")))) << c.error();
  ASSERT_TRUE(c.ShutdownWrite()) << c.error();
  EXPECT_FALSE(c.Read(200ms)) << "answered before it was durable";
  EXPECT_FALSE(c.closed()) << "closed before its answer was sent";
  ASSERT_EQ(CreateRole("half-second").status, 200);
  ExpectEchoResponse(c, "POST", "/echo", "held", "");
  EXPECT_TRUE(c.WaitForClose());
}

// A client that pipelines far more than it has been answered for (here ~400 KB behind an
// answer held for durability) gets every answer, in order, once the first is sent: the server
// stops reading from it while it is that far ahead (io_uring loop: past 64 KiB buffered) and
// reads on as it answers.
TEST_P(HttpServerTest, AClientFarAheadOfItsAnswersGetsThemAllInOrder) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.Send(Post("held", "", "/echo", HoldUntilNextWrite("ahead-first")))) << c.error();
  constexpr int kAhead = 400;
  const std::string body(1000, 'a');
  std::string ahead;
  for (int i = 0; i < kAhead; ++i) ahead += Post("ahead" + std::to_string(i), body);
  // Sent from another thread: if the server stops reading, the socket buffers fill up and
  // this send waits until the answers are being read below.
  auto sender = std::async(std::launch::async, [&c, &ahead] { return c.Send(ahead); });
  EXPECT_FALSE(c.Read(300ms)) << "answered before it was durable";
  ASSERT_EQ(CreateRole("ahead-second").status, 200);
  ExpectEchoResponse(c, "POST", "/echo", "held", "");
  for (int i = 0; i < kAhead; ++i)
    ASSERT_NO_FATAL_FAILURE(
        ExpectEchoResponse(c, "POST", "/echo", "ahead" + std::to_string(i), body))
        << "answer " << i;
  EXPECT_TRUE(sender.get()) << c.error();
  EXPECT_EQ(handler_calls_.load(), kAhead + 1);
}

// --- concurrency ------------------------------------------------------------------------------

TEST_P(HttpServerTest, ManyConcurrentKeepAliveClientsEachGetTheirOwnResponses) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_EQ(RunConcurrentClients(/*threads=*/10, /*connections=*/5, /*requests=*/20), 1000);
  EXPECT_EQ(handler_calls_.load(), 1000);
}

// A send takes what the socket buffer holds; the rest must follow as the reader drains it,
// and the next request on the connection must still be answered.
TEST_P(HttpServerTest, ResponseLargerThanTheSocketBufferArrivesWholeToASlowReader) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  constexpr size_t kBig = 16 << 20;
  ASSERT_TRUE(c.Send(Post("big", "", "/echo", "X-Big: " + std::to_string(kBig) + "\r\n")))
      << c.error();
  std::this_thread::sleep_for(200ms);  // let the server fill the socket buffers first
  auto r = c.Read(20s);
  ASSERT_TRUE(r) << c.error();
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(r->body.size(), kBig);
  EXPECT_EQ(r->body.find_first_not_of('b'), std::string::npos);
  ExpectEcho(c, Post("after-big", "x"), "POST", "/echo", "after-big", "x");
}

TEST_P(HttpServerTest, OneWorkerThreadServesConcurrentClients) {
  options_.threads = 1;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_EQ(RunConcurrentClients(4, 3, 10), 120);
}

TEST_P(HttpServerTest, ThreeWorkerThreadsServeConcurrentClients) {
  options_.threads = 3;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_EQ(RunConcurrentClients(4, 3, 10), 120);
}

// On io_uring, a new connection goes to the worker whose index is the CPU its packets arrive on
// (http_server.h, ServerOptions::threads): a client thread that stays on one CPU has its first
// connections served by one worker thread, not dealt out in turn.
TEST_P(HttpServerTest, ConnectionsOfAClientOnOneCpuGoToOneWorker) {
  const std::vector<std::thread::id> threads = WorkersOfConnectionsFromOneCpu(4);
  if (!server_runs_on_io_uring_) GTEST_SKIP() << "the Asio loop deals connections in turn";
  ASSERT_EQ(threads.size(), 4u);
  for (const auto& t : threads) EXPECT_EQ(t, threads[0]);
}

// However the connections arrive, no worker gets more than 4 connections beyond the least
// loaded one: packets that all arrive on one CPU (a single-queue NIC) still use every worker.
TEST_P(HttpServerTest, ConnectionsArrivingOnOneCpuStillUseEveryWorker) {
  const std::vector<std::thread::id> threads = WorkersOfConnectionsFromOneCpu(24);
  ASSERT_EQ(threads.size(), 24u);
  std::map<std::thread::id, int> per_thread;
  for (const auto& t : threads) ++per_thread[t];
  ASSERT_EQ(per_thread.size(), 2u);
  const auto [low, high] = std::ranges::minmax(per_thread | std::views::values);
  EXPECT_LE(high - low, 5) << high << " connections on one worker, " << low << " on the other";
}

// --- endpoints --------------------------------------------------------------------------------

TEST_P(HttpServerTest, AddEndpointFailsOnAPortInUse) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  HttpServer other(*service_, options_, nullptr);
  Endpoint taken = endpoint_;
  taken.port = port_;
  auto added = other.AddEndpoint(taken);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kServiceFailure);
  EXPECT_NE(added.error().message.find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
      << added.error().message;
  ExpectServing();
}

// AddEndpoint(endpoint) fails with ServiceFailure, and its message has `says` in it.
void ExpectAddEndpointFails(api::IamService& service, const ServerOptions& options,
                            const Endpoint& endpoint, std::string_view says) {
  HttpServer server(service, options, nullptr);
  auto added = server.AddEndpoint(endpoint);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kServiceFailure);
  EXPECT_NE(added.error().message.find(says), std::string::npos) << added.error().message;
}

TEST_P(HttpServerTest, AddEndpointFailsOnABadAddress) {
  Endpoint bad = endpoint_;
  bad.host = "not-an-address";
  ExpectAddEndpointFails(*service_, options_, bad, "not-an-address");
}

TEST_P(HttpServerTest, EachEndpointServesItsOwnHandler) {
  Endpoint second;
  second.name = "second";
  second.serve_healthz = false;
  second.handle = [](const api::HttpRequest& r) {
    api::HttpResponse out;
    out.content_type = "text/plain";
    out.body = "second " + std::string(r.target);
    return out;
  };
  HttpServer server(*service_, options_, nullptr);
  ASSERT_TRUE(server.AddEndpoint(endpoint_));
  ASSERT_TRUE(server.AddEndpoint(second));
  ASSERT_NE(server.port(0), 0);
  ASSERT_NE(server.port(1), 0);
  ASSERT_NE(server.port(0), server.port(1));
  server.Start();

  Client first(server.port(0));
  ExpectEcho(first, Post("e0", "x"), "POST", "/echo", "e0", "x");
  Client other(server.port(1));
  ASSERT_TRUE(other.Send(Get("e1", "/healthz"))) << other.error();
  auto r = other.Read();
  ASSERT_TRUE(r) << other.error();
  EXPECT_EQ(r->body, "second /healthz");
}

// --- HTTPS endpoints ---------------------------------------------------------------------------

// The test certificate, and a copy of `key` in `dir` with mode 0600 (iamd refuses key files
// others can read; git keeps no modes).
TlsFiles TestTlsFiles(const std::filesystem::path& dir, std::string_view key = "server-key.pem") {
  const std::string copy = (dir / ("copy-of-" + std::string(key))).string();
  std::filesystem::copy_file(TlsTestdata(key), copy,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(
      copy, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return {TlsTestdata("server-cert.pem"), copy};
}

TEST_P(HttpServerTest, HttpsEndpointServesKeepAliveRequestsOverTls) {
  endpoint_.tls = TestTlsFiles(dir_);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.StartTls(TlsTestdata("ca-cert.pem"))) << c.error();
  EXPECT_TRUE(c.tls_version() == "TLSv1.3" || c.tls_version() == "TLSv1.2") << c.tls_version();
  ExpectEcho(c, Post("t1", "over tls"), "POST", "/echo", "t1", "over tls");
  ExpectEcho(c, Get("t2"), "GET", "/echo", "t2", "");
  ASSERT_TRUE(c.Send(Get("t3", "/healthz"))) << c.error();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok\n");
}

// What aws:SecureTransport is made of (authz.cc).
TEST_P(HttpServerTest, OnlyRequestsOfAnHttpsEndpointAreSecureTransport) {
  Endpoint plain = endpoint_;
  endpoint_.tls = TestTlsFiles(dir_);
  HttpServer server(*service_, options_, nullptr);
  ASSERT_TRUE(server.AddEndpoint(endpoint_));
  ASSERT_TRUE(server.AddEndpoint(plain));
  server.Start();
  Client secure(server.port(0));
  ASSERT_TRUE(secure.StartTls(TlsTestdata("ca-cert.pem"))) << secure.error();
  ASSERT_TRUE(secure.Send(Get("s"))) << secure.error();
  auto r = secure.Read();
  ASSERT_TRUE(r) << secure.error();
  EXPECT_EQ(r->Header("X-Secure-Transport"), "true");
  Client clear(server.port(1));
  ASSERT_TRUE(clear.Send(Get("c"))) << clear.error();
  r = clear.Read();
  ASSERT_TRUE(r) << clear.error();
  EXPECT_EQ(r->Header("X-Secure-Transport"), "false");
}

TEST_P(HttpServerTest, PlainHttpToAnHttpsEndpointGets400SayingSoAndClose) {
  endpoint_.tls = TestTlsFiles(dir_);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  {
    Client c(port_);
    ASSERT_TRUE(c.Send(Post("p", "x"))) << c.error();
    auto r = c.Read();
    ASSERT_TRUE(r) << c.error();
    EXPECT_EQ(r->status, 400) << r->status_line;
    EXPECT_NE(r->body.find("HTTPS endpoint"), std::string::npos) << r->body;
    EXPECT_TRUE(r->ConnectionIs("close"));
    ASSERT_TRUE(c.ShutdownWrite()) << c.error();
    EXPECT_TRUE(c.WaitForClose()) << c.error();
  }
  EXPECT_EQ(handler_calls_.load(), 0);
  Client tls(port_);
  ASSERT_TRUE(tls.StartTls(TlsTestdata("ca-cert.pem"))) << tls.error();
  ExpectEcho(tls, Get("after"), "GET", "/echo", "after", "");
}

TEST_P(HttpServerTest, HttpsEndpointRefusesTls11AndAcceptsTls12) {
  endpoint_.tls = TestTlsFiles(dir_);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client old(port_);
  EXPECT_FALSE(old.StartTls(TlsTestdata("ca-cert.pem"), TLS1_1_VERSION));
  Client tls12(port_);
  ASSERT_TRUE(tls12.StartTls(TlsTestdata("ca-cert.pem"), TLS1_2_VERSION)) << tls12.error();
  EXPECT_EQ(tls12.tls_version(), "TLSv1.2");
  ExpectEcho(tls12, Get("v12"), "GET", "/echo", "v12", "");
}

// A TLS 1.3 client chooses the group of its key share; a finite-field one (ffdhe8192) costs
// the server ~120 ms of CPU per handshake, so a server that takes them is easy to exhaust.
TEST_P(HttpServerTest, ConnectionCloseOverTlsEndsWithCloseNotify) {
  endpoint_.tls = TestTlsFiles(dir_);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.StartTls(TlsTestdata("ca-cert.pem"))) << c.error();
  ASSERT_TRUE(c.Send(Get("bye", "/echo", "HTTP/1.1", "Connection: close\r\n"))) << c.error();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  EXPECT_TRUE(r->ConnectionIs("close"));
  EXPECT_TRUE(c.WaitForClose()) << c.error();
  EXPECT_TRUE(c.close_notify()) << "closed without a TLS close_notify";
}

TEST_P(HttpServerTest, HttpsEndpointRefusesFiniteFieldKeyExchange) {
  endpoint_.tls = TestTlsFiles(dir_);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client ffdhe(port_);
  EXPECT_FALSE(ffdhe.StartTls(TlsTestdata("ca-cert.pem"), 0, "ffdhe2048:ffdhe8192"));
  for (const char* group : {"X25519", "P-256", "P-384"}) {
    Client ec(port_);
    ASSERT_TRUE(ec.StartTls(TlsTestdata("ca-cert.pem"), 0, group)) << group << ": " << ec.error();
    ExpectEcho(ec, Get(group), "GET", "/echo", group, "");
  }
}

TEST_P(HttpServerTest, TheTlsHandshakeAndTheFirstRequestShareOneDeadline) {
  options_.read_timeout = 2s;
  endpoint_.tls = TestTlsFiles(dir_);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client late(port_);
  const auto start = SteadyClock::now();
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(late.StartTls(TlsTestdata("ca-cert.pem"))) << late.error();
  // Closed at the deadline set when the connection came (2 s, swept every 0.5 s), not 2 s
  // after the handshake.
  EXPECT_TRUE(late.WaitForClose(4s)) << late.error();
  EXPECT_LT(Since(start), 3200ms);
}

TEST_P(HttpServerTest, StalledTlsHandshakesAreClosedAfterTheReadTimeout) {
  options_.read_timeout = 1s;
  endpoint_.tls = TestTlsFiles(dir_);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client silent(port_), partial(port_);
  const auto start = SteadyClock::now();
  // The first bytes of a TLS record header (a handshake, TLS 1.0 record version), then nothing.
  ASSERT_TRUE(partial.Send(std::string("\x16\x03\x01", 3))) << partial.error();
  for (Client* c : {&silent, &partial}) EXPECT_TRUE(c->WaitForClose(4s)) << c->error();
  EXPECT_GE(Since(start), 500ms) << "closed long before the read timeout";
  EXPECT_EQ(handler_calls_.load(), 0);
}

// Replaces `path` with a test file, mode 0600 (copy_file gives it the source's mode).
void Overwrite(const std::string& path, std::string_view testdata) {
  std::filesystem::copy_file(TlsTestdata(testdata), path,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

// The endpoint's files in the test's folder, first holding the test pair: ReloadTls() reads
// what is there when it runs.
TlsFiles CopiedTlsFiles(const std::filesystem::path& dir) {
  TlsFiles files{(dir / "chain.pem").string(), (dir / "key.pem").string()};
  Overwrite(files.certificate_chain, "server-cert.pem");
  Overwrite(files.private_key, "server-key.pem");
  return files;
}

TEST_P(HttpServerTest, ReloadTlsGivesNewConnectionsTheRenewedCertificate) {
  const TlsFiles files = CopiedTlsFiles(dir_);
  endpoint_.tls = files;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client before(port_);
  ASSERT_TRUE(before.StartTls(TlsTestdata("ca-cert.pem"))) << before.error();
  ExpectEcho(before, Get("b1"), "GET", "/echo", "b1", "");

  Overwrite(files.certificate_chain, "renewed-server-cert.pem");
  Overwrite(files.private_key, "renewed-server-key.pem");
  auto reloaded = server_->ReloadTls();
  ASSERT_TRUE(reloaded) << reloaded.error().message;

  Client renewed(port_);
  ASSERT_TRUE(renewed.StartTls(TlsTestdata("renewed-ca-cert.pem"))) << renewed.error();
  ExpectEcho(renewed, Get("r1"), "GET", "/echo", "r1", "");
  Client old_trust(port_);
  EXPECT_FALSE(old_trust.StartTls(TlsTestdata("ca-cert.pem")));
  // A connection made before the reload goes on with the certificate it started with.
  ExpectEcho(before, Get("b2"), "GET", "/echo", "b2", "");
}

TEST_P(HttpServerTest, ReloadTlsKeepsThePairInUseWhenTheNewOneIsBad) {
  const TlsFiles files = CopiedTlsFiles(dir_);
  endpoint_.tls = files;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Overwrite(files.private_key, "other-key.pem");  // not the certificate's key
  auto reloaded = server_->ReloadTls();
  ASSERT_FALSE(reloaded);
  EXPECT_NE(reloaded.error().message.find("does not match"), std::string::npos)
      << reloaded.error().message;
  Client c(port_);
  ASSERT_TRUE(c.StartTls(TlsTestdata("ca-cert.pem"))) << c.error();
  ExpectEcho(c, Get("still"), "GET", "/echo", "still", "");
}

// The key file's checks (http_server.cc, ReadPemFile), as AddEndpoint, ReloadTls and
// CheckTlsFiles apply them.
TEST_P(HttpServerTest, TlsKeyFilesOthersCanReadAreRefused) {
  const TlsFiles files = CopiedTlsFiles(dir_);
  std::filesystem::permissions(files.private_key, std::filesystem::perms(0644));
  auto checked = CheckTlsFiles(files);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("has mode 0644"), std::string::npos)
      << checked.error().message;
  std::filesystem::permissions(files.private_key, std::filesystem::perms(0600));
  EXPECT_TRUE(CheckTlsFiles(files));
}

TEST_P(HttpServerTest, TlsFilesThatAreNotRegularFilesAreRefusedWithoutWaiting) {
  const TlsFiles files = CopiedTlsFiles(dir_);
  const std::string fifo = (dir_ / "fifo.pem").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  const auto start = SteadyClock::now();
  for (std::string TlsFiles::*file : {&TlsFiles::certificate_chain, &TlsFiles::private_key}) {
    TlsFiles bad = files;
    bad.*file = fifo;  // a FIFO no one writes to: a blocking open would wait forever
    auto checked = CheckTlsFiles(bad);
    ASSERT_FALSE(checked);
    EXPECT_NE(checked.error().message.find("is not a regular file"), std::string::npos)
        << checked.error().message;
  }
  EXPECT_LT(Since(start), 1s);
}

TEST_P(HttpServerTest, EncryptedTlsKeysAreRefusedWithoutAPassphrasePrompt) {
  const TlsFiles files = CopiedTlsFiles(dir_);
  for (std::string_view form : {"encrypted-key.pem", "encrypted-traditional-key.pem"}) {
    Overwrite(files.private_key, form);
    auto checked = CheckTlsFiles(files);
    ASSERT_FALSE(checked) << form;
    EXPECT_NE(checked.error().message.find("is encrypted"), std::string::npos)
        << checked.error().message;
  }
}

TEST_P(HttpServerTest, ReloadTlsRefusesAKeyFileOthersCanRead) {
  const TlsFiles files = CopiedTlsFiles(dir_);
  endpoint_.tls = files;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Overwrite(files.certificate_chain, "renewed-server-cert.pem");
  Overwrite(files.private_key, "renewed-server-key.pem");
  std::filesystem::permissions(files.private_key, std::filesystem::perms(0644));
  auto reloaded = server_->ReloadTls();
  ASSERT_FALSE(reloaded);
  EXPECT_NE(reloaded.error().message.find("has mode 0644"), std::string::npos)
      << reloaded.error().message;
  Client c(port_);  // still the pair it started with
  ASSERT_TRUE(c.StartTls(TlsTestdata("ca-cert.pem"))) << c.error();
}

TEST_P(HttpServerTest, AddEndpointNamesAMissingCertificateFile) {
  Endpoint https = endpoint_;
  https.tls = TlsFiles{TlsTestdata("no-such-cert.pem"), TestTlsFiles(dir_).private_key};
  ExpectAddEndpointFails(*service_, options_, https, "no-such-cert.pem");
}

TEST_P(HttpServerTest, AddEndpointRefusesAKeyThatIsNotTheCertificates) {
  Endpoint https = endpoint_;
  https.tls = TestTlsFiles(dir_, "other-key.pem");
  ExpectAddEndpointFails(*service_, options_, https, "does not match");
}

TEST_P(HttpServerTest, AddEndpointRefusesAKeyFileThatIsNotAKey) {
  const std::string not_a_key = (dir_ / "README.md").string();
  Overwrite(not_a_key, "README.md");
  Endpoint https = endpoint_;
  https.tls = TlsFiles{TlsTestdata("server-cert.pem"), not_a_key};
  ExpectAddEndpointFails(*service_, options_, https, "README.md holds no PEM private key");
}

// --- Limits on connections -----------------------------------------------------------------

TEST_P(HttpServerTest, AConnectionBeyondMaxConnectionsIsClosedAtOnce) {
  options_.max_connections = 2;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  auto first = std::make_unique<Client>(port_);
  Client second(port_);
  ExpectEcho(*first, Get("one"), "GET", "/echo", "one", "");
  ExpectEcho(second, Get("two"), "GET", "/echo", "two", "");
  {
    Client third(port_);
    ASSERT_TRUE(third.connected()) << third.error();  // the kernel's backlog takes it
    third.Send(Get("three"));  // may fail: the server may have closed it already
    EXPECT_TRUE(third.WaitForClose()) << third.error();
    EXPECT_EQ(third.pending(), "");
  }
  // Once a connection ends, a new one is served (after the server has seen the end).
  first.reset();
  bool served = false;
  for (auto start = SteadyClock::now(); !served && Since(start) < kIoTimeout;) {
    Client next(port_);
    if (next.Send(Get("next"))) served = next.Read(1s).has_value();
  }
  EXPECT_TRUE(served) << "no connection served after one of the two ended";
  ExpectEcho(second, Get("again"), "GET", "/echo", "again", "");
}

// --- Stop and Wait ----------------------------------------------------------------------------

TEST_P(HttpServerTest, StopClosesIdleConnections) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client kept_alive(port_);
  ExpectEcho(kept_alive, Post("idle", "x"), "POST", "/echo", "idle", "x");
  Client silent(port_);  // connected, never sent anything
  ASSERT_TRUE(silent.connected()) << silent.error();
  std::this_thread::sleep_for(20ms);  // let the server accept it

  auto start = SteadyClock::now();
  server_->Stop();
  EXPECT_LT(Since(start), 3s) << "Stop() waited drain_timeout (5 s) for idle connections";
  EXPECT_TRUE(kept_alive.WaitForClose()) << kept_alive.error();
  EXPECT_EQ(kept_alive.pending(), "");
  EXPECT_TRUE(silent.WaitForClose()) << silent.error();
  EXPECT_EQ(silent.pending(), "");
}

TEST_P(HttpServerTest, StopLetsARequestInFlightFinish) {
  std::promise<void> entered;
  std::atomic<bool> first{true};
  endpoint_.handle = [&](const api::HttpRequest&) {
    if (first.exchange(false)) entered.set_value();
    std::this_thread::sleep_for(200ms);
    api::HttpResponse out;
    out.content_type = "text/plain";
    out.body = "finished";
    return out;
  };
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ASSERT_TRUE(c.Send(Post("slow", ""))) << c.error();
  ASSERT_EQ(entered.get_future().wait_for(kIoTimeout), std::future_status::ready);

  server_->Stop();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  EXPECT_EQ(r->status, 200) << r->status_line;
  EXPECT_EQ(r->body, "finished");
  // The server closes this connection next, and says so (RFC 9112 9.6).
  EXPECT_TRUE(r->ConnectionIs("close"));
  EXPECT_TRUE(c.WaitForClose()) << c.error();
  EXPECT_EQ(c.pending(), "");
}

TEST_P(HttpServerTest, StopStopsAccepting) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  server_->Stop();
  Client c(port_);
  if (c.connected()) {  // refused is the usual answer; a connection must at least go unserved
    c.Send(Post("late", ""));
    EXPECT_TRUE(c.WaitForClose()) << c.error();
    EXPECT_EQ(c.pending(), "");
  }
  EXPECT_EQ(handler_calls_.load(), 0);
}

TEST_P(HttpServerTest, StopIsIdempotent) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ExpectEcho(c, Post("once", ""), "POST", "/echo", "once", "");
  std::thread([this] { server_->Stop(); }).join();  // from a thread that is not a worker
  server_->Stop();
  server_->Stop();
  EXPECT_TRUE(c.WaitForClose()) << c.error();
  server_.reset();  // the destructor stops once more
}

TEST_P(HttpServerTest, WaitReturnsOnceStopped) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  auto waiting = std::async(std::launch::async, [this] { server_->Wait(); });
  EXPECT_EQ(waiting.wait_for(100ms), std::future_status::timeout) << "Wait() before Stop()";
  server_->Stop();
  if (waiting.wait_for(kIoTimeout) != std::future_status::ready) {
    ADD_FAILURE() << "Wait() still blocked after Stop()";
    // Leak the waiter and the server it uses rather than hang the test.
    new std::future<void>(std::move(waiting));
    (void)server_.release();
    return;
  }
  // And at once when already stopped.
  auto again = std::async(std::launch::async, [this] { server_->Wait(); });
  EXPECT_EQ(again.wait_for(kIoTimeout), std::future_status::ready);
}

// Nothing is in flight, so Stop() (which the destructor calls) has nothing to wait for. This is
// the path of a start-up that fails at its second AddEndpoint (tools/iamd_main.cc).
TEST_P(HttpServerTest, DestroyingAServerThatNeverStartedIsQuick) {
  auto start = SteadyClock::now();
  {
    HttpServer server(*service_, options_, nullptr);
    ASSERT_TRUE(server.AddEndpoint(endpoint_));
  }
  EXPECT_LT(Since(start), 2s) << "drain_timeout is 5 s";
}

// --- request log ------------------------------------------------------------------------------

TEST_P(HttpServerTest, RequestLogGetsOneEntryPerRequest) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ExpectEcho(c, Post("log1", "x", "/first"), "POST", "/first", "log1", "x");
  ASSERT_TRUE(c.Send(Post("log2", "", "/second", "X-Status: 404\r\n"))) << c.error();
  auto r = c.Read();
  ASSERT_TRUE(r) << c.error();
  EXPECT_EQ(r->status, 404);
  ExpectEcho(c, Get("log3", "/third"), "GET", "/third", "log3", "");
  server_->Stop();  // the log calls are done once the workers are

  std::vector<LoggedRequest> log = Logged();
  ASSERT_EQ(log.size(), 3u);
  std::ranges::sort(log, {}, &LoggedRequest::request_id);
  const struct {
    std::string method, target, request_id;
    int status;
  } expected[] = {{"POST", "/first", "req-log1", 200},
                  {"POST", "/second", "req-log2", 404},
                  {"GET", "/third", "req-log3", 200}};
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(expected[i].request_id);
    EXPECT_EQ(log[i].request_id, expected[i].request_id);
    EXPECT_EQ(log[i].status, expected[i].status);
    EXPECT_EQ(log[i].method, expected[i].method);
    EXPECT_EQ(log[i].target, expected[i].target);
    EXPECT_EQ(log[i].endpoint, "test-api");
    EXPECT_EQ(log[i].action, "Echo");
    EXPECT_EQ(log[i].caller, "arn:aws:iam::123456789012:user/tester");
    EXPECT_EQ(log[i].remote, "127.0.0.1");
    EXPECT_GE(log[i].micros, 0);
  }
}

TEST_P(HttpServerTest, RequestLogIsSilentWhenDisabled) {
  options_.log_requests = false;
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Client c(port_);
  ExpectEcho(c, Post("q1", "x"), "POST", "/echo", "q1", "x");
  ExpectEcho(c, Get("q2"), "GET", "/echo", "q2", "");
  server_->Stop();
  EXPECT_EQ(Logged().size(), 0u);
  EXPECT_EQ(handler_calls_.load(), 2);
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Loops, HttpServerTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "IoUring" : "AsioEpoll";
                         });

}  // namespace iamd::server
