#pragma once
// FNV-1a, 64 bits: a fingerprint of bytes for ids, validators and content hashes. Fast and
// stable across versions (stored hashes depend on it), not a security measure.

#include <cstdint>
#include <string>
#include <string_view>

namespace crossrate {

class Fingerprint {
public:
    Fingerprint& add(std::string_view bytes) noexcept {
        for (const char c : bytes) {
            h_ ^= static_cast<unsigned char>(c);
            h_ *= 0x100000001b3ull;
        }
        return *this;
    }
    std::uint64_t value() const noexcept { return h_; }
    // Sixteen lower-case hex digits.
    std::string hex() const {
        static constexpr char digits[] = "0123456789abcdef";
        std::string out;
        for (int shift = 60; shift >= 0; shift -= 4) out.push_back(digits[(h_ >> shift) & 0xF]);
        return out;
    }

private:
    std::uint64_t h_ = 0xcbf29ce484222325ull;
};

}  // namespace crossrate
