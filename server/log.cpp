#include "server/log.hpp"

#include <poll.h>

#include <cerrno>

#include "api/json_writer.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <date/date.h>

namespace crossrate::server {
namespace {

// 2026-11-23T18:31:36.754Z. Runs once per request: the part up to the second is formatted
// once per second per thread, and the text lives in the thread until its next call.
std::string_view now_text() {
    const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto second = std::chrono::floor<std::chrono::seconds>(now);
    thread_local std::chrono::sys_seconds cached_second{};
    thread_local std::string text;
    if (second != cached_second || text.empty()) {
        cached_second = second;
        text = date::format("%FT%T", second) + ".000Z";
    }
    const auto millis = static_cast<int>((now - second).count());
    char* digits = text.data() + text.size() - 4;
    digits[0] = static_cast<char>('0' + millis / 100);
    digits[1] = static_cast<char>('0' + millis / 10 % 10);
    digits[2] = static_cast<char>('0' + millis % 10);
    return text;
}

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
        case LogLevel::off: break;
    }
    return "off";
}

}  // namespace

Logger::Logger(LogLevel level) : level_(level) {
    if (!enabled(LogLevel::info)) return;  // no access log: nothing is ever buffered
    flusher_ = std::thread([this] {
        for (;;) {
            {
                std::unique_lock lock(mutex_);
                if (stop_) return;
                wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_ || flush_wanted_; });
                flush_wanted_ = false;
            }
            flush();
        }
    });
}

Logger::~Logger() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (flusher_.joinable()) flusher_.join();
    flush();
}

namespace {

// All of `text` to stdout: a signal's interruption is retried, a full non-blocking pipe waited
// on (a little), a closed stdout given up (it must not take the server down).
void write_all(std::string_view text) {
    const char* p = text.data();
    std::size_t left = text.size();
    int waits = 0;
    while (left > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, p, left);
        if (n > 0) {
            p += n;
            left -= static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waits++ < 50) {
            pollfd out{STDOUT_FILENO, POLLOUT, 0};
            ::poll(&out, 1, 100);
            continue;
        }
        return;
    }
}

}  // namespace

void Logger::flush() const {
    // The buffer is swapped under the lock and written outside it, so request threads never
    // wait on stdout; one flush writes at a time, so lines keep their order.
    std::lock_guard writing(write_mutex_);
    {
        std::lock_guard lock(mutex_);
        pending_.swap(buffer_);
    }
    write_all(pending_);
    pending_.clear();
}

void Logger::append(std::string_view line, bool now) const {
    std::size_t size = 0;
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        buffer_.append(line.data(), line.size());
        buffer_.push_back('\n');
        size = buffer_.size();
        // A full buffer wakes the flusher (once: the flag stays up until it takes the buffer).
        if (size >= 64 * 1024 && !flush_wanted_) wake = flush_wanted_ = true;
    }
    // The request's thread writes only when stdout is so slow that a megabyte waits (and then
    // waits its turn: the log is not allowed to grow unbounded), or when there is no flusher.
    if (now || size >= 1024 * 1024 || !flusher_.joinable()) {
        flush();
    } else if (wake) {
        wake_.notify_one();
    }
}

void Logger::access(const AccessRecord& r) const {
    if (!enabled(LogLevel::info)) return;
    thread_local api::JsonWriter w;  // one line at a time per thread, storage reused
    w.clear();
    w.begin_object();
    w.field("time", now_text()).field("level", "info").field("event", "request");
    w.field("method", r.method).field("target", r.target).field("status", static_cast<std::int64_t>(r.status));
    w.field("bytes", static_cast<std::int64_t>(r.bytes)).field("us", r.micros);
    w.field("request_id", r.request_id).field("remote", r.remote);
    w.end_object();
    append(w.str(), false);
}

void Logger::event(LogLevel level, std::string_view message) const {
    if (!enabled(level)) return;
    api::JsonWriter w;
    w.begin_object().field("time", now_text()).field("level", level_name(level)).field("message", message).end_object();
    append(w.str(), true);
}

}  // namespace crossrate::server
