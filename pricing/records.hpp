#pragma once
// Records sent to writes: a quote, a rate or a source shaped as GET shows it, less its id,
// checked as the fixtures are and against the dataset it would join. Every problem is
// collected with its JSON pointer; nothing is thrown.

#include "pricing/dataset.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace boost::json {
class value;
}

namespace crossrate {

// A problem in a record sent to a write, by JSON pointer.
struct FieldProblem {
    std::string pointer;
    std::string detail;
};

// A quote from one JSON object shaped as GET /v1/quotes shows it, less its id (`source` may
// be an id or {"id": ...}; decimals are strings, or numbers read from their text), checked
// as the fixtures are and against `data` (its item and source must exist), collecting every
// problem under `pointer`. `supersedes`, if present, must name a quote of `data`. `added`:
// sources the same write adds, which the quote may cite.
std::optional<Quote> quote_from_json(const boost::json::value& v, const Dataset& data, const std::string& pointer,
                                     std::vector<FieldProblem>& problems, std::span<const Source> added = {});
// A reported or market rate shaped as GET /v1/rates/reports shows it, less its id, checked
// likewise. A series holds one value a date, so a rate on a date that already has one must
// supersede that one.
std::optional<RateReport> rate_from_json(const boost::json::value& v, const Dataset& data, const std::string& pointer,
                                         std::vector<FieldProblem>& problems, std::span<const Source> added = {});
// A source shaped as GET /v1/sources shows it, less its id; articles' text files are for
// fixtures only.
std::optional<Source> source_from_json(const boost::json::value& v, const Dataset& data, const std::string& pointer,
                                       std::vector<FieldProblem>& problems);

}  // namespace crossrate
