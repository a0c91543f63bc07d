#pragma once
// JSON-lines logging to standard output: the access log (one line per request) and events
// (start-up, shutdown, faults). Lines are whole and never interleave. Access lines are
// buffered and written at least every 200 ms (a write per request would cost more than the
// request); events are written at once, with whatever access lines precede them.

#include "server/config.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace crossrate::server {

struct AccessRecord {
    std::string_view method;
    std::string_view target;
    unsigned status;
    std::uint64_t bytes;
    std::int64_t micros;
    std::string_view request_id;
    std::string_view remote;
};

class Logger {
public:
    explicit Logger(LogLevel level);
    ~Logger();  // writes what is buffered
    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    bool enabled(LogLevel level) const noexcept { return level >= level_ && level_ != LogLevel::off; }
    void access(const AccessRecord& r) const;
    void event(LogLevel level, std::string_view message) const;
    void flush() const;

private:
    void append(std::string_view line, bool now) const;

    LogLevel level_;
    mutable std::mutex mutex_;        // the buffer
    mutable std::string buffer_;
    mutable std::mutex write_mutex_;  // stdout, and pending_
    mutable std::string pending_;     // what a flush is writing
    mutable std::condition_variable wake_;
    mutable bool flush_wanted_ = false;  // the buffer is full: the flusher is asked to write it (under mutex_)
    bool stop_ = false;
    std::thread flusher_;
};

}  // namespace crossrate::server
