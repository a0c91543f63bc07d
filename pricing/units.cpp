#include "pricing/units.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace crossrate {
namespace {

// Masses by name, in kilograms (exact: the pound is defined as 0.45359237 kg).
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> masses{{
    {"kg", "1"}, {"g", "0.001"}, {"jin", "0.5"}, {"ton", "1000"}, {"tonne", "1000"}, {"pound", "0.45359237"}, {"lb", "0.45359237"},
}};

// Counts: what one price is for. "bag" is not here: a bag is a mass only with its weight.
constexpr std::array<std::string_view, 16> counts{
    "head", "piece", "person", "crossing", "incident", "pass", "permit", "ship",
    "phone", "unit", "pack", "delivery", "entry", "call", "carton", "bottle",
};

std::optional<Decimal> kilograms(std::string_view name) {
    for (const auto& [n, kg] : masses) {
        if (n == name) return Decimal::parse(kg).value();
    }
    return std::nullopt;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

}  // namespace

std::string_view to_string(Dimension d) noexcept { return d == Dimension::mass ? "mass" : "count"; }

std::optional<UnitMeasure> measure_of(std::string_view text) {
    const std::string_view unit = trim(text);
    if (const auto kg = kilograms(unit)) return UnitMeasure{Dimension::mass, "kg", *kg};
    if (std::find(counts.begin(), counts.end(), unit) != counts.end()) return UnitMeasure{Dimension::count, std::string(unit), Decimal(1)};
    // A stated weight: "500 g", "200 kg bag" (a number, a mass, then what holds it if anything).
    const auto space = unit.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const auto number = Decimal::parse(unit.substr(0, space));
    if (!number || number->signum() <= 0) return std::nullopt;
    std::string_view rest = trim(unit.substr(space + 1));
    const std::string_view mass = rest.substr(0, rest.find(' '));
    const auto kg = kilograms(mass);
    if (!kg) return std::nullopt;
    // (A count no decimal holds in kilograms is no measure.)
    const auto per_base = checked::multiply(*number, *kg);
    if (!per_base) return std::nullopt;
    return UnitMeasure{Dimension::mass, "kg", *per_base};
}

std::optional<Normalized> normalize(const Decimal& amount, std::string_view unit) {
    const auto m = measure_of(unit);
    if (!m) return std::nullopt;
    // (An amount per base unit no decimal holds has no normalized form.)
    const auto per_base = checked::divide(amount, m->per_base);
    if (!per_base) return std::nullopt;
    return Normalized{*per_base, m->base, trim(unit) != m->base};
}

}  // namespace crossrate
