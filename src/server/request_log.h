// The request log: one JSON object per line, e.g.
//   {"ts":"2026-11-28T00:42:45.123Z","endpoint":"api","action":"GetRole",
//    "caller":"arn:aws:iam::123456789012:root","status":200,"us":84,"request_id":"...",
//    "remote":"127.0.0.1"}
// Lines are buffered and written by a background thread, so logging costs a request a few
// hundred nanoseconds. Nothing secret is ever logged: no signatures, keys or bodies.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "server/http_server.h"

namespace iamd::server {

class JsonLineLog {
 public:
  explicit JsonLineLog(std::FILE* out);
  ~JsonLineLog();  // flushes
  JsonLineLog(const JsonLineLog&) = delete;
  JsonLineLog& operator=(const JsonLineLog&) = delete;

  void Write(const LogEntry& entry);  // thread-safe
  // A free-form event line: {"ts":...,"event":"...",<fields>} where `fields` is JSON members.
  void Event(std::string_view event, std::string_view fields = "");
  void Flush();

 private:
  void Run();
  void Append(std::string&& line);

  std::FILE* out_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace iamd::server
