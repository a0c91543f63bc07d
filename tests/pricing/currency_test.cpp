#include "pricing/currency.hpp"
#include "pricing/suggest.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

CurrencyCode C(std::string_view s) { return *CurrencyCode::from_text(s); }

CurrencyTable table() {
    return CurrencyTable({{C("USD"), 840, 2, "US Dollar"}, {C("CNY"), 156, 2, "Yuan Renminbi"}, {C("JPY"), 392, 0, "Yen"}},
                         {{C("RMB"), C("CNY")}});
}

TEST(Currency, CodesAreThreeLettersInAnyCase) {
    EXPECT_EQ(C("usd").view(), "USD");
    EXPECT_FALSE(CurrencyCode::from_text("US"));
    EXPECT_FALSE(CurrencyCode::from_text("US1"));
    EXPECT_FALSE(CurrencyCode::from_text("USDX"));
}

TEST(Currency, TableResolvesCodesCaseInsensitivelyAndRmbAsCny) {
    const auto t = table();
    EXPECT_EQ(t.find("cny").value()->code.view(), "CNY");
    EXPECT_EQ(t.find("RMB").value()->code.view(), "CNY");
    EXPECT_EQ(t.find("rmb").value()->minor_units, 2);
    EXPECT_EQ(t.find("JPY").value()->minor_units, 0);
    EXPECT_EQ(t.aliases_of(C("CNY")).size(), 1u);
}

TEST(Currency, UnknownCurrenciesAreNamedInTheError) {
    const auto t = table();
    const auto r = t.find("XYZ");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), Errc::unknown_currency);
    EXPECT_EQ(std::string(r.error().what()), "unknown currency 'XYZ'");
    // Two letters swapped: the nearest code or alias is named.
    EXPECT_EQ(std::string(table().find("RBM").error().what()), "unknown currency 'RBM' (did you mean 'RMB'?)");
    EXPECT_EQ(t.find("dollars").error().code(), Errc::unknown_currency);
}

}  // namespace
}  // namespace crossrate

namespace crossrate {
namespace {

// A code one edit from a known one (two letters swapped, one changed) is suggested.
TEST(Suggest, AMistypedCodeOrIdNamesTheNearestOnes) {
    EXPECT_EQ(edits_between("RBM", "RMB"), 1u);
    EXPECT_EQ(edits_between("goats", "GOAT"), 1u);
    EXPECT_EQ(edits_between("kitten", "sitting"), 3u);
    EXPECT_EQ(did_you_mean("RBM", {"RMB", "RUB", "CNY"}), " (did you mean 'RMB'?)");
    EXPECT_EQ(did_you_mean("shep", {"sheep", "goat", "shop"}), " (did you mean 'sheep' or 'shop'?)");
    EXPECT_EQ(did_you_mean("zzz", {"goat", "sheep"}), "");
    EXPECT_EQ(did_you_mean("goat", {"goat"}), "");  // found, so nothing to suggest
}

}  // namespace
}  // namespace crossrate
