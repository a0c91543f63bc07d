#pragma once
// The running service: N I/O threads, each running an io_context of its own, a listener that
// hands each new connection to the next of them in turn, the sessions, the compute pool, and the
// graceful stop on SIGINT/SIGTERM (stop accepting, finish what is in flight up to a deadline,
// then cancel what still computes).
//
// A connection lives on one thread, so its session needs no strand: a strand would take a lock,
// copy shared pointers and queue every step of every request (about 2,500 instructions a
// request, against about 8,000 for all of a do-nothing responder's work, bench/README.md).

#include "server/app.hpp"
#include "server/compute.hpp"
#include "server/events.hpp"
#include "server/session.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

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
    // For what runs beside the sessions (a replica following its fleet's log): the write lane,
    // and what to stop when the server stops. Set before run().
    ComputePool& write_lane() noexcept { return writes_; }
    void on_stop(std::function<void()> f) { on_stop_ = std::move(f); }

private:
    boost::asio::awaitable<void> accept_loop();
    void begin_shutdown();
    void stop_threads();

    Config config_;
    const Logger& log_;
    Metrics metrics_;
    App app_;
    // What the sessions refer to comes before contexts_: destroying an io_context destroys the
    // sessions that a forced stop left suspended, and their frames still release connections and
    // pool places. (run() stops the pools before it returns, so no task outlives contexts_.)
    Connections connections_;
    Throttle throttle_;
    ComputePool compute_;
    ComputePool writes_;  // the write lane: one thread
    std::atomic<bool> stopping_{false};
    Events* events_ = nullptr;
    std::function<void()> on_stop_;
    // One per I/O thread; [0] also runs the listener, the signals and the shutdown.
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    // Keeps the threads whose io_context has no connection yet running, until the shutdown.
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_running_;
    std::size_t next_context_ = 0;  // the io_context the next connection goes to (the listener's strand)
    // The listener's strand: accepting, the signals and the shutdown never run at once.
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer deadline_;
};

}  // namespace crossrate::server
