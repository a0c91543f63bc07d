#pragma once
// JSON-lines logging to standard output: the access log (one line per request) and events
// (start-up, shutdown, faults). Each line is written with one write(2), so lines from
// different threads never interleave.

#include "server/config.hpp"

#include <cstdint>
#include <string_view>

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
    explicit Logger(LogLevel level) : level_(level) {}

    bool enabled(LogLevel level) const noexcept { return level >= level_ && level_ != LogLevel::off; }
    void access(const AccessRecord& r) const;
    void event(LogLevel level, std::string_view message) const;

private:
    static void write_line(std::string line);
    LogLevel level_;
};

}  // namespace crossrate::server
