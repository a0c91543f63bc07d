#include "api/scenario_json.hpp"

#include "api/documents.hpp"
#include "api/margin_document.hpp"
#include "api/requests.hpp"
#include "pricing/digest.hpp"

#include <algorithm>
#include <functional>

namespace crossrate::api {
namespace json = boost::json;
namespace {

// Reads a document, collecting problems instead of stopping at the first.
class Reader {
public:
    explicit Reader(std::vector<Problem>& problems) : problems_(problems) {}

    void problem(const std::string& pointer, std::string detail) { problems_.push_back({pointer, std::move(detail)}); }

    const json::object* object(const json::value* v, const std::string& pointer,
                               std::initializer_list<std::string_view> allowed) {
        if (v == nullptr) return nullptr;
        if (!v->is_object()) {
            problem(pointer, "expected an object");
            return nullptr;
        }
        if (allowed.size() > 0) {
            for (const auto& [key, value] : v->as_object()) {
                if (std::find(allowed.begin(), allowed.end(), std::string_view(key)) == allowed.end()) {
                    problem(pointer + "/" + std::string(key), "unknown field");
                }
            }
        }
        return &v->as_object();
    }
    std::optional<std::string> text(const json::value* v, const std::string& pointer) {
        if (v == nullptr) return std::nullopt;
        if (!v->is_string()) {
            problem(pointer, "expected a string");
            return std::nullopt;
        }
        return std::string(v->as_string());
    }
    // Numbers arrive as their exact text (strings), whether written as numbers or strings.
    std::optional<Decimal> decimal(const json::value* v, const std::string& pointer) {
        auto t = text(v, pointer);
        if (!t) return std::nullopt;
        auto d = Decimal::parse(*t);
        if (!d) {
            problem(pointer, d.error().what());
            return std::nullopt;
        }
        return *d;
    }
    std::optional<std::uint64_t> whole(const json::value* v, const std::string& pointer, std::uint64_t max) {
        auto d = decimal(v, pointer);
        if (!d) return std::nullopt;
        if (d->is_negative() || d->trimmed().scale() != 0 || *d > Decimal(static_cast<std::int64_t>(max))) {
            problem(pointer, "expected a whole number from 0 to " + std::to_string(max));
            return std::nullopt;
        }
        return static_cast<std::uint64_t>(d->trimmed().coefficient());
    }

private:
    std::vector<Problem>& problems_;
};

// What each input may be: checked for sweep values, draws and assumptions alike.
std::optional<std::string> out_of_domain(Parameter p, const Decimal& v) {
    switch (p) {
        case Parameter::buy:
            if (v.signum() <= 0) return "the buying price must be positive";
            break;
        case Parameter::heads:
            if (v < Decimal(1) || v.trimmed().scale() != 0) return "heads must be a whole number, at least 1";
            break;
        case Parameter::interdiction:
            if (v.is_negative() || v > Decimal(1)) return "interdiction must be a probability from 0 to 1";
            break;
        default:
            if (v.is_negative()) return std::string(to_string(p)) + " must not be negative";
    }
    return std::nullopt;
}

std::optional<Decimal> MarginOverrides::*override_of(Parameter p) {
    switch (p) {
        case Parameter::buy: return &MarginOverrides::buy;
        case Parameter::sell: return &MarginOverrides::sell;
        case Parameter::bribe: return &MarginOverrides::bribe;
        case Parameter::heads: return &MarginOverrides::heads;
        case Parameter::transport: return &MarginOverrides::transport;
        case Parameter::interdiction: return &MarginOverrides::interdiction;
    }
    return &MarginOverrides::heads;
}

void parse_sweep(Reader& r, const json::value& v, const std::string& at, std::vector<Sweep>& out) {
    const json::object* o = r.object(&v, at, {"parameter", "values", "from", "to", "step"});
    if (o == nullptr) return;
    const auto name = r.text(o->if_contains("parameter"), at + "/parameter");
    if (!name) {
        if (!o->contains("parameter")) r.problem(at + "/parameter", "missing");
        return;
    }
    const auto parameter = parse_parameter(*name);
    if (!parameter) {
        r.problem(at + "/parameter", parameter.error().what());
        return;
    }
    Sweep sweep{*parameter, {}};
    if (const json::value* values = o->if_contains("values")) {
        if (o->contains("from") || o->contains("to") || o->contains("step")) {
            r.problem(at, "give either values or from/to/step, not both");
        }
        if (!values->is_array() || values->as_array().empty()) {
            r.problem(at + "/values", "expected a non-empty array");
            return;
        }
        for (std::size_t i = 0; i < values->as_array().size(); ++i) {
            const std::string p = at + "/values/" + std::to_string(i);
            if (auto d = r.decimal(&values->as_array()[i], p)) {
                if (auto bad = out_of_domain(*parameter, *d)) r.problem(p, *bad);
                sweep.values.push_back(*d);
            }
        }
    } else {
        const auto from = r.decimal(o->if_contains("from"), at + "/from");
        const auto to = r.decimal(o->if_contains("to"), at + "/to");
        const auto step = r.decimal(o->if_contains("step"), at + "/step");
        for (const char* key : {"from", "to", "step"}) {
            if (!o->contains(key)) r.problem(at + "/" + key, "missing (or give values)");
        }
        if (!from || !to || !step) return;
        if (step->signum() <= 0) {
            r.problem(at + "/step", "must be positive");
            return;
        }
        if (*to < *from) {
            r.problem(at + "/to", "is below from");
            return;
        }
        // (Exact, and checked: a range wider than a decimal holds, or a step so small the count
        // does not fit one, is the sweep's problem.)
        const auto span = checked::subtract(*to, *from);
        if (!span) {
            r.problem(at + "/to", "lies further from from than a decimal holds");
            return;
        }
        const auto steps = checked::divide(*span, *step);
        const auto count = steps ? checked::round(*steps, 0) : steps;
        if (!count || *count >= Decimal(static_cast<std::int64_t>(max_sweep_points))) {
            r.problem(at, "more than " + std::to_string(max_sweep_points) + " points");
            return;
        }
        // Each step must move the value: past 38 digits a small step rounds away (10^37 + 0.1
        // is 10^37), and such a sweep would never end. A step past the largest decimal is past
        // `to` either way: the sweep ends there.
        for (Result<Decimal> x = *from; x && *x <= *to;) {
            sweep.values.push_back(*x);
            const auto next = checked::add(*x, *step);
            if ((next && *next <= *x) || sweep.values.size() > max_sweep_points) {
                r.problem(at + "/step", "does not move " + x->to_string() + " within a decimal's 38 digits");
                return;
            }
            x = next;
        }
        if (auto bad = out_of_domain(*parameter, sweep.values.front())) r.problem(at + "/from", *bad);
        if (auto bad = out_of_domain(*parameter, sweep.values.back())) r.problem(at + "/to", *bad);
    }
    out.push_back(std::move(sweep));
}

void parse_monte_carlo(Reader& r, const json::value& v, const Scenario& s, const Dataset& data, MonteCarlo& mc) {
    const std::string at = "/monte_carlo";
    const json::object* o = r.object(&v, at, {"draws", "seed", "parameters"});
    if (o == nullptr) return;
    if (const auto draws = r.whole(o->if_contains("draws"), at + "/draws", max_draws)) {
        if (*draws == 0) r.problem(at + "/draws", "at least 1");
        mc.draws = *draws;
    } else if (!o->contains("draws")) {
        r.problem(at + "/draws", "missing");
    }
    mc.seed = r.whole(o->if_contains("seed"), at + "/seed", std::numeric_limits<std::int64_t>::max()).value_or(1);
    const json::object* params = r.object(o->if_contains("parameters"), at + "/parameters", {});
    if (params == nullptr || params->empty()) {
        r.problem(at + "/parameters", "expected an object naming at least one input to draw");
        return;
    }
    for (const auto& [name, spec] : *params) {
        const std::string p = at + "/parameters/" + std::string(name);
        const auto parameter = parse_parameter(name);
        if (!parameter) {
            r.problem(p, parameter.error().what());
            continue;
        }
        const json::object* d = r.object(&spec, p, {"distribution", "low", "mode", "high"});
        if (d == nullptr) continue;
        const auto kind = r.text(d->if_contains("distribution"), p + "/distribution").value_or("");
        Distribution dist;
        if (kind == "reported") {
            // Over what the data reports: only the bribe has more than one figure ("sometimes
            // take even less": the going price, with a lower tail). Its mode is the reported
            // amount; an end the source does not give comes from the reported_tail_floor
            // assumption, which the answer names.
            if (*parameter != Parameter::bribe) {
                r.problem(p + "/distribution", "the data reports no range for " + std::string(name));
                continue;
            }
            auto cost = cost_kind(data, s.bribe_item);
            if (!cost) {
                r.problem("/bribe_item", cost.error().what());
                continue;
            }
            auto quote = find_quote(data, s.bribe_item, std::nullopt, *cost, s.date, s.quote_policy);
            if (!quote) {
                r.problem(p + "/distribution", quote.error().what());
                continue;
            }
            const Quote& q = *quote->quote;
            if (q.tail == QuoteTail::upper && !q.high) {
                r.problem(p + "/distribution", "the source gives no upper bound for " + q.id + "; give a distribution of your own");
                continue;
            }
            // (Written amounts and rates may be as large as a decimal holds: a range in the
            // asked currency that no decimal holds is this distribution's problem.)
            checked::Calculation c;
            Decimal low = q.low.value_or(q.amount);
            Decimal mode = q.amount;
            Decimal high = q.high.value_or(q.amount);
            if (!q.low && q.tail == QuoteTail::lower) {
                const Assumption* floor = data.find_assumption("reported_tail_floor");
                if (floor == nullptr) throw Error(Errc::data_error, "assumptions.json has no 'reported_tail_floor'");
                low = c.multiply(q.amount, floor->value);
                dist.low_assumption = floor->id;
            }
            if (s.currency != nullptr && q.currency != s.currency->code) {
                auto rate = data.rates.lookup(q.currency, s.currency->code, s.date, s.rates);
                if (!rate) {
                    r.problem(p + "/distribution", rate.error().what());
                    continue;
                }
                low = c.multiply(low, rate->rate);
                mode = c.multiply(mode, rate->rate);
                high = c.multiply(high, rate->rate);
            }
            if (const auto range = c.result(0); !range) {
                r.problem(p + "/distribution", range.error().what());
                continue;
            }
            dist.kind = Distribution::Kind::triangular;
            dist.low = low;
            dist.mode = mode;
            dist.high = high;
        } else if (kind == "uniform" || kind == "triangular") {
            const auto low = r.decimal(d->if_contains("low"), p + "/low");
            const auto high = r.decimal(d->if_contains("high"), p + "/high");
            const auto mode = kind == "triangular" ? r.decimal(d->if_contains("mode"), p + "/mode") : low;
            for (const char* key : {"low", "high"}) {
                if (!d->contains(key)) r.problem(p + "/" + key, "missing");
            }
            if (kind == "triangular" && !d->contains("mode")) r.problem(p + "/mode", "missing");
            if (!low || !high || !mode) continue;
            if (*high < *low) r.problem(p + "/high", "is below low");
            if (*mode < *low || *mode > *high) r.problem(p + "/mode", "must lie from low to high");
            if (auto bad = out_of_domain(*parameter, *low)) r.problem(p + "/low", *bad);
            if (auto bad = out_of_domain(*parameter, *high)) r.problem(p + "/high", *bad);
            if (*parameter == Parameter::heads) r.problem(p, "heads are whole: sweep them instead of drawing them");
            dist = {kind == "uniform" ? Distribution::Kind::uniform : Distribution::Kind::triangular, *low, *mode, *high, {}};
        } else {
            r.problem(p + "/distribution", "expected uniform, triangular or reported");
            continue;
        }
        mc.parameters.emplace_back(*parameter, dist);
    }
}

// The canonical text of a parsed scenario: what the id hashes. Key order and number spelling
// in the document do not change it.
std::string canonical(const Scenario& s) {
    std::string c = "name=" + s.name + ";date=" + format_date(s.date) + ";currency=" + s.currency->code.str() + ";items=";
    for (const auto& i : s.items) c += i + ",";
    c += ";kind=" + std::string(to_string(s.rates.kind)) + ";policy=" + std::string(to_string(s.rates.policy));
    c += ";quote_policy=" + std::string(to_string(s.quote_policy));
    // Only a reading other than the default is spelled: documents that give none keep their id.
    if (s.bribe_model != default_bribe_model) c += ";bribe_model=" + std::string(to_string(s.bribe_model));
    if (s.bribe_item != default_bribe_item) c += ";bribe_item=" + s.bribe_item;
    c += ";max_gap=" + (s.rates.max_gap_days ? std::to_string(*s.rates.max_gap_days) : "") + ";location=" +
         s.rates.location.value_or("");
    for (Parameter p : {Parameter::buy, Parameter::sell, Parameter::bribe, Parameter::heads, Parameter::transport,
                        Parameter::interdiction}) {
        if (const auto& v = s.overrides.*override_of(p)) c += ";" + std::string(to_string(p)) + "=" + v->trimmed().to_string();
    }
    for (const auto& [id, v] : s.overrides.quote_amounts) c += ";quote:" + id + "=" + v.trimmed().to_string();
    for (const auto& [code, v] : s.overrides.currency_value) c += ";value:" + code.str() + "=" + v.trimmed().to_string();
    for (const auto& sw : s.sweeps) {
        c += ";sweep:" + std::string(to_string(sw.parameter)) + "=";
        for (const auto& v : sw.values) c += v.trimmed().to_string() + ",";
    }
    if (s.monte_carlo) {
        c += ";draws=" + std::to_string(s.monte_carlo->draws) + ";seed=" + std::to_string(s.monte_carlo->seed);
        for (const auto& [p, d] : s.monte_carlo->parameters) {
            c += ";draw:" + std::string(to_string(p)) + "=" + (d.kind == Distribution::Kind::uniform ? "u" : "t") + ":" +
                 d.low.trimmed().to_string() + ":" + d.mode.trimmed().to_string() + ":" + d.high.trimmed().to_string();
        }
    }
    return c;
}

std::string hash_id(std::string_view text) {
    return "sc-" + Sha256().add(text).hex().substr(0, 16);
}

}  // namespace

ParsedScenario parse_scenario(const json::value& document, const Dataset& data) {
    ParsedScenario out;
    Reader r(out.problems);
    const json::object* o = r.object(&document, "", {"name", "date", "currency", "items", "rates", "quote_policy", "bribe_model", "bribe_item",
                                                     "assumptions", "overrides", "sweep", "monte_carlo"});
    if (o == nullptr) return out;
    Scenario s;
    s.name = r.text(o->if_contains("name"), "/name").value_or("");
    if (const auto date = r.text(o->if_contains("date"), "/date")) {
        if (auto d = parse_date(*date)) s.date = *d; else r.problem("/date", d.error().what());
    } else if (!o->contains("date")) {
        r.problem("/date", "missing");
    }
    const auto currency = r.text(o->if_contains("currency"), "/currency").value_or("CNY");
    if (auto c = data.currencies.find(currency)) s.currency = *c; else r.problem("/currency", c.error().what());
    const json::value* items = o->if_contains("items");
    if (items == nullptr || !items->is_array() || items->as_array().empty()) {
        r.problem("/items", "expected a non-empty array of item ids");
    } else {
        for (std::size_t i = 0; i < items->as_array().size(); ++i) {
            const std::string p = "/items/" + std::to_string(i);
            if (auto id = r.text(&items->as_array()[i], p)) {
                if (data.find_item(*id) == nullptr) {
                    r.problem(p, "no item '" + *id + "'" + data.near_item(*id) + " (see /v1/items)");
                } else if (std::find(s.items.begin(), s.items.end(), *id) != s.items.end()) {
                    r.problem(p, "'" + *id + "' is listed twice; each item is computed once");
                }
                s.items.push_back(*id);
            }
        }
    }
    if (const json::object* rates = r.object(o->if_contains("rates"), "/rates", {"kind", "policy", "max_gap", "location"})) {
        std::string days;  // max_gap given as a number, as text for the shared parser
        const auto get = [&](std::string_view name) -> std::optional<std::string_view> {
            const json::value* v = rates->if_contains(name);
            if (v == nullptr || v->is_null()) return std::nullopt;
            if (v->is_string()) return std::string_view(v->as_string());
            if (name == "max_gap" && v->is_int64()) {
                days = std::to_string(v->as_int64());
                return std::string_view(days);
            }
            r.problem("/rates/" + std::string(name), name == "max_gap" ? "expected a whole number of days" : "expected a string");
            return std::nullopt;
        };
        if (auto q = parse_rate_query(get)) s.rates = *q; else r.problem("/rates/" + q.error().param(), q.error().what());
    }
    if (const auto model = r.text(o->if_contains("bribe_model"), "/bribe_model")) {
        if (auto m = parse_bribe_model(*model)) s.bribe_model = *m; else r.problem("/bribe_model", m.error().what());
    }
    if (const auto item = r.text(o->if_contains("bribe_item"), "/bribe_item")) {
        if (auto kind = cost_kind(data, *item)) s.bribe_item = std::string(*item); else r.problem("/bribe_item", kind.error().what());
    }
    if (const auto qp = r.text(o->if_contains("quote_policy"), "/quote_policy")) {
        if (auto p = parse_lookup_policy(*qp); p && *p != LookupPolicy::linear) {
            s.quote_policy = *p;
        } else {
            r.problem("/quote_policy", "expected previous, next, nearest or exact");
        }
    }
    if (const json::object* a = r.object(o->if_contains("assumptions"), "/assumptions",
                                         {"buy", "sell", "bribe", "heads", "transport", "interdiction"})) {
        for (const auto& [name, value] : *a) {
            const auto parameter = parse_parameter(name);
            if (!parameter) continue;  // reported as an unknown field
            const std::string p = "/assumptions/" + std::string(name);
            if (auto d = r.decimal(&value, p)) {
                if (auto bad = out_of_domain(*parameter, *d)) r.problem(p, *bad);
                s.overrides.*override_of(*parameter) = *d;
            }
        }
    }
    if (const json::object* ov = r.object(o->if_contains("overrides"), "/overrides", {"quotes", "currency_value"})) {
        if (const json::object* quotes = r.object(ov->if_contains("quotes"), "/overrides/quotes", {})) {
            for (const auto& [id, value] : *quotes) {
                const std::string p = "/overrides/quotes/" + std::string(id);
                const std::string_view quote_id = id;  // a structured binding is not captured (C++20)
                if (data.find_quote(quote_id) == nullptr) r.problem(p, "no quote '" + std::string(id) + "' (see /v1/quotes)");
                if (auto d = r.decimal(&value, p)) {
                    if (d->signum() <= 0) r.problem(p, "a quote's amount must be positive");
                    s.overrides.quote_amounts.emplace_back(std::string(id), *d);
                }
            }
        }
        if (const json::object* values = r.object(ov->if_contains("currency_value"), "/overrides/currency_value", {})) {
            for (const auto& [code, value] : *values) {
                const std::string p = "/overrides/currency_value/" + std::string(code);
                const auto c = data.currencies.find(code);
                if (!c) r.problem(p, c.error().what());
                if (auto d = r.decimal(&value, p)) {
                    if (d->signum() <= 0) r.problem(p, "a currency's value factor must be positive (0.9: it weakens 10%)");
                    if (c) s.overrides.currency_value.emplace_back((*c)->code, *d);
                }
            }
        }
    }
    if (const json::value* sweep = o->if_contains("sweep")) {
        if (!sweep->is_array() || sweep->as_array().empty() || sweep->as_array().size() > 2) {
            r.problem("/sweep", "expected an array of one or two sweeps");
        } else {
            for (std::size_t i = 0; i < sweep->as_array().size(); ++i) {
                parse_sweep(r, sweep->as_array()[i], "/sweep/" + std::to_string(i), s.sweeps);
            }
            std::size_t points = 1;
            for (const auto& sw : s.sweeps) points *= sw.values.size();
            if (points > max_sweep_points) {
                r.problem("/sweep", std::to_string(points) + " points; at most " + std::to_string(max_sweep_points));
            }
            if (s.sweeps.size() == 2 && s.sweeps[0].parameter == s.sweeps[1].parameter) {
                r.problem("/sweep/1/parameter", "sweeps the same input twice");
            }
        }
    }
    if (const json::value* mc = o->if_contains("monte_carlo"); mc != nullptr) {
        MonteCarlo m;
        parse_monte_carlo(r, *mc, s, data, m);
        s.monte_carlo = std::move(m);
    }
    if (out.problems.empty()) {
        out.id = hash_id(canonical(s));
        out.scenario = std::move(s);
    }
    return out;
}

std::string problems_array(const std::vector<Problem>& problems) {
    JsonWriter w;
    w.begin_array();
    for (const auto& p : problems) w.begin_object().field("pointer", p.pointer).field("detail", p.detail).end_object();
    w.end_array();
    return w.take();
}

}  // namespace crossrate::api
