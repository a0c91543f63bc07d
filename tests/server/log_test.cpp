// The access log: one JSON line per request, whatever a client put in its target or request id.

#include "server/log.hpp"

#include "api/json_writer.hpp"

#include <boost/json/parse.hpp>
#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace crossrate::server {
namespace {

namespace json = boost::json;

// What a Logger writes to standard output while `write` runs, as lines.
template <class Write>
std::vector<std::string> stdout_lines(Write&& write) {
    std::fflush(stdout);
    char path[] = "/tmp/crossrate-log-test-XXXXXX";
    const int file = ::mkstemp(path);
    const int saved = ::dup(STDOUT_FILENO);
    ::dup2(file, STDOUT_FILENO);
    write();
    ::dup2(saved, STDOUT_FILENO);
    ::close(saved);
    std::string text;
    ::lseek(file, 0, SEEK_SET);
    char chunk[4096];
    for (ssize_t n; (n = ::read(file, chunk, sizeof chunk)) > 0;) text.append(chunk, static_cast<std::size_t>(n));
    ::close(file);
    ::unlink(path);
    std::vector<std::string> lines;
    for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
        lines.push_back(text.substr(start, end - start));
    }
    return lines;
}

// The usual request's line is written without the JSON writer; it is the writer's line all the
// same, key for key. A line with anything to escape, in any field, goes through the writer.
TEST(Log, AccessLinesAreTheJsonWritersLinesEscapedOrNot) {
    const std::vector<std::string> lines = stdout_lines([] {
        Logger log(LogLevel::info);
        const auto now = std::chrono::steady_clock::now();
        log.access({"GET", "/v1/convert?amount=5000&from=RMB&to=USD", 200, 905, 12, "9d047185-7", "127.0.0.1:5000", now});
        log.access({"GET", "/v1/x?q=\"quoted\"\\\x01\xff", 404, 0, -1, "id with \"quote\"", "[::1]:6000", now});
        log.access({"GET", "/v1/y", 200, 1, 1, "plain-id", "a remote\\", now});  // only the last field to escape
        log.flush();
    });
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(json::parse(lines[2]).as_object().at("remote").as_string(), "a remote\\");
    const auto first = json::parse(lines[0]).as_object();
    const std::string time(first.at("time").as_string());
    api::JsonWriter w;
    w.begin_object().field("time", time).field("level", "info").field("event", "request");
    w.field("method", "GET").field("target", "/v1/convert?amount=5000&from=RMB&to=USD").field("status", 200);
    w.field("bytes", 905).field("us", 12).field("request_id", "9d047185-7").field("remote", "127.0.0.1:5000").end_object();
    EXPECT_EQ(lines[0], w.str());

    const auto second = json::parse(lines[1]).as_object();
    EXPECT_EQ(second.at("target").as_string(), "/v1/x?q=\"quoted\"\\\x01\xef\xbf\xbd");  // a stray byte is U+FFFD
    EXPECT_EQ(second.at("request_id").as_string(), "id with \"quote\"");
    EXPECT_EQ(second.at("remote").as_string(), "[::1]:6000");
    EXPECT_EQ(second.at("status").as_int64(), 404);
    EXPECT_EQ(second.at("us").as_int64(), -1);
}

// A line's time is the wall clock's at the moment the record says (the steady clock's reading
// the request made), not when the line is written.
TEST(Log, AccessLinesAreDatedByTheMomentTheAnswerWasReady) {
    const auto wall_before = std::chrono::system_clock::now();
    const std::vector<std::string> lines = stdout_lines([] {
        Logger log(LogLevel::info);
        const auto now = std::chrono::steady_clock::now();
        log.access({"GET", "/v1/health", 200, 2, 5, "a-1", "127.0.0.1:5000", now - std::chrono::hours(3)});
        log.access({"GET", "/v1/health", 200, 2, 5, "a-2", "127.0.0.1:5000", now});
        log.flush();
    });
    const auto wall_after = std::chrono::system_clock::now();
    ASSERT_EQ(lines.size(), 2u);
    const auto time_of = [](const std::string& line) {
        std::istringstream text(std::string(json::parse(line).as_object().at("time").as_string()));
        date::sys_time<std::chrono::milliseconds> t;
        text >> date::parse("%FT%TZ", t);
        EXPECT_FALSE(text.fail()) << line;
        return t;
    };
    const auto earlier = time_of(lines[0]);
    const auto ready = time_of(lines[1]);
    // Millisecond text: a bound either side for the flooring.
    EXPECT_GE(ready, std::chrono::floor<std::chrono::milliseconds>(wall_before) - std::chrono::milliseconds(1));
    EXPECT_LE(ready, wall_after);
    EXPECT_EQ(std::chrono::round<std::chrono::minutes>(ready - earlier), std::chrono::hours(3));
}

TEST(Log, PlainIsWhatNeedsNoEscape) {
    EXPECT_TRUE(api::JsonWriter::is_plain(""));
    EXPECT_TRUE(api::JsonWriter::is_plain("/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15"));
    for (const std::string& bad : std::vector<std::string>{"a\"b", "a\\b", "a\x1f", "\xc3\xa9", std::string(20, 'x') + "\"",
                                  std::string(7, 'x') + "\x7f\x80"}) {
        EXPECT_FALSE(api::JsonWriter::is_plain(bad)) << bad;
    }
}

}  // namespace
}  // namespace crossrate::server
