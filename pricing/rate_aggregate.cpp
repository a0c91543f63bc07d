#include "pricing/rate_aggregate.hpp"

namespace crossrate {

Result<Aggregate> parse_aggregate(std::string_view text) {
    if (text == "first") return Aggregate::first;
    if (text == "last") return Aggregate::last;
    if (text == "mean") return Aggregate::mean;
    if (text == "min") return Aggregate::min;
    if (text == "max") return Aggregate::max;
    return Error(Errc::invalid_parameter, "aggregate must be first, last, mean, min or max", "aggregate");
}

std::string_view to_string(Aggregate a) noexcept {
    switch (a) {
        case Aggregate::first: return "first";
        case Aggregate::last: return "last";
        case Aggregate::mean: return "mean";
        case Aggregate::min: return "min";
        case Aggregate::max: return "max";
    }
    return "mean";
}

namespace {

// The last day of the period that begins on `day`.
Date period_end(Date day, Date start, Interval interval) {
    switch (interval) {
        case Interval::day: return day;
        case Interval::week: return day + date::days{6 - (days_between(start, day) % 7)};
        case Interval::month: {
            const date::year_month_day ymd{day};
            return Date{ymd.year() / ymd.month() / date::last};
        }
        case Interval::year: return Date{date::year_month_day{day}.year() / date::December / 31};
    }
    return day;
}

}  // namespace

Result<std::vector<Period>> aggregate_series(const RateBook& rates, CurrencyCode base, CurrencyCode quote, Date start,
                                             Date end, Interval interval, Aggregate aggregate, RateQuery query,
                                             std::size_t max_days, const Cancellation& cancel) {
    if (end < start) return Error(Errc::invalid_parameter, "end is before start", "end");
    if (static_cast<std::size_t>(days_between(start, end)) + 1 > max_days) {
        return Error(Errc::too_large,
                     "an aggregated series reads at most " + std::to_string(max_days) + " days; narrow start..end", "end");
    }
    // Observed days only: the value on a day is one observed on it, on every leg.
    query.policy = LookupPolicy::exact;
    query.max_gap_days = 0;
    std::vector<Period> out;
    for (Date day = start; day <= end;) {
        Period p{day, std::min(period_end(day, start, interval), end), std::nullopt, 0, std::nullopt, std::nullopt, {}};
        Result<Decimal> sum = Decimal();  // a mean's: an overflow is the period's gap
        // A day observed whose rate no decimal holds (written rates may be as large or as small
        // as one holds, and a cross multiplies them): the period has no value, and says why.
        std::optional<std::string> unfit;
        for (Date d = p.start; d <= p.end; d += date::days{1}) {
            cancel.tick();
            auto answer = rates.lookup(base, quote, d, query);
            if (!answer) {
                if (answer.error().code() == Errc::no_rate_series) return answer.error();
                if (answer.error().code() == Errc::overflow && !unfit) {
                    unfit = format_date(d) + ": " + answer.error().what();
                }
                continue;
            }
            const Decimal& v = answer->rate;
            if (!p.first_observed) p.first_observed = d;
            p.last_observed = d;
            ++p.count;
            switch (aggregate) {
                case Aggregate::first:
                    if (!p.value) p.value = v;
                    break;
                case Aggregate::last: p.value = v; break;
                case Aggregate::mean:
                    if (sum) sum = checked::add(*sum, v);
                    break;
                case Aggregate::min:
                    if (!p.value || v < *p.value) p.value = v;
                    break;
                case Aggregate::max:
                    if (!p.value || v > *p.value) p.value = v;
                    break;
            }
        }
        if (aggregate == Aggregate::mean && p.count > 0) {
            const auto mean = sum ? checked::divide(*sum, Decimal(static_cast<std::int64_t>(p.count))) : sum;
            if (mean) p.value = *mean; else p.gap = mean.error().what();
        }
        if (p.count == 0) {
            p.gap = "no observation from " + format_date(p.start) + " to " + format_date(p.end);
        }
        if (unfit) {
            p.value.reset();
            p.gap = *unfit;
        }
        day = p.end + date::days{1};
        out.push_back(std::move(p));
    }
    return out;
}

std::optional<SeriesChange> change_between(Date from_date, const Decimal& from, Date to_date, const Decimal& to) {
    if (from.is_zero()) return std::nullopt;
    checked::Calculation c;
    const Decimal absolute = c.subtract(to, from);
    const Decimal percent = c.round(c.divide(c.multiply(absolute, Decimal(100)), from), 6);
    if (c.failed()) return std::nullopt;
    return SeriesChange{from_date, to_date, from, to, absolute, percent.trimmed()};
}

}  // namespace crossrate
