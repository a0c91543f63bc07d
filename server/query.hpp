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
