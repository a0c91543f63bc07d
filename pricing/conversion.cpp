#include "pricing/conversion.hpp"

namespace crossrate {

Result<Conversion> convert(const RateBook& rates, Decimal amount, const Currency& from, const Currency& to,
                           std::optional<Date> date,
                           const RateQuery& query, std::optional<int> places) {
    const int digits = places.value_or(to.minor_units);
    if (digits < 0 || digits > 18) {
        return Error(Errc::invalid_parameter, "places must be between 0 and 18, not " + std::to_string(digits), "places");
    }
    auto rate = rates.lookup(from.code, to.code, date, query);
    if (!rate) return rate.error();
    try {
        const Decimal result = (amount * rate->rate).round(digits);
        return Conversion{amount, &from, &to, result, digits, std::move(*rate)};
    } catch (const Error& e) {  // an amount so large the result leaves the decimal range
        return e.with_param("amount");
    }
}

}  // namespace crossrate
