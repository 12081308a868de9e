// The request context: condition keys and their values for one request (aws:SourceIp,
// aws:username, iam:PassedToService, aws:TagKeys, ...), as the IAM User Guide's "Components of a
// request" describes it.
//
// Keys compare ASCII-case-insensitively ("Context key names are not case-sensitive", IAM JSON
// policy elements: Condition). A key may carry several values (multivalued keys such as
// aws:TagKeys or aws:CalledVia): call Add once per value. AddEmpty records a key that is present
// with an empty list of values.
//
// Cheap to build per request: the first kInlineEntries entries live inside the object, so a
// typical context allocates nothing. It borrows every key and value: the strings must outlive
// the context and any evaluation that uses it. Not thread-safe to mutate; safe to read from
// several threads once built.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "common/strings.h"

namespace iamd::policy {

class RequestContext {
 public:
  struct Entry {
    std::string_view key;
    std::string_view value;
    bool has_value = true;  // false for AddEmpty
  };
  static constexpr size_t kInlineEntries = 16;

  RequestContext() = default;
  RequestContext(const RequestContext& other) { *this = other; }
  RequestContext& operator=(const RequestContext& other) {
    if (this != &other) {
      Clear();
      for (const Entry& e : other.entries()) Push(e);
    }
    return *this;
  }

  // Adds one value for `key`.
  void Add(std::string_view key, std::string_view value) { Push(Entry{key, value, true}); }
  // Marks `key` present with no values (an empty multivalued key).
  void AddEmpty(std::string_view key) { Push(Entry{key, {}, false}); }
  void Clear() {
    size_ = 0;
    spill_.clear();
  }

  std::span<const Entry> entries() const {
    return spill_.empty() ? std::span<const Entry>(inline_, size_) : std::span<const Entry>(spill_);
  }

  // Whether `key` is present (with or without values).
  bool Has(std::string_view key) const {
    for (const Entry& e : entries())
      if (EqualsIgnoreCase(e.key, key)) return true;
    return false;
  }
  // Whether `key` has at least one value.
  bool HasValue(std::string_view key) const { return FirstValue(key) != nullptr; }
  // The first value of `key`, or nullptr. Policy variables use this (AWS: a variable stands for
  // a single value).
  const std::string_view* FirstValue(std::string_view key) const {
    for (const Entry& e : entries())
      if (e.has_value && EqualsIgnoreCase(e.key, key)) return &e.value;
    return nullptr;
  }
  // Calls `f(value)` for every value of `key`, in insertion order; stops early if f returns
  // false. Returns false if it stopped early.
  template <typename F>
  bool ForEachValue(std::string_view key, F&& f) const {
    for (const Entry& e : entries())
      if (e.has_value && EqualsIgnoreCase(e.key, key) && !f(e.value)) return false;
    return true;
  }

 private:
  void Push(const Entry& e) {
    if (spill_.empty() && size_ < kInlineEntries) {
      inline_[size_++] = e;
      return;
    }
    if (spill_.empty()) spill_.assign(inline_, inline_ + size_);
    spill_.push_back(e);
  }

  Entry inline_[kInlineEntries];
  size_t size_ = 0;
  std::vector<Entry> spill_;  // used once the inline entries are full
};

}  // namespace iamd::policy
