// Writes the C++ source that defines the table of catalog_data.h. Build-time only; pure.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "managed/internal/catalog_source.h"

namespace iamd::managed::internal {

// The definitions of kPolicies, kPolicyCount and kPolicyIndexByArn for `policies`, which must be
// sorted by name with unique names and ARNs and at most kMaxCatalogPolicies of them (as
// ReadCatalogSource returns them). All text lives in two string literals, one for short fields
// and one with one line per document, so the file compiles in about a second. `source_name`
// goes into the header comment.
std::string WriteCatalogCc(std::span<const SourcePolicy> policies, std::string_view source_name);

// A C++ narrow string literal, quotes included, that denotes exactly the bytes of `text`:
// printable ASCII as is except `"`, `\` and the second `?` of `??` (trigraphs), `\n` and `\t` as
// such, every other byte as a three-digit octal escape.
std::string CxxStringLiteral(std::string_view text);

}  // namespace iamd::managed::internal
