#include "api/requests.hpp"

#include <charconv>
#include <string>

namespace crossrate::api {

Result<Decimal> parse_amount(std::string_view text, std::string_view param) {
    auto d = Decimal::parse(text);
    if (!d) return d.error().with_param(std::string(param));
    return *d;
}

Result<const Currency*> parse_currency(std::string_view text, std::string_view param, const Dataset& data) {
    auto c = data.currencies.find(text);
    if (!c) return c.error().with_param(std::string(param));
    return *c;
}

Result<Date> parse_date_param(std::string_view text, std::string_view param) {
    auto d = parse_date(text);
    if (!d) return d.error().with_param(std::string(param));
    return *d;
}

Result<int> parse_count(std::string_view text, std::string_view param, int max) {
    int n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 0 || n > max) {
        return Error(Errc::invalid_parameter,
                     std::string(param) + " must be a whole number from 0 to " + std::to_string(max) + ", not '" +
                         std::string(text) + "'",
                     std::string(param));
    }
    return n;
}

Result<RateQuery> parse_rate_query(const Params& params) {
    RateQuery q;
    if (const auto kind = params("kind")) {
        auto k = parse_rate_kind(*kind);
        if (!k) return k.error();
        q.kind = *k;
    }
    if (const auto policy = params("policy")) {
        auto p = parse_lookup_policy(*policy);
        if (!p) return p.error();
        q.policy = *p;
    }
    if (const auto gap = params("max_gap")) {
        auto g = parse_count(*gap, "max_gap", 36500);
        if (!g) return g.error();
        q.max_gap_days = *g;
    }
    if (const auto location = params("location")) {
        if (location->empty()) return Error(Errc::invalid_parameter, "location must not be empty", "location");
        q.location = std::string(*location);
    }
    return q;
}

Result<ConvertRequest> parse_convert_request(const Params& params, const Dataset& data) {
    ConvertRequest r;
    for (const std::string_view required : {"amount", "from", "to"}) {
        if (!params(required)) {
            return Error(Errc::invalid_parameter, std::string(required) + " is required", std::string(required));
        }
    }
    auto amount = parse_amount(*params("amount"), "amount");
    if (!amount) return amount.error();
    r.amount = *amount;
    auto from = parse_currency(*params("from"), "from", data);
    if (!from) return from.error();
    r.from = *from;
    auto to = parse_currency(*params("to"), "to", data);
    if (!to) return to.error();
    r.to = *to;
    if (const auto date = params("date")) {
        auto d = parse_date_param(*date, "date");
        if (!d) return d.error();
        r.date = *d;
    }
    auto query = parse_rate_query(params);
    if (!query) return query.error();
    r.query = *query;
    if (const auto places = params("places")) {
        auto p = parse_count(*places, "places", 18);
        if (!p) return p.error();
        r.places = *p;
    }
    return r;
}

std::vector<Error> convert_request_problems(const Params& params, const Dataset& data) {
    std::vector<Error> out;
    const auto check = [&out](auto result) {
        if (!result) out.push_back(result.error());
    };
    for (const std::string_view required : {"amount", "from", "to"}) {
        if (!params(required)) out.emplace_back(Errc::invalid_parameter, std::string(required) + " is required", std::string(required));
    }
    if (const auto amount = params("amount")) check(parse_amount(*amount, "amount"));
    if (const auto from = params("from")) check(parse_currency(*from, "from", data));
    if (const auto to = params("to")) check(parse_currency(*to, "to", data));
    if (const auto date = params("date")) check(parse_date_param(*date, "date"));
    check(parse_rate_query(params));
    if (const auto places = params("places")) check(parse_count(*places, "places", 18));
    return out;
}

Result<MarginRequest> parse_margin_request(const Params& params, const Dataset& data) {
    MarginRequest r;
    const auto items = params("items");
    if (!items || items->empty()) return Error(Errc::invalid_parameter, "items is required (goat,sheep,rabbit)", "items");
    for (std::size_t start = 0; start <= items->size();) {
        const std::size_t end = std::min(items->find(',', start), items->size());
        const auto id = items->substr(start, end - start);
        if (id.empty()) return Error(Errc::invalid_parameter, "items has an empty entry", "items");
        r.items.emplace_back(id);
        start = end + 1;
    }
    const auto date = params("date");
    if (!date) return Error(Errc::invalid_parameter, "date is required", "date");
    auto d = parse_date_param(*date, "date");
    if (!d) return d.error();
    r.query.date = *d;
    auto currency = parse_currency(params("currency").value_or("CNY"), "currency", data);
    if (!currency) return currency.error();
    r.query.currency = *currency;
    auto rates = parse_rate_query(params);
    if (!rates) return rates.error();
    r.query.rates = *rates;
    const std::pair<std::string_view, std::optional<Decimal> MarginOverrides::*> overrides[] = {
        {"buy", &MarginOverrides::buy},         {"sell", &MarginOverrides::sell},
        {"bribe", &MarginOverrides::bribe},     {"heads", &MarginOverrides::heads},
        {"transport", &MarginOverrides::transport}, {"interdiction", &MarginOverrides::interdiction}};
    for (const auto& [name, member] : overrides) {
        if (const auto text = params(name)) {
            auto value = parse_amount(*text, name);
            if (!value) return value.error();
            r.query.overrides.*member = *value;
        }
    }
    if (const auto model = params("bribe_model")) {
        auto m = parse_bribe_model(*model);
        if (!m) return m.error();
        r.query.bribe_model = *m;
    }
    if (const auto item = params("bribe_item")) {
        auto kind = cost_kind(data, *item);
        if (!kind) return kind.error();
        r.query.bribe_item = std::string(*item);
    }
    if (const auto qp = params("quote_policy")) {
        auto p = parse_lookup_policy(*qp);
        if (!p || *p == LookupPolicy::linear) {
            return Error(Errc::invalid_parameter, "quote_policy must be previous, next, nearest or exact", "quote_policy");
        }
        r.query.quote_policy = *p;
    }
    if (const auto heads = r.query.overrides.heads; heads && heads->trimmed().scale() != 0) {
        return Error(Errc::invalid_parameter, "heads must be a whole number", "heads");
    }
    if (const auto places = params("places")) {
        auto p = parse_count(*places, "places", 18);
        if (!p) return p.error();
        r.places = *p;
    }
    return r;
}

}  // namespace crossrate::api
