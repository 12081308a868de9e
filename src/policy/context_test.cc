#include "policy/context.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iamd::policy {
namespace {

TEST(RequestContext, LooksUpKeysCaseInsensitively) {
  RequestContext ctx;
  ctx.Add("aws:SourceIp", "10.0.0.1");
  ASSERT_NE(ctx.FirstValue("AWS:SOURCEIP"), nullptr);
  EXPECT_EQ(*ctx.FirstValue("aws:sourceip"), "10.0.0.1");
}
TEST(RequestContext, KeepsEveryValueOfAMultivaluedKey) {
  RequestContext ctx;
  ctx.Add("aws:TagKeys", "a");
  ctx.Add("aws:username", "u");
  ctx.Add("aws:TagKeys", "b");
  std::vector<std::string> seen;
  ctx.ForEachValue("aws:tagkeys", [&](std::string_view v) {
    seen.emplace_back(v);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
}
TEST(RequestContext, EmptyKeyIsPresentWithoutValues) {
  RequestContext ctx;
  ctx.AddEmpty("aws:TagKeys");
  EXPECT_TRUE(ctx.Has("aws:TagKeys"));
  EXPECT_FALSE(ctx.HasValue("aws:TagKeys"));
}
TEST(RequestContext, SpillsPastTheInlineEntries) {
  RequestContext ctx;
  std::vector<std::string> keys;
  for (size_t i = 0; i < RequestContext::kInlineEntries + 5; ++i) keys.push_back("k:" + std::to_string(i));
  for (const std::string& k : keys) ctx.Add(k, k);
  EXPECT_EQ(ctx.entries().size(), keys.size());
  EXPECT_EQ(*ctx.FirstValue("k:0"), "k:0");
  EXPECT_EQ(*ctx.FirstValue("k:20"), "k:20");
  RequestContext copy = ctx;
  EXPECT_EQ(*copy.FirstValue("k:20"), "k:20");
}

}  // namespace
}  // namespace iamd::policy
