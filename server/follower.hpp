#pragma once
// A replica following the shared revision log (PostgreSQL): its own connection LISTENs on the
// log's channel, driven by Asio on libpq's socket (no polling thread). Each notification, and
// each (re)connection, has the ledger fetch every revision above its own by number and apply
// it on the write lane; so a missed notification or a reconnect is caught up by the same
// query. A lost connection is retried with backoff (100 ms doubling to 5 s).

#include "ledger/ledger.hpp"
#include "server/compute.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace crossrate::server {

class Follower {
public:
    Follower(boost::asio::io_context& io, std::string uri, Ledger& ledger, ComputePool& lane, const Logger& log,
             Metrics& metrics);
    ~Follower();
    Follower(const Follower&) = delete;
    Follower& operator=(const Follower&) = delete;

    void start();
    // Ends the loop: the connection is closed and nothing keeps the io_context running. Safe
    // from any thread.
    void stop();

private:
    struct Connection;
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<bool> listen(Connection& c);
    boost::asio::awaitable<void> catch_up();
    boost::asio::awaitable<void> periodic();

    boost::asio::io_context& io_;
    std::string uri_;
    Ledger& ledger_;
    ComputePool& lane_;
    const Logger& log_;
    Metrics& metrics_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;  // the loop and stop()
    boost::asio::steady_timer backoff_;
    boost::asio::steady_timer tick_;  // the periodic catch-up
    std::atomic<bool> stopped_{false};
    std::shared_ptr<Connection> current_;  // touched only on io_'s threads, via post
};

}  // namespace crossrate::server
