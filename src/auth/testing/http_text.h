// Test support: requests written as HTTP/1.1 text, the way the AWS SigV4 test suite and the
// botocore fixtures store them, and the few fixture-reading helpers the auth tests share.
// Test-only (linked into test binaries, never into iamd).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.h"

namespace iamd::auth::test_support {

// A request that owns its bytes. View() borrows from it: keep the object alive and unchanged
// while the view is in use.
class OwnedRequest {
 public:
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  HttpRequestView View();
  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }

 private:
  std::vector<HttpHeader> header_views_;
};

// Reads "METHOD TARGET HTTP/1.1" (the target may contain spaces), header lines "Name:value"
// (value trimmed of SP/HT as an HTTP parser would; a line starting with SP/HT continues the
// previous value after one space, as RFC 9112 allows for obs-fold), a blank line, then the body
// verbatim. Lines may end in LF or CRLF. Nullopt if there is no request line.
std::optional<OwnedRequest> ParseHttpText(std::string_view text);

// The repository root: $IAMD_SOURCE_DIR, else the IAMD_SOURCE_DIR the test was compiled with.
std::filesystem::path SourceDir();

// The whole file; nullopt if it cannot be read.
std::optional<std::string> ReadFile(const std::filesystem::path& path);

// The whole of src/auth/testdata/`relative`. Throws std::runtime_error naming the file if it
// cannot be read, so that a missing fixture fails its test instead of reading as "".
std::string AuthTestdata(std::string_view relative);

// Reads a top-level-or-nested `"key": "string"` / `"key": true|false` from small, trusted JSON
// fixtures (context.json). The first occurrence of the key wins. Not a JSON parser.
std::optional<std::string> JsonStringField(std::string_view json, std::string_view key);
std::optional<bool> JsonBoolField(std::string_view json, std::string_view key);

// Epoch milliseconds of "2015-08-30T12:36:00Z".
int64_t ParseTimestampOrDie(std::string_view iso8601);

}  // namespace iamd::auth::test_support
