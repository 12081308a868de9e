// A forward-only XML writer for Query-protocol responses. It writes into a caller-owned string;
// element names are trusted literals, text is escaped. Not thread-safe (one per response).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace iamd {

class XmlWriter {
 public:
  explicit XmlWriter(std::string& out) : out_(out) {}

  // <name xmlns="ns">
  void OpenWithNamespace(std::string_view name, std::string_view ns);
  void Open(std::string_view name) {
    out_ += '<';
    out_ += name;
    out_ += '>';
  }
  void Close(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
  }
  // <name>escaped text</name>
  void Element(std::string_view name, std::string_view text);
  void Element(std::string_view name, int64_t value);
  void Bool(std::string_view name, bool value) { Element(name, value ? "true" : "false"); }
  // <name>text</name> for text that cannot contain markup (e.g. percent-encoded text).
  void ElementVerbatim(std::string_view name, std::string_view text) {
    Open(name);
    out_ += text;
    Close(name);
  }
  // <name/>: an empty element, e.g. a required list with no members.
  void Empty(std::string_view name);
  // Appends markup that is already well-formed.
  void Raw(std::string_view markup) { out_ += markup; }

 private:
  std::string& out_;
};

// Escapes &, < and > (iamd writes no attributes from data, so quotes stay as they are) and
// drops characters XML 1.0 cannot carry.
void AppendXmlEscaped(std::string& out, std::string_view text);

}  // namespace iamd
