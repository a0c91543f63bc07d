#include "server/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

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

}  // namespace

Server::Server(Config config, std::shared_ptr<const Dataset> data, const Logger& log, std::uint64_t revision)
    : config_(std::move(config)),
      log_(log),
      metrics_(route_names()),
      app_(config_, std::move(data), metrics_, log_, revision),
      ioc_(static_cast<int>(config_.threads)),
      acceptor_(ioc_),
      signals_(ioc_, SIGINT, SIGTERM),
      deadline_(ioc_) {
}

Result<unsigned short> Server::listen() {
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
    const SessionContext ctx{app_, metrics_, log_, connections_, stopping_, events_};
    for (;;) {
        auto [ec, socket] = co_await acceptor_.async_accept(net::make_strand(ioc_), net::as_tuple(net::use_awaitable));
        if (!acceptor_.is_open() || stopping_.load()) co_return;
        if (ec) {
            // Out of descriptors or a peer gone before accept: the listener goes on.
            log_.event(LogLevel::warn, "accept failed: " + ec.message());
            net::steady_timer pause(ioc_, std::chrono::milliseconds(50));
            co_await pause.async_wait(net::as_tuple(net::use_awaitable));
            continue;
        }
        const auto executor = socket.get_executor();
        if (connections_.size() >= config_.max_connections) {
            metrics_.rejected_connections.fetch_add(1, std::memory_order_relaxed);
            net::co_spawn(executor, refuse_busy(std::move(socket)), LogFault{&log_});
            continue;
        }
        net::co_spawn(executor, run_session(std::move(socket), ctx), LogFault{&log_});
    }
}

void Server::begin_shutdown() {
    if (stopping_.exchange(true)) return;
    log_.event(LogLevel::info, "stopping: no new connections; finishing requests in flight");
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (events_ != nullptr) events_->close();  // event streams end
    connections_.wake_idle();
    deadline_.expires_after(config_.shutdown_timeout);
    deadline_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        log_.event(LogLevel::warn, "shutdown deadline reached with connections still open; closing them");
        ioc_.stop();
    });
    // Once the last connection is gone, nothing needs the deadline.
    net::co_spawn(
        ioc_,
        [this]() -> net::awaitable<void> {
            net::steady_timer poll(ioc_);
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

void Server::stop() {
    net::post(ioc_, [this] { begin_shutdown(); });
}

void Server::run() {
    signals_.async_wait([this](boost::system::error_code ec, int) {
        if (ec) return;
        // A second signal stops at once; the drain cancels this wait when it is done.
        signals_.async_wait([this](boost::system::error_code again, int) {
            if (!again) ioc_.stop();
        });
        begin_shutdown();
    });
    net::co_spawn(ioc_, accept_loop(), LogFault{&log_});
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < config_.threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
}

}  // namespace crossrate::server
