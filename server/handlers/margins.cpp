// GET /v1/margins (items on a date, in a currency, with assumptions and overrides), GET
// /v1/margins/series (one item over dates) and GET /v1/assumptions (the documented defaults):
// JSON, or CSV when asked.

#include "api/margin_document.hpp"
#include "api/requests.hpp"
#include "server/handlers/handlers.hpp"

namespace crossrate::server::handlers {

Result<Reply> margins(const Call& call) {
    const auto parsed = api::parse_margin_request(call.query.params(), call.data);
    if (!parsed) return parsed.error();
    const auto& request = *parsed;
    std::vector<api::MarginRow> rows;
    rows.reserve(request.items.size());
    for (const auto& item : request.items) {
        MarginQuery q = request.query;
        q.item = item;
        rows.push_back({item, compute_margin(call.data, q)});
    }
    const int places = request.places.value_or(request.query.currency->minor_units);
    if (call.csv) {
        return Reply{http::status::ok, api::margins_csv(request.query.date, *request.query.currency, rows, places),
                     "text/csv; charset=utf-8", freshness_of(request.query.date)};
    }
    return Reply{http::status::ok, api::margins_document(request.query.date, *request.query.currency, rows, places, call.data),
                 "application/json", freshness_of(request.query.date)};
}

Result<Reply> margins_series(const Call& call) {
    for (const std::string_view required : {"item", "start", "end"}) {
        if (!call.query.get(required)) {
            return Error(Errc::invalid_parameter, std::string(required) + " is required", std::string(required));
        }
    }
    // The margins parser reads items and date; a series has one item and a range.
    const std::string item(*call.query.get("item"));
    const std::string start(*call.query.get("start"));
    const auto params = call.query.params();
    const api::Params as_margins = [&](std::string_view name) -> std::optional<std::string_view> {
        if (name == "items") return item;
        if (name == "date") return start;
        return params(name);
    };
    const auto parsed = api::parse_margin_request(as_margins, call.data);
    if (!parsed) return parsed.error();
    const auto& request = *parsed;
    const auto end_parsed = api::parse_date_param(*call.query.get("end"), "end");
    if (!end_parsed) return end_parsed.error();
    const Date end = *end_parsed;
    const auto interval_parsed = parse_interval(call.query.get("interval").value_or("week"));
    if (!interval_parsed) return interval_parsed.error();
    const Interval interval = *interval_parsed;
    const auto dates = step_dates(request.query.date, end, interval, call.config.max_series_points);
    if (!dates) return dates.error();
    std::vector<api::MarginPoint> points;
    points.reserve(dates->size());
    for (const Date d : *dates) {
        call.cancel.tick();
        MarginQuery q = request.query;
        q.item = item;
        q.date = d;
        points.push_back({d, compute_margin(call.data, q)});
    }
    const int places = request.places.value_or(request.query.currency->minor_units);
    if (call.csv) {
        return Reply{http::status::ok, api::margin_series_csv(item, *request.query.currency, points, places),
                     "text/csv; charset=utf-8", freshness_of(end)};
    }
    return Reply{http::status::ok, api::margin_series_document(item, *request.query.currency, interval, points, places),
                 "application/json", freshness_of(end)};
}

Result<Reply> assumptions(const Call& call) {
    if (call.csv) return Reply{http::status::ok, api::assumptions_csv(call.data), "text/csv; charset=utf-8", Freshness::reference};
    return Reply{http::status::ok, api::assumptions_document(call.data), "application/json", Freshness::reference};
}

Result<Reply> claims(const Call& call) {
    return Reply{http::status::ok, api::claims_document(call.data), "application/json", Freshness::reference};
}

}  // namespace crossrate::server::handlers
