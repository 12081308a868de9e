#include "policy/internal/glob.h"

#include <algorithm>
#include <memory>

#include "common/strings.h"

#include "policy/context.h"

namespace iamd::policy::internal {
namespace {

size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

void AppendLiteral(std::vector<Piece>& pieces, std::string_view text) {
  if (text.empty()) return;
  pieces.push_back(Piece{PieceKind::kLiteral, false, text, {}});
}

// Parses the inside of `${...}`. Returns false if it is not a well-formed variable.
bool ParseVariable(std::string_view inner, std::string_view& key, std::string_view& fallback,
                   bool& has_fallback) {
  has_fallback = false;
  size_t comma = inner.find(',');
  std::string_view name = inner.substr(0, comma);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  if (name.empty()) return false;
  key = name;
  if (comma == std::string_view::npos) return true;
  std::string_view rest = inner.substr(comma + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  // AWS: "surround the default value with single quotes".
  if (rest.size() < 2 || rest.front() != '\'' || rest.back() != '\'') return false;
  fallback = rest.substr(1, rest.size() - 2);
  has_fallback = true;
  return true;
}

}  // namespace

Pattern CompilePattern(std::string_view text, PatternOptions options, StringArena& arena) {
  Pattern p;
  p.source = text;
  size_t literal_start = 0;
  size_t i = 0;
  auto flush = [&](size_t upto) { AppendLiteral(p.pieces, text.substr(literal_start, upto - literal_start)); };
  while (i < text.size()) {
    char c = text[i];
    if (options.wildcards && (c == '*' || c == '?')) {
      flush(i);
      p.pieces.push_back(Piece{c == '*' ? PieceKind::kStar : PieceKind::kQuestion, false, {}, {}});
      literal_start = ++i;
      continue;
    }
    if (options.variables && c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        std::string_view inner = text.substr(i + 2, close - i - 2);
        // ${*}, ${?} and ${$} stand for the literal characters (AWS "Special characters").
        if (inner == "*" || inner == "?" || inner == "$") {
          flush(i);
          AppendLiteral(p.pieces, text.substr(i + 2, 1));
          literal_start = i = close + 1;
          continue;
        }
        std::string_view key, fallback;
        bool has_fallback;
        if (ParseVariable(inner, key, fallback, has_fallback)) {
          flush(i);
          p.pieces.push_back(Piece{PieceKind::kVariable, has_fallback, key, fallback});
          p.has_variable = true;
          literal_start = i = close + 1;
          continue;
        }
      }
    }
    ++i;
  }
  flush(text.size());
  // Merge adjacent literals (from ${*} etc.) into one arena string so equality stays cheap.
  std::vector<Piece> merged;
  for (size_t k = 0; k < p.pieces.size(); ++k) {
    if (p.pieces[k].kind == PieceKind::kLiteral && k + 1 < p.pieces.size() &&
        p.pieces[k + 1].kind == PieceKind::kLiteral) {
      std::string joined;
      while (k < p.pieces.size() && p.pieces[k].kind == PieceKind::kLiteral)
        joined += p.pieces[k++].text;
      --k;
      merged.push_back(Piece{PieceKind::kLiteral, false, arena.Store(std::move(joined)), {}});
    } else {
      merged.push_back(p.pieces[k]);
    }
  }
  p.pieces = std::move(merged);
  p.match_all = p.pieces.size() == 1 && p.pieces[0].kind == PieceKind::kStar;
  if (p.pieces.empty()) {
    p.literal_only = true;
  } else if (p.pieces.size() == 1 && p.pieces[0].kind == PieceKind::kLiteral) {
    p.literal_only = true;
    p.source_literal = p.pieces[0].text;
  }
  return p;
}

bool MatchPieces(std::span<const Piece> pieces, std::string_view text, bool ignore_case) {
  auto same = [ignore_case](char a, char b) {
    return a == b || (ignore_case && AsciiLower(a) == AsciiLower(b));
  };
  const size_t n = pieces.size();
  size_t pi = 0, po = 0, t = 0;
  size_t star_pi = n, star_t = 0;  // n: no star seen yet
  while (t < text.size()) {
    if (pi < n) {
      const Piece& piece = pieces[pi];
      if (piece.kind == PieceKind::kStar) {
        star_pi = pi++;
        po = 0;
        star_t = t;
        continue;
      }
      if (piece.kind == PieceKind::kQuestion) {
        ++pi;
        t = std::min(text.size(), t + Utf8Length(static_cast<unsigned char>(text[t])));
        continue;
      }
      if (piece.text.empty()) {  // a variable whose value is ""
        ++pi;
        continue;
      }
      if (same(piece.text[po], text[t])) {
        ++po;
        ++t;
        if (po == piece.text.size()) {
          ++pi;
          po = 0;
        }
        continue;
      }
    }
    if (star_pi == n) return false;
    // Let the last star absorb one more character and retry from there.
    pi = star_pi + 1;
    po = 0;
    t = ++star_t;
  }
  if (po != 0) return false;
  while (pi < n && (pieces[pi].kind == PieceKind::kStar ||
                    (pieces[pi].kind == PieceKind::kLiteral && pieces[pi].text.empty())))
    ++pi;
  return pi == n;
}

namespace {

// Replaces variables by literal pieces. Returns false if one has no value.
bool Substitute(const Pattern& pattern, const RequestContext* context, Piece* out) {
  for (size_t i = 0; i < pattern.pieces.size(); ++i) {
    const Piece& piece = pattern.pieces[i];
    out[i] = piece;
    if (piece.kind != PieceKind::kVariable) continue;
    const std::string_view* value = context ? context->FirstValue(piece.text) : nullptr;
    if (value != nullptr) {
      out[i] = Piece{PieceKind::kLiteral, false, *value, {}};
    } else if (piece.has_fallback) {
      out[i] = Piece{PieceKind::kLiteral, false, piece.fallback, {}};
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool MatchPattern(const Pattern& pattern, std::string_view text, const RequestContext* context,
                  bool ignore_case) {
  if (pattern.match_all) return true;
  if (pattern.literal_only)
    return ignore_case ? EqualsIgnoreCase(text, pattern.source_literal)
                       : text == pattern.source_literal;
  if (!pattern.has_variable) return MatchPieces(pattern.pieces, text, ignore_case);
  constexpr size_t kInline = 32;
  Piece inline_pieces[kInline];
  std::unique_ptr<Piece[]> heap;
  Piece* pieces = inline_pieces;
  if (pattern.pieces.size() > kInline) {
    heap = std::make_unique<Piece[]>(pattern.pieces.size());
    pieces = heap.get();
  }
  if (!Substitute(pattern, context, pieces)) return false;
  return MatchPieces(std::span<const Piece>(pieces, pattern.pieces.size()), text, ignore_case);
}

bool ResolvePattern(const Pattern& pattern, const RequestContext* context, std::string& out) {
  for (const Piece& piece : pattern.pieces) {
    switch (piece.kind) {
      case PieceKind::kLiteral: out += piece.text; break;
      case PieceKind::kStar: out += '*'; break;
      case PieceKind::kQuestion: out += '?'; break;
      case PieceKind::kVariable: {
        const std::string_view* value = context ? context->FirstValue(piece.text) : nullptr;
        if (value != nullptr) {
          out += *value;
        } else if (piece.has_fallback) {
          out += piece.fallback;
        } else {
          return false;
        }
        break;
      }
    }
  }
  return true;
}

}  // namespace iamd::policy::internal
