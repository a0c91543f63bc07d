#pragma once
// Writers' bearer tokens, configured by name ("analyst:s3cret") and kept only as SHA-256
// digests; a presented token is compared against every digest in constant time. Tokens are
// never logged.

#include "pricing/error.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate::server {

// The token of an `Authorization: Bearer TOKEN` header (the scheme in any case), if it is one.
std::optional<std::string_view> bearer_token(std::string_view authorization);

class Tokens {
public:
    // "name:secret,name:secret" (CROSSRATE_TOKENS), or the lines of a --tokens-file (blank
    // lines and lines starting with # are skipped).
    static Result<Tokens> parse(std::string_view spec, char separator);
    static Result<Tokens> read_file(const std::string& path);

    void merge(const Tokens& other);
    bool empty() const noexcept { return entries_.empty(); }
    std::size_t size() const noexcept { return entries_.size(); }
    // The name of the writer whose token this is, if any.
    std::optional<std::string> name_for(std::string_view presented) const;

private:
    struct Entry {
        std::string name;
        std::array<unsigned char, 32> digest;
    };
    std::vector<Entry> entries_;
};

}  // namespace crossrate::server
