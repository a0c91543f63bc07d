#include "pricing/decimal.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include <array>
#include <ostream>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

namespace crossrate {
namespace {

using Wide = boost::multiprecision::int256_t;
using Int128 = Decimal::Coefficient;
__extension__ using UInt128 = unsigned __int128;

constexpr std::array<UInt128, 39> make_powers() {
    std::array<UInt128, 39> p{};
    p[0] = 1;
    for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
    return p;
}
constexpr auto pow10 = make_powers();
constexpr UInt128 coefficient_limit = pow10[38];  // |coefficient| < 10^38

UInt128 magnitude(Int128 v) noexcept { return v < 0 ? UInt128(0) - UInt128(v) : UInt128(v); }

int digit_count(UInt128 v) noexcept {
    int d = 1;
    while (d < 39 && v >= pow10[static_cast<std::size_t>(d)]) ++d;
    return d;
}

const Wide& wide_pow10(int n) {
    static const auto table = [] {
        std::array<Wide, 78> t;
        t[0] = 1;
        for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
        return t;
    }();
    return table[static_cast<std::size_t>(n)];
}

Wide to_wide(Int128 v) {
    Wide w = static_cast<std::uint64_t>(magnitude(v) >> 64);
    w <<= 64;
    w += static_cast<std::uint64_t>(magnitude(v));
    return v < 0 ? Wide(-w) : w;
}

// |w| < 10^38 is the caller's promise.
Int128 to_narrow(const Wide& w) {
    Wide m = abs(w);
    const auto high = static_cast<std::uint64_t>(m >> 64);
    const auto low = static_cast<std::uint64_t>(m & Wide(0xFFFFFFFFFFFFFFFFull));
    const UInt128 u = (UInt128(high) << 64) | low;
    return w < 0 ? -Int128(u) : Int128(u);
}

int wide_digits(const Wide& magnitude_value) {
    int d = 1;
    while (d < 78 && magnitude_value >= wide_pow10(d)) ++d;
    return d;
}

// Where the discarded part of a magnitude lies relative to half a unit of the last kept digit.
enum class Tail { zero, below_half, half, above_half };

Tail tail_of(const Wide& remainder, const Wide& unit) {
    if (remainder == 0) return Tail::zero;
    const Wide twice = remainder * 2;
    if (twice < unit) return Tail::below_half;
    return twice == unit ? Tail::half : Tail::above_half;
}

// Digits below the dropped ones (a division's remainder) break a tie or make a zero inexact.
Tail merge(Tail dropped, Tail below) {
    if (below == Tail::zero) return dropped;
    if (dropped == Tail::zero) return Tail::below_half;
    if (dropped == Tail::half) return Tail::above_half;
    return dropped;
}

Wide round_half_even(const Wide& kept_magnitude, Tail tail) {
    const bool up = tail == Tail::above_half || (tail == Tail::half && (kept_magnitude & 1) != 0);
    return up ? kept_magnitude + 1 : kept_magnitude;
}

Error overflow() { return Error(Errc::overflow, "decimal overflow: the result is 10^38 or larger in magnitude"); }

Error division_by_zero() { return Error(Errc::division_by_zero, "division by zero"); }

// Brings a wide result into range (at most 38 digits, scale at most 38), rounding half-even
// once. `below` says where digits already cut off (a division's remainder) lay.
Result<Decimal> make_decimal(Wide value, int scale, Tail below) {
    const bool negative = value < 0;
    Wide mag = negative ? Wide(-value) : value;
    if (scale < 0) {
        if (mag != 0 && wide_digits(mag) - scale > Decimal::max_digits) return overflow();
        mag *= wide_pow10(-scale);
        scale = 0;
    }
    int drop = 0;
    if (scale > Decimal::max_scale) drop = scale - Decimal::max_scale;
    if (mag != 0) {
        const int digits = wide_digits(mag);
        if (digits - drop > Decimal::max_digits) drop = digits - Decimal::max_digits;
    }
    if (drop > 0 || below != Tail::zero) {
        Tail tail = below;
        if (drop > 0) {
            const Wide& unit = wide_pow10(drop);
            const Wide remainder = mag % unit;
            mag /= unit;
            tail = merge(tail_of(remainder, unit), below);
        }
        mag = round_half_even(mag, tail);
        scale -= drop;
        if (mag >= wide_pow10(Decimal::max_digits)) {  // 99..9 rounded up to 10^38
            if (scale == 0) return overflow();
            mag /= 10;  // exact: the value is a power of ten
            --scale;
        }
        if (scale < 0) return overflow();
    }
    const Int128 c = to_narrow(mag);
    return checked::from_parts(negative ? -c : c, scale);
}

}  // namespace

Result<Decimal> checked::from_parts(Decimal::Coefficient coefficient, int scale) {
    if (scale < 0 || scale > Decimal::max_scale) {
        return Error(Errc::overflow, "decimal scale out of range: " + std::to_string(scale));
    }
    if (magnitude(coefficient) >= coefficient_limit) return overflow();
    return Decimal(coefficient, scale, 0);
}

Decimal Decimal::from_parts(Coefficient coefficient, int scale) { return checked::from_parts(coefficient, scale).value(); }

Result<Decimal> Decimal::parse(std::string_view text) {
    const auto bad = [&](std::string_view why) {
        return Error(Errc::invalid_amount, "'" + std::string(text) + "' is not a decimal number: " +
                                               std::string(why));
    };
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    UInt128 coefficient = 0;
    int significant = 0;
    int fraction_digits = 0;
    bool any_digit = false;
    bool in_fraction = false;
    for (; i < text.size(); ++i) {
        const char ch = text[i];
        if (ch == '.') {
            if (in_fraction) return bad("two decimal points");
            in_fraction = true;
            continue;
        }
        if (ch < '0' || ch > '9') break;
        any_digit = true;
        if (in_fraction) ++fraction_digits;
        if (coefficient == 0 && ch == '0') continue;  // leading zeros carry no digits
        if (++significant > max_digits) return bad("more than 38 significant digits");
        coefficient = coefficient * 10 + static_cast<unsigned>(ch - '0');
    }
    if (!any_digit) return bad("no digits");
    int exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool exponent_negative = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) exponent_negative = text[i++] == '-';
        if (i == text.size()) return bad("no digits in the exponent");
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            exponent = exponent * 10 + (text[i] - '0');
            if (exponent > 1000) return bad("exponent out of range");
        }
        if (exponent_negative) exponent = -exponent;
    }
    if (i != text.size()) return bad("unexpected character '" + std::string(1, text[i]) + "'");
    int scale = fraction_digits - exponent;
    if (scale < 0) {
        if (coefficient != 0 && digit_count(coefficient) - scale > max_digits) {
            return Error(Errc::overflow, "'" + std::string(text) + "' is 10^38 or larger in magnitude");
        }
        coefficient *= coefficient == 0 ? 1 : pow10[static_cast<std::size_t>(-scale)];
        scale = 0;
    }
    while (scale > max_scale && coefficient % 10 == 0 && coefficient != 0) {
        coefficient /= 10;
        --scale;
    }
    if (coefficient == 0) scale = std::min(scale, max_scale);
    if (scale > max_scale) return bad("more than 38 digits after the decimal point");
    const Int128 signed_coefficient = negative ? -Int128(coefficient) : Int128(coefficient);
    return Decimal(signed_coefficient, scale, 0);
}

Decimal Decimal::abs() const noexcept { return Decimal(coefficient_ < 0 ? -coefficient_ : coefficient_, scale_, 0); }

Decimal Decimal::operator-() const noexcept { return Decimal(-coefficient_, scale_, 0); }

// The operators are the checked functions with a failure thrown: the same Error. Both, and a
// Calculation's steps, try the fast exact paths first.

bool Decimal::fast_add(const Decimal& a, const Decimal& b, Decimal& out) noexcept {
    Int128 ca = a.coefficient_;
    Int128 cb = b.coefficient_;
    if (a.scale_ != b.scale_) {
        // The coarser operand aligned in 128 bits when it fits: mixed scales are common (a
        // draw's nine places and a whole number of heads).
        Int128& coarse = a.scale_ < b.scale_ ? ca : cb;
        const auto factor = static_cast<Int128>(pow10[static_cast<std::size_t>(std::abs(a.scale_ - b.scale_))]);
        if (__builtin_mul_overflow(coarse, factor, &coarse)) return false;
    }
    Int128 sum;
    if (__builtin_add_overflow(ca, cb, &sum) || magnitude(sum) >= coefficient_limit) return false;
    out = Decimal(sum, std::max(a.scale_, b.scale_), 0);
    return true;
}

bool Decimal::fast_multiply(const Decimal& a, const Decimal& b, Decimal& out) noexcept {
    const int scale = a.scale_ + b.scale_;
    Int128 product;
    if (scale > Decimal::max_scale || __builtin_mul_overflow(a.coefficient_, b.coefficient_, &product) ||
        magnitude(product) >= coefficient_limit) {
        return false;
    }
    out = Decimal(product, scale, 0);
    return true;
}

Result<Decimal> checked::add(const Decimal& a, const Decimal& b) {
    if (Decimal out; Decimal::fast_add(a, b, out)) return out;
    const int scale = std::max(a.scale_, b.scale_);
    const Wide sum = to_wide(a.coefficient_) * wide_pow10(scale - a.scale_) +
                     to_wide(b.coefficient_) * wide_pow10(scale - b.scale_);
    return make_decimal(sum, scale, Tail::zero);
}

Result<Decimal> checked::subtract(const Decimal& a, const Decimal& b) { return add(a, -b); }

Decimal operator+(const Decimal& a, const Decimal& b) {
    if (Decimal out; Decimal::fast_add(a, b, out)) return out;
    return checked::add(a, b).value();
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

Result<Decimal> checked::multiply(const Decimal& a, const Decimal& b) {
    if (Decimal out; Decimal::fast_multiply(a, b, out)) return out;
    return make_decimal(to_wide(a.coefficient_) * to_wide(b.coefficient_), a.scale_ + b.scale_, Tail::zero);
}

Decimal operator*(const Decimal& a, const Decimal& b) {
    if (Decimal out; Decimal::fast_multiply(a, b, out)) return out;
    return checked::multiply(a, b).value();
}

namespace {

constexpr std::array<std::uint64_t, 20> pow10_u64 = [] {
    std::array<std::uint64_t, 20> p{};
    p[0] = 1;
    for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
    return p;
}();

// Division when the divisor's coefficient fits in 64 bits, the common case (prices, counts,
// rates of up to 19 digits): schoolbook long division on 64-bit limbs instead of a generic
// 256-bit division. Gives exactly what the general path gives, or nothing when the result
// needs more than this path handles (a scale past 38, a magnitude past the range).
// The answer is a coefficient and a scale, in range.
std::optional<std::pair<Int128, int>> divide_small(UInt128 ma, std::uint64_t mb, int shift, int scale, bool negative) {
    // N = ma × 10^shift in four little-endian limbs. N < 10^(38 + 20) < 2^193.
    std::uint64_t n[4] = {static_cast<std::uint64_t>(ma), static_cast<std::uint64_t>(ma >> 64), 0, 0};
    for (int left = shift; left > 0;) {
        const int k = std::min(left, 19);
        left -= k;
        UInt128 carry = 0;
        for (auto& limb : n) {
            const UInt128 product = UInt128(limb) * pow10_u64[static_cast<std::size_t>(k)] + carry;
            limb = static_cast<std::uint64_t>(product);
            carry = product >> 64;
        }
        if (carry != 0) return std::nullopt;
    }
    std::uint64_t q[4];
    UInt128 r = 0;
    for (int i = 3; i >= 0; --i) {
        const UInt128 current = (r << 64) | n[i];
        q[i] = static_cast<std::uint64_t>(current / mb);
        r = current % mb;
    }
    Tail tail = r == 0 ? Tail::zero : (2 * r < mb ? Tail::below_half : 2 * r == mb ? Tail::half : Tail::above_half);
    if (q[3] != 0) return std::nullopt;
    // The quotient has 38 or 39 digits; a 39th is dropped, its value folded into the tail.
    UInt128 quotient;
    const auto limit = pow10[38];
    const bool wide = q[2] != 0 || ((UInt128(q[1]) << 64) | q[0]) >= limit;
    if (wide) {
        std::uint64_t rest = 0;
        std::uint64_t d[3];
        for (int i = 2; i >= 0; --i) {
            const UInt128 current = (UInt128(rest) << 64) | q[i];
            d[i] = static_cast<std::uint64_t>(current / 10);
            rest = static_cast<std::uint64_t>(current % 10);
        }
        if (d[2] != 0) return std::nullopt;
        quotient = (UInt128(d[1]) << 64) | d[0];
        const Tail dropped = rest == 0 ? Tail::zero : rest < 5 ? Tail::below_half : rest == 5 ? Tail::half : Tail::above_half;
        tail = merge(dropped, tail);
        --scale;
    } else {
        quotient = (UInt128(q[1]) << 64) | q[0];
    }
    const bool up = tail == Tail::above_half || (tail == Tail::half && (quotient & 1) != 0);
    if (up) ++quotient;
    if (quotient == limit) {  // 99..9 rounded up: exactly 10^38, one digit less
        quotient /= 10;
        --scale;
    }
    if (scale < 0 || scale > Decimal::max_scale) return std::nullopt;
    const Int128 c = static_cast<Int128>(quotient);
    return std::pair(negative ? -c : c, scale);
}

}  // namespace

Result<Decimal> detail::divide_wide(const Decimal& a, const Decimal& b) {
    if (b.coefficient() == 0) return division_by_zero();
    if (a.coefficient() == 0) return Decimal();
    // Scale the dividend so the quotient carries at least 38 significant digits.
    const UInt128 ma = magnitude(a.coefficient());
    const UInt128 mb = magnitude(b.coefficient());
    const int shift = std::max(0, Decimal::max_digits - digit_count(ma) + digit_count(mb));
    const Wide numerator = to_wide(Int128(ma)) * wide_pow10(shift);
    const Wide divisor = to_wide(Int128(mb));
    const Wide quotient = numerator / divisor;
    const Tail below = tail_of(numerator % divisor, divisor);
    const bool negative = (a.coefficient() < 0) != (b.coefficient() < 0);
    return make_decimal(negative ? Wide(-quotient) : quotient, a.scale() + shift - b.scale(), below);
}

bool Decimal::fast_divide(const Decimal& a, const Decimal& b, Decimal& out) noexcept {
    if (b.coefficient_ == 0) return false;
    if (a.coefficient_ == 0) {
        out = Decimal();
        return true;
    }
    const UInt128 mb = magnitude(b.coefficient_);
    if (mb > std::numeric_limits<std::uint64_t>::max()) return false;
    const UInt128 ma = magnitude(a.coefficient_);
    const int shift = std::max(0, Decimal::max_digits - digit_count(ma) + digit_count(mb));
    const bool negative = (a.coefficient_ < 0) != (b.coefficient_ < 0);
    const auto q = divide_small(ma, static_cast<std::uint64_t>(mb), shift, a.scale_ + shift - b.scale_, negative);
    if (!q) return false;
    out = Decimal(q->first, q->second, 0);
    return true;
}

Result<Decimal> checked::divide(const Decimal& a, const Decimal& b) {
    if (b.coefficient_ == 0) return division_by_zero();
    if (Decimal out; Decimal::fast_divide(a, b, out)) return out;
    return detail::divide_wide(a, b);
}

Decimal operator/(const Decimal& a, const Decimal& b) {
    if (Decimal out; Decimal::fast_divide(a, b, out)) return out;
    return checked::divide(a, b).value();
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
    if (a.scale_ == b.scale_) return a.coefficient_ <=> b.coefficient_;
    if (a.signum() != b.signum()) return a.signum() <=> b.signum();
    // Align in 128 bits when the scaled coefficient fits, as it does for everyday values.
    const bool a_finer = a.scale_ > b.scale_;
    const Decimal& coarse = a_finer ? b : a;
    const auto factor = static_cast<Int128>(pow10[static_cast<std::size_t>(std::abs(a.scale_ - b.scale_))]);
    Int128 scaled;
    if (!__builtin_mul_overflow(coarse.coefficient_, factor, &scaled)) {
        return a_finer ? a.coefficient_ <=> scaled : scaled <=> b.coefficient_;
    }
    const int scale = std::max(a.scale_, b.scale_);
    const Wide wa = to_wide(a.coefficient_) * wide_pow10(scale - a.scale_);
    const Wide wb = to_wide(b.coefficient_) * wide_pow10(scale - b.scale_);
    if (wa < wb) return std::strong_ordering::less;
    return wa == wb ? std::strong_ordering::equal : std::strong_ordering::greater;
}

Result<Decimal> checked::round(const Decimal& d, int places) {
    if (places < 0 || places > Decimal::max_scale) {
        return Error(Errc::invalid_parameter, "places must be between 0 and 38, not " + std::to_string(places));
    }
    if (places >= d.scale_) {
        const UInt128 factor = pow10[static_cast<std::size_t>(places - d.scale_)];
        if (magnitude(d.coefficient_) >= coefficient_limit / factor) return overflow();
        return Decimal(d.coefficient_ * static_cast<Int128>(factor), places, 0);
    }
    const UInt128 unit = pow10[static_cast<std::size_t>(d.scale_ - places)];
    const UInt128 mag = magnitude(d.coefficient_);
    const UInt128 kept = mag / unit;
    const UInt128 twice_rest = (mag % unit) * 2;  // < 2 × 10^38: fits
    const bool up = twice_rest > unit || (twice_rest == unit && (kept & 1) != 0);
    const Int128 rounded = static_cast<Int128>(kept + (up ? 1 : 0));
    return Decimal(d.coefficient_ < 0 ? -rounded : rounded, places, 0);
}

Decimal Decimal::round(int places) const { return checked::round(*this, places).value(); }

Result<Decimal> checked::multiply_round(const Decimal& a, const Decimal& b, int places) {
    if (places < 0 || places > Decimal::max_scale) return round(a, places);  // its error
    if (Decimal product; Decimal::fast_multiply(a, b, product)) return round(product, places);  // exact
    // The exact product, up to 76 digits and scale 76, rounded once.
    const bool negative = (a.coefficient_ < 0) != (b.coefficient_ < 0);
    Wide mag = to_wide(Int128(magnitude(a.coefficient_))) * to_wide(Int128(magnitude(b.coefficient_)));
    const int scale = a.scale_ + b.scale_;
    const Wide& limit = wide_pow10(Decimal::max_digits);
    // A product at scale 38 or less that is here did not fit in 38 digits: padding it to
    // `places` would only make it longer.
    if (places >= scale) return overflow();
    const Wide& unit = wide_pow10(scale - places);
    Wide kept, rest;
    boost::multiprecision::divide_qr(mag, unit, kept, rest);
    mag = round_half_even(kept, tail_of(rest, unit));
    if (mag >= limit) return overflow();
    const Int128 c = to_narrow(mag);
    return Decimal(negative ? -c : c, places, 0);
}

Result<Decimal> checked::round_significant(const Decimal& d, int digits) {
    if (digits < 1) return Error(Errc::invalid_parameter, "significant digits must be at least 1");
    if (d.is_zero()) return d;
    const int integer_digits = digit_count(magnitude(d.coefficient())) - d.scale();
    const int places = std::max(0, digits - integer_digits);
    return places >= d.scale() ? d : round(d, places);  // rounding off digits never overflows
}

Decimal Decimal::round_significant(int digits) const { return checked::round_significant(*this, digits).value(); }

Decimal Decimal::trimmed() const noexcept {
    Int128 c = coefficient_;
    int s = scale_;
    while (s > 0 && c % 10 == 0) {
        c /= 10;
        --s;
    }
    return Decimal(c, s, 0);
}

std::size_t Decimal::write(char* out) const noexcept {
    // Digits into a stack buffer from the right, 64-bit arithmetic where the coefficient
    // allows (128-bit division is a library call).
    char digits[48];
    char* const end = digits + sizeof digits;
    char* p = end;
    UInt128 mag = magnitude(coefficient_);
    const auto put_u64 = [&p](std::uint64_t v, int min_digits) {
        int n = 0;
        do {
            *--p = static_cast<char>('0' + v % 10);
            v /= 10;
            ++n;
        } while (v != 0);
        for (; n < min_digits; ++n) *--p = '0';
    };
    constexpr std::uint64_t chunk = 10'000'000'000'000'000'000ull;  // 10^19
    while (mag > std::numeric_limits<std::uint64_t>::max()) {
        put_u64(static_cast<std::uint64_t>(mag % chunk), 19);
        mag /= chunk;
    }
    put_u64(static_cast<std::uint64_t>(mag), 1);
    while (end - p <= scale_) *--p = '0';  // at least one digit before the point
    const auto count = static_cast<std::size_t>(end - p);
    const auto scale = static_cast<std::size_t>(scale_);
    char* o = out;
    if (coefficient_ < 0) *o++ = '-';
    std::memcpy(o, p, count - scale);
    o += count - scale;
    if (scale > 0) {
        *o++ = '.';
        std::memcpy(o, end - scale, scale);
        o += scale;
    }
    return static_cast<std::size_t>(o - out);
}

std::string Decimal::to_string() const {
    char text[max_text_size];
    return std::string(text, write(text));
}

std::string to_string(const Decimal& d) { return d.to_string(); }

std::ostream& operator<<(std::ostream& out, const Decimal& d) { return out << d.to_string(); }

Decimal shown(const Decimal& d, int places) {
    const auto rounded = checked::round(d, places);
    return rounded ? *rounded : d;
}

std::optional<Decimal> shown_difference(const Decimal& a, const Decimal& b, int places) {
    const auto difference = checked::subtract(a, b);
    if (!difference) return std::nullopt;
    return shown(*difference, places);
}

}  // namespace crossrate
