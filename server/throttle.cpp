#include "server/throttle.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <tuple>

namespace crossrate::server {

std::string Throttle::client_key(const std::string& address) {
    boost::system::error_code ec;
    const auto parsed = boost::asio::ip::make_address(address, ec);
    if (ec || !parsed.is_v6() || parsed.to_v6().is_v4_mapped()) return address;
    auto bytes = parsed.to_v6().to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);  // one client: its /64
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

bool Throttle::blocked(const std::string& address, Clock::time_point now, long* retry_after) const {
    if (limit_ == 0) return false;
    std::lock_guard lock(mutex_);
    const auto it = windows_.find(client_key(address));
    if (it == windows_.end() || it->second.failures < limit_ || now - it->second.start >= window) return false;
    if (retry_after != nullptr) {
        *retry_after = std::chrono::ceil<std::chrono::seconds>(it->second.start + window - now).count();
    }
    return true;
}

void Throttle::failed(const std::string& address, Clock::time_point now) {
    if (limit_ == 0) return;
    std::lock_guard lock(mutex_);
    const std::string key = client_key(address);
    if (windows_.size() >= max_addresses_ && windows_.find(key) == windows_.end()) {
        std::erase_if(windows_, [&](const auto& entry) { return now - entry.second.start >= window; });
        // A flood of addresses: the least suspect window goes (the fewest failures, then the
        // oldest), one at a time, so flooding cannot free an address that is held back.
        if (windows_.size() >= max_addresses_) {
            windows_.erase(std::min_element(windows_.begin(), windows_.end(), [](const auto& a, const auto& b) {
                return std::tie(a.second.failures, a.second.start) < std::tie(b.second.failures, b.second.start);
            }));
        }
    }
    Window& w = windows_[key];
    if (w.failures == 0 || now - w.start >= window) w = Window{now, 0};
    ++w.failures;
}

}  // namespace crossrate::server
