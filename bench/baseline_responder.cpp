// The baseline for the HTTP benchmark: a minimal Beast keep-alive responder that does no
// work, built the way crossrate-server's session is (coroutines, one flat_buffer per
// connection, a fresh parser per request fed from that buffer, timeouts, one write), so the
// ratio measures what crossrate adds on top of Beast itself.
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
#include <boost/asio/strand.hpp>
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

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
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

constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

// One pre-rendered answer, written as one buffer, as crossrate-server writes its answers: a
// fixed 97-byte JSON body, so the baseline is at least as cheap as what it measures.
constexpr std::string_view body = R"({"amount":5000,"from":"CNY","to":"USD","date":"2022-12-15","result":717.96,"kind":"official"}    )";
std::string keep_alive_answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
std::string closing_answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + std::string(body);

net::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
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

net::awaitable<void> listen(tcp::acceptor& acceptor, net::io_context& ioc) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc), tuple_awaitable);
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
    net::io_context ioc(threads);
    tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    net::co_spawn(ioc, listen(acceptor, ioc), net::detached);
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    if (parked_thread) {
        // Never joined: it waits until the process ends.
        std::thread([] {
            for (;;) std::this_thread::sleep_for(std::chrono::hours(24));
        }).detach();
    }
    ioc.run();
    for (auto& t : pool) t.join();
}
