#include "server/server.hpp"

#include "server/body_file.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <thread>
#include <vector>

namespace crossrate::server {
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// co_spawn's completion: a session's escaped exception is logged, never rethrown (and a null
// exception_ptr, the normal end, is not an error).
struct LogFault {
    const Logger* log;
    void operator()(std::exception_ptr e) const {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            log->event(LogLevel::error, std::string("connection fault: ") + x.what());
        } catch (...) {
            log->event(LogLevel::error, "connection fault");
        }
    }
};

std::vector<std::unique_ptr<net::io_context>> make_contexts(unsigned threads) {
    std::vector<std::unique_ptr<net::io_context>> contexts;
    for (unsigned i = 0; i < std::max(1u, threads); ++i) contexts.push_back(std::make_unique<net::io_context>(1));
    return contexts;
}

}  // namespace

Server::Server(Config config, std::shared_ptr<const Dataset> data, const Logger& log, std::uint64_t revision)
    : config_(std::move(config)),
      log_(log),
      metrics_(route_names()),
      app_(config_, std::move(data), metrics_, log_, revision),
      throttle_(config_.bad_token_limit),
      compute_(std::max(1u, config_.compute_threads), config_.compute_queue),
      writes_(1, config_.compute_queue),
      contexts_(make_contexts(config_.threads)),
      strand_(net::make_strand(*contexts_.front())),
      acceptor_(strand_),
      signals_(strand_, SIGINT, SIGTERM),
      deadline_(strand_) {
    metrics_.compute = &compute_;
}

Result<unsigned short> Server::listen() {
    // Each connection takes a descriptor: with too few of them, clients past the limit would
    // wait in the listen queue instead of getting a 503. Raise the soft limit as far as the hard
    // one allows, and keep the connection limit under it.
    if (rlimit limit{}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        if (limit.rlim_cur < limit.rlim_max) {
            limit.rlim_cur = limit.rlim_max;
            ::setrlimit(RLIMIT_NOFILE, &limit);
            ::getrlimit(RLIMIT_NOFILE, &limit);
        }
        // The store, the log, the dashboard's files, the listener; and the large kept answers'
        // files (BodyFile): one per 32 of the limit, none when it leaves too few for connections.
        constexpr rlim_t own = 64;
        rlim_t body_files = std::min<rlim_t>(BodyFile::default_max_open, limit.rlim_cur / 32);
        if (limit.rlim_cur - body_files <= 2 * own) body_files = 0;
        BodyFile::set_max_open(static_cast<int>(body_files));
        const rlim_t reserve = own + body_files;
        const rlim_t usable = limit.rlim_cur > 2 * reserve ? limit.rlim_cur - reserve : reserve;
        if (config_.max_connections > usable) {
            log_.event(LogLevel::warn, "max-connections lowered from " + std::to_string(config_.max_connections) + " to " +
                                           std::to_string(usable) + ": the process may open " +
                                           std::to_string(limit.rlim_cur) + " files (ulimit -n)");
            config_.max_connections = usable;
        }
    }
    if (config_.max_connections_per_client == 0) {
        config_.max_connections_per_client = std::max<std::size_t>(1, config_.max_connections / 2);
    }
    boost::system::error_code ec;
    const auto address = net::ip::make_address(config_.address, ec);
    if (ec) return Error(Errc::invalid_parameter, "'" + config_.address + "' is not an IP address", "address");
    const tcp::endpoint endpoint(address, config_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        return Error(Errc::invalid_parameter,
                     "cannot listen on " + config_.address + ":" + std::to_string(config_.port) + ": " + ec.message(),
                     "port");
    }
    return acceptor_.local_endpoint().port();
}

net::awaitable<void> Server::accept_loop() {
    const SessionContext ctx{app_, metrics_, log_, connections_, stopping_, events_, compute_, writes_, throttle_};
    std::uint64_t failures = 0;  // accept errors since the last one logged
    auto last_logged = std::chrono::steady_clock::time_point();
    for (;;) {
        // Each connection to the next thread in turn, for its whole life.
        net::io_context& next = *contexts_[next_context_++ % contexts_.size()];
        auto [ec, socket] = co_await acceptor_.async_accept(next.get_executor(), net::as_tuple(net::use_awaitable));
        if (!acceptor_.is_open() || stopping_.load()) co_return;
        if (ec) {
            // Out of descriptors or a peer gone before accept: the listener goes on, and says so
            // at most once a second.
            ++failures;
            if (const auto now = std::chrono::steady_clock::now(); now - last_logged >= std::chrono::seconds(1)) {
                log_.event(LogLevel::warn, "accept failed " + std::to_string(failures) + " time(s): " + ec.message());
                failures = 0;
                last_logged = now;
            }
            net::steady_timer pause(strand_, std::chrono::milliseconds(50));
            co_await pause.async_wait(net::as_tuple(net::use_awaitable));
            continue;
        }
        const auto executor = socket.get_executor();
        boost::system::error_code no_peer;
        std::string address = socket.remote_endpoint(no_peer).address().to_string();
        switch (connections_.admit(address, config_.max_connections, config_.max_connections_per_client)) {
            case Connections::Admission::admitted:
                net::co_spawn(executor, run_session(std::move(socket), std::move(address), ctx), LogFault{&log_});
                break;
            case Connections::Admission::server_full:
                metrics_.rejected_connections.fetch_add(1, std::memory_order_relaxed);
                net::co_spawn(executor,
                              refuse_busy(std::move(socket), "the server is at its connection limit; retry shortly"),
                              LogFault{&log_});
                break;
            case Connections::Admission::client_full:
                metrics_.rejected_connections.fetch_add(1, std::memory_order_relaxed);
                net::co_spawn(executor,
                              refuse_busy(std::move(socket), "this client holds " +
                                                                 std::to_string(config_.max_connections_per_client) +
                                                                 " connections, its share; reuse one or retry shortly"),
                              LogFault{&log_});
                break;
        }
    }
}

void Server::begin_shutdown() {
    if (stopping_.exchange(true)) return;
    log_.event(LogLevel::info, "stopping: no new connections; finishing requests in flight");
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    keep_running_.clear();  // each thread ends once its last connection has
    if (events_ != nullptr) events_->close();  // event streams end
    if (on_stop_) on_stop_();
    connections_.wake_idle();
    deadline_.expires_after(config_.shutdown_timeout);
    deadline_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        log_.event(LogLevel::warn, "shutdown deadline reached with connections still open; cancelling what computes and closing them");
        compute_.cancel();
        writes_.cancel();
        stop_threads();
    });
    // Once the last connection is gone, nothing needs the deadline.
    net::co_spawn(
        strand_,
        [this]() -> net::awaitable<void> {
            net::steady_timer poll(strand_);
            while (connections_.size() > 0) {
                poll.expires_after(std::chrono::milliseconds(20));
                co_await poll.async_wait(net::as_tuple(net::use_awaitable));
                connections_.wake_idle();
            }
            deadline_.cancel();
            boost::system::error_code cancelled;
            signals_.cancel(cancelled);  // nothing is left to keep the threads running
        },
        net::detached);
}

void Server::stop_threads() {
    for (auto& context : contexts_) context->stop();
}

void Server::stop() {
    net::post(strand_, [this] { begin_shutdown(); });
}

bool Server::run() {
    signals_.async_wait([this](boost::system::error_code ec, int) {
        if (ec) return;
        // A second signal stops at once; the drain cancels this wait when it is done.
        signals_.async_wait([this](boost::system::error_code again, int) {
            if (!again) stop_threads();
        });
        begin_shutdown();
    });
    net::co_spawn(strand_, accept_loop(), LogFault{&log_});
    for (std::size_t i = 1; i < contexts_.size(); ++i) keep_running_.push_back(net::make_work_guard(*contexts_[i]));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < contexts_.size(); ++i) {
        threads.emplace_back([this, i] {
            contexts_[i]->run();
            release_thread_buffers();
        });
    }
    contexts_.front()->run();
    release_thread_buffers();
    for (auto& t : threads) t.join();
    const bool writes_stopped = writes_.stop(std::chrono::seconds(1));
    if (!compute_.stop(std::chrono::seconds(1)) || !writes_stopped) {
        log_.event(LogLevel::error, "a computation did not stop within a second of the shutdown deadline");
        return false;
    }
    return true;
}

}  // namespace crossrate::server
