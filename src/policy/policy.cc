#include "policy/policy.h"

#include <algorithm>
#include <array>

#include "common/arn.h"
#include "common/strings.h"
#include "policy/internal/json.h"

namespace iamd::policy {

std::string_view PolicyKindName(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kIdentity: return "identity";
    case PolicyKind::kManagedIdentity: return "managed";
    case PolicyKind::kTrust: return "trust";
    case PolicyKind::kResource: return "resource";
    case PolicyKind::kSession: return "session";
    case PolicyKind::kPermissionsBoundary: return "boundary";
  }
  return "identity";
}

std::optional<PolicyKind> PolicyKindFromName(std::string_view name) {
  for (PolicyKind k : {PolicyKind::kIdentity, PolicyKind::kManagedIdentity, PolicyKind::kTrust,
                       PolicyKind::kResource, PolicyKind::kSession,
                       PolicyKind::kPermissionsBoundary})
    if (PolicyKindName(k) == name) return k;
  return std::nullopt;
}

namespace {

using internal::JsonNode;
using internal::JsonType;

// AWS's messages, as IAM returns them in MalformedPolicyDocument errors.
constexpr std::string_view kSyntaxErrors = "Syntax errors in policy.";
constexpr std::string_view kInvalidJsonTrust = "This policy contains invalid Json";
constexpr std::string_view kVersionTooOld = "Policy document must be version 2012-10-17 or greater.";
constexpr std::string_view kLegacyParsing = "The policy failed legacy parsing";
constexpr std::string_view kSidNotAlphanumeric =
    "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular "
    "expression [0-9A-Za-z]*";
constexpr std::string_view kSidNotUnique = "Statement IDs (SID) in a single policy must be unique.";
constexpr std::string_view kMissingActions = "Policy statement must contain actions.";
constexpr std::string_view kMissingResources = "Policy statement must contain resources.";
constexpr std::string_view kNoVendor =
    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
constexpr std::string_view kOneColon = "Actions/Condition can contain only one colon.";
constexpr std::string_view kVendorRegex =
    "Resource vendor must be fully qualified and cannot contain regexes.";
constexpr std::string_view kNoPrincipalAllowed = "Policy document should not specify a principal.";
constexpr std::string_view kProhibitedResource = "Has prohibited field Resource";
constexpr std::string_view kTrustActions = "AssumeRole policy may only specify STS AssumeRole actions.";
constexpr std::string_view kMissingPrincipal = "Missing required field Principal";

constexpr std::string_view kVersion2012 = "2012-10-17";
constexpr std::string_view kVersion2008 = "2008-10-17";

// The partitions AWS accepts in a Resource ARN.
constexpr std::array<std::string_view, 8> kPartitions = {
    "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"};

// Actions a role trust policy may name (IAM User Guide, "Granting a user permissions to pass a
// role" / STS actions that take a trust policy: AssumeRole*, session tags, source identity,
// context).
constexpr std::array<std::string_view, 6> kTrustPolicyActions = {
    "sts:assumerole",       "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
    "sts:tagsession",       "sts:setsourceidentity",  "sts:setcontext"};

struct OperatorInfo {
  std::string_view name;
  ConditionFamily family;
  Comparison comparison;
  bool negated;
};

// IAM User Guide, "IAM JSON policy elements: Condition operators".
constexpr OperatorInfo kOperators[] = {
    {"StringEquals", ConditionFamily::kStringEquals, Comparison::kEquals, false},
    {"StringNotEquals", ConditionFamily::kStringEquals, Comparison::kEquals, true},
    {"StringEqualsIgnoreCase", ConditionFamily::kStringEqualsIgnoreCase, Comparison::kEquals, false},
    {"StringNotEqualsIgnoreCase", ConditionFamily::kStringEqualsIgnoreCase, Comparison::kEquals, true},
    {"StringLike", ConditionFamily::kStringLike, Comparison::kEquals, false},
    {"StringNotLike", ConditionFamily::kStringLike, Comparison::kEquals, true},
    {"NumericEquals", ConditionFamily::kNumeric, Comparison::kEquals, false},
    {"NumericNotEquals", ConditionFamily::kNumeric, Comparison::kEquals, true},
    {"NumericLessThan", ConditionFamily::kNumeric, Comparison::kLessThan, false},
    {"NumericLessThanEquals", ConditionFamily::kNumeric, Comparison::kLessThanEquals, false},
    {"NumericGreaterThan", ConditionFamily::kNumeric, Comparison::kGreaterThan, false},
    {"NumericGreaterThanEquals", ConditionFamily::kNumeric, Comparison::kGreaterThanEquals, false},
    {"DateEquals", ConditionFamily::kDate, Comparison::kEquals, false},
    {"DateNotEquals", ConditionFamily::kDate, Comparison::kEquals, true},
    {"DateLessThan", ConditionFamily::kDate, Comparison::kLessThan, false},
    {"DateLessThanEquals", ConditionFamily::kDate, Comparison::kLessThanEquals, false},
    {"DateGreaterThan", ConditionFamily::kDate, Comparison::kGreaterThan, false},
    {"DateGreaterThanEquals", ConditionFamily::kDate, Comparison::kGreaterThanEquals, false},
    {"Bool", ConditionFamily::kBool, Comparison::kEquals, false},
    {"BinaryEquals", ConditionFamily::kBinary, Comparison::kEquals, false},
    {"IpAddress", ConditionFamily::kIpAddress, Comparison::kEquals, false},
    {"NotIpAddress", ConditionFamily::kIpAddress, Comparison::kEquals, true},
    {"ArnEquals", ConditionFamily::kArn, Comparison::kEquals, false},
    {"ArnLike", ConditionFamily::kArn, Comparison::kEquals, false},
    {"ArnNotEquals", ConditionFamily::kArn, Comparison::kEquals, true},
    {"ArnNotLike", ConditionFamily::kArn, Comparison::kEquals, true},
    {"Null", ConditionFamily::kNull, Comparison::kEquals, false},
};

struct ParsedOperator {
  const OperatorInfo* info = nullptr;
  SetOperator set = SetOperator::kNone;
  bool if_exists = false;
};

// Splits "ForAnyValue:StringLikeIfExists" into its parts. Operator names are case-sensitive.
ParsedOperator ParseOperator(std::string_view name) {
  ParsedOperator op;
  if (StartsWith(name, "ForAllValues:")) {
    op.set = SetOperator::kForAllValues;
    name.remove_prefix(13);
  } else if (StartsWith(name, "ForAnyValue:")) {
    op.set = SetOperator::kForAnyValue;
    name.remove_prefix(12);
  }
  constexpr std::string_view kIfExists = "IfExists";
  if (name.size() > kIfExists.size() && name.substr(name.size() - kIfExists.size()) == kIfExists) {
    op.if_exists = true;
    name.remove_suffix(kIfExists.size());
  }
  for (const OperatorInfo& info : kOperators)
    if (info.name == name) op.info = &info;
  // "Null" takes no IfExists: it already tests existence.
  if (op.info != nullptr && op.info->family == ConditionFamily::kNull && op.if_exists)
    op.info = nullptr;
  return op;
}

bool IsStringOrStringList(const JsonNode& n) {
  if (n.is_string()) return true;
  if (!n.is_array()) return false;
  for (const JsonNode& e : n.children)
    if (!e.is_string()) return false;
  return true;
}

bool IsScalar(const JsonNode& n) {
  return n.type == JsonType::kString || n.type == JsonType::kNumber || n.type == JsonType::kBool;
}

// The text of a scalar condition value: strings as is, numbers as written, booleans as words.
std::string_view ScalarText(const JsonNode& n) {
  if (n.type == JsonType::kBool) return n.boolean ? "true" : "false";
  return n.text;
}

// The elements of a string-or-list element.
std::vector<const JsonNode*> Items(const JsonNode* n) {
  std::vector<const JsonNode*> out;
  if (n == nullptr) return out;
  if (n->is_array()) {
    for (const JsonNode& e : n->children) out.push_back(&e);
  } else {
    out.push_back(n);
  }
  return out;
}

template <typename F>
void ForEachConditionValue(const JsonNode& values, F&& f) {
  if (values.is_array()) {
    for (const JsonNode& v : values.children) f(v);
  } else {
    f(values);
  }
}

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Splits at ':' (at most `max_parts` parts, the last keeping the rest), not splitting inside a
// `${...}` policy variable when `variables` is on.
std::vector<std::string_view> SplitArnText(std::string_view text, size_t max_parts, bool variables) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i < text.size() && parts.size() + 1 < max_parts; ++i) {
    if (variables && text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      if (text.find('}', i) != std::string_view::npos) ++depth;
    } else if (text[i] == '}' && depth > 0) {
      --depth;
    } else if (text[i] == ':' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

struct Failure {
  std::string message;
  uint32_t offset = 0;
};

class Validator {
 public:
  Validator(PolicyKind kind, const JsonNode& root) : kind_(kind), root_(root) {}

  std::optional<Failure> Run() {
    if (auto f = CheckSyntax()) return f;
    if (auto f = CheckVersion()) return f;
    if (auto f = CheckLegacy()) return f;
    if (auto f = CheckSids()) return f;
    if (auto f = CheckActionsPresent()) return f;
    if (resource_error_) return resource_error_;
    if (auto f = CheckActionPrefixes()) return f;
    if (auto f = CheckConditionKeyPrefixes()) return f;
    return CheckKind();
  }

  const std::vector<const JsonNode*>& statements() const { return statements_; }

 private:
  Failure At(std::string_view message, const JsonNode* node) const {
    return Failure{std::string(message), node ? node->begin : 0};
  }

  bool IdentityGrammar() const {
    return kind_ == PolicyKind::kIdentity || kind_ == PolicyKind::kManagedIdentity ||
           kind_ == PolicyKind::kSession || kind_ == PolicyKind::kPermissionsBoundary;
  }

  // ---- 1. Syntax: shape and types ("Syntax errors in policy.") ----
  std::optional<Failure> CheckSyntax() {
    if (!root_.is_object()) return At(kSyntaxErrors, &root_);
    for (const std::string& key : root_.keys)
      if (key != "Version" && key != "Id" && key != "Statement") return At(kSyntaxErrors, &root_);
    if (const JsonNode* v = root_.Find("Version")) {
      if (!v->is_string() || (v->text != kVersion2012 && v->text != kVersion2008))
        return At(kSyntaxErrors, v);
    }
    if (const JsonNode* id = root_.Find("Id"); id && !id->is_string()) return At(kSyntaxErrors, id);
    const JsonNode* st = root_.Find("Statement");
    if (st == nullptr) return At(kSyntaxErrors, &root_);
    if (st->is_object()) {
      statements_.push_back(st);
    } else if (st->is_array()) {
      for (const JsonNode& s : st->children) statements_.push_back(&s);
    } else {
      return At(kSyntaxErrors, st);
    }
    if (statements_.empty()) return At(kSyntaxErrors, st);
    for (const JsonNode* s : statements_)
      if (auto f = CheckStatementSyntax(*s)) return f;
    return std::nullopt;
  }

  std::optional<Failure> CheckStatementSyntax(const JsonNode& s) {
    if (!s.is_object()) return At(kSyntaxErrors, &s);
    static constexpr std::string_view kKeys[] = {"Sid",      "Effect",      "Principal",
                                                 "NotPrincipal", "Action",  "NotAction",
                                                 "Resource", "NotResource", "Condition"};
    for (const std::string& key : s.keys)
      if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
        return At(kSyntaxErrors, &s);
    auto both = [&](std::string_view a, std::string_view b) { return s.Find(a) && s.Find(b); };
    if (both("Action", "NotAction") || both("Resource", "NotResource") ||
        both("Principal", "NotPrincipal"))
      return At(kSyntaxErrors, &s);
    const JsonNode* effect = s.Find("Effect");
    if (effect == nullptr || !effect->is_string() ||
        !(EqualsIgnoreCase(effect->text, "Allow") || EqualsIgnoreCase(effect->text, "Deny")))
      return At(kSyntaxErrors, &s);
    for (std::string_view key : {"Action", "NotAction", "Resource", "NotResource"})
      if (const JsonNode* n = s.Find(key); n && !IsStringOrStringList(*n))
        return At(kSyntaxErrors, &s);
    if (const JsonNode* sid = s.Find("Sid"); sid && !sid->is_string()) return At(kSyntaxErrors, &s);
    for (std::string_view key : {"Principal", "NotPrincipal"})
      if (const JsonNode* p = s.Find(key); p && !PrincipalSyntaxOk(*p)) return At(kSyntaxErrors, &s);
    if (const JsonNode* c = s.Find("Condition")) {
      if (!c->is_object()) return At(kSyntaxErrors, &s);
      for (size_t i = 0; i < c->keys.size(); ++i) {
        const JsonNode& block = c->children[i];
        if (!block.is_object()) return At(kSyntaxErrors, &s);
        for (const JsonNode& values : block.children) {
          if (values.is_array()) {
            for (const JsonNode& v : values.children)
              if (!IsScalar(v)) return At(kSyntaxErrors, &s);
          } else if (!IsScalar(values)) {
            return At(kSyntaxErrors, &s);
          }
        }
        if (ParseOperator(c->keys[i]).info == nullptr && !block.children.empty())
          return At(kSyntaxErrors, &s);
      }
    }
    return std::nullopt;
  }

  static bool PrincipalSyntaxOk(const JsonNode& p) {
    if (p.is_string()) return p.text == "*";
    if (!p.is_object() || p.keys.empty()) return false;
    for (size_t i = 0; i < p.keys.size(); ++i) {
      const std::string& k = p.keys[i];
      if (k != "AWS" && k != "Service" && k != "Federated" && k != "CanonicalUser") return false;
      const JsonNode& v = p.children[i];
      if (!IsStringOrStringList(v) || (v.is_array() && v.children.empty())) return false;
    }
    return true;
  }

  // ---- 2. Version (managed policies) ----
  std::optional<Failure> CheckVersion() {
    if (kind_ != PolicyKind::kManagedIdentity) return std::nullopt;
    const JsonNode* v = root_.Find("Version");
    if (v == nullptr || v->text != kVersion2012) return At(kVersionTooOld, v ? v : &root_);
    return std::nullopt;
  }

  // ---- 3. Legacy parsing: exact Effect case, dates, and resource ARN shapes ----
  std::optional<Failure> CheckLegacy() {
    for (const JsonNode* s : statements_) {
      const JsonNode* effect = s->Find("Effect");
      if (effect->text != "Allow" && effect->text != "Deny") return At(kLegacyParsing, s);
      if (const JsonNode* c = s->Find("Condition")) {
        for (size_t i = 0; i < c->keys.size(); ++i) {
          ParsedOperator op = ParseOperator(c->keys[i]);
          if (op.info == nullptr || op.info->family != ConditionFamily::kDate) continue;
          bool ok = true;
          for (const JsonNode& values : c->children[i].children)
            ForEachConditionValue(values, [&](const JsonNode& v) {
              if (v.type == JsonType::kBool || !internal::ParseDateMillis(v.text)) ok = false;
            });
          if (!ok) return At(kLegacyParsing, s);
        }
      }
    }
    // Resource formats: the first format problem is remembered and reported after the SID and
    // action checks; a statement whose resources had no format problem so far is also run
    // through the legacy ARN parser (AWS reports those failures first).
    for (std::string_view key : {"Resource", "NotResource"}) {
      for (const JsonNode* s : statements_) {
        const JsonNode* r = s->Find(key);
        if (r == nullptr) continue;
        std::vector<const JsonNode*> items = Items(r);
        std::sort(items.begin(), items.end(),
                  [](const JsonNode* a, const JsonNode* b) { return a->text > b->text; });
        for (const JsonNode* item : items) CheckResourceFormat(item->text, s);
        if (!resource_error_) {
          for (const JsonNode* item : items) {
            std::string_view res = item->text;
            if (res == "*") continue;
            size_t colons = static_cast<size_t>(std::count(res.begin(), res.end(), ':'));
            std::vector<std::string_view> parts = SplitArnText(res, 100, false);
            if ((colons < 5 && res.find("::") != std::string_view::npos) ||
                (parts.size() > 2 && parts[2].empty()))
              return At(kLegacyParsing, s);
          }
        }
      }
    }
    return std::nullopt;
  }

  void CheckResourceFormat(std::string_view res, const JsonNode* s) {
    if (resource_error_ || res == "*") return;
    auto fail = [&](std::string message) { resource_error_ = Failure{std::move(message), s->begin}; };
    size_t c1 = res.find(':');
    if (c1 == std::string_view::npos || res.substr(0, c1) != "arn") {
      fail("Resource " + std::string(res) + " must be in ARN format or \"*\".");
      return;
    }
    std::string_view rest = res.substr(c1 + 1);
    size_t c2 = rest.find(':');
    std::string_view partition = rest.substr(0, c2);
    if (partition != "*" &&
        std::find(kPartitions.begin(), kPartitions.end(), partition) == kPartitions.end()) {
      // AWS prints the ARN with its missing parts filled with "*".
      std::vector<std::string_view> remaining;
      if (c2 != std::string_view::npos) remaining = SplitArnText(rest.substr(c2 + 1), 4, false);
      auto part = [&](size_t i) -> std::string {
        if (i < remaining.size() && !(i == 0 && remaining[0].empty() && remaining.size() == 1))
          return std::string(remaining[i]);
        return "*";
      };
      std::string p(partition);
      fail("Partition \"" + p + "\" is not valid for resource \"arn:" + p + ":" + part(0) + ":" +
           part(1) + ":" + part(2) + ":" + part(3) + "\".");
      return;
    }
    if (c2 == std::string_view::npos) {
      fail(std::string(kVendorRegex));
      return;
    }
    std::vector<std::string_view> parts = SplitArnText(rest.substr(c2 + 1), 4, true);
    std::string_view service = parts[0];
    if (service.find_first_of("*?") != std::string_view::npos) {
      fail(std::string(kVendorRegex));
      return;
    }
    std::string_view region = parts.size() > 1 ? parts[1] : std::string_view();
    std::string_view resource = parts.size() > 3 ? parts[3] : std::string_view();
    if (service == "iam" && !region.empty()) {
      fail("IAM resource " + std::string(res) + " cannot contain region information.");
      return;
    }
    if (service == "s3" && !region.empty() && !StartsWith(resource, "accesspoint/") &&
        !StartsWith(resource, "job/") && !StartsWith(resource, "storage-lens/") &&
        !StartsWith(resource, "async-request/") && !StartsWith(resource, "access-grants/")) {
      fail("Resource " + std::string(res) + " can not contain region information.");
      return;
    }
  }

  // ---- 4. Statement IDs ----
  std::optional<Failure> CheckSids() {
    if (kind_ != PolicyKind::kResource) {
      for (const JsonNode* s : statements_) {
        const JsonNode* sid = s->Find("Sid");
        if (sid == nullptr) continue;
        for (char c : sid->text)
          if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return At(kSidNotAlphanumeric, s);
      }
    }
    std::vector<std::string_view> seen;
    for (const JsonNode* s : statements_) {
      const JsonNode* sid = s->Find("Sid");
      if (sid == nullptr || sid->text.empty()) continue;
      if (std::find(seen.begin(), seen.end(), sid->text) != seen.end())
        return At(kSidNotUnique, s);
      seen.push_back(sid->text);
    }
    return std::nullopt;
  }

  // ---- 5. Actions present ----
  std::optional<Failure> CheckActionsPresent() {
    for (const JsonNode* s : statements_) {
      const JsonNode* a = s->Find("Action");
      if (a == nullptr) a = s->Find("NotAction");
      if (a == nullptr || (a->is_array() && a->children.empty())) return At(kMissingActions, s);
    }
    return std::nullopt;
  }

  // ---- 7. Action vendors ----
  static std::optional<std::string> ActionPrefixError(std::string_view action) {
    size_t colons = static_cast<size_t>(std::count(action.begin(), action.end(), ':'));
    if (colons == 0 && action != "*") return std::string(kNoVendor);
    if (colons > 1) return std::string(kOneColon);
    std::string_view vendor = action.substr(0, action.find(':'));
    if (vendor != "*") {
      for (char c : vendor)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '.'))
          return "Vendor " + std::string(vendor) + " is not valid";
    }
    return std::nullopt;
  }

  std::optional<Failure> CheckActionPrefixes() {
    for (std::string_view key : {"Action", "NotAction"})
      for (const JsonNode* s : statements_)
        for (const JsonNode* a : Items(s->Find(key)))
          if (auto message = ActionPrefixError(a->text)) return Failure{*message, s->begin};
    return std::nullopt;
  }

  // Condition keys need a vendor prefix too ("aws:", "s3:"); they may contain more colons
  // (kms:EncryptionContext:aws:s3:arn, aws:ResourceTag/aws:cloudformation:stack-id).
  std::optional<Failure> CheckConditionKeyPrefixes() {
    for (const JsonNode* s : statements_) {
      const JsonNode* c = s->Find("Condition");
      if (c == nullptr) continue;
      for (const JsonNode& block : c->children)
        for (const std::string& key : block.keys) {
          size_t colon = key.find(':');
          if (colon == std::string::npos || colon == 0) return At(kNoVendor, s);
        }
    }
    return std::nullopt;
  }

  // ---- 8. What each kind of policy must and must not have ----
  std::optional<Failure> CheckKind() {
    if (IdentityGrammar()) {
      for (const JsonNode* s : statements_)
        if (s->Find("Principal") || s->Find("NotPrincipal")) return At(kNoPrincipalAllowed, s);
      return CheckResourcesPresent();
    }
    if (kind_ == PolicyKind::kTrust) {
      for (const JsonNode* s : statements_) {
        for (std::string_view key : {"Action", "NotAction"})
          for (const JsonNode* a : Items(s->Find(key))) {
            std::string lower = AsciiLower(a->text);
            if (std::find(kTrustPolicyActions.begin(), kTrustPolicyActions.end(), lower) ==
                kTrustPolicyActions.end())
              return At(kTrustActions, s);
          }
      }
      for (const JsonNode* s : statements_)
        if (s->Find("Resource") || s->Find("NotResource")) return At(kProhibitedResource, s);
      return CheckPrincipals();
    }
    // kResource
    if (auto f = CheckPrincipals()) return f;
    return CheckResourcesPresent();
  }

  std::optional<Failure> CheckResourcesPresent() {
    for (const JsonNode* s : statements_) {
      const JsonNode* r = s->Find("Resource");
      if (r == nullptr) r = s->Find("NotResource");
      if (r == nullptr || (r->is_array() && r->children.empty())) return At(kMissingResources, s);
    }
    return std::nullopt;
  }

  std::optional<Failure> CheckPrincipals() {
    for (const JsonNode* s : statements_) {
      const JsonNode* p = s->Find("Principal");
      if (p == nullptr) p = s->Find("NotPrincipal");
      if (p == nullptr) return At(kMissingPrincipal, s);
      if (!p->is_object()) continue;
      if (const JsonNode* aws = p->Find("AWS")) {
        for (const JsonNode* v : Items(aws)) {
          std::string_view t = v->text;
          if (t == "*" || IsAccountId(t)) continue;
          auto arn = ParseArn(t);
          if (arn && !arn->service.empty() && !arn->resource.empty()) continue;
          return At("Invalid principal in policy: \"AWS\":\"" + std::string(t) + "\"", s);
        }
      }
    }
    return std::nullopt;
  }

  PolicyKind kind_;
  const JsonNode& root_;
  std::vector<const JsonNode*> statements_;
  std::optional<Failure> resource_error_;
};

}  // namespace

// Builds the compiled form of a validated document.
class PolicyCompiler {
 public:
  static PolicyPtr Build(std::string_view text, PolicyKind kind, const JsonNode& root,
                         const std::vector<const JsonNode*>& statements) {
    auto policy = std::shared_ptr<Policy>(new Policy());
    policy->text_.assign(text);
    policy->kind_ = kind;
    PolicyCompiler(*policy, root).Compile(statements);
    return policy;
  }

 private:
  PolicyCompiler(Policy& policy, const JsonNode& root) : p_(policy), root_(root) {}

  void Compile(const std::vector<const JsonNode*>& statements) {
    if (const JsonNode* v = root_.Find("Version")) p_.version_ = Store(v->text);
    if (const JsonNode* id = root_.Find("Id")) p_.id_ = Store(id->text);
    variables_ = p_.version_ == kVersion2012;
    p_.statements_.reserve(statements.size());
    for (const JsonNode* s : statements) p_.statements_.push_back(CompileStatement(*s));
    for (const Statement& st : p_.statements_) {
      p_.any_service_ = p_.any_service_ || st.any_service;
      for (uint64_t h : st.service_hashes)
        if (std::find(p_.service_hashes_.begin(), p_.service_hashes_.end(), h) ==
            p_.service_hashes_.end())
          p_.service_hashes_.push_back(h);
    }
    // Each service's statements, and those for any service, in document order.
    p_.by_service_.resize(p_.service_hashes_.size());
    for (uint32_t i = 0; i < p_.statements_.size(); ++i) {
      const Statement& st = p_.statements_[i];
      if (st.any_service) p_.any_service_statements_.push_back(i);
      for (size_t k = 0; k < p_.service_hashes_.size(); ++k)
        if (st.any_service || std::find(st.service_hashes.begin(), st.service_hashes.end(),
                                        p_.service_hashes_[k]) != st.service_hashes.end())
          p_.by_service_[k].push_back(i);
    }
  }

  std::string_view Store(std::string_view s) { return p_.arena_.Store(std::string(s)); }

  void NoteKey(std::string_view key) {
    for (std::string_view k : p_.context_keys_)
      if (EqualsIgnoreCase(k, key)) return;
    p_.context_keys_.push_back(key);
  }
  void NoteVariables(const internal::Pattern& pattern) {
    for (const internal::Piece& piece : pattern.pieces)
      if (piece.kind == internal::PieceKind::kVariable) NoteKey(piece.text);
  }

  SourcePosition Position(uint32_t offset) const {
    internal::LineColumn lc = internal::OffsetToLineColumn(p_.text_, offset);
    return SourcePosition{lc.line, lc.column};
  }

  Statement CompileStatement(const JsonNode& s) {
    Statement st;
    st.begin = Position(s.begin);
    st.end = Position(s.end);
    if (const JsonNode* sid = s.Find("Sid")) st.sid = Store(sid->text);
    st.effect = s.Find("Effect")->text == "Deny" ? Effect::kDeny : Effect::kAllow;

    const JsonNode* actions = s.Find("Action");
    if (actions == nullptr) {
      actions = s.Find("NotAction");
      st.not_action = actions != nullptr;
    }
    for (const JsonNode* a : Items(actions)) st.actions.push_back(CompileAction(a->text));
    st.any_service = st.not_action;
    for (const ActionPattern& a : st.actions) {
      if (a.match_all || a.service_has_wildcard) {
        st.any_service = true;
        continue;
      }
      uint64_t h = a.service_hash;
      if (std::find(st.service_hashes.begin(), st.service_hashes.end(), h) ==
          st.service_hashes.end())
        st.service_hashes.push_back(h);
    }

    const JsonNode* resources = s.Find("Resource");
    if (resources == nullptr) {
      resources = s.Find("NotResource");
      st.not_resource = resources != nullptr;
    }
    st.has_resource = resources != nullptr;
    for (const JsonNode* r : Items(resources)) st.resources.push_back(CompileResource(r->text));

    const JsonNode* principal = s.Find("Principal");
    if (principal == nullptr) {
      principal = s.Find("NotPrincipal");
      st.not_principal = principal != nullptr;
    }
    st.has_principal = principal != nullptr;
    if (principal != nullptr) st.principals = CompilePrincipal(*principal);

    if (const JsonNode* c = s.Find("Condition")) {
      for (size_t i = 0; i < c->keys.size(); ++i) {
        ParsedOperator op = ParseOperator(c->keys[i]);
        if (op.info == nullptr) continue;  // an unknown operator with an empty block
        const JsonNode& block = c->children[i];
        std::string_view op_name = Store(c->keys[i]);
        for (size_t k = 0; k < block.keys.size(); ++k) {
          Condition cond;
          cond.operator_name = op_name;
          cond.key = Store(block.keys[k]);
          NoteKey(cond.key);
          cond.family = op.info->family;
          cond.comparison = op.info->comparison;
          cond.negated = op.info->negated;
          cond.set = op.set;
          cond.if_exists = op.if_exists;
          ForEachConditionValue(block.children[k], [&](const JsonNode& v) {
            cond.values.push_back(CompileConditionValue(cond.family, ScalarText(v)));
          });
          st.conditions.push_back(std::move(cond));
        }
      }
    }
    return st;
  }

  ActionPattern CompileAction(std::string_view text) {
    ActionPattern a;
    std::string_view lower = Store(AsciiLower(text));
    if (lower == "*") {
      a.match_all = true;
      return a;
    }
    size_t colon = lower.find(':');
    std::string_view service = lower.substr(0, colon);
    if (colon == std::string_view::npos || service.find_first_of("*?") != std::string_view::npos) {
      a.service_has_wildcard = true;
      a.name = internal::CompilePattern(lower, {true, false}, p_.arena_);
      return a;
    }
    a.service = service;
    a.service_hash = internal::HashService(service);
    a.name = internal::CompilePattern(lower.substr(colon + 1), {true, false}, p_.arena_);
    return a;
  }

  std::vector<internal::Pattern> CompileArnParts(std::string_view text, bool wildcards) {
    std::vector<internal::Pattern> parts;
    // "arn:" + partition, service, region, account, resource.
    for (std::string_view part : SplitArnText(text.substr(4), 5, variables_)) {
      internal::Pattern pat = internal::CompilePattern(part, {wildcards, variables_}, p_.arena_);
      NoteVariables(pat);
      parts.push_back(std::move(pat));
    }
    return parts;
  }

  ResourcePattern CompileResource(std::string_view raw) {
    ResourcePattern r;
    std::string_view text = Store(raw);
    if (text == "*") {
      r.match_all = true;
      return r;
    }
    if (StartsWith(text, "arn:")) {
      r.is_arn = true;
      r.parts = CompileArnParts(text, true);
    } else {
      internal::Pattern pat = internal::CompilePattern(text, {true, variables_}, p_.arena_);
      NoteVariables(pat);
      r.parts.push_back(std::move(pat));
    }
    return r;
  }

  PrincipalSet CompilePrincipal(const JsonNode& p) {
    PrincipalSet set;
    if (p.is_string()) {
      set.everyone = true;
      return set;
    }
    for (size_t i = 0; i < p.keys.size(); ++i) {
      const std::string& type = p.keys[i];
      for (const JsonNode* v : Items(&p.children[i])) {
        std::string_view t = v->text;
        if (type == "AWS") {
          if (t == "*") {
            set.everyone = true;
          } else if (IsAccountId(t)) {
            set.accounts.push_back(Store(t));
          } else if (auto arn = ParseArn(t); arn && arn->service == "iam" && arn->resource == "root") {
            set.accounts.push_back(Store(arn->account));
          } else {
            set.arns.push_back(Store(t));
          }
        } else if (type == "Service") {
          set.services.push_back(Store(AsciiLower(t)));
        } else if (type == "Federated") {
          set.federated.push_back(Store(t));
        } else {
          set.canonical_users.push_back(Store(t));
        }
      }
    }
    return set;
  }

  ConditionValue CompileConditionValue(ConditionFamily family, std::string_view raw) {
    ConditionValue v;
    v.text = Store(raw);
    switch (family) {
      case ConditionFamily::kStringEquals:
      case ConditionFamily::kStringEqualsIgnoreCase:
        v.pattern = internal::CompilePattern(v.text, {false, variables_}, p_.arena_);
        NoteVariables(v.pattern);
        break;
      case ConditionFamily::kStringLike:
        v.pattern = internal::CompilePattern(v.text, {true, variables_}, p_.arena_);
        NoteVariables(v.pattern);
        break;
      case ConditionFamily::kArn:
        // ArnEquals and ArnLike both take wildcards in each of the six components.
        v.pattern = internal::CompilePattern(v.text, {true, variables_}, p_.arena_);
        NoteVariables(v.pattern);
        if (StartsWith(v.text, "arn:")) v.arn_parts = CompileArnParts(v.text, true);
        break;
      case ConditionFamily::kNumeric:
        if (auto n = internal::ParseNumber(v.text)) v.number = *n; else v.valid = false;
        break;
      case ConditionFamily::kDate:
        if (auto d = internal::ParseDateMillis(v.text)) v.date_millis = *d; else v.valid = false;
        break;
      case ConditionFamily::kBool:
      case ConditionFamily::kNull:
        if (auto b = internal::ParseBool(v.text)) v.boolean = *b; else v.valid = false;
        break;
      case ConditionFamily::kBinary:
        if (auto bytes = Base64Decode(v.text)) v.binary = p_.arena_.Store(std::move(*bytes));
        else v.valid = false;
        break;
      case ConditionFamily::kIpAddress:
        if (auto net = internal::ParseIpNetwork(v.text)) v.network = *net; else v.valid = false;
        break;
    }
    return v;
  }

  Policy& p_;
  const JsonNode& root_;
  bool variables_ = false;
};

Result<PolicyPtr> ParsePolicy(std::string_view text, PolicyKind kind,
                              SourcePosition* error_position) {
  auto fail = [&](std::string_view message, uint32_t offset) {
    if (error_position != nullptr) {
      internal::LineColumn lc = internal::OffsetToLineColumn(text, offset);
      *error_position = SourcePosition{lc.line, lc.column};
    }
    return Fail(ErrorCode::kMalformedPolicyDocument, std::string(message));
  };
  if (text.size() > 0xFFFFFFF0u) return fail(kSyntaxErrors, 0);
  JsonNode root;
  internal::JsonError json_error;
  if (!internal::ParseJson(text, root, json_error))
    return fail(kind == PolicyKind::kTrust ? kInvalidJsonTrust : kSyntaxErrors, json_error.offset);
  Validator validator(kind, root);
  if (auto failure = validator.Run()) return fail(failure->message, failure->offset);

  return PolicyCompiler::Build(text, kind, root, validator.statements());
}

}  // namespace iamd::policy
