// GET /v1/margins (items on a date, in a currency, with assumptions and overrides) and
// GET /v1/assumptions (the documented defaults).

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
    return {http::status::ok, api::margins_document(request.query.date, *request.query.currency, rows, places, call.data),
            "application/json", freshness_of(request.query.date)};
}

Reply assumptions(const Call& call) {
    return {http::status::ok, api::assumptions_document(call.data), "application/json", Freshness::reference};
}

}  // namespace crossrate::server::handlers
