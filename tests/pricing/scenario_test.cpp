#include "pricing/scenario.hpp"

#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }
Decimal D(std::string_view s) { return Decimal::parse(s).value(); }

Scenario base_scenario() {
    Scenario s;
    s.date = parse_date("2023-04-02").value();
    s.currency = data().currencies.find("CNY").value();
    s.items = {"goat", "rabbit"};
    return s;
}

TEST(Scenario, OverridesChangeTheResultAndTheBaselineStaysTheData) {
    Scenario s = base_scenario();
    s.overrides.bribe = D("10000");
    s.overrides.interdiction = D("0.3");
    const auto r = run_scenario(data(), s);
    ASSERT_EQ(r.items.size(), 2u);
    const auto& goat = r.items[0];
    ASSERT_TRUE(goat.scenario && goat.baseline);
    // The bribe paid when caught (the default): 10 × 1500 − 5000 − p × bribe.
    EXPECT_EQ(goat.baseline->numbers.expected_net, D("9750"));  // p 0.05, bribe 5000
    EXPECT_EQ(goat.scenario->numbers.expected_net, D("7000"));  // p 0.3, bribe 10000
    EXPECT_EQ(goat.scenario->bribe.basis, Basis::override_);
    // Paid on every crossing, the goods lost when caught: (1 − p) × 15000 − 5000 − bribe.
    s.bribe_model = BribeModel::per_crossing;
    const auto every = run_scenario(data(), s);
    EXPECT_EQ(every.items[0].baseline->numbers.expected_net, D("4250"));
    EXPECT_EQ(every.items[0].scenario->numbers.expected_net, D("-4500"));
}

TEST(Scenario, AWeakerYuanShrinksDollarMargins) {
    Scenario s = base_scenario();
    s.currency = data().currencies.find("USD").value();
    s.overrides.currency_value = {{*CurrencyCode::from_text("CNY"), D("0.9")}};
    const auto r = run_scenario(data(), s);
    const auto& goat = r.items[0];
    EXPECT_EQ(goat.scenario->numbers.gross.round(8), (goat.baseline->numbers.gross * D("0.9")).round(8));
    EXPECT_EQ(goat.scenario->numbers.markup.round(12), D("3"));
    EXPECT_EQ(goat.scenario->buy.basis, Basis::override_);
}

TEST(Scenario, QuoteOverridesReplaceOneQuote) {
    Scenario s = base_scenario();
    s.items = {"goat"};
    s.overrides.quote_amounts = {{"goat-origin-2023-03", D("600")}};
    const auto r = run_scenario(data(), s);
    EXPECT_EQ(r.items[0].scenario->numbers.gross, D("900"));
    EXPECT_EQ(r.items[0].baseline->numbers.gross, D("1000"));
}

TEST(Scenario, TwoSweepsMakeAGridWithTheBaselineAtEachPoint) {
    Scenario s = base_scenario();
    s.items = {"goat"};
    s.bribe_model = BribeModel::per_crossing;
    s.overrides.bribe = D("8000");
    s.sweeps = {{Parameter::heads, {D("1"), D("5"), D("10")}}, {Parameter::interdiction, {D("0"), D("0.5")}}};
    const auto r = run_scenario(data(), s);
    const auto& points = r.items[0].sweep;
    ASSERT_EQ(points.size(), 6u);
    EXPECT_EQ(points[5].at[0], D("10"));
    EXPECT_EQ(points[5].at[1], D("0.5"));
    EXPECT_EQ(points[5].expected_net, D("-5500"));            // 0.5 × 15000 − 5000 − 8000
    EXPECT_EQ(points[5].baseline_expected_net, D("-2500"));   // with the reported bribe, 5000
    EXPECT_EQ(points[5].net_per_head, D("-550"));
    EXPECT_EQ(*points[5].return_on_outlay, D("-5500") / D("13000"));
}

TEST(Scenario, SeededMonteCarloIsReproducibleAndOrdered) {
    Scenario s = base_scenario();
    s.monte_carlo = MonteCarlo{20000, 7, {{Parameter::bribe, {Distribution::Kind::uniform, D("0"), D("0"), D("5000"), {}}},
                                          {Parameter::interdiction,
                                           {Distribution::Kind::triangular, D("0.02"), D("0.05"), D("0.3"), {}}}}};
    const auto a = run_scenario(data(), s);
    const auto b = run_scenario(data(), s);
    const auto& pa = a.items[0].monte_carlo->scenario;
    const auto& pb = b.items[0].monte_carlo->scenario;
    EXPECT_EQ(pa.mean, pb.mean);
    EXPECT_EQ(pa.p5, pb.p5);
    EXPECT_EQ(pa.p95, pb.p95);
    EXPECT_LE(pa.min, pa.p5);
    EXPECT_LE(pa.p5, pa.p25);
    EXPECT_LE(pa.p25, pa.p50);
    EXPECT_LE(pa.p50, pa.p75);
    EXPECT_LE(pa.p75, pa.p95);
    EXPECT_LE(pa.p95, pa.max);
    // Goat: never loses over these ranges. Rabbit (a 500 margin a crossing) loses when the
    // expected bribe, p × bribe, is larger: some draws; paying it on every crossing, nearly all.
    EXPECT_EQ(pa.loss_probability, D("0"));
    EXPECT_GT(a.items[1].monte_carlo->scenario.loss_probability, D("0.05"));
    EXPECT_LT(a.items[1].monte_carlo->scenario.loss_probability, D("0.5"));
    Scenario every = s;
    every.bribe_model = BribeModel::per_crossing;
    EXPECT_GT(run_scenario(data(), every).items[1].monte_carlo->scenario.loss_probability, D("0.8"));
    s.monte_carlo->seed = 8;
    EXPECT_NE(run_scenario(data(), s).items[0].monte_carlo->scenario.mean, pa.mean);
}

TEST(Scenario, DrawsStayInsideTheirDistribution) {
    Random random(42);
    const Distribution uniform{Distribution::Kind::uniform, D("10"), D("10"), D("20"), {}};
    const Distribution triangular{Distribution::Kind::triangular, D("0.02"), D("0.05"), D("0.3"), {}};
    Decimal below_mode;
    for (int i = 0; i < 10000; ++i) {
        const Decimal u = uniform.draw(random);
        ASSERT_GE(u, D("10"));
        ASSERT_LT(u, D("20"));
        const Decimal t = triangular.draw(random);
        ASSERT_GE(t, D("0.02"));
        ASSERT_LE(t, D("0.3"));
        if (t < D("0.05")) below_mode += Decimal(1);
    }
    // P(below the mode) = (mode − low) / (high − low) = 0.03 / 0.28 ≈ 0.107.
    EXPECT_NEAR(static_cast<int>(below_mode.coefficient()), 1071, 150);
}

// A swept or drawn value whose arithmetic leaves the decimal range fails that item's scenario
// with an overflow, and the baseline stands; nothing is thrown.
TEST(Scenario, SweepsAndDrawsPastTheDecimalRangeFailTheItemsScenario) {
    const Decimal huge = D("90000000000000000000000000000000000000");
    Scenario swept = base_scenario();
    swept.sweeps = {{Parameter::sell, {D("1500"), huge}}};
    const auto r = run_scenario(data(), swept);
    ASSERT_EQ(r.items.size(), 2u);
    for (const auto& item : r.items) {
        ASSERT_FALSE(item.scenario) << item.item;
        EXPECT_EQ(item.scenario.error().code(), Errc::overflow) << item.item;
        EXPECT_TRUE(item.baseline) << item.item;
        EXPECT_TRUE(item.sweep.empty()) << item.item;
    }
    Scenario drawn = base_scenario();
    drawn.monte_carlo = MonteCarlo{10, 7, {{Parameter::sell, {Distribution::Kind::uniform, huge, huge, huge, {}}}}};
    const auto m = run_scenario(data(), drawn);
    ASSERT_FALSE(m.items[0].scenario);
    EXPECT_EQ(m.items[0].scenario.error().code(), Errc::overflow);
    EXPECT_FALSE(m.items[0].monte_carlo);

    std::vector<Decimal> two{huge, huge};
    EXPECT_EQ(summarize(two).error().code(), Errc::overflow);
}

TEST(Scenario, PercentilesByNearestRank) {
    std::vector<Decimal> values;
    for (int i = 100; i >= 1; --i) values.push_back(Decimal(i));
    const auto p = summarize(values).value();
    EXPECT_EQ(p.p5, Decimal(5));
    EXPECT_EQ(p.p50, Decimal(50));
    EXPECT_EQ(p.p95, Decimal(95));
    EXPECT_EQ(p.mean, D("50.5"));
    EXPECT_EQ(p.min, Decimal(1));
    EXPECT_EQ(p.loss_probability, Decimal(0));
}

}  // namespace
}  // namespace crossrate

namespace crossrate {
namespace {

// xoshiro256** and splitmix64 as Blackman and Vigna publish them: splitmix64 from 0 gives
// e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f, f88bb8a8724c81ec (the generator's
// state for seed 0); xoshiro256** from the state {1, 2, 3, 4} gives 11520, 0, 1509978240.
TEST(Random, KnownAnswersOfThePublishedGenerators) {
    const std::uint64_t state[4] = {1, 2, 3, 4};
    Random known(state);
    EXPECT_EQ(known.next(), 11520u);
    EXPECT_EQ(known.next(), 0u);
    EXPECT_EQ(known.next(), 1509978240u);
    const std::uint64_t seeded[4] = {0xe220a8397b1dcdafull, 0x6e789e6aa1b965f4ull, 0x06c45d188009454full, 0xf88bb8a8724c81ecull};
    Random by_state(seeded);
    Random by_seed(0);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(by_seed.next(), by_state.next()) << i;
    Random again(0);
    EXPECT_EQ(again.next(), 0x99ec5f36cb75f2b4ull);
    EXPECT_EQ(again.next(), 0xbf6e1f784956452aull);
}

// A triangle wider than 9.2e9 (nine places no longer fit 64 bits) still draws inside it.
TEST(Random, AVeryWideTriangleDrawsInsideIt) {
    Distribution d{Distribution::Kind::triangular, Decimal::parse("0").value(), Decimal::parse("1000000000000000").value(),
                   Decimal::parse("4000000000000000").value(), {}};
    Random r(7);
    for (int i = 0; i < 1000; ++i) {
        const Decimal x = d.draw(r);
        ASSERT_GE(x, d.low);
        ASSERT_LE(x, d.high);
    }
}

}  // namespace
}  // namespace crossrate
