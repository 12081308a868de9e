// Validation cases (tests/policy/validation/*.json): each document must be rejected with
// exactly AWS's message, or accepted when the case expects no error.
#include <gtest/gtest.h>

#include "case_loader.h"
#include "policy/policy.h"

namespace iamd::policy::testing {
namespace {

const std::vector<ValidationCase>& AllCases() {
  static const auto* cases = new std::vector<ValidationCase>(LoadValidationCases());
  return *cases;
}

std::vector<const ValidationCase*> AllParams() {
  std::vector<const ValidationCase*> params;
  for (const ValidationCase& c : AllCases()) params.push_back(&c);
  return params;
}

class Validation : public ::testing::TestWithParam<const ValidationCase*> {};

TEST_P(Validation, ReportsAwsMessage) {
  const ValidationCase& c = *GetParam();
  SCOPED_TRACE(c.file + ": " + c.name + " — " + c.source);
  auto kind = PolicyKindFromName(c.kind);
  ASSERT_TRUE(kind.has_value()) << c.kind;
  auto result = ParsePolicy(c.text, *kind);
  if (c.error) {
    ASSERT_FALSE(result.has_value()) << "accepted, expected: " << *c.error;
    EXPECT_EQ(result.error().code, ErrorCode::kMalformedPolicyDocument);
    EXPECT_EQ(result.error().message, *c.error);
  } else {
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  }
}

INSTANTIATE_TEST_SUITE_P(Suite, Validation, ::testing::ValuesIn(AllParams()),
                         [](const ::testing::TestParamInfo<const ValidationCase*>& info) {
                           return TestName(info.param->file) + "_" + TestName(info.param->name);
                         });

}  // namespace
}  // namespace iamd::policy::testing
