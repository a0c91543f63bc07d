#pragma once
// Reproducible random draws for Monte Carlo scenarios: xoshiro256** seeded through
// splitmix64 (Blackman and Vigna's published generators), so a seed gives the same draws on
// every machine and compiler (the standard library's distributions do not promise that).
//
// Draws are decimals with nine digits after the point. The inverse of the triangular
// distribution needs a square root, taken in binary floating point: the draw is a random
// input, rounded to nine places, never a money computation.

#include "pricing/decimal.hpp"

#include <cstdint>
#include <string>

namespace crossrate {

class Random {
public:
    explicit Random(std::uint64_t seed) noexcept;
    // The generator's state as given (for known-answer tests of the published algorithm).
    explicit Random(const std::uint64_t (&state)[4]) noexcept : s_{state[0], state[1], state[2], state[3]} {}
    std::uint64_t next() noexcept;
    // Uniform on [0, 1) in steps of 10^-9.
    Decimal unit() noexcept;

private:
    std::uint64_t s_[4];
};

struct Distribution {
    enum class Kind { uniform, triangular };
    Kind kind = Kind::uniform;
    Decimal low, mode, high;  // mode only for triangular; low ≤ mode ≤ high
    std::string low_assumption;  // the assumption `low` comes from, where no source gives it

    Decimal draw(Random& random) const;
};

// Draws from one distribution many times, its shape worked out once.
class Sampler {
public:
    explicit Sampler(const Distribution& d);
    Decimal draw(Random& random) const;

private:
    Distribution d_;
    Decimal width_;
    double width_approx_ = 0, rise_ = 0, fall_ = 0, split_ = 0;  // the triangle, for its inverse
};

}  // namespace crossrate
