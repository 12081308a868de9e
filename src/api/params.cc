#include "api/params.h"

#include <charconv>
#include <unordered_map>

#include "common/strings.h"
#include "common/time.h"

namespace iamd::api {
namespace {

#include "api/params_generated.inc"

// ---- model patterns ----
//
// The service models use Java regular expressions. Nearly all are one character class with `+`
// or `*` ("[\w+=,.@-]+"); those are compiled into a predicate over code points. The few others
// are matched by hand below.

bool IsWord(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsDigit(int32_t c) { return c >= '0' && c <= '9'; }
// Unicode classes, approximated outside ASCII: good enough for tag keys and values, which is
// where the models use them.
bool IsSeparator(int32_t c) {  // \p{Z}
  return c == ' ' || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
         c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}
bool IsNumber(int32_t c) {  // \p{N}
  return IsDigit(c) || c == 0xb2 || c == 0xb3 || c == 0xb9 || (c >= 0xbc && c <= 0xbe) ||
         (c >= 0x660 && c <= 0x669) || (c >= 0xff10 && c <= 0xff19);
}
bool IsLetter(int32_t c) {  // \p{L}
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c < 0x100) return c == 0xaa || c == 0xb5 || c == 0xba || (c >= 0xc0 && c != 0xd7 && c != 0xf7);
  return !IsSeparator(c) && !IsNumber(c) && !(c >= 0x2010 && c <= 0x2bff) &&
         !(c >= 0x3001 && c <= 0x303f) && !(c >= 0xfe30 && c <= 0xfe4f) &&
         !(c >= 0xff01 && c <= 0xff0f);
}

struct CharClass {
  struct Range {
    int32_t lo, hi;
  };
  std::vector<Range> ranges;
  bool word = false, digit = false, letter = false, sep = false, number = false;
  bool allow_empty = false;

  bool Contains(int32_t c) const {
    if ((word && IsWord(c)) || (digit && IsDigit(c)) || (letter && IsLetter(c)) ||
        (sep && IsSeparator(c)) || (number && IsNumber(c)))
      return true;
    for (const auto& r : ranges)
      if (c >= r.lo && c <= r.hi) return true;
    return false;
  }
};

// Parses "[...]+" or "[...]*"; nullopt if the pattern is not of that form.
std::optional<CharClass> CompileClass(std::string_view p) {
  if (p.size() < 3 || p.front() != '[' || (p.back() != '+' && p.back() != '*') ||
      p[p.size() - 2] != ']')
    return std::nullopt;
  CharClass cc;
  cc.allow_empty = p.back() == '*';
  std::string_view body = p.substr(1, p.size() - 3);
  std::vector<int32_t> singles;  // literal code points, to pair into ranges with '-'
  size_t i = 0;
  auto literal = [&](int32_t& out) -> bool {
    if (body[i] != '\\') {
      size_t j = i;
      out = NextUtf8CodePoint(body, j);
      i = j;
      return out >= 0;
    }
    if (i + 1 >= body.size()) return false;
    char e = body[i + 1];
    if (e == 'u') {
      // \uXXXX, or the model's \u10000 / \u10FFFF (five or six hex digits).
      size_t j = i + 2, n = 0;
      int32_t v = 0;
      while (j < body.size() && n < 6 && std::isxdigit(static_cast<unsigned char>(body[j]))) {
        int d = std::isdigit(static_cast<unsigned char>(body[j])) ? body[j] - '0'
                                                                   : (body[j] | 0x20) - 'a' + 10;
        v = v * 16 + d;
        ++j;
        ++n;
      }
      if (n < 4) return false;
      out = v;
      i = j;
      return true;
    }
    out = static_cast<unsigned char>(e);
    i += 2;
    return true;
  };
  while (i < body.size()) {
    if (body.substr(i, 2) == "\\w") { cc.word = true; i += 2; continue; }
    if (body.substr(i, 2) == "\\d") { cc.digit = true; i += 2; continue; }
    if (body.substr(i, 5) == "\\p{L}") { cc.letter = true; i += 5; continue; }
    if (body.substr(i, 5) == "\\p{Z}") { cc.sep = true; i += 5; continue; }
    if (body.substr(i, 5) == "\\p{N}") { cc.number = true; i += 5; continue; }
    int32_t lo;
    if (!literal(lo)) return std::nullopt;
    // A '-' between two literals makes a range; at the end it is a literal '-'.
    if (i + 1 < body.size() && body[i] == '-') {
      ++i;
      int32_t hi;
      if (!literal(hi)) return std::nullopt;
      cc.ranges.push_back({lo, hi});
    } else {
      cc.ranges.push_back({lo, lo});
    }
  }
  return cc;
}

bool MatchClass(const CharClass& cc, std::string_view v) {
  if (v.empty()) return cc.allow_empty;
  for (size_t i = 0; i < v.size();) {
    int32_t c = NextUtf8CodePoint(v, i);
    if (c < 0 || !cc.Contains(c)) return false;
  }
  return true;
}

bool IsPath(std::string_view v) {  // (\u002F)|(\u002F[\u0021-\u007E]+\u002F)
  if (v == "/") return true;
  if (v.size() < 3 || v.front() != '/' || v.back() != '/') return false;
  for (char c : v)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

bool IsPathPrefix(std::string_view v) {  // \u002F[\u0021-\u007F]*
  if (v.empty() || v.front() != '/') return false;
  for (unsigned char c : v)  // bytes of UTF-8 sequences (0x80 and up) are outside the range
    if (c < 0x21 || c > 0x7f) return false;
  return true;
}

bool IsVersionId(std::string_view v) {  // v[1-9][0-9]*(\.[A-Za-z0-9-]*)?
  if (v.size() < 2 || v[0] != 'v' || v[1] < '1' || v[1] > '9') return false;
  size_t i = 2;
  while (i < v.size() && IsDigit(v[i])) ++i;
  if (i == v.size()) return true;
  if (v[i] != '.') return false;
  for (++i; i < v.size(); ++i)
    if (!(IsWord(v[i]) && v[i] != '_') && v[i] != '-') return false;
  return true;
}

bool IsAccountId(std::string_view v) {  // \d{12}
  if (v.size() != 12) return false;
  for (char c : v)
    if (!IsDigit(c)) return false;
  return true;
}

bool IsSlashSegments(std::string_view v) {  // ((/[A-Za-z0-9\.,\+@=_-]+)*)/
  if (v.empty() || v.back() != '/') return false;
  std::string_view rest = v.substr(0, v.size() - 1);
  while (!rest.empty()) {
    if (rest.front() != '/') return false;
    size_t next = rest.find('/', 1);
    std::string_view seg = rest.substr(1, next == std::string_view::npos ? next : next - 1);
    if (seg.empty()) return false;
    for (char c : seg)
      if (!(IsWord(c) || c == '.' || c == ',' || c == '+' || c == '@' || c == '=' || c == '-'))
        return false;
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
  }
  return true;
}

bool IsAccountAlias(std::string_view v) {  // ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$
  if (v.size() < 3 || v.size() > 63 || v.front() == '-' || v.back() == '-') return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '-') {
      if (v[i + 1] == '-') return false;  // never the last character (checked above)
    } else if (!((c >= 'a' && c <= 'z') || IsDigit(c))) {
      return false;
    }
  }
  return true;
}

using Matcher = bool (*)(std::string_view);

struct PatternTable {
  std::unordered_map<std::string_view, CharClass> classes;
  std::unordered_map<std::string_view, Matcher> special;
  PatternTable() {
    special["(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"] = IsPath;
    special["\\u002F[\\u0021-\\u007F]*"] = IsPathPrefix;
    special["v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?"] = IsVersionId;
    special["\\d{12}"] = IsAccountId;
    special["((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"] = IsSlashSegments;
    special["^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"] = IsAccountAlias;
    for (const ParamSpec& p : kGeneratedParams) {
      if (p.pattern.empty() || special.contains(p.pattern) || classes.contains(p.pattern)) continue;
      if (auto cc = CompileClass(p.pattern)) classes.emplace(p.pattern, std::move(*cc));
    }
  }
};

const PatternTable& Patterns() {
  static const PatternTable* table = new PatternTable();
  return *table;
}

// ---- decoding ----

std::string LowerFirst(std::string_view name) {
  std::string s(name);
  if (!s.empty()) s[0] = AsciiLower(s[0]);
  return s;
}

int64_t Utf16Length(std::string_view v) {
  int64_t n = 0;
  for (size_t i = 0; i < v.size();) {
    int32_t c = NextUtf8CodePoint(v, i);
    if (c < 0) {  // count raw bytes of malformed text
      ++i;
      ++n;
      continue;
    }
    n += c > 0xffff ? 2 : 1;
  }
  return n;
}

std::span<const ParamSpec> Children(const ParamSpec& s) {
  return {kGeneratedParams + s.child_first, static_cast<size_t>(s.child_count)};
}

const ParamSpec* FindChild(std::span<const ParamSpec> specs, std::string_view name) {
  for (const auto& s : specs)
    if (s.name == name) return &s;
  return nullptr;
}

// Places `value` at the path `key` (split on '.') below `slot`, guided by `spec`.
// Returns false for keys that do not fit the model (they are ignored, as AWS ignores them).
bool Insert(const ParamSpec& spec, ParamValue& slot, std::string_view key, std::string value) {
  if (key.empty()) {
    if (spec.type == ParamType::kList || spec.type == ParamType::kMap)
      return true;  // "Tags=": an explicitly empty list
    if (spec.type == ParamType::kStructure) return false;
    slot.text = std::move(value);
    return true;
  }
  auto split = [](std::string_view k) {
    size_t dot = k.find('.');
    return std::pair{k.substr(0, dot), dot == std::string_view::npos ? std::string_view()
                                                                     : k.substr(dot + 1)};
  };
  if (spec.type == ParamType::kList) {
    auto [member, rest] = split(key);
    if (member != "member") return false;
    auto [index, tail] = split(rest);
    auto n = ParseInt64(index);
    if (!n || *n < 1) return false;
    // Members arrive in any order (SDKs that sort the query string send member.10 before
    // member.2); they are gathered by number and put in order once all are in, so that memory
    // follows the request's size, not the numbers in it.
    const ParamSpec& item = Children(spec)[0];
    return Insert(item, slot.numbered[*n], tail, std::move(value));
  }
  if (spec.type == ParamType::kStructure) {
    auto [field, rest] = split(key);
    const ParamSpec* child = FindChild(Children(spec), field);
    if (!child) return false;
    return Insert(*child, slot.fields[std::string(field)], rest, std::move(value));
  }
  return false;
}

// Turns the members gathered by number into the list, in order (gaps closed).
void Finish(ParamValue& v) {
  if (!v.numbered.empty()) {
    v.items.reserve(v.numbered.size());
    for (auto& [n, item] : v.numbered) v.items.push_back(std::move(item));
    v.numbered.clear();
  }
  for (auto& item : v.items) Finish(item);
  for (auto& [name, field] : v.fields) Finish(field);
}

// How one value is shown in a message. IAM (recorded 2025-2026) names the member without the
// value ("Value at 'roleName'"); STS still echoes it ("Value 'Session1:2' at 'roleSessionName'").
struct Shown {
  bool echo;
  std::string Of(std::string_view value) const {
    return echo ? "Value '" + std::string(value) + "' at '" : std::string("Value at '");
  }
  std::string Null() const { return echo ? "Value null at '" : "Value at '"; }
};

// Every constraint of a scalar spec, in AWS's order, for the list-member form of the message.
std::string AllConstraints(const ParamSpec& spec) {
  std::string out = "[";
  auto add = [&](std::string_view c) {
    if (out.size() > 1) out += ", ";
    out += c;
  };
  if (spec.max >= 0) add("Member must have length less than or equal to " + std::to_string(spec.max));
  if (spec.min >= 0) add("Member must have length greater than or equal to " + std::to_string(spec.min));
  if (!spec.pattern.empty())
    add("Member must satisfy regular expression pattern: " + std::string(spec.pattern));
  if (spec.enum_count > 0) add("Member must satisfy enum value set");
  add("Member must not be null");
  return out + "]";
}

// Checks a scalar; returns the first violated constraint's text, or "" if it is fine.
std::string ScalarViolation(const ParamSpec& spec, const std::string& text) {
  switch (spec.type) {
    case ParamType::kString: {
      int64_t len = Utf16Length(text);
      if (spec.max >= 0 && len > spec.max)
        return "Member must have length less than or equal to " + std::to_string(spec.max);
      if (spec.min >= 0 && len < spec.min)
        return "Member must have length greater than or equal to " + std::to_string(spec.min);
      if (!spec.pattern.empty() && !MatchesModelPattern(spec.pattern, text))
        return "Member must satisfy regular expression pattern: " + std::string(spec.pattern);
      if (spec.enum_count > 0) {
        for (int i = 0; i < spec.enum_count; ++i)
          if (kGeneratedEnumValues[spec.enum_first + i] == text) return "";
        return "Member must satisfy enum value set";
      }
      return "";
    }
    case ParamType::kInteger: {
      auto n = ParseInt64(text);
      if (!n) return "Member must be a number";
      if (spec.min >= 0 && *n < spec.min)
        return "Member must have value greater than or equal to " + std::to_string(spec.min);
      if (spec.max >= 0 && *n > spec.max)
        return "Member must have value less than or equal to " + std::to_string(spec.max);
      return "";
    }
    case ParamType::kBoolean:
      if (!EqualsIgnoreCase(text, "true") && !EqualsIgnoreCase(text, "false"))
        return "Member must be a boolean";
      return "";
    case ParamType::kTimestamp:
      return ParseIso8601Millis(text) ? "" : "Member must be a timestamp";
    default:
      return "";
  }
}

bool IsScalar(ParamType t) {
  return t != ParamType::kList && t != ParamType::kStructure && t != ParamType::kMap;
}

void Validate(const ParamSpec& spec, const ParamValue* value, const std::string& path,
              const Shown& shown, std::vector<std::string>& errors) {
  auto fail = [&](const std::string& value_part, std::string_view constraint) {
    errors.push_back(value_part + path + "' failed to satisfy constraint: " +
                     std::string(constraint));
  };
  if (!value) {
    if (spec.required) fail(shown.Null(), "Member must not be null");
    return;
  }
  if (IsScalar(spec.type)) {
    std::string violation = ScalarViolation(spec, value->text);
    if (!violation.empty()) fail(shown.Of(value->text), violation);
    return;
  }
  if (spec.type == ParamType::kList) {
    int64_t n = static_cast<int64_t>(value->items.size());
    std::string listed = "[";
    for (size_t i = 0; i < value->items.size(); ++i)
      listed += (i ? ", " : "") + value->items[i].text;
    listed += "]";
    if (spec.max >= 0 && n > spec.max)
      return fail(shown.Of(listed),
                  "Member must have length less than or equal to " + std::to_string(spec.max));
    if (spec.min >= 0 && n < spec.min)
      return fail(shown.Of(listed),
                  "Member must have length greater than or equal to " + std::to_string(spec.min));
    const ParamSpec& item = Children(spec)[0];
    if (IsScalar(item.type)) {
      // A bad member of a list of scalars: the list is named, with all the member's rules.
      for (const auto& v : value->items)
        if (!ScalarViolation(item, v.text).empty())
          return fail(shown.Of(listed), "Member must satisfy constraint: " + AllConstraints(item));
      return;
    }
    for (size_t i = 0; i < value->items.size(); ++i)
      Validate(item, &value->items[i], path + "." + std::to_string(i + 1) + ".member", shown,
               errors);
    return;
  }
  if (spec.type == ParamType::kStructure) {
    for (const ParamSpec& child : Children(spec)) {
      auto it = value->fields.find(child.name);
      Validate(child, it == value->fields.end() ? nullptr : &it->second,
               path + "." + LowerFirst(child.name), shown, errors);
    }
  }
}

}  // namespace

bool MatchesModelPattern(std::string_view pattern, std::string_view value) {
  const PatternTable& t = Patterns();
  if (auto it = t.special.find(pattern); it != t.special.end()) return it->second(value);
  if (auto it = t.classes.find(pattern); it != t.classes.end()) return MatchClass(it->second, value);
  return true;
}

bool IsKnownModelPattern(std::string_view pattern) {
  const PatternTable& t = Patterns();
  return t.special.contains(pattern) || t.classes.contains(pattern);
}

const OperationSpec* FindOperation(std::string_view action) {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const OperationSpec*>();
    for (const OperationSpec& op : kGeneratedOperations) m->emplace(op.name, &op);
    return m;
  }();
  auto it = index->find(action);
  return it == index->end() ? nullptr : it->second;
}

Result<Params> Params::Parse(const OperationSpec& op,
                             std::span<const std::pair<std::string, std::string>> form) {
  Params p;
  std::span<const ParamSpec> specs(kGeneratedParams + op.param_first,
                                   static_cast<size_t>(op.param_count));
  for (const auto& [key, value] : form) {
    size_t dot = key.find('.');
    std::string_view top = std::string_view(key).substr(0, dot);
    const ParamSpec* spec = FindChild(specs, top);
    if (!spec) continue;  // Action, Version, and anything the model does not know
    std::string_view rest =
        dot == std::string::npos ? std::string_view() : std::string_view(key).substr(dot + 1);
    auto [it, inserted] = p.values_.try_emplace(std::string(top));
    if (!Insert(*spec, it->second, rest, value) && inserted) p.values_.erase(it);
  }
  for (auto& [name, value] : p.values_) Finish(value);
  std::vector<std::string> errors;
  Shown shown{op.service == "sts"};
  for (const ParamSpec& spec : specs) {
    auto it = p.values_.find(spec.name);
    Validate(spec, it == p.values_.end() ? nullptr : &it->second, LowerFirst(spec.name), shown,
             errors);
  }
  if (!errors.empty()) {
    std::string msg = std::to_string(errors.size()) +
                      (errors.size() == 1 ? " validation error detected: "
                                          : " validation errors detected: ");
    for (size_t i = 0; i < errors.size(); ++i) msg += (i ? "; " : "") + errors[i];
    return Fail(ErrorCode::kValidationError, std::move(msg));
  }
  return p;
}

const ParamValue* Params::Get(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

std::string_view Params::Str(std::string_view name) const {
  const ParamValue* v = Get(name);
  return v ? std::string_view(v->text) : std::string_view();
}

std::optional<std::string> Params::OptStr(std::string_view name) const {
  const ParamValue* v = Get(name);
  if (!v) return std::nullopt;
  return v->text;
}

std::optional<int64_t> Params::OptInt(std::string_view name) const {
  const ParamValue* v = Get(name);
  if (!v) return std::nullopt;
  return ParseInt64(v->text);
}

std::optional<bool> Params::OptBool(std::string_view name) const {
  const ParamValue* v = Get(name);
  if (!v) return std::nullopt;
  return EqualsIgnoreCase(v->text, "true");
}

std::vector<std::string> Params::StrList(std::string_view name) const {
  std::vector<std::string> out;
  if (const ParamValue* v = Get(name))
    for (const auto& item : v->items) out.push_back(item.text);
  return out;
}

model::Tags Params::TagList(std::string_view name) const {
  model::Tags out;
  if (const ParamValue* v = Get(name))
    for (const auto& item : v->items) {
      auto k = item.fields.find("Key");
      auto val = item.fields.find("Value");
      out.push_back({k == item.fields.end() ? "" : k->second.text,
                     val == item.fields.end() ? "" : val->second.text});
    }
  return out;
}

}  // namespace iamd::api
