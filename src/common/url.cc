#include "common/url.h"

#include <algorithm>
#include <array>

namespace iamd {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  size_t i = 0;
  while (i < text.size() && text[i] != '%' && !(plus_is_space && text[i] == '+')) ++i;
  std::string out(text.substr(0, i));  // most components have nothing to decode
  if (i == text.size()) return out;
  out.resize(text.size());
  char* w = out.data() + i;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      *w++ = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      *w++ = ' ';
    } else {
      *w++ = c;
    }
  }
  out.resize(static_cast<size_t>(w - out.data()));
  return out;
}

void AppendPercentEncoded(std::string& out, std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr auto kUnreserved = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = Unreserved(static_cast<unsigned char>(c));
    return t;
  }();
  size_t start = out.size();
  out.resize(start + text.size() * 3);  // the worst case, trimmed below
  char* w = out.data() + start;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (kUnreserved[c] || (keep_slash && c == '/')) {
      *w++ = ch;
    } else {
      *w++ = '%';
      *w++ = kHex[c >> 4];
      *w++ = kHex[c & 15];
    }
  }
  out.resize(static_cast<size_t>(w - out.data()));
}

std::string PercentEncode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size() * 3 / 2);
  AppendPercentEncoded(out, text, keep_slash);
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseFormEncoded(
    std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(static_cast<size_t>(std::count(body.begin(), body.end(), '&')) + 1);
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1),
                               true);
    if (!key || !value) return std::nullopt;
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

}  // namespace iamd
