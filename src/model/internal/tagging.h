// The shared body of the Tag* and Untag* operations of model::State (declared in state.h):
// included by the .cc file of each taggable entity.
#pragma once

#include <utility>

#include "model/internal/messages.h"
#include "model/state.h"

namespace iamd::model {

template <typename Found>
Status State::TagFound(const Found& found, const Tags& tags, std::string_view kind,
                       ChangeSet& out) {
  if (!found) return std::unexpected(found.error());
  auto record = (*found)->rec;
  IAMD_TRY(internal::MergeTags(record.tags, tags, kind));
  return Emit(std::move(record), out);
}

template <typename Found>
Status State::UntagFound(const Found& found, std::span<const std::string> keys,
                         bool case_sensitive, ChangeSet& out) {
  if (!found) return std::unexpected(found.error());
  auto record = (*found)->rec;
  internal::RemoveTags(record.tags, keys, case_sensitive);
  return Emit(std::move(record), out);
}

}  // namespace iamd::model
