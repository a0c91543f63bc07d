#pragma once
// What a price is per, as one table: masses (kg, jin, ton, pound, or a stated weight such as
// "500 g" or "200 kg bag") and counts (head, piece, person, crossing, ...). A price per a mass
// normalises to per kg, exactly; a price per a count stays per that count. A unit the table
// does not know ("not reported", "bag" without its weight, a percentage) has no normal form:
// nothing is guessed.

#include "pricing/decimal.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace crossrate {

enum class Dimension { mass, count };
std::string_view to_string(Dimension d) noexcept;

struct UnitMeasure {
    Dimension dimension = Dimension::count;
    std::string base;    // "kg" for masses; the count itself ("head") for counts
    Decimal per_base{1};  // how many of `base` one unit is: a jin is 0.5 kg
};

// The unit a source priced by, or none when the table cannot say what it measures.
std::optional<UnitMeasure> measure_of(std::string_view unit);

// A price per `unit`, per its base unit: 5 CNY per jin is 10 CNY per kg.
struct Normalized {
    Decimal amount;
    std::string unit;
    bool converted = false;  // the source's unit was not the base one
};
std::optional<Normalized> normalize(const Decimal& amount, std::string_view unit);

}  // namespace crossrate
