// crossrate-server: the v1 API over HTTP/1.1.

#include "pricing/dataset_loader.hpp"
#include "server/server.hpp"
#include "store/store.hpp"

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
    if (config.fixtures.empty()) config.fixtures = default_fixtures_dir().string();
    const Logger log(config.log_level);

    const auto data = load_dataset(config.fixtures);
    if (!data) {
        log.event(LogLevel::error, std::string("the dataset does not load: ") + data.error().what());
        return 1;
    }
    for (const auto& note : (*data)->load_notes) log.event(LogLevel::info, "dataset: " + note);

    // The data directory holds the revision log; the fixtures are revision 1.
    const auto fixtures_hash = hash_fixtures(config.fixtures);
    if (!fixtures_hash) {
        log.event(LogLevel::error, fixtures_hash.error().what());
        return 1;
    }
    auto store = Store::open(config.data_dir, *fixtures_hash);
    if (!store) {
        log.event(LogLevel::error, std::string("the data directory cannot be used: ") + store.error().what());
        return 1;
    }
    const auto revisions = store->revisions();
    if (!revisions) {
        log.event(LogLevel::error, revisions.error().what());
        return 1;
    }
    if (revisions->front().content_hash != *fixtures_hash) {
        log.event(LogLevel::warn, "the fixtures differ from those recorded as revision 1 (" +
                                      revisions->front().content_hash + ", now " + *fixtures_hash +
                                      "): answers follow the fixtures as they are now");
    }

    Server server(config, *data, log, static_cast<std::uint64_t>(revisions->back().number));
    const auto port = server.listen();
    if (!port) {
        log.event(LogLevel::error, port.error().what());
        return 1;
    }
    config.port = *port;
    log.event(LogLevel::warn, "crossrate-server listening on http://" + config.address + ":" + std::to_string(*port) +
                                  " (" + config.describe() + ")");
    server.run();
    log.event(LogLevel::warn, "crossrate-server stopped");
    return 0;
}
