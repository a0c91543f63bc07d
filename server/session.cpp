#include "server/session.hpp"

#include "server/events.hpp"

#include <sys/sendfile.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_generator.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>

namespace crossrate::server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace {

constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable_t<IoExecutor>{});

// An answer as sent: its head up to the request's id, the id, the head's end, the body.
using Wire = std::array<net::const_buffer, 4>;

// The one buffer a small answer is copied into and sent from: a gathered send costs the kernel
// more than the copy costs here (the iovec's import, a check per piece: ~0.15 us against ~0.05
// for a 1.3 KB answer). One per I/O thread, not per connection (thousands may be open; nothing
// is awaited between the copy and the send). It remembers the ready answer it holds, and keeps
// that answer alive so that no other can take its address: the next request answered by the
// same reply (a dashboard polling one URL) rewrites only its own id, of the same length.
struct OneBuffer {
    std::string bytes;
    std::shared_ptr<const TaggedReply> reply;
    Wire pieces{};

    bool holds(const std::shared_ptr<const TaggedReply>& ready, const Wire& wire) const noexcept {
        if (ready == nullptr || ready != reply) return false;
        for (std::size_t i = 0; i < wire.size(); ++i) {
            // The id's bytes differ; the other pieces are the reply's own, or the same literal.
            if (wire[i].size() != pieces[i].size() || (i != 1 && wire[i].data() != pieces[i].data())) return false;
        }
        return true;
    }
};
thread_local OneBuffer one_buffer;

// Writes what the socket's send buffer takes at once, without a trip through the reactor (the
// socket is non-blocking); returns false on an error. What is left (a slow reader's answer, a
// large one) goes with async_write, under the write timeout, from the pieces: the same bytes.
// A small answer (up to 4 KiB) goes out as one buffer (above); a large kept one as its head,
// then its body from the body's file (BodyFile: the kernel sends the file's pages, no copy);
// any other large one gathered. `ready` is the reply the pieces are of, if they are of one.
bool write_now(IoStream& stream, const Wire& wire, const std::shared_ptr<const TaggedReply>& ready,
               std::size_t& sent) {
    constexpr std::size_t one_buffer_limit = 4096;
    const auto sent_or_would_block = [](const boost::system::error_code& ec) {
        return !ec || ec == net::error::would_block || ec == net::error::try_again;
    };
    boost::system::error_code ec;
    const std::size_t total = beast::buffer_bytes(wire);
    if (total <= one_buffer_limit) {
        OneBuffer& one = one_buffer;
        if (one.holds(ready, wire)) {
            std::memcpy(one.bytes.data() + wire[0].size(), wire[1].data(), wire[1].size());
        } else {
            if (one.bytes.size() < total) one.bytes.resize(total);
            char* out = one.bytes.data();
            for (const auto& piece : wire) {
                if (piece.size() != 0) std::memcpy(out, piece.data(), piece.size());
                out += piece.size();
            }
            one.reply = ready;
            one.pieces = wire;
        }
        sent = stream.socket().write_some(net::buffer(one.bytes.data(), total), ec);
        return sent_or_would_block(ec);
    }
    const int body_fd = ready != nullptr ? ready->body_file.for_sending(ready->reply.body) : -1;
    if (body_fd < 0) {
        sent = stream.socket().write_some(wire, ec);
        return sent_or_would_block(ec);
    }
    // The head with MSG_MORE, so that it leaves in the same segment as the body's first bytes.
    const std::array<net::const_buffer, 3> head{wire[0], wire[1], wire[2]};
    sent = stream.socket().send(head, MSG_MORE, ec);
    if (ec || sent < beast::buffer_bytes(head)) return sent_or_would_block(ec);
    off_t offset = 0;
    for (;;) {
        const ssize_t n = ::sendfile(stream.socket().native_handle(), body_fd, &offset, wire[3].size());
        if (n >= 0) {
            sent += static_cast<std::size_t>(n);
            return true;
        }
        if (errno == EINTR) continue;
        // Nothing of the body taken: it follows from memory (async_write), which also sends the
        // head MSG_MORE held back; unless the client is gone. (So an error of sendfile's own, say
        // in a sandbox that refuses it, costs a copy, not the answer.)
        return errno != EPIPE && errno != ECONNRESET;
    }
}

// A request's id: the client's X-Request-Id when it is short and printable (a view of the
// request's own field), else our own, <8 hex digits, random per process>-<counter>, written
// in place (no allocation: it is made for every request).
class RequestId {
public:
    explicit RequestId(const Request& request) {
        const auto given = request["X-Request-Id"];
        if (!given.empty() && given.size() <= 128 &&
            std::all_of(given.begin(), given.end(), [](char c) { return c > 32 && c < 127; })) {
            id_ = std::string_view(given.data(), given.size());
            return;
        }
        static const std::array<char, 9> prefix = [] {
            static constexpr char hex[] = "0123456789abcdef";
            std::array<char, 9> p{};
            std::uint32_t r = std::random_device{}();
            for (int i = 0; i < 8; ++i, r >>= 4) p[static_cast<std::size_t>(i)] = hex[r & 0xF];
            p[8] = '-';
            return p;
        }();
        std::copy(prefix.begin(), prefix.end(), own_.begin());
        const auto end = std::to_chars(own_.data() + prefix.size(), own_.data() + own_.size(), next_number()).ptr;
        id_ = std::string_view(own_.data(), static_cast<std::size_t>(end - own_.data()));
    }
    RequestId(const RequestId&) = delete;
    RequestId& operator=(const RequestId&) = delete;
    std::string_view view() const noexcept { return id_; }

private:
    // Unique in the process: each thread takes its numbers from the shared counter a block at a
    // time, so I/O threads do not write one cache line on every request.
    static std::uint64_t next_number() noexcept {
        static constexpr std::uint64_t block = 1024;
        static std::atomic<std::uint64_t> counter{0};
        thread_local std::uint64_t next = 0;
        thread_local std::uint64_t end = 0;
        if (next == end) {
            next = counter.fetch_add(block, std::memory_order_relaxed);
            end = next + block;
        }
        return next++;
    }

    std::array<char, 9 + 20> own_;  // the prefix and a 64-bit counter's digits
    std::string_view id_;
};

// Registers the connection for its lifetime.
class Registration {
public:
    Registration(Connections& connections, Metrics& metrics, IoStream& stream, std::string address)
        : connections_(connections), metrics_(metrics), entry_{&stream, std::move(address)} {
        connections_.add(&entry_);
        metrics_.open_connections.fetch_add(1, std::memory_order_relaxed);
    }
    ~Registration() {
        connections_.remove(&entry_);
        connections_.release(entry_.address);
        metrics_.open_connections.fetch_sub(1, std::memory_order_relaxed);
    }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    Connections::Entry& entry() noexcept { return entry_; }

private:
    Connections& connections_;
    Metrics& metrics_;
    Connections::Entry entry_;
};

// The answer to a request the parser refused, before the connection closes.
Response refusal(const boost::system::error_code& ec) {
    if (ec == http::error::body_limit) {
        return problem_response(Error(Errc::too_large,
                                      "the request body is larger than the server accepts (a writer's text/csv import "
                                      "may be larger: --import-limit)",
                                      "body"),
                                "");
    }
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
        // buffer_overflow: a trailer (or a chunk header) that does not fit in the read buffer,
        // which is as large as a header may be.
        return problem_response(
            Error(Errc::too_large, "the request header or trailer is larger than the server accepts", "header"), "",
            http::status::request_header_fields_too_large);
    }
    return problem_response(Error(Errc::invalid_parameter, "malformed HTTP request: " + ec.message(), "request"), "");
}

// Reads and drops what the client sent past the last answer, once the server has shut its side,
// until the client closes its own (it has read everything: the server's end of the stream came
// after the last answer), for at most `time` and `limit` bytes: closing a socket with unread
// input resets the connection, and so may the kernel, later, a closed socket that still holds
// answers for a slow reader; either reset destroys the answers the client has not read yet.
IoTask<> drain_before_close(IoStream& stream, std::chrono::steady_clock::duration time, std::size_t limit) {
    stream.expires_after(time);
    char sink[4096];
    for (std::size_t drained = 0; drained < limit;) {
        auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), tuple_awaitable);
        if (ec) break;
        drained += n;
    }
}

// The App's go-ahead for a stream: the request checked, an empty text/event-stream answer.
bool is_stream(const App::Outcome& outcome) {
    return outcome.response.result() == http::status::ok &&
           outcome.response[http::field::content_type] == "text/event-stream";
}

bool is_events(const Request& request) {
    const std::string_view target(request.target().data(), request.target().size());
    constexpr std::string_view path = "/v1/events";
    return request.method() == http::verb::get && target.starts_with(path) &&
           (target.size() == path.size() || target[path.size()] == '?');
}

// GET /v1/events: the revisions after Last-Event-ID (or ?last_event_id=; without either,
// only revisions to come), then each new one as it lands, and a heartbeat comment while
// nothing does. The stream ends when the client goes, or the server stops.
IoTask<std::uint64_t> stream_events(IoStream& stream, const Request& request, SessionContext& ctx,
                                            Connections::Entry& entry, std::string_view request_id) {
    // The App has checked the request: the parameters are the route's, the ids whole numbers.
    const Config& config = ctx.app.config();
    Events& events = *ctx.events;
    std::string_view asked = request["Last-Event-ID"];
    std::optional<Query> query;  // `asked` may point into it
    if (asked.empty()) {
        query.emplace(parse_target(std::string_view(request.target().data(), request.target().size())).value().params);
        if (const auto param = query->get("last_event_id")) asked = *param;
    }
    std::uint64_t last = events.latest();
    if (!asked.empty()) std::from_chars(asked.data(), asked.data() + asked.size(), last);
    std::uint64_t sent = 0;
    // One write at a time with the header timeout, through a send buffer of 64 KiB: what waits
    // for a subscriber is at most that and a few pointers to the hub's events. One that stops
    // reading fills it and is dropped when the timeout ends (it may resume with Last-Event-ID).
    boost::system::error_code option_error;
    stream.socket().set_option(net::socket_base::send_buffer_size(64 * 1024), option_error);
    const auto write = [&](const auto& buffers) -> IoTask<bool> {
        stream.expires_after(config.header_timeout);
        auto [ec, n] = co_await net::async_write(stream, buffers, tuple_awaitable);
        sent += n;
        co_return !ec;
    };
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n"
        "Server: crossrate\r\nX-Request-Id: " +
        std::string(request_id) + "\r\nAccess-Control-Allow-Origin: *\r\n\r\n";
    if (!co_await write(net::buffer(head))) co_return sent;
    auto subscriber = std::make_shared<Events::Subscriber>(stream.get_executor());
    events.subscribe(subscriber);
    static constexpr std::string_view heartbeat = ": heartbeat\n\n";
    for (;;) {
        // A few at a time, each sent from the hub's own copy.
        for (auto batch = events.since(last); !batch.empty(); batch = events.since(last)) {
            for (const auto& [id, data] : batch) {
                const std::string prefix = "id: " + std::to_string(id) + "\nevent: revision\ndata: ";
                const std::array<net::const_buffer, 3> event{net::buffer(prefix), net::buffer(*data), net::buffer("\n\n", 2)};
                if (!co_await write(event)) {
                    events.unsubscribe(subscriber.get());
                    co_return sent;
                }
                last = id;
            }
        }
        if (events.closed() || ctx.stopping.load()) break;
        // Published while this was writing: its wake-up found no wait to cancel, so look again
        // rather than sleep until the heartbeat. (The wake-up is posted to this connection's thread,
        // so it cannot slip in between this look and the wait.)
        if (events.latest() > last) continue;
        subscriber->timer.expires_after(config.sse_heartbeat);
        entry.idle = true;
        auto [ec] = co_await subscriber->timer.async_wait(tuple_awaitable);
        entry.idle = false;
        if (!ec && !co_await write(net::buffer(heartbeat.data(), heartbeat.size()))) break;
    }
    events.unsubscribe(subscriber.get());
    co_return sent;
}

// The answer of a request that is not the I/O threads' work (see App::lane_of): on the compute
// pool or in the write lane, with a deadline counted from the request's arrival (503 at once
// when full), and the bad-token throttle around writes: an address that keeps sending wrong
// tokens is answered 429 before its write is looked at.
IoTask<App::Outcome> computed(SessionContext& ctx, const Request& request, std::string_view request_id,
                                      const std::string& address, App::Lane lane,
                                      std::chrono::steady_clock::time_point started) {
    const bool write = request.method() == http::verb::post && lane == App::Lane::write;
    long wait = 0;
    if (write && ctx.throttle.blocked(address, started, &wait)) {
        ctx.metrics.throttled.fetch_add(1, std::memory_order_relaxed);
        auto outcome = ctx.app.refuse(
            request, request_id,
            Error(Errc::too_many_requests, "too many writes with a wrong or missing token from this address; retry in " +
                                               std::to_string(wait) + " s",
                  "Authorization"));
        outcome.response.set(http::field::retry_after, std::to_string(wait));
        co_return outcome;
    }
    ComputePool& pool = lane == App::Lane::write ? ctx.writes : ctx.compute;
    const Cancellation cancel(started + ctx.app.config().compute_timeout, &pool.cancelled());
    auto answered = co_await pool.run<IoExecutor>([&] { return ctx.app.handle(request, request_id, cancel); });
    if (!answered) {
        co_return ctx.app.refuse(
            request, request_id,
            Error(Errc::overloaded, std::string(write ? "the server is busy writing; " : "the server is busy computing; ") +
                                        std::to_string(pool.capacity()) + " requests are running or waiting. Retry shortly"));
    }
    const auto status = answered->response.result();
    if (write && (status == http::status::unauthorized || status == http::status::forbidden)) {
        ctx.metrics.bad_tokens.fetch_add(1, std::memory_order_relaxed);
        ctx.throttle.failed(address, started);
    }
    co_return std::move(*answered);
}

}  // namespace

Connections::Admission Connections::admit(const std::string& address, std::size_t max, std::size_t max_per_client) {
    std::lock_guard lock(mutex_);
    if (admitted_ >= max) return Admission::server_full;
    const auto mine = by_address_.find(address);
    if (mine != by_address_.end() && mine->second >= max_per_client) return Admission::client_full;
    ++by_address_[address];
    ++admitted_;
    return Admission::admitted;
}

void Connections::release(const std::string& address) {
    std::lock_guard lock(mutex_);
    --admitted_;
    const auto it = by_address_.find(address);
    if (it != by_address_.end() && --it->second == 0) by_address_.erase(it);
}

void Connections::add(Entry* e) {
    std::lock_guard lock(mutex_);
    entries_.insert(e);
}

void Connections::remove(Entry* e) {
    std::lock_guard lock(mutex_);
    entries_.erase(e);
}

std::size_t Connections::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

void Connections::wake_idle() {
    std::lock_guard lock(mutex_);
    for (Entry* e : entries_) {
        // On the connection's own thread, where `idle` lives; an entry is removed (under this
        // mutex) before its stream dies, and the posted check takes the mutex again.
        net::post(e->stream->get_executor(), [this, e] {
            std::lock_guard inner(mutex_);
            if (entries_.count(e) != 0 && e->idle) e->stream->cancel();
        });
    }
}

IoTask<> run_session(IoSocket socket, std::string address, SessionContext ctx) {
    const Config& config = ctx.app.config();
    boost::system::error_code ignored;
    const auto endpoint = socket.remote_endpoint(ignored);
    const std::string remote = address + ":" + std::to_string(endpoint.port());
    IoStream stream(std::move(socket));
    stream.socket().non_blocking(true, ignored);  // for write_now
    // An answer is written whole, at once: Nagle's wait gains nothing and costs a delayed ACK
    // (40 ms) whenever one is sent while the last is unacknowledged (pipelined requests, a
    // stream's events).
    stream.socket().set_option(net::ip::tcp::no_delay(true), ignored);
    Registration registration(ctx.connections, ctx.metrics, stream, std::move(address));
    // Kept across requests: pipelined bytes wait here. It holds at most a header's worth of
    // unparsed bytes (bodies pass through it in pieces), so a chunked body's trailer counts
    // against the header limit too: one that does not fit is a 431, and never reaches Beast's
    // field table, which throws on a value of 64 KiB.
    beast::flat_buffer buffer(config.header_limit);
    bool server_closes = false;  // after an answer that said so (not the client gone, or a timeout)

    for (;;) {
        if (buffer.size() == 0) {
            // Idle: wait for the next request's first bytes.
            if (ctx.stopping.load()) break;
            registration.entry().idle = true;
            stream.expires_after(config.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(std::min<std::size_t>(4096, buffer.max_size())),
                                                          tuple_awaitable);
            registration.entry().idle = false;
            if (ec) break;  // closed by the client, idle too long, or woken for shutdown
            buffer.commit(n);
        }
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
        // The body's limit is known once the header is: a writer's CSV import may be larger
        // than any other body, and takes longer to send. (The parser checks Content-Length
        // against its limit as the header ends, so that check is made here.)
        parser.body_limit(std::max(config.body_limit, config.import_limit));
        // The whole header is most often in the buffer already: it is parsed here, without a
        // trip through the reactor; only a part of one waits for the rest (async_read_header
        // parses the same way, and applies the same limits).
        boost::system::error_code read_error;
        buffer.consume(parser.put(buffer.data(), read_error));
        if (read_error == http::error::need_more) {
            read_error = {};
            stream.expires_after(config.header_timeout);
            auto [header_error, header_bytes] = co_await http::async_read_header(stream, buffer, parser, tuple_awaitable);
            read_error = header_error;
        }
        if (!read_error && !parser.is_done()) {
            const bool import = ctx.app.is_import(parser.get());
            const std::size_t limit = import ? config.import_limit : config.body_limit;
            if (parser.content_length().value_or(0) > limit) {
                read_error = http::error::body_limit;
            } else {
                parser.body_limit(limit);
                // The body has the header's time, counted from now (the header may have come
                // at the end of an idle wait, whose deadline must not carry over).
                stream.expires_after(import ? config.header_timeout * 10 : config.header_timeout);
                auto [body_error, body_bytes] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
                read_error = body_error;
            }
        }
        if (read_error) {
            if (read_error == http::error::end_of_stream || read_error == beast::error::timeout ||
                read_error == net::error::operation_aborted || read_error == net::error::connection_reset) {
                break;
            }
            stream.expires_after(config.header_timeout);
            co_await beast::async_write(stream, http::message_generator(refusal(read_error)), tuple_awaitable);
            server_closes = true;
            break;
        }

        const auto started = std::chrono::steady_clock::now();
        const Request& request = parser.get();  // lives as long as the parser, this request's turn
        const RequestId id(request);
        const std::string_view request_id = id.view();
        if (ctx.events != nullptr && is_events(request) && is_stream(ctx.app.handle(request, request_id))) {
            // The connection becomes the stream; it ends with it.
            const std::uint64_t bytes = co_await stream_events(stream, request, ctx, registration.entry(), request_id);
            const auto ended = std::chrono::steady_clock::now();
            const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(ended - started);
            ctx.log.access({request.method_string(), request.target(), 200, bytes, elapsed.count(), request_id, remote, ended});
            break;
        }
        // A repeated read: its answer is ready to send, but for the request's id. Anything else
        // is the App's to answer, here or on a pool: a read's 200 made ready the same way, the
        // rest as a response. Either goes out as head and body.
        auto ready = ctx.stopping.load() ? nullptr : ctx.app.ready_answer(request, started);
        std::optional<App::Outcome> outcome;  // made only when the answer is not ready (a Response is not free)
        if (ready == nullptr) {
            ctx.metrics.in_flight.fetch_add(1, std::memory_order_relaxed);
            // Quick answers are made right here, without a coroutine of their own. (Not as a ?:
            // with a co_await in one arm: GCC 12 miscompiles that.)
            const App::Lane lane = ctx.app.lane_of(request);
            if (lane == App::Lane::io) {
                outcome = ctx.app.handle(request, request_id, {}, true);
            } else {
                outcome = co_await computed(ctx, request, request_id, registration.entry().address, lane, started);
            }
            ctx.metrics.in_flight.fetch_sub(1, std::memory_order_relaxed);
            ready = std::move(outcome->ready);
        }
        std::string head;
        Wire wire;
        bool keep_alive = true;
        std::size_t route = 0;
        unsigned status = 200;
        std::uint64_t bytes = 0;
        if (ready != nullptr) {
            // Said, when the server is stopping: it closes the connection after this answer.
            keep_alive = !ctx.stopping.load();
            const std::string_view end = keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
            wire = {net::buffer(ready->wire_head), net::buffer(request_id), net::buffer(end.data(), end.size()),
                    net::buffer(ready->reply.body)};
            route = ready->route;
            bytes = ready->reply.body.size();
        } else {
            if (ctx.stopping.load()) outcome->response.keep_alive(false);
            keep_alive = outcome->response.keep_alive();
            route = outcome->route;
            status = outcome->response.result_int();
            bytes = outcome->response.body().size();
            head = serialize_head(outcome->response);
            wire = {net::buffer(head), net::const_buffer(), net::const_buffer(), net::buffer(outcome->response.body())};
        }
        const auto ready_at = std::chrono::steady_clock::now();
        const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(ready_at - started);
        ctx.metrics.record(route, status, elapsed);
        ctx.log.access({request.method_string(), request.target(), status, bytes, elapsed.count(), request_id, remote, ready_at});
        const std::size_t total = beast::buffer_bytes(wire);
        std::size_t sent = 0;
        if (!write_now(stream, wire, ready, sent)) break;
        if (sent < total) {
            beast::buffers_suffix rest(wire);
            rest.consume(sent);
            stream.expires_after(config.header_timeout);
            auto [write_error, written] = co_await net::async_write(stream, rest, tuple_awaitable);
            if (write_error) break;
        }
        if (!keep_alive) {
            server_closes = true;
            break;
        }
    }
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    // After its last answer, with more of the client's requests unread (pipelined past a stop or
    // a refusal), the server reads them away until the client has read its answers and closed
    // (within the header timeout, and the shutdown's deadline when stopping).
    if (server_closes && stream.socket().available(ignored) > 0) {
        co_await drain_before_close(stream, config.header_timeout, 1 << 20);
    }
    stream.close();
}

void release_thread_buffers() noexcept {
    one_buffer.reply.reset();
    one_buffer.bytes = std::string();
    ReplyCache::forget_thread_hit();
}

IoTask<> refuse_busy(IoSocket socket, std::string detail) {
    IoStream stream(std::move(socket));
    Response res = problem_response(Error(Errc::overloaded, std::move(detail), "connection"), "");
    stream.expires_after(std::chrono::seconds(2));
    co_await beast::async_write(stream, http::message_generator(std::move(res)), tuple_awaitable);
    boost::system::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    co_await drain_before_close(stream, std::chrono::milliseconds(250), 64 * 1024);  // a moment: the server is full
}

}  // namespace crossrate::server
