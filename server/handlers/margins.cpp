// GET /v1/margins (items on a date, in a currency, with assumptions and overrides), GET
// /v1/margins/series (one item over dates) and GET /v1/assumptions (the documented defaults):
// JSON, or CSV when asked.

#include "api/margin_document.hpp"
#include "api/requests.hpp"
#include "server/handlers/handlers.hpp"

namespace crossrate::server::handlers {

Reply margins(const Call& call) {
    const auto request = api::parse_margin_request(call.query.params(), call.data).value();
    std::vector<api::MarginRow> rows;
    rows.reserve(request.items.size());
    for (const auto& item : request.items) {
        MarginQuery q = request.query;
        q.item = item;
        rows.push_back({item, compute_margin(call.data, q)});
    }
    const int places = request.places.value_or(request.query.currency->minor_units);
    if (call.csv) {
        return {http::status::ok, api::margins_csv(request.query.date, *request.query.currency, rows, places),
                "text/csv; charset=utf-8", freshness_of(request.query.date)};
    }
    return {http::status::ok, api::margins_document(request.query.date, *request.query.currency, rows, places, call.data),
            "application/json", freshness_of(request.query.date)};
}

Reply margins_series(const Call& call) {
    for (const std::string_view required : {"item", "start", "end"}) {
        if (!call.query.get(required)) {
            throw Error(Errc::invalid_parameter, std::string(required) + " is required", std::string(required));
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
    const auto request = api::parse_margin_request(as_margins, call.data).value();
    const Date end = api::parse_date_param(*call.query.get("end"), "end").value();
    const Interval interval = parse_interval(call.query.get("interval").value_or("week")).value();
    const auto dates = step_dates(request.query.date, end, interval, call.config.max_series_points).value();
    std::vector<api::MarginPoint> points;
    points.reserve(dates.size());
    for (const Date d : dates) {
        call.cancel.tick();
        MarginQuery q = request.query;
        q.item = item;
        q.date = d;
        points.push_back({d, compute_margin(call.data, q)});
    }
    const int places = request.places.value_or(request.query.currency->minor_units);
    if (call.csv) {
        return {http::status::ok, api::margin_series_csv(item, *request.query.currency, points, places),
                "text/csv; charset=utf-8", freshness_of(end)};
    }
    return {http::status::ok, api::margin_series_document(item, *request.query.currency, interval, points, places),
            "application/json", freshness_of(end)};
}

Reply assumptions(const Call& call) {
    if (call.csv) return {http::status::ok, api::assumptions_csv(call.data), "text/csv; charset=utf-8", Freshness::reference};
    return {http::status::ok, api::assumptions_document(call.data), "application/json", Freshness::reference};
}

Reply claims(const Call& call) {
    return {http::status::ok, api::claims_document(call.data), "application/json", Freshness::reference};
}

}  // namespace crossrate::server::handlers
