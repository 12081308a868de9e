// A small JSON tree for policy documents, built by RapidJSON's SAX Reader (the only place in
// iamd that includes RapidJSON). Internal to src/policy: other modules call ParsePolicy.
//
// ParseJson accepts RFC 8259 JSON only: no comments, no trailing commas, valid UTF-8, numbers
// kept as their original text, and no duplicate keys in any object (AWS rejects them; RapidJSON
// and most DOM parsers silently keep one). Nesting deeper than kMaxJsonDepth is refused so that
// neither parsing nor destroying the tree can exhaust the stack. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace iamd::policy::internal {

inline constexpr int kMaxJsonDepth = 64;

enum class JsonType : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

struct JsonNode {
  JsonType type = JsonType::kNull;
  bool boolean = false;
  std::string text;               // string contents (unescaped) or the number's text
  uint32_t begin = 0;             // byte offset of the value's first character
  uint32_t end = 0;               // byte offset just past the value
  std::vector<std::string> keys;  // object member names, in document order
  std::vector<JsonNode> children; // object member values (parallel to keys) or array elements

  bool is_string() const { return type == JsonType::kString; }
  bool is_object() const { return type == JsonType::kObject; }
  bool is_array() const { return type == JsonType::kArray; }
  // The member named `key` (case-sensitive), or nullptr.
  const JsonNode* Find(std::string_view key) const;
};

struct JsonError {
  uint32_t offset = 0;  // byte offset where parsing stopped
};

// Parses `text` into `out`. Returns false (with `error` set) on any syntax error, invalid
// UTF-8, duplicate key or excessive nesting.
bool ParseJson(std::string_view text, JsonNode& out, JsonError& error);

// 1-based line and column (in characters, counting each UTF-8 sequence once) of a byte offset.
struct LineColumn {
  uint32_t line = 1;
  uint32_t column = 1;
};
LineColumn OffsetToLineColumn(std::string_view text, uint32_t offset);

}  // namespace iamd::policy::internal
