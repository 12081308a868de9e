#include "auth/internal/canonical.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/strings.h"
#include "common/url.h"

namespace iamd::auth::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// A query component whose canonical form is itself: only unreserved characters. This is what
// SDKs send, so the common case needs no decoding and no copy.
bool AlreadyCanonical(std::string_view text) {
  for (char c : text)
    if (!Unreserved(static_cast<unsigned char>(c))) return false;
  return true;
}

// Appends text to a std::string.
class StringSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void Append(std::string_view s) { out_.append(s); }
  void Push(char c) { out_.push_back(c); }

 private:
  std::string& out_;
};

// Feeds text to SHA-256 through a small buffer, so the many short pieces of a canonical
// request cost a few digest updates rather than one each. The first update goes through
// Sha256::UpdateFirst: canonical requests from SDKs share their opening blocks.
class HashSink {
 public:
  void Append(std::string_view s) {
    if (s.empty()) return;  // its data() may be null, which memcpy must not see
    if (s.size() > sizeof(buf_) - used_) {
      Flush();
      if (s.size() >= sizeof(buf_)) {
        sha_.Update(s);
        return;
      }
    }
    std::memcpy(buf_ + used_, s.data(), s.size());
    used_ += s.size();
  }
  void Push(char c) {
    if (used_ == sizeof(buf_)) Flush();
    buf_[used_++] = c;
  }
  Digest Final() {
    Flush();
    return sha_.Final();
  }

 private:
  void Flush() {
    if (started_) {
      sha_.Update({buf_, used_});
    } else {
      sha_.UpdateFirst({buf_, used_});
      started_ = true;
    }
    used_ = 0;
  }
  Sha256 sha_;
  char buf_[512];
  size_t used_ = 0;
  bool started_ = false;
};

template <typename Sink>
void AppendEncoded(Sink& out, std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (Unreserved(c) || (keep_slash && c == '/')) {
      out.Push(ch);
    } else {
      out.Push('%');
      out.Push(kHex[c >> 4]);
      out.Push(kHex[c & 15]);
    }
  }
}

template <typename Sink>
void WritePath(Sink& out, std::string_view path) {
  if (path == "/" || path.empty()) {  // every IAM and STS request
    out.Push('/');
    return;
  }
  AppendEncoded(out, NormalizePath(path), /*keep_slash=*/true);
}

struct QueryParam {
  std::string_view key;    // canonical (encoded) form
  std::string_view value;  // canonical (encoded) form
};

// Canonical query: decode each component and encode it again, then sort. Components that are
// already canonical are used in place; the others are re-encoded into `arena`, which is sized
// once for the worst case so that views into it stay valid.
template <typename Sink>
void WriteQuery(Sink& out, std::string_view query, bool drop_signature) {
  if (query.empty()) return;
  std::vector<QueryParam> params;
  params.reserve(static_cast<size_t>(std::count(query.begin(), query.end(), '&')) + 1);
  std::string arena;
  bool arena_ready = false;
  auto canonical = [&arena, &arena_ready, query](std::string_view raw) -> std::string_view {
    if (AlreadyCanonical(raw)) return raw;
    // Decoding never lengthens a component and encoding at most triples it, so all of them
    // together fit in three times the query: the arena never reallocates.
    if (!arena_ready) {
      arena.reserve(query.size() * 3);
      arena_ready = true;
    }
    // ParseAuthorization rejected malformed escapes; decode leniently if called without it.
    std::optional<std::string> decoded = DecodeQueryComponent(raw);
    const std::string text = decoded ? std::move(*decoded) : std::string(raw);
    const size_t start = arena.size();
    AppendPercentEncoded(arena, text);
    return std::string_view(arena).substr(start);
  };
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string_view key = canonical(pair.substr(0, eq));
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : canonical(pair.substr(eq + 1));
    if (drop_signature && key == "X-Amz-Signature") continue;
    params.push_back({key, value});
  }
  std::sort(params.begin(), params.end(), [](const QueryParam& a, const QueryParam& b) {
    return a.key != b.key ? a.key < b.key : a.value < b.value;
  });
  bool first = true;
  for (const QueryParam& p : params) {
    if (!first) out.Push('&');
    first = false;
    out.Append(p.key);
    out.Push('=');
    out.Append(p.value);
  }
}

// Trimall: leading and trailing whitespace dropped, each inner run becomes one space.
template <typename Sink>
void WriteHeaderValue(Sink& out, std::string_view value) {
  value = TrimHeaderSpace(value);
  // Most values need no collapsing: copy them whole. Every header space is at most ' ', so
  // most characters pass with one comparison. (A space is never last once trimmed, so
  // value[i + 1] exists.)
  bool plain = true;
  for (size_t i = 0; i < value.size(); ++i) {
    if (static_cast<unsigned char>(value[i]) > ' ') continue;
    if (value[i] == ' ' ? IsHeaderSpace(value[i + 1]) : IsHeaderSpace(value[i])) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out.Append(value);
    return;
  }
  bool in_space = false;
  for (char c : value) {
    if (IsHeaderSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space) out.Push(' ');
    in_space = false;
    out.Push(c);
  }
}

template <typename Sink>
void WriteCanonicalRequest(Sink& out, const HttpRequestView& request, const SigV4Auth& auth,
                           std::string_view payload_hash) {
  const SplitTargetResult target = SplitTarget(request.target);
  out.Append(request.method);
  out.Push('\n');
  WritePath(out, target.path);
  out.Push('\n');
  WriteQuery(out, target.query, auth.presigned);
  out.Push('\n');
  // auth.signed_headers is sorted and lowercase. A signed header the request lacks contributes
  // no line: no client signs a header it does not send, and the signature then cannot match
  // anything the client computed.
  std::string_view names = auth.signed_headers;
  while (!names.empty()) {
    const size_t semi = names.find(';');
    const std::string_view name = names.substr(0, semi);
    names = semi == std::string_view::npos ? std::string_view() : names.substr(semi + 1);
    if (name.empty()) continue;
    bool found = false;
    for (const HttpHeader& header : request.headers) {
      if (!EqualsIgnoreCase(header.first, name)) continue;
      if (found) {
        out.Push(',');
      } else {
        out.Append(name);
        out.Push(':');
        found = true;
      }
      WriteHeaderValue(out, header.second);
    }
    if (found) out.Push('\n');
  }
  out.Push('\n');
  out.Append(auth.signed_headers);
  out.Push('\n');
  out.Append(payload_hash);
}

}  // namespace

SplitTargetResult SplitTarget(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::optional<std::string_view> FindHeader(std::span<const HttpHeader> headers,
                                           std::string_view lowercase_name) {
  for (const HttpHeader& header : headers)
    if (EqualsIgnoreCase(header.first, lowercase_name)) return header.second;
  return std::nullopt;
}

std::string_view TrimHeaderSpace(std::string_view s) {
  while (!s.empty() && IsHeaderSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsHeaderSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<std::string> DecodeQueryComponent(std::string_view text) {
  return PercentDecode(text, /*plus_is_space=*/true);
}

std::optional<std::string> FindMalformedEscape(std::string_view query) {
  for (size_t i = 0; i < query.size(); ++i) {
    if (query[i] != '%') continue;
    if (i + 2 >= query.size()) return std::string("Incomplete trailing escape % sequence");
    if (HexValue(query[i + 1]) < 0 || HexValue(query[i + 2]) < 0) {
      std::string message = "Illegal hex character in escape % pattern: %";
      message.push_back(query[i + 1]);
      message.push_back(query[i + 2]);
      return message;
    }
    i += 2;
  }
  return std::nullopt;
}

std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::string_view rest = path;
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  std::string out;
  out.reserve(path.size() + 1);
  if (path.front() == '/') out.push_back('/');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) out.push_back('/');
  if (out.empty()) out.push_back('/');
  return out;
}

void AppendCanonicalRequest(std::string& out, const HttpRequestView& request, const SigV4Auth& auth,
                            std::string_view payload_hash) {
  StringSink sink(out);
  WriteCanonicalRequest(sink, request, auth, payload_hash);
}

Digest HashCanonicalRequest(const HttpRequestView& request, const SigV4Auth& auth,
                            std::string_view payload_hash) {
  HashSink sink;
  WriteCanonicalRequest(sink, request, auth, payload_hash);
  return sink.Final();
}

HexDigest SignatureFor(const Digest& signing_key, const SigV4Auth& auth,
                       const Digest& canonical_request_hash) {
  const HexDigest hash_hex = ToHex(canonical_request_hash);
  return ToHex(
      HmacSha256(AsStringView(signing_key),
                 {kSigV4Algorithm, "\n", auth.amz_date, "\n", auth.scope_date, "/", auth.region,
                  "/", auth.service, "/", auth.terminator, "\n", AsStringView(hash_hex)}));
}

}  // namespace iamd::auth::internal
