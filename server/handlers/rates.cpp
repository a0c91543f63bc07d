// GET /v1/rates (one base against many quotes on a date), GET /v1/rates/series (one pair
// over a range of dates) and GET /v1/rates/reports (the reported and market rates as records).

#include "api/documents.hpp"
#include "api/requests.hpp"
#include "ledger/records_csv.hpp"
#include "server/handlers/handlers.hpp"

#include "pricing/rate_aggregate.hpp"
#include "server/handlers/paging.hpp"

namespace crossrate::server::handlers {
namespace {

std::vector<CurrencyCode> parse_symbols(std::string_view list, const Dataset& data) {
    std::vector<CurrencyCode> out;
    for (std::size_t start = 0; start <= list.size();) {
        const std::size_t end = std::min(list.find(',', start), list.size());
        out.push_back(api::parse_currency(list.substr(start, end - start), "symbols", data).value()->code);
        start = end + 1;
    }
    return out;
}

std::optional<Date> optional_date(const Query& q, std::string_view name) {
    if (const auto text = q.get(name)) return api::parse_date_param(*text, name).value();
    return std::nullopt;
}

}  // namespace

Reply rates(const Call& call) {
    const Currency* base = api::parse_currency(call.query.get("base").value_or("USD"), "base", call.data).value();
    const auto date = optional_date(call.query, "date");
    const RateQuery query = api::parse_rate_query(call.query.params()).value();
    std::vector<CurrencyCode> symbols;
    if (const auto list = call.query.get("symbols")) {
        symbols = parse_symbols(*list, call.data);
    } else {
        // Every currency the asked kind reaches from the base.
        for (const auto& c : call.data.currencies.all()) {
            if (c.code != base->code) symbols.push_back(c.code);
        }
    }
    std::vector<api::RateRow> rows;
    rows.reserve(symbols.size());
    const bool listed = call.query.get("symbols").has_value();
    for (const auto& quote : symbols) {
        auto answer = call.data.rates.lookup(base->code, quote, date, query);
        if (!listed && !answer && answer.error().code() == Errc::no_rate_series) continue;
        rows.push_back({quote, std::move(answer)});
    }
    if (call.csv) return {http::status::ok, api::rates_csv(base->code, rows), "text/csv; charset=utf-8", freshness_of(date)};
    return {http::status::ok, api::rates_document(base->code, date, query, rows, call.data), "application/json",
            freshness_of(date)};
}

Reply rates_series(const Call& call) {
    for (const std::string_view required : {"quote", "start", "end"}) {
        if (!call.query.get(required)) {
            throw Error(Errc::invalid_parameter, std::string(required) + " is required", std::string(required));
        }
    }
    const Currency* base = api::parse_currency(call.query.get("base").value_or("USD"), "base", call.data).value();
    const Currency* quote = api::parse_currency(*call.query.get("quote"), "quote", call.data).value();
    const Date start = *optional_date(call.query, "start");
    const Date end = *optional_date(call.query, "end");
    const Interval interval = parse_interval(call.query.get("interval").value_or("day")).value();
    const RateQuery query = api::parse_rate_query(call.query.params()).value();
    // Summarised by period: each week's, month's or year's observed days, first, last, mean...
    if (const auto how = call.query.get("aggregate")) {
        const Aggregate aggregate = parse_aggregate(*how).value();
        if (call.query.get("policy")) {
            throw Error(Errc::invalid_parameter, "an aggregate reads the days observed in each period: leave policy out",
                        "policy");
        }
        const auto periods = aggregate_series(call.data.rates, base->code, quote->code, start, end, interval, aggregate, query,
                                              call.config.max_series_points * 31, call.cancel)
                                 .value();
        if (call.csv) {
            return {http::status::ok, api::aggregated_series_csv(base->code, quote->code, aggregate, periods),
                    "text/csv; charset=utf-8", freshness_of(end)};
        }
        return {http::status::ok, api::aggregated_series_document(base->code, quote->code, interval, aggregate, query, periods),
                "application/json", freshness_of(end)};
    }
    const auto dates = step_dates(start, end, interval, call.config.max_series_points).value();
    std::vector<api::SeriesPoint> points;
    points.reserve(dates.size());
    for (const Date d : dates) points.push_back({d, call.data.rates.lookup(base->code, quote->code, d, query)});
    if (call.csv) {
        return {http::status::ok, api::series_csv(base->code, quote->code, points), "text/csv; charset=utf-8", freshness_of(end)};
    }
    return {http::status::ok, api::series_document(base->code, quote->code, to_string(interval), query, points),
            "application/json", freshness_of(end)};
}

// The rates sources state, each as the record POST /v1/rates takes (less its id): what reads
// out can be written back, or corrected with `supersedes`. As CSV, in the import's columns.
Reply rate_reports(const Call& call) {
    const Dataset& data = call.data;
    std::optional<RateKind> kind;
    if (const auto k = call.query.get("kind")) {
        kind = parse_rate_kind(*k).value();
        if (!info(*kind).records) {
            throw Error(Errc::invalid_parameter,
                        std::string(k->data(), k->size()) + " rates are a dataset, not reports: see /v1/rates/series", "kind");
        }
    }
    std::optional<CurrencyCode> base, quote;
    if (const auto b = call.query.get("base")) base = api::parse_currency(*b, "base", data).value()->code;
    if (const auto q = call.query.get("quote")) quote = api::parse_currency(*q, "quote", data).value()->code;
    const auto location = call.query.get("location");
    const auto source = call.query.get("source");
    if (source && data.find_source(*source) == nullptr) {
        throw Error(Errc::not_found, "no source '" + std::string(*source) + "'" + data.near_source(*source) + " (see /v1/sources)", "source");
    }
    const auto start = optional_date(call.query, "start");
    const auto end = optional_date(call.query, "end");
    // By date: the cursor names the first report of the page, found in that order by search.
    const Page page = page_of(call.query, 'r', data.rate_reports.stored());
    const std::span<const std::uint32_t> order = data.rate_order ? std::span(*data.rate_order) : std::span<const std::uint32_t>();
    std::vector<const RateReport*> selected;
    std::optional<std::string> next;
    for (std::size_t i = page.from == 0 ? 0 : data.rate_order_index(static_cast<std::uint32_t>(page.from)); i < order.size(); ++i) {
        if (!data.rate_reports.visible(order[i])) continue;
        const RateReport& r = data.rate_reports[order[i]];
        if ((kind && r.kind != *kind) || (base && r.base != *base) || (quote && r.quote != *quote) ||
            (location && r.location != *location) || (source && r.source != *source) ||
            (start && r.date.last_day() < *start) || (end && r.date.date > *end)) {
            continue;
        }
        if (selected.size() == page.limit) {
            next = cursor_of('r', order[i]);
            break;
        }
        selected.push_back(&r);
    }
    Reply reply = call.csv ? Reply{http::status::ok, rate_reports_csv(selected), "text/csv; charset=utf-8", Freshness::reference}
                           : Reply{http::status::ok, api::rate_reports_document(selected, data, next), "application/json",
                                   Freshness::reference};
    if (next) reply.link = next_link(call.request, *next);
    return reply;
}

}  // namespace crossrate::server::handlers
