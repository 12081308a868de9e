#include "common/xml.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

namespace iamd {

namespace {

// 0: copy as is; 1: escape; 2: drop (C0 controls XML 1.0 cannot carry).
constexpr auto kClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 2;
  t['\t'] = t['\n'] = 0;
  t['\r'] = t['&'] = t['<'] = t['>'] = 1;
  return t;
}();

}  // namespace

void AppendXmlEscaped(std::string& out, std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    // Copy the longest run that needs nothing, then handle one special character.
    const char* run = p;
    while (p < end && kClass[static_cast<unsigned char>(*p)] == 0) ++p;
    out.append(run, p);
    if (p == end) break;
    switch (*p) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#13;"; break;
      default: break;  // dropped
    }
    ++p;
  }
}

void XmlWriter::OpenWithNamespace(std::string_view name, std::string_view ns) {
  out_ += '<';
  out_ += name;
  out_ += " xmlns=\"";
  out_ += ns;
  out_ += "\">";
}

void XmlWriter::Element(std::string_view name, std::string_view text) {
  size_t clean = 0;
  while (clean < text.size() && kClass[static_cast<unsigned char>(text[clean])] == 0) ++clean;
  if (clean == text.size()) {  // nothing to escape, as for most names, IDs and ARNs
    // One size change and plain copies instead of five appends.
    const size_t at = out_.size();
    out_.resize(at + 2 * name.size() + text.size() + 5);
    char* w = out_.data() + at;
    *w++ = '<';
    w = std::copy(name.begin(), name.end(), w);
    *w++ = '>';
    w = std::copy(text.begin(), text.end(), w);
    *w++ = '<';
    *w++ = '/';
    w = std::copy(name.begin(), name.end(), w);
    *w = '>';
    return;
  }
  Open(name);
  AppendXmlEscaped(out_, text);
  Close(name);
}

void XmlWriter::Element(std::string_view name, int64_t value) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, value);
  Open(name);
  out_.append(buf, p);
  Close(name);
}

void XmlWriter::Empty(std::string_view name) {
  out_ += '<';
  out_ += name;
  out_ += "/>";
}

}  // namespace iamd
