#include "pricing/redenomination.hpp"

#include <array>

namespace crossrate {
namespace {

using namespace date::literals;

constexpr std::array<Redenomination, 1> redenominations{{
    {"KPW", Date{2009_y / date::November / 30}, "100"},
}};

}  // namespace

const Redenomination* redenomination_of(CurrencyCode currency) noexcept {
    for (const auto& r : redenominations) {
        if (currency.view() == r.currency) return &r;
    }
    return nullptr;
}

std::optional<Decimal> redenomination_factor(CurrencyCode currency, Date written, Date in) {
    const Redenomination* r = redenomination_of(currency);
    if (r == nullptr || (written < r->on) == (in < r->on)) return std::nullopt;
    const Decimal old_per_new = Decimal::parse(r->old_per_new).value();
    return written < r->on ? Decimal(1) / old_per_new : old_per_new;
}

std::string redenomination_note(const Redenomination& r) {
    return std::string(r.currency) + " was redenominated on " + format_date(r.on) + ": " + std::string(r.old_per_new) +
           " old units are 1 new one";
}

}  // namespace crossrate
