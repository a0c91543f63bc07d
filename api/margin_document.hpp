#pragma once
// The margins document (`GET /v1/margins`, `crossrate margins --json`) and the assumptions
// list (`GET /v1/assumptions`). Money is rounded half-even to `places` (the currency's minor
// units by default); ratios and probabilities to six places.

#include "pricing/margins.hpp"

#include <span>
#include <string>

namespace crossrate::api {

inline constexpr int ratio_places = 6;

struct MarginRow {
    std::string item;
    Result<MarginResult> result;
};

std::string margins_document(Date date, const Currency& currency, std::span<const MarginRow> rows, int places,
                             const Dataset& data);
std::string assumptions_document(const Dataset& data);
std::string assumptions_csv(const Dataset& data);
// GET /v1/claims: what sources claim of prices, each beside the quotes of the items it names.
std::string claims_document(const Dataset& data);
// A row per item: the numbers and the basis of each input; an item's error in its own column.
std::string margins_csv(Date date, const Currency& currency, std::span<const MarginRow> rows, int places);

// One item over a range of dates (`GET /v1/margins/series`): per date the margin, the age of
// the quotes behind it and the date of the rate that converted them, or why there is none.
struct MarginPoint {
    Date date;
    Result<MarginResult> result;
};
std::string margin_series_document(std::string_view item, const Currency& currency, Interval interval,
                                   std::span<const MarginPoint> points, int places);
// The same as a table: margins_csv's columns, a row per date, and before the error the point's
// quote ages, rate date and regime (the change is the JSON's only).
std::string margin_series_csv(std::string_view item, const Currency& currency, std::span<const MarginPoint> points,
                              int places);

// One margin's fields, inside an object the caller opened.
class JsonWriter;
// A claim's own fields, in an object left open for the caller's.
void write_claim(JsonWriter& w, const Claim& c);
void write_margin(JsonWriter& w, const MarginResult& r, int places, const Dataset& data);

}  // namespace crossrate::api
