#pragma once
// Every allocation of the benchmark process counted (allocations.cpp replaces operator new), so
// a benchmark can say how many its loop makes: under load an allocation costs more than its
// benchmark shows (a free list gone cold, a cache line another core touched).

#include <benchmark/benchmark.h>

#include <cstdint>

namespace crossrate::bench {

std::uint64_t allocations() noexcept;

// Runs the benchmark's loop with `body` and reports the allocations per iteration as "allocs".
template <class Body>
void counting_allocations(benchmark::State& state, Body&& body) {
    const auto before = allocations();
    for (auto _ : state) body();
    state.counters["allocs"] = benchmark::Counter(static_cast<double>(allocations() - before),
                                                  benchmark::Counter::kAvgIterations);
}

}  // namespace crossrate::bench
