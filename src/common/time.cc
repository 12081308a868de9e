#include "common/time.h"

#include <algorithm>
#include <cstdio>

namespace iamd {
namespace {

struct Civil {
  int64_t y;
  unsigned m, d;
};

// Howard Hinnant's civil-from-days algorithm.
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool ValidFields(int y, int mo, int d, int h, int mi, int s) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || s > 60) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(mo == 2 && d == 29 && !leap);
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

size_t FormatIso8601(int64_t epoch_millis, char (&buf)[64]) {
  int64_t secs = epoch_millis >= 0 ? epoch_millis / 1000 : (epoch_millis - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  Civil c = CivilFromDays(days);
  if (c.y < 0 || c.y > 9999) {
    int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                          static_cast<long long>(c.y), c.m, c.d, static_cast<int>(rem / 3600),
                          static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
    return n > 0 ? std::min(static_cast<size_t>(n), sizeof buf - 1) : 0;
  }
  // The common case without printf: this runs for every date in every response.
  auto two = [&](int at, unsigned v) {
    buf[at] = static_cast<char>('0' + v / 10);
    buf[at + 1] = static_cast<char>('0' + v % 10);
  };
  auto y = static_cast<unsigned>(c.y);
  two(0, y / 100);
  two(2, y % 100);
  buf[4] = '-';
  two(5, c.m);
  buf[7] = '-';
  two(8, c.d);
  buf[10] = 'T';
  two(11, static_cast<unsigned>(rem / 3600));
  buf[13] = ':';
  two(14, static_cast<unsigned>(rem / 60 % 60));
  buf[16] = ':';
  two(17, static_cast<unsigned>(rem % 60));
  buf[19] = 'Z';
  return 20;
}

std::string FormatIso8601(int64_t epoch_millis) {
  char buf[64];
  return std::string(buf, FormatIso8601(epoch_millis, buf));
}

std::string FormatAmzDate(int64_t epoch_millis) {
  std::string iso = FormatIso8601(epoch_millis);  // YYYY-MM-DDTHH:MM:SSZ
  std::string out;
  out.reserve(16);
  for (char c : iso)
    if (c != '-' && c != ':') out.push_back(c);
  return out;
}

std::optional<int64_t> ParseIso8601Millis(std::string_view t) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (!Digits(t, 0, 4, y) || t.size() < 10 || t[4] != '-' || !Digits(t, 5, 2, mo) || t[7] != '-' ||
      !Digits(t, 8, 2, d))
    return std::nullopt;
  size_t pos = 10;
  int64_t millis = 0;
  int64_t offset_minutes = 0;
  if (pos < t.size()) {
    if (t[pos] != 'T' && t[pos] != 't') return std::nullopt;
    if (!Digits(t, pos + 1, 2, h) || pos + 3 >= t.size() || t[pos + 3] != ':' ||
        !Digits(t, pos + 4, 2, mi))
      return std::nullopt;
    pos += 6;
    if (pos < t.size() && t[pos] == ':') {
      if (!Digits(t, pos + 1, 2, s)) return std::nullopt;
      pos += 3;
      if (pos < t.size() && t[pos] == '.') {
        ++pos;
        int scale = 100, digits = 0;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
          millis += (t[pos] - '0') * scale;
          scale /= 10;
          ++pos;
          ++digits;
        }
        if (digits == 0) return std::nullopt;
      }
    }
    if (pos == t.size()) return std::nullopt;  // a time needs a zone
    if (t[pos] == 'Z' || t[pos] == 'z') {
      ++pos;
    } else if (t[pos] == '+' || t[pos] == '-') {
      int oh, om;
      if (!Digits(t, pos + 1, 2, oh) || pos + 3 >= t.size() || t[pos + 3] != ':' ||
          !Digits(t, pos + 4, 2, om) || oh > 23 || om > 59)
        return std::nullopt;
      offset_minutes = (oh * 60 + om) * (t[pos] == '+' ? 1 : -1);
      pos += 6;
    } else {
      return std::nullopt;
    }
  }
  if (pos != t.size() || !ValidFields(y, mo, d, h, mi, s)) return std::nullopt;
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
  return secs * 1000 + millis;
}

std::optional<int64_t> ParseAmzDateMillis(std::string_view t) {
  int y, mo, d, h, mi, s;
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z' || !Digits(t, 0, 4, y) ||
      !Digits(t, 4, 2, mo) || !Digits(t, 6, 2, d) || !Digits(t, 9, 2, h) ||
      !Digits(t, 11, 2, mi) || !Digits(t, 13, 2, s) || !ValidFields(y, mo, d, h, mi, s))
    return std::nullopt;
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return (days * 86400 + h * 3600 + mi * 60 + s) * 1000;
}

}  // namespace iamd
