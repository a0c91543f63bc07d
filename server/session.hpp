#pragma once
// One connection: read a request, answer it, again while the client keeps the connection
// alive. The session owns the stream and its buffer and nothing else; what to answer is the
// App's.

#include "server/app.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <mutex>
#include <unordered_set>

namespace crossrate::server {

// The open connections: counted for the limit and the metrics, and woken at shutdown.
class Connections {
public:
    struct Entry {
        boost::beast::tcp_stream* stream;
        bool idle = false;  // waiting for a next request; only touched on the stream's strand
    };

    void add(Entry* e);
    void remove(Entry* e);
    // Cancels the idle connections' reads so they close; busy ones close after their answer.
    void wake_idle();
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_set<Entry*> entries_;
};

class Events;

struct SessionContext {
    const App& app;
    Metrics& metrics;
    const Logger& log;
    Connections& connections;
    std::atomic<bool>& stopping;
    Events* events;  // none: /v1/events is not streamed
};

boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, SessionContext ctx);

// Answers 503 with Retry-After and closes: for connections past --max-connections.
boost::asio::awaitable<void> refuse_busy(boost::asio::ip::tcp::socket socket);

}  // namespace crossrate::server
