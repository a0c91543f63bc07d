// The fleet on loopback, as an operator runs it: PostgreSQL as the shared revision log, three
// crossrate-server replicas, HAProxy in front with deploy/haproxy.cfg. Each test starts its
// own (see fleet.hpp).

#include "tests/fleet/fleet.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

namespace crossrate::test {
namespace {
namespace json = boost::json;

const std::string auth = "Authorization: Bearer s3cret-token\r\n";

std::string rate_body(const std::string& place, int n) {
    return R"({"kind":"market","base":"USD","quote":"KPW","value":")" + std::to_string(8000 + n) +
           R"(","date":{"date":"2023-06-01","precision":"day","inferred":false},"approximate":false,"location":")" + place +
           R"(","source":"dailynk-en/north-korea-sees-increase-exchange-rates-amid-government-moves-expand-trade"})";
}

std::int64_t revision_of(unsigned short port) {
    Client c(port);
    return json::parse(c.get("/readyz").body()).at("revision").as_int64();
}

// Until every replica has applied `revision` (a notification is asynchronous).
void await_revision(Replicas& replicas, std::int64_t revision) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (std::size_t i = 0; i < replicas.size(); ++i) {
        while (revision_of(replicas.ports()[i]) < revision) {
            ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "replica " << i << " is behind";
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
}

// A write through HAProxy reaches every replica's event stream, and a read of its revision
// answers the same bytes on every replica.
TEST(Fleet, AWriteThroughTheBalancerReachesEveryReplicasEventStream) {
    Postgres pg;
    Replicas replicas(pg, 3);
    HaProxy lb(replicas.ports());
    std::vector<std::unique_ptr<Client>> streams;
    for (const auto port : replicas.ports()) {
        streams.push_back(std::make_unique<Client>(port, std::chrono::seconds(10)));
        streams.back()->send("GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_NE(streams.back()->read_until("\r\n\r\n").find("text/event-stream"), std::string::npos);
    }
    Client client(lb.port());
    const auto written = client.post("/v1/rates", rate_body("Fleet", 1), auth);
    ASSERT_EQ(written.result_int(), 201) << written.body();
    EXPECT_EQ(json::parse(written.body()).at("revision").as_int64(), 2);
    for (auto& s : streams) {
        const std::string events = s->read_until("\n\n");
        EXPECT_NE(events.find("id: 2\nevent: revision\n"), std::string::npos) << events;
        EXPECT_NE(events.find("market-usd-kpw-fleet-2023-06-01-r2"), std::string::npos) << events;
    }
    std::set<std::string> bodies;
    for (const auto port : replicas.ports()) {
        Client c(port);
        const auto answer = c.get("/v1/rates/reports?location=Fleet&revision=2");
        EXPECT_EQ(answer.result_int(), 200);
        EXPECT_EQ(answer["X-Crossrate-Revision"], "2");
        bodies.insert(answer.body());
    }
    EXPECT_EQ(bodies.size(), 1u) << "the replicas answer revision 2 differently";
}

// Writers on every replica at once: the database numbers their revisions without a gap, every
// acknowledged write is on every replica, and a past revision reads the same everywhere.
TEST(Fleet, ConcurrentWritersOnEveryReplicaGetGapFreeRevisions) {
    Postgres pg;
    Replicas replicas(pg, 3);
    constexpr int writers = 4;
    constexpr int each = 50;
    std::atomic<int> acknowledged{0};
    std::vector<std::thread> threads;
    std::vector<std::string> failures(writers);
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            for (int n = 0; n < each; ++n) {
                Client c(replicas.ports()[static_cast<std::size_t>(w + n) % replicas.size()], std::chrono::seconds(20));
                const auto r = c.post("/v1/rates", rate_body("W" + std::to_string(w), n), auth);
                if (r.result_int() == 201) {
                    ++acknowledged;
                } else if (failures[static_cast<std::size_t>(w)].empty()) {
                    failures[static_cast<std::size_t>(w)] = std::to_string(r.result_int()) + " " + r.body();
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& f : failures) EXPECT_TRUE(f.empty()) << f;
    ASSERT_EQ(acknowledged.load(), writers * each);
    const std::int64_t last = 1 + writers * each;
    await_revision(replicas, last);
    std::set<std::string> pages;
    for (const auto port : replicas.ports()) {
        Client c(port);
        const auto listed = json::parse(c.get("/v1/revisions?limit=10000").body()).at("revisions").as_array();
        ASSERT_EQ(listed.size(), static_cast<std::size_t>(last));
        for (std::size_t i = 0; i < listed.size(); ++i) EXPECT_EQ(listed[i].at("number").as_int64(), static_cast<std::int64_t>(i + 1));
        for (int w = 0; w < writers; ++w) {
            const auto reports = json::parse(c.get("/v1/rates/reports?location=W" + std::to_string(w)).body()).at("reports");
            EXPECT_EQ(reports.as_array().size(), static_cast<std::size_t>(each)) << "writer " << w << " on port " << port;
        }
        pages.insert(c.get("/v1/rates/reports?kind=market&revision=" + std::to_string(last / 2)).body());
    }
    EXPECT_EQ(pages.size(), 1u) << "a past revision reads differently on two replicas";
}

// A client retrying with its Idempotency-Key on another replica gets the first answer, and
// nothing is written twice.
TEST(Fleet, AnIdempotentRetryOnAnotherReplicaGetsTheFirstAnswer) {
    Postgres pg;
    Replicas replicas(pg, 3);
    const std::string key = auth + "Idempotency-Key: fleet-retry-1\r\n";
    Client first(replicas.ports()[0]);
    const auto a = first.post("/v1/rates", rate_body("Retry", 1), key);
    ASSERT_EQ(a.result_int(), 201) << a.body();
    Client second(replicas.ports()[1]);
    const auto b = second.post("/v1/rates", rate_body("Retry", 1), key);
    ASSERT_EQ(b.result_int(), 201) << b.body();
    EXPECT_EQ(a.body(), b.body());
    const auto other = second.post("/v1/rates", rate_body("Retry", 2), key);
    EXPECT_EQ(other.result_int(), 409) << other.body();
    await_revision(replicas, 2);
    EXPECT_EQ(revision_of(replicas.ports()[2]), 2);
}

// kill -9 of a replica under read load: HAProxy takes it out (reads keep answering), the
// replica restarts, catches up what was written meanwhile and answers like the others.
TEST(Fleet, AReplicaKilledUnderReadLoadIsTakenOutAndCatchesUpOnRestart) {
    Postgres pg;
    Replicas replicas(pg, 3);
    HaProxy lb(replicas.ports());
    std::atomic<bool> done{false};
    std::atomic<int> reads{0}, failed{0};
    std::thread load([&] {
        while (!done.load()) {
            try {
                Client c(lb.port(), std::chrono::seconds(5));
                for (int i = 0; i < 20 && !done.load(); ++i) {
                    ++reads;
                    if (c.get("/v1/convert?amount=100&from=USD&to=CNY&date=2023-04-03").result_int() != 200) ++failed;
                }
            } catch (const std::exception&) {
                ++failed;  // a connection cut with the replica behind it
            }
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(replicas[1].pid(), SIGKILL);
    replicas[1].wait(std::chrono::seconds(5));
    std::this_thread::sleep_for(std::chrono::seconds(3));  // two failed checks, a second apart
    const int failed_at_kill = failed.load();
    Client writer(replicas.ports()[0]);
    for (int n = 0; n < 5; ++n) ASSERT_EQ(writer.post("/v1/rates", rate_body("Down", n), auth).result_int(), 201);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_EQ(failed.load(), failed_at_kill) << "reads failed after HAProxy took the replica out";
    replicas.restart(1);
    done = true;
    load.join();
    EXPECT_LE(failed.load() * 50, reads.load()) << failed.load() << " of " << reads.load() << " reads failed";
    await_revision(replicas, 6);
    std::set<std::string> answers;
    for (const auto port : replicas.ports()) {
        Client c(port);
        answers.insert(c.get("/v1/rates/reports?location=Down&revision=6").body());
    }
    EXPECT_EQ(answers.size(), 1u);
}

// PostgreSQL stopped: reads go on from the last revision applied, writes answer 503 with
// Retry-After and /readyz says read-only (still 200: the balancer keeps sending reads);
// started again, writes resume and nothing acknowledged is lost.
TEST(Fleet, WithPostgresqlStoppedReadsGoOnAndWritesResumeAfter) {
    Postgres pg;
    Replicas replicas(pg, 3);
    HaProxy lb(replicas.ports());
    Client c(lb.port());
    ASSERT_EQ(c.post("/v1/rates", rate_body("Before", 1), auth).result_int(), 201);
    await_revision(replicas, 2);
    pg.stop();
    Client reader(lb.port());
    EXPECT_EQ(reader.get("/v1/rates/reports?location=Before").result_int(), 200);
    Client w(replicas.ports()[2]);
    const auto refused = w.post("/v1/rates", rate_body("During", 1), auth);
    EXPECT_EQ(refused.result_int(), 503) << refused.body();
    EXPECT_EQ(refused["Retry-After"], "1");
    // Each replica finds out (its listener, or its next write) within a few seconds.
    for (const auto port : replicas.ports()) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (;;) {
            Client probe(port);
            const auto ready = probe.get("/readyz");
            ASSERT_EQ(ready.result_int(), 200) << ready.body();
            if (json::parse(ready.body()).at("status").as_string() == "read-only") break;
            ASSERT_LT(std::chrono::steady_clock::now(), deadline) << ready.body();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    EXPECT_EQ(reader.get("/v1/convert?amount=1&from=USD&to=CNY&date=2023-04-03").result_int(), 200);
    pg.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
        Client again(lb.port());
        const auto r = again.post("/v1/rates", rate_body("After", 1), auth);
        if (r.result_int() == 201) break;
        ASSERT_EQ(r.result_int(), 503) << r.body();
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "writes did not resume";
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    await_revision(replicas, 3);
    for (const auto port : replicas.ports()) {
        Client r(port);
        EXPECT_EQ(json::parse(r.get("/v1/rates/reports?location=Before").body()).at("reports").as_array().size(), 1u);
        EXPECT_EQ(json::parse(r.get("/v1/rates/reports?location=After").body()).at("reports").as_array().size(), 1u);
    }
}

// SIGTERM stops a replica that follows the log: its listener and its periodic catch-up end
// with it, so it exits instead of waiting on the database's socket.
TEST(Fleet, AReplicaStopsOnSigtermWhileFollowing) {
    Postgres pg;
    Replicas replicas(pg, 2);
    Client c(replicas.ports()[0]);
    for (int n = 0; n < 3; ++n) ASSERT_EQ(c.post("/v1/rates", rate_body("Stop", n), auth).result_int(), 201);
    await_revision(replicas, 4);
    replicas[1].signal(SIGTERM);
    const auto status = replicas[1].wait(std::chrono::seconds(15));
    ASSERT_TRUE(status.has_value()) << "the replica did not stop";
    EXPECT_EQ(*status, 0);
}

// A read of a revision this replica has not applied waits for it, then says to retry: never
// an answer at another revision.
TEST(Fleet, ARevisionAboveTheReplicasOwnWaitsThenAnswers503) {
    Postgres pg;
    Replicas replicas(pg, 1, {"--revision-wait-ms", "300"});
    Client c(replicas.ports()[0]);
    const auto ahead = c.get("/v1/rates/reports?revision=7");
    EXPECT_EQ(ahead.result_int(), 503) << ahead.body();
    EXPECT_EQ(ahead["Retry-After"], "1");
    EXPECT_NE(ahead.body().find("not applied on this replica yet"), std::string::npos) << ahead.body();
    EXPECT_EQ(c.get("/v1/rates/reports?revision=1").result_int(), 200);
}

}  // namespace
}  // namespace crossrate::test
