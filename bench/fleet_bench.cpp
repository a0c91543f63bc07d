// The fleet's floors, measured in one run on this machine (bench/fleet.sh): a throwaway
// PostgreSQL, crossrate-server replicas sharing it, HAProxy with deploy/haproxy.cfg.
//  - commit-to-event: a write's POST sent, until its revision event arrives on each replica's
//    /v1/events stream (p50, p99 per replica);
//  - a write's acknowledgement through PostgreSQL against one to SQLite (medians, ratio);
//  - read throughput through HAProxy with 1 and with 3 replicas, and straight to one replica;
//  - a read's p99 with PostgreSQL stopped against with it up.
//
//   crossrate-fleet-bench [WRITES] [WRK_SECONDS]

#include "tests/fleet/fleet.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <regex>

namespace {

using namespace crossrate::test;
using Clock = std::chrono::steady_clock;

const std::string auth = "Authorization: Bearer s3cret-token\r\n";

std::string rate(int n) {
    return R"({"kind":"market","base":"USD","quote":"KPW","value":")" + std::to_string(8000 + n) +
           R"(","date":{"date":"2023-06-01","precision":"day","inferred":false},"approximate":false,"location":"Bench)" +
           std::to_string(n) + R"(","source":"dailynk-en/north-korea-sees-increase-exchange-rates-amid-government-moves-expand-trade"})";
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// When each revision's event arrived on one replica's stream.
class Stream {
public:
    explicit Stream(unsigned short port) : socket_(io_) {
        socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        const std::string request = "GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n";
        net::write(socket_, net::buffer(request));
        thread_ = std::thread([this] {
            static const std::regex id("id: (\\d+)\n");
            std::string text;
            char chunk[8192];
            for (;;) {
                boost::system::error_code ec;
                const std::size_t n = socket_.read_some(net::buffer(chunk), ec);
                if (ec) return;
                const auto now = Clock::now();
                text.append(chunk, n);
                std::size_t used = 0;
                for (std::sregex_iterator it(text.begin(), text.end(), id), end; it != end; ++it) {
                    std::lock_guard lock(mutex_);
                    arrived_.emplace(std::stoll((*it)[1]), now);
                    used = static_cast<std::size_t>(it->position() + it->length());
                }
                text.erase(0, used);
            }
        });
    }
    ~Stream() {
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        thread_.join();
    }
    std::optional<Clock::time_point> arrival(std::int64_t revision) {
        std::lock_guard lock(mutex_);
        const auto it = arrived_.find(revision);
        if (it == arrived_.end()) return std::nullopt;
        return it->second;
    }

private:
    net::io_context io_;
    tcp::socket socket_;
    std::thread thread_;
    std::mutex mutex_;
    std::map<std::int64_t, Clock::time_point> arrived_;
};

// Acknowledgement times of `writes` writes sent in turn to `ports`; the revision each got and
// when its POST was sent.
std::vector<double> write_times(const std::vector<unsigned short>& ports, int writes,
                                std::map<std::int64_t, Clock::time_point>* sent = nullptr) {
    std::vector<double> acks;
    for (int n = 0; n < writes; ++n) {
        Client c(ports[static_cast<std::size_t>(n) % ports.size()], std::chrono::seconds(10));
        const auto t0 = Clock::now();
        const auto r = c.post("/v1/rates", rate(n), auth);
        acks.push_back(ms(Clock::now() - t0));
        if (r.result_int() != 201) {
            std::fprintf(stderr, "write %d: %u %s\n", n, r.result_int(), r.body().c_str());
            continue;
        }
        if (sent) (*sent)[boost::json::parse(r.body()).at("revision").as_int64()] = t0;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return acks;
}

struct Load {
    double rps = 0;
    double p99_ms = 0;
};

// wrk against `url`: requests/s and p99.
Load wrk(const std::string& url, int seconds, int connections = 64) {
    const std::string cmd = "wrk -t2 -c" + std::to_string(connections) + " -d" + std::to_string(seconds) + "s --latency '" + url + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
    Load l;
    std::smatch m;
    if (std::regex_search(out, m, std::regex("Requests/sec:\\s+([0-9.]+)"))) l.rps = std::stod(m[1]);
    if (std::regex_search(out, m, std::regex("\\s99%\\s+([0-9.]+)(us|ms|s)"))) {
        l.p99_ms = std::stod(m[1]) * (m[2] == "us" ? 0.001 : m[2] == "s" ? 1000.0 : 1.0);
    }
    if (out.find("Non-2xx") != std::string::npos || out.find("Socket errors") != std::string::npos) {
        std::fprintf(stderr, "wrk %s:\n%s", url.c_str(), out.c_str());
    }
    return l;
}

}  // namespace

int main(int argc, char** argv) {
    const int writes = argc > 1 ? std::atoi(argv[1]) : 200;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 5;
    const std::string read = "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15";
    std::printf("fleet on loopback, %u cores: PostgreSQL 15 (fsync on), 3 replicas (--threads 2 each), HAProxy 2.6\n\n",
                std::thread::hardware_concurrency());

    // A write's acknowledgement on SQLite (synchronous=FULL), for the ratio.
    std::vector<double> sqlite_acks;
    {
        ServerProcess single({"--tokens", "analyst:s3cret-token", "--log-level", "warn"});
        sqlite_acks = write_times({single.port()}, writes);
    }

    Postgres pg(Postgres::Durability::fsync);  // as SQLite's synchronous=FULL: acknowledged is on disk
    Replicas replicas(pg, 3, {"--log-level", "warn"});
    std::vector<std::unique_ptr<Stream>> streams;
    for (const auto port : replicas.ports()) streams.push_back(std::make_unique<Stream>(port));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::map<std::int64_t, Clock::time_point> sent;
    const auto pg_acks = write_times(replicas.ports(), writes, &sent);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    std::printf("| commit to event (%d writes, sent to the replicas in turn) | p50 ms | p99 ms | events |\n|---|---|---|---|\n", writes);
    for (std::size_t i = 0; i < streams.size(); ++i) {
        std::vector<double> lat;
        for (const auto& [revision, t0] : sent) {
            if (const auto at = streams[i]->arrival(revision)) lat.push_back(ms(*at - t0));
        }
        std::printf("| replica %zu | %.2f | %.2f | %zu/%zu |\n", i + 1, percentile(lat, 50), percentile(lat, 99), lat.size(), sent.size());
    }
    const double pg_median = percentile(pg_acks, 50);
    const double sqlite_median = percentile(sqlite_acks, 50);
    std::printf("\n| write acknowledged | p50 ms | p99 ms |\n|---|---|---|\n");
    std::printf("| SQLite, one server | %.2f | %.2f |\n", sqlite_median, percentile(sqlite_acks, 99));
    std::printf("| PostgreSQL, 3 replicas | %.2f | %.2f |\n", pg_median, percentile(pg_acks, 99));
    std::printf("PostgreSQL / SQLite median: %.2f (floor: at most 3)\n\n", pg_median / sqlite_median);
    streams.clear();

    std::printf("| reads, wrk -t2 -c64 -d%ds, GET /v1/convert | requests/s | p99 ms |\n|---|---|---|\n", seconds);
    const auto direct = wrk("http://127.0.0.1:" + std::to_string(replicas.ports()[0]) + read, seconds);
    std::printf("| one replica, no HAProxy | %.0f | %.2f |\n", direct.rps, direct.p99_ms);
    {
        HaProxy one({replicas.ports()[0]});
        const auto l = wrk("http://127.0.0.1:" + std::to_string(one.port()) + read, seconds);
        std::printf("| HAProxy, 1 replica | %.0f | %.2f |\n", l.rps, l.p99_ms);
    }
    {
        HaProxy three(replicas.ports());
        const auto l = wrk("http://127.0.0.1:" + std::to_string(three.port()) + read, seconds);
        std::printf("| HAProxy, 3 replicas | %.0f | %.2f |\n", l.rps, l.p99_ms);
    }
    // Three rounds, PostgreSQL up then stopped, medians: the machine is shared and noisy.
    const std::string replica = "http://127.0.0.1:" + std::to_string(replicas.ports()[1]) + read;
    std::vector<double> up_rps, up_p99, down_rps, down_p99;
    for (int round = 0; round < 3; ++round) {
        const auto up = wrk(replica, seconds, 16);
        up_rps.push_back(up.rps);
        up_p99.push_back(up.p99_ms);
        pg.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const auto down = wrk(replica, seconds, 16);
        down_rps.push_back(down.rps);
        down_p99.push_back(down.p99_ms);
        pg.start();
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    std::printf("\n| a replica's reads, wrk -t2 -c16 -d%ds, 3 rounds, medians | requests/s | p99 ms |\n|---|---|---|\n", seconds);
    std::printf("| PostgreSQL up | %.0f | %.2f |\n", percentile(up_rps, 50), percentile(up_p99, 50));
    std::printf("| PostgreSQL stopped | %.0f | %.2f |\n", percentile(down_rps, 50), percentile(down_p99, 50));
    std::printf("p99 stopped / up: %.2f (floor: at most 1.2)\n", percentile(down_p99, 50) / percentile(up_p99, 50));
    return 0;
}
