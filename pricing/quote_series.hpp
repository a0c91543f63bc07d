#pragma once
// Prices over time: every quote of an item and kind by observed date, converted to one
// currency at a rate of its observation's date and, where the unit table knows its unit, per
// the unit's base (per kg for a mass). A point that cannot be converted or compared says why.

#include "pricing/cancellation.hpp"
#include "pricing/dataset.hpp"

#include <optional>
#include <string>
#include <vector>

namespace crossrate {

struct QuoteSeriesQuery {
    std::string item;
    std::string kind = "price";
    std::optional<QuoteSide> side;  // both when unset
    CurrencyCode currency;
    std::optional<std::string> unit;  // compare only quotes whose base unit is this one's
};

struct QuotePoint {
    const Quote* quote = nullptr;
    // In the asked currency, per `per`; unset with a `gap` saying why.
    std::optional<Decimal> value;
    std::optional<Decimal> low;
    std::optional<Decimal> high;
    std::string per;
    // The rate used: official where both currencies have one, else the market's (the won has no
    // official rate). Unset for a quote already in the asked currency.
    std::optional<RateAnswer> rate;
    // A won figure from before the 2009 redenomination read in today's won (or the reverse):
    // what the amount was multiplied by.
    std::optional<Decimal> redenominated;
    std::string gap;
};

struct QuoteSeries {
    QuoteSeriesQuery query;
    std::vector<QuotePoint> points;  // by observed date, then the order the quotes were added
};

// The query's item must exist and its unit be one the table knows (the caller checks both).
QuoteSeries quote_series(const Dataset& data, const QuoteSeriesQuery& query, const Cancellation& cancel);

}  // namespace crossrate
