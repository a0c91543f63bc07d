#pragma once
// SHA-256 (OpenSSL's EVP) for what must not collide: the content hashes of fixtures and
// revisions, the fingerprints of write requests kept for Idempotency-Key retries, and scenario
// ids. (ETags, which only need to change with the content, keep the fast FNV-1a of
// fingerprint.hpp.)

#include <string>
#include <string_view>

namespace crossrate {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    Sha256& add(std::string_view bytes);
    // 64 lower-case hex digits; the digest is finished (add no more after it).
    std::string hex();

private:
    void* context_;  // EVP_MD_CTX
};

// "sha256:" and the hex digest of `bytes`.
std::string sha256_tagged(std::string_view bytes);

}  // namespace crossrate
