#pragma once
// Hostile load against a running server, shared by the hostile-load test and
// bench/hostile_bench: a probe that keeps asking one cheap URL and times each answer, storms of
// expensive scenarios, bombs of oversized headers and trailers, and idle connections that
// hold their sockets.

#include "tests/server/server_process.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace crossrate::test {

// A Monte Carlo scenario of `draws` draws for each of `items` (a JSON list's inside).
inline std::string monte_carlo(std::uint64_t draws, std::string_view items = R"("goat")") {
    return R"({"name":"mc","date":"2023-04-02","currency":"CNY","items":[)" + std::string(items) +
           R"(],"monte_carlo":{"draws":)" + std::to_string(draws) +
           R"(,"seed":1,"parameters":{"interdiction":{"distribution":"triangular","low":"0.02","mode":"0.05","high":"0.30"}}}})";
}

// What a set of answers was: counts by status (0: no answer, the connection failed).
class Statuses {
public:
    void add(unsigned status) {
        std::lock_guard lock(mutex_);
        ++counts_[status];
    }
    std::map<unsigned, int> counts() const {
        std::lock_guard lock(mutex_);
        return counts_;
    }
    // Every answer a 2xx/4xx or a deliberate 503, and at least one.
    bool only_deliberate() const {
        std::lock_guard lock(mutex_);
        return std::all_of(counts_.begin(), counts_.end(),
                           [](const auto& c) { return c.first != 0 && (c.first < 500 || c.first == 503); });
    }
    std::string text() const {
        std::string out;
        for (const auto& [status, n] : counts()) out += (out.empty() ? "" : ", ") + std::to_string(status) + "×" + std::to_string(n);
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::map<unsigned, int> counts_;
};

// GETs `target` every `every` on one kept-alive connection (from `from`, another loopback
// address than the attackers', as a separate client is) until stopped; each answer's time.
class Probe {
public:
    Probe(unsigned short port, std::string target, std::chrono::milliseconds every = std::chrono::milliseconds(10),
          const char* from = "127.0.0.3")
        : thread_([this, port, target = std::move(target), every, from] {
              std::unique_ptr<Client> client;
              while (!stop_.load()) {
                  const auto start = std::chrono::steady_clock::now();
                  try {
                      if (!client) client = std::make_unique<Client>(port, std::chrono::seconds(30), from);
                      const auto res = client->get(target);
                      statuses_.add(res.result_int());
                      if (!res.keep_alive()) client.reset();
                  } catch (const std::exception&) {
                      statuses_.add(0);
                      client.reset();
                  }
                  const auto took = std::chrono::steady_clock::now() - start;
                  {
                      std::lock_guard lock(mutex_);
                      micros_.push_back(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
                  }
                  std::this_thread::sleep_for(every);
              }
          }) {}
    ~Probe() { stop(); }

    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    const Statuses& statuses() const { return statuses_; }
    std::size_t answers() const {
        std::lock_guard lock(mutex_);
        return micros_.size();
    }
    // The latency at `percent` (nearest rank), in milliseconds.
    double percentile_ms(double percent) const {
        std::lock_guard lock(mutex_);
        if (micros_.empty()) return 0;
        std::vector<long long> sorted = micros_;
        std::sort(sorted.begin(), sorted.end());
        const auto rank = static_cast<std::size_t>(std::max(1.0, percent / 100 * static_cast<double>(sorted.size())));
        return static_cast<double>(sorted[std::min(rank, sorted.size()) - 1]) / 1000.0;
    }
    std::string summary() const {
        char line[160];
        std::snprintf(line, sizeof line, "%zu answers, p50 %.2f ms, p99 %.2f ms, max %.2f ms", answers(), percentile_ms(50),
                      percentile_ms(99), percentile_ms(100));
        return line;
    }

private:
    std::atomic<bool> stop_{false};
    Statuses statuses_;
    mutable std::mutex mutex_;
    std::vector<long long> micros_;
    std::thread thread_;  // last: started once the rest is built
};

// `n` clients (from `from`) each POSTing `body` to /v1/scenarios once, at the same time;
// waits for all.
inline void scenario_storm(unsigned short port, int n, const std::string& body, Statuses& statuses,
                           const char* from = "127.0.0.5") {
    std::vector<std::thread> clients;
    for (int i = 0; i < n; ++i) {
        clients.emplace_back([&] {
            try {
                Client client(port, std::chrono::seconds(120), from);
                statuses.add(client.post("/v1/scenarios", body).result_int());
            } catch (const std::exception&) {
                statuses.add(0);
            }
        });
    }
    for (auto& c : clients) c.join();
}

// The header and trailer bombs: each answered 431, or the connection reset before it could be.
inline void header_bombs(unsigned short port, Statuses& statuses, const char* from = "127.0.0.6") {
    const std::string big(200'000, 'a');
    const std::string requests[] = {
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n",
        "POST /v1/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        "2\r\n{}\r\n0\r\nX-Trailer: " + big + "\r\n\r\n",
    };
    for (const auto& request : requests) {
        try {
            Client client(port, std::chrono::seconds(5), from);
            const auto res = client.send_and_read(request);
            if (res) statuses.add(res->result_int());
        } catch (const std::exception&) {
            statuses.add(0);
        }
    }
}

// `n` connections (from 127.0.0.1) that send nothing and hold their sockets until destroyed;
// the server admits its share of them and refuses the rest.
inline std::vector<std::unique_ptr<Client>> idle_hog(unsigned short port, int n) {
    std::vector<std::unique_ptr<Client>> hog;
    for (int i = 0; i < n; ++i) {
        try {
            hog.push_back(std::make_unique<Client>(port));
        } catch (const std::exception&) {
            break;  // refused: the server's limit, or this process's
        }
    }
    return hog;
}

}  // namespace crossrate::test
