#include "pricing/conversion.hpp"

namespace crossrate {

namespace {

Result<void> check_places(int places) {
    if (places < 0 || places > 18) {
        return Error(Errc::invalid_parameter, "places must be between 0 and 18, not " + std::to_string(places), "places");
    }
    return {};
}

}  // namespace

Result<Decimal> converted_amount(const Decimal& amount, const Decimal& rate, int places) {
    if (auto valid = check_places(places); !valid) return valid.error();
    // Rounded once, from the exact product. An amount so large the result leaves the decimal
    // range is the amount's fault.
    auto result = checked::multiply_round(amount, rate, places);
    if (!result) return result.error().with_param("amount");
    return result;
}

Result<Conversion> convert(const RateBook& rates, Decimal amount, const Currency& from, const Currency& to,
                           std::optional<Date> date,
                           const RateQuery& query, std::optional<int> places) {
    const int digits = places.value_or(to.minor_units);
    if (auto checked = check_places(digits); !checked) return checked.error();
    auto rate = rates.lookup(from.code, to.code, date, query);
    if (!rate) return rate.error();
    auto result = converted_amount(amount, rate->rate, digits);
    if (!result) return result.error();
    return Conversion{amount, &from, &to, *result, digits, std::move(*rate)};
}

}  // namespace crossrate
