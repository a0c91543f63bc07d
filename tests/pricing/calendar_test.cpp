#include "pricing/calendar.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

using namespace date::literals;

TEST(Calendar, ParsesRealCalendarDaysOnly) {
    EXPECT_EQ(parse_date("2022-12-15").value(), Date{2022_y / 12 / 15});
    EXPECT_EQ(parse_date("2024-02-29").value(), Date{2024_y / 2 / 29});
    for (const char* bad : {"2023-02-30", "2023-02-29", "2023-13-01", "2023-00-10", "2023-4-2", "2023/04/02",
                            "20230402", "2023-04-02T00:00", "", "yesterday"}) {
        const auto r = parse_date(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code(), Errc::invalid_date) << bad;
    }
    EXPECT_NE(std::string(parse_date("2023-02-30").error().what()).find("no day 30"), std::string::npos);
}

TEST(Calendar, CountsSignedDays) {
    EXPECT_EQ(days_between(parse_date("2023-03-31").value(), parse_date("2023-04-02").value()), 2);
    EXPECT_EQ(days_between(parse_date("2023-04-03").value(), parse_date("2023-04-02").value()), -1);
}

TEST(Calendar, ReportedDatesKeepTheirPrecision) {
    const ReportedDate march{parse_period("2023-03", DatePrecision::month).value(), DatePrecision::month, true, {}};
    EXPECT_EQ(march.text(), "2023-03");
    EXPECT_EQ(march.date, Date{2023_y / 3 / 1});
    EXPECT_EQ(march.last_day(), Date{2023_y / 3 / 31});
    const ReportedDate feb{parse_period("2024-02", DatePrecision::month).value(), DatePrecision::month, false, {}};
    EXPECT_EQ(feb.last_day(), Date{2024_y / 2 / 29});
    EXPECT_EQ(parse_period("2023", DatePrecision::year).value(), Date{2023_y / 1 / 1});
    EXPECT_FALSE(parse_period("2023-03", DatePrecision::day));
}

}  // namespace
}  // namespace crossrate
