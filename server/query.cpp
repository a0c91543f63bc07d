#include "server/query.hpp"

#include "api/swar.hpp"
#include "api/utf8.hpp"

#include <algorithm>

namespace crossrate::server {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Result<std::string> not_utf8() {
    return Error(Errc::invalid_parameter, "the request target decodes to bytes that are not UTF-8", "target");
}

// Percent-decodes; what it decodes to must be UTF-8.
Result<std::string> decode(std::string_view text, bool plus_is_space) {
    if (text.find_first_of(plus_is_space ? "%+" : "%") == std::string_view::npos) {
        if (!api::is_utf8(text)) return not_utf8();
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            const int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
            const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                return Error(Errc::invalid_parameter, "bad percent-escape in the request target", "target");
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    if (!api::is_utf8(out)) return not_utf8();
    return out;
}

// ASCII without an escape or a "+": nothing in it to decode or to check. Eight bytes a step.
bool is_plain(std::string_view text) noexcept {
    using namespace api::swar;
    return !any_word(text, [](std::uint64_t w) { return high_byte(w) | byte_is(w, '%') | byte_is(w, '+'); });
}

}  // namespace

Result<Target> parse_target(std::string_view target) {
    // Most targets are plain: their parts are taken as they are.
    const bool plain = is_plain(target);
    Target t;
    const auto question = target.find('?');
    if (plain) {
        t.path = target.substr(0, question);
    } else {
        auto path = decode(target.substr(0, question), false);
        if (!path) return path.error();
        t.path = std::move(*path);
    }
    if (question == std::string_view::npos) return t;
    std::string_view query = target.substr(question + 1);
    t.params.reserve(static_cast<std::size_t>(std::count(query.begin(), query.end(), '&')) + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const std::string_view name = pair.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (plain) {
            t.params.emplace_back(name, value);
            continue;
        }
        auto decoded_name = decode(name, true);
        if (!decoded_name) return decoded_name.error();
        auto decoded_value = decode(value, true);
        if (!decoded_value) return decoded_value.error();
        t.params.emplace_back(std::move(*decoded_name), std::move(*decoded_value));
    }
    return t;
}

std::optional<ValueAt> plain_value_of(std::string_view target, std::string_view name) noexcept {
    const auto question = target.find('?');
    if (question == std::string_view::npos || !is_plain(target)) return std::nullopt;
    std::optional<ValueAt> found;
    // Pair by pair as parse_target splits them: a name given twice (with a value or not) is
    // not one value.
    for (std::size_t at = question + 1; at <= target.size();) {
        const auto amp = std::min(target.find('&', at), target.size());
        const std::string_view pair = target.substr(at, amp - at);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            if (found || eq == std::string_view::npos) return std::nullopt;
            found = ValueAt{at + eq + 1, amp};
        }
        at = amp + 1;
    }
    return found;
}

Result<void> Query::check(std::span<const std::string_view> allowed) const {
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const auto& name = params_[i].first;
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            std::string list;
            for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            return Error(Errc::invalid_parameter,
                         "unknown parameter '" + name + "'" + (list.empty() ? "; this route takes none" : "; expected one of " + list),
                         name);
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (params_[j].first == name) {
                return Error(Errc::invalid_parameter, "parameter '" + name + "' is given twice", name);
            }
        }
    }
    return {};
}

std::optional<std::string_view> Query::get(std::string_view name) const {
    for (const auto& [k, v] : params_) {
        if (k == name) return std::string_view(v);
    }
    return std::nullopt;
}

api::Params Query::params() const {
    return [this](std::string_view name) { return get(name); };
}

}  // namespace crossrate::server
