#pragma once
// A throwaway fleet on loopback for a test: a PostgreSQL cluster of its own (initdb in a temp
// directory, as the `postgres` system user when the test runs as root), crossrate-server
// replicas sharing it as their store, and HAProxy in front of them with deploy/haproxy.cfg.
// Everything is stopped and removed when the fleet goes out of scope.

#include "tests/server/server_process.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <pwd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace crossrate::test {

inline unsigned short free_port() {
    net::io_context io;
    tcp::acceptor a(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();
}

// Runs a command (argv), as `user` when given; its exit status.
inline int run_command(std::vector<std::string> args, const char* user = nullptr, const std::string& log = "/dev/null") {
    if (user != nullptr) args.insert(args.begin(), {"/usr/sbin/runuser", "-u", user, "--"});
    const pid_t pid = spawn(std::move(args), log, true);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class Postgres {
public:
    static constexpr const char* bin = "/usr/lib/postgresql/15/bin/";

    // Tests run without fsync (a throwaway cluster); the benchmark with it, as deployed.
    enum class Durability { none, fsync };

    explicit Postgres(Durability durability = Durability::none) : port_(free_port()), durability_(durability) {
        dir_ = std::filesystem::temp_directory_path() / ("crossrate-pg-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir_);
        // initdb refuses root: the cluster belongs to the postgres system user then.
        if (::geteuid() == 0) {
            const passwd* pg = ::getpwnam("postgres");
            if (pg == nullptr) throw std::runtime_error("no postgres system user (apt install postgresql-15)");
            user_ = "postgres";
            std::filesystem::permissions(dir_, std::filesystem::perms::all);
            ::chown(dir_.c_str(), pg->pw_uid, pg->pw_gid);
        }
        if (run_command({std::string(bin) + "initdb", "-D", (dir_ / "data").string(), "-A", "trust", "-U", "crossrate",
                         "--no-sync"},
                        user(), (dir_ / "initdb.log").string()) != 0) {
            throw std::runtime_error("initdb failed: see " + (dir_ / "initdb.log").string());
        }
        start();
        if (run_command({"/usr/bin/psql", "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "crossrate", "-d", "postgres",
                         "-qc", "CREATE DATABASE crossrate"}) != 0) {
            throw std::runtime_error("CREATE DATABASE failed");
        }
    }
    ~Postgres() {
        run_command({std::string(bin) + "pg_ctl", "-D", (dir_ / "data").string(), "-m", "immediate", "stop"}, user());
        std::filesystem::remove_all(dir_);
    }
    Postgres(const Postgres&) = delete;
    Postgres& operator=(const Postgres&) = delete;

    void start() {
        const std::string options = "-p " + std::to_string(port_) + " -k " + dir_.string() +
                                    " -c listen_addresses=127.0.0.1 -c max_connections=50" +
                                    (durability_ == Durability::none ? " -c fsync=off" : "");
        if (run_command({std::string(bin) + "pg_ctl", "-D", (dir_ / "data").string(), "-o", options, "-l",
                         (dir_ / "server.log").string(), "-w", "start"},
                        user()) != 0) {
            throw std::runtime_error("pg_ctl start failed");
        }
    }
    void stop() { run_command({std::string(bin) + "pg_ctl", "-D", (dir_ / "data").string(), "-m", "fast", "-w", "stop"}, user()); }

    std::string uri() const { return "postgresql://crossrate@127.0.0.1:" + std::to_string(port_) + "/crossrate"; }

private:
    const char* user() const { return user_.empty() ? nullptr : user_.c_str(); }
    std::filesystem::path dir_;
    unsigned short port_;
    Durability durability_;
    std::string user_;
};

class HaProxy {
public:
    HaProxy(const std::vector<unsigned short>& replicas) : port_(free_port()) {
        log_ = std::filesystem::temp_directory_path() / ("crossrate-haproxy-" + std::to_string(std::random_device{}()) + ".log");
        // deploy/haproxy.cfg reads its addresses from the environment; fewer than three
        // replicas repeat the last.
        std::vector<std::pair<std::string, std::string>> env{{"CROSSRATE_LB_BIND", "127.0.0.1:" + std::to_string(port_)}};
        for (std::size_t i = 0; i < 3; ++i) {
            const unsigned short p = replicas.at(i < replicas.size() ? i : replicas.size() - 1);
            env.emplace_back("CROSSRATE_REPLICA_" + std::to_string(i + 1), "127.0.0.1:" + std::to_string(p));
        }
        pid_ = spawn({"/usr/sbin/haproxy", "-db", "-f", CROSSRATE_HAPROXY_CFG}, log_.string(), false, env);
        // Up once it accepts, and once its health checks have found the replicas.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < deadline) {
            try {
                Client c(port_, std::chrono::seconds(2));
                if (c.get("/readyz").result_int() == 200) return;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        throw std::runtime_error("haproxy did not start");
    }
    ~HaProxy() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        std::filesystem::remove(log_);
    }
    unsigned short port() const noexcept { return port_; }

private:
    unsigned short port_;
    pid_t pid_ = -1;
    std::filesystem::path log_;
};

// Replicas sharing `pg`, each on a port of its own kept across restarts.
class Replicas {
public:
    Replicas(const Postgres& pg, std::size_t n, std::vector<std::string> extra = {}) : uri_(pg.uri()), extra_(std::move(extra)) {
        for (std::size_t i = 0; i < n; ++i) ports_.push_back(free_port());
        for (std::size_t i = 0; i < n; ++i) servers_.push_back(start(i));
    }
    std::unique_ptr<ServerProcess> start(std::size_t i) const {
        std::vector<std::string> args{"--port", std::to_string(ports_[i]), "--store", uri_, "--tokens", "analyst:s3cret-token"};
        args.insert(args.end(), extra_.begin(), extra_.end());
        return std::make_unique<ServerProcess>(args);
    }
    void restart(std::size_t i) { servers_[i] = start(i); }
    ServerProcess& operator[](std::size_t i) { return *servers_[i]; }
    const std::vector<unsigned short>& ports() const noexcept { return ports_; }
    std::size_t size() const noexcept { return servers_.size(); }

private:
    std::string uri_;
    std::vector<std::string> extra_;
    std::vector<unsigned short> ports_;
    std::vector<std::unique_ptr<ServerProcess>> servers_;
};

}  // namespace crossrate::test
