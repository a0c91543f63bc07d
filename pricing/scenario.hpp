#pragma once
// Scenarios: a what-if over the margin model. A scenario fixes a date, a currency and items,
// changes assumptions and data (overrides of inputs, of quotes, of a currency's value), and
// asks for sweeps over one or two inputs and Monte Carlo draws over others. Every result comes
// with the same computation on the unmodified data (the baseline) and the difference.

#include "pricing/cancellation.hpp"
#include "pricing/margins.hpp"
#include "pricing/random.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace crossrate {

// The inputs a sweep or a draw may vary.
enum class Parameter { buy, sell, bribe, heads, transport, interdiction };
Result<Parameter> parse_parameter(std::string_view text);
std::string_view to_string(Parameter p) noexcept;
Decimal& input_of(MarginInputs& in, Parameter p) noexcept;

struct Sweep {
    Parameter parameter = Parameter::heads;
    std::vector<Decimal> values;
};

struct MonteCarlo {
    std::uint64_t draws = 0;
    std::uint64_t seed = 0;
    std::vector<std::pair<Parameter, Distribution>> parameters;
};

inline constexpr std::size_t max_sweep_points = 100'000;
inline constexpr std::uint64_t max_draws = 1'000'000;

struct Scenario {
    std::string name;
    Date date;
    const Currency* currency = nullptr;
    std::vector<std::string> items;
    RateQuery rates;
    LookupPolicy quote_policy = LookupPolicy::previous;
    BribeModel bribe_model = default_bribe_model;
    std::string bribe_item = std::string(default_bribe_item);
    MarginOverrides overrides;
    std::vector<Sweep> sweeps;  // none, one, or two (a grid)
    std::optional<MonteCarlo> monte_carlo;
};

struct SweepPoint {
    std::array<Decimal, 2> at;  // the swept values (the second unused for one sweep)
    Decimal expected_net;       // per crossing
    Decimal baseline_expected_net;
    Decimal net_per_head;
    std::optional<Decimal> return_on_outlay;
};

struct Percentiles {
    Decimal mean, p5, p25, p50, p75, p95, min, max;
    Decimal loss_probability;  // share of draws with a negative expected net
};

struct MonteCarloResult {
    Percentiles scenario;  // of the expected net per crossing
    Percentiles baseline;
};

struct ScenarioItem {
    std::string item;
    Result<MarginResult> scenario;
    Result<MarginResult> baseline;
    std::vector<SweepPoint> sweep;
    std::optional<MonteCarloResult> monte_carlo;
};

struct ScenarioResult {
    std::vector<ScenarioItem> items;
};

// Each item carries its own errors. The scenario is taken as valid (the parser checks it).
// Throws only deadline_exceeded, when `cancel` says stop.
ScenarioResult run_scenario(const Dataset& data, const Scenario& scenario, const Cancellation& cancel = {});

// What a scenario costs before it runs: margin evaluations (per item, the scenario and its
// baseline, each swept point twice, each draw twice) and a bound on the bytes of its answer.
struct ScenarioCost {
    std::uint64_t evaluations = 0;
    std::uint64_t answer_bytes = 0;
    ScenarioCost& operator+=(const ScenarioCost& other) noexcept {
        evaluations += other.evaluations;
        answer_bytes += other.answer_bytes;
        return *this;
    }
};
ScenarioCost cost_of(const Scenario& scenario);

// Percentiles of values (sorted in place), by nearest rank; Error{overflow} when their sum
// (for the mean) leaves the decimal range.
Result<Percentiles> summarize(std::vector<Decimal>& values);

}  // namespace crossrate
