#include "server/follower.hpp"

#include "store/pg_store.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>

namespace crossrate::server {
namespace net = boost::asio;
using namespace std::chrono_literals;

// One LISTEN connection and a descriptor (a duplicate of libpq's socket) to wait on it.
struct Follower::Connection {
    PGconn* conn = nullptr;
    std::unique_ptr<net::posix::stream_descriptor> socket;
    ~Connection() {
        if (socket) {
            boost::system::error_code ignored;
            socket->close(ignored);
        }
        if (conn != nullptr) PQfinish(conn);
    }
    // Waits for the socket to be readable (or writable), re-reading libpq's socket first: it
    // may change while a connection to one of several hosts is being made.
    net::awaitable<bool> wait(net::io_context& io, bool write, const std::atomic<bool>& stopped) {
        if (stopped.load()) co_return false;
        const int fd = PQsocket(conn);
        if (fd < 0) co_return false;
        const int copy = ::dup(fd);
        if (copy < 0) co_return false;  // out of descriptors: the loop retries later
        socket = std::make_unique<net::posix::stream_descriptor>(io, copy);
        const auto [ec] = co_await socket->async_wait(write ? net::posix::stream_descriptor::wait_write
                                                            : net::posix::stream_descriptor::wait_read,
                                                      net::as_tuple(net::use_awaitable));
        co_return !ec;
    }
};

Follower::Follower(net::io_context& io, std::string uri, Ledger& ledger, ComputePool& lane, const Logger& log, Metrics& metrics)
    : io_(io), uri_(std::move(uri)), ledger_(ledger), lane_(lane), log_(log), metrics_(metrics), strand_(io.get_executor()),
      backoff_(strand_), tick_(strand_) {}

Follower::~Follower() = default;

// A coroutine that ends by an exception is logged, not dropped: the replica would stop
// following without a word.
void Follower::start() {
    const auto report = [this](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& what) {
            log_.event(LogLevel::error, std::string("following the shared revision log stopped: ") + what.what());
        }
    };
    net::co_spawn(strand_, loop(), report);
    net::co_spawn(strand_, periodic(), report);
}

// Every few seconds, whatever the listening connection does: a notification lost with a
// connection that died silently, or a catch-up the write lane had no room for, is made up.
net::awaitable<void> Follower::periodic() {
    while (!stopped_.load()) {
        tick_.expires_after(std::chrono::seconds(5));
        co_await tick_.async_wait(net::as_tuple(net::use_awaitable));  // cancelled by stop()
        if (stopped_.load()) break;
        co_await catch_up();
    }
}

void Follower::stop() {
    stopped_.store(true);
    net::post(strand_, [this] {
        backoff_.cancel();
        tick_.cancel();
        if (current_ && current_->socket) {
            boost::system::error_code ignored;
            current_->socket->close(ignored);
        }
    });
}

net::awaitable<void> Follower::catch_up() {
    // On the write lane, as writes are: the ledger applies and serves in order, once each.
    const auto applied = co_await lane_.run([this] {
        auto at = ledger_.follow();
        if (at && !ledger_.writable()) ledger_.probe();  // back after a fault: writes may resume
        return at;
    });
    if (!applied) co_return;  // the lane is full: the next notification, or reconnect, tries again
    if (!*applied) {
        log_.event(LogLevel::warn, std::string("catching up with the shared revision log failed: ") + applied->error().what());
        co_return;
    }
    const auto at = static_cast<std::uint64_t>(**applied);
    if (metrics_.announced.load() < at) metrics_.announced.store(at);
}

// Connects without blocking, then LISTENs; false when the server cannot be reached.
net::awaitable<bool> Follower::listen(Connection& c) {
    const PgStore::Parameters params(uri_);
    c.conn = PQconnectStartParams(params.keys(), params.values(), 1);
    if (c.conn == nullptr || PQstatus(c.conn) == CONNECTION_BAD) co_return false;
    for (auto state = PGRES_POLLING_WRITING; state != PGRES_POLLING_OK;) {
        if (state == PGRES_POLLING_FAILED || stopped_.load()) co_return false;
        if (!co_await c.wait(io_, state == PGRES_POLLING_WRITING, stopped_)) co_return false;
        state = PQconnectPoll(c.conn);
    }
    if (PQsetnonblocking(c.conn, 1) != 0) co_return false;
    const std::string listen = std::string("LISTEN ") + PgStore::channel;
    if (PQsendQuery(c.conn, listen.c_str()) != 1) co_return false;
    while (PQflush(c.conn) == 1) {
        if (!co_await c.wait(io_, true, stopped_)) co_return false;
    }
    for (;;) {
        if (PQconsumeInput(c.conn) != 1) co_return false;
        if (PQisBusy(c.conn) == 0) break;
        if (!co_await c.wait(io_, false, stopped_)) co_return false;
    }
    bool ok = true;
    while (PGresult* r = PQgetResult(c.conn)) {
        ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    co_return ok;
}

net::awaitable<void> Follower::loop() {
    auto backoff = 100ms;
    bool was_down = false;
    while (!stopped_.load()) {
        auto c = std::make_shared<Connection>();
        current_ = c;
        if (co_await listen(*c)) {
            if (was_down) log_.event(LogLevel::warn, "the shared revision log is back; catching up");
            was_down = false;
            backoff = 100ms;
            // Whatever landed while this replica was not listening.
            co_await catch_up();
            while (!stopped_.load()) {
                if (!co_await c->wait(io_, false, stopped_) || PQconsumeInput(c->conn) != 1) break;
                bool announced = false;
                while (PGnotify* n = PQnotifies(c->conn)) {
                    std::uint64_t number = 0;
                    const std::string_view payload(n->extra);
                    std::from_chars(payload.data(), payload.data() + payload.size(), number);
                    if (metrics_.announced.load() < number) metrics_.announced.store(number);
                    PQfreemem(n);
                    announced = true;
                }
                if (announced) co_await catch_up();
            }
        }
        current_.reset();
        if (stopped_.load()) break;
        if (!was_down) {
            const std::string why = c->conn ? PQerrorMessage(c->conn) : "no connection";
            log_.event(LogLevel::warn, "the shared revision log cannot be reached: " + why + "; reads go on from revision " +
                                           std::to_string(ledger_.applied()) + ", retrying");
            ledger_.lost_store("the revision log (PostgreSQL) cannot be reached; writes resume when it is back");
            was_down = true;
        }
        backoff_.expires_after(backoff);
        co_await backoff_.async_wait(net::as_tuple(net::use_awaitable));
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, 5000ms);
    }
}

}  // namespace crossrate::server
