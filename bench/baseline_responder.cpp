// The baseline for the HTTP benchmark: a minimal Beast keep-alive responder that does no
// work, built the way crossrate-server's session is (an io_context per thread, each connection
// on one of them without a strand, coroutines, one flat_buffer per connection, a fresh parser
// per request fed from that buffer, timeouts, one write), so the ratio measures what crossrate
// adds on top of Beast itself.
//
//   baseline-responder PORT [THREADS] [ANSWER_FILE] [--parked-thread]
//
// ANSWER_FILE, if given, holds a whole keep-alive answer as sent (head and body, e.g. from
// `curl -si URL`): the responder then writes those bytes instead of its own 97-byte answer, to
// measure what the answer's size alone costs (bench/README.md). --parked-thread starts one more
// thread that only waits, to measure what being a process of several threads costs every
// request (the server always is one: its compute pool, its log's flusher). http_load.sh uses
// neither.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_generator.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// As the server names a connection's I/O: by its io_context's own executor.
using IoExecutor = net::io_context::executor_type;
using IoSocket = net::basic_stream_socket<tcp, IoExecutor>;
using IoStream = beast::basic_stream<tcp, IoExecutor>;
template <class T = void>
using IoTask = net::awaitable<T, IoExecutor>;
constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable_t<IoExecutor>{});

// One pre-rendered answer, written as one buffer, as crossrate-server writes its answers: a
// fixed 97-byte JSON body, so the baseline is at least as cheap as what it measures.
constexpr std::string_view body = R"({"amount":5000,"from":"CNY","to":"USD","date":"2022-12-15","result":717.96,"kind":"official"}    )";
std::string keep_alive_answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
std::string closing_answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + std::string(body);

IoTask<> session(IoSocket socket) {
    IoStream stream(std::move(socket));
    boost::system::error_code ignored;
    stream.socket().non_blocking(true, ignored);
    stream.socket().set_option(tcp::no_delay(true), ignored);  // as the server's
    beast::flat_buffer buffer(8192);
    for (;;) {
        // Read as the server reads: the next request's first bytes into the buffer, its header
        // parsed from there (parser.put); only a partial one waits for the rest.
        if (buffer.size() == 0) {
            stream.expires_after(std::chrono::seconds(30));
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), tuple_awaitable);
            if (ec) break;
            buffer.commit(n);
        }
        http::request_parser<http::string_body> parser;
        parser.header_limit(8192);
        parser.body_limit(1 << 20);
        boost::system::error_code ec;
        buffer.consume(parser.put(buffer.data(), ec));
        if (ec == http::error::need_more) {
            stream.expires_after(std::chrono::seconds(10));
            ec = std::get<0>(co_await http::async_read_header(stream, buffer, parser, tuple_awaitable));
        }
        if (!ec && !parser.is_done()) {
            ec = std::get<0>(co_await http::async_read(stream, buffer, parser, tuple_awaitable));
        }
        if (ec) break;
        const bool keep_alive = parser.get().keep_alive();
        const std::string& answer = keep_alive ? keep_alive_answer : closing_answer;
        // As the server writes: what the send buffer takes at once, the rest asynchronously.
        boost::system::error_code send_error;
        const std::size_t now = stream.socket().write_some(net::buffer(answer), send_error);
        if (send_error && send_error != net::error::would_block && send_error != net::error::try_again) break;
        if (now < answer.size()) {
            auto [write_error, written] = co_await net::async_write(stream, net::buffer(answer) + now, tuple_awaitable);
            if (write_error) break;
        }
        if (!keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

net::awaitable<void> listen(tcp::acceptor& acceptor, std::vector<std::unique_ptr<net::io_context>>& contexts) {
    for (std::size_t next = 0;; ++next) {
        // As the server does: each connection to the next thread's io_context, for its whole life.
        net::io_context& to = *contexts[next % contexts.size()];
        auto [ec, socket] = co_await acceptor.async_accept(to.get_executor(), net::as_tuple(net::use_awaitable));
        if (ec) continue;
        const auto executor = socket.get_executor();
        net::co_spawn(executor, session(std::move(socket)), net::detached);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string_view> args;
    bool parked_thread = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--parked-thread") {
            parked_thread = true;
        } else {
            args.push_back(arg);
        }
    }
    if (args.empty()) {
        std::fprintf(stderr, "usage: baseline-responder PORT [THREADS] [ANSWER_FILE] [--parked-thread]\n");
        return 2;
    }
    const auto port = static_cast<unsigned short>(std::atoi(args[0].data()));
    const int threads = args.size() > 1 ? std::atoi(args[1].data()) : 1;
    if (args.size() > 2) {
        std::ifstream file(std::string(args[2]), std::ios::binary);
        keep_alive_answer.assign(std::istreambuf_iterator<char>(file), {});
        const auto end = keep_alive_answer.find("\r\n\r\n");
        if (!file || end == std::string::npos) {
            std::fprintf(stderr, "baseline-responder: %s holds no HTTP answer\n", args[2].data());
            return 2;
        }
        closing_answer = keep_alive_answer;
        closing_answer.insert(end + 2, "Connection: close\r\n");
    }
    std::vector<std::unique_ptr<net::io_context>> contexts;
    for (int i = 0; i < std::max(1, threads); ++i) contexts.push_back(std::make_unique<net::io_context>(1));
    tcp::acceptor acceptor(*contexts.front(), tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    net::co_spawn(*contexts.front(), listen(acceptor, contexts), net::detached);
    std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < contexts.size(); ++i) {
        keep_running.push_back(net::make_work_guard(*contexts[i]));
        pool.emplace_back([&contexts, i] { contexts[i]->run(); });
    }
    if (parked_thread) {
        // Never joined: it waits until the process ends.
        std::thread([] {
            for (;;) std::this_thread::sleep_for(std::chrono::hours(24));
        }).detach();
    }
    contexts.front()->run();
    for (auto& t : pool) t.join();
}
