#pragma once
// Slows down guessing: a client address that has sent `limit` requests with a missing or wrong
// writer's token within a minute gets 429 (with Retry-After) for its writes until that minute
// is over. An IPv6 client is its /64. Bounded: at most `max_addresses` are remembered at once;
// past that the least suspect window is forgotten first.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace crossrate::server {

class Throttle {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr auto window = std::chrono::minutes(1);

    explicit Throttle(std::size_t limit, std::size_t max_addresses = 10'000) : limit_(limit), max_addresses_(max_addresses) {}

    // Whether `address` is held back now; if so, `retry_after` is the seconds left.
    bool blocked(const std::string& address, Clock::time_point now, long* retry_after = nullptr) const;
    // Counts one bad token from `address`.
    void failed(const std::string& address, Clock::time_point now);
    // What an address is counted under: itself, or an IPv6 address's /64.
    static std::string client_key(const std::string& address);

private:
    struct Window {
        Clock::time_point start;
        std::size_t failures = 0;
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
    std::size_t limit_;
    std::size_t max_addresses_;
};

}  // namespace crossrate::server
