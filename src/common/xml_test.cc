#include "common/xml.h"

#include <gtest/gtest.h>

namespace iamd {
namespace {

TEST(XmlWriter, EscapesText) {
  std::string out;
  XmlWriter w(out);
  w.Element("A", "<&\"'>");
  EXPECT_EQ(out, "<A>&lt;&amp;\"'&gt;</A>");
}

TEST(XmlWriter, WritesNamespaceEmptyAndNumbers) {
  std::string out;
  XmlWriter w(out);
  w.OpenWithNamespace("R", "https://iam.amazonaws.com/doc/2010-05-08/");
  w.Empty("Roles");
  w.Element("N", int64_t{3600});
  w.Bool("B", true);
  w.Close("R");
  EXPECT_EQ(out,
            "<R xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Roles/><N>3600</N>"
            "<B>true</B></R>");
}

TEST(XmlWriter, ElementsWithAndWithoutEscapesAppendAlike) {
  // Text with nothing to escape takes a one-copy path; text with escapes the general one.
  std::string out = "<R>";
  XmlWriter w(out);
  w.Element("RoleName", "ray-head");
  w.Element("Empty", "");
  w.Element("Late", "abc&");
  w.Element("Utf8", "r\xc3\xa9le\tx");
  w.Close("R");
  EXPECT_EQ(out,
            "<R><RoleName>ray-head</RoleName><Empty></Empty><Late>abc&amp;</Late>"
            "<Utf8>r\xc3\xa9le\tx</Utf8></R>");
}

TEST(XmlWriter, DropsControlCharacters) {
  std::string out;
  AppendXmlEscaped(out, std::string("a\x01\tb\n", 5));
  EXPECT_EQ(out, "a\tb\n");
}

}  // namespace
}  // namespace iamd
