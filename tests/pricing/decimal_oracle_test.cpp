// Decimal against an exact oracle: random operations, each answered by Decimal (checked, and by
// the operator that throws) and by exact integer arithmetic (Boost.Multiprecision, 512 bits, overflow-checked) that knows
// only the rules written in decimal.hpp:
//
//  - a sum, difference or product is the exact value at its natural scale (the larger of the
//    operands' scales for a sum, their total for a product); a quotient has no natural scale;
//  - a result that does not fit keeps 38 significant digits, or stops at scale 38 when that is
//    coarser, rounding half-even once; a result rounded up to 10^38 × 10^-s is held at scale s − 1;
//  - a result whose rounded magnitude is 10^38 or more is Errc::overflow; a zero divisor is
//    Errc::division_by_zero; round(places) outside 0..38 and round_significant(digits < 1) are
//    Errc::invalid_parameter;
//  - round(places) is half-even at `places` and overflows when the padded coefficient reaches
//    10^38; multiply_round(a, b, places) is the exact product rounded so, once; round_significant(digits) rounds half-even to `digits` significant digits, never
//    into the integer part and never beyond the value's own scale;
//  - comparison is by value; to_string is plain notation; parse(to_string(d)) gives d back,
//    digits and scale; parse keeps the text's scale (an exponent moves it) and refuses more
//    than 38 significant digits, a magnitude of 10^38 or more, and digits past scale 38 that
//    are not zeros.
//
// The seed is fixed so a failure reproduces; CROSSRATE_ORACLE_SEED=<n> explores others.

#include "pricing/decimal.hpp"

#include <boost/multiprecision/cpp_int.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace crossrate {
namespace {

namespace mp = boost::multiprecision;
using Big = mp::checked_int512_t;  // the widest value here is below 10^120; overflow throws

constexpr int max_digits = Decimal::max_digits;

const Big& pow10(int n) {
    static const std::vector<Big> table = [] {
        std::vector<Big> t(151);
        t[0] = 1;
        for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
        return t;
    }();
    return table.at(static_cast<std::size_t>(n));
}

// Decimal digits of a positive integer.
int digits_of(const Big& magnitude) {
    int lo = 1, hi = 150;  // the answer d is the least with magnitude < 10^d
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (magnitude < pow10(mid)) hi = mid; else lo = mid + 1;
    }
    return lo;
}

Big big_of(Decimal::Coefficient c) {
    __extension__ using U = unsigned __int128;
    const U m = c < 0 ? U(0) - U(c) : U(c);
    Big b = static_cast<std::uint64_t>(m >> 64);
    b <<= 64;
    b += static_cast<std::uint64_t>(m);
    return c < 0 ? Big(-b) : b;
}

// What an operation should give: an error code, or a coefficient and a scale.
struct Outcome {
    std::optional<Errc> error;
    Big coefficient;
    int scale = 0;

    friend bool operator==(const Outcome&, const Outcome&) = default;
};

Outcome failure(Errc code) { return Outcome{code, 0, 0}; }

std::string describe(const Outcome& o) {
    if (o.error) return "error " + std::string(to_string(*o.error));
    return o.coefficient.str() + " at scale " + std::to_string(o.scale);
}

// The plain text of coefficient × 10^-scale, written from the oracle's integers.
std::string text_of(const Big& coefficient, int scale) {
    std::string digits = (coefficient < 0 ? Big(-coefficient) : coefficient).str();
    if (digits.size() <= static_cast<std::size_t>(scale)) digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
    if (scale > 0) digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
    return (coefficient < 0 ? "-" : "") + digits;
}

// |num| / den ≥ 10^e, for den > 0.
bool at_least_pow10(const Big& magnitude, const Big& den, int e) {
    return e >= 0 ? magnitude >= den * pow10(e) : magnitude * pow10(-e) >= den;
}

// k with 10^(k-1) ≤ |num| / den < 10^k: the digits before the point (≤ 0 below 1).
int integer_digits(const Big& magnitude, const Big& den) {
    const int k = digits_of(magnitude) - digits_of(den);
    return at_least_pow10(magnitude, den, k) ? k + 1 : k;
}

// How often the cases that matter came up, so the generator cannot drift into easy ones.
struct Coverage {
    int inexact = 0, ties = 0, overflow = 0, division_by_zero = 0, invalid_parameter = 0, invalid_amount = 0;
    int double_rounding = 0;  // multiply_round cases where round(multiply(a, b)) is off
};
Coverage coverage;

// |num| / den × 10^s rounded half-even to an integer.
Big round_half_even(const Big& magnitude, const Big& den, int s) {
    Big n = magnitude, d = den;
    if (s >= 0) n *= pow10(s); else d *= pow10(-s);
    Big q = n / d;
    const Big twice = (n % d) * 2;
    if (twice != 0) ++coverage.inexact;
    if (twice == d) ++coverage.ties;
    if (twice > d || (twice == d && (q % 2) != 0)) ++q;
    return q;
}

constexpr int unbounded = 1000;

// The exact value num / den (den > 0) held as a Decimal: at its natural scale when it fits,
// otherwise rounded once to 38 significant digits or to scale 38, whichever is coarser.
Outcome fit(const Big& num, const Big& den, int natural_scale) {
    if (num == 0) return Outcome{std::nullopt, 0, std::min(natural_scale, Decimal::max_scale)};
    const Big magnitude = num < 0 ? Big(-num) : num;
    int s = std::min({natural_scale, Decimal::max_scale, max_digits - integer_digits(magnitude, den)});
    if (s < 0) return failure(Errc::overflow);
    Big n = round_half_even(magnitude, den, s);
    if (n == pow10(max_digits)) {
        n /= 10;
        --s;
    }
    if (s < 0 || n >= pow10(max_digits)) return failure(Errc::overflow);
    return Outcome{std::nullopt, num < 0 ? Big(-n) : n, s};
}

// Both operands over the denominator 10^max(scale).
std::pair<Big, Big> aligned(const Decimal& a, const Decimal& b) {
    const int s = std::max(a.scale(), b.scale());
    return {big_of(a.coefficient()) * pow10(s - a.scale()), big_of(b.coefficient()) * pow10(s - b.scale())};
}

Outcome exact_sum(const Decimal& a, const Decimal& b, int sign) {
    const auto [x, y] = aligned(a, b);
    const int s = std::max(a.scale(), b.scale());
    return fit(sign > 0 ? Big(x + y) : Big(x - y), pow10(s), s);
}

Outcome exact_product(const Decimal& a, const Decimal& b) {
    const int s = a.scale() + b.scale();
    return fit(big_of(a.coefficient()) * big_of(b.coefficient()), pow10(s), s);
}

Outcome exact_quotient(const Decimal& a, const Decimal& b) {
    if (b.is_zero()) return failure(Errc::division_by_zero);
    if (a.is_zero()) return Outcome{};
    // (ca / 10^sa) / (cb / 10^sb) = ca × 10^sb / (cb × 10^sa)
    Big num = big_of(a.coefficient()) * pow10(b.scale());
    Big den = big_of(b.coefficient()) * pow10(a.scale());
    if (den < 0) {
        num = -num;
        den = -den;
    }
    return fit(num, den, unbounded);
}

Outcome exact_round(const Decimal& d, int places) {
    if (places < 0 || places > Decimal::max_scale) return failure(Errc::invalid_parameter);
    const Big c = big_of(d.coefficient());
    const Big n = round_half_even(c < 0 ? Big(-c) : c, pow10(d.scale()), places);
    if (n >= pow10(max_digits)) return failure(Errc::overflow);
    return Outcome{std::nullopt, c < 0 ? Big(-n) : n, places};
}

// The exact product, rounded half-even once to `places` (round's rules for places and overflow).
Outcome exact_multiply_round(const Decimal& a, const Decimal& b, int places) {
    if (places < 0 || places > Decimal::max_scale) return failure(Errc::invalid_parameter);
    const Big c = big_of(a.coefficient()) * big_of(b.coefficient());
    const Big n = round_half_even(c < 0 ? Big(-c) : c, pow10(a.scale() + b.scale()), places);
    if (n >= pow10(max_digits)) return failure(Errc::overflow);
    return Outcome{std::nullopt, c < 0 ? Big(-n) : n, places};
}

Outcome exact_round_significant(const Decimal& d, int digits) {
    if (digits < 1) return failure(Errc::invalid_parameter);
    const Big c = big_of(d.coefficient());
    if (c == 0) return Outcome{std::nullopt, c, d.scale()};
    const int places = std::max(0, digits - integer_digits(c < 0 ? Big(-c) : c, pow10(d.scale())));
    if (places >= d.scale()) return Outcome{std::nullopt, c, d.scale()};
    return exact_round(d, places);
}

// A decimal number's text as parse reads it, and what it means.
struct Text {
    std::string text;
    Outcome expected;
};

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {  // splitmix64
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
    bool chance(int percent) { return below(100) < percent; }

private:
    std::uint64_t state_;
};

Decimal::Coefficient coefficient_of(Rng& rng, int digits) {
    Decimal::Coefficient c = 0;
    switch (rng.below(10)) {
        case 0:  // 99…9, the largest coefficient of that many digits
            for (int i = 0; i < digits; ++i) c = c * 10 + 9;
            return c;
        case 1:  // a power of ten
            c = 1;
            for (int i = 1; i < digits; ++i) c *= 10;
            return c;
        case 2:  // 5, 50, 500…: halves, the ties of rounding
            c = 5;
            for (int i = 1; i < digits; ++i) c *= 10;
            return c;
        default:
            c = 1 + rng.below(9);
            for (int i = 1; i < digits; ++i) c = c * 10 + rng.below(10);
            return c;
    }
}

Decimal decimal_of(Rng& rng) {
    int digits;
    switch (rng.below(8)) {
        case 0: digits = 0; break;
        case 1: digits = max_digits; break;
        case 2: digits = max_digits - 1 - rng.below(3); break;
        case 3: digits = 1 + rng.below(4); break;
        default: digits = 1 + rng.below(max_digits); break;
    }
    int scale;
    switch (rng.below(6)) {
        case 0: scale = 0; break;
        case 1: scale = Decimal::max_scale; break;
        case 2: scale = rng.below(5); break;
        default: scale = rng.below(Decimal::max_scale + 1); break;
    }
    const Decimal::Coefficient c = digits == 0 ? 0 : coefficient_of(rng, digits);
    return Decimal::from_parts(rng.chance(50) ? -c : c, scale);
}

// A divisor that makes ties or exact quotients likely, or one related to the dividend.
Decimal partner_of(Rng& rng, const Decimal& a) {
    switch (rng.below(6)) {
        case 0: {
            static constexpr int small[] = {2, 4, 5, 8, 16, 20, 25, 32, 64, 125, 3, 7, 1};
            const Decimal::Coefficient c = small[rng.below(13)];
            return Decimal::from_parts(rng.chance(50) ? -c : c, rng.below(4));
        }
        case 1: return a;
        case 2: return -a;
        case 3: return Decimal::from_parts(a.coefficient(), rng.below(Decimal::max_scale + 1));
        default: return decimal_of(rng);
    }
}

// A text for parse: sign, leading zeros, digits on both sides of an optional point, and an
// optional exponent; with what it should parse to, from the rules alone.
Text text_for_parse(Rng& rng) {
    std::string t;
    const int sign = rng.below(3);
    if (sign == 1) t += '-';
    if (sign == 2) t += '+';
    const int leading_zeros = rng.chance(20) ? rng.below(4) : 0;
    const int int_digits = rng.below(4) == 0 ? 0 : rng.below(max_digits + 2);
    const int frac_digits = rng.below(3) == 0 ? 0 : rng.below(max_digits + 4);
    const int trailing_zeros = rng.chance(20) ? rng.below(5) : 0;
    std::string mantissa(static_cast<std::size_t>(leading_zeros), '0');
    for (int i = 0; i < int_digits; ++i) mantissa += static_cast<char>('0' + rng.below(10));
    const std::size_t point = mantissa.size();
    for (int i = 0; i < frac_digits; ++i) mantissa += static_cast<char>('0' + rng.below(10));
    mantissa.append(static_cast<std::size_t>(trailing_zeros), '0');
    if (mantissa.empty()) mantissa = "0";
    const bool with_point = point < mantissa.size() || rng.chance(10);
    t += mantissa.substr(0, point);
    if (with_point) t += '.' + mantissa.substr(point);
    int exponent = 0;
    if (rng.chance(30)) {
        exponent = rng.below(121) - 60;
        t += rng.chance(50) ? 'e' : 'E';
        if (exponent < 0) t += '-';
        else if (rng.chance(50)) t += '+';
        t += std::to_string(std::abs(exponent));
    }
    // What it means.
    const std::size_t first_nonzero = mantissa.find_first_not_of('0');
    const int significant = first_nonzero == std::string::npos ? 0 : static_cast<int>(mantissa.size() - first_nonzero);
    if (significant > max_digits) return {t, failure(Errc::invalid_amount)};
    Big m = 0;
    for (char ch : mantissa) m = m * 10 + (ch - '0');
    if (sign == 1) m = -m;
    int scale = static_cast<int>(mantissa.size() - point) - exponent;
    if (scale < 0) {
        if (m != 0 && digits_of(m < 0 ? Big(-m) : m) - scale > max_digits) return {t, failure(Errc::overflow)};
        return {t, Outcome{std::nullopt, m * pow10(-scale), 0}};
    }
    while (scale > Decimal::max_scale && m != 0 && m % 10 == 0) {
        m /= 10;
        --scale;
    }
    if (m == 0) scale = std::min(scale, Decimal::max_scale);
    if (scale > Decimal::max_scale) return {t, failure(Errc::invalid_amount)};
    return {t, Outcome{std::nullopt, m, scale}};
}

Outcome outcome_of(const Decimal& d) { return Outcome{std::nullopt, big_of(d.coefficient()), d.scale()}; }

template <class F>
Outcome attempt(F&& f) {
    try {
        return outcome_of(f());
    } catch (const Error& e) {
        return failure(e.code());
    }
}

Outcome outcome_of(const Result<Decimal>& r) { return r ? outcome_of(*r) : failure(r.error().code()); }

int operation_count() {
#if defined(__SANITIZE_ADDRESS__)
    constexpr bool slow = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    constexpr bool slow = true;
#else
    constexpr bool slow = false;
#endif
#else
    constexpr bool slow = false;
#endif
#ifndef NDEBUG
    constexpr bool debug = true;
#else
    constexpr bool debug = false;
#endif
    return slow || debug ? 100'000 : 400'000;
}

std::uint64_t seed() {
    if (const char* s = std::getenv("CROSSRATE_ORACLE_SEED")) return std::strtoull(s, nullptr, 0);
    return 20261202;  // fixed: a failure reproduces
}

TEST(DecimalOracle, RandomOperationsAgreeWithExactArithmetic) {
    const std::uint64_t the_seed = seed();
    Rng rng(the_seed);
    const int count = operation_count();
    int mismatches = 0;
    const auto check = [&](int i, const std::string& what, const Outcome& expected, const Outcome& actual) {
        if (expected.error) {
            switch (*expected.error) {
                case Errc::overflow: ++coverage.overflow; break;
                case Errc::division_by_zero: ++coverage.division_by_zero; break;
                case Errc::invalid_parameter: ++coverage.invalid_parameter; break;
                case Errc::invalid_amount: ++coverage.invalid_amount; break;
                default: break;
            }
        }
        if (expected == actual) return;
        if (++mismatches <= 10) {
            ADD_FAILURE() << "operation " << i << " (seed " << the_seed << "): " << what << "\n  expected "
                          << describe(expected) << "\n  got      " << describe(actual);
        }
    };
    // Each operation twice: checked, and by the operator or member that throws.
    const auto check_both = [&](int i, const std::string& what, const Outcome& expected,
                                const Result<Decimal>& checked_result, auto&& throwing) {
        check(i, what + " (checked)", expected, outcome_of(checked_result));
        check(i, what, expected, attempt(throwing));
    };
    for (int i = 0; i < count && mismatches < 10; ++i) {
        const Decimal a = decimal_of(rng);
        const int op = rng.below(11);
        const auto show = [&](const char* sign, const Decimal& b) { return a.to_string() + sign + b.to_string(); };
        switch (op) {
            case 0: {
                const Decimal b = rng.chance(20) ? partner_of(rng, a) : decimal_of(rng);
                check_both(i, show(" + ", b), exact_sum(a, b, +1), checked::add(a, b), [&] { return a + b; });
                break;
            }
            case 1: {
                const Decimal b = rng.chance(20) ? partner_of(rng, a) : decimal_of(rng);
                check_both(i, show(" - ", b), exact_sum(a, b, -1), checked::subtract(a, b), [&] { return a - b; });
                break;
            }
            case 2:
            case 3: {
                const Decimal b = rng.chance(20) ? partner_of(rng, a) : decimal_of(rng);
                check_both(i, show(" * ", b), exact_product(a, b), checked::multiply(a, b), [&] { return a * b; });
                break;
            }
            case 4:
            case 5: {
                const Decimal b = rng.chance(40) ? partner_of(rng, a) : decimal_of(rng);
                check_both(i, show(" / ", b), exact_quotient(a, b), checked::divide(a, b), [&] { return a / b; });
                break;
            }
            case 6: {
                int places = rng.chance(3) ? (rng.chance(50) ? -1 : Decimal::max_scale + 1)
                                           : rng.below(Decimal::max_scale + 1);
                Decimal d = a;
                if (rng.chance(30) && a.scale() > 0 && a.coefficient() / 10 != 0) {
                    // An exact tie: the digit after the kept ones is a 5 and nothing follows it.
                    const auto c = a.coefficient() / 10 * 10;
                    d = Decimal::from_parts(c + (c < 0 ? -5 : 5), a.scale());
                    places = a.scale() - 1;
                }
                check_both(i, d.to_string() + " round " + std::to_string(places), exact_round(d, places),
                           checked::round(d, places), [&] { return d.round(places); });
                break;
            }
            case 7: {
                const int digits = rng.chance(3) ? rng.below(2) - 1 : 1 + rng.below(max_digits + 5);
                check_both(i, a.to_string() + " round_significant " + std::to_string(digits),
                           exact_round_significant(a, digits), checked::round_significant(a, digits),
                           [&] { return a.round_significant(digits); });
                break;
            }
            case 8: {
                const Decimal b = rng.chance(30) ? partner_of(rng, a) : decimal_of(rng);
                const auto [x, y] = aligned(a, b);
                const int expected = x < y ? -1 : x == y ? 0 : 1;
                const auto order = a <=> b;
                const int actual = order < 0 ? -1 : order == 0 ? 0 : 1;
                const bool consistent = (a == b) == (actual == 0) && (a < b) == (actual < 0) && (a > b) == (actual > 0);
                check(i, show(" <=> ", b), Outcome{std::nullopt, expected, 0},
                      Outcome{std::nullopt, consistent ? actual : 2, 0});
                break;
            }
            case 9: {
                // A third of the time 1 ± 10^-k: a product just off the operand, whose digits
                // past the 38th decide a rounding (where rounding twice goes wrong).
                Decimal b = rng.chance(20) ? partner_of(rng, a) : decimal_of(rng);
                if (rng.chance(33)) {
                    const int k = 1 + rng.below(Decimal::max_scale - 1);
                    Decimal::Coefficient c = 1;
                    for (int j = 0; j < k; ++j) c *= 10;
                    b = Decimal::from_parts(rng.chance(50) ? c + 1 : c - 1, k);
                }
                const int places = rng.chance(3) ? (rng.chance(50) ? -1 : Decimal::max_scale + 1)
                                                 : rng.below(Decimal::max_scale + 1);
                const Outcome expected = exact_multiply_round(a, b, places);
                check(i, show(" * ", b) + " round " + std::to_string(places), expected,
                      outcome_of(checked::multiply_round(a, b, places)));
                // Rounding the held product again differs here and there: the case this is for.
                const auto product = checked::multiply(a, b);
                if (product && outcome_of(checked::round(*product, places)) != expected) ++coverage.double_rounding;
                break;
            }
            default: {
                // Printing, and parsing back what was printed.
                const std::string expected_text = text_of(big_of(a.coefficient()), a.scale());
                const std::string text = a.to_string();
                if (text != expected_text) {
                    ADD_FAILURE() << "operation " << i << " (seed " << the_seed << "): to_string of "
                                  << big_of(a.coefficient()) << " at scale " << a.scale() << " gave " << text
                                  << ", expected " << expected_text;
                    ++mismatches;
                }
                check(i, "parse(\"" + text + "\")", outcome_of(a), outcome_of(Decimal::parse(text)));
                // And a text written by hand, with signs, leading zeros and exponents.
                const Text t = text_for_parse(rng);
                check(i, "parse(\"" + t.text + "\")", t.expected, outcome_of(Decimal::parse(t.text)));
                break;
            }
        }
    }
    EXPECT_EQ(mismatches, 0) << "seed " << the_seed << "; rerun with CROSSRATE_ORACLE_SEED=" << the_seed;
    // Each kind of case came up often enough to mean something (about 1 in 200 operations or more).
    const int often = count / 200;
    EXPECT_GT(coverage.inexact, often);
    EXPECT_GT(coverage.ties, often);
    EXPECT_GT(coverage.overflow, often);
    EXPECT_GT(coverage.division_by_zero, often / 4);
    EXPECT_GT(coverage.invalid_parameter, often);
    EXPECT_GT(coverage.invalid_amount, often);
    EXPECT_GT(coverage.double_rounding, 0);
    RecordProperty("operations", count);
    RecordProperty("inexact", coverage.inexact);
    RecordProperty("ties", coverage.ties);
    RecordProperty("overflow", coverage.overflow);
    RecordProperty("division_by_zero", coverage.division_by_zero);
    RecordProperty("double_rounding", coverage.double_rounding);
}

}  // namespace
}  // namespace crossrate
