#pragma once
// JSON-lines logging to standard output: the access log (one line per request) and events
// (start-up, shutdown, faults). Lines are whole and never interleave. Access lines are
// buffered and written at least every 200 ms (a write per request would cost more than the
// request), by a thread of their own that also formats them: a request's thread only copies
// its few fields. Events are written at once, with whatever access lines precede them.

#include "server/config.hpp"

#include <chrono>
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
    // When the answer was ready: the line's time (dated by the wall clock as the line is written,
    // so a request costs no reading of it).
    std::chrono::steady_clock::time_point at;
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
    // Adds a record to the buffer (under its lock) with put(buffer); writes it all if `now`.
    template <class Put>
    void append(Put&& put, bool now) const;

    LogLevel level_;
    mutable std::mutex mutex_;        // the buffer
    mutable std::string buffer_;
    mutable std::mutex write_mutex_;  // stdout, and pending_
    mutable std::string pending_;     // the records a flush is writing
    mutable std::string lines_;       // and their lines
    mutable std::chrono::sys_seconds second_of_text_{};  // the access lines' time, per second
    mutable std::string time_text_;
    mutable std::condition_variable wake_;
    mutable bool flush_wanted_ = false;  // the buffer is full: the flusher is asked to write it (under mutex_)
    bool stop_ = false;
    std::thread flusher_;
};

}  // namespace crossrate::server
