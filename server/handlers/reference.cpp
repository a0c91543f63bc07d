// The dataset as it is: currencies, sources, items, quotes (filtered), regimes; and the index.
// The tables answer CSV when asked; sources and quotes in the columns the import reads.

#include "api/documents.hpp"
#include "api/requests.hpp"
#include "ledger/records_csv.hpp"
#include "pricing/units.hpp"
#include "server/handlers/handlers.hpp"
#include "server/handlers/paging.hpp"

#include <algorithm>

namespace crossrate::server::handlers {

Result<Reply> index(const Call&) {
    api::JsonWriter w;
    w.begin_object();
    w.field("service", "crossrate").field("openapi", "/openapi.json");
    w.key("routes").begin_array();
    for (const auto& r : routes()) {
        w.begin_object().field("method", std::string_view(http::to_string(r.method))).field("path", r.path).end_object();
    }
    w.end_array().end_object();
    return Reply{http::status::ok, w.take(), "application/json", Freshness::reference};
}

Result<Reply> currencies(const Call& call) {
    if (call.csv) return Reply{http::status::ok, api::currencies_csv(call.data), "text/csv; charset=utf-8", Freshness::reference};
    return Reply{http::status::ok, api::currencies_document(call.data), "application/json", Freshness::reference};
}

Result<Reply> sources(const Call& call) {
    const auto& table = call.data.sources;
    const auto paged = page_of(call.query, 's', table.stored());
    if (!paged) return paged.error();
    const Page page = *paged;
    std::vector<const Source*> selected;
    std::optional<std::string> next;
    for (auto it = table.from(page.from); it != table.end(); ++it) {
        if (selected.size() == page.limit) {
            next = cursor_of('s', it.position());
            break;
        }
        selected.push_back(&*it);
    }
    Reply reply = call.csv ? Reply{http::status::ok, sources_csv(selected), "text/csv; charset=utf-8", Freshness::reference}
                           : Reply{http::status::ok, api::sources_document(selected, next), "application/json",
                                   Freshness::reference};
    if (next) reply.link = next_link(call.request, *next);
    return reply;
}

Result<Reply> items(const Call& call) {
    if (call.csv) return Reply{http::status::ok, api::items_csv(call.data), "text/csv; charset=utf-8", Freshness::reference};
    return Reply{http::status::ok, api::items_document(call.data), "application/json", Freshness::reference};
}

Result<Reply> regimes(const Call& call) {
    return Reply{http::status::ok, api::regimes_document(call.data), "application/json", Freshness::reference};
}

Result<Reply> quotes(const Call& call) {
    const Dataset& data = call.data;
    const auto item = call.query.get("item");
    if (item && data.find_item(*item) == nullptr) {
        return Error(Errc::not_found, "no item '" + std::string(*item) + "'" + data.near_item(*item) + " (see /v1/items)", "item");
    }
    std::optional<QuoteSide> side;
    if (const auto s = call.query.get("side")) {
        const auto parsed = parse_quote_side(*s);
        if (!parsed) return parsed.error();
        side = *parsed;
    }
    const auto kind = call.query.get("kind");
    if (kind && !is_quote_kind(*kind)) {
        return Error(Errc::invalid_parameter, "kind must be price, bribe, fee or penalty", "kind");
    }
    const auto source = call.query.get("source");
    if (source && data.find_source(*source) == nullptr) {
        return Error(Errc::not_found, "no source '" + std::string(*source) + "'" + data.near_source(*source) + " (see /v1/sources)", "source");
    }
    const auto location = call.query.get("location");
    std::optional<Date> start, end;
    if (const auto s = call.query.get("start")) {
        const auto parsed = api::parse_date_param(*s, "start");
        if (!parsed) return parsed.error();
        start = *parsed;
    }
    if (const auto e = call.query.get("end")) {
        const auto parsed = api::parse_date_param(*e, "end");
        if (!parsed) return parsed.error();
        end = *parsed;
    }
    const auto paged = page_of(call.query, 'q', data.quotes.stored());
    if (!paged) return paged.error();
    const Page page = *paged;
    std::vector<const Quote*> selected;
    std::optional<std::string> next;
    for (auto it = data.quotes.from(page.from); it != data.quotes.end(); ++it) {
        const Quote& q = *it;
        // A quote observed over a month matches any range that overlaps that month.
        if ((item && q.item != *item) || (side && q.side != *side) || (kind && q.kind != *kind) ||
            (source && q.source != *source) || (location && q.location != *location) ||
            (start && q.observed.last_day() < *start) || (end && q.observed.date > *end)) {
            continue;
        }
        if (selected.size() == page.limit) {
            next = cursor_of('q', it.position());
            break;
        }
        selected.push_back(&q);
    }
    Reply reply = call.csv ? Reply{http::status::ok, quotes_csv(selected), "text/csv; charset=utf-8", Freshness::reference}
                           : Reply{http::status::ok, api::quotes_document(selected, data, next), "application/json",
                                   Freshness::reference};
    if (next) reply.link = next_link(call.request, *next);
    return reply;
}

// GET /v1/quotes/series: every quote of an item by observed date, each converted to one
// currency at a rate of its observation's date and, where its unit is one the table knows, per
// its base unit (per kg for a mass); a point that cannot be says why. CSV when asked.
Result<Reply> quotes_series(const Call& call) {
    const Dataset& data = call.data;
    QuoteSeriesQuery q;
    const auto item = call.query.get("item");
    if (!item) return Error(Errc::invalid_parameter, "item is required (see /v1/items)", "item");
    if (data.find_item(*item) == nullptr) {
        return Error(Errc::not_found, "no item '" + std::string(*item) + "'" + data.near_item(*item) + " (see /v1/items)", "item");
    }
    q.item = *item;
    const auto currency_parsed = api::parse_currency(call.query.get("currency").value_or("CNY"), "currency", data);
    if (!currency_parsed) return currency_parsed.error();
    const Currency* currency = *currency_parsed;
    q.currency = currency->code;
    q.kind = call.query.get("kind").value_or("price");
    if (!is_quote_kind(q.kind)) return Error(Errc::invalid_parameter, "kind must be price, bribe, fee or penalty", "kind");
    if (const auto s = call.query.get("side")) {
        const auto side = parse_quote_side(*s);
        if (!side) return side.error();
        q.side = *side;
    }
    if (const auto unit = call.query.get("unit")) {
        if (!measure_of(*unit)) {
            return Error(Errc::invalid_parameter, "unit must be one of the unit table's: a mass (kg, g, jin, ton, pound) or a count (head, piece, person, ...)", "unit");
        }
        q.unit = std::string(*unit);
    }
    const QuoteSeries series = quote_series(data, q, call.cancel);
    if (call.csv) return Reply{http::status::ok, api::quote_series_csv(series, *currency), "text/csv; charset=utf-8", Freshness::reference};
    return Reply{http::status::ok, api::quote_series_document(series, *currency), "application/json", Freshness::reference};
}

}  // namespace crossrate::server::handlers
