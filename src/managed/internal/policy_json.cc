#include "managed/internal/policy_json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <span>

namespace iamd::managed::internal {
namespace {

// Builds a JsonValue tree from RapidJSON's SAX events. Numbers arrive as raw text
// (kParseNumbersAsStringsFlag), so "1.50" stays "1.50".
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  bool Null() { return Add(JsonValue{}); }
  bool Bool(bool b) { return Add(JsonValue{b ? JsonValue::Kind::kTrue : JsonValue::Kind::kFalse}); }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool /*copy*/) {
    return Add(JsonValue{JsonValue::Kind::kNumber, std::string(str, length)});
  }
  bool String(const char* str, rapidjson::SizeType length, bool /*copy*/) {
    return Add(JsonValue{JsonValue::Kind::kString, std::string(str, length)});
  }
  bool StartObject() { return Open(JsonValue::Kind::kObject); }
  bool Key(const char* str, rapidjson::SizeType length, bool /*copy*/) {
    std::string_view key(str, length);
    for (const JsonMember& m : open_.back()->members) {
      if (m.key == key) {
        error_ = "duplicate key \"" + std::string(key) + "\"";
        return false;
      }
    }
    key_.assign(key);
    return true;
  }
  bool EndObject(rapidjson::SizeType /*count*/) { return Close(); }
  bool StartArray() { return Open(JsonValue::Kind::kArray); }
  bool EndArray(rapidjson::SizeType /*count*/) { return Close(); }

  JsonValue& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  // Appends `v` to the innermost open container (or makes it the root) and returns it. Pointers
  // in open_ stay valid: only the innermost container grows while it is open.
  JsonValue* Append(JsonValue v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    JsonValue* parent = open_.back();
    if (parent->kind == JsonValue::Kind::kArray) {
      parent->elements.push_back(std::move(v));
      return &parent->elements.back();
    }
    parent->members.push_back(JsonMember{std::move(key_), std::move(v)});
    return &parent->members.back().value;
  }
  bool Add(JsonValue v) {
    Append(std::move(v));
    return true;
  }
  bool Open(JsonValue::Kind kind) {
    open_.push_back(Append(JsonValue{kind}));
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }

  JsonValue root_;
  std::vector<JsonValue*> open_;
  std::string key_;
  std::string error_;
};

std::string AtOffset(std::string_view text, size_t offset, std::string_view what) {
  offset = std::min(offset, text.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1) +
         ": " + std::string(what);
}

// The conventional member order of AWS policy documents (IAM JSON policy element reference).
constexpr std::array<std::string_view, 3> kDocumentOrder = {"Version", "Id", "Statement"};
constexpr std::array<std::string_view, 9> kStatementOrder = {
    "Sid",       "Effect",   "Principal",   "NotPrincipal", "Action",
    "NotAction", "Resource", "NotResource", "Condition"};

// Where a value sits in a policy document, which decides the order of an object's members.
enum class Role {
  kDocument,       // the document itself
  kStatementList,  // the document's Statement: an array of statements or one statement
  kStatement,      // an element of the Statement array
  kOther,          // anything else: source order throughout
};

void AppendString(std::string_view s, std::string& out) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// The members of `object`: those named in `first`, in that order, then the rest in source order.
std::vector<const JsonMember*> Ordered(const JsonValue& object,
                                       std::span<const std::string_view> first) {
  std::vector<const JsonMember*> out;
  out.reserve(object.members.size());
  for (std::string_view key : first) {
    for (const JsonMember& m : object.members) {
      if (m.key == key) out.push_back(&m);
    }
  }
  for (const JsonMember& m : object.members) {
    bool listed = false;
    for (std::string_view key : first) listed = listed || m.key == key;
    if (!listed) out.push_back(&m);
  }
  return out;
}

void Render(const JsonValue& v, Role role, int depth, std::string& out);

void NewLine(int depth, std::string& out) {
  out += '\n';
  out.append(static_cast<size_t>(depth) * 4, ' ');
}

void RenderObject(const JsonValue& v, Role role, int depth, std::string& out) {
  if (v.members.empty()) {
    out += "{}";
    return;
  }
  std::vector<const JsonMember*> members;
  if (role == Role::kDocument) {
    members = Ordered(v, kDocumentOrder);
  } else if (role == Role::kStatementList || role == Role::kStatement) {
    members = Ordered(v, kStatementOrder);
  } else {
    members = Ordered(v, {});
  }
  out += '{';
  for (size_t i = 0; i < members.size(); ++i) {
    NewLine(depth + 1, out);
    AppendString(members[i]->key, out);
    out += ": ";
    Role child = role == Role::kDocument && members[i]->key == "Statement" ? Role::kStatementList
                                                                           : Role::kOther;
    Render(members[i]->value, child, depth + 1, out);
    if (i + 1 < members.size()) out += ',';
  }
  NewLine(depth, out);
  out += '}';
}

void RenderArray(const JsonValue& v, Role role, int depth, std::string& out) {
  if (v.elements.empty()) {
    out += "[]";
    return;
  }
  Role child = role == Role::kStatementList ? Role::kStatement : Role::kOther;
  out += '[';
  for (size_t i = 0; i < v.elements.size(); ++i) {
    NewLine(depth + 1, out);
    Render(v.elements[i], child, depth + 1, out);
    if (i + 1 < v.elements.size()) out += ',';
  }
  NewLine(depth, out);
  out += ']';
}

void Render(const JsonValue& v, Role role, int depth, std::string& out) {
  switch (v.kind) {
    case JsonValue::Kind::kNull:
      out += "null";
      break;
    case JsonValue::Kind::kFalse:
      out += "false";
      break;
    case JsonValue::Kind::kTrue:
      out += "true";
      break;
    case JsonValue::Kind::kNumber:
      out += v.text;
      break;
    case JsonValue::Kind::kString:
      AppendString(v.text, out);
      break;
    case JsonValue::Kind::kArray:
      RenderArray(v, role, depth, out);
      break;
    case JsonValue::Kind::kObject:
      RenderObject(v, role, depth, out);
      break;
  }
}

}  // namespace

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const JsonMember& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

std::expected<JsonValue, std::string> ParseJson(std::string_view text) {
  // RapidJSON's MemoryStream reads a NUL byte as the end of input; refuse it outright.
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return std::unexpected(AtOffset(text, nul, "NUL byte in JSON text"));
  }
  constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseIterativeFlag;
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  TreeBuilder builder;
  rapidjson::ParseResult ok = reader.Parse<kFlags>(stream, builder);
  if (!ok) {
    std::string_view what = builder.error().empty()
                                ? std::string_view(rapidjson::GetParseError_En(ok.Code()))
                                : std::string_view(builder.error());
    return std::unexpected(AtOffset(text, ok.Offset(), what));
  }
  return std::move(builder.root());
}

std::string RenderAwsPolicyDocument(const JsonValue& document) {
  std::string out;
  Render(document, Role::kDocument, 0, out);
  return out;
}

}  // namespace iamd::managed::internal
