#include "pricing/rate_kind.hpp"

#include <string>

namespace crossrate {

const RateKindInfo& info(RateKind kind) noexcept {
    for (const RateKindInfo& k : rate_kinds) {
        if (k.kind == kind) return k;
    }
    return rate_kinds[0];
}

Result<RateKind> parse_rate_kind(std::string_view text) {
    for (const RateKindInfo& k : rate_kinds) {
        if (k.name == text) return k.kind;
    }
    return Error(Errc::invalid_parameter, "'" + std::string(text) + "' is not a rate kind (" +
                     rate_kind_names([](const RateKindInfo&) { return true; }, ", ") + ")",
                 "kind");
}

std::string_view to_string(RateKind kind) noexcept { return info(kind).name; }

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

int default_max_gap_days(RateKind kind) noexcept { return info(kind).default_max_gap_days; }

}  // namespace crossrate
