#include "pricing/random.hpp"

#include <algorithm>
#include <cmath>

namespace crossrate {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

constexpr std::uint64_t billion = 1'000'000'000;

// A random draw's shape in binary floating point, for the triangular inverse (see the header).
double approximate(const Decimal& d) noexcept {
    double scale = 1;
    for (int i = 0; i < d.scale(); ++i) scale *= 10;
    return static_cast<double>(d.coefficient()) / scale;
}

}  // namespace

Random::Random(std::uint64_t seed) noexcept {
    for (auto& s : s_) s = splitmix64(seed);
}

std::uint64_t Random::next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

Decimal Random::unit() noexcept {
    // Lemire's multiply-shift maps 64 random bits onto [0, 10^9) without modulo bias worth
    // the name (under 10^-10).
    __extension__ using Wide = unsigned __int128;
    const auto k = static_cast<std::int64_t>((static_cast<Wide>(next()) * billion) >> 64);
    return Decimal::from_parts(k, 9);
}

Sampler::Sampler(const Distribution& d)
    : d_(d),
      width_(d.high - d.low),
      width_approx_(approximate(width_)),
      rise_(approximate(d.mode - d.low)),
      fall_(approximate(d.high - d.mode)),
      split_(width_approx_ > 0 ? rise_ / width_approx_ : 0) {}

Decimal Sampler::draw(Random& random) const {
    const Decimal u = random.unit();
    if (d_.kind == Distribution::Kind::uniform) return d_.low + width_ * u;
    // Triangular, by its inverse distribution function.
    if (width_.is_zero()) return d_.low;
    const double uniform_draw = approximate(u);
    const double offset = uniform_draw < split_ ? std::sqrt(uniform_draw * width_approx_ * rise_)
                                                : width_approx_ - std::sqrt((1.0 - uniform_draw) * width_approx_ * fall_);
    // The offset in nine decimal places while it fits 64 bits (up to 9.2e9); past that, as a
    // share of the width (a width that large has no use for nine places).
    const double clamped = std::clamp(offset, 0.0, width_approx_);
    Decimal value;
    if (clamped * 1e9 < 9.2e18) {
        value = d_.low + Decimal::from_parts(static_cast<std::int64_t>(std::llround(clamped * 1e9)), 9);
    } else {
        const double share = width_approx_ > 0 ? clamped / width_approx_ : 0;
        value = d_.low + width_ * Decimal::from_parts(static_cast<std::int64_t>(std::llround(share * 1e18)), 18);
    }
    return value < d_.low ? d_.low : value > d_.high ? d_.high : value;
}

Decimal Distribution::draw(Random& random) const { return Sampler(*this).draw(random); }

}  // namespace crossrate
