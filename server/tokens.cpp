#include "server/tokens.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <fstream>
#include <sstream>

namespace crossrate::server {

std::optional<std::string_view> bearer_token(std::string_view authorization) {
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() <= scheme.size() ||
        !std::equal(scheme.begin(), scheme.end(), authorization.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
        return std::nullopt;
    }
    return authorization.substr(scheme.size());
}
namespace {

std::array<unsigned char, 32> sha256(std::string_view text) {
    std::array<unsigned char, 32> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
    return digest;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

Result<Tokens> Tokens::parse(std::string_view spec, char separator) {
    Tokens tokens;
    std::size_t number = 0;
    for (std::size_t start = 0; start <= spec.size();) {
        const std::size_t end = std::min(spec.find(separator, start), spec.size());
        const std::string_view entry = trim(spec.substr(start, end - start));
        start = end + 1;
        ++number;
        if (entry.empty() || entry.front() == '#') continue;
        const auto colon = entry.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == entry.size()) {
            // The entry is not repeated in the message: it may hold a secret.
            return Error(Errc::invalid_parameter,
                         "token entry " + std::to_string(number) + " is not name:secret", "tokens");
        }
        const std::string name(entry.substr(0, colon));
        for (const auto& e : tokens.entries_) {
            if (e.name == name) return Error(Errc::invalid_parameter, "token name '" + name + "' is given twice", "tokens");
        }
        tokens.entries_.push_back({name, sha256(entry.substr(colon + 1))});
    }
    return tokens;
}

Result<Tokens> Tokens::read_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Error(Errc::invalid_parameter, "cannot read the tokens file " + path, "tokens-file");
    std::stringstream text;
    text << in.rdbuf();
    return parse(text.str(), '\n');
}

void Tokens::merge(const Tokens& other) { entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end()); }

std::optional<std::string> Tokens::name_for(std::string_view presented) const {
    const auto digest = sha256(presented);
    std::optional<std::string> found;
    for (const auto& e : entries_) {  // every entry is compared, whatever matched
        if (CRYPTO_memcmp(e.digest.data(), digest.data(), digest.size()) == 0) found = e.name;
    }
    return found;
}

}  // namespace crossrate::server
