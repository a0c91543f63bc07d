// The access log: one JSON line per request, whatever a client put in its target or request id.

#include "server/log.hpp"

#include "api/json_writer.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <cstdio>
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
// same, key for key. A target or id with something to escape goes through the writer.
TEST(Log, AccessLinesAreTheJsonWritersLinesEscapedOrNot) {
    const std::vector<std::string> lines = stdout_lines([] {
        Logger log(LogLevel::info);
        log.access({"GET", "/v1/convert?amount=5000&from=RMB&to=USD", 200, 905, 12, "9d047185-7", "127.0.0.1:5000"});
        log.access({"GET", "/v1/x?q=\"quoted\"\\\x01\xff", 404, 0, -1, "id with \"quote\"", "[::1]:6000"});
        log.flush();
    });
    ASSERT_EQ(lines.size(), 2u);
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
