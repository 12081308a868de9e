// Compiled text patterns: the `*` / `?` wildcards and `${...}` policy variables of Action,
// Resource and condition values, split once at compile time into pieces so that matching needs
// neither parsing nor allocation. Internal to src/policy.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iamd::policy {
class RequestContext;
}

namespace iamd::policy::internal {

// Owns the text that compiled policies point into. Stored strings never move.
class StringArena {
 public:
  std::string_view Store(std::string text) {
    strings_.push_back(std::move(text));
    return strings_.back();
  }

 private:
  std::deque<std::string> strings_;
};

enum class PieceKind : uint8_t {
  kLiteral,   // matches `text` exactly
  kStar,      // any run of characters, possibly empty
  kQuestion,  // exactly one character
  kVariable,  // the request's value of context key `text` (or `fallback`), matched literally
};

struct Piece {
  PieceKind kind = PieceKind::kLiteral;
  bool has_fallback = false;
  std::string_view text;
  std::string_view fallback;
};

struct Pattern {
  std::vector<Piece> pieces;
  std::string_view source;    // the text as written in the policy
  bool match_all = false;     // exactly "*" (with wildcards on)
  bool has_variable = false;  // needs a context to resolve
  bool literal_only = false;  // one literal piece: compare with `source_literal`
  std::string_view source_literal;
};

struct PatternOptions {
  bool wildcards = true;  // `*` and `?` are wildcards (Like operators, Action, Resource)
  bool variables = true;  // `${...}` is a policy variable (Version 2012-10-17 only)
};

// Compiles `text`. `${*}`, `${?}` and `${$}` become the literal characters; a `${` without its
// `}` is literal text. Variables: `${key}` or `${key, 'default'}` (spaces around the comma are
// ignored). Views point into `arena` or `text`'s storage, which must outlive the pattern.
Pattern CompilePattern(std::string_view text, PatternOptions options, StringArena& arena);

// Whether `pieces` (no kVariable left) match all of `text`. `?` consumes one UTF-8 character.
// `ignore_case` folds ASCII letters (StringEqualsIgnoreCase).
bool MatchPieces(std::span<const Piece> pieces, std::string_view text, bool ignore_case = false);

// Matches `text` against `pattern`, resolving variables from `context` (may be null: every
// variable without a default then fails). A variable with no value and no default makes the
// pattern match nothing. No allocation for patterns of up to 32 pieces.
bool MatchPattern(const Pattern& pattern, std::string_view text, const RequestContext* context,
                  bool ignore_case = false);

// Resolves a pattern without wildcards (e.g. a StringEquals value with variables) into `out`.
// Returns false if a variable has no value. Appends to `out` (the caller reuses its buffer).
bool ResolvePattern(const Pattern& pattern, const RequestContext* context, std::string& out);

// FNV-1a of a (lower-case) service prefix: statements keep the hashes of the services their
// actions name, so evaluation skips a statement about other services with a few integer compares.
inline uint64_t HashService(std::string_view service) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : service) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace iamd::policy::internal
