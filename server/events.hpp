#pragma once
// Server-Sent Events on every new revision (GET /v1/events): the hub keeps each revision's
// event (id = revision number, data = what changed) once, immutable and shared, and wakes the
// subscribers; each subscriber's session writes what it has not sent yet, a few events at a
// time and without copying them, and a heartbeat comment while nothing happens. An idle
// subscriber costs a socket and a timer; one replaying the whole history, a few pointers.

#include "store/store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace crossrate::server {

class Events {
public:
    // One subscriber's wake-up: its timer, on its connection's executor.
    struct Subscriber {
        explicit Subscriber(boost::asio::any_io_executor executor) : timer(std::move(executor)) {}
        boost::asio::steady_timer timer;
    };

    // What changed at a revision, as the event's data (JSON).
    static std::string describe(const Revision& revision, const std::vector<StoredRecord>& records);

    using Event = std::pair<std::uint64_t, std::shared_ptr<const std::string>>;

    void publish(std::uint64_t revision, std::string data);
    // At most `most` events after `last_id`, oldest first: the events themselves, not copies.
    std::vector<Event> since(std::uint64_t last_id, std::size_t most = 64) const;
    std::uint64_t latest() const;

    void subscribe(const std::shared_ptr<Subscriber>& s);
    void unsubscribe(const Subscriber* s);
    // Shutdown: every subscriber wakes and leaves.
    void close();
    bool closed() const;

private:
    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::shared_ptr<const std::string>> history_;
    std::vector<std::weak_ptr<Subscriber>> subscribers_;
    bool closed_ = false;
};

}  // namespace crossrate::server
