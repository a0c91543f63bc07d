#include "api/margin_document.hpp"

#include "pricing/rate_aggregate.hpp"

#include "api/csv_writer.hpp"
#include "api/documents.hpp"
#include "api/json_writer.hpp"

namespace crossrate::api {
namespace {

Decimal ratio(const Decimal& d) { return shown(d, ratio_places).trimmed(); }

void write_optional(JsonWriter& w, std::string_view key, const std::optional<Decimal>& d, int places) {
    w.key(key);
    d ? w.value(shown(*d, places)) : w.null();
}

// One input: its value, and where the value comes from.
void write_input(JsonWriter& w, std::string_view key, const MarginInput& in, int places, const Dataset& data) {
    w.key(key).begin_object();
    w.field("value", places >= 0 ? shown(in.value, places) : ratio(in.value));
    w.field("basis", to_string(in.basis));
    if (in.low || in.high) {
        w.key("range").begin_object();
        // One end may be reported without the other: the missing one is the value itself.
        w.field("low", shown(in.low.value_or(in.value), places)).field("high", shown(in.high.value_or(in.value), places));
        // An end the source does not give is an assumption, and says so.
        if (in.low_assumption != nullptr) w.field("low_basis", "assumption").field("low_assumption", in.low_assumption->id);
        w.end_object();
    }
    if (in.applied_by != nullptr) {
        w.key("applied_as").begin_object();
        w.field("basis", "assumption").field("assumption", in.applied_by->id);
        w.field("description", in.applied_by->description).end_object();
    }
    if (in.quote != nullptr) {
        const Quote& q = *in.quote;
        w.field("quote", q.id);
        w.field("amount", q.amount).field("currency", q.currency.view()).field("unit", q.unit);
        w.field("low", q.low).field("high", q.high);
        w.field("approximate", q.approximate);
        write_certainty(w, q);
        w.key("observed");
        write_reported_date(w, q.observed);
        w.field("age_days", in.age_days);
        // The observed period's nearest and farthest day: a month's quote is up to a month older.
        w.key("age_range_days").begin_object().field("nearest", in.age_days).field("farthest", in.age_days_farthest).end_object();
        w.field("source", q.source);
        if (const Source* s = data.find_source(q.source)) w.field("publisher", s->publisher);
        w.key("excerpts").begin_array();
        for (const auto& e : q.excerpts) w.value(e);
        w.end_array();
        w.key("conversion");
        if (in.conversion) {
            w.begin_object();
            write_rate_answer(w, *in.conversion, data);
            w.end_object();
        } else {
            w.null();
        }
    }
    if (in.assumption != nullptr) {
        w.field("assumption", in.assumption->id).field("unit", in.assumption->unit);
        w.field("description", in.assumption->description);
    }
    w.end_object();
}

}  // namespace

void write_margin(JsonWriter& w, const MarginResult& r, int places, const Dataset& data) {
    const MarginNumbers& n = r.numbers;
    w.field("item", r.item->id).field("name", r.item->name).field("unit", r.per);
    w.field("units_converted", r.units_converted);
    w.field("bribe_model", to_string(r.bribe_model));
    // Whose reported figure the bribe is (null when the request gave one).
    w.key("bribe_item");
    r.bribe_item.empty() ? w.null() : w.value(r.bribe_item);
    write_input(w, "buy", r.buy, places, data);
    write_input(w, "sell", r.sell, places, data);
    w.field("gross", shown(n.gross, places));
    w.field("markup", ratio(n.markup));
    w.field("margin_share", ratio(n.margin_share));
    w.key("costs").begin_object();
    write_input(w, "bribe", r.bribe, places, data);
    write_input(w, "heads", r.heads, 0, data);
    write_input(w, "transport", r.transport, places, data);
    write_input(w, "interdiction", r.interdiction, -1, data);
    w.end_object();
    w.key("per_crossing").begin_object();
    w.field("outlay", shown(n.outlay, places));
    w.field("expected_revenue", shown(n.expected_revenue, places));
    w.field("expected_net", shown(n.expected_net, places));
    w.key("return_on_outlay");
    n.return_on_outlay ? w.value(ratio(*n.return_on_outlay)) : w.null();
    w.end_object();
    w.key("per_head").begin_object().field("expected_net", shown(n.net_per_head, places)).end_object();
    // Where an input has a reported range: the expected net at its ends.
    w.key("range");
    if (r.range) {
        w.begin_object();
        w.key("expected_net").begin_object().field("low", shown(r.range->expected_net_low, places));
        w.field("high", shown(r.range->expected_net_high, places)).end_object();
        w.key("net_per_head").begin_object().field("low", shown(r.range->net_per_head_low, places));
        w.field("high", shown(r.range->net_per_head_high, places)).end_object();
        w.end_object();
    } else {
        w.null();
    }
    w.key("breakeven").begin_object();
    write_optional(w, "bribe", n.breakeven_bribe, places);
    write_optional(w, "heads", n.breakeven_heads, 0);
    w.key("interdiction");
    n.breakeven_interdiction ? w.value(ratio(*n.breakeven_interdiction)) : w.null();
    w.end_object();
    // What sources claim of these prices, beside what the quotes used give.
    w.key("claims").begin_array();
    for (const ClaimCheck& c : r.claims) {
        write_claim(w, *c.claim);
        w.key("quoted_ratio");
        c.quoted_ratio ? w.value(ratio(*c.quoted_ratio)) : w.null();
        w.field("agrees", c.agrees).end_object();
    }
    w.end_array();
}

void write_claim(JsonWriter& w, const Claim& c) {
    w.begin_object().field("id", c.id).field("kind", c.kind).field("statement", c.statement);
    w.field("ratio", c.ratio_text).field("ratio_value", ratio(c.ratio)).field("approximate", c.approximate);
    w.key("qualifier");
    c.qualifier.empty() ? w.null() : w.value(c.qualifier);
    w.key("observed");
    write_reported_date(w, c.observed);
    w.field("source", c.source).field("excerpt", c.excerpt);
    w.key("note");
    c.note.empty() ? w.null() : w.value(c.note);
}

std::string claims_document(const Dataset& data) {
    JsonWriter w;
    w.begin_object().key("claims").begin_array();
    for (const Claim& c : data.claims) {
        write_claim(w, c);
        w.key("items").begin_array();
        for (const ClaimItem& i : check_claim(data, c)) {
            w.begin_object().field("item", i.item);
            w.key("buy");
            i.buy ? w.value(i.buy->id) : w.null();
            w.key("sell");
            i.sell ? w.value(i.sell->id) : w.null();
            w.key("quoted_ratio");
            i.quoted_ratio ? w.value(ratio(*i.quoted_ratio)) : w.null();
            w.field("agrees", i.agrees).end_object();
        }
        w.end_array().end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string margins_document(Date date, const Currency& currency, std::span<const MarginRow> rows, int places,
                             const Dataset& data) {
    JsonWriter w;
    w.begin_object();
    w.field("date", format_date(date)).field("currency", currency.code.view()).field("places", places);
    w.key("regime");
    if (const Regime* g = data.regime_on(date)) {
        w.begin_object().field("id", g->id).field("level", to_string(g->level)).end_object();
    } else {
        w.null();
        w.field("regime_gap", data.regime_gap(date));
    }
    w.key("items").begin_array();
    for (const auto& row : rows) {
        w.begin_object();
        if (row.result) {
            write_margin(w, *row.result, places, data);
        } else {
            w.field("item", row.item);
            w.key("error").raw(error_document(row.result.error()));
        }
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string margin_series_document(std::string_view item, const Currency& currency, Interval interval,
                                   std::span<const MarginPoint> points, int places) {
    JsonWriter w;
    w.begin_object();
    w.field("item", item).field("currency", currency.code.view()).field("interval", to_string(interval));
    w.field("places", places);
    w.key("points").begin_array();
    for (const auto& p : points) {
        w.begin_object();
        w.field("date", format_date(p.date));
        if (p.result) {
            const MarginResult& r = *p.result;
            w.field("buy", shown(r.buy.value, places)).field("sell", shown(r.sell.value, places));
            w.field("gross", shown(r.numbers.gross, places)).field("markup", ratio(r.numbers.markup));
            w.field("expected_net", shown(r.numbers.expected_net, places));
            w.field("net_per_head", shown(r.numbers.net_per_head, places));
            w.field("quote_age_days", std::max(r.buy.age_days, r.sell.age_days));
            w.field("quote_age_days_farthest", std::max(r.buy.age_days_farthest, r.sell.age_days_farthest));
            w.key("rate_date");
            r.buy.conversion ? w.value(format_date(r.buy.conversion->rate_date)) : w.null();
            w.key("regime");
            r.regime ? w.value(to_string(r.regime->level)) : w.null();
        } else {
            w.key("gross").null();
            w.field("gap", std::string_view(p.result.error().what()));
        }
        w.end_object();
    }
    w.end_array();
    // From the first point with a margin to the last: the gross margin and the expected net.
    // (Pointers, not a structured binding: the lambda below captures them.)
    const auto ends = first_and_last(points, [](const MarginPoint& p) { return p.result.has_value(); });
    const MarginPoint* first = ends.first;
    const MarginPoint* last = ends.second;
    w.key("change");
    if (first == nullptr) {
        w.null();
    } else {
        w.begin_object().field("from_date", format_date(first->date)).field("to_date", format_date(last->date));
        const auto measure = [&](std::string_view key, const Decimal& from, const Decimal& to) {
            w.key(key).begin_object();
            w.field("from", shown(from, places)).field("to", shown(to, places)).field("absolute", shown_difference(to, from, places));
            const auto c = change_between(first->date, from, last->date, to);
            w.key("percent");
            c ? w.value(c->percent) : w.null();
            w.end_object();
        };
        measure("gross", first->result->numbers.gross, last->result->numbers.gross);
        measure("expected_net", first->result->numbers.expected_net, last->result->numbers.expected_net);
        w.end_object();
    }
    w.end_object();
    return w.take();
}

namespace {

// The margins table's columns, and an item's row on a date in them; `extra` columns go before
// the error.
std::vector<std::string> margin_header(std::initializer_list<std::string_view> extra = {}) {
    std::vector<std::string> header{"item", "date", "currency", "buy", "buy_basis", "sell", "sell_basis", "gross", "markup",
                                    "margin_share", "bribe", "bribe_basis", "heads", "heads_basis", "transport",
                                    "interdiction", "interdiction_basis", "expected_net", "net_per_head",
                                    "return_on_outlay", "expected_net_low", "expected_net_high", "breakeven_bribe",
                                    "breakeven_heads", "breakeven_interdiction"};
    header.insert(header.end(), extra.begin(), extra.end());
    header.emplace_back("error");
    return header;
}

std::vector<std::string> margin_fields(std::string_view item, Date date, const Currency& currency,
                                       const Result<MarginResult>& result, int places) {
    if (!result) {
        std::vector<std::string> fields(margin_header().size());
        fields[0] = item;
        fields[1] = format_date(date);
        fields[2] = currency.code.view();
        fields.back() = result.error().what();
        return fields;
    }
    const auto opt = [](const std::optional<Decimal>& d, int p) { return d ? (p >= 0 ? shown(*d, p) : ratio(*d)).to_string() : std::string(); };
    const MarginResult& r = *result;
    const MarginNumbers& n = r.numbers;
    return {r.item->id, format_date(date), std::string(currency.code.view()), shown(r.buy.value, places).to_string(),
            std::string(to_string(r.buy.basis)), shown(r.sell.value, places).to_string(), std::string(to_string(r.sell.basis)),
            shown(n.gross, places).to_string(), ratio(n.markup).to_string(), ratio(n.margin_share).to_string(),
            shown(r.bribe.value, places).to_string(), std::string(to_string(r.bribe.basis)), shown(r.heads.value, 0).to_string(),
            std::string(to_string(r.heads.basis)), shown(r.transport.value, places).to_string(),
            ratio(r.interdiction.value).to_string(), std::string(to_string(r.interdiction.basis)),
            shown(n.expected_net, places).to_string(), shown(n.net_per_head, places).to_string(),
            opt(n.return_on_outlay, -1), r.range ? shown(r.range->expected_net_low, places).to_string() : "",
            r.range ? shown(r.range->expected_net_high, places).to_string() : "", opt(n.breakeven_bribe, places),
            opt(n.breakeven_heads, 0), opt(n.breakeven_interdiction, -1), ""};
}

}  // namespace

std::string margins_csv(Date date, const Currency& currency, std::span<const MarginRow> rows, int places) {
    CsvWriter csv;
    csv.row(margin_header());
    for (const auto& row : rows) csv.row(margin_fields(row.item, date, currency, row.result, places));
    return csv.take();
}

std::string margin_series_csv(std::string_view item, const Currency& currency, std::span<const MarginPoint> points,
                              int places) {
    CsvWriter csv;
    csv.row(margin_header({"quote_age_days", "quote_age_days_farthest", "rate_date", "regime"}));
    for (const auto& p : points) {
        auto fields = margin_fields(item, p.date, currency, p.result, places);
        std::vector<std::string> series(4);
        if (p.result) {
            const MarginResult& r = *p.result;
            series = {std::to_string(std::max(r.buy.age_days, r.sell.age_days)),
                      std::to_string(std::max(r.buy.age_days_farthest, r.sell.age_days_farthest)),
                      r.buy.conversion ? format_date(r.buy.conversion->rate_date) : "",
                      r.regime ? std::string(to_string(r.regime->level)) : ""};
        }
        fields.insert(fields.end() - 1, series.begin(), series.end());
        csv.row(fields);
    }
    return csv.take();
}

std::string assumptions_document(const Dataset& data) {
    JsonWriter w;
    w.begin_object().key("assumptions").begin_array();
    for (const auto& a : data.assumptions) {
        w.begin_object();
        w.field("id", a.id).field("value", a.value).field("unit", a.unit);
        w.field("description", a.description).field("rationale", a.rationale).field("basis", "assumption");
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string assumptions_csv(const Dataset& data) {
    CsvWriter csv;
    csv.row({"id", "value", "unit", "description", "rationale", "basis"});
    for (const auto& a : data.assumptions) {
        csv.row({a.id, a.value.to_string(), a.unit, a.description, a.rationale, "assumption"});
    }
    return csv.take();
}

}  // namespace crossrate::api
