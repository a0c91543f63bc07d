// A rate summarised by period, against the official series' own observations summed by hand.

#include "pricing/rate_aggregate.hpp"
#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }
Date day(const char* s) { return parse_date(s).value(); }
CurrencyCode code(const char* c) { return *CurrencyCode::from_text(c); }

// The USD/CNY observations from `from` to `to`, straight from the series.
std::vector<Decimal> observed(const char* from, const char* to) {
    const RateSeries* s = data().rates.find(code("USD"), code("CNY"), RateKind::official);
    std::vector<Decimal> out;
    for (const auto& o : s->observations()) {
        if (o.date >= day(from) && o.date <= day(to)) out.push_back(o.value);
    }
    return out;
}

TEST(RateAggregate, AMonthsMeanMinMaxFirstAndLastAreThoseOfItsObservations) {
    const auto march = observed("2023-03-01", "2023-03-31");
    ASSERT_GT(march.size(), 15u);
    Decimal sum;
    for (const auto& v : march) sum += v;
    const auto run = [&](Aggregate a) {
        return aggregate_series(data().rates, code("USD"), code("CNY"), day("2023-03-01"), day("2023-04-30"), Interval::month, a,
                                RateQuery{}, 1000, Cancellation())
            .value();
    };
    const auto mean = run(Aggregate::mean);
    ASSERT_EQ(mean.size(), 2u);
    EXPECT_EQ(mean[0].count, march.size());
    EXPECT_EQ(*mean[0].value, sum / Decimal(static_cast<std::int64_t>(march.size())));
    EXPECT_EQ(format_date(mean[0].end), "2023-03-31");
    EXPECT_EQ(format_date(mean[1].start), "2023-04-01");
    EXPECT_EQ(*run(Aggregate::min)[0].value, *std::min_element(march.begin(), march.end()));
    EXPECT_EQ(*run(Aggregate::max)[0].value, *std::max_element(march.begin(), march.end()));
    EXPECT_EQ(*run(Aggregate::first)[0].value, march.front());
    EXPECT_EQ(*run(Aggregate::last)[0].value, march.back());
}

// Weeks run seven days from the start; a period with no observation says so.
TEST(RateAggregate, WeeksFromTheStartAndGapsSaySo) {
    const auto weeks = aggregate_series(data().rates, code("USD"), code("CNY"), day("2023-04-05"), day("2023-04-20"),
                                        Interval::week, Aggregate::last, RateQuery{}, 1000, Cancellation())
                           .value();
    ASSERT_EQ(weeks.size(), 3u);
    EXPECT_EQ(format_date(weeks[0].end), "2023-04-11");
    EXPECT_EQ(format_date(weeks[2].start), "2023-04-19");
    EXPECT_EQ(format_date(weeks[2].end), "2023-04-20");
    const auto before = aggregate_series(data().rates, code("USD"), code("CNY"), day("1950-01-01"), day("1950-12-31"),
                                         Interval::year, Aggregate::mean, RateQuery{}, 1000, Cancellation())
                            .value();
    ASSERT_EQ(before.size(), 1u);
    EXPECT_FALSE(before[0].value.has_value());
    EXPECT_NE(before[0].gap.find("no observation"), std::string::npos);
    EXPECT_FALSE(aggregate_series(data().rates, code("USD"), code("CNY"), day("2000-01-01"), day("2023-01-01"), Interval::year,
                                  Aggregate::mean, RateQuery{}, 1000, Cancellation()));  // too many days
}

TEST(RateAggregate, TheChangeFromFirstToLast) {
    const auto c = change_between(day("2023-01-01"), Decimal(8), day("2023-12-31"), Decimal(10)).value();
    EXPECT_EQ(c.absolute, Decimal(2));
    EXPECT_EQ(c.percent, Decimal(25));
    EXPECT_FALSE(change_between(day("2023-01-01"), Decimal(0), day("2023-02-01"), Decimal(1)));
}

// Rates as large as a decimal holds: their sum does not fit, so the month's mean is the
// period's gap, said; the other aggregates still answer. A change whose percent does not fit
// is no change block.
TEST(RateAggregate, AMeanTooLargeForADecimalIsThePeriodsGap) {
    const std::string nines(38, '9');
    RateBook book;
    RateSeries s(SeriesKey{code("USD"), code("KPW"), RateKind::market, "Hyesan"},
                 {ObservationInfo{"test", DatePrecision::day, false, false, {}, {}}});
    s.add(day("2023-03-01"), Decimal::parse(nines).value());
    s.add(day("2023-03-02"), Decimal::parse(nines).value());
    book.add(std::move(s));
    ASSERT_TRUE(book.freeze());
    RateQuery market;
    market.kind = RateKind::market;
    const auto run = [&](Aggregate a) {
        return aggregate_series(book, code("USD"), code("KPW"), day("2023-03-01"), day("2023-03-31"), Interval::month, a,
                                market, 100, Cancellation());
    };
    Result<std::vector<Period>> mean = Error(Errc::invalid_parameter, "not run");
    EXPECT_NO_THROW(mean = run(Aggregate::mean));
    ASSERT_TRUE(mean);
    ASSERT_EQ(mean->size(), 1u);
    EXPECT_FALSE((*mean)[0].value);
    EXPECT_EQ((*mean)[0].count, 2u);
    EXPECT_NE((*mean)[0].gap.find("overflow"), std::string::npos) << (*mean)[0].gap;
    const auto max = run(Aggregate::max);
    ASSERT_TRUE(max);
    EXPECT_EQ((*max)[0].value, Decimal::parse(nines).value());
    // A day whose rate, read inverted, no decimal holds: the period has no value, and says why.
    RateBook tiny;
    RateSeries t(SeriesKey{code("USD"), code("KPW"), RateKind::market, "Hyesan"},
                 {ObservationInfo{"test", DatePrecision::day, false, false, {}, {}}});
    t.add(day("2023-03-01"), Decimal::parse("8000").value());
    t.add(day("2023-03-02"), Decimal::parse("0.00000000000000000000000000000000000001").value());
    tiny.add(std::move(t));
    ASSERT_TRUE(tiny.freeze());
    Result<std::vector<Period>> inverted = Error(Errc::invalid_parameter, "not run");
    EXPECT_NO_THROW(inverted = aggregate_series(tiny, code("KPW"), code("USD"), day("2023-03-01"), day("2023-03-31"),
                                                Interval::month, Aggregate::max, market, 100, Cancellation()));
    ASSERT_TRUE(inverted);
    EXPECT_FALSE((*inverted)[0].value);
    EXPECT_NE((*inverted)[0].gap.find("2023-03-02: decimal overflow"), std::string::npos) << (*inverted)[0].gap;
    EXPECT_FALSE(change_between(day("2023-03-01"), Decimal::parse("0.00000000000000000000000000000000000001").value(),
                                day("2023-03-02"), Decimal::parse(nines).value()));
}

}  // namespace
}  // namespace crossrate
