#pragma once
// A fast 64-bit hash of bytes, not for security: the ETag of an answer's body and, spread again
// (ReplyCache::Key), the reply cache's key of a request target. Four lanes of eight bytes a
// step, independent of each other so the processor runs them side by side, then mixed. Its low
// bits do not depend on every bit of a short last word; its 64 bits do. About a third of
// std::hash's work on a request target (tens of bytes).

#include <cstdint>
#include <cstring>
#include <string_view>

namespace crossrate::server {

inline std::uint64_t fast_hash(std::string_view bytes) noexcept {
    constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
    const auto mix = [](std::uint64_t h, std::uint64_t w) {
        h = (h ^ w) * k;
        return h ^ (h >> 29);
    };
    const auto word = [&](std::size_t at) {
        std::uint64_t w;
        std::memcpy(&w, bytes.data() + at, 8);
        return w;
    };
    std::uint64_t lane[4] = {bytes.size() * k, k, 2 * k, 3 * k};
    std::size_t i = 0;
    for (; i + 32 <= bytes.size(); i += 32) {
        for (std::size_t j = 0; j < 4; ++j) lane[j] = mix(lane[j], word(i + 8 * j));
    }
    std::uint64_t h = mix(mix(mix(lane[0], lane[1]), lane[2]), lane[3]);
    for (; i + 8 <= bytes.size(); i += 8) h = mix(h, word(i));
    std::uint64_t tail = 0;
    if (i < bytes.size()) std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
    h = (h ^ tail) * k;
    return h ^ (h >> 32);
}

}  // namespace crossrate::server
