// The dataset as it is: currencies, sources, items, quotes (filtered), regimes; and the index.

#include "api/documents.hpp"
#include "api/requests.hpp"
#include "pricing/units.hpp"
#include "server/handlers/handlers.hpp"
#include "server/handlers/paging.hpp"

#include <algorithm>

namespace crossrate::server::handlers {

Reply index(const Call&) {
    api::JsonWriter w;
    w.begin_object();
    w.field("service", "crossrate").field("openapi", "/openapi.json");
    w.key("routes").begin_array();
    for (const auto& r : routes()) {
        w.begin_object().field("method", std::string_view(http::to_string(r.method))).field("path", r.path).end_object();
    }
    w.end_array().end_object();
    return {http::status::ok, w.take(), "application/json", Freshness::reference};
}

Reply currencies(const Call& call) {
    return {http::status::ok, api::currencies_document(call.data), "application/json", Freshness::reference};
}

Reply sources(const Call& call) {
    const auto& table = call.data.sources;
    const Page page = page_of(call.query, 's', table.stored());
    std::vector<const Source*> selected;
    std::optional<std::string> next;
    for (auto it = table.from(page.from); it != table.end(); ++it) {
        if (selected.size() == page.limit) {
            next = cursor_of('s', it.position());
            break;
        }
        selected.push_back(&*it);
    }
    Reply reply{http::status::ok, api::sources_document(selected, next), "application/json", Freshness::reference};
    if (next) reply.link = next_link(call.request, *next);
    return reply;
}

Reply items(const Call& call) {
    return {http::status::ok, api::items_document(call.data), "application/json", Freshness::reference};
}

Reply regimes(const Call& call) {
    return {http::status::ok, api::regimes_document(call.data), "application/json", Freshness::reference};
}

Reply quotes(const Call& call) {
    const Dataset& data = call.data;
    const auto item = call.query.get("item");
    if (item && data.find_item(*item) == nullptr) {
        throw Error(Errc::not_found, "no item '" + std::string(*item) + "' (see /v1/items)", "item");
    }
    std::optional<QuoteSide> side;
    if (const auto s = call.query.get("side")) side = parse_quote_side(*s).value();
    const auto kind = call.query.get("kind");
    if (kind && !is_quote_kind(*kind)) {
        throw Error(Errc::invalid_parameter, "kind must be price, bribe, fee or penalty", "kind");
    }
    const auto source = call.query.get("source");
    if (source && data.find_source(*source) == nullptr) {
        throw Error(Errc::not_found, "no source '" + std::string(*source) + "' (see /v1/sources)", "source");
    }
    const auto location = call.query.get("location");
    std::optional<Date> start, end;
    if (const auto s = call.query.get("start")) start = api::parse_date_param(*s, "start").value();
    if (const auto e = call.query.get("end")) end = api::parse_date_param(*e, "end").value();
    const Page page = page_of(call.query, 'q', data.quotes.stored());
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
    Reply reply{http::status::ok, api::quotes_document(selected, data, next), "application/json", Freshness::reference};
    if (next) reply.link = next_link(call.request, *next);
    return reply;
}

// GET /v1/quotes/series: every quote of an item by observed date, each converted to one
// currency at the official rate of its period's first day and, where its unit is one the table
// knows, per its base unit (per kg for a mass); a point that cannot be says why.
Reply quotes_series(const Call& call) {
    const Dataset& data = call.data;
    const auto item = call.query.get("item");
    if (!item) throw Error(Errc::invalid_parameter, "item is required", "item");
    if (data.find_item(*item) == nullptr) throw Error(Errc::not_found, "no item '" + std::string(*item) + "' (see /v1/items)", "item");
    const Currency* currency = api::parse_currency(call.query.get("currency").value_or("CNY"), "currency", data).value();
    const std::string kind(call.query.get("kind").value_or("price"));
    if (!is_quote_kind(kind)) throw Error(Errc::invalid_parameter, "kind must be price, bribe, fee or penalty", "kind");
    std::optional<QuoteSide> side;
    if (const auto s = call.query.get("side")) side = parse_quote_side(*s).value();
    const auto unit = call.query.get("unit");
    const auto asked = unit ? measure_of(*unit) : std::nullopt;
    if (unit && !asked) throw Error(Errc::invalid_parameter, "unit must be one of the unit table's (kg, head, ...)", "unit");
    std::vector<const Quote*> quotes;
    if (const QuoteDates* dates = data.quote_dates_of(*item, kind)) {
        for (const auto* list : {&dates->day, &dates->coarse}) {
            for (const std::uint32_t p : *list) {
                if (data.quotes.visible(p) && (!side || data.quotes[p].side == *side)) quotes.push_back(&data.quotes[p]);
            }
        }
    }
    std::stable_sort(quotes.begin(), quotes.end(), [](const Quote* a, const Quote* b) { return a->observed.date < b->observed.date; });
    api::JsonWriter w;
    w.begin_object().field("item", *item).field("kind", kind).field("currency", currency->code.view());
    w.key("unit");
    unit ? w.value(*unit) : w.null();
    w.key("points").begin_array();
    for (const Quote* q : quotes) {
        call.cancel.tick();
        w.begin_object().field("quote", q->id).field("side", to_string(q->side));
        w.key("observed");
        api::write_reported_date(w, q->observed);
        w.field("amount", q->amount).field("reported_currency", q->currency.view()).field("reported_unit", q->unit);
        api::write_certainty(w, *q);
        w.field("source", q->source);
        std::string gap;
        std::optional<Decimal> value;
        const auto rate = data.rates.lookup(q->currency, currency->code, q->observed.date, RateQuery{});
        if (rate) value = q->amount * rate->rate; else gap = rate.error().what();
        const auto per = normalize(Decimal(1), q->unit);
        if (value && asked && (!per || per->unit != asked->base)) {
            gap = "priced per " + q->unit + ", not comparable per " + std::string(*unit);
            value.reset();
        }
        w.key("value");
        if (value) {
            // Per the base unit (per kg): the amount per unit divided by the unit's size in it.
            const Decimal per_base = per ? *value * per->amount : *value;
            w.value(per_base.round(currency->minor_units + 4).trimmed());
            w.field("per", per ? per->unit : q->unit);
            w.key("rate_date");
            rate->legs.empty() ? w.value(format_date(q->observed.date)) : w.value(format_date(rate->rate_date));
        } else {
            w.null();
            w.field("gap", gap);
        }
        w.end_object();
    }
    w.end_array().end_object();
    return {http::status::ok, w.take(), "application/json", Freshness::reference};
}

}  // namespace crossrate::server::handlers
