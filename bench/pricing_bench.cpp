// Benchmarks of the model: dataset start-up, decimal arithmetic, and conversions on the real
// dataset (the work behind every GET /v1/convert).

#include "pricing/conversion.hpp"
#include "pricing/dataset_loader.hpp"
#include "pricing/margins.hpp"
#include "pricing/scenario.hpp"

#include <benchmark/benchmark.h>

namespace crossrate {
namespace {

const Dataset& data() {
    static const auto d = load_dataset(CROSSRATE_BENCH_DATA_DIR).value();
    return *d;
}

void BM_LoadDataset(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(load_dataset(CROSSRATE_BENCH_DATA_DIR).value());
}
BENCHMARK(BM_LoadDataset)->Unit(benchmark::kMillisecond);

void BM_DecimalParse(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(Decimal::parse("6.964187224322029").value());
}
BENCHMARK(BM_DecimalParse);

void BM_DecimalMultiply(benchmark::State& state) {
    const Decimal a = Decimal::parse("5000").value();
    const Decimal b = Decimal::parse("0.1436").value();
    for (auto _ : state) benchmark::DoNotOptimize(a * b);
}
BENCHMARK(BM_DecimalMultiply);

void BM_DecimalDivide(benchmark::State& state) {
    const Decimal a = Decimal::parse("1").value();
    const Decimal b = Decimal::parse("6.964187224322029").value();
    for (auto _ : state) benchmark::DoNotOptimize(a / b);
}
BENCHMARK(BM_DecimalDivide);

void BM_Convert(benchmark::State& state, const char* from, const char* to, RateQuery query) {
    const Currency& f = *data().currencies.find(from).value();
    const Currency& t = *data().currencies.find(to).value();
    const Date date = parse_date("2023-04-02").value();
    const Decimal amount = Decimal::parse("5000").value();
    for (auto _ : state) benchmark::DoNotOptimize(convert(data().rates, amount, f, t, date, query).value());
}
BENCHMARK_CAPTURE(BM_Convert, official_direct, "CNY", "USD", RateQuery{});
BENCHMARK_CAPTURE(BM_Convert, official_cross, "CNY", "EUR", RateQuery{});
BENCHMARK_CAPTURE(BM_Convert, market_any_city, "KPW", "USD",
                  RateQuery{RateKind::market, LookupPolicy::previous, std::nullopt, std::nullopt});

}  // namespace
}  // namespace crossrate

BENCHMARK_MAIN();

namespace crossrate {
namespace {

// One margin evaluation (the arithmetic a sweep point or a Monte Carlo draw costs); the
// scenario floor is 1,000,000 per second per core, i.e. under 1,000 ns each.
void BM_EvaluateMargin(benchmark::State& state) {
    MarginInputs in{Decimal(500), Decimal(1500), Decimal(5000), Decimal(10), Decimal(0), Decimal::parse("0.05").value(),
                    BribeModel::per_crossing};
    std::int64_t i = 0;
    for (auto _ : state) {
        in.bribe = Decimal(4000 + (i++ & 1023));  // vary an input so nothing is folded away
        benchmark::DoNotOptimize(evaluate_margin(in));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateMargin);

void BM_ComputeMargin(benchmark::State& state) {
    MarginQuery q;
    q.item = "goat";
    q.date = parse_date("2023-04-02").value();
    q.currency = data().currencies.find("USD").value();
    for (auto _ : state) benchmark::DoNotOptimize(compute_margin(data(), q).value());
}
BENCHMARK(BM_ComputeMargin);

}  // namespace
}  // namespace crossrate

namespace crossrate {
namespace {

// The scenario floor: 1,000,000 Monte Carlo draws (one item, two drawn inputs) in under a
// second, summary and percentiles included.
void BM_MonteCarloMillionDraws(benchmark::State& state) {
    Scenario s;
    s.date = parse_date("2023-04-02").value();
    s.currency = data().currencies.find("CNY").value();
    s.items = {"goat"};
    s.monte_carlo = MonteCarlo{
        1'000'000, 7,
        {{Parameter::bribe, {Distribution::Kind::uniform, Decimal(0), Decimal(0), Decimal(5000), {}}},
         {Parameter::interdiction,
          {Distribution::Kind::triangular, Decimal::parse("0.02").value(), Decimal::parse("0.05").value(),
           Decimal::parse("0.3").value(), {}}}}};
    for (auto _ : state) benchmark::DoNotOptimize(run_scenario(data(), s));
    // run_scenario draws twice: the scenario and its baseline.
    state.SetItemsProcessed(state.iterations() * 2'000'000);
}
BENCHMARK(BM_MonteCarloMillionDraws)->Unit(benchmark::kMillisecond);

// A 100,000-point grid sweep of one item (each point evaluated for the scenario and the baseline).
void BM_Sweep100k(benchmark::State& state) {
    Scenario s;
    s.date = parse_date("2023-04-02").value();
    s.currency = data().currencies.find("CNY").value();
    s.items = {"goat"};
    Sweep heads{Parameter::heads, {}};
    for (int h = 1; h <= 1000; ++h) heads.values.push_back(Decimal(h));
    Sweep interdiction{Parameter::interdiction, {}};
    for (int p = 0; p < 100; ++p) interdiction.values.push_back(Decimal(p) / Decimal(100));
    s.sweeps = {heads, interdiction};
    for (auto _ : state) benchmark::DoNotOptimize(run_scenario(data(), s));
    state.SetItemsProcessed(state.iterations() * 200'000);
}
BENCHMARK(BM_Sweep100k)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace crossrate
