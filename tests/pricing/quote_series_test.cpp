// Prices over time: one currency, one unit, a rate of each observation's date, and the won's
// 2009 redenomination applied where a figure and its rate fall on two sides of it.

#include "pricing/quote_series.hpp"
#include "pricing/apply.hpp"
#include "api/documents.hpp"
#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }
Decimal D(const char* t) { return Decimal::parse(t).value(); }
CurrencyCode code(const char* c) { return *CurrencyCode::from_text(c); }

QuoteSeries series_of(const Dataset& d, const char* item, const char* currency, std::optional<std::string> unit = {}) {
    QuoteSeriesQuery q;
    q.item = item;
    q.currency = code(currency);
    q.unit = std::move(unit);
    return quote_series(d, q, Cancellation());
}

const QuotePoint* point(const QuoteSeries& s, std::string_view quote) {
    for (const auto& p : s.points) {
        if (p.quote->id == quote) return &p;
    }
    return nullptr;
}

// "one kilogram of blue crabs is selling for RMB 10-20": no single figure, so the point is the
// range's midpoint and says so; a price per ton is the same measure, per kg.
TEST(QuoteSeries, ARangeIsItsMidpointAndATonIsAThousandKilograms) {
    const auto s = series_of(data(), "blue_crab", "CNY", "kg");
    ASSERT_EQ(s.points.size(), 3u);
    EXPECT_EQ(s.points[0].quote->observed.text(), "2022");  // by observed date
    const QuotePoint* range = point(s, "blue_crab-destination-2023-09-22");
    ASSERT_NE(range, nullptr);
    EXPECT_TRUE(range->quote->midpoint);
    EXPECT_EQ(*range->value, D("15"));
    EXPECT_EQ(*range->low, D("10"));
    EXPECT_EQ(*range->high, D("20"));
    EXPECT_FALSE(range->rate.has_value());  // already yuan
    const QuotePoint* offer = point(s, "blue_crab-origin-2023-09");
    ASSERT_NE(offer, nullptr);
    EXPECT_EQ(offer->value->round(6), D("40"));  // RMB 40,000 a ton
    EXPECT_EQ(offer->per, "kg");
}

// A pound is 0.45359237 kg exactly; dollars convert at the official rate of the month.
TEST(QuoteSeries, PoundsAndDollarsBecomeYuanPerKilogram) {
    const auto s = series_of(data(), "pork", "CNY", "kg");
    const QuotePoint* chinese = point(s, "pork-destination-2016-07");
    ASSERT_NE(chinese, nullptr);
    ASSERT_TRUE(chinese->rate.has_value());
    EXPECT_EQ(chinese->rate->query.kind, RateKind::official);
    EXPECT_EQ(*chinese->value, D("2.27") * chinese->rate->rate / D("0.45359237"));
    // The won has no official rate: a won price converts at a market rate near its date, or
    // says there is none.
    const QuotePoint* won = point(s, "pork-origin-2017-03-05");
    ASSERT_NE(won, nullptr);
    EXPECT_FALSE(won->value.has_value());
    EXPECT_NE(won->gap.find("no market"), std::string::npos) << won->gap;
}

// A price written in old won (before 2009-11-30) and a rate observed in new won: the rate is
// read ×100 for the old won's date, and a series in won shows the figure in new won.
TEST(QuoteSeries, OldWonBeforeTheRedenominationIsReadAsOneHundredthOfANewWon) {
    const std::vector<DataRecord> records = {
        {2, "source", "test-ledger-2009", R"({"kind":"article","publisher":"Test","label":"a rice price in old won","language":"en"})", ""},
        {2, "quote", "rice-origin-2009-11-20-r2",
         R"({"item":"rice","kind":"price","side":"origin","amount":"100000","approximate":false,"currency":"KPW","unit":"kg",
             "location":"Sinuiju","observed":{"date":"2009-11-20","precision":"day","inferred":false},
             "source":"test-ledger-2009","excerpts":["rice at 100,000 won a kilogram"]})", ""},
    };
    const auto d = load_dataset(CROSSRATE_TEST_DATA_DIR, records).value();

    RateQuery market;
    market.kind = RateKind::market;
    market.policy = LookupPolicy::nearest;
    market.location = "Sino-North Korean border";
    const auto rate = d->rates.lookup(code("KPW"), code("CNY"), parse_date("2009-11-20").value(), market);
    ASSERT_TRUE(rate) << rate.error().what();
    ASSERT_EQ(rate->legs.size(), 1u);
    EXPECT_EQ(format_date(rate->legs[0].rate_date), "2009-12-01");  // "2009-12": 1,000 new won a yuan
    EXPECT_EQ(*rate->legs[0].redenominated, D("100"));
    EXPECT_EQ(rate->rate, D("0.00001"));  // 100,000 old won a yuan
    // The same series after the change needs nothing.
    const auto later = d->rates.lookup(code("KPW"), code("CNY"), parse_date("2009-12-04").value(), market);
    EXPECT_FALSE(later->legs[0].redenominated.has_value());

    const auto in_yuan = series_of(*d, "rice", "CNY");
    const QuotePoint* old = point(in_yuan, "rice-origin-2009-11-20-r2");
    ASSERT_NE(old, nullptr);
    ASSERT_TRUE(old->value.has_value()) << old->gap;
    EXPECT_EQ(*old->value, D("1"));
    EXPECT_FALSE(old->redenominated.has_value());  // the rate carried it

    const auto in_won = series_of(*d, "rice", "KPW");
    const QuotePoint* same = point(in_won, "rice-origin-2009-11-20-r2");
    EXPECT_EQ(*same->value, D("1000"));  // 100,000 old won
    EXPECT_EQ(*same->redenominated, D("0.01"));
    const QuotePoint* pyongyang = point(in_won, "rice-origin-2013-01");
    EXPECT_EQ(*pyongyang->value, D("6700"));  // new won already
    EXPECT_FALSE(pyongyang->redenominated.has_value());
}

// A written amount as large as a decimal holds, read in a currency worth less: the value no
// decimal holds is the point's gap, said as a missing rate is, not a fault.
TEST(QuoteSeries, AValueNoDecimalHoldsIsThePointsGap) {
    const Quote* goat = data().find_quote("goat-origin-2023-03");
    ASSERT_NE(goat, nullptr);
    Quote huge = *goat;
    huge.id = "goat-huge";
    huge.amount = Decimal::parse(std::string(38, '9')).value();
    Quote large = *goat;  // in won, over 10^33: no room for the places money is shown to
    large.id = "goat-large";
    large.amount = Decimal::parse("1" + std::string(30, '0')).value();
    const auto next = apply(data(), data().latest + 1, {Change{huge, {}}, Change{large, {}}});
    ASSERT_TRUE(next) << next.error().what();
    QuoteSeries s;
    EXPECT_NO_THROW(s = series_of(**next, "goat", "KPW"));
    const QuotePoint* p = point(s, "goat-huge");
    ASSERT_NE(p, nullptr);
    EXPECT_FALSE(p->value);
    EXPECT_NE(p->gap.find("overflow"), std::string::npos) << p->gap;
    const QuotePoint* ordinary = point(s, "goat-origin-2023-03");
    ASSERT_NE(ordinary, nullptr);
    EXPECT_TRUE(ordinary->value);
    // Rendered, such figures are shown as they are (not padded past 38 digits), not refused.
    const Currency* kpw = (*next)->currencies.find(code("KPW"));
    ASSERT_NE(kpw, nullptr);
    std::string series_answer, page_answer;
    EXPECT_NO_THROW(series_answer = api::quote_series_document(s, *kpw));
    EXPECT_NE(series_answer.find("goat-large"), std::string::npos);
    const std::vector<const Quote*> page{(*next)->find_quote("goat-huge"), (*next)->find_quote("goat-large")};
    EXPECT_NO_THROW(page_answer = api::quotes_document(page, **next));
    EXPECT_NE(page_answer.find("\"normalized\":{\"amount\":" + std::string(38, '9')), std::string::npos) << page_answer;
}

}  // namespace
}  // namespace crossrate
