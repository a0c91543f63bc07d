#pragma once
// A cooperative stop for work that may run long (scenarios, series, batches): a deadline and a
// flag raised at shutdown, checked between steps. Work that finds either one passed stops by
// throwing deadline_exceeded; what it had computed is dropped.

#include "pricing/error.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>

namespace crossrate {

class Cancellation {
public:
    using Clock = std::chrono::steady_clock;

    Cancellation() = default;  // never stops
    Cancellation(Clock::time_point deadline, const std::atomic<bool>* stop) noexcept : deadline_(deadline), stop_(stop) {}

    bool stopped() const noexcept {
        return (stop_ != nullptr && stop_->load(std::memory_order_relaxed)) || Clock::now() >= deadline_;
    }
    // Throws deadline_exceeded once the deadline has passed or the flag is raised.
    void check() const {
        if (stopped()) {
            throw Error(Errc::deadline_exceeded,
                        stop_ != nullptr && stop_->load(std::memory_order_relaxed)
                            ? "the server is stopping; the computation was cancelled"
                            : "the computation ran past its deadline and was stopped; ask for fewer points or draws");
        }
    }
    // check() every 256th call: cheap enough for an inner loop (one object per thread).
    void tick() const {
        if ((++ticks_ & 0xFF) == 0) check();
    }

private:
    Clock::time_point deadline_ = Clock::time_point::max();
    const std::atomic<bool>* stop_ = nullptr;
    mutable std::uint32_t ticks_ = 0;
};

}  // namespace crossrate
