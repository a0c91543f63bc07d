#include "api/requests.hpp"
#include "server/handlers/handlers.hpp"
#include "server/route.hpp"

#include <stdexcept>
#include <unordered_map>

namespace crossrate::server {

const std::vector<Route>& routes() {
    using http::verb;
    namespace h = handlers;
    static const std::vector<Route> table = {
        {"index", verb::get, "/v1", {}, h::index},
        {"currencies", verb::get, "/v1/currencies", {}, h::currencies},
        {"rates", verb::get, "/v1/rates", {"base", "symbols", "date", "kind", "policy", "max_gap", "location"}, h::rates},
        {"rates_series", verb::get, "/v1/rates/series",
         {"base", "quote", "start", "end", "interval", "aggregate", "kind", "policy", "max_gap", "location"}, h::rates_series,
         false, true},
        {"rate_reports", verb::get, "/v1/rates/reports", {"kind", "base", "quote", "location", "source", "start", "end",
                                                                 "limit", "cursor"},
         h::rate_reports, false, true},
        {"rates_post", verb::post, "/v1/rates", {}, h::rates_post},
        {"convert", verb::get, "/v1/convert",
         {"amount", "from", "to", "date", "kind", "policy", "max_gap", "location", "places"}, h::convert, false, false, false,
         "amount"},
        {"convert_batch", verb::post, "/v1/convert/batch", {}, h::convert_batch, true},
        {"sources", verb::get, "/v1/sources", {"limit", "cursor"}, h::sources},
        {"sources_post", verb::post, "/v1/sources", {}, h::sources_post},
        {"items", verb::get, "/v1/items", {}, h::items},
        {"quotes", verb::get, "/v1/quotes", {"item", "side", "kind", "source", "location", "start", "end", "limit", "cursor"},
         h::quotes, false, true},
        {"quotes_series", verb::get, "/v1/quotes/series", {"item", "currency", "kind", "side", "unit"}, h::quotes_series,
         false, true},
        {"quotes_post", verb::post, "/v1/quotes", {}, h::quotes_post},
        {"regimes", verb::get, "/v1/regimes", {}, h::regimes},
        {"revisions", verb::get, "/v1/revisions", {"limit", "cursor"}, h::revisions, false, true},
        {"revision", verb::get, "/v1/revisions/{number}", {}, h::revision, false, true},
        {"events", verb::get, "/v1/events", {"last_event_id"}, h::events, false, false, true},
        {"margins", verb::get, "/v1/margins", {std::begin(api::margin_params), std::end(api::margin_params)}, h::margins},
        {"margins_series", verb::get, "/v1/margins/series",
         {"item", "start", "end", "interval", "currency", "kind", "policy", "max_gap", "location", "quote_policy",
          "bribe_model", "bribe_item", "buy",
          "sell", "bribe", "heads", "transport", "interdiction", "places"},
         h::margins_series, false, true},
        {"assumptions", verb::get, "/v1/assumptions", {}, h::assumptions},
        {"claims", verb::get, "/v1/claims", {}, h::claims},
        {"scenarios", verb::post, "/v1/scenarios", {}, h::scenarios, true},
        {"healthz", verb::get, "/healthz", {}, h::healthz},
        {"readyz", verb::get, "/readyz", {}, h::readyz},
        {"metrics", verb::get, "/metrics", {}, h::metrics},
        {"openapi", verb::get, "/openapi.json", {}, h::openapi},
    };
    return table;
}

bool answers_csv(std::string_view route) noexcept {
    for (const std::string_view r : {"currencies", "rates", "rates_series", "rate_reports", "convert", "sources", "items",
                                     "quotes", "quotes_series", "revisions", "margins", "margins_series", "assumptions",
                                     "scenarios"}) {
        if (r == route) return true;
    }
    return false;
}

bool path_matches(const Route& route, std::string_view path, std::pair<std::string, std::string>* parameter) {
    const auto brace = route.path.find('{');
    if (brace == std::string_view::npos) return route.path == path;
    const std::string_view prefix = route.path.substr(0, brace);
    if (!path.starts_with(prefix)) return false;
    const std::string_view value = path.substr(prefix.size());
    if (value.empty() || value.find('/') != std::string_view::npos) return false;
    if (parameter != nullptr) {
        const std::string_view name = route.path.substr(brace + 1, route.path.size() - brace - 2);
        *parameter = {std::string(name), std::string(value)};
    }
    return true;
}

RoutesAt routes_at(std::string_view path) {
    struct Index {
        std::unordered_map<std::string_view, RoutesAt> fixed;  // each fixed path's routes, and any "{name}" one it matches
        std::vector<std::size_t> with_parameter;
    };
    const auto add = [](RoutesAt& at, std::size_t i) {
        if (at.size == at.index.size()) throw std::logic_error("routes_at: more routes on one path than RoutesAt holds");
        at.index[at.size++] = i;
    };
    static const Index index = [&] {
        Index built;
        const auto& table = routes();
        for (std::size_t i = 0; i < table.size(); ++i) {
            if (table[i].path.find('{') != std::string_view::npos) built.with_parameter.push_back(i);
        }
        for (std::size_t i = 0; i < table.size(); ++i) {
            if (table[i].path.find('{') != std::string_view::npos || built.fixed.contains(table[i].path)) continue;
            RoutesAt& at = built.fixed[table[i].path];
            for (std::size_t j = 0; j < table.size(); ++j) {
                if (path_matches(table[j], table[i].path)) add(at, j);
            }
        }
        return built;
    }();
    if (const auto it = index.fixed.find(path); it != index.fixed.end()) return it->second;
    RoutesAt found;
    for (const std::size_t i : index.with_parameter) {
        if (path_matches(routes()[i], path)) add(found, i);
    }
    return found;
}

std::vector<std::string> route_names() {
    std::vector<std::string> names;
    for (const auto& r : routes()) names.emplace_back(r.name);
    return names;
}

Freshness freshness_of(std::optional<Date> date) {
    if (!date) return Freshness::latest;
    const Date today = date::floor<date::days>(std::chrono::system_clock::now());
    return *date < today ? Freshness::past : Freshness::latest;
}

}  // namespace crossrate::server
