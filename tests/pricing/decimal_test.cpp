#include "pricing/decimal.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

Decimal D(std::string_view text) { return Decimal::parse(text).value(); }

TEST(Decimal, ParsesPlainSignedAndExponentForms) {
    EXPECT_EQ(D("717.96").to_string(), "717.96");
    EXPECT_EQ(D("-0.15").to_string(), "-0.15");
    EXPECT_EQ(D("+3").to_string(), "3");
    EXPECT_EQ(D("6.964187224322029").to_string(), "6.964187224322029");
    EXPECT_EQ(D("1.7e-13").to_string(), "0.00000000000017");
    EXPECT_EQ(D("6.9e+10").to_string(), "69000000000");
    EXPECT_EQ(D(".5").to_string(), "0.5");
    EXPECT_EQ(D("5.").to_string(), "5");
}

TEST(Decimal, RejectsTextThatIsNotADecimalAndSaysWhy) {
    for (const char* bad : {"", "abc", "1,000", "1.2.3", "--1", "1e", "0x10", "1 ", " 1", "inf", "NaN", "."}) {
        const auto r = Decimal::parse(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code(), Errc::invalid_amount) << bad;
    }
    EXPECT_NE(std::string(Decimal::parse("1,000").error().what()).find("unexpected character ','"), std::string::npos);
}

TEST(Decimal, RefusesMoreDigitsThanItHoldsAndValuesOutOfRange) {
    EXPECT_FALSE(Decimal::parse("123456789012345678901234567890123456789"));  // 39 digits
    EXPECT_TRUE(Decimal::parse("12345678901234567890123456789012345678"));    // 38 digits
    const auto big = Decimal::parse("1e38");
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code(), Errc::overflow);
    EXPECT_FALSE(Decimal::parse("1e-39"));
}

TEST(Decimal, RoundsHalfToEvenAtTheEdge) {
    EXPECT_EQ(D("2.345").round(2).to_string(), "2.34");
    EXPECT_EQ(D("2.355").round(2).to_string(), "2.36");
    EXPECT_EQ(D("2.3451").round(2).to_string(), "2.35");
    EXPECT_EQ(D("2.5").round(0).to_string(), "2");
    EXPECT_EQ(D("3.5").round(0).to_string(), "4");
    EXPECT_EQ(D("-2.5").round(0).to_string(), "-2");
    EXPECT_EQ(D("-2.51").round(0).to_string(), "-3");
    EXPECT_EQ(D("0.005").round(2).to_string(), "0.00");
    EXPECT_EQ(D("0.015").round(2).to_string(), "0.02");
    EXPECT_EQ(D("9.995").round(2).to_string(), "10.00");
}

TEST(Decimal, RoundPadsToTheAskedPlaces) {
    EXPECT_EQ(D("3").round(2).to_string(), "3.00");
    EXPECT_EQ(D("1.5").round(4).to_string(), "1.5000");
    EXPECT_THROW((void)D("1").round(39), Error);
}

// For display: rounded and padded where that fits 38 digits, the value itself where it does
// not (10^33 has no room for six places); a difference no decimal holds is none.
TEST(Decimal, ShownRoundsWhereItFitsAndKeepsTheValueWhereItDoesNot) {
    EXPECT_EQ(shown(D("717.9645"), 2).to_string(), "717.96");
    EXPECT_EQ(shown(D("3"), 2).to_string(), "3.00");
    const Decimal huge = D("1" + std::string(33, '0'));
    EXPECT_THROW((void)huge.round(6), Error);
    EXPECT_EQ(shown(huge, 6), huge);
    EXPECT_EQ(shown_difference(D("5"), D("3.5"), 2)->to_string(), "1.50");
    const Decimal nines = D(std::string(38, '9'));
    EXPECT_FALSE(shown_difference(nines, -nines, 2));
}

TEST(Decimal, RoundsToSignificantDigits) {
    EXPECT_EQ(D("0.000119617224880382").round_significant(5).to_string(), "0.00011962");
    EXPECT_EQ(D("717.9645").round_significant(4).to_string(), "718.0");
    EXPECT_EQ(D("717.9645").round_significant(2).to_string(), "718");  // never rounds into the integer part
    EXPECT_EQ(D("1.5").round_significant(12).to_string(), "1.5");
}

TEST(Decimal, AddsAndSubtractsExactlyAcrossScales) {
    EXPECT_EQ((D("0.1") + D("0.2")).to_string(), "0.3");
    EXPECT_EQ((D("1500") - D("500.25")).to_string(), "999.75");
    EXPECT_EQ((D("-1") + D("1")).signum(), 0);
    EXPECT_EQ((D("0.00000000000017") + D("1000000")).to_string(), "1000000.00000000000017");
}

TEST(Decimal, MultipliesExactlyWhileTheProductFits) {
    EXPECT_EQ((D("5000") * D("0.15")).to_string(), "750.00");
    EXPECT_EQ((D("1.1") * D("1.1")).to_string(), "1.21");
    EXPECT_EQ((D("-3") * D("0.5")).to_string(), "-1.5");
}

TEST(Decimal, DividesTo38SignificantDigitsHalfEven) {
    EXPECT_EQ((D("1") / D("3")).to_string(), "0.33333333333333333333333333333333333333");
    EXPECT_EQ((D("2") / D("3")).to_string(), "0.66666666666666666666666666666666666667");
    EXPECT_EQ((D("-2") / D("3")).to_string(), "-0.66666666666666666666666666666666666667");
    EXPECT_EQ((D("1500") / D("500")).trimmed().to_string(), "3");
    EXPECT_EQ((D("80") / D("30")).round(6).to_string(), "2.666667");
    EXPECT_EQ((D("718") / D("5000")).trimmed().to_string(), "0.1436");
}

TEST(Decimal, ConvertsTheSeedBribeAtTheOfficialRateTo71796) {
    const Decimal rate = D("1") / D("6.964187224322029");
    EXPECT_EQ((D("5000") * rate).round(2).to_string(), "717.96");
    EXPECT_EQ((D("5000") / D("6.964187224322029")).round(2).to_string(), "717.96");
}

TEST(Decimal, ProductsBeyond38DigitsRoundInsteadOfFailing) {
    const Decimal third = D("1") / D("3");
    const Decimal ninth = third * third;
    EXPECT_EQ(ninth.to_string(), "0.11111111111111111111111111111111111111");
}

TEST(Decimal, MultiplyRoundRoundsOnceFromTheExactProduct) {
    // 0.0125 × (1 + 10^-37) = 0.0125 + 1.25 × 10^-39: just above the tie at three places. Held as
    // a Decimal first, the product keeps scale 38, where the excess is below half a unit and
    // goes: 0.0125 exactly, which then rounds half-even down. Rounded once, it goes up.
    const Decimal a = D("0.0125");
    const Decimal b = D("1.0000000000000000000000000000000000001");
    EXPECT_EQ((a * b).round(3).to_string(), "0.012");
    EXPECT_EQ(checked::multiply_round(a, b, 3)->to_string(), "0.013");
    EXPECT_EQ(checked::multiply_round(-a, b, 3)->to_string(), "-0.013");
    // Where the product fits, the two agree: it is exact before it is rounded.
    EXPECT_EQ(checked::multiply_round(D("5000"), D("0.143591774286"), 2)->to_string(), "717.96");
    EXPECT_EQ(checked::multiply_round(D("3"), D("0.5"), 4)->to_string(), "1.5000");
    EXPECT_EQ(checked::multiply_round(D("1"), D("2"), 39).error().code(), Errc::invalid_parameter);
    const Decimal huge = D("99999999999999999999999999999999999999");
    EXPECT_EQ(checked::multiply_round(huge, D("0.99999999999999999999"), 2).error().code(), Errc::overflow);
    EXPECT_EQ(checked::multiply_round(huge, D("0.5"), 0)->to_string(), "50000000000000000000000000000000000000");
}

TEST(Decimal, OverflowIsAnErrorNeverUndefinedBehaviour) {
    const Decimal huge = D("99999999999999999999999999999999999999");
    try {
        (void)(huge + D("1"));
        FAIL() << "no overflow";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::overflow);
    }
    EXPECT_THROW((void)(huge * D("10")), Error);
    EXPECT_THROW((void)(huge / D("0.1")), Error);
    EXPECT_THROW((void)(D("1") / D("0")), Error);
    EXPECT_EQ((huge * D("0.5")).to_string(), "50000000000000000000000000000000000000");
}

TEST(Decimal, ComparesByValueNotByDigits) {
    EXPECT_EQ(D("1.50"), D("1.5"));
    EXPECT_LT(D("0.1436"), D("0.15"));
    EXPECT_GT(D("-0.1"), D("-0.2"));
    EXPECT_EQ(D("0.00"), Decimal());
}

TEST(Decimal, TrimsTrailingZerosOnly) {
    EXPECT_EQ(D("1.500").trimmed().to_string(), "1.5");
    EXPECT_EQ(D("1000").trimmed().to_string(), "1000");
    EXPECT_EQ(D("0.000").trimmed().to_string(), "0");
}

}  // namespace
}  // namespace crossrate

namespace crossrate {
namespace {

// operator/ divides by 64-bit coefficients on a fast path; it must answer exactly what the
// general 256-bit division answers, digit for digit.
TEST(Decimal, FastDivisionAgreesWithTheGeneralOne) {
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    const auto random_decimal = [&](int max_digits) {
        const int digits = 1 + static_cast<int>(next() % static_cast<std::uint64_t>(max_digits));
        Decimal::Coefficient c = 0;
        for (int i = 0; i < digits; ++i) c = c * 10 + static_cast<int>(next() % 10);
        if (c == 0) c = 1 + static_cast<int>(next() % 9);
        if (next() % 2) c = -c;
        const int scale = static_cast<int>(next() % static_cast<std::uint64_t>(std::min(38, digits + 20)));
        return Decimal::from_parts(c, scale);
    };
    for (int i = 0; i < 200000; ++i) {
        const Decimal a = random_decimal(38);
        const Decimal b = random_decimal(i % 3 == 0 ? 19 : 6);
        const auto fast = checked::divide(a, b);
        const auto wide = detail::divide_wide(a, b);
        ASSERT_EQ(fast.has_value(), wide.has_value()) << a.to_string() << " / " << b.to_string();
        if (fast) {
            ASSERT_EQ(fast->to_string(), wide->to_string()) << a.to_string() << " / " << b.to_string();
        } else {
            ASSERT_EQ(fast.error().code(), wide.error().code()) << a.to_string() << " / " << b.to_string();
        }
    }
    // Ties and exact quotients.
    EXPECT_EQ((D("1") / D("8")).trimmed().to_string(), "0.125");
    EXPECT_EQ((D("5") / D("2")).trimmed().to_string(), "2.5");
    EXPECT_EQ((D("99999999999999999999999999999999999999") / D("1")).to_string(),
              "99999999999999999999999999999999999999");
}

}  // namespace
}  // namespace crossrate

namespace crossrate {
namespace {

TEST(Decimal, ComparisonAgreesWithTheSignOfTheDifference) {
    std::uint64_t state = 12345;
    const auto next = [&state] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state >> 11;
    };
    for (int i = 0; i < 100000; ++i) {
        const auto a = Decimal::from_parts(static_cast<Decimal::Coefficient>(next() % 2000000) - 1000000,
                                           static_cast<int>(next() % 30));
        const auto b = Decimal::from_parts(static_cast<Decimal::Coefficient>(next() % 2000000) - 1000000,
                                           static_cast<int>(next() % 30));
        ASSERT_EQ((a <=> b), ((a - b).signum() <=> 0)) << a.to_string() << " vs " << b.to_string();
    }
}

}  // namespace
}  // namespace crossrate

namespace crossrate {
namespace {

// The checked functions answer what the operators answer, and fail with the Error the
// operators throw: the same code and message.
TEST(Decimal, CheckedOperationsReturnTheErrorsTheOperatorsThrow) {
    const Decimal huge = D("99999999999999999999999999999999999999");
    const auto thrown = [](auto&& f) -> Error {
        try {
            (void)f();
        } catch (const Error& e) {
            return e;
        }
        ADD_FAILURE() << "nothing thrown";
        return Error();
    };
    const auto same = [](const Result<Decimal>& r, const Error& e) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code(), e.code());
        EXPECT_STREQ(r.error().what(), e.what());
        EXPECT_EQ(r.error().param(), "");
    };
    same(checked::add(huge, D("1")), thrown([&] { return huge + D("1"); }));
    same(checked::subtract(-huge, D("1")), thrown([&] { return -huge - D("1"); }));
    same(checked::multiply(huge, D("10")), thrown([&] { return huge * D("10"); }));
    same(checked::divide(huge, D("0.1")), thrown([&] { return huge / D("0.1"); }));
    same(checked::divide(D("1"), D("0")), thrown([&] { return D("1") / D("0"); }));
    same(checked::round(D("1"), 39), thrown([&] { return D("1").round(39); }));
    same(checked::round(huge, 1), thrown([&] { return huge.round(1); }));
    same(checked::round_significant(D("1"), 0), thrown([&] { return D("1").round_significant(0); }));
    same(checked::from_parts(1, 39), thrown([&] { return Decimal::from_parts(1, 39); }));
    EXPECT_EQ(checked::divide(D("1"), D("0")).error().code(), Errc::division_by_zero);
    EXPECT_EQ(checked::add(huge, D("1")).error().code(), Errc::overflow);
    EXPECT_EQ(checked::multiply(D("5000"), D("0.15")).value().to_string(), "750.00");
    EXPECT_EQ(checked::round(D("2.345"), 2).value().to_string(), "2.34");
}

TEST(Decimal, ACalculationKeepsItsFirstFailureAndStopsThere) {
    checked::Calculation ok;
    const Decimal cargo = ok.multiply(D("3"), ok.add(D("100"), D("5.5")));
    EXPECT_EQ(ok.result(cargo).value().to_string(), "316.5");

    checked::Calculation bad;
    const Decimal huge = D("99999999999999999999999999999999999999");
    const Decimal first = bad.multiply(huge, D("2"));  // overflow
    const Decimal then = bad.divide(D("1"), D("0"));   // not computed: no division_by_zero
    EXPECT_TRUE(bad.failed());
    EXPECT_TRUE(first.is_zero());
    EXPECT_TRUE(then.is_zero());
    const auto r = bad.result(then);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), Errc::overflow);
}

}  // namespace
}  // namespace crossrate
