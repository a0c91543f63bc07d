#pragma once
// The one parser of request parameters, shared by the CLI and the HTTP server: raw text in
// (by the HTTP parameter names), the model's types out, or an Error naming the parameter.

#include "pricing/conversion.hpp"
#include "pricing/dataset.hpp"
#include "pricing/margins.hpp"

#include <functional>
#include <string>
#include <vector>
#include <optional>
#include <string_view>

namespace crossrate::api {

// Looks a parameter up by name; nullopt when it was not given.
using Params = std::function<std::optional<std::string_view>(std::string_view name)>;

struct ConvertRequest {
    Decimal amount;
    const Currency* from = nullptr;
    const Currency* to = nullptr;
    std::optional<Date> date;  // unset: the latest date the path covers
    RateQuery query;
    std::optional<int> places;
};

// amount, from, to (required); date, kind, policy, max_gap, location, places (optional).
Result<ConvertRequest> parse_convert_request(const Params& params, const Dataset& data);
// Every problem of a conversion's parameters, not only the first (a batch entry lists them all).
std::vector<Error> convert_request_problems(const Params& params, const Dataset& data);

struct MarginRequest {
    std::vector<std::string> items;
    MarginQuery query;  // the item is filled in per item
    std::optional<int> places;
};

// items (comma-separated), date (required); currency (default CNY), kind, policy, max_gap,
// location (how other currencies convert); quote_policy (how quotes are found by date);
// overrides: buy, sell, bribe, heads, transport, interdiction; places.
Result<MarginRequest> parse_margin_request(const Params& params, const Dataset& data);
inline constexpr std::string_view margin_params[] = {
    "items", "date", "currency", "kind", "policy", "max_gap", "location", "quote_policy", "bribe_model", "bribe_item",
    "buy",   "sell", "bribe",    "heads", "transport", "interdiction", "places"};

// The pieces, for other requests.
Result<Decimal> parse_amount(std::string_view text, std::string_view param);
Result<const Currency*> parse_currency(std::string_view text, std::string_view param, const Dataset& data);
Result<Date> parse_date_param(std::string_view text, std::string_view param);
Result<int> parse_count(std::string_view text, std::string_view param, int max);
// kind, policy, max_gap, location.
Result<RateQuery> parse_rate_query(const Params& params);

}  // namespace crossrate::api
