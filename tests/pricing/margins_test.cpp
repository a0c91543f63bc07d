#include "pricing/margins.hpp"

#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }
Decimal D(std::string_view s) { return Decimal::parse(s).value(); }
Date day(std::string_view s) { return parse_date(s).value(); }

Result<MarginResult> margin(std::string item, std::string_view date, std::string_view currency = "CNY",
                            MarginOverrides overrides = {}) {
    MarginQuery q;
    q.item = std::move(item);
    q.date = day(date);
    q.currency = data().currencies.find(currency).value();
    q.overrides = overrides;
    return compute_margin(data(), q);
}

TEST(Margins, GoatSheepAndRabbitGrossAndMarkupInYuan) {
    const auto goat = margin("goat", "2023-04-02").value();
    EXPECT_EQ(goat.numbers.gross, D("1000"));
    EXPECT_EQ(goat.numbers.markup, D("3"));
    const auto sheep = margin("sheep", "2023-04-02").value();
    EXPECT_EQ(sheep.numbers.gross, D("1200"));
    EXPECT_EQ(sheep.numbers.markup, D("2.5"));
    const auto rabbit = margin("rabbit", "2023-04-02").value();
    EXPECT_EQ(rabbit.numbers.gross, D("50"));
    EXPECT_EQ(rabbit.numbers.markup, D("8") / D("3"));
    EXPECT_EQ(rabbit.numbers.margin_share, D("0.625"));
}

TEST(Margins, InDollarsAtTheOfficialRateOfTheDate) {
    const auto goat = margin("goat", "2023-04-02", "USD").value();
    ASSERT_TRUE(goat.buy.conversion.has_value());
    EXPECT_EQ(format_date(goat.buy.conversion->rate_date), "2023-03-31");
    EXPECT_EQ(goat.numbers.gross.round(2).to_string(), "145.59");
    EXPECT_EQ(goat.numbers.markup.round(12), D("3"));
    EXPECT_EQ(goat.bribe.value.round(2).to_string(), "727.96");
}

TEST(Margins, EveryInputNamesItsBasis) {
    const auto goat = margin("goat", "2023-04-02").value();
    EXPECT_EQ(goat.buy.basis, Basis::reported);
    EXPECT_EQ(goat.buy.quote->id, "goat-origin-2023-03");
    EXPECT_EQ(goat.buy.age_days, 2);  // a March price serves April 2, two days after March ends
    EXPECT_EQ(goat.bribe.basis, Basis::reported);
    EXPECT_TRUE(goat.bribe.quote->upper_bound);
    EXPECT_EQ(goat.heads.basis, Basis::assumption);
    EXPECT_EQ(goat.heads.assumption->id, "heads_per_crossing");
    EXPECT_EQ(goat.interdiction.assumption->id, "interdiction_lax");  // lax patrols in spring 2023
    MarginOverrides given;
    given.heads = D("20");
    given.interdiction = D("0.5");
    const auto with = margin("goat", "2023-04-02", "CNY", given).value();
    EXPECT_EQ(with.heads.basis, Basis::override_);
    EXPECT_EQ(with.interdiction.value, D("0.5"));
}

TEST(Margins, TheBribesReportedCeilingCarriesThroughAsARange) {
    // "Soldiers sometimes take even less": the bribe ranges from zero up to RMB 5,000.
    const auto goat = margin("goat", "2023-04-02").value();
    ASSERT_TRUE(goat.bribe.low && goat.bribe.high);
    EXPECT_EQ(*goat.bribe.low, D("0"));
    EXPECT_EQ(*goat.bribe.high, D("5000"));
    ASSERT_TRUE(goat.range.has_value());
    EXPECT_EQ(goat.range->expected_net_low, D("4250"));   // the whole RMB 5,000 paid
    EXPECT_EQ(goat.range->expected_net_high, D("9250"));  // nothing paid
    EXPECT_EQ(goat.range->net_per_head_high, D("925"));
    MarginOverrides fixed;
    fixed.bribe = D("3000");
    EXPECT_FALSE(margin("goat", "2023-04-02", "CNY", fixed).value().range.has_value());
}

TEST(Margins, TheEnforcementRegimePicksTheInterdictionAssumption) {
    MarginOverrides prices;
    prices.buy = D("500");
    prices.sell = D("1500");
    EXPECT_EQ(margin("goat", "2022-12-20", "CNY", prices).value().interdiction.assumption->id, "interdiction_crackdown");
    EXPECT_EQ(margin("goat", "2023-12-15", "CNY", prices).value().interdiction.assumption->id,
              "interdiction_tightening");
}

TEST(Margins, QuotesServeLaterDatesUpToTheirMaximumAge) {
    const auto early = margin("goat", "2023-02-01");
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().code(), Errc::not_found);
    EXPECT_EQ(std::string(early.error().what()),
              "no buying price for goat (quote_policy previous) within 366 days of 2023-02-01; the first after is from "
              "2023-03");
    MarginOverrides bribe;  // the December 2022 bribe is itself too old by then
    bribe.bribe = D("5000");
    EXPECT_TRUE(margin("goat", "2024-03-31", "CNY", bribe));  // 366 days after March 2023 ends
    const auto old_bribe = margin("goat", "2024-03-31");
    ASSERT_FALSE(old_bribe);
    EXPECT_EQ(old_bribe.error().param(), "bribe");
    const auto stale = margin("goat", "2024-04-01", "CNY", bribe);
    ASSERT_FALSE(stale);
    EXPECT_NE(std::string(stale.error().what()).find("within 366 days"), std::string::npos);
    EXPECT_EQ(margin("chicken", "2023-04-02").error().code(), Errc::not_found);  // catalogued, never priced
    EXPECT_EQ(margin("unicorn", "2023-04-02").error().param(), "items");
}

TEST(Margins, QuotePoliciesPickByDateAndReportTheAge) {
    const auto find = [](std::string_view date, LookupPolicy policy) {
        return find_quote(data(), "goat", QuoteSide::origin, "price", day(date), policy);
    };
    EXPECT_FALSE(find("2023-02-20", LookupPolicy::previous));
    const auto next = find("2023-02-20", LookupPolicy::next);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->quote->id, "goat-origin-2023-03");
    EXPECT_EQ(next->age_days, -9);  // the March quote starts nine days later
    EXPECT_EQ(find("2023-02-20", LookupPolicy::nearest)->age_days, -9);
    EXPECT_EQ(find("2023-03-15", LookupPolicy::exact)->age_days, 0);  // inside the observed month
    EXPECT_FALSE(find("2023-04-02", LookupPolicy::exact));
    EXPECT_EQ(find("2023-04-02", LookupPolicy::previous)->age_days, 2);
    const auto linear = find("2023-04-02", LookupPolicy::linear);
    ASSERT_FALSE(linear);
    EXPECT_EQ(linear.error().param(), "quote_policy");
}

MarginInputs inputs(int buy, int sell, int bribe, int heads, int transport, std::string_view p) {
    return {Decimal(buy), Decimal(sell), Decimal(bribe), Decimal(heads), Decimal(transport), D(p)};
}

bool breaks_even(MarginInputs in) { return evaluate_margin(in).expected_net >= Decimal(0); }

TEST(Margins, BreakEvensAgreeWithABruteForceSearch) {
    const std::vector<MarginInputs> cases = {
        inputs(500, 1500, 5000, 10, 0, "0.05"),  inputs(800, 2000, 5000, 10, 0, "0.3"),
        inputs(30, 80, 5000, 10, 0, "0.05"),     inputs(30, 80, 500, 40, 3, "0.15"),
        inputs(500, 1500, 0, 1, 100, "0.5"),     inputs(100, 120, 300, 25, 5, "0.1"),
    };
    for (const auto& in : cases) {
        const MarginNumbers n = evaluate_margin(in);
        // The highest bribe: the last whole bribe that breaks even lies just below it.
        if (n.breakeven_bribe) {
            const Decimal b = n.breakeven_bribe->round(0) > *n.breakeven_bribe ? n.breakeven_bribe->round(0) - Decimal(1)
                                                                                 : n.breakeven_bribe->round(0);
            MarginInputs at = in, past = in;
            at.bribe = b;
            past.bribe = b + Decimal(1);
            EXPECT_TRUE(breaks_even(at));
            EXPECT_FALSE(breaks_even(past));
        } else {
            MarginInputs free = in;
            free.bribe = Decimal(0);
            EXPECT_FALSE(breaks_even(free));
        }
        // The fewest heads, searched one by one.
        std::optional<int> fewest;
        for (int h = 1; h <= 5000 && !fewest; ++h) {
            MarginInputs at = in;
            at.heads = Decimal(h);
            if (breaks_even(at)) fewest = h;
        }
        if (fewest) {
            ASSERT_TRUE(n.breakeven_heads.has_value());
            EXPECT_EQ(*n.breakeven_heads, Decimal(*fewest));
        } else {
            EXPECT_FALSE(n.breakeven_heads.has_value());
        }
        // The highest interdiction probability, on a grid of 1/10000.
        std::optional<Decimal> highest;
        for (int k = 0; k <= 10000; ++k) {
            MarginInputs at = in;
            at.interdiction = Decimal(k) / Decimal(10000);
            if (breaks_even(at)) highest = at.interdiction;
        }
        if (highest) {
            ASSERT_TRUE(n.breakeven_interdiction.has_value());
            EXPECT_GE(*n.breakeven_interdiction, *highest);
            EXPECT_LT(*n.breakeven_interdiction, *highest + D("0.0001"));
        } else {
            EXPECT_FALSE(n.breakeven_interdiction.has_value());
        }
    }
}

TEST(Margins, InputsOutsideTheirDomainAreRefused) {
    EXPECT_THROW(evaluate_margin(inputs(0, 10, 0, 1, 0, "0")), Error);
    EXPECT_THROW(evaluate_margin(inputs(10, 10, -1, 1, 0, "0")), Error);
    EXPECT_THROW(evaluate_margin(inputs(10, 10, 0, 0, 0, "0")), Error);
    EXPECT_THROW(evaluate_margin(inputs(10, 10, 0, 1, 0, "1.5")), Error);
    MarginOverrides impossible;
    impossible.interdiction = D("2");
    const auto bad = margin("goat", "2023-04-02", "CNY", impossible);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().param(), "interdiction");
}

}  // namespace
}  // namespace crossrate
