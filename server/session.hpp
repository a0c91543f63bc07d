#pragma once
// One connection: read a request, answer it, again while the client keeps the connection
// alive. The session owns the stream and its buffer and nothing else; what to answer is the
// App's.

#include "server/app.hpp"
#include "server/compute.hpp"
#include "server/throttle.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace crossrate::server {

// A connection's I/O, named by its thread's io_context's own executor: the type-erased
// any_io_executor costs each step of a request copies and queries through a table (500-700
// instructions a request, bench/README.md).
using IoExecutor = boost::asio::io_context::executor_type;
using IoSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, IoExecutor>;
using IoStream = boost::beast::basic_stream<boost::asio::ip::tcp, IoExecutor>;
template <class T = void>
using IoTask = boost::asio::awaitable<T, IoExecutor>;

// The open connections: counted for the limits and the metrics, and woken at shutdown.
class Connections {
public:
    struct Entry {
        IoStream* stream;
        std::string address;  // the client's, as admitted
        bool idle = false;  // waiting for a next request; only touched on the connection's thread
    };

    enum class Admission { admitted, server_full, client_full };
    // Takes a place for a new connection from `address` if there is one, both under `max` in
    // all and under `max_per_client` from that address; release() gives it back.
    Admission admit(const std::string& address, std::size_t max, std::size_t max_per_client);
    void release(const std::string& address);

    void add(Entry* e);
    void remove(Entry* e);
    // Cancels the idle connections' reads so they close; busy ones close after their answer.
    void wake_idle();
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_set<Entry*> entries_;
    std::size_t admitted_ = 0;
    std::unordered_map<std::string, std::size_t> by_address_;
};

class Events;

struct SessionContext {
    const App& app;
    Metrics& metrics;
    const Logger& log;
    Connections& connections;
    std::atomic<bool>& stopping;
    Events* events;  // none: /v1/events is not streamed
    ComputePool& compute;
    ComputePool& writes;  // one thread: writes, one at a time
    Throttle& throttle;
};

// Serves an admitted connection (see Connections::admit) and releases its place at the end.
IoTask<> run_session(IoSocket socket, std::string address, SessionContext ctx);

// What the calling I/O thread keeps between requests (the buffer small answers are sent from,
// the answer it holds, the reply cache's last hit), let go: as the thread leaves the io_context.
void release_thread_buffers() noexcept;

// Answers 503 (overloaded, with Retry-After and `detail`) and closes: for connections past
// --max-connections or a client's share of them.
IoTask<> refuse_busy(IoSocket socket, std::string detail);

}  // namespace crossrate::server
