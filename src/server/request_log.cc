#include "server/request_log.h"

#include <chrono>

#include "common/clock.h"
#include "common/strings.h"
#include "common/time.h"

namespace iamd::server {

namespace {

void AppendTimestamp(std::string& line) {
  int64_t now = SystemClock::Instance().NowMillis();
  std::string iso = FormatIso8601(now);  // ...:SSZ
  iso.pop_back();
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03dZ", static_cast<int>(now % 1000));
  line += "{\"ts\":\"";
  line += iso;
  line += ms;
  line += '"';
}

void AppendField(std::string& line, std::string_view name, std::string_view value) {
  line += ",\"";
  line += name;
  line += "\":\"";
  AppendJsonEscaped(line, value);
  line += '"';
}

}  // namespace

JsonLineLog::JsonLineLog(std::FILE* out) : out_(out), thread_([this] { Run(); }) {}

JsonLineLog::~JsonLineLog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void JsonLineLog::Write(const LogEntry& e) {
  std::string line;
  line.reserve(256);
  AppendTimestamp(line);
  AppendField(line, "endpoint", e.endpoint);
  if (!e.action.empty()) AppendField(line, "action", e.action);
  else {
    AppendField(line, "method", e.method);
    // Only the path: a presigned query string carries a signature.
    AppendField(line, "path", e.target.substr(0, e.target.find('?')));
  }
  if (!e.caller.empty()) AppendField(line, "caller", e.caller);
  line += ",\"status\":" + std::to_string(e.status);
  line += ",\"us\":" + std::to_string(e.micros);
  if (!e.request_id.empty()) AppendField(line, "request_id", e.request_id);
  AppendField(line, "remote", e.remote);
  line += "}\n";
  Append(std::move(line));
}

void JsonLineLog::Event(std::string_view event, std::string_view fields) {
  std::string line;
  AppendTimestamp(line);
  AppendField(line, "event", event);
  if (!fields.empty()) {
    line += ',';
    line += fields;
  }
  line += "}\n";
  Append(std::move(line));
  Flush();
}

void JsonLineLog::Append(std::string&& line) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    buffer_ += line;
    wake = buffer_.size() > (64 << 10);
  }
  if (wake) cv_.notify_one();
}

void JsonLineLog::Flush() {
  std::string out;
  {
    std::lock_guard lock(mu_);
    out.swap(buffer_);
  }
  if (!out.empty()) {
    std::fwrite(out.data(), 1, out.size(), out_);
    std::fflush(out_);
  }
}

void JsonLineLog::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, std::chrono::milliseconds(100));
    std::string out;
    out.swap(buffer_);
    bool stop = stop_;
    lock.unlock();
    if (!out.empty()) {
      std::fwrite(out.data(), 1, out.size(), out_);
      std::fflush(out_);
    }
    if (stop) return;
    lock.lock();
  }
}

}  // namespace iamd::server
