#pragma once
// ISO 4217 currencies: the code type, a currency's facts, and the table that resolves user
// text ("rmb", "usd") to a currency.

#include "pricing/error.hpp"

#include <array>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace crossrate {

// Three upper-case ASCII letters. Not necessarily a known currency: that is the table's word.
class CurrencyCode {
public:
    constexpr CurrencyCode() noexcept = default;
    // Three letters in any case ("cny" → "CNY"); anything else is nullopt.
    static std::optional<CurrencyCode> from_text(std::string_view text) noexcept;

    std::string_view view() const noexcept { return {letters_.data(), 3}; }
    std::string str() const { return std::string(view()); }
    bool ok() const noexcept { return letters_[0] != '\0'; }

    friend auto operator<=>(const CurrencyCode&, const CurrencyCode&) = default;

private:
    std::array<char, 4> letters_{};
};

struct Currency {
    CurrencyCode code;
    int numeric = 0;      // ISO 4217 numeric code
    int minor_units = 2;  // digits after the point in ordinary use (JPY 0, KWD 3)
    std::string name;
};

class CurrencyTable {
public:
    // `aliases` maps other names to codes of the table ("RMB" → "CNY").
    CurrencyTable(std::vector<Currency> currencies, std::vector<std::pair<CurrencyCode, CurrencyCode>> aliases);
    CurrencyTable() = default;

    // Case-insensitive code or alias; the error names what was asked.
    Result<const Currency*> find(std::string_view text) const;
    const Currency* find(CurrencyCode code) const noexcept;

    const std::vector<Currency>& all() const noexcept { return currencies_; }
    // Aliases of `code`, for listings ("CNY" → ["RMB"]).
    std::vector<CurrencyCode> aliases_of(CurrencyCode code) const;

private:
    std::vector<Currency> currencies_;  // sorted by code
    std::vector<std::pair<CurrencyCode, CurrencyCode>> aliases_;
};

}  // namespace crossrate

template <>
struct std::hash<crossrate::CurrencyCode> {
    std::size_t operator()(const crossrate::CurrencyCode& c) const noexcept {
        return std::hash<std::string_view>{}(c.view());
    }
};
