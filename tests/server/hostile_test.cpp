// The real crossrate-server under hostile input and load over loopback: every attack gets a
// 4xx or a deliberate 503, and the server goes on answering.

#include "tests/server/attacks.hpp"
#include "tests/support/may_goat.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "api/utf8.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace crossrate::test {
namespace {

// A chunked POST whose trailer holds one field of `size` bytes.
std::string chunked_with_trailer(std::size_t size) {
    return "POST /v1/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Trailer: " +
           std::string(size, 'a') + "\r\n\r\n";
}

TEST(Hostile, AScenarioOverItsBudgetIsRefusedBeforeAnyWorkWithTheNumbers) {
    ServerProcess server({"--scenario-budget", "1000"});
    Client client(server.port());
    const auto res = client.post("/v1/scenarios", monte_carlo(1000, R"("goat","sheep")"));
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_NE(res.body().find("4004 margin evaluations"), std::string::npos) << res.body();
    EXPECT_NE(res.body().find("the budget is 1000"), std::string::npos) << res.body();
    // A batch counts all its scenarios.
    const std::string two = "[" + monte_carlo(200) + "," + monte_carlo(400) + "]";
    EXPECT_EQ(client.post("/v1/scenarios", two).result_int(), 413);
    EXPECT_EQ(client.post("/v1/scenarios", monte_carlo(499)).result_int(), 200);
}

TEST(Hostile, ASweepWhoseAnswerWouldBeTooLargeIsRefusedBeforeAnyWork) {
    ServerProcess server({"--max-answer-bytes", "65536"});
    Client client(server.port());
    const auto res = client.post("/v1/scenarios", R"({"date":"2023-04-02","items":["goat"],
        "sweep":[{"parameter":"heads","from":1,"to":1000,"step":1}]})");
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_NE(res.body().find("at most 65536 are sent"), std::string::npos) << res.body();
}

TEST(Hostile, AnItemListedTwiceIsAProblemNotTwiceTheWork) {
    ServerProcess server;
    Client client(server.port());
    const auto res = client.post("/v1/scenarios", monte_carlo(10, R"("goat","sheep","goat")"));
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_NE(res.body().find(R"("pointer":"/items/2")"), std::string::npos) << res.body();
    EXPECT_NE(res.body().find("listed twice"), std::string::npos) << res.body();
}

TEST(Hostile, AComputationPastItsDeadlineIsStoppedWith503) {
    ServerProcess server({"--compute-timeout-ms", "50"});
    Client client(server.port());
    const auto res = client.post("/v1/scenarios", monte_carlo(1'000'000));
    EXPECT_EQ(res.result_int(), 503);
    EXPECT_EQ(res[http::field::retry_after], "1");
    EXPECT_NE(res.body().find("deadline_exceeded"), std::string::npos) << res.body();
    EXPECT_EQ(client.get("/healthz").result_int(), 200);
}

TEST(Hostile, AFullComputePoolAnswers503AtOnce) {
    // The busy scenario takes about 0.7 s here, ten times that under the sanitizers.
    ServerProcess server({"--compute-threads", "1", "--compute-queue", "0", "--compute-timeout-ms", "600000"});
    Client busy(server.port(), std::chrono::seconds(120));
    busy.send("POST /v1/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(monte_carlo(1'000'000).size()) + "\r\n\r\n" + monte_carlo(1'000'000));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the one worker has taken it
    Client next(server.port());
    const auto refused = next.post("/v1/scenarios", monte_carlo(10));
    EXPECT_EQ(refused.result_int(), 503);
    EXPECT_EQ(refused[http::field::retry_after], "1");
    EXPECT_NE(refused.body().find("\"code\":\"overloaded\""), std::string::npos) << refused.body();
    EXPECT_EQ(next.get("/v1/convert?amount=1&from=CNY&to=USD&date=2023-04-02").result_int(), 200);  // reads go on
    EXPECT_EQ(busy.read().result_int(), 200);
    const auto metrics = next.get("/metrics").body();
    EXPECT_NE(metrics.find("crossrate_compute_refused_total 1"), std::string::npos) << metrics;
}

TEST(Hostile, AnEscapedPathStillGoesToTheComputePoolAndAPastRevisionNeedsNone) {
    // With the one worker busy, what computes is refused at once: proof it was headed there.
    // A read pinned to a past revision is the current snapshot read through a filter: it is
    // answered where the same read of the current revision is.
    ServerProcess server({"--compute-threads", "1", "--compute-queue", "0", "--compute-timeout-ms", "600000"});
    Client busy(server.port(), std::chrono::seconds(120));
    busy.send("POST /v1/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(monte_carlo(1'000'000).size()) + "\r\n\r\n" + monte_carlo(1'000'000));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Client client(server.port());
    const auto res = client.get("/v1/margins/s%65ries?item=goat&start=2023-01-01&end=2023-12-31&currency=CNY");
    EXPECT_EQ(res.result_int(), 503) << res.body();
    EXPECT_NE(res.body().find("\"code\":\"overloaded\""), std::string::npos) << res.body();
    EXPECT_EQ(client.get("/v1/convert?amount=1&from=CNY&to=USD&date=2023-04-02").result_int(), 200);
    const auto pinned = client.get("/v1/convert?amount=1&from=CNY&to=USD&date=2023-04-02&re%76ision=1");
    EXPECT_EQ(pinned.result_int(), 200) << pinned.body();
    EXPECT_EQ(pinned["X-Crossrate-Revision"], "1");
    EXPECT_EQ(busy.read().result_int(), 200);
}

TEST(Hostile, AForcedStopWithSessionsStillOpenExitsCleanly) {
    ServerProcess server({"--shutdown-timeout-ms", "200"});
    Client stalled(server.port(), std::chrono::seconds(10));
    stalled.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // and never the blank line: busy, not idle
    Client streaming(server.port(), std::chrono::seconds(10));
    streaming.send("POST /v1/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.signal(SIGTERM);
    // Past the deadline the sessions are dropped where they are; their teardown must find
    // everything they refer to still alive.
    EXPECT_EQ(server.wait(std::chrono::seconds(5)), 0) << server.log();
}

TEST(Hostile, SigtermEndsTheProcessWithinTheShutdownTimeoutWhateverComputes) {
    ServerProcess server({"--shutdown-timeout-ms", "300", "--compute-timeout-ms", "600000", "--scenario-budget",
                          "1000000000", "--max-answer-bytes", "1073741824"});
    Client busy(server.port(), std::chrono::seconds(30));
    std::string batch = "[";
    for (int i = 0; i < 20; ++i) batch += (i ? "," : "") + monte_carlo(1'000'000, R"("goat","sheep","rabbit")");
    batch += "]";
    busy.send("POST /v1/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(batch.size()) + "\r\n\r\n" + batch);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto signalled = std::chrono::steady_clock::now();
    server.signal(SIGTERM);
    const auto status = server.wait(std::chrono::seconds(5));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - signalled);
    ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM:\n" << server.log();
    EXPECT_EQ(*status, 0) << server.log();
    std::printf("stopped %lld ms after SIGTERM (shutdown timeout 300 ms)\n", static_cast<long long>(took.count()));
}

TEST(Hostile, ATrailerCountsAgainstTheHeaderLimit) {
    ServerProcess server;
    for (const std::size_t size : {9'000u, 70'000u, 200'000u}) {
        Client client(server.port());
        // The server may close before the whole trailer is sent, and the reset lose its answer.
        if (const auto res = client.send_and_read(chunked_with_trailer(size))) {
            EXPECT_EQ(res->result_int(), 431) << size;
            EXPECT_EQ((*res)[http::field::content_type], "application/problem+json");
            EXPECT_NE(res->body().find("trailer"), std::string::npos) << res->body();
        }
    }
    Client after(server.port());
    EXPECT_EQ(after.get("/healthz").result_int(), 200);
    EXPECT_FALSE(server.wait(std::chrono::milliseconds(0)).has_value()) << "the server exited:\n" << server.log();
}

TEST(Hostile, AHeaderOfAnySizeIsRefusedAtTheLargestLimit) {
    ServerProcess server({"--header-limit", "65535"});
    {
        Client client(server.port());  // within the limit: answered
        EXPECT_EQ(client.get("/healthz", "X-Big: " + std::string(65'000, 'b') + "\r\n").result_int(), 200);
    }
    for (const std::size_t size : {65'600u, 70'000u, 300'000u}) {
        Client client(server.port());
        const auto res = client.send_and_read("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(size, 'b') + "\r\n\r\n");
        if (res) {
            EXPECT_EQ(res->result_int(), 431) << size;
        }
    }
    Client client(server.port());  // a trailer just within the limit reaches the handler
    client.send(chunked_with_trailer(65'400));
    const auto res = client.read();
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_NE(res.body().find("invalid_scenario"), std::string::npos) << res.body();
    Client after(server.port());
    EXPECT_EQ(after.get("/healthz").result_int(), 200);
}

TEST(Hostile, AHeaderLimitBeyondWhatTheParserHoldsIsRefusedAtStart) {
    EXPECT_THROW(ServerProcess({"--header-limit", "65536"}), std::runtime_error);
}

TEST(Hostile, OneClientHoldsAtMostItsShareOfConnections) {
    ServerProcess server({"--max-connections", "8", "--max-connections-per-client", "3"});
    std::vector<std::unique_ptr<Client>> hog;
    for (int i = 0; i < 3; ++i) {
        hog.push_back(std::make_unique<Client>(server.port()));
        EXPECT_EQ(hog.back()->get("/healthz").result_int(), 200);  // kept alive, then idle
    }
    Client fourth(server.port());
    const auto refused = fourth.read();
    EXPECT_EQ(refused.result_int(), 503);
    EXPECT_EQ(refused[http::field::retry_after], "1");
    EXPECT_NE(refused.body().find("its share"), std::string::npos) << refused.body();
    // Another address still gets in, /metrics included.
    Client other(server.port(), std::chrono::seconds(5), "127.0.0.2");
    EXPECT_EQ(other.get("/healthz").result_int(), 200);
    EXPECT_EQ(other.get("/metrics").result_int(), 200);
    hog.pop_back();  // a place given back is a place to take again
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Client again(server.port());
    EXPECT_EQ(again.get("/healthz").result_int(), 200);
}

TEST(Hostile, ATargetThatIsNotUtf8IsRefusedInValidUtf8) {
    ServerProcess server;
    Client client(server.port());
    for (const char* target : {"/v1/quotes?item=%FF%FE", "/v1/quotes?%C0%AF=1", "/v1/quotes?item=\xff"}) {
        const auto res = client.get(target);
        EXPECT_EQ(res.result_int(), 400) << target;
        EXPECT_TRUE(api::is_utf8(res.body())) << res.body();
        EXPECT_NE(res.body().find("not UTF-8"), std::string::npos) << res.body();
    }
    EXPECT_EQ(client.get("/v1/quotes?item=%E5%B1%B1%E7%BE%8A").result_int(), 404);  // 山羊: UTF-8, no such item
}

TEST(Hostile, TooFewFileDescriptorsLowerTheConnectionLimitInsteadOfHangingClients) {
    // The default --max-connections is 10,000; 64 descriptors are kept for the server's own use,
    // and 160 / 32 = 5 for large answers' files.
    ServerProcess server({"--nofile=160"});
    EXPECT_NE(server.log().find("max-connections lowered from 10000 to 91"), std::string::npos) << server.log();
    std::vector<std::unique_ptr<Client>> held;
    for (int i = 0; i < 91; ++i) {  // three clients, each within its share (half: 45)
        const char* address = i == 90 ? "127.0.0.11" : i % 2 ? "127.0.0.8" : "127.0.0.10";
        held.push_back(std::make_unique<Client>(server.port(), std::chrono::seconds(5), address));
    }
    EXPECT_EQ(held.back()->get("/healthz").result_int(), 200);
    EXPECT_EQ(held.front()->get("/healthz").result_int(), 200);
    Client past(server.port(), std::chrono::seconds(5), "127.0.0.9");
    const auto refused = past.read();  // answered at once, not left waiting in the listen queue
    EXPECT_EQ(refused.result_int(), 503);
    EXPECT_EQ(refused[http::field::retry_after], "1");
}

TEST(Hostile, SubscribersReplayingTheHistoryShareItAndOneThatDoesNotReadIsDropped) {
    ServerProcess server({"--tokens", "analyst:s3cret-token", "--header-timeout-ms", "500"});
    // Three large revisions (a CSV import each): their events are some 300 KB apiece.
    std::string rows = quote_csv_header;
    for (int i = 0; i < 4000; ++i) rows += may_goat_csv_row;
    {
        Client writer(server.port(), std::chrono::seconds(120));
        for (int i = 0; i < 3; ++i) {
            writer.send("POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nAuthorization: Bearer s3cret-token\r\n"
                        "Content-Length: " + std::to_string(rows.size()) + "\r\n\r\n" + rows);
            ASSERT_EQ(writer.read().result_int(), 201);
        }
    }
    // A hundred subscribers replay everything and read nothing: the server holds pointers to
    // the one copy of each event, not a copy each.
    const double before = server.resident_mib();
    std::vector<std::unique_ptr<Client>> stalled;
    for (int i = 0; i < 100; ++i) {
        stalled.push_back(std::make_unique<Client>(server.port()));
        stalled.back()->shrink_receive_buffer(4096);
        stalled.back()->send("GET /v1/events?last_event_id=0 HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_LT(server.resident_mib() - before, 32.0) << "the history is copied per subscriber";
    // None of them can take a whole event: each is dropped once its write times out.
    Client client(server.port());
    std::string metrics;
    for (int waited = 0; waited < 100; ++waited) {
        metrics = client.get("/metrics").body();
        if (metrics.find("crossrate_open_connections 1\n") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_NE(metrics.find("crossrate_open_connections 1\n"), std::string::npos) << metrics;
    // And one that comes back resumes where it was.
    Client resumed(server.port());
    resumed.send("GET /v1/events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 3\r\n\r\n");
    const std::string text = resumed.read_until("id: 4\n");
    EXPECT_EQ(text.find("id: 2\n"), std::string::npos);
    EXPECT_NE(text.find("id: 4\n"), std::string::npos);
}

TEST(Hostile, TheEventStreamChecksItsParametersLikeEveryRoute) {
    ServerProcess server;
    Client client(server.port());
    for (const char* target : {"/v1/events?colour=red", "/v1/events?xlast_event_id=0", "/v1/events?last_event_id=x",
                               "/v1/events?revision=1"}) {
        const auto res = client.get(target);
        EXPECT_EQ(res.result_int(), 400) << target << ": " << res.body();
        EXPECT_EQ(res[http::field::content_type], "application/problem+json");
    }
    const auto header = client.get("/v1/events", "Last-Event-ID: two\r\n");
    EXPECT_EQ(header.result_int(), 400);
    EXPECT_NE(header.body().find("\"param\":\"Last-Event-ID\""), std::string::npos) << header.body();
    Client stream(server.port());
    stream.send("GET /v1/events?last_event_id=0 HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string replay = stream.read_until("id: 1\n");
    EXPECT_NE(replay.find("text/event-stream"), std::string::npos) << replay;
    EXPECT_NE(replay.find("id: 1\n"), std::string::npos) << replay;
}

constexpr std::string_view writer_token = "Authorization: Bearer s3cret-token\r\n";

TEST(Hostile, RepeatedBadTokensFromOneAddressAreSlowedDown) {
    ServerProcess server({"--tokens", "analyst:s3cret-token", "--bad-token-limit", "3"});
    Client guesser(server.port());
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(guesser.post("/v1/quotes", may_goat, "Authorization: Bearer guess-" + std::to_string(i) + "\r\n").result_int(),
                  403);
    }
    const auto held = guesser.post("/v1/quotes", may_goat, writer_token);  // even a right one, for a minute
    EXPECT_EQ(held.result_int(), 429);
    EXPECT_FALSE(held[http::field::retry_after].empty());
    EXPECT_NE(held.body().find("too_many_requests"), std::string::npos) << held.body();
    EXPECT_EQ(guesser.get("/healthz").result_int(), 200);  // reads are not held back
    Client other(server.port(), std::chrono::seconds(5), "127.0.0.2");
    EXPECT_EQ(other.post("/v1/quotes", may_goat, writer_token).result_int(), 201);
    const auto metrics = other.get("/metrics").body();
    EXPECT_NE(metrics.find("crossrate_bad_tokens_total 3"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("crossrate_throttled_total 1"), std::string::npos) << metrics;
}

TEST(Hostile, ThousandsOfRowsSharingAnIdAreNumberedInOneWrite) {
    // 60 s for 4,000 such rows when each new id scanned every record for every number.
    ServerProcess server({"--tokens", "analyst:s3cret-token", "--body-limit", "8388608"});
    Client client(server.port(), std::chrono::seconds(120));
    std::string rows = "[";
    for (int i = 0; i < 4000; ++i) rows += (i ? "," : "") + std::string(may_goat);
    rows += "]";
    const auto res = client.post("/v1/quotes", rows, writer_token);
    ASSERT_EQ(res.result_int(), 201) << res.body().substr(0, 500);
    const auto ids = res.body();
    EXPECT_NE(ids.find(R"("ids":["goat-origin-2023-05-r2","goat-origin-2023-05-r2-2","goat-origin-2023-05-r2-3",)"),
              std::string::npos) << ids.substr(0, 300);
    EXPECT_NE(ids.find(R"("goat-origin-2023-05-r2-4000"])"), std::string::npos);
}

TEST(Hostile, AVanishedDataDirectoryRefusesWritesLoudlyAndLosesNothingAcknowledged) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    ASSERT_EQ(client.post("/v1/quotes", may_goat, writer_token).result_int(), 201);
    // No shared-memory file to vanish under the process (a SIGBUS), nor a WAL.
    EXPECT_FALSE(std::filesystem::exists(server.data_dir() / "crossrate.sqlite3-shm"));
    EXPECT_FALSE(std::filesystem::exists(server.data_dir() / "crossrate.sqlite3-wal"));

    std::filesystem::remove_all(server.data_dir());
    const auto refused = client.post("/v1/quotes", may_goat, writer_token);
    EXPECT_EQ(refused.result_int(), 503);
    EXPECT_EQ(refused[http::field::retry_after], "1");
    EXPECT_NE(refused.body().find("\"code\":\"storage\""), std::string::npos) << refused.body();
    EXPECT_EQ(refused.body().find(server.data_dir().string()), std::string::npos) << "a path shown: " << refused.body();
    EXPECT_EQ(refused.body().find("/tmp"), std::string::npos) << refused.body();

    const auto ready = client.get("/readyz");
    EXPECT_EQ(ready.result_int(), 503);
    EXPECT_NE(ready.body().find("read-only"), std::string::npos) << ready.body();
    EXPECT_NE(client.get("/metrics").body().find("crossrate_storage_writable 0"), std::string::npos);
    // Reads go on from the revisions served, the one acknowledged included.
    const auto quotes = client.get("/v1/quotes?item=goat");
    EXPECT_EQ(quotes.result_int(), 200);
    EXPECT_NE(quotes.body().find("-r2"), std::string::npos) << quotes.body();
}

TEST(Hostile, ARevisionLogThatCannotBeWrittenIsRefusedAtStart) {
    const auto dir = std::filesystem::temp_directory_path() / ("crossrate-readonly-" + std::to_string(::getpid()));
    { ServerProcess first({}, dir); }  // makes the log
    std::filesystem::permissions(dir / "crossrate.sqlite3", std::filesystem::perms::owner_read |
                                                              std::filesystem::perms::group_read |
                                                              std::filesystem::perms::others_read);
    // As root, permissions do not stop a write: the server then runs as nobody.
    std::vector<std::string> args;
    if (::geteuid() == 0) {
        std::filesystem::permissions(dir, std::filesystem::perms::all);
        args = {"--as-nobody"};
    }
    try {
        ServerProcess refused(args, dir);
        ADD_FAILURE() << "a read-only revision log was accepted:\n" << refused.log();
    } catch (const std::runtime_error& e) {
        const std::string log = e.what();
        EXPECT_NE(log.find("cannot be written"), std::string::npos) << log;
    }
    std::filesystem::remove_all(dir);
}

TEST(Hostile, AFullDiskAnswers503FlipsReadinessAndRecoversByItself) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    ASSERT_EQ(client.post("/v1/quotes", may_goat, writer_token).result_int(), 201);
    // No file may grow any more: the next write cannot extend the log.
    const auto size = std::filesystem::file_size(server.data_dir() / "crossrate.sqlite3");
    server.limit_file_size(size);
    std::string many = "[";
    for (int i = 0; i < 40; ++i) many += (i ? "," : "") + std::string(may_goat);
    many += "]";
    const auto refused = client.post("/v1/quotes", many, writer_token);
    EXPECT_EQ(refused.result_int(), 503) << refused.body();
    EXPECT_NE(refused.body().find("\"code\":\"storage\""), std::string::npos) << refused.body();
    EXPECT_EQ(client.get("/readyz").result_int(), 503);
    EXPECT_EQ(client.get("/v1/revisions").body().find("\"number\":3"), std::string::npos);  // nothing half-written

    server.limit_file_size(RLIM_INFINITY);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // one probe a second
    EXPECT_EQ(client.get("/readyz").result_int(), 200);
    const auto written = client.post("/v1/quotes", many, writer_token);
    EXPECT_EQ(written.result_int(), 201) << written.body();
    EXPECT_NE(written.body().find("\"revision\":3"), std::string::npos) << written.body();
}

TEST(Hostile, UnderEveryAttackAtOnceAProbeKeepsBeingAnswered) {
    // A deadline the sanitizers' builds can meet: they compute twenty to fifty times slower.
    ServerProcess server({"--max-connections", "400", "--max-connections-per-client", "150", "--compute-timeout-ms", "120000"});
    Probe health(server.port(), "/healthz");
    Probe convert(server.port(), "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15");
    const auto hog = idle_hog(server.port(), 200);  // one address, past its share
    Statuses bombs, oversized, storm;
    header_bombs(server.port(), bombs);
    std::thread big([&] {
        scenario_storm(server.port(), 1, monte_carlo(1'000'000, R"("goat","sheep","rabbit")"), oversized);
        scenario_storm(server.port(), 1, R"({"date":"2023-04-02","items":["goat","sheep"],
            "sweep":[{"parameter":"heads","from":1,"to":1000,"step":1},{"parameter":"bribe","from":0,"to":99,"step":1}]})",
                       oversized);
    });
    scenario_storm(server.port(), 10, monte_carlo(50'000), storm);
    big.join();
    health.stop();
    convert.stop();

    Client observer(server.port(), std::chrono::seconds(5), "127.0.0.7");
    const auto metrics = observer.get("/metrics").body();
    const auto open_at = metrics.find("\ncrossrate_open_connections ");
    ASSERT_NE(open_at, std::string::npos);
    // The hog's share, this observer, and the two probes' connections if not yet closed.
    EXPECT_LE(std::stoi(metrics.substr(open_at + 28)), 150 + 3) << "the idle hog held more than its share";
    EXPECT_GT(health.answers(), 0u);
    EXPECT_GT(convert.answers(), 0u);
    EXPECT_TRUE(health.statuses().only_deliberate()) << health.statuses().text();
    EXPECT_TRUE(convert.statuses().only_deliberate()) << convert.statuses().text();
    EXPECT_EQ(health.statuses().counts().count(0), 0u) << health.statuses().text();
    EXPECT_TRUE(bombs.only_deliberate()) << bombs.text();
    EXPECT_EQ(oversized.counts(), (std::map<unsigned, int>{{413, 2}})) << oversized.text();
    EXPECT_TRUE(storm.only_deliberate()) << storm.text();
    EXPECT_GT(storm.counts()[200], 0) << storm.text();
    std::printf("probe /healthz: %s (%s)\nprobe /v1/convert: %s (%s)\nscenarios: %s; bombs: %s; idle hog: %zu sockets\n",
                health.summary().c_str(), health.statuses().text().c_str(), convert.summary().c_str(),
                convert.statuses().text().c_str(), storm.text().c_str(), bombs.text().c_str(), hog.size());
    EXPECT_FALSE(server.wait(std::chrono::milliseconds(0)).has_value()) << server.log();
}

// A server whose output goes to a pipe nobody reads any more (its log collector gone) goes on
// answering: writes to the pipe fail with EPIPE instead of ending the process with SIGPIPE (and
// so does a send to a client that is gone, which sendfile(2) cannot be told not to signal).
TEST(Hostile, AServerWhoseLogReaderIsGoneGoesOnAnswering) {
    int out[2];
    ASSERT_EQ(::pipe(out), 0);
    const auto data_dir = std::filesystem::temp_directory_path() / ("crossrate-data-" + std::to_string(::getpid()) + "-pipe");
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(out[1], STDERR_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        std::string data = data_dir.string();
        char server[] = CROSSRATE_SERVER;
        char* argv[] = {server, const_cast<char*>("--port"), const_cast<char*>("0"), const_cast<char*>("--data-dir"),
                        data.data(), nullptr};
        ::execv(argv[0], argv);
        ::_exit(127);
    }
    ::close(out[1]);
    std::string text;
    char chunk[4096];
    std::size_t at = std::string::npos;
    while ((at = text.find("listening on http://127.0.0.1:")) == std::string::npos) {
        const ssize_t n = ::read(out[0], chunk, sizeof chunk);
        ASSERT_GT(n, 0) << text;
        text.append(chunk, static_cast<std::size_t>(n));
    }
    const auto port = static_cast<unsigned short>(std::stoi(text.substr(at + 30)));
    ::close(out[0]);  // the reader goes
    struct Stopped {
        pid_t pid;
        std::filesystem::path dir;
        ~Stopped() {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            std::filesystem::remove_all(dir);
        }
    } stopped{pid, data_dir};
    const std::string margins = "/v1/margins?items=goat,sheep,rabbit&date=2023-04-02&currency=USD";
    for (int round = 0; round < 3; ++round) {
        Client client(port);
        for (int i = 0; i < 5; ++i) EXPECT_EQ(client.get(margins).result_int(), 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the access log is written (EPIPE)
    }
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), 0) << "the server ended";
    Client client(port);
    EXPECT_EQ(client.get("/healthz").result_int(), 200);
}

}  // namespace
}  // namespace crossrate::test
