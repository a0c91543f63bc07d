#pragma once
// Converting an amount between currencies on a date: the rate lookup, then rounding at the
// edge (half-even to the target currency's minor units, or to `places`).

#include "pricing/rate_book.hpp"

#include <optional>

namespace crossrate {

struct Conversion {
    Decimal amount;
    const Currency* from = nullptr;
    const Currency* to = nullptr;
    Decimal result;  // amount × rate, rounded half-even to `places`
    int places = 2;
    RateAnswer rate;
};

// amount × rate rounded half-even to `places`, which must be from 0 to 18: a conversion's result.
Result<Decimal> converted_amount(const Decimal& amount, const Decimal& rate, int places);

// `places` from 0 to 18; the target currency's minor units when unset.
Result<Conversion> convert(const RateBook& rates, Decimal amount, const Currency& from, const Currency& to,
                           std::optional<Date> date,
                           const RateQuery& query, std::optional<int> places = std::nullopt);

}  // namespace crossrate
