#pragma once
// Tests on eight bytes of text at once, read as one 64-bit word: each is nonzero when some
// byte of the word is what it asks for (which byte, it does not say).

#include <cstdint>
#include <cstring>
#include <string_view>

namespace crossrate::api::swar {

inline constexpr std::uint64_t ones = 0x0101010101010101ull;
inline constexpr std::uint64_t highs = 0x8080808080808080ull;

// A byte below `limit` (at most 0x80).
constexpr std::uint64_t byte_below(std::uint64_t w, unsigned char limit) noexcept { return (w - ones * limit) & ~w & highs; }
// A byte equal to `b`.
constexpr std::uint64_t byte_is(std::uint64_t w, unsigned char b) noexcept { return byte_below(w ^ (ones * b), 1); }
// A byte of 0x80 or above: not ASCII.
constexpr std::uint64_t high_byte(std::uint64_t w) noexcept { return w & highs; }

// Whether test(word) is nonzero for some word of `text`; the last, partial word is padded with
// spaces, so a test must not flag a space.
template <class Test>
bool any_word(std::string_view text, Test&& test) noexcept {
    std::size_t i = 0;
    std::uint64_t w;
    for (; i + 8 <= text.size(); i += 8) {
        std::memcpy(&w, text.data() + i, 8);
        if (test(w) != 0) return true;
    }
    if (i == text.size()) return false;
    w = ones * ' ';
    std::memcpy(&w, text.data() + i, text.size() - i);
    return test(w) != 0;
}

}  // namespace crossrate::api::swar
