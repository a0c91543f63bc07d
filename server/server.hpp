#pragma once
// The running service: one io_context run by N I/O threads, a listener, the sessions, the
// compute pool, and the graceful stop on SIGINT/SIGTERM (stop accepting, finish what is in
// flight up to a deadline, then cancel what still computes).

#include "server/app.hpp"
#include "server/compute.hpp"
#include "server/events.hpp"
#include "server/session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <functional>
#include <memory>

namespace crossrate::server {

class Server {
public:
    // `revision`: the dataset revision being served (the store's latest). `config`'s thread
    // counts are resolved (main sets 0, "one per core", to the number of cores).
    Server(Config config, std::shared_ptr<const Dataset> data, const Logger& log, std::uint64_t revision);

    // Binds and listens; the port actually bound (useful with --port 0).
    Result<unsigned short> listen();
    // Runs until stopped by a signal or stop(); returns when every thread is done: true, or
    // false when a computation did not stop within a second of the shutdown deadline (the
    // caller then exits at once).
    bool run();
    // The graceful stop, as on SIGTERM. Safe from any thread.
    void stop();

    App& app() noexcept { return app_; }
    Metrics& metrics() noexcept { return metrics_; }
    // Where GET /v1/events streams from; set before run().
    void set_events(Events* events) noexcept { events_ = events; }
    // For what runs beside the sessions (a replica following its fleet's log): the I/O threads,
    // the write lane, and what to stop when the server stops. Set before run().
    boost::asio::io_context& io() noexcept { return ioc_; }
    ComputePool& write_lane() noexcept { return writes_; }
    void on_stop(std::function<void()> f) { on_stop_ = std::move(f); }

private:
    boost::asio::awaitable<void> accept_loop();
    void begin_shutdown();

    Config config_;
    const Logger& log_;
    Metrics metrics_;
    App app_;
    // What the sessions refer to comes before ioc_: destroying ioc_ destroys the sessions that
    // a forced stop left suspended, and their frames still release connections and pool
    // places. (run() stops the pools before it returns, so no task outlives ioc_.)
    Connections connections_;
    Throttle throttle_;
    ComputePool compute_;
    ComputePool writes_;  // the write lane: one thread
    std::atomic<bool> stopping_{false};
    Events* events_ = nullptr;
    std::function<void()> on_stop_;
    boost::asio::io_context ioc_;
    // The listener's strand: accepting, the signals and the shutdown never run at once.
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer deadline_;
};

}  // namespace crossrate::server
