#pragma once
// The server's settings: flags first, then CROSSRATE_* environment variables, then defaults.

#include "pricing/error.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace crossrate::server {

enum class LogLevel { debug, info, warn, error, off };

// The largest --header-limit: Beast's field table throws on a field value of 65,534 bytes or
// more, which a header of at most this many bytes cannot hold.
inline constexpr std::size_t max_header_limit = 65'535;

struct Config {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;
    unsigned threads = 0;  // 0: one per core
    std::string fixtures;  // the dataset folder; empty: <bin>/../share/crossrate
    std::string data_dir = "var";  // the server's durable state (the revision log)
    std::string store = "sqlite";  // or a PostgreSQL URI: the log a fleet shares
    std::chrono::milliseconds revision_wait{2000};  // a read of revision=N above this replica's
    std::string web_dir;   // the dashboard's files; empty: <bin>/../share/crossrate-web
    std::string tokens_file;       // writers' tokens, name:secret per line
    std::string tokens;            // writers' tokens, name:secret,name:secret (never printed)
    std::vector<std::string> cors_origins{"*"};
    LogLevel log_level = LogLevel::info;

    std::size_t header_limit = 8 * 1024;
    std::size_t body_limit = 1024 * 1024;
    std::size_t import_limit = 64 * 1024 * 1024;  // a writer's text/csv write
    std::chrono::milliseconds header_timeout{10'000};  // to read a request once it has begun
    std::chrono::milliseconds idle_timeout{30'000};    // between requests on a kept-alive connection
    std::chrono::milliseconds shutdown_timeout{10'000};
    std::chrono::milliseconds sse_heartbeat{15'000};  // a comment line to idle /v1/events subscribers
    std::size_t max_connections = 10'000;
    std::size_t max_batch = 1'000;
    std::size_t max_series_points = 10'000;
    std::size_t max_connections_per_client = 0;  // from one address; 0: half of max_connections
    std::size_t bad_token_limit = 10;          // per address and minute, then 429 for its writes
    std::size_t cache_entries = 4096;          // rendered GET answers kept per revision
    std::size_t cache_max_body = 256 * 1024;   // larger answers are not kept; 0 turns the cache off
    std::size_t cache_bytes = 64 << 20;        // what the kept answers may hold in all

    // Compute: what may take long runs on its own pool, within budgets checked before it starts.
    unsigned compute_threads = 0;             // 0: one per core
    std::size_t compute_queue = 64;           // requests waiting for a worker before 503
    std::chrono::milliseconds compute_timeout{10'000};  // a computation stops (503) past this
    std::uint64_t scenario_budget = 4'000'000;  // margin evaluations in one POST /v1/scenarios
    std::size_t max_answer_bytes = 8 << 20;     // the largest computed answer (scenarios, batches)

    // "address=127.0.0.1 port=8080 ..." for the start-up line.
    std::string describe() const;
};

struct ParsedConfig {
    Config config;
    bool help = false;
};

// argv after the program name; `env` looks a variable up (std::getenv in main).
Result<ParsedConfig> parse_config(const std::vector<std::string>& args, const char* (*env)(const char*));
std::string config_help();

}  // namespace crossrate::server
