// The server's request handling without sockets: what crossrate adds to each HTTP request.

#include "pricing/dataset_loader.hpp"
#include "api/documents.hpp"
#include "api/requests.hpp"
#include "server/app.hpp"

#include <benchmark/benchmark.h>

#include "bench/allocations.hpp"

namespace crossrate::server {
namespace {

using bench::counting_allocations;

Config with_cache(bool on) {
    Config c;
    if (!on) c.cache_max_body = 0;
    return c;
}

struct Setup {
    explicit Setup(bool cache) : app{with_cache(cache), load_dataset(CROSSRATE_BENCH_DATA_DIR).value(), metrics, log} {}
    Metrics metrics{route_names()};
    Logger log{LogLevel::off};
    App app;
};

// Computed every time (the reply cache off), and answered from the cache.
Setup& computing() {
    static Setup s(false);
    return s;
}
Setup& caching() {
    static Setup s(true);
    return s;
}

void BM_AppHandle(benchmark::State& state, Setup& (*setup)(), const char* target) {
    const Request request{http::verb::get, target, 11};
    counting_allocations(state, [&] { benchmark::DoNotOptimize(setup().app.handle(request, "bench")); });
}
BENCHMARK_CAPTURE(BM_AppHandle, healthz, computing, "/healthz");
BENCHMARK_CAPTURE(BM_AppHandle, convert, computing, "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15");
BENCHMARK_CAPTURE(BM_AppHandle, convert_cross, computing, "/v1/convert?amount=5000&from=RMB&to=EUR&date=2022-12-15");
BENCHMARK_CAPTURE(BM_AppHandle, convert_cached, caching, "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15");

// As the server answers bench/http_load.sh's distinct amounts: the cache on (each target is
// new), a rendered rate reused, the answer made ready to send (App::handle's session way).
void BM_AppHandleDistinctAmounts(benchmark::State& state) {
    Setup& s = caching();
    static std::uint64_t counter = 0;  // the harness calls this more than once: amounts never repeat
    counting_allocations(state, [&] {
        const Request request{http::verb::get, "/v1/convert?amount=" + std::to_string(++counter) + ".25&from=RMB&to=USD&date=2022-12-15", 11};
        benchmark::DoNotOptimize(s.app.handle(request, "bench", {}, true));
    });
}
BENCHMARK(BM_AppHandleDistinctAmounts);

// The same requests as the session asks for them: ready_answer() first, which answers a new
// amount from the kept answer of another (Reply::variation), handle() only if it cannot.
void BM_AppDistinctAmountsAsTheSessionAsks(benchmark::State& state) {
    Setup& s = caching();
    static std::uint64_t counter = 1'000'000'000;  // apart from BM_AppHandleDistinctAmounts' amounts
    counting_allocations(state, [&] {
        const Request request{http::verb::get, "/v1/convert?amount=" + std::to_string(++counter) + ".25&from=RMB&to=USD&date=2022-12-15", 11};
        auto ready = s.app.ready_answer(request, ReplyCache::Clock::now());
        if (ready == nullptr) ready = s.app.handle(request, "bench", {}, true).ready;
        benchmark::DoNotOptimize(ready);
    });
}
BENCHMARK(BM_AppDistinctAmountsAsTheSessionAsks);

}  // namespace
}  // namespace crossrate::server

namespace crossrate::server {
namespace {

void BM_ParseTargetAndRequest(benchmark::State& state) {
    const auto data = load_dataset(CROSSRATE_BENCH_DATA_DIR).value();
    for (auto _ : state) {
        const auto target = parse_target("/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15").value();
        const Query query(target.params);
        benchmark::DoNotOptimize(api::parse_convert_request(query.params(), *data).value());
    }
}
BENCHMARK(BM_ParseTargetAndRequest);

void BM_ConversionDocument(benchmark::State& state) {
    const auto data = load_dataset(CROSSRATE_BENCH_DATA_DIR).value();
    const auto c = convert(data->rates, Decimal(5000), *data->currencies.find("CNY").value(),
                           *data->currencies.find("USD").value(), parse_date("2022-12-15").value(), RateQuery{})
                       .value();
    for (auto _ : state) benchmark::DoNotOptimize(api::conversion_document(c, *data));
}
BENCHMARK(BM_ConversionDocument);

}  // namespace
}  // namespace crossrate::server
