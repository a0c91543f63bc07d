#pragma once
// The real crossrate-server binary, started on a free loopback port for a test, with its
// standard output captured to a file; and a small blocking HTTP client for talking to it.

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace crossrate::test {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// A field of a process's /proc status (VmRSS, VmHWM), in MiB; -1 when it cannot be read.
inline double memory_mib(pid_t pid, const char* field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field, 0) == 0) return std::stod(line.substr(line.find(':') + 1)) / 1024.0;
    }
    return -1;
}

// Starts `args` (argv[0] a path) with its output to `log` (appended to, or truncated first) and
// `env` set in the child; the child's pid.
inline pid_t spawn(std::vector<std::string> args, const std::string& log, bool append = false,
                   const std::vector<std::pair<std::string, std::string>>& env = {}) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

class ServerProcess {
public:
    // Without `data_dir`, the server gets a fresh data directory of its own, removed afterwards.
    explicit ServerProcess(std::vector<std::string> extra_args = {}, std::filesystem::path data_dir = {}) {
        log_path_ = std::filesystem::temp_directory_path() /
                    ("crossrate-server-" + std::to_string(std::random_device{}()) + ".log");
        owns_data_dir_ = data_dir.empty();
        data_dir_ = owns_data_dir_ ? std::filesystem::temp_directory_path() /
                                         ("crossrate-data-" + std::to_string(std::random_device{}()))
                                   : data_dir;
        std::vector<std::string> args{CROSSRATE_SERVER, "--address", "127.0.0.1", "--port", "0", "--threads", "2",
                                      "--data-dir", data_dir_.string()};
        // Before the server's own options: "--as-nobody" runs it as an unprivileged user (for
        // permission tests as root); "--nofile=N" with at most N open files (ulimit -n).
        while (!extra_args.empty() && extra_args.front().starts_with("--as-nobody")) {
            extra_args.erase(extra_args.begin());
            args.insert(args.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
        }
        if (!extra_args.empty() && extra_args.front().starts_with("--nofile=")) {
            const std::string n = extra_args.front().substr(9);
            extra_args.erase(extra_args.begin());
            args.insert(args.begin(), {"/usr/bin/prlimit", "--nofile=" + n + ":" + n, "--"});
        }
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        pid_ = spawn(std::move(args), log_path_.string());
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string text = log();
            const auto at = text.find("listening on http://127.0.0.1:");
            if (at != std::string::npos) {
                port_ = static_cast<unsigned short>(std::stoi(text.substr(at + 30)));
                return;
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("crossrate-server exited at start:\n" + text);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        throw std::runtime_error("crossrate-server did not start:\n" + log());
    }

    ~ServerProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        std::filesystem::remove(log_path_);
        if (owns_data_dir_) std::filesystem::remove_all(data_dir_);
    }

    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    unsigned short port() const noexcept { return port_; }
    pid_t pid() const noexcept { return pid_; }
    const std::filesystem::path& data_dir() const noexcept { return data_dir_; }

    std::string log() const {
        std::ifstream in(log_path_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    void signal(int sig) const { ::kill(pid_, sig); }

    // The server's resident memory (VmRSS), in MiB.
    double resident_mib() const { return memory_mib(pid_, "VmRSS"); }

    // The largest file the server may write (its soft ulimit -f), set while it runs.
    void limit_file_size(rlim_t bytes) const {
        rlimit limit{};
        if (::prlimit(pid_, RLIMIT_FSIZE, nullptr, &limit) != 0) throw std::runtime_error("prlimit failed");
        limit.rlim_cur = std::min(bytes, limit.rlim_max);
        if (::prlimit(pid_, RLIMIT_FSIZE, &limit, nullptr) != 0) throw std::runtime_error("prlimit failed");
    }

    // The exit status, or nullopt if the process is still running after `timeout`.
    std::optional<int> wait(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return std::nullopt;
    }

private:
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    std::filesystem::path log_path_;
    std::filesystem::path data_dir_;
    bool owns_data_dir_ = true;
};

// A blocking connection with a receive timeout, so a test fails instead of hanging.
class Client {
public:
    // `from`: the loopback address the connection comes from (127.0.0.2 is another client).
    // `receive_buffer`: a slow reader's, set before the connection is made (the window it
    // offers follows; set later, the kernel drops what no longer fits and retransmits slowly).
    explicit Client(unsigned short port, std::chrono::milliseconds timeout = std::chrono::seconds(5),
                    const char* from = nullptr, int receive_buffer = 0)
        : socket_(ioc_) {
        if (from != nullptr || receive_buffer != 0) socket_.open(tcp::v4());
        if (receive_buffer != 0) {
            ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
        }
        if (from != nullptr) socket_.bind(tcp::endpoint(net::ip::make_address(from), 0));
        socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    void send(std::string_view bytes) { net::write(socket_, net::buffer(bytes.data(), bytes.size())); }

    // The socket, for a thread that writes while this one reads (it must not use the Client).
    int native_handle() { return socket_.native_handle(); }

    // A client that reads slowly: the kernel holds at most `bytes` of what the server sends.
    void shrink_receive_buffer(int bytes) {
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    }

    // An attack's request: the server may refuse and close before it is all sent. The answer,
    // or nullopt when the connection was reset before one could be read.
    std::optional<http::response<http::string_body>> send_and_read(std::string_view bytes) {
        boost::system::error_code ec;
        net::write(socket_, net::buffer(bytes.data(), bytes.size()), ec);
        try {
            return read();
        } catch (const boost::system::system_error&) {
            return std::nullopt;
        }
    }

    http::response<http::string_body> read(bool head = false) {
        http::response_parser<http::string_body> parser;
        parser.skip(head);
        parser.body_limit(64 << 20);
        Timed timed{socket_.native_handle()};
        http::read(timed, buffer_, parser);
        return parser.release();
    }

    http::response<http::string_body> get(std::string_view target, std::string_view extra_headers = "") {
        send("GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra_headers) + "\r\n");
        return read();
    }

    http::response<http::string_body> post(std::string_view target, std::string_view body,
                                           std::string_view extra_headers = "") {
        send("POST " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
             std::string(extra_headers) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
             std::string(body));
        return read();
    }

    // Raw bytes until `needle` has arrived (or the receive timeout / end of stream): for
    // streams such as Server-Sent Events.
    std::string read_until(std::string_view needle) {
        std::string text(static_cast<const char*>(buffer_.data().data()), buffer_.size());
        buffer_.consume(buffer_.size());
        char chunk[4096];
        Timed timed{socket_.native_handle()};
        while (text.find(needle) == std::string::npos) {
            boost::system::error_code ec;
            const std::size_t n = timed.read_some(net::buffer(chunk), ec);
            if (ec) break;
            text.append(chunk, n);
        }
        return text;
    }

    // True when the server has closed the connection (a read finds the end of the stream).
    bool closed_by_server() {
        boost::system::error_code ec;
        char byte;
        Timed{socket_.native_handle()}.read_some(net::buffer(&byte, 1), ec);
        return ec == net::error::eof || ec == net::error::connection_reset;
    }

private:
    // The socket read with its receive timeout kept: Asio's own synchronous read waits again,
    // without one, when the timeout ends a wait, so a lost answer would hang the test.
    struct Timed {
        int fd;
        template <class Buffers>
        std::size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
            const net::mutable_buffer first = *net::buffer_sequence_begin(buffers);
            ssize_t n = 0;
            do {
                n = ::recv(fd, first.data(), first.size(), 0);
            } while (n < 0 && errno == EINTR);
            if (n > 0) {
                ec = {};
                return static_cast<std::size_t>(n);
            }
            if (n == 0) {
                ec = net::error::eof;
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                ec = net::error::timed_out;
            } else {
                ec = boost::system::error_code(errno, boost::system::system_category());
            }
            return 0;
        }
        template <class Buffers>
        std::size_t read_some(const Buffers& buffers) {
            boost::system::error_code ec;
            const std::size_t n = read_some(buffers, ec);
            if (ec) throw boost::system::system_error(ec);
            return n;
        }
    };

    net::io_context ioc_;
    tcp::socket socket_;
    boost::beast::flat_buffer buffer_;
};

}  // namespace crossrate::test
