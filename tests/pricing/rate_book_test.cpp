#include "pricing/rate_book.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

Date day(std::string_view s) { return parse_date(s).value(); }
Decimal D(std::string_view s) { return Decimal::parse(s).value(); }
CurrencyCode C(std::string_view s) { return *CurrencyCode::from_text(s); }

void add(RateBook& book, std::string_view base, std::string_view quote, RateKind kind, std::string location,
         std::initializer_list<std::pair<const char*, const char*>> points) {
    RateSeries s(SeriesKey{C(base), C(quote), kind, std::move(location)},
                 {ObservationInfo{std::string(to_string(kind)) + "-source", DatePrecision::day, false, false, {}, {}}});
    for (const auto& [d, v] : points) s.add(day(d), D(v));
    book.add(std::move(s));
}

RateBook sample() {
    RateBook book;
    add(book, "USD", "CNY", RateKind::official, "", {{"2023-03-31", "6.8"}, {"2023-04-03", "6.9"}});
    add(book, "USD", "EUR", RateKind::official, "", {{"2023-03-31", "0.92"}, {"2023-04-03", "0.91"}});
    add(book, "CNY", "USD", RateKind::reported, "", {{"2023-04-02", "0.15"}});
    add(book, "USD", "KPW", RateKind::market, "Pyongyang", {{"2023-02-19", "8360"}, {"2023-03-19", "8210"}});
    add(book, "CNY", "KPW", RateKind::market, "Pyongyang", {{"2023-02-19", "1190"}, {"2023-03-19", "1230"}});
    add(book, "USD", "KPW", RateKind::market, "Sinuiju", {{"2023-02-19", "8400"}, {"2023-03-05", "8300"}});
    EXPECT_TRUE(book.freeze());
    return book;
}

TEST(RateBook, DirectSeriesReadForwardAndInverted) {
    const auto book = sample();
    const auto forward = book.lookup(C("USD"), C("CNY"), day("2023-03-31"), {});
    ASSERT_TRUE(forward);
    EXPECT_EQ(forward->rate, D("6.8"));
    ASSERT_EQ(forward->legs.size(), 1u);
    EXPECT_FALSE(forward->legs[0].inverted);

    const auto inverse = book.lookup(C("CNY"), C("USD"), day("2023-04-02"), {});
    ASSERT_TRUE(inverse);
    EXPECT_TRUE(inverse->legs[0].inverted);
    EXPECT_EQ(inverse->rate, D("1") / D("6.8"));
    EXPECT_EQ(inverse->rate_date, day("2023-03-31"));
    EXPECT_EQ(inverse->age_days, 2);
}

TEST(RateBook, CrossRatesTriangulateThroughUsdAndShowTheirLegs) {
    const auto book = sample();
    const auto r = book.lookup(C("CNY"), C("EUR"), day("2023-03-31"), {});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->legs.size(), 2u);
    EXPECT_EQ(r->legs[0].from, C("CNY"));
    EXPECT_EQ(r->legs[0].to, C("USD"));
    EXPECT_EQ(r->legs[1].to, C("EUR"));
    EXPECT_EQ(r->rate.round(10), (D("0.92") / D("6.8")).round(10));
}

TEST(RateBook, MarketRatesConvertKpwAtTheAskedCity) {
    const auto book = sample();
    RateQuery q{RateKind::market, LookupPolicy::previous, std::nullopt, "pyongyang"};
    const auto r = book.lookup(C("KPW"), C("USD"), day("2023-02-19"), q);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->legs[0].series->key().location, "Pyongyang");
    EXPECT_EQ((D("10000") * r->rate).round(2).to_string(), "1.20");
    EXPECT_EQ(*r->query.max_gap_days, 31);  // the market default
}

TEST(RateBook, MarketCrossRateOfCnyAndUsdGoesThroughKpw) {
    const auto book = sample();
    RateQuery q{RateKind::market, LookupPolicy::previous, std::nullopt, "Pyongyang"};
    const auto r = book.lookup(C("CNY"), C("USD"), day("2023-03-19"), q);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->legs.size(), 2u);
    EXPECT_EQ(r->legs[0].to, C("KPW"));
    EXPECT_EQ(r->rate.round(6), (D("1230") / D("8210")).round(6));
}

TEST(RateBook, WithoutALocationTheFreshestCityAnswers) {
    const auto book = sample();
    RateQuery q{RateKind::market, LookupPolicy::previous, std::nullopt, std::nullopt};
    const auto r = book.lookup(C("USD"), C("KPW"), day("2023-03-06"), q);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->legs[0].series->key().location, "Sinuiju");  // 1 day old, Pyongyang's is 15
    EXPECT_EQ(*r->query.location, "Sinuiju");
}

TEST(RateBook, OtherKindsBorrowOfficialLegsOnlyWhereTheyHaveNone) {
    const auto book = sample();
    RateQuery q{RateKind::reported, LookupPolicy::previous, std::nullopt, std::nullopt};
    const auto r = book.lookup(C("CNY"), C("EUR"), day("2023-04-02"), q);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->legs.size(), 2u);
    EXPECT_EQ(r->legs[0].series->key().kind, RateKind::reported);
    EXPECT_EQ(r->legs[1].series->key().kind, RateKind::official);
    // A path of official legs only does not answer a question about reported rates.
    const auto none = book.lookup(C("USD"), C("EUR"), day("2023-04-02"), q);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code(), Errc::no_rate_series);
}

TEST(RateBook, UnconnectedCurrenciesAndUnknownPlacesAreErrors) {
    const auto book = sample();
    const auto none = book.lookup(C("KPW"), C("USD"), day("2023-02-19"), {});
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code(), Errc::no_rate_series);
    EXPECT_EQ(std::string(none.error().what()), "no official rate connects KPW and USD");
    RateQuery q{RateKind::market, LookupPolicy::previous, std::nullopt, "Wonsan"};
    const auto place = book.lookup(C("KPW"), C("USD"), day("2023-02-19"), q);
    ASSERT_FALSE(place);
    EXPECT_EQ(place.error().param(), "location");
}

TEST(RateBook, WithoutADateTheLatestCommonDateIsUsed) {
    const auto book = sample();
    const auto r = book.lookup(C("CNY"), C("EUR"), std::nullopt, {});
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->latest);
    EXPECT_EQ(r->date, day("2023-04-03"));
    EXPECT_EQ(r->age_days, 0);
}

TEST(RateBook, SameCurrencyIsRateOneWithoutLegs) {
    const auto r = sample().lookup(C("USD"), C("USD"), day("2023-04-02"), {});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rate, D("1"));
    EXPECT_TRUE(r->legs.empty());
}

// A written rate may be as small as a decimal holds; read inverted it is larger than any:
// the lookup says so as its error, as it says a rate is missing.
TEST(RateBook, ARateWhoseInverseNoDecimalHoldsIsAnOverflowAnswered) {
    RateBook book;
    add(book, "USD", "KPW", RateKind::market, "Hyesan", {{"2023-03-01", "0.00000000000000000000000000000000000001"}});
    ASSERT_TRUE(book.freeze());
    RateQuery market;
    market.kind = RateKind::market;
    const auto forward = book.lookup(C("USD"), C("KPW"), day("2023-03-01"), market);
    ASSERT_TRUE(forward);
    Result<RateAnswer> inverse = Error(Errc::invalid_parameter, "not looked up");
    EXPECT_NO_THROW(inverse = book.lookup(C("KPW"), C("USD"), day("2023-03-01"), market));
    ASSERT_FALSE(inverse);
    EXPECT_EQ(inverse.error().code(), Errc::overflow);
}

TEST(RateBook, NegativeMaxGapIsRefused) {
    RateQuery q;
    q.max_gap_days = -1;
    EXPECT_EQ(sample().lookup(C("USD"), C("CNY"), day("2023-04-02"), q).error().param(), "max_gap");
}

}  // namespace
}  // namespace crossrate
