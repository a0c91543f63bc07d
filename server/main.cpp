// crossrate-server: the v1 API over HTTP/1.1.

#include "ledger/data_dir.hpp"
#include "server/follower.hpp"
#include "server/server.hpp"
#include "server/static_files.hpp"
#include "ledger/ledger.hpp"

#include <boost/asio/io_context.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

int main(int argc, char** argv) {
    using namespace crossrate;
    using namespace crossrate::server;
    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto parsed = parse_config(args, [](const char* name) -> const char* { return std::getenv(name); });
    if (!parsed) {
        std::cerr << "crossrate-server: " << parsed.error().what() << "\n";
        return 2;
    }
    if (parsed->help) {
        std::cout << config_help();
        return 0;
    }
    Config config = parsed->config;
    if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
    if (config.compute_threads == 0) config.compute_threads = std::max(1u, std::thread::hardware_concurrency());
    if (config.fixtures.empty()) config.fixtures = default_fixtures_dir().string();
    const Logger log(config.log_level);
    // A file-size limit (ulimit -f) reached by the revision log is an I/O error the store
    // reports, not a signal that ends the process.
    std::signal(SIGXFSZ, SIG_IGN);
    // A write to a connection its client has closed, or to a stdout that is a pipe nobody reads
    // any more, fails with EPIPE instead of ending the process: sendfile(2), which sends large
    // kept answers (server/body_file.hpp), cannot be told not to raise SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);

    // The data directory holds the revision log; the fixtures are revision 1, and every write
    // since is replayed onto them.
    auto opened = open_data_dir(config.fixtures, config.data_dir, config.store);
    if (!opened) {
        log.event(LogLevel::error, opened.error().what());
        return 1;
    }
    if (auto writable = opened->store->check_writable(); !writable) {
        log.event(LogLevel::error, "the store (" + opened->store->describe() + ") cannot be used: " + writable.error().what());
        return 1;
    }
    for (const auto& warning : opened->warnings) log.event(LogLevel::warn, warning);
    const auto& revisions = opened->revisions;
    const auto& records = opened->records;
    const auto& data = opened->dataset;
    for (const auto& note : data->load_notes) log.event(LogLevel::info, "dataset: " + note);

    Tokens tokens;
    if (!config.tokens_file.empty()) {
        auto from_file = Tokens::read_file(config.tokens_file);
        if (!from_file) {
            log.event(LogLevel::error, from_file.error().what());
            return 2;
        }
        tokens.merge(*from_file);
    }
    if (!config.tokens.empty()) {
        auto given = Tokens::parse(config.tokens, ',');
        if (!given) {
            log.event(LogLevel::error, given.error().what());
            return 2;
        }
        tokens.merge(*given);
    }
    const std::size_t writers = tokens.size();

    // The dashboard: a folder given and unreadable is an error; the default one missing (a
    // build without it) only leaves / unserved.
    const bool web_given = !config.web_dir.empty();
    if (!web_given) config.web_dir = default_web_dir().string();
    auto web = StaticFiles::load(config.web_dir);
    if (!web && web_given) {
        log.event(LogLevel::error, web.error().what());
        return 2;
    }
    if (!web) log.event(LogLevel::warn, std::string("no dashboard: ") + web.error().what());

    Server server(config, data, log, static_cast<std::uint64_t>(revisions.back().number));
    // Every revision's event, from the log; new ones as writes land.
    Events events;
    for (const auto& r : revisions) events.publish(static_cast<std::uint64_t>(r.number), Events::describe(r, records));
    Ledger ledger(std::move(opened->store), data, revisions,
                  [&server, &events](std::shared_ptr<const Dataset> next, const Revision& revision,
                                     const std::vector<StoredRecord>& added) {
                      server.app().publish(std::move(next), static_cast<std::uint64_t>(revision.number));
                      events.publish(static_cast<std::uint64_t>(revision.number), Events::describe(revision, added));
                  });
    server.app().set_ledger(&ledger, std::move(tokens));
    // A fleet's replica follows the shared log: what other replicas commit is applied here too.
    // On a thread and an io_context of its own: its connection to PostgreSQL may block on the
    // host's name lookup (libpq resolves it before connecting), which must hold up no I/O
    // thread, and the first of those also accepts every connection.
    boost::asio::io_context follow_io(1);
    std::thread following;
    std::unique_ptr<Follower> follower;
    if (ledger.shared()) {
        follower = std::make_unique<Follower>(follow_io, config.store, ledger, server.write_lane(), log, server.metrics());
        follower->start();
        following = std::thread([&follow_io] { follow_io.run(); });
        server.on_stop([&follower] { follower->stop(); });
    }
    // Told to stop with the server (on_stop); stopped outright once it has, so that a catch-up
    // the stopped write lane will never answer does not keep the thread waiting.
    const auto stop_following = [&] {
        follow_io.stop();
        if (following.joinable()) following.join();
    };
    server.metrics().storage_writable = &ledger.writable_flag();
    if (web) server.app().set_static_files(std::move(*web));
    server.set_events(&events);
    const auto port = server.listen();
    if (!port) {
        log.event(LogLevel::error, port.error().what());
        stop_following();
        return 1;
    }
    config.port = *port;
    log.event(LogLevel::warn, "crossrate-server listening on http://" + config.address + ":" + std::to_string(*port) +
                                  " (" + config.describe() + " store=" + ledger.describe_store() +
                                  " writers=" + std::to_string(writers) + " revision=" +
                                  std::to_string(revisions.back().number) + ")");
    if (!server.run()) std::_Exit(1);  // a computation holds a thread: nothing acknowledged is at stake
    stop_following();
    log.event(LogLevel::warn, "crossrate-server stopped");
    return 0;
}
