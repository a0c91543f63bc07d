#include "pricing/figures.hpp"

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <algorithm>

namespace crossrate {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// A number written at `at`: digits with ',' and '.' between them. `end` is past it.
struct Written {
    Decimal value;
    bool grouped = false;  // had a thousands separator
    std::size_t end = 0;
};

std::optional<Written> number_at(std::string_view s, std::size_t at) {
    std::size_t end = at;
    while (end < s.size() && (is_digit(s[end]) || ((s[end] == ',' || s[end] == '.') && end + 1 < s.size() && is_digit(s[end + 1])))) {
        ++end;
    }
    std::string digits;
    bool grouped = false;
    for (std::size_t i = at; i < end; ++i) {
        if (s[i] == ',') {
            grouped = true;
        } else {
            digits += s[i];
        }
    }
    const auto value = Decimal::parse(digits);
    if (!value) return std::nullopt;
    return Written{*value, grouped, end};
}

// "million" or "m" right after a number (with or without a space), not part of a longer word.
std::optional<Decimal> scale_after(std::string_view s, std::size_t at) {
    if (at < s.size() && s[at] == ' ') ++at;
    for (const auto& [word, scale] : {std::pair<std::string_view, std::int64_t>{"million", 1'000'000},
                                      {"billion", 1'000'000'000},
                                      {"m", 1'000'000}}) {
        if (s.substr(at, word.size()) == word && (at + word.size() == s.size() || !is_letter(s[at + word.size()]))) {
            return Decimal(scale);
        }
    }
    return std::nullopt;
}

}  // namespace

bool states_figure(std::string_view s, const Decimal& figure) {
    static const Decimal thousand(1000);
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) continue;  // "RMB10" is a number too
        const auto n = number_at(s, i);
        if (!n) continue;
        if (n->value == figure) return true;
        // (A product too large for a Decimal is no figure a record holds.)
        const auto times = [&](const Decimal& factor) {
            const auto product = checked::multiply(n->value, factor);
            return product && *product == figure;
        };
        if (const auto scale = scale_after(s, n->end); scale && times(*scale)) return true;
        // "40-50,000": the first end shares the second's thousands.
        if (!n->grouped && n->value < thousand && n->end < s.size() && s[n->end] == '-' && n->end + 1 < s.size() &&
            is_digit(s[n->end + 1])) {
            const auto other = number_at(s, n->end + 1);
            if (other && other->grouped && times(thousand)) return true;
        }
        i = n->end;
    }
    return false;
}

std::optional<Decimal> unstated_figure(std::span<const std::string> sentences, std::span<const Decimal> figures) {
    for (const Decimal& f : figures) {
        if (std::none_of(sentences.begin(), sentences.end(), [&](const std::string& s) { return states_figure(s, f); })) return f;
    }
    return std::nullopt;
}

}  // namespace crossrate
