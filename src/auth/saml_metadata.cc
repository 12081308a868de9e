#include "auth/saml_metadata.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <sstream>
#include <string>

namespace iamd::auth {

bool IsSamlMetadata(std::string_view document) {
  boost::property_tree::ptree tree;
  try {
    std::istringstream in{std::string(document)};
    boost::property_tree::read_xml(in, tree);
  } catch (const boost::property_tree::xml_parser_error&) {
    return false;
  }
  // The tree's children are the document's top-level nodes: the root element, and comments.
  int elements = 0;
  bool entity_descriptor = false;
  for (const auto& [name, child] : tree) {
    if (name == "<xmlcomment>") continue;
    ++elements;
    const size_t colon = name.find(':');
    entity_descriptor =
        (colon == std::string::npos ? name : name.substr(colon + 1)) == "EntityDescriptor";
  }
  return elements == 1 && entity_descriptor;
}

}  // namespace iamd::auth
