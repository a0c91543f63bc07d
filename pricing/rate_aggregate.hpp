#pragma once
// A rate summarised by period: the observations of each week, month or year (days on which every
// leg of the path was observed) taken first, last, as their mean, minimum or maximum, with
// their count; and the change from the first period's value to the last one's.

#include "pricing/cancellation.hpp"
#include "pricing/rate_book.hpp"

#include <optional>
#include <string>
#include <vector>

namespace crossrate {

enum class Aggregate { first, last, mean, min, max };
Result<Aggregate> parse_aggregate(std::string_view text);
std::string_view to_string(Aggregate a) noexcept;

struct Period {
    Date start;  // the period's first day within the range asked
    Date end;    // its last
    std::optional<Decimal> value;  // none: no observation in the period, or a value no decimal holds (see gap)
    std::size_t count = 0;         // observed days aggregated
    std::optional<Date> first_observed, last_observed;
    std::string gap;
};

// Periods of `interval` from `start` to `end`: a week is seven days from `start`; a month and a
// year are the calendar's, clipped to the range. A day counts where the rate is observed on it
// (the lookup policy exact, on every leg). More than `max_days` days is too large.
Result<std::vector<Period>> aggregate_series(const RateBook& rates, CurrencyCode base, CurrencyCode quote, Date start,
                                             Date end, Interval interval, Aggregate aggregate, RateQuery query,
                                             std::size_t max_days, const Cancellation& cancel);

// From the first value to the last: absolute and percent (exact decimals; percent rounded to 6
// places). None from zero, or when the change does not fit a decimal.
struct SeriesChange {
    Date from_date, to_date;
    Decimal from, to, absolute, percent;
};
std::optional<SeriesChange> change_between(Date from_date, const Decimal& from, Date to_date, const Decimal& to);

}  // namespace crossrate
