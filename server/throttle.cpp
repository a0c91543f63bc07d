#include "server/throttle.hpp"

namespace crossrate::server {

bool Throttle::blocked(const std::string& address, Clock::time_point now, long* retry_after) const {
    if (limit_ == 0) return false;
    std::lock_guard lock(mutex_);
    const auto it = windows_.find(address);
    if (it == windows_.end() || it->second.failures < limit_ || now - it->second.start >= window) return false;
    if (retry_after != nullptr) {
        *retry_after = std::chrono::ceil<std::chrono::seconds>(it->second.start + window - now).count();
    }
    return true;
}

void Throttle::failed(const std::string& address, Clock::time_point now) {
    if (limit_ == 0) return;
    std::lock_guard lock(mutex_);
    if (windows_.size() >= max_addresses_ && windows_.find(address) == windows_.end()) {
        std::erase_if(windows_, [&](const auto& entry) { return now - entry.second.start >= window; });
        if (windows_.size() >= max_addresses_) windows_.clear();  // a flood of addresses: start over
    }
    Window& w = windows_[address];
    if (w.failures == 0 || now - w.start >= window) w = Window{now, 0};
    ++w.failures;
}

}  // namespace crossrate::server
