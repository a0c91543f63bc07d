#include "pricing/margins.hpp"

#include "pricing/dataset_loader.hpp"

#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }
Decimal D(std::string_view s) { return Decimal::parse(s).value(); }
Date day(std::string_view s) { return parse_date(s).value(); }

Result<MarginResult> margin(std::string item, std::string_view date, std::string_view currency = "CNY",
                            MarginOverrides overrides = {}, BribeModel model = default_bribe_model) {
    MarginQuery q;
    q.item = std::move(item);
    q.date = day(date);
    q.currency = data().currencies.find(currency).value();
    q.overrides = overrides;
    q.bribe_model = model;
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
    EXPECT_EQ(goat.buy.age_days_farthest, 32);  // ...and 32 after it began: the text gives the month only
    EXPECT_EQ(goat.bribe.basis, Basis::reported);
    // The figure is reported; paying it only when caught is the documented reading.
    EXPECT_EQ(goat.bribe.applied_by->id, "bribe_paid_when_caught");
    EXPECT_EQ(margin("goat", "2023-04-02", "CNY", {}, BribeModel::per_crossing).value().bribe.applied_by->id,
              "bribe_paid_per_crossing");
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

TEST(Margins, TheBribeIsTheGoingPriceWithALowerTailNotACeiling) {
    // "Soldiers sometimes take even less": RMB 5,000 is the going price, less is seen too, and
    // the text gives no figure below it. The range runs down to the reported_tail_floor
    // assumption (half), named as such; it does not run to zero.
    const auto goat = margin("goat", "2023-04-02").value();
    ASSERT_TRUE(goat.bribe.low && goat.bribe.high);
    EXPECT_EQ(goat.bribe.value, D("5000"));
    EXPECT_EQ(*goat.bribe.low, D("2500"));
    ASSERT_NE(goat.bribe.low_assumption, nullptr);
    EXPECT_EQ(goat.bribe.low_assumption->id, "reported_tail_floor");
    EXPECT_EQ(*goat.bribe.high, D("5000"));
    // Paid only when caught (5% in the lax spring of 2023): 15,000 − 5,000 − 0.05 × bribe.
    ASSERT_TRUE(goat.range.has_value());
    EXPECT_EQ(goat.numbers.expected_net, D("9750"));
    EXPECT_EQ(goat.range->expected_net_low, D("9750"));
    EXPECT_EQ(goat.range->expected_net_high, D("9875"));
    // Paid on every crossing, the goods lost when caught: 0.95 × 15,000 − 5,000 − bribe.
    const auto every = margin("goat", "2023-04-02", "CNY", {}, BribeModel::per_crossing).value();
    EXPECT_EQ(every.numbers.expected_net, D("4250"));
    EXPECT_EQ(every.range->expected_net_high, D("6750"));
    MarginOverrides fixed;
    fixed.bribe = D("3000");
    EXPECT_FALSE(margin("goat", "2023-04-02", "CNY", fixed).value().range.has_value());
}

TEST(Margins, TheTwoReadingsOfTheBribe) {
    // 10 goats at 500, sold at 1,500, a 5,000 bribe, caught 5% of the time.
    MarginInputs in{D("500"), D("1500"), D("5000"), D("10"), D("0"), D("0.05"), BribeModel::when_caught};
    const MarginNumbers caught = evaluate_margin(in).value();
    EXPECT_EQ(caught.outlay, D("5250"));            // the cargo, and 5% of the bribe
    EXPECT_EQ(caught.expected_revenue, D("15000"));  // the goods always go on
    EXPECT_EQ(caught.breakeven_bribe, D("200000"));  // 10,000 ÷ 0.05
    EXPECT_EQ(caught.breakeven_heads, D("1"));
    EXPECT_EQ(caught.breakeven_interdiction, D("1"));  // never loses, however often caught
    in.bribe_model = BribeModel::per_crossing;
    const MarginNumbers every = evaluate_margin(in).value();
    EXPECT_EQ(every.outlay, D("10000"));
    EXPECT_EQ(every.expected_revenue, D("14250"));
    EXPECT_EQ(every.breakeven_bribe, D("9250"));
    EXPECT_EQ(every.breakeven_heads, D("6"));
}

TEST(Margins, TheEnforcementRegimePicksTheInterdictionAssumption) {
    MarginOverrides prices;
    prices.buy = D("500");
    prices.sell = D("1500");
    EXPECT_EQ(margin("goat", "2022-12-20", "CNY", prices).value().interdiction.assumption->id, "interdiction_crackdown");
    EXPECT_EQ(margin("goat", "2023-12-15", "CNY", prices).value().interdiction.assumption->id,
              "interdiction_tightening");
    // Outside every reported period (summer 2023): no regime, and the unknown-regime assumption.
    const auto summer = margin("goat", "2023-07-01", "CNY", prices).value();
    EXPECT_EQ(summer.regime, nullptr);
    EXPECT_EQ(summer.interdiction.assumption->id, "interdiction_unknown");
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
    EXPECT_EQ(old_bribe.error().param(), "bribe_item");
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

MarginInputs inputs(int buy, int sell, int bribe, int heads, int transport, std::string_view p,
                    BribeModel model = BribeModel::per_crossing) {
    return {Decimal(buy), Decimal(sell), Decimal(bribe), Decimal(heads), Decimal(transport), D(p), model};
}

bool breaks_even(MarginInputs in) { return evaluate_margin(in).value().expected_net >= Decimal(0); }

TEST(Margins, BreakEvensAgreeWithABruteForceSearch) {
    std::vector<MarginInputs> cases = {
        inputs(500, 1500, 5000, 10, 0, "0.05"),  inputs(800, 2000, 5000, 10, 0, "0.3"),
        inputs(30, 80, 5000, 10, 0, "0.05"),     inputs(30, 80, 500, 40, 3, "0.15"),
        inputs(500, 1500, 0, 1, 100, "0.5"),     inputs(100, 120, 300, 25, 5, "0.1"),
        inputs(100, 90, 300, 25, 5, "0.1"),
    };
    // Each again with the bribe paid only when caught.
    for (std::size_t i = 0, n = cases.size(); i < n; ++i) {
        cases.push_back(cases[i]);
        cases.back().bribe_model = BribeModel::when_caught;
    }
    for (const auto& in : cases) {
        const MarginNumbers n = evaluate_margin(in).value();
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

// Quotes written per jin on one side and per kg on the other: the margin is per kg, and says it
// converted; per head against per kg is no margin.
TEST(Margins, PricesCompareOnlyPerOneMeasure) {
    const auto quote = [](std::string_view side, std::string_view amount, std::string_view unit) {
        return R"({"item": "goat", "kind": "price", "side": ")" + std::string(side) + R"(", "amount": ")" +
               std::string(amount) + R"(", "low": null, "high": null, "approximate": false, "qualifier": null,
               "tail": null, "currency": "CNY", "unit": ")" + std::string(unit) + R"(", "location": "x",
               "observed": {"date": "2023-06-10", "precision": "day", "inferred": false, "note": null},
               "source": "dailynk-2023-03-30-yalu-livestock-smuggling",
               "excerpts": ["In China, demand is high for North Korean livestock because they cost one-third of Chinese market prices."],
               "note": null})";
    };
    const auto with = load_dataset(CROSSRATE_TEST_DATA_DIR, {{2, "quote", "g-o-r2", quote("origin", "10", "jin"), ""},
                                                             {2, "quote", "g-d-r2", quote("destination", "30", "kg"), ""}})
                          .value();
    MarginQuery q;
    q.item = "goat";
    q.date = day("2023-06-15");
    q.currency = with->currencies.find("CNY").value();
    const auto m = compute_margin(*with, q).value();
    EXPECT_TRUE(m.units_converted);
    EXPECT_EQ(m.per, "kg");
    EXPECT_EQ(m.buy.value, D("20"));  // 10 a jin is 20 a kg
    EXPECT_EQ(m.numbers.gross, D("10"));
    const auto mixed = load_dataset(CROSSRATE_TEST_DATA_DIR, {{2, "quote", "g-o-r2", quote("origin", "10", "head"), ""},
                                                              {2, "quote", "g-d-r2", quote("destination", "30", "kg"), ""}})
                           .value();
    const auto none = compute_margin(*mixed, q);
    ASSERT_FALSE(none);
    EXPECT_NE(std::string(none.error().what()).find("not one measure"), std::string::npos) << none.error().what();
}

TEST(Margins, InputsOutsideTheirDomainAreRefused) {
    const auto refused = [](const MarginInputs& in, std::string_view param) {
        const auto r = evaluate_margin(in);
        ASSERT_FALSE(r) << param;
        EXPECT_EQ(r.error().code(), Errc::invalid_parameter);
        EXPECT_EQ(r.error().param(), param);
    };
    refused(inputs(0, 10, 0, 1, 0, "0"), "buy");
    refused(inputs(10, 10, -1, 1, 0, "0"), "bribe");
    refused(inputs(10, 10, 0, 0, 0, "0"), "heads");
    refused(inputs(10, 10, 0, 1, 0, "1.5"), "interdiction");
    MarginOverrides impossible;
    impossible.interdiction = D("2");
    const auto bad = margin("goat", "2023-04-02", "CNY", impossible);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().param(), "interdiction");
}

// Numbers too large for the decimal range are an overflow error in the result, as any other
// failure of a margin is: nothing is thrown.
TEST(Margins, ArithmeticPastTheDecimalRangeIsAnOverflowResult) {
    const Decimal huge = D("99999999999999999999999999999999999999");
    MarginInputs in = inputs(10, 10, 0, 1, 0, "0");
    in.sell = huge;
    in.heads = D("10");
    const auto n = evaluate_margin(in);
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().code(), Errc::overflow);
    EXPECT_FALSE(expected_net(in));
    EXPECT_EQ(expected_net(in).error().code(), Errc::overflow);
    in.sell = D("10");
    in.buy = huge;
    EXPECT_EQ(outlay(in).error().code(), Errc::overflow);

    MarginOverrides big;
    big.sell = huge;
    big.heads = D("1000");
    const auto margin_of_goat = margin("goat", "2023-04-02", "CNY", big);
    ASSERT_FALSE(margin_of_goat);
    EXPECT_EQ(margin_of_goat.error().code(), Errc::overflow);
    EXPECT_STREQ(margin_of_goat.error().what(), "decimal overflow: the result is 10^38 or larger in magnitude");
}

}  // namespace
}  // namespace crossrate

namespace crossrate {
namespace {

Result<MarginResult> margin_with(std::string item, std::string_view date, std::string bribe_item,
                                 MarginOverrides overrides = {}) {
    MarginQuery q;
    q.overrides = overrides;
    q.item = std::move(item);
    q.date = day(date);
    q.currency = data().currencies.find("CNY").value();
    q.bribe_item = std::move(bribe_item);
    return compute_margin(data(), q);
}

// An item priced on one side only has no margin, whatever the date, and the answer says why.
TEST(Margins, AnItemPricedOnOneSideOnlyHasNoMarginAndSaysWhy) {
    const auto pollock = margin("pollock", "2017-10-13");
    ASSERT_FALSE(pollock);
    EXPECT_EQ(std::string(pollock.error().what()),
              "no margin for pollock: it is priced only in China (destination), and a margin needs a buying and a selling "
              "price (give buy= or sell= to supply one)");
    const auto beef = margin("beef", "2016-07-15");
    ASSERT_FALSE(beef);
    EXPECT_NE(std::string(beef.error().what()).find("only inside North Korea (origin)"), std::string::npos);
    MarginOverrides sell;
    sell.sell = D("30");
    sell.bribe = D("0");
    EXPECT_TRUE(margin("beef", "2016-07-15", "CNY", sell)) << "a supplied selling price makes one";
}

// A bribe, fee or penalty is a crossing's cost only by name: the seeds' bribe to border guards
// unless the request names another; a price, or a cost per kg, cannot be one.
TEST(Margins, AnotherCostIsUsedOnlyWhenNamed) {
    const auto unnamed = margin("crab", "2017-08-15");
    ASSERT_FALSE(unnamed);  // the guards' bribe is reported for 2022 only
    EXPECT_EQ(unnamed.error().param(), "bribe_item");
    EXPECT_NE(std::string(unnamed.error().what()).find("name another with bribe_item"), std::string::npos);

    const auto named = margin_with("crab", "2017-08-15", "seafood_police_bribe");
    ASSERT_TRUE(named) << named.error().what();
    EXPECT_EQ(named->bribe_item, "seafood_police_bribe");
    EXPECT_EQ(named->bribe.quote->id, "seafood_police_bribe-bribe-2017-08");
    EXPECT_EQ(named->buy.quote->id, "crab-origin-2017-08");
    EXPECT_EQ(named->sell.quote->amount, D("9"));  // the figure added first for the month, not "as high as $42"

    EXPECT_EQ(margin_with("crab", "2017-08-15", "pork").error().code(), Errc::invalid_parameter);
    MarginOverrides prices;
    prices.buy = D("10");
    prices.sell = D("20");
    const auto per_kg = margin_with("pork", "2014-04-15", "luggage_fee", prices);
    ASSERT_FALSE(per_kg);
    EXPECT_NE(std::string(per_kg.error().what()).find("not a cost per crossing"), std::string::npos) << per_kg.error().what();
}

}  // namespace
}  // namespace crossrate
