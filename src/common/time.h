// Timestamps on the wire: ISO 8601 UTC with `Z` (never `+00:00`, which breaks the Go SDK) and
// SigV4's basic format. All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iamd {

// 2026-11-28T00:42:45Z (whole seconds, as IAM prints them).
std::string FormatIso8601(int64_t epoch_millis);
// The same text written into `buf` (no allocation); returns its length (20 for years 0-9999).
size_t FormatIso8601(int64_t epoch_millis, char (&buf)[64]);
// Parses 2026-11-28T00:42:45Z, with optional fraction and a `Z`, `+00:00` or other offset.
std::optional<int64_t> ParseIso8601Millis(std::string_view text);
// 20261128T004245Z, the X-Amz-Date format.
std::string FormatAmzDate(int64_t epoch_millis);
std::optional<int64_t> ParseAmzDateMillis(std::string_view text);

// Days since 1970-01-01 for a civil date (proleptic Gregorian), and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

}  // namespace iamd
