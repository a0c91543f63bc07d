#include "server/log.hpp"

#include "api/json_writer.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <date/date.h>

namespace crossrate::server {
namespace {

// 2026-11-23T18:31:36.754Z, formatted by hand: this runs once per request.
std::string now_text() {
    const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto day = std::chrono::floor<date::days>(now);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<std::chrono::milliseconds> time{now - day};
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
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
        std::unique_lock lock(mutex_);
        while (!stop_) {
            wake_.wait_for(lock, std::chrono::milliseconds(200));
            flush_locked();
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

void Logger::flush() const {
    std::lock_guard lock(mutex_);
    flush_locked();
}

void Logger::flush_locked() const {
    const char* p = buffer_.data();
    std::size_t left = buffer_.size();
    while (left > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, p, left);
        if (n <= 0) break;  // a closed stdout must not take the server down
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    buffer_.clear();
}

void Logger::append(std::string line, bool now) const {
    std::lock_guard lock(mutex_);
    buffer_ += line;
    buffer_.push_back('\n');
    if (now || buffer_.size() >= 64 * 1024) flush_locked();
}

void Logger::access(const AccessRecord& r) const {
    if (!enabled(LogLevel::info)) return;
    api::JsonWriter w;
    w.begin_object();
    w.field("time", now_text()).field("level", "info").field("event", "request");
    w.field("method", r.method).field("target", r.target).field("status", static_cast<std::int64_t>(r.status));
    w.field("bytes", static_cast<std::int64_t>(r.bytes)).field("us", r.micros);
    w.field("request_id", r.request_id).field("remote", r.remote);
    w.end_object();
    append(w.take(), false);
}

void Logger::event(LogLevel level, std::string_view message) const {
    if (!enabled(level)) return;
    api::JsonWriter w;
    w.begin_object().field("time", now_text()).field("level", level_name(level)).field("message", message).end_object();
    append(w.take(), true);
}

}  // namespace crossrate::server
