// Query-protocol parameters: decoding `member.N` lists and structures from form pairs, and
// validating them against the constraints of the botocore service models (type, required,
// length, range, pattern, enum), with AWS's ValidationError wording:
//   1 validation error detected: Value 'bad name!' at 'roleName' failed to satisfy constraint:
//   Member must satisfy regular expression pattern: [\w+=,.@-]+
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "model/records.h"

namespace iamd::api {

enum class ParamType { kString, kInteger, kBoolean, kTimestamp, kList, kStructure, kMap };

// One member of an operation's input, as the service model describes it. Children of lists
// ("member") and structures are a contiguous run of the generated table.
struct ParamSpec {
  std::string_view name;
  ParamType type;
  bool required;
  int64_t min;  // -1: none (length for strings and lists, value for integers)
  int64_t max;  // -1: none
  std::string_view pattern;  // "" : none
  int enum_first, enum_count;
  int child_first, child_count;
};

struct OperationSpec {
  std::string_view service;  // "iam" or "sts"
  std::string_view version;  // "2010-05-08"
  std::string_view name;     // "CreateRole"
  int param_first, param_count;
  bool has_output;  // the response has an <XResult> element
};

// The operation named `action`, or nullptr.
const OperationSpec* FindOperation(std::string_view action);

// A decoded parameter value: a scalar, a list or a structure.
struct ParamValue {
  std::string text;                               // scalars
  std::vector<ParamValue> items;                  // lists, in member.N order
  std::map<std::string, ParamValue, std::less<>> fields;  // structures
  std::map<int64_t, ParamValue> numbered;         // lists while decoding: by N
};

// The validated input of one call. Accessors for names the model marks as required may
// assume presence; optional ones return nullopt when absent.
class Params {
 public:
  // Decodes and validates. Errors: ValidationError listing every violated constraint.
  static Result<Params> Parse(const OperationSpec& op,
                              std::span<const std::pair<std::string, std::string>> form);

  bool Has(std::string_view name) const { return values_.contains(name); }
  // The scalar `name`; "" if absent.
  std::string_view Str(std::string_view name) const;
  std::optional<std::string> OptStr(std::string_view name) const;
  std::optional<int64_t> OptInt(std::string_view name) const;
  std::optional<bool> OptBool(std::string_view name) const;
  // A list of scalars (`Name.member.N`).
  std::vector<std::string> StrList(std::string_view name) const;
  // A list of {Key, Value} structures (`Tags.member.N.Key`).
  model::Tags TagList(std::string_view name = "Tags") const;
  // The raw decoded value, for lists of structures; nullptr if absent.
  const ParamValue* Get(std::string_view name) const;

 private:
  std::map<std::string, ParamValue, std::less<>> values_;
};

// Checks `value` against a model pattern such as "[\w+=,.@-]+". Patterns iamd does not know
// are accepted (and listed by a unit test, so none is missed for the operations it serves).
bool MatchesModelPattern(std::string_view pattern, std::string_view value);
bool IsKnownModelPattern(std::string_view pattern);

}  // namespace iamd::api
