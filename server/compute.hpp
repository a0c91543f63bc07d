#pragma once
// The compute pool: worker threads, apart from the I/O threads, for the answers that may take
// long (scenarios, batch conversions, series, writes, past revisions). The I/O threads only
// read, route and write; a connection whose request computes waits here without holding one.
// The pool is bounded: past its threads and its queue a request is refused (503) at once
// instead of stalling everything behind it. Its threads run at a lower scheduling priority so
// that on a machine busy computing the I/O threads still answer the cheap requests promptly.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace crossrate::server {

class ComputePool {
public:
    // `threads` workers; at most `queue` more tasks wait for one.
    ComputePool(unsigned threads, std::size_t queue);
    ~ComputePool();
    ComputePool(const ComputePool&) = delete;
    ComputePool& operator=(const ComputePool&) = delete;

    // Runs `task` on a worker and resumes the caller (a coroutine on `Executor`) on its own
    // executor with the result; nullopt, without running it, when the pool is full. `task`
    // must not throw.
    template <class Executor = boost::asio::any_io_executor, class Task>
    boost::asio::awaitable<std::optional<std::invoke_result_t<Task&>>, Executor> run(Task task) {
        using Result = std::invoke_result_t<Task&>;
        if (pending_.fetch_add(1, std::memory_order_acq_rel) >= capacity_) {
            pending_.fetch_sub(1, std::memory_order_acq_rel);
            refused_.fetch_add(1, std::memory_order_relaxed);
            co_return std::nullopt;
        }
        struct Release {
            std::atomic<std::size_t>& pending;
            ~Release() { pending.fetch_sub(1, std::memory_order_acq_rel); }
        } release{pending_};
        co_return co_await boost::asio::co_spawn(
            workers_, [&task]() -> boost::asio::awaitable<Result> { co_return task(); },
            boost::asio::use_awaitable_t<Executor>{});
    }

    // Raised at shutdown: work in progress that checks it (see Cancellation) stops.
    const std::atomic<bool>& cancelled() const noexcept { return cancelled_; }
    void cancel() noexcept { cancelled_.store(true); }
    // Cancels, lets the workers finish what they hold and joins them; false if they did not
    // within `grace` (a task that does not check for cancellation).
    bool stop(std::chrono::milliseconds grace);

    std::size_t pending() const noexcept { return pending_.load(std::memory_order_relaxed); }
    std::size_t capacity() const noexcept { return capacity_; }
    std::uint64_t refused() const noexcept { return refused_.load(std::memory_order_relaxed); }

private:
    boost::asio::io_context workers_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    std::vector<std::thread> threads_;
    std::size_t capacity_;
    std::atomic<std::size_t> pending_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<bool> cancelled_{false};
    std::atomic<unsigned> running_threads_{0};
};

}  // namespace crossrate::server
