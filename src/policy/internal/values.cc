#include "policy/internal/values.h"

#include <charconv>
#include <cmath>

#include "common/strings.h"
#include "common/time.h"

namespace iamd::policy::internal {

std::optional<Number> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string_view t = text;
  if (t.front() == '+') t.remove_prefix(1);
  Number n;
  const char* end = t.data() + t.size();
  auto [p, ec] = std::from_chars(t.data(), end, n.integer);
  if (ec == std::errc() && p == end) return n;
  n.is_integer = false;
  auto [q, ec2] = std::from_chars(t.data(), end, n.real);
  if (ec2 != std::errc() || q != end || !std::isfinite(n.real)) return std::nullopt;
  return n;
}

int CompareNumbers(const Number& a, const Number& b) {
  if (a.is_integer && b.is_integer) return a.integer < b.integer ? -1 : (a.integer > b.integer);
  double x = a.is_integer ? static_cast<double>(a.integer) : a.real;
  double y = b.is_integer ? static_cast<double>(b.integer) : b.real;
  return x < y ? -1 : (x > y);
}

namespace {

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::optional<int64_t> ParseDateMillis(std::string_view text) {
  // Epoch seconds (aws:EpochTime, and policies may compare against it).
  if (AllDigits(text) || (text.size() > 1 && text[0] == '-' && AllDigits(text.substr(1)))) {
    auto secs = ParseInt64(text);
    if (!secs || *secs > 9223372036854775LL || *secs < -9223372036854775LL) return std::nullopt;
    return *secs * 1000;
  }
  size_t pos = 0;
  int year, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t millis = 0, offset_minutes = 0;
  if (!Digits(text, pos, 4, year)) return std::nullopt;
  if (pos < text.size() && text[pos] == '-') {
    ++pos;
    if (!Digits(text, pos, 2, month)) return std::nullopt;
    if (pos < text.size() && text[pos] == '-') {
      ++pos;
      if (!Digits(text, pos, 2, day)) return std::nullopt;
    }
  }
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't')) {
    ++pos;
    if (!Digits(text, pos, 2, hour)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!Digits(text, pos, 2, minute)) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!Digits(text, pos, 2, second)) return std::nullopt;
        if (pos < text.size() && text[pos] == '.') {
          ++pos;
          int scale = 100;
          size_t digits = 0;
          while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            millis += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
            ++digits;
          }
          if (digits == 0 || digits > 9) return std::nullopt;
        }
      }
    }
    if (pos < text.size()) {
      char z = text[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        ++pos;
        int oh, om = 0;
        if (!Digits(text, pos, 2, oh) || oh > 23) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') {
          ++pos;
          if (!Digits(text, pos, 2, om) || om > 59) return std::nullopt;
        }
        offset_minutes = (oh * 60 + om) * (z == '+' ? 1 : -1);
      }
    }
  }
  if (pos != text.size()) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || hour > 23 || minute > 59 ||
      second > 59)
    return std::nullopt;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return secs * 1000 + millis;
}

namespace {

bool ParseIpv4(std::string_view s, uint8_t* out) {
  int part = 0;
  size_t pos = 0;
  while (part < 4) {
    size_t start = pos;
    int v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && pos - start < 3) {
      v = v * 10 + (s[pos] - '0');
      ++pos;
    }
    if (pos == start || v > 255) return false;
    out[part++] = static_cast<uint8_t>(v);
    if (part < 4) {
      if (pos >= s.size() || s[pos] != '.') return false;
      ++pos;
    }
  }
  return pos == s.size();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = AsciiLower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool ParseIpv6(std::string_view s, uint8_t* out) {
  uint16_t groups[8] = {};
  int count = 0, gap = -1;
  size_t pos = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    gap = 0;
    pos = 2;
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  while (pos < s.size()) {
    if (count == 8) return false;
    // An embedded IPv4 tail (::ffff:10.0.0.1).
    size_t next_colon = s.find(':', pos);
    std::string_view group = s.substr(pos, next_colon == std::string_view::npos ? s.npos : next_colon - pos);
    if (group.find('.') != std::string_view::npos) {
      if (next_colon != std::string_view::npos || count > 6) return false;
      uint8_t v4[4];
      if (!ParseIpv4(group, v4)) return false;
      groups[count++] = static_cast<uint16_t>(v4[0] << 8 | v4[1]);
      groups[count++] = static_cast<uint16_t>(v4[2] << 8 | v4[3]);
      pos = s.size();
      break;
    }
    if (group.empty() || group.size() > 4) return false;
    int v = 0;
    for (char c : group) {
      int h = HexValue(c);
      if (h < 0) return false;
      v = v * 16 + h;
    }
    groups[count++] = static_cast<uint16_t>(v);
    pos += group.size();
    if (pos == s.size()) break;
    ++pos;  // ':'
    if (pos < s.size() && s[pos] == ':') {
      if (gap >= 0) return false;
      gap = count;
      ++pos;
    } else if (pos == s.size()) {
      return false;  // trailing single ':'
    }
  }
  if (gap >= 0) {
    if (count == 8) return false;
    int tail = count - gap;
    for (int i = 0; i < tail; ++i) groups[7 - i] = groups[count - 1 - i];
    for (int i = gap; i < 8 - tail; ++i) groups[i] = 0;
  } else if (count != 8) {
    return false;
  }
  for (int i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<uint8_t>(groups[i] & 0xFF);
  }
  return true;
}

}  // namespace

std::optional<IpNetwork> ParseIpNetwork(std::string_view text) {
  IpNetwork net;
  size_t slash = text.find('/');
  std::string_view addr = text.substr(0, slash);
  net.v6 = addr.find(':') != std::string_view::npos;
  if (net.v6 ? !ParseIpv6(addr, net.bytes.data()) : !ParseIpv4(addr, net.bytes.data()))
    return std::nullopt;
  int max = net.v6 ? 128 : 32;
  net.prefix = static_cast<uint8_t>(max);
  if (slash != std::string_view::npos) {
    std::string_view bits = text.substr(slash + 1);
    if (!AllDigits(bits) || bits.size() > 3) return std::nullopt;
    int p = 0;
    for (char c : bits) p = p * 10 + (c - '0');
    if (p > max) return std::nullopt;
    net.prefix = static_cast<uint8_t>(p);
  }
  return net;
}

bool IpInNetwork(const IpNetwork& ip, const IpNetwork& net) {
  if (ip.v6 != net.v6) return false;
  int full = net.prefix / 8, rest = net.prefix % 8;
  for (int i = 0; i < full; ++i)
    if (ip.bytes[i] != net.bytes[i]) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (ip.bytes[full] & mask) == (net.bytes[full] & mask);
}

std::optional<bool> ParseBool(std::string_view text) {
  if (EqualsIgnoreCase(text, "true")) return true;
  if (EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

}  // namespace iamd::policy::internal
