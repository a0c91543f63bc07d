#include "server/config.hpp"

#include <algorithm>

#include <charconv>
#include <functional>
#include <sstream>

namespace crossrate::server {
namespace {

using Setter = std::function<Result<void>(Config&, std::string_view)>;

struct Setting {
    std::string_view flag;  // --port
    std::string_view env;   // CROSSRATE_PORT
    std::string_view help;
    Setter set;
};

Result<std::uint64_t> whole(std::string_view name, std::string_view text, std::uint64_t min, std::uint64_t max) {
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < min || n > max) {
        return Error(Errc::invalid_parameter, std::string(name) + " must be a whole number from " + std::to_string(min) +
                                                  " to " + std::to_string(max) + ", not '" + std::string(text) + "'",
                     std::string(name));
    }
    return n;
}

template <class Field>
Setter number(Field Config::*field, std::string_view name, std::uint64_t min, std::uint64_t max) {
    return [=](Config& c, std::string_view v) -> Result<void> {
        auto n = whole(name, v, min, max);
        if (!n) return n.error();
        c.*field = static_cast<Field>(*n);
        return {};
    };
}

Setter millis(std::chrono::milliseconds Config::*field, std::string_view name) {
    return [=](Config& c, std::string_view v) -> Result<void> {
        auto n = whole(name, v, 1, 86'400'000);
        if (!n) return n.error();
        c.*field = std::chrono::milliseconds(*n);
        return {};
    };
}

const std::vector<Setting>& settings() {
    static const std::vector<Setting> table = {
        {"--address", "CROSSRATE_ADDRESS", "address to listen on (127.0.0.1)",
         [](Config& c, std::string_view v) -> Result<void> {
             c.address = std::string(v);
             return {};
         }},
        {"--port", "CROSSRATE_PORT", "port to listen on, 0 for any free one (8080)",
         number(&Config::port, "port", 0, 65535)},
        {"--threads", "CROSSRATE_THREADS", "threads running the server (one per core)",
         number(&Config::threads, "threads", 1, 256)},
        {"--fixtures", "CROSSRATE_FIXTURES", "dataset folder (<bin>/../share/crossrate)",
         [](Config& c, std::string_view v) -> Result<void> {
             c.fixtures = std::string(v);
             return {};
         }},
        {"--data-dir", "CROSSRATE_DATA_DIR", "folder of the server's durable state: the revision log (./var)",
         [](Config& c, std::string_view v) -> Result<void> {
             if (v.empty()) return Error(Errc::invalid_parameter, "data-dir must not be empty", "data-dir");
             c.data_dir = std::string(v);
             return {};
         }},
        {"--store", "CROSSRATE_STORE",
         "the revision log: sqlite (in --data-dir) or a PostgreSQL URI postgresql://USER@HOST:PORT/DB?... shared by a fleet (sqlite)",
         [](Config& c, std::string_view v) -> Result<void> {
             if (v != "sqlite" && !v.starts_with("postgresql://") && !v.starts_with("postgres://")) {
                 return Error(Errc::invalid_parameter, "store must be sqlite or a postgresql:// connection URI", "store");
             }
             c.store = std::string(v);
             return {};
         }},
        {"--revision-wait-ms", "CROSSRATE_REVISION_WAIT_MS",
         "with a shared store: how long a read of revision=N waits for this replica to apply N before 503 (2000)",
         millis(&Config::revision_wait, "revision-wait-ms")},
        {"--web-dir", "CROSSRATE_WEB_DIR", "the dashboard's files, served at / (<bin>/../share/crossrate-web)",
         [](Config& c, std::string_view v) -> Result<void> {
             c.web_dir = std::string(v);
             return {};
         }},
        {"--tokens-file", "CROSSRATE_TOKENS_FILE", "writers' bearer tokens, one name:secret per line (none: writes refused)",
         [](Config& c, std::string_view v) -> Result<void> {
             c.tokens_file = std::string(v);
             return {};
         }},
        {"--tokens", "CROSSRATE_TOKENS", "writers' bearer tokens as name:secret,name:secret (prefer the file: argv is visible)",
         [](Config& c, std::string_view v) -> Result<void> {
             c.tokens = std::string(v);
             return {};
         }},
        {"--cors-origins", "CROSSRATE_CORS_ORIGINS", "origins allowed to read the API from a browser, comma-separated (*)",
         [](Config& c, std::string_view v) -> Result<void> {
             c.cors_origins.clear();
             for (std::size_t start = 0; start <= v.size();) {
                 const std::size_t end = std::min(v.find(',', start), v.size());
                 if (end > start) c.cors_origins.emplace_back(v.substr(start, end - start));
                 start = end + 1;
             }
             return {};
         }},
        {"--log-level", "CROSSRATE_LOG_LEVEL", "debug, info (access log), warn, error or off (info)",
         [](Config& c, std::string_view v) -> Result<void> {
             static const std::pair<std::string_view, LogLevel> levels[] = {
                 {"debug", LogLevel::debug}, {"info", LogLevel::info}, {"warn", LogLevel::warn},
                 {"error", LogLevel::error}, {"off", LogLevel::off}};
             for (const auto& [name, level] : levels) {
                 if (name == v) {
                     c.log_level = level;
                     return {};
                 }
             }
             return Error(Errc::invalid_parameter, "log level must be debug, info, warn, error or off", "log-level");
         }},
        // Beast's parser throws on a single field of 64 KiB; a header (or trailer) of at most
        // 65,535 bytes in all cannot hold one.
        {"--header-limit", "CROSSRATE_HEADER_LIMIT", "largest request header, and largest trailer, in bytes (8192; at most 65535)",
         number(&Config::header_limit, "header-limit", 512, max_header_limit)},
        {"--body-limit", "CROSSRATE_BODY_LIMIT", "largest request body in bytes (1048576)",
         number(&Config::body_limit, "body-limit", 0, 64 << 20)},
        {"--import-limit", "CROSSRATE_IMPORT_LIMIT",
         "largest text/csv write from a writer's token, in bytes (67108864; its body may take 10x --header-timeout-ms)",
         number(&Config::import_limit, "import-limit", 0, 1 << 30)},
        {"--header-timeout-ms", "CROSSRATE_HEADER_TIMEOUT_MS", "time to read a request once it has begun (10000)",
         millis(&Config::header_timeout, "header-timeout-ms")},
        {"--idle-timeout-ms", "CROSSRATE_IDLE_TIMEOUT_MS", "time a kept-alive connection may wait for its next request (30000)",
         millis(&Config::idle_timeout, "idle-timeout-ms")},
        {"--shutdown-timeout-ms", "CROSSRATE_SHUTDOWN_TIMEOUT_MS", "time requests in flight get to finish on SIGINT/SIGTERM (10000)",
         millis(&Config::shutdown_timeout, "shutdown-timeout-ms")},
        {"--sse-heartbeat-ms", "CROSSRATE_SSE_HEARTBEAT_MS", "heartbeat comment to idle /v1/events subscribers (15000)",
         millis(&Config::sse_heartbeat, "sse-heartbeat-ms")},
        {"--max-connections", "CROSSRATE_MAX_CONNECTIONS", "open connections before new ones get 503 (10000)",
         number(&Config::max_connections, "max-connections", 1, 1'000'000)},
        {"--max-batch", "CROSSRATE_MAX_BATCH", "conversions in one POST /v1/convert/batch (1000)",
         number(&Config::max_batch, "max-batch", 1, 100'000)},
        {"--max-series-points", "CROSSRATE_MAX_SERIES_POINTS", "points in one GET /v1/rates/series (10000)",
         number(&Config::max_series_points, "max-series-points", 1, 1'000'000)},
        {"--max-connections-per-client", "CROSSRATE_MAX_CONNECTIONS_PER_CLIENT",
         "open connections from one client address before its new ones get 503 (0: half of --max-connections)",
         number(&Config::max_connections_per_client, "max-connections-per-client", 0, 1'000'000)},
        {"--bad-token-limit", "CROSSRATE_BAD_TOKEN_LIMIT",
         "writes with a missing or wrong token from one address in a minute before its writes get 429 (10; 0: no limit)",
         number(&Config::bad_token_limit, "bad-token-limit", 0, 1'000'000)},
        {"--compute-threads", "CROSSRATE_COMPUTE_THREADS",
         "threads computing scenarios, batches, series, lists and past revisions; writes have one of their own (0: one per core)",
         number(&Config::compute_threads, "compute-threads", 0, 256)},
        {"--compute-queue", "CROSSRATE_COMPUTE_QUEUE", "requests waiting for a compute thread (or writes for the write lane) before new ones get 503 (64)",
         number(&Config::compute_queue, "compute-queue", 0, 100'000)},
        {"--compute-timeout-ms", "CROSSRATE_COMPUTE_TIMEOUT_MS",
         "time one computing request may take, queue included, before it is stopped with 503 (10000)",
         millis(&Config::compute_timeout, "compute-timeout-ms")},
        {"--scenario-budget", "CROSSRATE_SCENARIO_BUDGET",
         "margin evaluations one POST /v1/scenarios may ask for: per item 2, plus 2 per swept point and per draw (4000000)",
         number(&Config::scenario_budget, "scenario-budget", 1, 1'000'000'000)},
        {"--max-answer-bytes", "CROSSRATE_MAX_ANSWER_BYTES", "largest computed answer (scenarios, batches) in bytes (8388608)",
         number(&Config::max_answer_bytes, "max-answer-bytes", 4096, 1ull << 30)},
        {"--cache-entries", "CROSSRATE_CACHE_ENTRIES", "rendered GET answers kept for repeated requests (4096)",
         number(&Config::cache_entries, "cache-entries", 16, 10'000'000)},
        {"--cache-max-body", "CROSSRATE_CACHE_MAX_BODY", "largest answer kept, in bytes; 0 turns the cache off (262144)",
         number(&Config::cache_max_body, "cache-max-body", 0, 64 << 20)},
        {"--cache-bytes", "CROSSRATE_CACHE_BYTES", "bytes all kept answers may hold together (67108864)",
         number(&Config::cache_bytes, "cache-bytes", 0, 1ull << 34)},
    };
    return table;
}

}  // namespace

Result<ParsedConfig> parse_config(const std::vector<std::string>& args, const char* (*env)(const char*)) {
    ParsedConfig parsed;
    for (const auto& s : settings()) {
        if (const char* v = env(std::string(s.env).c_str()); v != nullptr && *v != '\0') {
            if (auto r = s.set(parsed.config, v); !r) {
                return Error(Errc::invalid_parameter, std::string(s.env) + ": " + r.error().what(), std::string(s.env));
            }
        }
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--help" || arg == "-h") {
            parsed.help = true;
            continue;
        }
        std::string value;
        const auto eq = arg.find('=');
        const std::string_view flag = arg.substr(0, eq);
        const auto it = std::find_if(settings().begin(), settings().end(), [&](const Setting& s) { return s.flag == flag; });
        if (it == settings().end()) {
            return Error(Errc::invalid_parameter, "unknown option " + std::string(flag) + " (see --help)", std::string(flag));
        }
        if (eq != std::string_view::npos) {
            value = std::string(arg.substr(eq + 1));
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return Error(Errc::invalid_parameter, std::string(flag) + " needs a value", std::string(flag));
        }
        if (auto r = it->set(parsed.config, value); !r) return r.error();
    }
    return parsed;
}

std::string config_help() {
    std::ostringstream out;
    out << "usage: crossrate-server [OPTIONS]\n\nServes the crossrate v1 API over HTTP/1.1.\n"
           "Each option can also be set by its environment variable; a flag wins over the variable.\n\n";
    // The variables in one column, two spaces after the longest flag.
    std::size_t width = 0;
    for (const auto& s : settings()) width = std::max(width, s.flag.size() + 8);
    for (const auto& s : settings()) {
        out << "  " << s.flag << " VALUE" << std::string(width - s.flag.size() - 6, ' ') << s.env << "\n      " << s.help
            << "\n";
    }
    return out.str();
}

std::string Config::describe() const {
    std::ostringstream out;
    out << "address=" << address << " port=" << port << " threads=" << threads << " fixtures=" << fixtures
        << " data_dir=" << data_dir << " web_dir=" << web_dir << " tokens_file=" << tokens_file
        << " header_limit=" << header_limit << " body_limit=" << body_limit << " import_limit=" << import_limit
        << " header_timeout_ms=" << header_timeout.count() << " idle_timeout_ms=" << idle_timeout.count()
        << " shutdown_timeout_ms=" << shutdown_timeout.count() << " max_connections=" << max_connections
        << " max_batch=" << max_batch << " max_series_points=" << max_series_points
        << " max_connections_per_client=" << max_connections_per_client << " bad_token_limit=" << bad_token_limit << " compute_threads=" << compute_threads
        << " compute_queue=" << compute_queue << " compute_timeout_ms=" << compute_timeout.count()
        << " scenario_budget=" << scenario_budget << " max_answer_bytes=" << max_answer_bytes
        << " cache_entries=" << cache_entries << " cache_max_body=" << cache_max_body << " cache_bytes=" << cache_bytes
        << " cors_origins=";
    for (std::size_t i = 0; i < cors_origins.size(); ++i) out << (i ? "," : "") << cors_origins[i];
    return out.str();
}

}  // namespace crossrate::server
