#pragma once
// Exact decimal numbers for amounts and rates.
//
// A Decimal is coefficient × 10^-scale with a signed 128-bit coefficient of at most 38
// digits and a scale from 0 to 38. Range: |value| < 10^38; the smallest step is 10^-38;
// any value is held with up to 38 significant digits.
//
//  - Parsing and comparison are exact. A sum, difference or product is exact, at the larger
//    of the operands' scales (a sum) or their total (a product), while it fits in 38 digits
//    and scale 38; one that does not fit, and every quotient, is rounded half-even once to
//    38 significant digits (or to scale 38, when that is coarser). So rounding only ever
//    touches the 38th digit, and a quotient always carries all 38 ("1" / "4" is
//    "0.25000000000000000000000000000000000000"; trimmed() drops the zeros).
//  - A result of magnitude 10^38 or more, once rounded, is Error{Errc::overflow}; dividing by
//    zero is Error{Errc::division_by_zero}. Nothing is undefined behaviour. The functions in
//    `checked` (below) return these errors in a Result; the operators and the members throw
//    them, for code where a failure cannot happen or would be a bug.
//  - Rounding for people (to a currency's minor units, or to `places`) is explicit, at the
//    edge: round(places) is half-even.
//  - tests/pricing/decimal_oracle_test.cpp holds all of this against exact arithmetic.

#include "pricing/error.hpp"

#include <compare>
#include <iosfwd>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>

namespace crossrate {

class Decimal;
namespace detail {
__extension__ using Int128 = __int128;
}  // namespace detail

// The operations that can fail, with the failure as a value: the model's arithmetic on
// amounts a request or a file supplies.
namespace checked {
class Calculation;
Result<Decimal> add(const Decimal& a, const Decimal& b);
Result<Decimal> subtract(const Decimal& a, const Decimal& b);
Result<Decimal> multiply(const Decimal& a, const Decimal& b);
Result<Decimal> divide(const Decimal& a, const Decimal& b);
// Errc::invalid_parameter for places outside 0..38; overflow when the padded value does not fit.
Result<Decimal> round(const Decimal& d, int places);
// a × b rounded half-even to `places`, once: from the exact product, however many digits it
// has (round(multiply(a, b), places) rounds twice when the product has more than 38). Errors
// as round's.
Result<Decimal> multiply_round(const Decimal& a, const Decimal& b, int places);
// Errc::invalid_parameter for digits < 1.
Result<Decimal> round_significant(const Decimal& d, int digits);
Result<Decimal> from_parts(detail::Int128 coefficient, int scale);
}  // namespace checked

class Decimal {
public:
    using Coefficient = detail::Int128;
    static constexpr int max_digits = 38;
    static constexpr int max_scale = 38;

    constexpr Decimal() noexcept = default;
    constexpr explicit Decimal(std::int64_t integer) noexcept : coefficient_(integer) {}

    // Parses "-12.50", "0.15", "6.964187224322029", "1.7e-13" (the exponent form exists for
    // imported data). No spaces, no thousands separators, no "inf"/"nan".
    static Result<Decimal> parse(std::string_view text);

    // coefficient × 10^-scale; throws on a coefficient or scale outside the range
    // (checked::from_parts returns the error).
    static Decimal from_parts(Coefficient coefficient, int scale);

    Coefficient coefficient() const noexcept { return coefficient_; }
    int scale() const noexcept { return scale_; }

    bool is_zero() const noexcept { return coefficient_ == 0; }
    bool is_negative() const noexcept { return coefficient_ < 0; }
    int signum() const noexcept { return (coefficient_ > 0) - (coefficient_ < 0); }
    Decimal abs() const noexcept;
    Decimal operator-() const noexcept;

    // Half-even to `places` digits after the point (0..38); pads with zeros when the value
    // has fewer, so "717.9645..." → "717.96" and "3" → "3.00" for places = 2.
    Decimal round(int places) const;
    // Half-even to `digits` significant digits, never into the integer part and never beyond
    // the value's own scale ("717.9645" to 2 digits is "718"; "1.5" to 12 is "1.5").
    Decimal round_significant(int digits) const;
    // The same value without trailing zeros after the point ("1.500" → "1.5").
    Decimal trimmed() const noexcept;

    // Plain notation, never an exponent: "-0.000125", "717.96", "1000".
    std::string to_string() const;
    // The same text into `out`, which must hold max_text_size characters; returns the length.
    static constexpr std::size_t max_text_size = 80;
    std::size_t write(char* out) const noexcept;

    friend Decimal operator+(const Decimal& a, const Decimal& b);
    friend Decimal operator-(const Decimal& a, const Decimal& b);
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    friend Decimal operator/(const Decimal& a, const Decimal& b);
    Decimal& operator+=(const Decimal& b) { return *this = *this + b; }
    Decimal& operator-=(const Decimal& b) { return *this = *this - b; }
    Decimal& operator*=(const Decimal& b) { return *this = *this * b; }
    Decimal& operator/=(const Decimal& b) { return *this = *this / b; }

    // Numeric comparison: 1.50 == 1.5.
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept;
    friend bool operator==(const Decimal& a, const Decimal& b) noexcept {
        return (a <=> b) == std::strong_ordering::equal;
    }

private:
    constexpr Decimal(Coefficient c, int scale, int) noexcept : coefficient_(c), scale_(scale) {}
    friend Result<Decimal> checked::add(const Decimal& a, const Decimal& b);
    friend Result<Decimal> checked::multiply(const Decimal& a, const Decimal& b);
    friend Result<Decimal> checked::divide(const Decimal& a, const Decimal& b);
    friend Result<Decimal> checked::round(const Decimal& d, int places);
    friend Result<Decimal> checked::multiply_round(const Decimal& a, const Decimal& b, int places);
    friend Result<Decimal> checked::from_parts(Coefficient coefficient, int scale);
    friend class checked::Calculation;

    // The common cases, exact, without building a Result (hot loops: sweeps, draws): a sum at
    // one scale that fits, a product that fits, a quotient by a divisor of up to 64 bits.
    // False sends the caller to the checked function, which answers every case.
    static bool fast_add(const Decimal& a, const Decimal& b, Decimal& out) noexcept;
    static bool fast_multiply(const Decimal& a, const Decimal& b, Decimal& out) noexcept;
    static bool fast_divide(const Decimal& a, const Decimal& b, Decimal& out) noexcept;

    Coefficient coefficient_ = 0;
    int scale_ = 0;
};

std::string to_string(const Decimal& d);
std::ostream& operator<<(std::ostream& out, const Decimal& d);

namespace checked {

// A formula of several checked steps, written as one: each step is checked, the first failure
// is kept, and the steps after it answer zero without computing. Read result() once at the
// end. Nothing throws.
//
//     checked::Calculation c;
//     const Decimal cargo = c.multiply(heads, c.add(buy, transport));
//     return c.result(cargo);
class Calculation {
public:
    Decimal add(const Decimal& a, const Decimal& b) {
        Decimal out;
        if (failure_ || Decimal::fast_add(a, b, out)) return out;
        return take(checked::add(a, b));
    }
    Decimal subtract(const Decimal& a, const Decimal& b) { return add(a, -b); }
    Decimal multiply(const Decimal& a, const Decimal& b) {
        Decimal out;
        if (failure_ || Decimal::fast_multiply(a, b, out)) return out;
        return take(checked::multiply(a, b));
    }
    Decimal divide(const Decimal& a, const Decimal& b) {
        Decimal out;
        if (failure_ || Decimal::fast_divide(a, b, out)) return out;
        return take(checked::divide(a, b));
    }
    Decimal round(const Decimal& d, int places) { return failure_ ? Decimal() : take(checked::round(d, places)); }

    bool failed() const noexcept { return failure_.has_value(); }
    // `value` if every step succeeded, otherwise the first failure.
    template <class T>
    Result<T> result(T value) const {
        if (failure_) return *failure_;
        return value;
    }

private:
    Decimal take(Result<Decimal> step) {
        if (step) return *step;
        failure_ = step.error();
        return Decimal();
    }

    std::optional<Error> failure_;
};

}  // namespace checked

// For display: `d` rounded half-even to `places` and padded, or, where that does not fit 38
// digits (10^33 has no room for six places), `d` as it is, exact at its own scale.
Decimal shown(const Decimal& d, int places);
// For display: a - b, rounded as above; none where the difference no decimal holds.
std::optional<Decimal> shown_difference(const Decimal& a, const Decimal& b, int places);

namespace detail {
// The general division, through 256-bit integers; checked::divide takes a faster exact path
// when the divisor allows. Exposed so the tests can hold the two to the same answers.
Result<Decimal> divide_wide(const Decimal& a, const Decimal& b);
}  // namespace detail

}  // namespace crossrate
