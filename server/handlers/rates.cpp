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

Result<std::vector<CurrencyCode>> parse_symbols(std::string_view list, const Dataset& data) {
    std::vector<CurrencyCode> out;
    for (std::size_t start = 0; start <= list.size();) {
        const std::size_t end = std::min(list.find(',', start), list.size());
        const auto currency = api::parse_currency(list.substr(start, end - start), "symbols", data);
        if (!currency) return currency.error();
        out.push_back((*currency)->code);
        start = end + 1;
    }
    return out;
}

Result<std::optional<Date>> optional_date(const Query& q, std::string_view name) {
    const auto text = q.get(name);
    if (!text) return std::optional<Date>();
    const auto date = api::parse_date_param(*text, name);
    if (!date) return date.error();
    return std::optional<Date>(*date);
}

}  // namespace

Result<Reply> rates(const Call& call) {
    const auto base_parsed = api::parse_currency(call.query.get("base").value_or("USD"), "base", call.data);
    if (!base_parsed) return base_parsed.error();
    const Currency* base = *base_parsed;
    const auto date_parsed = optional_date(call.query, "date");
    if (!date_parsed) return date_parsed.error();
    const std::optional<Date> date = *date_parsed;
    const auto query_parsed = api::parse_rate_query(call.query.params());
    if (!query_parsed) return query_parsed.error();
    const RateQuery& query = *query_parsed;
    std::vector<CurrencyCode> symbols;
    if (const auto list = call.query.get("symbols")) {
        auto symbols_parsed = parse_symbols(*list, call.data);
        if (!symbols_parsed) return symbols_parsed.error();
        symbols = std::move(*symbols_parsed);
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
    if (call.csv) {
        return Reply{http::status::ok, api::rates_csv(base->code, rows), "text/csv; charset=utf-8", freshness_of(date)};
    }
    return Reply{http::status::ok, api::rates_document(base->code, date, query, rows, call.data), "application/json",
                 freshness_of(date)};
}

Result<Reply> rates_series(const Call& call) {
    for (const std::string_view required : {"quote", "start", "end"}) {
        if (!call.query.get(required)) {
            return Error(Errc::invalid_parameter, std::string(required) + " is required", std::string(required));
        }
    }
    const auto base_parsed = api::parse_currency(call.query.get("base").value_or("USD"), "base", call.data);
    if (!base_parsed) return base_parsed.error();
    const Currency* base = *base_parsed;
    const auto quote_parsed = api::parse_currency(*call.query.get("quote"), "quote", call.data);
    if (!quote_parsed) return quote_parsed.error();
    const Currency* quote = *quote_parsed;
    const auto start_parsed = optional_date(call.query, "start");  // present: checked above
    if (!start_parsed) return start_parsed.error();
    const Date start = **start_parsed;
    const auto end_parsed = optional_date(call.query, "end");
    if (!end_parsed) return end_parsed.error();
    const Date end = **end_parsed;
    const auto interval_parsed = parse_interval(call.query.get("interval").value_or("day"));
    if (!interval_parsed) return interval_parsed.error();
    const Interval interval = *interval_parsed;
    const auto query_parsed = api::parse_rate_query(call.query.params());
    if (!query_parsed) return query_parsed.error();
    const RateQuery& query = *query_parsed;
    // Summarised by period: each week's, month's or year's observed days, first, last, mean...
    if (const auto how = call.query.get("aggregate")) {
        const auto aggregate_parsed = parse_aggregate(*how);
        if (!aggregate_parsed) return aggregate_parsed.error();
        const Aggregate aggregate = *aggregate_parsed;
        if (call.query.get("policy")) {
            return Error(Errc::invalid_parameter, "an aggregate reads the days observed in each period: leave policy out",
                         "policy");
        }
        const auto periods = aggregate_series(call.data.rates, base->code, quote->code, start, end, interval, aggregate, query,
                                              call.config.max_series_points * 31, call.cancel);
        if (!periods) return periods.error();
        if (call.csv) {
            return Reply{http::status::ok, api::aggregated_series_csv(base->code, quote->code, aggregate, *periods),
                         "text/csv; charset=utf-8", freshness_of(end)};
        }
        return Reply{http::status::ok,
                     api::aggregated_series_document(base->code, quote->code, interval, aggregate, query, *periods),
                     "application/json", freshness_of(end)};
    }
    const auto dates = step_dates(start, end, interval, call.config.max_series_points);
    if (!dates) return dates.error();
    std::vector<api::SeriesPoint> points;
    points.reserve(dates->size());
    for (const Date d : *dates) points.push_back({d, call.data.rates.lookup(base->code, quote->code, d, query)});
    if (call.csv) {
        return Reply{http::status::ok, api::series_csv(base->code, quote->code, points), "text/csv; charset=utf-8",
                     freshness_of(end)};
    }
    return Reply{http::status::ok, api::series_document(base->code, quote->code, to_string(interval), query, points),
                 "application/json", freshness_of(end)};
}

// The rates sources state, each as the record POST /v1/rates takes (less its id): what reads
// out can be written back, or corrected with `supersedes`. As CSV, in the import's columns.
Result<Reply> rate_reports(const Call& call) {
    const Dataset& data = call.data;
    std::optional<RateKind> kind;
    if (const auto k = call.query.get("kind")) {
        const auto parsed = parse_rate_kind(*k);
        if (!parsed) return parsed.error();
        kind = *parsed;
        if (!info(*kind).records) {
            return Error(Errc::invalid_parameter,
                         std::string(k->data(), k->size()) + " rates are a dataset, not reports: see /v1/rates/series", "kind");
        }
    }
    std::optional<CurrencyCode> base, quote;
    if (const auto b = call.query.get("base")) {
        const auto currency = api::parse_currency(*b, "base", data);
        if (!currency) return currency.error();
        base = (*currency)->code;
    }
    if (const auto q = call.query.get("quote")) {
        const auto currency = api::parse_currency(*q, "quote", data);
        if (!currency) return currency.error();
        quote = (*currency)->code;
    }
    const auto location = call.query.get("location");
    const auto source = call.query.get("source");
    if (source && data.find_source(*source) == nullptr) {
        return Error(Errc::not_found, "no source '" + std::string(*source) + "'" + data.near_source(*source) + " (see /v1/sources)", "source");
    }
    const auto start_parsed = optional_date(call.query, "start");
    if (!start_parsed) return start_parsed.error();
    const std::optional<Date> start = *start_parsed;
    const auto end_parsed = optional_date(call.query, "end");
    if (!end_parsed) return end_parsed.error();
    const std::optional<Date> end = *end_parsed;
    // By date: the cursor names the first report of the page, found in that order by search.
    const auto paged = page_of(call.query, 'r', data.rate_reports.stored());
    if (!paged) return paged.error();
    const Page page = *paged;
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
