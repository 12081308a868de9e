// Typed condition values: numbers, dates, IP networks, booleans, binary. Policy values are
// parsed once when a policy is compiled; request values are parsed on evaluation without
// allocating. Internal to src/policy. All functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace iamd::policy::internal {

// A number as the Numeric* operators compare it: exact for integers, double otherwise.
struct Number {
  bool is_integer = true;
  int64_t integer = 0;
  double real = 0;
};
std::optional<Number> ParseNumber(std::string_view text);
// -1, 0, 1.
int CompareNumbers(const Number& a, const Number& b);

// Dates as the Date* operators read them: ISO 8601 (`2026-01-02`, `2026-01-02T03:04:05Z`,
// fractions, `+hh:mm` offsets, missing trailing fields) or epoch seconds. Milliseconds since
// the epoch, UTC.
std::optional<int64_t> ParseDateMillis(std::string_view text);

// An IPv4 or IPv6 network: address bytes (IPv4 in the first 4) and prefix length. A bare
// address is a /32 or /128.
struct IpNetwork {
  bool v6 = false;
  uint8_t prefix = 0;
  std::array<uint8_t, 16> bytes{};
};
std::optional<IpNetwork> ParseIpNetwork(std::string_view text);
// Whether address `ip` (a /32 or /128 network) lies in `net`.
bool IpInNetwork(const IpNetwork& ip, const IpNetwork& net);

// "true"/"false", case-insensitively.
std::optional<bool> ParseBool(std::string_view text);

}  // namespace iamd::policy::internal
