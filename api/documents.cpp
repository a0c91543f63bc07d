#include "api/documents.hpp"

#include "api/csv_writer.hpp"
#include "pricing/redenomination.hpp"
#include "pricing/units.hpp"

namespace crossrate::api {
namespace {

void write_date(JsonWriter& w, std::string_view key, Date d) { w.field(key, format_date(d)); }

void write_citation_source(JsonWriter& w, const std::string& source_id, const Dataset& data) {
    const Source* s = data.find_source(source_id);
    w.key("source").begin_object();
    w.field("id", source_id);
    if (s != nullptr) {
        w.field("publisher", s->publisher).field("label", s->label);
    }
    w.end_object();
}

void write_leg(JsonWriter& w, const RateLeg& leg) {
    const auto& key = leg.series->key();
    const ObservationInfo& info = leg.series->info(*leg.hit.first);
    w.begin_object();
    w.field("from", leg.from.view()).field("to", leg.to.view());
    w.field("series", leg.series->label());
    w.field("kind", to_string(key.kind));
    w.key("location");
    key.location.empty() ? w.null() : w.value(key.location);
    w.field("inverted", leg.inverted);
    w.field("rate", leg.rate.round_significant(rate_display_digits).trimmed());
    w.key("observations").begin_array();
    const auto write_observation = [&](const RateObservation& o) {
        const ObservationInfo& oi = leg.series->info(o);
        w.begin_object();
        write_date(w, "date", o.date);
        w.field("value", o.value);
        w.field("precision", to_string(oi.precision)).field("inferred", oi.inferred);
        w.field("approximate", oi.approximate);
        w.field("source", oi.source);
        w.key("excerpt");
        oi.excerpt.empty() ? w.null() : w.value(oi.excerpt);
        w.key("note");
        oi.note.empty() ? w.null() : w.value(oi.note);
        w.end_object();
    };
    for (const RateObservation* o : {leg.hit.first, leg.hit.second}) {
        if (o != nullptr) write_observation(*o);
    }
    w.end_array();
    // Other reports on the used observation's date: kept, named, not used (the first reported is).
    w.key("also_reported").begin_array();
    for (const RateObservation* o : leg.hit.also) write_observation(*o);
    w.end_array();
    write_date(w, "rate_date", leg.rate_date);
    w.field("age_days", leg.age_days);
    w.field("source", info.source);
    w.key("redenomination");
    if (leg.redenominated) {
        const CurrencyCode c = redenomination_of(key.quote) ? key.quote : key.base;
        w.begin_object().field("factor", *leg.redenominated).field("note", redenomination_note(*redenomination_of(c)));
        w.end_object();
    } else {
        w.null();
    }
    w.end_object();
}

// "change": from the first value to the last (null when there are not two ends).
void write_change(JsonWriter& w, const std::optional<SeriesChange>& c) {
    w.key("change");
    if (!c) {
        w.null();
        return;
    }
    w.begin_object();
    write_date(w, "from_date", c->from_date);
    write_date(w, "to_date", c->to_date);
    w.field("from", c->from.round_significant(rate_display_digits).trimmed());
    w.field("to", c->to.round_significant(rate_display_digits).trimmed());
    w.field("absolute", c->absolute.round_significant(rate_display_digits).trimmed());
    w.field("percent", c->percent);
    w.end_object();
}

// The leg the answer's date and age come from: the stalest.
const RateLeg* stalest(const RateAnswer& r) {
    for (const auto& leg : r.legs) {
        if (leg.rate_date == r.rate_date && leg.age_days == r.age_days) return &leg;
    }
    return nullptr;
}

// How a rate was asked for: kind, policy, max_gap (as applied), location.
void write_query(JsonWriter& w, const RateQuery& q) {
    w.field("kind", to_string(q.kind)).field("policy", to_string(q.policy));
    w.field("max_gap", q.max_gap_days.value_or(default_max_gap_days(q.kind)));
    w.field("location", q.location);
}

}  // namespace

void write_certainty(JsonWriter& w, const Quote& q) {
    w.key("qualifier");
    q.qualifier.empty() ? w.null() : w.value(q.qualifier);
    w.key("tail");
    q.tail ? w.value(to_string(*q.tail)) : w.null();
    // Beside what the source said, the amount per its base unit (per kg for a mass).
    w.key("normalized");
    if (const auto n = normalize(q.amount, q.unit)) {
        w.begin_object().field("amount", shown(n->amount, 6).trimmed()).field("unit", n->unit);
        w.field("converted", n->converted).end_object();
    } else {
        w.null();
    }
}

void write_reported_date(JsonWriter& w, const ReportedDate& d) {
    w.begin_object();
    w.field("date", d.text()).field("precision", to_string(d.precision)).field("inferred", d.inferred);
    w.key("note");
    d.note.empty() ? w.null() : w.value(d.note);
    w.end_object();
}

void write_rate_answer(JsonWriter& w, const RateAnswer& r, const Dataset& data) {
    w.field("rate", r.rate.round_significant(rate_display_digits).trimmed());
    write_date(w, "rate_date", r.rate_date);
    w.field("age_days", r.age_days);
    write_query(w, r.query);
    w.key("path").begin_array();
    w.value(r.from.view());
    for (const auto& leg : r.legs) w.value(leg.to.view());
    w.end_array();
    w.key("legs").begin_array();
    for (const auto& leg : r.legs) write_leg(w, leg);
    w.end_array();
    // The citation of the stalest leg, with its sentence when it came from an article.
    w.key("source");
    if (const RateLeg* leg = stalest(r)) {
        const ObservationInfo& info = leg->series->info(*leg->hit.first);
        const Source* s = data.find_source(info.source);
        w.begin_object();
        w.field("id", info.source);
        if (s != nullptr) w.field("publisher", s->publisher).field("label", s->label);
        w.key("excerpt");
        info.excerpt.empty() ? w.null() : w.value(info.excerpt);
        w.end_object();
    } else {
        w.null();  // the same currency on both sides: no rate was needed
    }
}

RateFragment rate_fragment(const RateAnswer& r, const Dataset& data) {
    JsonWriter w;
    w.begin_object();
    write_rate_answer(w, r, data);
    w.end_object();
    std::string json = w.take();
    // The members without their braces, to be written inside another object.
    return {r.rate, r.date, r.latest, json.substr(1, json.size() - 2)};
}

ConversionFrame conversion_frame(CurrencyCode from, CurrencyCode to, int places, const RateFragment& rate) {
    JsonWriter w;
    w.begin_object();
    w.field("from", from.view()).field("to", to.view());
    write_date(w, "date", rate.date);
    w.field("latest", rate.latest);
    w.end_object();
    const std::string_view members = w.str();  // written inside the document's object, without braces
    ConversionFrame frame;
    frame.rate = rate.rate;
    frame.middle.append(",").append(members.substr(1, members.size() - 2)).append(",\"result\":");
    frame.tail.append(",\"places\":").append(std::to_string(places)).append(",").append(rate.json).append("}");
    return frame;
}

std::string conversion_document(const Decimal& amount, const Decimal& result, const ConversionFrame& frame) {
    char number[Decimal::max_text_size];
    std::string out;
    out.reserve(16 + 2 * Decimal::max_text_size + frame.middle.size() + frame.tail.size());
    out.append("{\"amount\":").append(number, amount.write(number)).append(frame.middle);
    out.append(number, result.write(number)).append(frame.tail);
    return out;
}

std::string conversion_document(const Conversion& c, const Dataset& data) {
    return conversion_document(c.amount, c.result, conversion_frame(c.from->code, c.to->code, c.places, rate_fragment(c.rate, data)));
}

namespace {

// The kinds of rate series a currency is in, official first.
std::vector<RateKind> kinds_of(CurrencyCode code, std::span<const RateSeries* const> series) {
    std::vector<RateKind> kinds;
    for (const RateKindInfo& k : rate_kinds) {
        for (const RateSeries* s : series) {
            if (s->key().kind == k.kind && (s->key().base == code || s->key().quote == code)) {
                kinds.push_back(k.kind);
                break;
            }
        }
    }
    return kinds;
}

}  // namespace

std::string currencies_document(const Dataset& data) {
    JsonWriter w;
    w.begin_object().key("currencies").begin_array();
    const auto series = data.rates.series();
    for (const auto& c : data.currencies.all()) {
        w.begin_object();
        w.field("code", c.code.view()).field("numeric", c.numeric).field("name", c.name);
        w.field("minor_units", c.minor_units);
        w.key("aliases").begin_array();
        for (const auto& a : data.currencies.aliases_of(c.code)) w.value(a.view());
        w.end_array();
        w.key("kinds").begin_array();
        for (const RateKind k : kinds_of(c.code, series)) w.value(to_string(k));
        w.end_array();
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string currencies_csv(const Dataset& data) {
    CsvWriter csv;
    csv.row({"code", "numeric", "name", "minor_units", "aliases", "kinds"});
    const auto series = data.rates.series();
    for (const auto& c : data.currencies.all()) {
        std::string aliases, kinds;
        for (const auto& a : data.currencies.aliases_of(c.code)) aliases += (aliases.empty() ? "" : " ") + a.str();
        for (const RateKind k : kinds_of(c.code, series)) kinds += (kinds.empty() ? "" : " ") + std::string(to_string(k));
        csv.row({c.code.view(), std::to_string(c.numeric), c.name, std::to_string(c.minor_units), aliases, kinds});
    }
    return csv.take();
}

namespace {

// The cursor of a list's next page, or null on its last.
void write_next(JsonWriter& w, std::optional<std::string_view> next) {
    w.key("next");
    next ? w.value(*next) : w.null();
}

}  // namespace

std::string sources_document(const Dataset& data) {
    std::vector<const Source*> all;
    for (const auto& s : data.sources) all.push_back(&s);
    return sources_document(all, std::nullopt);
}

std::string sources_document(std::span<const Source* const> sources, std::optional<std::string_view> next) {
    JsonWriter w;
    w.begin_object().key("sources").begin_array();
    for (const Source* source : sources) {
        const Source& s = *source;
        w.begin_object();
        w.field("id", s.id).field("kind", s.kind).field("publisher", s.publisher);
        w.field("title", s.title).field("label", s.label).field("language", s.language).field("url", s.url);
        w.key("published");
        s.published ? write_reported_date(w, *s.published) : (void)w.null();
        w.key("published_english");
        s.published_english ? write_reported_date(w, *s.published_english) : (void)w.null();
        w.field("version", s.version).field("license", s.license).field("text", s.text);
        w.end_object();
    }
    w.end_array();
    write_next(w, next);
    w.end_object();
    return w.take();
}

std::string items_document(const Dataset& data) {
    JsonWriter w;
    w.begin_object().key("items").begin_array();
    for (const auto& i : data.items) {
        const std::size_t quotes = data.quote_count(i.id);
        w.begin_object();
        w.field("id", i.id).field("name", i.name).field("category", i.category);
        w.field("direction", i.direction).field("unit", i.unit);
        w.field("quotes", static_cast<std::int64_t>(quotes));
        w.key("mentions").begin_array();
        for (const auto& m : i.mentions) {
            w.begin_object().field("source", m.source).field("excerpt", m.excerpt).end_object();
        }
        w.end_array();
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string items_csv(const Dataset& data) {
    CsvWriter csv;
    csv.row({"id", "name", "category", "direction", "unit", "quotes"});
    for (const auto& i : data.items) {
        csv.row({i.id, i.name, i.category, i.direction, i.unit, std::to_string(data.quote_count(i.id))});
    }
    return csv.take();
}

std::string quotes_document(std::span<const Quote* const> quotes, const Dataset& data, std::optional<std::string_view> next) {
    JsonWriter w;
    w.begin_object().key("quotes").begin_array();
    for (const Quote* q : quotes) {
        w.begin_object();
        w.field("id", q->id).field("item", q->item).field("kind", q->kind);
        w.key("side");
        q->side ? w.value(to_string(*q->side)) : w.null();
        w.field("amount", q->amount).field("amount_basis", q->midpoint ? "midpoint" : "stated");
        w.field("low", q->low).field("high", q->high);
        w.field("approximate", q->approximate);
        write_certainty(w, *q);
        w.field("currency", q->currency.view()).field("unit", q->unit).field("location", q->location);
        w.key("observed");
        write_reported_date(w, q->observed);
        write_citation_source(w, q->source, data);
        w.key("excerpts").begin_array();
        for (const auto& e : q->excerpts) w.value(e);
        w.end_array();
        w.key("note");
        q->note.empty() ? w.null() : w.value(q->note);
        w.end_object();
    }
    w.end_array();
    write_next(w, next);
    w.end_object();
    return w.take();
}

std::string rate_reports_document(std::span<const RateReport* const> reports, const Dataset& data,
                                  std::optional<std::string_view> next) {
    JsonWriter w;
    w.begin_object().key("reports").begin_array();
    for (const RateReport* r : reports) {
        w.begin_object();
        w.field("id", r->id).field("kind", to_string(r->kind));
        w.field("base", r->base.view()).field("quote", r->quote.view()).field("value", r->value).field("per", r->per);
        w.key("date");
        write_reported_date(w, r->date);
        w.field("approximate", r->approximate);
        // A rounded figure says to what: the last digit it was given to ("0.15": 0.01).
        w.key("rounded_to");
        if (r->approximate) {
            const int scale = r->value.trimmed().scale();
            w.value(Decimal::parse(scale <= 0 ? std::string("1") : "0." + std::string(static_cast<std::size_t>(scale - 1), '0') + "1").value());
        } else {
            w.null();
        }
        w.key("qualifier");
        r->qualifier.empty() ? w.null() : w.value(r->qualifier);
        w.key("location");
        r->location.empty() ? w.null() : w.value(r->location);
        write_citation_source(w, r->source, data);
        w.key("excerpt");
        r->excerpt.empty() ? w.null() : w.value(r->excerpt);
        w.key("note");
        r->note.empty() ? w.null() : w.value(r->note);
        w.end_object();
    }
    w.end_array();
    write_next(w, next);
    w.end_object();
    return w.take();
}

namespace {

// A point's money, in the asked currency to its minor units and four digits more.
std::optional<Decimal> point_money(const std::optional<Decimal>& d, const Currency& c) {
    if (!d) return std::nullopt;
    return shown(*d, c.minor_units + 4).trimmed();
}

}  // namespace

std::string quote_series_document(const QuoteSeries& series, const Currency& currency) {
    JsonWriter w;
    const auto& q = series.query;
    w.begin_object().field("item", q.item).field("kind", q.kind).field("currency", currency.code.view());
    w.field("unit", q.unit);
    w.key("points").begin_array();
    for (const QuotePoint& p : series.points) {
        const Quote& quote = *p.quote;
        w.begin_object().field("quote", quote.id);
        w.key("side");
        quote.side ? w.value(to_string(*quote.side)) : w.null();
        w.key("observed");
        write_reported_date(w, quote.observed);
        w.field("amount", quote.amount).field("amount_basis", quote.midpoint ? "midpoint" : "stated");
        w.field("reported_low", quote.low).field("reported_high", quote.high);
        w.field("reported_currency", quote.currency.view()).field("reported_unit", quote.unit);
        w.field("approximate", quote.approximate);
        write_certainty(w, quote);
        w.field("location", quote.location).field("source", quote.source);
        w.field("value", point_money(p.value, currency)).field("low", point_money(p.low, currency));
        w.field("high", point_money(p.high, currency)).field("per", p.per);
        w.key("rate");
        if (p.rate) {
            w.begin_object().field("kind", to_string(p.rate->query.kind)).field("value", p.rate->rate.round_significant(rate_display_digits).trimmed());
            write_date(w, "rate_date", p.rate->rate_date);
            w.field("age_days", p.rate->age_days);
            w.key("location");
            p.rate->legs.empty() || p.rate->legs.front().series->key().location.empty()
                ? w.null()
                : w.value(p.rate->legs.front().series->key().location);
            w.end_object();
        } else {
            w.null();
        }
        w.key("redenomination");
        if (p.redenominated) {
            w.begin_object().field("factor", *p.redenominated);
            w.field("note", redenomination_note(*redenomination_of(currency.code))).end_object();
        } else {
            w.null();
        }
        w.key("gap");
        p.gap.empty() ? w.null() : w.value(p.gap);
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string quote_series_csv(const QuoteSeries& series, const Currency& currency) {
    CsvWriter csv;
    csv.row({"quote", "side", "observed", "precision", "inferred", "amount", "amount_basis", "reported_currency",
             "reported_unit", "qualifier", "value", "low", "high", "currency", "per", "rate_kind", "rate", "rate_date",
             "redenomination", "source", "gap"});
    for (const QuotePoint& p : series.points) {
        const Quote& q = *p.quote;
        const auto money = [&](const std::optional<Decimal>& d) {
            const auto m = point_money(d, currency);
            return m ? m->to_string() : std::string();
        };
        const std::string value = money(p.value);
        const std::string low = money(p.low);
        const std::string high = money(p.high);
        const std::string rate = p.rate ? p.rate->rate.round_significant(rate_display_digits).trimmed().to_string() : "";
        const std::string rate_date = p.rate ? format_date(p.rate->rate_date) : "";
        const std::string factor = p.redenominated ? p.redenominated->to_string() : "";
        const std::string amount = q.amount.to_string();
        const std::string observed = q.observed.text();
        csv.row({q.id, q.side ? to_string(*q.side) : "", observed, to_string(q.observed.precision),
                 q.observed.inferred ? "true" : "false", amount, q.midpoint ? "midpoint" : "stated", q.currency.view(),
                 q.unit, q.qualifier, value, low, high, currency.code.view(), p.per,
                 p.rate ? to_string(p.rate->query.kind) : "", rate, rate_date, factor, q.source, p.gap});
    }
    return csv.take();
}

std::string regimes_document(const Dataset& data) {
    JsonWriter w;
    w.begin_object().key("regimes").begin_array();
    for (const auto& g : data.regimes) {
        w.begin_object();
        w.field("id", g.id).field("level", to_string(g.level));
        w.key("start");
        write_reported_date(w, g.start);
        w.key("end");
        g.end ? write_reported_date(w, *g.end) : (void)w.null();
        w.field("scope", g.scope).field("summary", g.summary);
        for (const auto& [key, citations] : {std::pair("evidence", &g.evidence), std::pair("contrary", &g.contrary)}) {
            w.key(key).begin_array();
            for (const auto& e : *citations) w.begin_object().field("source", e.source).field("excerpt", e.excerpt).end_object();
            w.end_array();
        }
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string rates_document(CurrencyCode base, std::optional<Date> date, const RateQuery& query,
                           std::span<const RateRow> rows, const Dataset& data) {
    JsonWriter w;
    w.begin_object();
    w.field("base", base.view());
    w.key("date");
    date ? w.value(format_date(*date)) : w.null();
    write_query(w, query);
    w.key("rates").begin_array();
    for (const auto& row : rows) {
        w.begin_object();
        w.field("quote", row.quote.view());
        if (row.answer) {
            write_date(w, "date", row.answer->date);
            write_rate_answer(w, *row.answer, data);
        } else {
            w.key("error").raw(error_document(row.answer.error()));
        }
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string series_document(CurrencyCode base, CurrencyCode quote, std::string_view interval, const RateQuery& query,
                            std::span<const SeriesPoint> points) {
    JsonWriter w;
    w.begin_object();
    w.field("base", base.view()).field("quote", quote.view()).field("interval", interval);
    write_query(w, query);
    w.key("points").begin_array();
    for (const auto& p : points) {
        w.begin_object();
        write_date(w, "date", p.date);
        if (p.answer) {
            w.field("rate", p.answer->rate.round_significant(rate_display_digits).trimmed());
            write_date(w, "rate_date", p.answer->rate_date);
            w.field("age_days", p.answer->age_days);
            w.key("location");
            p.answer->query.location ? w.value(*p.answer->query.location) : w.null();
        } else {
            w.key("rate").null();
            w.field("gap", std::string_view(p.answer.error().what()));
        }
        w.end_object();
    }
    w.end_array();
    // From the first rate to the last.
    const auto [first, last] = first_and_last(points, [](const SeriesPoint& p) { return p.answer.has_value(); });
    write_change(w, first ? change_between(first->date, first->answer->rate, last->date, last->answer->rate) : std::nullopt);
    w.end_object();
    return w.take();
}

std::string aggregated_series_document(CurrencyCode base, CurrencyCode quote, Interval interval, Aggregate aggregate,
                                       const RateQuery& query, std::span<const Period> periods) {
    JsonWriter w;
    w.begin_object();
    w.field("base", base.view()).field("quote", quote.view()).field("interval", to_string(interval));
    w.field("aggregate", to_string(aggregate));
    write_query(w, query);
    w.key("points").begin_array();
    for (const auto& p : periods) {
        w.begin_object();
        write_date(w, "date", p.start);
        write_date(w, "end", p.end);
        w.key("rate");
        p.value ? w.value(p.value->round_significant(rate_display_digits).trimmed()) : w.null();
        w.field("count", static_cast<std::int64_t>(p.count));
        w.key("first_observed");
        p.first_observed ? w.value(format_date(*p.first_observed)) : w.null();
        w.key("last_observed");
        p.last_observed ? w.value(format_date(*p.last_observed)) : w.null();
        w.key("gap");
        p.gap.empty() ? w.null() : w.value(p.gap);
        w.end_object();
    }
    w.end_array();
    const auto [first, last] = first_and_last(periods, [](const Period& p) { return p.value.has_value(); });
    write_change(w, first ? change_between(first->start, *first->value, last->start, *last->value) : std::nullopt);
    w.end_object();
    return w.take();
}

namespace {

std::string path_text(const RateAnswer& r) {
    std::string path(r.from.view());
    for (const auto& leg : r.legs) path += ">" + leg.to.str();
    return path;
}

std::string sources_text(const RateAnswer& r) {
    std::string out;
    for (const auto& leg : r.legs) {
        const auto& id = leg.series->info(*leg.hit.first).source;
        if (out.find(id) == std::string::npos) out += (out.empty() ? "" : " ") + id;
    }
    return out;
}

}  // namespace

std::string conversion_csv(const Conversion& c) {
    CsvWriter csv;
    csv.row({"amount", "from", "to", "date", "result", "places", "rate", "rate_date", "age_days", "kind", "policy",
             "location", "path", "source"});
    const auto& r = c.rate;
    csv.row({c.amount.to_string(), c.from->code.view(), c.to->code.view(), format_date(r.date), c.result.to_string(),
             std::to_string(c.places), r.rate.round_significant(rate_display_digits).trimmed().to_string(),
             format_date(r.rate_date), std::to_string(r.age_days), to_string(r.query.kind), to_string(r.query.policy),
             r.query.location.value_or(""), path_text(r), sources_text(r)});
    return csv.take();
}

namespace {

// The rates table's columns, and a rate's row in them (the date of a missing one, when given).
void rate_header(CsvWriter& csv) {
    csv.row({"base", "quote", "date", "rate", "rate_date", "age_days", "kind", "location", "path", "source", "error"});
}

void rate_row(CsvWriter& csv, CurrencyCode base, CurrencyCode quote, std::optional<Date> date,
              const Result<RateAnswer>& answer) {
    if (!answer) {
        csv.row({base.view(), quote.view(), date ? format_date(*date) : "", "", "", "", "", "", "", "", answer.error().what()});
        return;
    }
    const auto& r = *answer;
    csv.row({base.view(), quote.view(), format_date(r.date), r.rate.round_significant(rate_display_digits).trimmed().to_string(),
             format_date(r.rate_date), std::to_string(r.age_days), to_string(r.query.kind), r.query.location.value_or(""),
             path_text(r), sources_text(r), ""});
}

}  // namespace

std::string rates_csv(CurrencyCode base, std::span<const RateRow> rows) {
    CsvWriter csv;
    rate_header(csv);
    for (const auto& row : rows) rate_row(csv, base, row.quote, std::nullopt, row.answer);
    return csv.take();
}

std::string series_csv(CurrencyCode base, CurrencyCode quote, std::span<const SeriesPoint> points) {
    CsvWriter csv;
    rate_header(csv);
    for (const auto& p : points) rate_row(csv, base, quote, p.date, p.answer);
    return csv.take();
}

std::string aggregated_series_csv(CurrencyCode base, CurrencyCode quote, Aggregate aggregate,
                                  std::span<const Period> periods) {
    CsvWriter csv;
    csv.row({"base", "quote", "aggregate", "date", "end", "rate", "count", "first_observed", "last_observed", "gap"});
    const auto date = [](const std::optional<Date>& d) { return d ? format_date(*d) : std::string(); };
    for (const auto& p : periods) {
        csv.row({base.view(), quote.view(), to_string(aggregate), format_date(p.start), format_date(p.end),
                 p.value ? p.value->round_significant(rate_display_digits).trimmed().to_string() : "",
                 std::to_string(p.count), date(p.first_observed), date(p.last_observed), p.gap});
    }
    return csv.take();
}

std::string invalid_body_document(std::string_view code, std::string_view title, std::string_view detail_suffix,
                                std::span<const FieldProblem> problems) {
    JsonWriter w;
    w.begin_object();
    w.field("type", "urn:crossrate:problem:" + std::string(code)).field("title", title).field("status", 400);
    w.field("detail", std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") +
                          std::string(detail_suffix));
    w.field("code", code).field("param", "body");
    w.key("errors").begin_array();
    for (const auto& p : problems) w.begin_object().field("pointer", p.pointer).field("detail", p.detail).end_object();
    w.end_array().end_object();
    return w.take();
}

std::string error_document(const Error& e) {
    JsonWriter w;
    w.begin_object();
    w.field("code", e.code_name()).field("detail", std::string_view(e.what()));
    w.key("param");
    e.param().empty() ? w.null() : w.value(e.param());
    w.end_object();
    return w.take();
}

}  // namespace crossrate::api
