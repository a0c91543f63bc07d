#pragma once
// The request target: a path and its decoded query parameters. Each route declares the
// parameters it takes; anything else is refused, as is a parameter given twice.

#include "api/requests.hpp"
#include "pricing/error.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crossrate::server {

struct Target {
    std::string path;
    std::vector<std::pair<std::string, std::string>> params;  // decoded, in order
};

// Splits and percent-decodes ("+" is a space in the query). Bad escapes are an error.
Result<Target> parse_target(std::string_view target);

// Where `name`'s value is in `target`, when the target is plain (ASCII without an escape or a
// "+", so parse_target takes its parts as they are) and names it once, as name=value; none
// for any other target.
struct ValueAt {
    std::size_t begin;
    std::size_t end;
};
std::optional<ValueAt> plain_value_of(std::string_view target, std::string_view name) noexcept;

class Query {
public:
    Query() = default;
    explicit Query(std::vector<std::pair<std::string, std::string>> params) : params_(std::move(params)) {}

    // Refuses names not in `allowed` (code invalid_parameter, param = the name) and repeats.
    Result<void> check(std::span<const std::string_view> allowed) const;

    std::optional<std::string_view> get(std::string_view name) const;
    // A copy with one more parameter (a path's own).
    Query with(std::string name, std::string value) const {
        Query q(params_);
        q.params_.emplace_back(std::move(name), std::move(value));
        return q;
    }
    // For the shared parsers of api/requests.hpp.
    api::Params params() const;

private:
    std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace crossrate::server
