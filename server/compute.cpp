#include "server/compute.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace crossrate::server {

ComputePool::ComputePool(unsigned threads, std::size_t queue)
    : workers_(static_cast<int>(threads)), guard_(workers_.get_executor()), capacity_(threads + queue) {
    threads_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) {
        threads_.emplace_back([this] {
            // Linux schedules threads one by one: only this worker becomes "nicer".
            ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
            running_threads_.fetch_add(1);
            workers_.run();
            running_threads_.fetch_sub(1);
        });
    }
}

ComputePool::~ComputePool() {
    if (!stop(std::chrono::seconds(0))) {
        for (auto& t : threads_) t.join();  // a task that does not look at cancellation: wait for it
    }
}

bool ComputePool::stop(std::chrono::milliseconds grace) {
    cancel();
    guard_.reset();
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (running_threads_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (running_threads_.load() > 0) return false;
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    return true;
}

}  // namespace crossrate::server
