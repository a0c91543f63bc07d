#pragma once
// Currencies whose unit changed: the North Korean won was redenominated on 2009-11-30, 100 old
// won to 1 new. An amount of won written before that date is in old won, one written from it on
// in new won, so a figure (or a rate) read on the other side of the date is scaled by 100.

#include "pricing/calendar.hpp"
#include "pricing/currency.hpp"
#include "pricing/decimal.hpp"

#include <optional>
#include <string>

namespace crossrate {

struct Redenomination {
    std::string_view currency;  // "KPW"
    Date on;                    // the first day of the new unit
    std::string_view old_per_new;  // "100": one new unit is 100 old ones
};

// The redenomination of `currency`, if it had one.
const Redenomination* redenomination_of(CurrencyCode currency) noexcept;

// What takes an amount of `currency` written on `written` into the units current on `in`:
// 100 for new won read in old won's time, 1/100 for old won read in new won's time, nothing
// when both dates are on one side (or the currency never changed).
std::optional<Decimal> redenomination_factor(CurrencyCode currency, Date written, Date in);

// "KPW was redenominated on 2009-11-30: 100 old units are 1 new one".
std::string redenomination_note(const Redenomination& r);

}  // namespace crossrate
