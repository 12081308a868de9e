#include "case_loader.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace iamd::policy::testing {

std::string SourceDir() {
  const char* env = std::getenv("IAMD_SOURCE_DIR");
  return env != nullptr ? env : IAMD_SOURCE_DIR;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> JsonFilesIn(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

namespace {

using rapidjson::Value;

std::string Pretty(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buf);
  writer.SetIndent(' ', 4);
  v.Accept(writer);
  return buf.GetString();
}

std::string Str(const Value& obj, const char* key, std::string fallback = "") {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return fallback;
  if (!it->value.IsString()) throw std::runtime_error(std::string("not a string: ") + key);
  return it->value.GetString();
}

std::vector<std::string> StrList(const Value& v) {
  std::vector<std::string> out;
  if (v.IsString()) {
    out.emplace_back(v.GetString());
  } else {
    for (const Value& e : v.GetArray()) out.emplace_back(e.GetString());
  }
  return out;
}

rapidjson::Document ParseFile(const std::string& path) {
  rapidjson::Document doc;
  std::string text = ReadFile(path);
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError())
    throw std::runtime_error(path + ": " + rapidjson::GetParseError_En(doc.GetParseError()) +
                             " at " + std::to_string(doc.GetErrorOffset()));
  return doc;
}

// A policy is {"document": {...}} (re-serialized), {"text": "..."} (exact), or
// {"file": "seed/X.json"} (relative to tests/policy), plus optional id and type.
PolicySpec ParsePolicySpec(const Value& v, const std::string& default_id) {
  PolicySpec p;
  p.id = Str(v, "id", default_id);
  p.type = Str(v, "type", "none");
  if (v.HasMember("document")) {
    p.text = Pretty(v["document"]);
  } else if (v.HasMember("text")) {
    p.text = v["text"].GetString();
  } else if (v.HasMember("file")) {
    p.text = ReadFile(SourceDir() + "/tests/policy/" + v["file"].GetString());
  } else {
    throw std::runtime_error("policy needs document, text or file");
  }
  return p;
}

PrincipalSpec ParsePrincipal(const Value& v) {
  PrincipalSpec p;
  p.type = Str(v, "type", p.type);
  p.arn = Str(v, "arn", p.type == "user" ? p.arn : "");
  p.account = Str(v, "account", p.account);
  p.role_arn = Str(v, "role_arn");
  p.user_arn = Str(v, "user_arn");
  p.service = Str(v, "service");
  p.federated = Str(v, "federated");
  p.canonical_user = Str(v, "canonical_user");
  return p;
}

RequestSpec ParseRequest(const Value& v) {
  RequestSpec r;
  r.action = Str(v, "action");
  r.resource = Str(v, "resource", "*");
  r.expect = Str(v, "expect");
  if (r.expect != "allowed" && r.expect != "explicitDeny" && r.expect != "implicitDeny")
    throw std::runtime_error("bad expect: " + r.expect);
  if (v.HasMember("cause")) r.cause = Str(v, "cause");
  if (v.HasMember("matched")) r.matched = StrList(v["matched"]);
  if (v.HasMember("missing")) r.missing = StrList(v["missing"]);
  if (v.HasMember("allowed_by_boundary")) r.allowed_by_boundary = v["allowed_by_boundary"].GetBool();
  if (v.HasMember("context")) {
    for (const auto& m : v["context"].GetObject()) {
      std::vector<std::string> values;
      if (m.value.IsArray()) {
        for (const Value& e : m.value.GetArray()) values.emplace_back(e.GetString());
      } else {
        values.emplace_back(m.value.GetString());
      }
      r.context.emplace_back(m.name.GetString(), std::move(values));
    }
  }
  return r;
}

}  // namespace

std::vector<ConformanceCase> LoadConformanceCases() {
  std::vector<ConformanceCase> cases;
  for (const std::string& path : JsonFilesIn(SourceDir() + "/tests/policy/conformance")) {
    rapidjson::Document doc = ParseFile(path);
    std::string file = std::filesystem::path(path).stem().string();
    std::string file_source = Str(doc, "source");
    for (const Value& c : doc["cases"].GetArray()) {
      ConformanceCase k;
      k.file = file;
      k.name = Str(c, "name");
      k.source = Str(c, "source", file_source);
      if (k.source.empty()) throw std::runtime_error(file + "/" + k.name + ": no source");
      if (c.HasMember("principal")) k.principal = ParsePrincipal(c["principal"]);
      if (c.HasMember("identity_policies")) {
        int i = 0;
        for (const Value& p : c["identity_policies"].GetArray())
          k.identity.push_back(ParsePolicySpec(p, "policy" + std::to_string(++i)));
      }
      if (c.HasMember("permissions_boundary"))
        k.boundary = ParsePolicySpec(c["permissions_boundary"], "boundary");
      if (c.HasMember("session_policies")) {
        int i = 0;
        for (const Value& p : c["session_policies"].GetArray())
          k.session.push_back(ParsePolicySpec(p, "session" + std::to_string(++i)));
      }
      if (c.HasMember("resource_policy"))
        k.resource_policy = ParsePolicySpec(c["resource_policy"], "resource");
      if (c.HasMember("trust_policy")) {
        k.trust = true;
        k.trust_policy = ParsePolicySpec(c["trust_policy"], "trust");
      }
      k.resource_account = Str(c, "resource_account");
      for (const Value& r : c["requests"].GetArray()) k.requests.push_back(ParseRequest(r));
      cases.push_back(std::move(k));
    }
  }
  return cases;
}

std::vector<ValidationCase> LoadValidationCases() {
  std::vector<ValidationCase> cases;
  for (const std::string& path : JsonFilesIn(SourceDir() + "/tests/policy/validation")) {
    rapidjson::Document doc = ParseFile(path);
    std::string file = std::filesystem::path(path).stem().string();
    std::string file_source = Str(doc, "source");
    for (const Value& c : doc["cases"].GetArray()) {
      ValidationCase k;
      k.file = file;
      k.name = Str(c, "name");
      k.source = Str(c, "source", file_source);
      if (k.source.empty()) throw std::runtime_error(file + "/" + k.name + ": no source");
      k.kind = Str(c, "kind", "identity");
      if (c.HasMember("document")) {
        k.text = Pretty(c["document"]);
      } else {
        k.text = Str(c, "text");
      }
      if (c.HasMember("error") && c["error"].IsString()) k.error = c["error"].GetString();
      cases.push_back(std::move(k));
    }
  }
  return cases;
}

std::string TestName(const std::string& raw) {
  std::string out;
  bool upper = true;
  for (char c : raw) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return out.empty() ? "Unnamed" : out;
}

}  // namespace iamd::policy::testing
