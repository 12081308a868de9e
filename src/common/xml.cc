#include "common/xml.h"

#include <charconv>

namespace iamd {

void AppendXmlEscaped(std::string& out, std::string_view text) {
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#13;"; break;
      default:
        // C0 controls other than tab and newline are not allowed in XML 1.0 at all.
        if (c < 0x20 && c != '\t' && c != '\n') break;
        out.push_back(ch);
    }
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
