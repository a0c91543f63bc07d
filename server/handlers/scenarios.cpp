// POST /v1/scenarios: one scenario document, or an array of them; JSON, or CSV when the
// client accepts text/csv.

#include "pricing/exact_json.hpp"
#include "api/documents.hpp"
#include "api/json_writer.hpp"
#include "api/scenario_json.hpp"
#include "server/handlers/handlers.hpp"

namespace crossrate::server::handlers {
namespace {

constexpr std::size_t max_scenarios = 20;

}  // namespace

Reply scenarios(const Call& call) {
    if (!call.request[http::field::content_type].starts_with("application/json")) {
        throw Error(Errc::unsupported_media_type, "the body must be application/json: a scenario or an array of them",
                    "Content-Type");
    }
    const bool csv = call.request[http::field::accept].find("text/csv") != std::string_view::npos;
    const auto body = parse_exact_json(call.request.body()).value();
    if (!body.is_array()) {
        const auto parsed = api::parse_scenario(body, call.data);
        if (!parsed.scenario) {
            return {http::status::bad_request,
                    api::invalid_body_document("invalid_scenario", "Invalid scenario",
                                               " in the scenario; each is listed with its JSON pointer", parsed.problems),
                    "application/problem+json", Freshness::operational};
        }
        const auto result = run_scenario(call.data, *parsed.scenario);
        if (csv) return {http::status::ok, api::scenario_csv(parsed, result), "text/csv; charset=utf-8", Freshness::operational};
        return {http::status::ok, api::scenario_document(parsed, result, call.data), "application/json",
                Freshness::operational};
    }
    const auto& documents = body.as_array();
    if (documents.size() > max_scenarios) {
        throw Error(Errc::too_large, "a batch holds at most " + std::to_string(max_scenarios) + " scenarios", "body");
    }
    api::JsonWriter w;
    std::string table;
    w.begin_object().key("results").begin_array();
    for (std::size_t i = 0; i < documents.size(); ++i) {
        const auto parsed = api::parse_scenario(documents[i], call.data);
        if (!parsed.scenario) {
            w.begin_object().field("index", static_cast<std::int64_t>(i));
            w.key("errors").raw(api::problems_array(parsed.problems)).end_object();
            continue;
        }
        const auto result = run_scenario(call.data, *parsed.scenario);
        if (csv) {
            std::string rows = api::scenario_csv(parsed, result);
            table += table.empty() ? rows : rows.substr(rows.find('\n') + 1);  // one header
        } else {
            w.raw(api::scenario_document(parsed, result, call.data));
        }
    }
    w.end_array().end_object();
    if (csv) return {http::status::ok, table, "text/csv; charset=utf-8", Freshness::operational};
    return {http::status::ok, w.take(), "application/json", Freshness::operational};
}

}  // namespace crossrate::server::handlers
