#include "server/log.hpp"

#include "api/json_writer.hpp"

#include <unistd.h>

#include <chrono>
#include <date/date.h>

namespace crossrate::server {
namespace {

std::string now_text() {
    return date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
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

void Logger::write_line(std::string line) {
    line.push_back('\n');
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, p, left);
        if (n <= 0) return;  // a closed stdout must not take the server down
        p += n;
        left -= static_cast<std::size_t>(n);
    }
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
    write_line(w.take());
}

void Logger::event(LogLevel level, std::string_view message) const {
    if (!enabled(level)) return;
    api::JsonWriter w;
    w.begin_object().field("time", now_text()).field("level", level_name(level)).field("message", message).end_object();
    write_line(w.take());
}

}  // namespace crossrate::server
