#include <algorithm>
#include <span>
#include <string>

#include "common/strings.h"
#include "policy/policy.h"

namespace iamd::policy {
namespace {

using internal::Piece;
using internal::PieceKind;

bool AllStars(std::span<const Piece> pieces) {
  return std::all_of(pieces.begin(), pieces.end(),
                     [](const Piece& p) { return p.kind == PieceKind::kStar; });
}

// Whether `pieces` (an Action pattern: literals, `*` and `?`, no variables) match some text
// that begins with `prefix` (ASCII).
bool MatchesSomeWithPrefix(std::span<const Piece> pieces, std::string_view prefix) {
  if (prefix.empty()) return true;  // the rest of the pattern matches some continuation
  if (pieces.empty()) return false;
  const Piece& p = pieces.front();
  const auto rest = pieces.subspan(1);
  switch (p.kind) {
    case PieceKind::kLiteral: {
      const size_t n = std::min(p.text.size(), prefix.size());
      return p.text.substr(0, n) == prefix.substr(0, n) &&
             MatchesSomeWithPrefix(rest, prefix.substr(n));
    }
    case PieceKind::kQuestion:
      return MatchesSomeWithPrefix(rest, prefix.substr(1));
    case PieceKind::kStar:
      for (size_t i = 0; i <= prefix.size(); ++i)
        if (MatchesSomeWithPrefix(rest, prefix.substr(i))) return true;
      return false;
    case PieceKind::kVariable:
      return false;
  }
  return false;
}

// Whether `pieces` match every text that begins with `prefix` and goes on.
bool MatchesAllWithPrefix(std::span<const Piece> pieces, std::string_view prefix) {
  if (prefix.empty()) return !pieces.empty() && AllStars(pieces);
  if (pieces.empty()) return false;
  const Piece& p = pieces.front();
  const auto rest = pieces.subspan(1);
  switch (p.kind) {
    case PieceKind::kLiteral:
      return prefix.starts_with(p.text) && MatchesAllWithPrefix(rest, prefix.substr(p.text.size()));
    case PieceKind::kQuestion:
      return MatchesAllWithPrefix(rest, prefix.substr(1));
    case PieceKind::kStar:
      if (AllStars(rest)) return true;  // this star takes whatever follows
      for (size_t i = 0; i <= prefix.size(); ++i)
        if (MatchesAllWithPrefix(rest, prefix.substr(i))) return true;
      return false;
    case PieceKind::kVariable:
      return false;
  }
  return false;
}

// `service` is lower-case, as compiled patterns are.
bool NamesSomeActionOf(const ActionPattern& a, std::string_view service, std::string_view prefix) {
  if (a.match_all) return true;
  if (!a.service_has_wildcard) return a.service == service && !a.name.pieces.empty();
  return MatchesSomeWithPrefix(a.name.pieces, prefix);
}

bool CoversEveryActionOf(const ActionPattern& a, std::string_view service,
                         std::string_view prefix) {
  if (a.match_all) return true;
  if (!a.service_has_wildcard)
    return a.service == service && !a.name.pieces.empty() && AllStars(a.name.pieces);
  return MatchesAllWithPrefix(a.name.pieces, prefix);
}

}  // namespace

bool AllowsSomeActionOf(const Policy& policy, std::string_view service) {
  const std::string lower = AsciiLower(service);
  const std::string prefix = lower + ":";
  for (const Statement& st : policy.statements()) {
    if (st.effect != Effect::kAllow) continue;
    if (!st.not_action) {
      for (const ActionPattern& a : st.actions)
        if (NamesSomeActionOf(a, lower, prefix)) return true;
    } else if (std::none_of(st.actions.begin(), st.actions.end(), [&](const ActionPattern& a) {
                 return CoversEveryActionOf(a, lower, prefix);
               })) {
      return true;
    }
  }
  return false;
}

}  // namespace iamd::policy
