#pragma once
// Calendar dates (date::sys_days) and the dates of reports, which carry how precise they
// are and whether they were inferred rather than stated.

#include "pricing/error.hpp"

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate {

using Date = date::sys_days;

// Strictly YYYY-MM-DD and a real calendar day: 2023-02-30 is an error, not March 2nd.
Result<Date> parse_date(std::string_view text);
std::string format_date(Date d);

// Signed whole days from `from` to `to`.
int days_between(Date from, Date to) noexcept;

enum class DatePrecision { day, month, year };
Result<DatePrecision> parse_date_precision(std::string_view text);
std::string_view to_string(DatePrecision p) noexcept;

// "2023-04-02" (day), "2023-03" (month), "2023" (year). The date held is the first day of
// the period; precision says how much of it is known.
struct ReportedDate {
    Date date;
    DatePrecision precision = DatePrecision::day;
    bool inferred = false;  // not stated by the source: worked out (the note says how)
    std::string note;

    // "2023-03" for a month, "2023-04-02" for a day.
    std::string text() const;
    // The last day the period covers (the date itself for day precision).
    Date last_day() const;
};

enum class Interval { day, week, month, year };
Result<Interval> parse_interval(std::string_view text);
std::string_view to_string(Interval i) noexcept;

// start, then every day, every seventh day, or the start's day of each month or year (the
// month's last day where it is shorter: 01-31, 02-28, 03-31), up to end. More than max_points is an
// error (code too_large).
Result<std::vector<Date>> step_dates(Date start, Date end, Interval interval, std::size_t max_points);

// Parses the period text written at `precision`.
Result<Date> parse_period(std::string_view text, DatePrecision precision);

}  // namespace crossrate
