#include "pricing/quote_series.hpp"

#include "pricing/redenomination.hpp"
#include "pricing/units.hpp"

#include <algorithm>

namespace crossrate {
namespace {

// Official where the pair has one; the won has none, so its quotes convert at the market's.
Result<RateAnswer> rate_for(const Dataset& data, CurrencyCode from, CurrencyCode to, Date on) {
    auto official = data.rates.lookup(from, to, on, RateQuery{});
    if (official || official.error().code() != Errc::no_rate_series) return official;
    RateQuery market;
    market.kind = RateKind::market;
    market.policy = LookupPolicy::nearest;
    auto answer = data.rates.lookup(from, to, on, market);
    if (answer) return answer;
    return Error(answer.error().code(), std::string(official.error().what()) + "; and " + answer.error().what());
}

}  // namespace

QuoteSeries quote_series(const Dataset& data, const QuoteSeriesQuery& query, const Cancellation& cancel) {
    QuoteSeries series{query, {}};
    const auto asked = query.unit ? measure_of(*query.unit) : std::nullopt;
    std::vector<const Quote*> quotes;
    if (const QuoteDates* dates = data.quote_dates_of(query.item, query.kind)) {
        for (const auto* list : {&dates->day, &dates->coarse}) {
            for (const std::uint32_t p : *list) {
                if (data.quotes.visible(p) && (!query.side || data.quotes[p].side == query.side)) quotes.push_back(&data.quotes[p]);
            }
        }
    }
    std::stable_sort(quotes.begin(), quotes.end(), [](const Quote* a, const Quote* b) { return a->observed.date < b->observed.date; });
    // Every point in the units current today: old won read as new.
    const Date today_units = Date{date::year{9999} / date::January / 1};
    for (const Quote* q : quotes) {
        cancel.tick();
        QuotePoint p;
        p.quote = q;
        const auto measure = measure_of(q->unit);
        p.per = measure ? measure->base : q->unit;
        if (asked && (!measure || measure->base != asked->base)) {
            p.gap = "priced per " + q->unit + ", not comparable per " + *query.unit;
            series.points.push_back(std::move(p));
            continue;
        }
        Decimal factor(1);
        if (q->currency != query.currency) {
            auto rate = rate_for(data, q->currency, query.currency, q->observed.date);
            if (!rate) {
                p.gap = rate.error().what();
                series.points.push_back(std::move(p));
                continue;
            }
            factor = rate->rate;
            p.rate = std::move(*rate);
        }
        // A value no decimal holds is the point's gap, as a missing rate is.
        Result<Decimal> scaled_factor = factor;
        if (const auto r = redenomination_factor(query.currency, q->observed.date, today_units)) {
            p.redenominated = *r;
            scaled_factor = checked::multiply(factor, *r);
        }
        // Per the base unit: the amount per unit divided by the unit's size in it.
        const Decimal size = measure ? measure->per_base : Decimal(1);
        const auto convert = [&](const Decimal& amount) {
            const auto in_currency = scaled_factor ? checked::multiply(amount, *scaled_factor) : scaled_factor;
            return in_currency ? checked::divide(*in_currency, size) : in_currency;
        };
        const auto value = convert(q->amount);
        const auto low = q->low ? convert(*q->low) : Result<Decimal>(Decimal());
        const auto high = q->high ? convert(*q->high) : Result<Decimal>(Decimal());
        for (const auto* converted : {&value, &low, &high}) {
            if (!*converted && p.gap.empty()) p.gap = converted->error().what();
        }
        if (p.gap.empty()) {
            p.value = *value;
            if (q->low) p.low = *low;
            if (q->high) p.high = *high;
        }
        series.points.push_back(std::move(p));
    }
    return series;
}

}  // namespace crossrate
