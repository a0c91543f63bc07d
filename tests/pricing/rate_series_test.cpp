#include "pricing/rate_series.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

Date day(std::string_view s) { return parse_date(s).value(); }
Decimal D(std::string_view s) { return Decimal::parse(s).value(); }

// Thursday, Friday, then Monday: the weekend in between has no observations.
RateSeries weekdays() {
    RateSeries s(SeriesKey{*CurrencyCode::from_text("USD"), *CurrencyCode::from_text("CNY"), RateKind::official, {}},
                 {ObservationInfo{"test", DatePrecision::day, false, false, {}, {}}});
    s.add(day("2023-04-03"), D("6.8885"));
    s.add(day("2023-03-30"), D("6.8767"));
    s.add(day("2023-03-31"), D("6.8685"));
    EXPECT_TRUE(s.freeze());
    return s;
}

TEST(RateSeries, PreviousPolicyUsesFridayForSunday) {
    const auto series = weekdays();  // hits point into the series: it must outlive them
    const auto hit = series.lookup(day("2023-04-02"), LookupPolicy::previous, 7);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->first->date, day("2023-03-31"));
    EXPECT_EQ(hit->value, D("6.8685"));
}

TEST(RateSeries, NextPolicyUsesMondayForSunday) {
    const auto series = weekdays();
    const auto hit = series.lookup(day("2023-04-02"), LookupPolicy::next, 7);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->first->date, day("2023-04-03"));
}

TEST(RateSeries, NearestPolicyPicksTheCloserAndTheEarlierOnATie) {
    const auto s = weekdays();
    EXPECT_EQ(s.lookup(day("2023-04-02"), LookupPolicy::nearest, 7)->first->date, day("2023-04-03"));
    EXPECT_EQ(s.lookup(day("2023-04-01"), LookupPolicy::nearest, 7)->first->date, day("2023-03-31"));
    RateSeries tie(s.key(), {ObservationInfo{}});
    tie.add(day("2023-03-31"), D("6.8685"));
    tie.add(day("2023-04-02"), D("6.8700"));
    ASSERT_TRUE(tie.freeze());
    EXPECT_EQ(tie.lookup(day("2023-04-01"), LookupPolicy::nearest, 7)->first->date, day("2023-03-31"));
    EXPECT_FALSE(s.lookup(day("2023-04-10"), LookupPolicy::nearest, 6));
}

TEST(RateSeries, LinearPolicyInterpolatesByDays) {
    const auto series = weekdays();
    const auto hit = series.lookup(day("2023-04-02"), LookupPolicy::linear, 7);
    ASSERT_TRUE(hit);
    // Friday 6.8685, Monday 6.8885: two thirds of the way.
    EXPECT_EQ(hit->value.round(10).to_string(), "6.8818333333");
    EXPECT_EQ(hit->first->date, day("2023-03-31"));
    EXPECT_EQ(hit->second->date, day("2023-04-03"));
    // On an observed day it is that observation.
    EXPECT_EQ(series.lookup(day("2023-03-31"), LookupPolicy::linear, 7)->value, D("6.8685"));
}

TEST(RateSeries, ExactPolicyAnswersOnlyOnObservedDays) {
    const auto s = weekdays();
    EXPECT_TRUE(s.lookup(day("2023-03-31"), LookupPolicy::exact, 7));
    const auto miss = s.lookup(day("2023-04-02"), LookupPolicy::exact, 7);
    ASSERT_FALSE(miss);
    EXPECT_EQ(miss.error().code(), Errc::no_rate_in_window);
    EXPECT_EQ(std::string(miss.error().what()),
              "no official USD/CNY rate on 2023-04-02; the nearest observations are 2023-03-31 and 2023-04-03");
}

TEST(RateSeries, MaxGapBoundsHowOldAnObservationMayBe) {
    const auto s = weekdays();
    EXPECT_TRUE(s.lookup(day("2023-04-02"), LookupPolicy::previous, 2));
    const auto miss = s.lookup(day("2023-04-02"), LookupPolicy::previous, 1);
    ASSERT_FALSE(miss);
    EXPECT_EQ(miss.error().param(), "date");
    EXPECT_EQ(std::string(miss.error().what()),
              "no official USD/CNY rate within 1 day before 2023-04-02; the nearest observations are 2023-03-31 and "
              "2023-04-03");
    EXPECT_FALSE(s.lookup(day("2023-04-02"), LookupPolicy::linear, 1));  // Monday is close enough, Friday not
}

TEST(RateSeries, BeforeTheFirstAndAfterTheLastObservationSayWhereTheSeriesEnds) {
    const auto s = weekdays();
    const auto early = s.lookup(day("2023-03-01"), LookupPolicy::previous, 7);
    EXPECT_EQ(std::string(early.error().what()),
              "no official USD/CNY rate within 7 days before 2023-03-01; the series starts 2023-03-30");
    const auto late = s.lookup(day("2023-05-01"), LookupPolicy::next, 7);
    EXPECT_EQ(std::string(late.error().what()),
              "no official USD/CNY rate within 7 days after 2023-05-01; the series ends 2023-04-03 (asked without a date, the answer is its latest)");
    // previous after the end still answers within max_gap
    EXPECT_EQ(s.lookup(day("2023-04-05"), LookupPolicy::previous, 7)->first->date, day("2023-04-03"));
    EXPECT_FALSE(s.lookup(day("2023-03-25"), LookupPolicy::next, 4));
    EXPECT_TRUE(s.lookup(day("2023-03-25"), LookupPolicy::next, 5));
}

// Two sources may report one place and date: both are kept, the one added first is used and
// the other is named beside it, before and after the date alike.
TEST(RateSeries, KeepsTwoReportsOnOneDateUsesTheFirstAndNamesTheOther) {
    RateSeries twice(SeriesKey{*CurrencyCode::from_text("USD"), *CurrencyCode::from_text("KPW"), RateKind::market, "Hyesan"},
                     {ObservationInfo{"first", DatePrecision::day, false, false, {}, {}},
                      ObservationInfo{"second", DatePrecision::day, false, false, {}, {}}});
    twice.add(day("2023-03-05"), D("8300"), 0);
    twice.add(day("2023-03-05"), D("8310"), 1);
    twice.add(day("2023-03-01"), D("8200"), 0);
    ASSERT_TRUE(twice.freeze());
    for (const auto& [asked, policy] : {std::pair{"2023-03-05", LookupPolicy::exact}, std::pair{"2023-03-09", LookupPolicy::previous},
                                        std::pair{"2023-03-03", LookupPolicy::next}}) {
        const auto hit = twice.lookup(day(asked), policy, 7);
        ASSERT_TRUE(hit) << asked;
        EXPECT_EQ(hit->value.to_string(), "8300") << asked;
        EXPECT_EQ(twice.info(*hit->first).source, "first");
        ASSERT_EQ(hit->also.size(), 1u) << asked;
        EXPECT_EQ(hit->also[0]->value.to_string(), "8310");
    }
    // A correction of the first (at revision 2) leaves the second the one used.
    ASSERT_TRUE(twice.supersede(day("2023-03-05"), D("8300"), "first", 2));
    const auto after = twice.lookup(day("2023-03-05"), LookupPolicy::exact, 7, 2);
    EXPECT_EQ(after->value.to_string(), "8310");
    EXPECT_TRUE(after->also.empty());
    EXPECT_FALSE(twice.supersede(day("2023-03-05"), D("8300"), "first", 3));  // already corrected

    RateSeries zero(SeriesKey{*CurrencyCode::from_text("USD"), *CurrencyCode::from_text("KPW"), RateKind::market, {}},
                    {ObservationInfo{}});
    zero.add(day("2023-03-05"), D("0"));
    EXPECT_FALSE(zero.freeze());
}

// Two written rates far apart in size: the line between them leaves the decimal, and the
// lookup says so as its error; the reports themselves still answer.
TEST(RateSeries, ALineThatLeavesTheDecimalIsAnOverflowAnswered) {
    RateSeries s(SeriesKey{*CurrencyCode::from_text("USD"), *CurrencyCode::from_text("KPW"), RateKind::market, "Hyesan"},
                 {ObservationInfo{"test", DatePrecision::day, false, false, {}, {}}});
    s.add(day("2023-03-01"), D(std::string(38, '9')));
    s.add(day("2023-03-11"), D("1"));
    ASSERT_TRUE(s.freeze());
    Result<SeriesHit> between = Error(Errc::invalid_parameter, "not looked up");
    EXPECT_NO_THROW(between = s.lookup(day("2023-03-06"), LookupPolicy::linear, 30));
    ASSERT_FALSE(between);
    EXPECT_EQ(between.error().code(), Errc::overflow);
    EXPECT_TRUE(s.lookup(day("2023-03-06"), LookupPolicy::previous, 30));
}

}  // namespace
}  // namespace crossrate
