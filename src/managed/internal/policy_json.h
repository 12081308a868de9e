// Build-time JSON for the managed policies catalog: a value tree that keeps what the source says
// (member order, numbers as written) and a renderer that prints a policy document the way AWS
// shows managed policies. Used by the generator, never by the server. Pure functions.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace iamd::managed::internal {

struct JsonMember;

struct JsonValue {
  enum class Kind { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  std::string text;                 // kString: the decoded string; kNumber: its source text
  std::vector<JsonValue> elements;  // kArray
  std::vector<JsonMember> members;  // kObject, in source order, keys unique

  // The value of member `key` of an object, or nullptr (also for non-objects).
  const JsonValue* Find(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

// Parses strict JSON (RFC 8259): valid UTF-8, no comments, no trailing commas, no NaN, nothing
// after the root value, no key twice in one object (AWS rejects duplicate keys in policies), and
// no number beyond the range of a double (RapidJSON checks that even for numbers kept as text).
// On failure returns "line L, column C: <what is wrong>" (1-based; columns count bytes).
std::expected<JsonValue, std::string> ParseJson(std::string_view text);

// Renders a policy document as the IAM console shows an AWS managed policy: 4-space indentation,
// `"key": value`, one member or element per line, `[]` and `{}` when empty, no final newline.
// Members of the document come in the order Version, Id, Statement; members of each statement
// (each element of a Statement array, or a lone Statement object) in the order Sid, Effect,
// Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition; any other member
// follows those in source order, and everything nested keeps source order. Numbers are written as
// in the source; strings escape only `"`, `\` and control characters, and keep UTF-8 as is.
std::string RenderAwsPolicyDocument(const JsonValue& document);

}  // namespace iamd::managed::internal
