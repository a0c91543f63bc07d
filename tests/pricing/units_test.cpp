// One unit table: masses normalise to per kg exactly, counts stay per their count, and what
// the table does not know is not guessed.

#include "pricing/units.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

Decimal D(std::string_view s) { return Decimal::parse(s).value(); }

TEST(Units, MassesNormaliseToPerKilogram) {
    EXPECT_EQ(normalize(D("5"), "jin")->amount, D("10"));          // a jin is half a kilogram
    EXPECT_EQ(normalize(D("300"), "ton")->amount, D("0.3"));
    EXPECT_EQ(normalize(D("12"), "500 g")->amount, D("24"));       // a stated weight
    EXPECT_EQ(normalize(D("4000"), "200 kg bag")->amount, D("20"));
    EXPECT_EQ(normalize(D("0.45359237"), "pound")->amount, D("1"));
    const auto kg = normalize(D("7"), "kg");
    EXPECT_EQ(kg->amount, D("7"));
    EXPECT_EQ(kg->unit, "kg");
    EXPECT_FALSE(kg->converted);
    EXPECT_TRUE(normalize(D("5"), "jin")->converted);
}

TEST(Units, CountsStayPerTheirCount) {
    const auto head = normalize(D("500"), "head");
    ASSERT_TRUE(head.has_value());
    EXPECT_EQ(head->amount, D("500"));
    EXPECT_EQ(head->unit, "head");
    EXPECT_EQ(measure_of("person")->dimension, Dimension::count);
    EXPECT_EQ(measure_of("jin")->dimension, Dimension::mass);
}

TEST(Units, WhatTheTableDoesNotKnowIsNotGuessed) {
    for (const char* unknown : {"not reported", "bag", "percent of smuggler's profit", "0 kg", "-3 kg", "5 parsecs", ""}) {
        EXPECT_FALSE(normalize(D("1"), unknown).has_value()) << unknown;
    }
}

}  // namespace
}  // namespace crossrate
