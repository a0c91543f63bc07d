#include "pricing/scenario.hpp"

#include <algorithm>

namespace crossrate {
namespace {

MarginInputs inputs_of(const MarginResult& r) {
    return {r.buy.value, r.sell.value, r.bribe.value, r.heads.value, r.transport.value, r.interdiction.value, r.bribe_model};
}

Result<std::vector<SweepPoint>> run_sweeps(const std::vector<Sweep>& sweeps, const MarginInputs& scenario,
                                           const MarginInputs& baseline, const Cancellation& cancel) {
    std::vector<SweepPoint> points;
    const Sweep& first = sweeps[0];
    const std::vector<Decimal> none{Decimal()};
    const std::vector<Decimal>& second_values = sweeps.size() > 1 ? sweeps[1].values : none;
    points.reserve(first.values.size() * second_values.size());
    for (const Decimal& a : first.values) {
        for (const Decimal& b : second_values) {
            cancel.tick();
            MarginInputs s = scenario;
            MarginInputs base = baseline;
            input_of(s, first.parameter) = a;
            input_of(base, first.parameter) = a;
            if (sweeps.size() > 1) {
                input_of(s, sweeps[1].parameter) = b;
                input_of(base, sweeps[1].parameter) = b;
            }
            // Only what a sweep row shows: the net of both, and the scenario's per head and return.
            const auto net = expected_net(s);
            if (!net) return net.error();
            const auto spent = outlay(s);
            if (!spent) return spent.error();
            const auto base_net = expected_net(base);
            if (!base_net) return base_net.error();
            checked::Calculation c;  // heads ≥ 1 (the parser checks swept values): only overflow
            SweepPoint point{{a, b}, *net, *base_net, c.divide(*net, s.heads), std::nullopt};
            if (!spent->is_zero()) point.return_on_outlay = c.divide(*net, *spent);
            if (c.failed()) return c.result(std::move(points));
            points.push_back(std::move(point));
        }
    }
    return points;
}

Result<Percentiles> draw(const MonteCarlo& mc, MarginInputs inputs, const Cancellation& cancel) {
    Random random(mc.seed);
    std::vector<std::pair<Decimal*, Sampler>> samplers;
    for (const auto& [parameter, distribution] : mc.parameters) samplers.emplace_back(&input_of(inputs, parameter), distribution);
    std::vector<Decimal> nets;
    nets.reserve(mc.draws);
    for (std::uint64_t i = 0; i < mc.draws; ++i) {
        cancel.tick();
        for (auto& [input, sampler] : samplers) *input = sampler.draw(random);
        auto net = expected_net(inputs);
        if (!net) return net.error();
        nets.push_back(*net);
    }
    return summarize(nets);
}

}  // namespace

Result<Parameter> parse_parameter(std::string_view text) {
    static constexpr std::pair<std::string_view, Parameter> names[] = {
        {"buy", Parameter::buy},     {"sell", Parameter::sell},           {"bribe", Parameter::bribe},
        {"heads", Parameter::heads}, {"transport", Parameter::transport}, {"interdiction", Parameter::interdiction}};
    for (const auto& [name, p] : names) {
        if (name == text) return p;
    }
    return Error(Errc::invalid_parameter,
                 "'" + std::string(text) + "' is not a parameter (buy, sell, bribe, heads, transport, interdiction)");
}

std::string_view to_string(Parameter p) noexcept {
    switch (p) {
        case Parameter::buy: return "buy";
        case Parameter::sell: return "sell";
        case Parameter::bribe: return "bribe";
        case Parameter::heads: return "heads";
        case Parameter::transport: return "transport";
        case Parameter::interdiction: return "interdiction";
    }
    return "heads";
}

Decimal& input_of(MarginInputs& in, Parameter p) noexcept {
    switch (p) {
        case Parameter::buy: return in.buy;
        case Parameter::sell: return in.sell;
        case Parameter::bribe: return in.bribe;
        case Parameter::heads: return in.heads;
        case Parameter::transport: return in.transport;
        case Parameter::interdiction: return in.interdiction;
    }
    return in.heads;
}

Result<Percentiles> summarize(std::vector<Decimal>& values) {
    Percentiles p;
    if (values.empty()) return p;
    const std::size_t n = values.size();
    checked::Calculation c;  // the sum may pass 10^38 where each value does not
    Decimal sum;
    std::size_t losses = 0;
    for (const auto& v : values) {
        sum = c.add(sum, v);
        losses += v.is_negative();
    }
    if (c.failed()) return c.result(p);
    const Decimal count(static_cast<std::int64_t>(n));
    p.mean = sum / count;  // count ≥ 1
    p.loss_probability = Decimal(static_cast<std::int64_t>(losses)) / count;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    p.min = *lo;
    p.max = *hi;
    // Nearest rank: the smallest value with at least `percent`% of values at or below it.
    // Each selection leaves the values below it to its left, so the next searches only the rest.
    auto from = values.begin();
    for (const auto& [percent, out] : {std::pair{5, &p.p5}, std::pair{25, &p.p25}, std::pair{50, &p.p50},
                                       std::pair{75, &p.p75}, std::pair{95, &p.p95}}) {
        const std::size_t k = std::max<std::size_t>((static_cast<std::size_t>(percent) * n + 99) / 100, 1) - 1;
        const auto at = values.begin() + static_cast<std::ptrdiff_t>(k);
        std::nth_element(from, at, values.end());
        *out = *at;
        from = at;
    }
    return p;
}

ScenarioCost cost_of(const Scenario& s) {
    // The answer: a margin document of each item and its baseline (11 KiB with two-leg
    // conversions and their citations; 64 KiB is kept for them), and per swept
    // point a row of its swept values as given and five computed amounts of at most 24
    // characters each (rounded to the currency's places: up to 10^20).
    constexpr std::uint64_t bytes_per_item = 64 * 1024;
    constexpr std::uint64_t bytes_per_amount = 24;
    std::uint64_t points = s.sweeps.empty() ? 0 : 1;
    std::uint64_t row_bytes = 5 * (bytes_per_amount + 1) + 2;
    for (const auto& sweep : s.sweeps) {
        points *= sweep.values.size();
        std::size_t widest = 0;
        for (const auto& v : sweep.values) widest = std::max(widest, v.trimmed().to_string().size());
        row_bytes += widest + 1;
    }
    const std::uint64_t draws = s.monte_carlo ? s.monte_carlo->draws : 0;
    const std::uint64_t items = s.items.size();
    return {items * (2 + 2 * points + 2 * draws), items * (bytes_per_item + points * row_bytes)};
}

ScenarioResult run_scenario(const Dataset& data, const Scenario& s, const Cancellation& cancel) {
    ScenarioResult result;
    for (const auto& item : s.items) {
        cancel.check();
        MarginQuery q{item, s.date, s.currency, s.rates, s.overrides, s.quote_policy, s.bribe_model, s.bribe_item};
        MarginQuery base{item, s.date, s.currency, s.rates, {}, s.quote_policy, s.bribe_model, s.bribe_item};
        ScenarioItem out{item, compute_margin(data, q), compute_margin(data, base), {}, std::nullopt};
        if (out.scenario && out.baseline) {
            // A swept or drawn value whose arithmetic leaves the decimal range fails the item's
            // scenario, as a failing margin does. (The parser checks values' domains first.)
            const MarginInputs si = inputs_of(*out.scenario);
            const MarginInputs bi = inputs_of(*out.baseline);
            if (!s.sweeps.empty()) {
                if (auto sweep = run_sweeps(s.sweeps, si, bi, cancel)) out.sweep = std::move(*sweep);
                else out.scenario = sweep.error();
            }
            if (s.monte_carlo && out.scenario) {
                auto scenario = draw(*s.monte_carlo, si, cancel);
                if (!scenario) out.scenario = scenario.error();
                else if (auto baseline = draw(*s.monte_carlo, bi, cancel); !baseline) out.scenario = baseline.error();
                else out.monte_carlo = MonteCarloResult{*scenario, *baseline};
            }
        }
        result.items.push_back(std::move(out));
    }
    return result;
}

}  // namespace crossrate
