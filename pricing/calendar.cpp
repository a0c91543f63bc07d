#include "pricing/calendar.hpp"

#include <charconv>

namespace crossrate {
namespace {

bool read_number(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) return false;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return true;
}

Error bad_date(std::string_view text, std::string_view why) {
    return Error(Errc::invalid_date, "'" + std::string(text) + "' is not a valid date: " + std::string(why));
}

}  // namespace

Result<Date> parse_period(std::string_view text, DatePrecision precision) {
    const std::size_t expected = precision == DatePrecision::day ? 10 : precision == DatePrecision::month ? 7 : 4;
    const char* shape = precision == DatePrecision::day ? "expected YYYY-MM-DD"
                        : precision == DatePrecision::month ? "expected YYYY-MM"
                                                            : "expected YYYY";
    int y = 0, m = 1, d = 1;
    if (text.size() != expected || !read_number(text, 0, 4, y)) return bad_date(text, shape);
    if (precision != DatePrecision::year && (text[4] != '-' || !read_number(text, 5, 2, m))) {
        return bad_date(text, shape);
    }
    if (precision == DatePrecision::day && (text[7] != '-' || !read_number(text, 8, 2, d))) {
        return bad_date(text, shape);
    }
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.month().ok()) return bad_date(text, "no month " + std::to_string(m));
    if (!ymd.ok()) return bad_date(text, "that month has no day " + std::to_string(d));
    return Date{ymd};
}

Result<Date> parse_date(std::string_view text) { return parse_period(text, DatePrecision::day); }

std::string format_date(Date d) {
    // By hand: date::format builds a stream per call, and dates are formatted on every answer.
    const date::year_month_day ymd{d};
    const int y = static_cast<int>(ymd.year());
    const auto m = static_cast<unsigned>(ymd.month());
    const auto dd = static_cast<unsigned>(ymd.day());
    if (y < 0 || y > 9999) return date::format("%F", d);
    std::string out = "0000-00-00";
    out[0] = static_cast<char>('0' + y / 1000);
    out[1] = static_cast<char>('0' + y / 100 % 10);
    out[2] = static_cast<char>('0' + y / 10 % 10);
    out[3] = static_cast<char>('0' + y % 10);
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[8] = static_cast<char>('0' + dd / 10);
    out[9] = static_cast<char>('0' + dd % 10);
    return out;
}

int days_between(Date from, Date to) noexcept { return static_cast<int>((to - from).count()); }

Result<DatePrecision> parse_date_precision(std::string_view text) {
    if (text == "day") return DatePrecision::day;
    if (text == "month") return DatePrecision::month;
    if (text == "year") return DatePrecision::year;
    return Error(Errc::invalid_parameter, "'" + std::string(text) + "' is not a date precision (day, month, year)");
}

std::string_view to_string(DatePrecision p) noexcept {
    switch (p) {
        case DatePrecision::day: return "day";
        case DatePrecision::month: return "month";
        case DatePrecision::year: return "year";
    }
    return "day";
}

std::string ReportedDate::text() const {
    const date::year_month_day ymd{date};
    switch (precision) {
        case DatePrecision::year: return date::format("%Y", ymd);
        case DatePrecision::month: return date::format("%Y-%m", ymd);
        case DatePrecision::day: break;
    }
    return format_date(date);
}

Date ReportedDate::last_day() const {
    const date::year_month_day ymd{date};
    switch (precision) {
        case DatePrecision::year: return Date{ymd.year() / date::December / date::last};
        case DatePrecision::month: return Date{ymd.year() / ymd.month() / date::last};
        case DatePrecision::day: break;
    }
    return date;
}

Result<Interval> parse_interval(std::string_view text) {
    if (text == "day") return Interval::day;
    if (text == "week") return Interval::week;
    if (text == "month") return Interval::month;
    if (text == "year") return Interval::year;
    return Error(Errc::invalid_parameter, "interval must be day, week, month or year", "interval");
}

std::string_view to_string(Interval i) noexcept {
    switch (i) {
        case Interval::day: return "day";
        case Interval::week: return "week";
        case Interval::month: return "month";
        case Interval::year: return "year";
    }
    return "day";
}

Result<std::vector<Date>> step_dates(Date start, Date end, Interval interval, std::size_t max_points) {
    if (end < start) return Error(Errc::invalid_parameter, "end is before start", "end");
    std::vector<Date> dates;
    const date::year_month_day first{start};
    for (int i = 0;; ++i) {
        Date d;
        if (interval == Interval::month || interval == Interval::year) {
            const auto ym = first.year() / first.month() + date::months{interval == Interval::year ? 12 * i : i};
            const date::year_month_day candidate{ym / first.day()};
            d = candidate.ok() ? Date{candidate} : Date{ym / date::last};
        } else {
            d = start + date::days{interval == Interval::week ? 7 * i : i};
        }
        if (d > end) break;
        if (dates.size() == max_points) {
            return Error(Errc::too_large,
                         "a series holds at most " + std::to_string(max_points) +
                             " points; narrow start..end or use a longer interval",
                         "end");
        }
        dates.push_back(d);
    }
    return dates;
}

}  // namespace crossrate
