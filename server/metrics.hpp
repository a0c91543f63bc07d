#pragma once
// Prometheus metrics, lock-free on the request path: requests by route and status, a latency
// histogram per route, requests in flight, open connections, the dataset revision.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate::server {

class ComputePool;

class Metrics {
public:
    // Route names, in the order of their indexes; one more index counts unmatched requests.
    explicit Metrics(std::vector<std::string> routes);

    void record(std::size_t route, unsigned status, std::chrono::microseconds elapsed) noexcept;
    std::size_t unmatched_route() const noexcept { return routes_.size(); }

    std::atomic<std::int64_t> in_flight{0};
    std::atomic<std::int64_t> open_connections{0};
    std::atomic<std::uint64_t> rejected_connections{0};
    std::atomic<std::uint64_t> revision{0};
    std::atomic<std::uint64_t> announced{0};  // with a shared log: the latest revision it announced
    std::atomic<std::uint64_t> bad_tokens{0};       // writes with a missing or wrong token
    std::atomic<std::uint64_t> throttled{0};        // answered 429: too many bad tokens from one address
    const std::atomic<bool>* storage_writable = nullptr;  // the writer's: the revision log takes writes
    const ComputePool* compute = nullptr;           // set by the server

    std::string render() const;  // text exposition format 0.0.4

private:
    static constexpr std::array<unsigned, 19> statuses{200, 201, 204, 304, 400, 401, 403, 404, 405, 408, 409, 413, 415, 422, 429, 431, 500, 503, 507};
    // The histogram's bounds in whole microseconds, as a request's time is measured (placed by
    // integer comparisons); exposed in seconds.
    static constexpr std::array<std::int64_t, 14> bucket_micros{100,    250,    500,     1'000,   2'500,   5'000,     10'000,
                                                                25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000};
    struct PerRoute {
        std::array<std::atomic<std::uint64_t>, statuses.size() + 1> by_status{};  // + other
        std::array<std::atomic<std::uint64_t>, bucket_micros.size() + 1> buckets{};  // + Inf
        std::atomic<std::uint64_t> micros_sum{0};
    };

    std::vector<std::string> routes_;
    std::unique_ptr<PerRoute[]> per_route_;
};

}  // namespace crossrate::server
