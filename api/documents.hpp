#pragma once
// The v1 JSON documents: what `GET /v1/...` answers and what `crossrate ... --json` prints,
// written in one place so the two can never differ.

#include "api/json_writer.hpp"
#include "pricing/conversion.hpp"
#include "pricing/dataset.hpp"
#include "pricing/quote_series.hpp"
#include "pricing/rate_aggregate.hpp"
#include "pricing/dataset_loader.hpp"

#include <optional>
#include <span>
#include <string>

namespace crossrate::api {

// Composite rates are shown to 12 significant digits; results are computed from the full rate.
inline constexpr int rate_display_digits = 12;

std::string conversion_document(const Conversion& c, const Dataset& data);
// What every conversion at one rate answer shares, rendered once: the rate, its legs and
// their provenance (the members write_rate_answer writes, as JSON text).
struct RateFragment {
    Decimal rate;
    Date date;
    bool latest = false;
    std::string json;
};
RateFragment rate_fragment(const RateAnswer& r, const Dataset& data);
// A conversion document but for its amount and result, rendered once: the pair, the date, the
// rounding and the rate's fragment are the same for every amount converted at one rate.
struct ConversionFrame {
    Decimal rate;        // what the amounts are converted at
    std::string middle;  // after the amount, up to the result: `,"from":...,"result":`
    std::string tail;    // after the result: `,"places":...}`
};
ConversionFrame conversion_frame(CurrencyCode from, CurrencyCode to, int places, const RateFragment& rate);
// The document of `amount` and its `result` in a frame: what every conversion document is.
std::string conversion_document(const Decimal& amount, const Decimal& result, const ConversionFrame& frame);
std::string currencies_document(const Dataset& data);
// The same as a table: a list (aliases, kinds) space-separated in its cell.
std::string currencies_csv(const Dataset& data);
// Lists answer a page: `next` is the cursor of the one after, none on the last.
std::string sources_document(const Dataset& data);
std::string sources_document(std::span<const Source* const> sources, std::optional<std::string_view> next);
std::string items_document(const Dataset& data);
// The same as a table, less the mentions (citations: JSON only).
std::string items_csv(const Dataset& data);
std::string quotes_document(std::span<const Quote* const> quotes, const Dataset& data,
                            std::optional<std::string_view> next = std::nullopt);
std::string rate_reports_document(std::span<const RateReport* const> reports, const Dataset& data,
                                  std::optional<std::string_view> next = std::nullopt);
std::string regimes_document(const Dataset& data);
// GET /v1/quotes/series, as JSON and as CSV (one row a point).
std::string quote_series_document(const QuoteSeries& series, const Currency& currency);
std::string quote_series_csv(const QuoteSeries& series, const Currency& currency);
std::string error_document(const Error& e);
// A 400 problem+json for a body with problems: "N problems" + `detail_suffix` as its detail,
// and every problem with its JSON pointer under "errors".
std::string invalid_body_document(std::string_view code, std::string_view title, std::string_view detail_suffix,
                                std::span<const FieldProblem> problems);

// The same answers as CSV tables, for scripts (crossrate ... --csv): a header and a row per
// answer; the provenance is summarised (path, dates, source) rather than nested.
std::string conversion_csv(const Conversion& c);

// One base against many quotes on one date (`GET /v1/rates`): a rate or an error per quote.
struct RateRow {
    CurrencyCode quote;
    Result<RateAnswer> answer;
};
std::string rates_document(CurrencyCode base, std::optional<Date> date, const RateQuery& query,
                           std::span<const RateRow> rows, const Dataset& data);
std::string rates_csv(CurrencyCode base, std::span<const RateRow> rows);

// A rate over a range of dates (`GET /v1/rates/series`): a rate or the reason for a gap per date.
struct SeriesPoint {
    Date date;
    Result<RateAnswer> answer;
};
std::string series_document(CurrencyCode base, CurrencyCode quote, std::string_view interval, const RateQuery& query,
                            std::span<const SeriesPoint> points);
// The same as a table in rates_csv's columns, a row per date (the change is the JSON's only).
std::string series_csv(CurrencyCode base, CurrencyCode quote, std::span<const SeriesPoint> points);
// The same summarised by period (aggregate=...), with the change from the first value to the last.
std::string aggregated_series_document(CurrencyCode base, CurrencyCode quote, Interval interval, Aggregate aggregate,
                                       const RateQuery& query, std::span<const Period> periods);
std::string aggregated_series_csv(CurrencyCode base, CurrencyCode quote, Aggregate aggregate,
                                  std::span<const Period> periods);

// The first and the last of `items` that `has` accepts; both null when none does (a series'
// change runs between them).
template <class T, class Has>
std::pair<const T*, const T*> first_and_last(std::span<const T> items, Has has) {
    const T* first = nullptr;
    const T* last = nullptr;
    for (const T& item : items) {
        if (!has(item)) continue;
        if (first == nullptr) first = &item;
        last = &item;
    }
    return {first, last};
}

// Pieces, for documents built around them.
void write_rate_answer(JsonWriter& w, const RateAnswer& r, const Dataset& data);
void write_reported_date(JsonWriter& w, const ReportedDate& d);
// What the source says of a quote's certainty: "qualifier" (its own hedge, or null) and
// "tail" ("lower", "upper" or null).
void write_certainty(JsonWriter& w, const Quote& q);

}  // namespace crossrate::api
