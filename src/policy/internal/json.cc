#include "policy/internal/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>

namespace iamd::policy::internal {

const JsonNode* JsonNode::Find(std::string_view key) const {
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &children[i];
  return nullptr;
}

namespace {

// Builds JsonNodes from SAX events. Returning false from a callback stops the parse, which
// RapidJSON reports as kParseErrorTermination at the current offset.
class TreeBuilder {
 public:
  TreeBuilder(rapidjson::MemoryStream& stream, JsonNode& root) : stream_(stream), root_(root) {}

  bool Null() { return Leaf(JsonType::kNull, false, {}); }
  bool Bool(bool b) { return Leaf(JsonType::kBool, b, {}); }
  bool Int(int) { return false; }  // unreachable with kParseNumbersAsStringsFlag
  bool Uint(unsigned) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return Leaf(JsonType::kNumber, false, std::string_view(s, n));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return Leaf(JsonType::kString, false, std::string_view(s, n));
  }
  bool StartObject() { return Open(JsonType::kObject); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    JsonNode* object = stack_.back();
    std::string_view key(s, n);
    // Duplicate keys are an error, as in AWS (the document would be ambiguous).
    if (std::find(object->keys.begin(), object->keys.end(), key) != object->keys.end())
      return false;
    object->keys.emplace_back(key);
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool StartArray() { return Open(JsonType::kArray); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

 private:
  uint32_t Here() const { return static_cast<uint32_t>(stream_.Tell()); }

  JsonNode* NewNode() {
    if (stack_.empty()) {
      if (root_used_) return nullptr;
      root_used_ = true;
      return &root_;
    }
    JsonNode* parent = stack_.back();
    parent->children.emplace_back();
    return &parent->children.back();
  }

  bool Leaf(JsonType type, bool b, std::string_view text) {
    JsonNode* node = NewNode();
    if (node == nullptr) return false;
    node->type = type;
    node->boolean = b;
    node->text.assign(text);
    node->end = Here();
    // The reader has consumed the value; for strings the opening quote is further back than the
    // unescaped length, so begin is approximate for escaped strings. Only statement and document
    // positions are reported, and those come from objects (exact).
    uint32_t width = static_cast<uint32_t>(text.size()) + (type == JsonType::kString ? 2 : 0);
    if (type == JsonType::kNull) width = 4;
    if (type == JsonType::kBool) width = b ? 4 : 5;
    node->begin = node->end >= width ? node->end - width : 0;
    return true;
  }

  bool Open(JsonType type) {
    if (static_cast<int>(stack_.size()) >= kMaxJsonDepth) return false;
    JsonNode* node = NewNode();
    if (node == nullptr) return false;
    node->type = type;
    node->begin = Here();  // the iterative reader calls StartObject/StartArray before taking '{'
    stack_.push_back(node);
    return true;
  }

  bool Close() {
    stack_.back()->end = Here() + 1;  // ...and EndObject/EndArray before taking '}'
    stack_.pop_back();
    return true;
  }

  rapidjson::MemoryStream& stream_;
  JsonNode& root_;
  bool root_used_ = false;
  // Open containers, innermost last. The pointers stay valid: only the innermost container
  // gains children, and its own address lives in its parent's children, which cannot grow
  // until it is closed.
  std::vector<JsonNode*> stack_;
};

}  // namespace

bool ParseJson(std::string_view text, JsonNode& out, JsonError& error) {
  out = JsonNode{};
  rapidjson::MemoryStream stream(text.data(), text.size());
  TreeBuilder builder(stream, out);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseIterativeFlag;
  rapidjson::ParseResult result = reader.Parse<kFlags>(stream, builder);
  if (!result) {
    error.offset = static_cast<uint32_t>(result.Offset());
    out = JsonNode{};
    return false;
  }
  return true;
}

LineColumn OffsetToLineColumn(std::string_view text, uint32_t offset) {
  LineColumn lc;
  size_t limit = std::min<size_t>(offset, text.size());
  for (size_t i = 0; i < limit; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++lc.line;
      lc.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
      ++lc.column;
    }
  }
  return lc;
}

}  // namespace iamd::policy::internal
