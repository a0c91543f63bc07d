#include "server/log.hpp"

#include <poll.h>

#include <cerrno>

#include "api/json_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <cstring>
#include <date/date.h>

namespace crossrate::server {
namespace {

using Millis = std::chrono::sys_time<std::chrono::milliseconds>;

// 2026-11-23T18:31:36.754Z, in `text`: the part up to the second is formatted again only when
// the second changes (text keeps it).
std::string_view time_text(Millis at, std::chrono::sys_seconds& second_of_text, std::string& text) {
    const auto second = std::chrono::floor<std::chrono::seconds>(at);
    if (second != second_of_text || text.empty()) {
        second_of_text = second;
        text = date::format("%FT%T", second) + ".000Z";
    }
    const auto millis = static_cast<int>((at - second).count());
    char* digits = text.data() + text.size() - 4;
    digits[0] = static_cast<char>('0' + millis / 100);
    digits[1] = static_cast<char>('0' + millis / 10 % 10);
    digits[2] = static_cast<char>('0' + millis % 10);
    return text;
}

Millis now_millis() { return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()); }

// The buffer holds records, in order: a line ready to write ('L', its length, its text), or
// an access record ('A', AccessHead, then method, target, request id and remote) that the
// flush writes as its JSON line, so the request's thread only copies a few fields.
struct AccessHead {
    std::int64_t at;  // the steady clock's nanoseconds
    std::uint64_t bytes;
    std::int64_t micros;
    std::uint32_t status;
    std::uint32_t sizes[4];  // method, target, request_id, remote
};

void put_line(std::string& buffer, std::string_view line) {
    const auto size = static_cast<std::uint32_t>(line.size());
    buffer.push_back('L');
    buffer.append(reinterpret_cast<const char*>(&size), sizeof size);
    buffer.append(line.data(), line.size());
}

// An access record's JSON line. One whose fields need no escaping (the usual request) is
// written as it is: the same line the JSON writer makes for it, without the writer's work, in
// one resize and plain copies. `record_fields` is the four fields as they lie end to end in the
// record: one scan says whether all are plain.
void append_access_line(std::string& out, std::string_view time, const AccessHead& head,
                        const std::string_view (&fields)[4], std::string_view record_fields) {
    if (api::JsonWriter::is_plain(record_fields)) {
        char numbers[64];
        char* p = numbers;
        const auto number = [&](std::int64_t n) {
            const char* start = p;
            p = std::to_chars(p, std::end(numbers), n).ptr;
            return std::string_view(start, static_cast<std::size_t>(p - start));
        };
        const std::string_view status = number(head.status);
        const std::string_view bytes = number(static_cast<std::int64_t>(head.bytes));
        const std::string_view micros = number(head.micros);
        static constexpr std::string_view texts[] = {
            R"({"time":")", R"(","level":"info","event":"request","method":")", R"(","target":")", R"(","status":)",
            R"(,"bytes":)", R"(,"us":)", R"(,"request_id":")", R"(","remote":")", "\"}\n"};
        const std::string_view values[] = {time, fields[0], fields[1], status, bytes, micros, fields[2], fields[3]};
        std::size_t size = 0;
        for (const auto text : texts) size += text.size();
        for (const auto value : values) size += value.size();
        const std::size_t at = out.size();
        out.resize(at + size);
        char* to = out.data() + at;
        const auto put = [&](std::string_view text) {
            std::memcpy(to, text.data(), text.size());
            to += text.size();
        };
        for (std::size_t i = 0; i < std::size(values); ++i) {
            put(texts[i]);
            put(values[i]);
        }
        put(texts[std::size(values)]);
        return;
    }
    thread_local api::JsonWriter w;  // storage reused
    w.clear();
    w.begin_object();
    w.field("time", time).field("level", "info").field("event", "request");
    w.field("method", fields[0]).field("target", fields[1]).field("status", static_cast<std::int64_t>(head.status));
    w.field("bytes", static_cast<std::int64_t>(head.bytes)).field("us", head.micros);
    w.field("request_id", fields[2]).field("remote", fields[3]);
    w.end_object();
    out.append(w.str()).push_back('\n');
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
    lines_.clear();
    // Access records carry the steady clock's time; the wall clock's is the same moment plus
    // the difference of the two now (a record waits here a fraction of a second, longer only
    // when stdout pushes back). The wall clock is read between two steady readings, and set
    // against their midpoint, so a pause between the readings does not date every line early.
    const auto steady_before = std::chrono::steady_clock::now();
    const auto wall = std::chrono::system_clock::now();
    const auto steady_after = std::chrono::steady_clock::now();
    const std::chrono::nanoseconds wall_less_steady =
        wall.time_since_epoch() - (steady_before + (steady_after - steady_before) / 2).time_since_epoch();
    for (std::size_t at = 0; at < pending_.size();) {
        const char tag = pending_[at++];
        if (tag == 'L') {
            std::uint32_t size = 0;
            std::memcpy(&size, pending_.data() + at, sizeof size);
            at += sizeof size;
            lines_.append(pending_, at, size).push_back('\n');
            at += size;
            continue;
        }
        AccessHead head;
        std::memcpy(&head, pending_.data() + at, sizeof head);
        at += sizeof head;
        std::string_view fields[4];
        const std::size_t fields_at = at;
        for (int i = 0; i < 4; ++i) {
            fields[i] = std::string_view(pending_.data() + at, head.sizes[i]);
            at += head.sizes[i];
        }
        const Millis when = std::chrono::floor<std::chrono::milliseconds>(
            std::chrono::sys_time<std::chrono::nanoseconds>(std::chrono::nanoseconds(head.at) + wall_less_steady));
        append_access_line(lines_, time_text(when, second_of_text_, time_text_), head, fields,
                           std::string_view(pending_.data() + fields_at, at - fields_at));
    }
    pending_.clear();
    write_all(lines_);
}

template <class Put>
void Logger::append(Put&& put, bool now) const {
    std::size_t size = 0;
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        put(buffer_);
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
    const std::string_view fields[4] = {r.method, r.target, r.request_id, r.remote};
    AccessHead head{std::chrono::duration_cast<std::chrono::nanoseconds>(r.at.time_since_epoch()).count(), r.bytes, r.micros,
                    r.status, {}};
    for (int i = 0; i < 4; ++i) head.sizes[i] = static_cast<std::uint32_t>(fields[i].size());
    std::size_t size = 1 + sizeof head;
    for (const auto field : fields) size += field.size();
    append(
        [&](std::string& buffer) {
            // One resize, then plain copies: cheaper than an append (and its checks) per piece.
            const std::size_t at = buffer.size();
            buffer.resize(at + size);
            char* out = buffer.data() + at;
            *out++ = 'A';
            std::memcpy(out, &head, sizeof head);
            out += sizeof head;
            for (const auto field : fields) {
                if (!field.empty()) std::memcpy(out, field.data(), field.size());
                out += field.size();
            }
        },
        false);
}

void Logger::event(LogLevel level, std::string_view message) const {
    if (!enabled(level)) return;
    thread_local std::chrono::sys_seconds second{};
    thread_local std::string text;
    api::JsonWriter w;
    w.begin_object().field("time", time_text(now_millis(), second, text)).field("level", level_name(level));
    w.field("message", message).end_object();
    append([&](std::string& buffer) { put_line(buffer, w.str()); }, true);
}

}  // namespace crossrate::server
