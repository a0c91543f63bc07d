#include "pricing/dataset.hpp"

#include <algorithm>
#include <cctype>

namespace crossrate {

std::string_view to_string(QuoteSide side) noexcept { return side == QuoteSide::origin ? "origin" : "destination"; }

Result<QuoteSide> parse_quote_side(std::string_view text) {
    if (text == "origin") return QuoteSide::origin;
    if (text == "destination") return QuoteSide::destination;
    return Error(Errc::invalid_parameter, "'" + std::string(text) + "' is not a side (origin, destination)", "side");
}

std::string_view to_string(RegimeLevel level) noexcept {
    switch (level) {
        case RegimeLevel::lax: return "lax";
        case RegimeLevel::tightening: return "tightening";
        case RegimeLevel::crackdown: return "crackdown";
    }
    return "lax";
}

Result<RegimeLevel> parse_regime_level(std::string_view text) {
    if (text == "lax") return RegimeLevel::lax;
    if (text == "tightening") return RegimeLevel::tightening;
    if (text == "crackdown") return RegimeLevel::crackdown;
    return Error(Errc::invalid_parameter,
                 "'" + std::string(text) + "' is not an enforcement level (lax, tightening, crackdown)", "level");
}

std::string slug(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            out.push_back(static_cast<char>(std::tolower(u)));
        } else if (!out.empty() && out.back() != '-') {
            out.push_back('-');
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string rate_report_id(const RateReport& r) {
    std::string id = std::string(to_string(r.kind)) + "-" + slug(r.base.view()) + "-" + slug(r.quote.view());
    if (!r.location.empty()) id += "-" + slug(r.location);
    return id + "-" + r.date.text();
}

const Source* Dataset::find_source(std::string_view id) const noexcept {
    const auto it = std::find_if(sources.begin(), sources.end(), [&](const Source& s) { return s.id == id; });
    return it == sources.end() ? nullptr : &*it;
}

const Item* Dataset::find_item(std::string_view id) const noexcept {
    const auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == id; });
    return it == items.end() ? nullptr : &*it;
}

const Assumption* Dataset::find_assumption(std::string_view id) const noexcept {
    const auto it = std::find_if(assumptions.begin(), assumptions.end(), [&](const Assumption& a) { return a.id == id; });
    return it == assumptions.end() ? nullptr : &*it;
}

const Regime* Dataset::regime_on(Date d) const noexcept {
    const Regime* found = nullptr;
    for (const auto& r : regimes) {
        if (r.covers(d) && (found == nullptr || found->start.date < r.start.date)) found = &r;
    }
    return found;
}

}  // namespace crossrate
