#pragma once
// JSON request bodies, parsed so that no number passes through a binary double: every JSON
// number arrives as a string holding its exact text (5000, 0.15, 1e3), ready for
// Decimal::parse. Structure, strings, booleans and null are as Boost.JSON parses them.

#include "pricing/error.hpp"

#include <boost/json/value.hpp>

#include <string_view>

namespace crossrate {

// Errors name the line and column; depth is limited to 32.
Result<boost::json::value> parse_exact_json(std::string_view text);

}  // namespace crossrate
