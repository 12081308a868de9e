#include "auth/testing/http_text.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/strings.h"
#include "common/time.h"

namespace iamd::auth::test_support {

HttpRequestView OwnedRequest::View() {
  header_views_.clear();
  for (const auto& [name, value] : headers) header_views_.emplace_back(name, value);
  return HttpRequestView{method, target, header_views_, body};
}

std::optional<OwnedRequest> ParseHttpText(std::string_view text) {
  // Split off the body at the first empty line.
  std::string_view head = text;
  std::string_view body;
  for (std::string_view separator : {"\r\n\r\n", "\n\n"}) {
    const size_t at = text.find(separator);
    if (at != std::string_view::npos && at < head.size()) {
      head = text.substr(0, at);
      body = text.substr(at + separator.size());
    }
  }
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
  }
  if (lines.empty()) return std::nullopt;
  const std::string_view request_line = lines[0];
  const size_t first_space = request_line.find(' ');
  const size_t last_space = request_line.rfind(' ');
  if (first_space == std::string_view::npos || last_space <= first_space) return std::nullopt;

  OwnedRequest request;
  request.method = request_line.substr(0, first_space);
  request.target = request_line.substr(first_space + 1, last_space - first_space - 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (request.headers.empty()) return std::nullopt;
      std::string& value = request.headers.back().second;
      value.push_back(' ');
      value.append(TrimAscii(line));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    request.AddHeader(std::string(line.substr(0, colon)),
                      std::string(TrimAscii(line.substr(colon + 1))));
  }
  request.body = body;
  return request;
}

std::filesystem::path SourceDir() {
  if (const char* env = std::getenv("IAMD_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return IAMD_SOURCE_DIR;
}

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string AuthTestdata(std::string_view relative) {
  const std::filesystem::path path = SourceDir() / "src/auth/testdata" / relative;
  auto text = ReadFile(path);
  if (!text) throw std::runtime_error("cannot read test data " + path.string());
  return std::move(*text);
}

namespace {

// The text right after `"key":` and any spaces.
std::optional<std::string_view> ValueAfterKey(std::string_view json, std::string_view key) {
  std::string quoted(1, '"');  // built piecewise: GCC 12 misreports "\"" + s (-Wrestrict)
  quoted.append(key).push_back('"');
  const size_t at = json.find(quoted);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = json.substr(at + quoted.size());
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\n')) rest.remove_prefix(1);
  if (rest.empty() || rest.front() != ':') return std::nullopt;
  rest.remove_prefix(1);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\n')) rest.remove_prefix(1);
  return rest;
}

}  // namespace

std::optional<std::string> JsonStringField(std::string_view json, std::string_view key) {
  std::optional<std::string_view> rest = ValueAfterKey(json, key);
  if (!rest || rest->empty() || rest->front() != '"') return std::nullopt;
  const size_t end = rest->find('"', 1);  // fixtures hold no escaped quotes
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(rest->substr(1, end - 1));
}

std::optional<bool> JsonBoolField(std::string_view json, std::string_view key) {
  std::optional<std::string_view> rest = ValueAfterKey(json, key);
  if (!rest) return std::nullopt;
  if (StartsWith(*rest, "true")) return true;
  if (StartsWith(*rest, "false")) return false;
  return std::nullopt;
}

int64_t ParseTimestampOrDie(std::string_view iso8601) {
  std::optional<int64_t> millis = ParseIso8601Millis(iso8601);
  if (!millis) std::abort();
  return *millis;
}

}  // namespace iamd::auth::test_support
