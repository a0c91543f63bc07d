#include "pricing/rate_kind.hpp"

#include <string>

namespace crossrate {

Result<RateKind> parse_rate_kind(std::string_view text) {
    if (text == "official") return RateKind::official;
    if (text == "reported") return RateKind::reported;
    if (text == "market") return RateKind::market;
    return Error(Errc::invalid_parameter,
                 "'" + std::string(text) + "' is not a rate kind (official, reported, market)", "kind");
}

std::string_view to_string(RateKind kind) noexcept {
    switch (kind) {
        case RateKind::official: return "official";
        case RateKind::reported: return "reported";
        case RateKind::market: return "market";
    }
    return "official";
}

Result<LookupPolicy> parse_lookup_policy(std::string_view text) {
    if (text == "previous") return LookupPolicy::previous;
    if (text == "next") return LookupPolicy::next;
    if (text == "nearest") return LookupPolicy::nearest;
    if (text == "linear") return LookupPolicy::linear;
    if (text == "exact") return LookupPolicy::exact;
    return Error(Errc::invalid_parameter,
                 "'" + std::string(text) + "' is not a lookup policy (previous, next, nearest, linear, exact)",
                 "policy");
}

std::string_view to_string(LookupPolicy policy) noexcept {
    switch (policy) {
        case LookupPolicy::previous: return "previous";
        case LookupPolicy::next: return "next";
        case LookupPolicy::nearest: return "nearest";
        case LookupPolicy::linear: return "linear";
        case LookupPolicy::exact: return "exact";
    }
    return "previous";
}

int default_max_gap_days(RateKind kind) noexcept {
    switch (kind) {
        case RateKind::official: return 7;
        case RateKind::market: return 31;
        case RateKind::reported: return 31;
    }
    return 7;
}

}  // namespace crossrate
