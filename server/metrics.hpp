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
    static constexpr std::array<double, 14> bucket_bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                          0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};
    // The same bounds in whole microseconds, as a request's time is measured: a request is
    // placed by integer comparisons (every bound is a whole number of them).
    static constexpr std::array<std::int64_t, bucket_bounds.size()> bucket_micros = [] {
        std::array<std::int64_t, bucket_bounds.size()> micros{};
        for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
            micros[i] = static_cast<std::int64_t>(bucket_bounds[i] * 1e6 + 0.5);
        }
        return micros;
    }();
    static_assert([] {
        for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
            if (static_cast<double>(bucket_micros[i]) / 1e6 != bucket_bounds[i]) return false;
        }
        return true;
    }(), "every bucket bound is a whole number of microseconds");
    struct PerRoute {
        std::array<std::atomic<std::uint64_t>, statuses.size() + 1> by_status{};  // + other
        std::array<std::atomic<std::uint64_t>, bucket_bounds.size() + 1> buckets{};  // + Inf
        std::atomic<std::uint64_t> micros_sum{0};
    };

    std::vector<std::string> routes_;
    std::unique_ptr<PerRoute[]> per_route_;
};

}  // namespace crossrate::server
