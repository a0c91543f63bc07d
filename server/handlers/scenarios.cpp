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

// Refuses, before any work, a request whose scenarios together cost more than the budgets:
// 413 with the numbers, so the client knows how far to cut.
Result<void> check_budget(const ScenarioCost& cost, const Config& config) {
    if (cost.evaluations > config.scenario_budget) {
        return Error(Errc::too_large,
                     "the scenarios ask for " + std::to_string(cost.evaluations) +
                         " margin evaluations (per item 2, plus 2 per swept point and per draw); the budget is " +
                         std::to_string(config.scenario_budget) + ": use fewer items, points or draws",
                     "body");
    }
    if (cost.answer_bytes > config.max_answer_bytes) {
        return answer_too_large("would take up to " + std::to_string(cost.answer_bytes) + " bytes", config,
                                "use fewer items or swept points");
    }
    return {};
}

// The answer, unless it came out larger than the estimate allowed (a CSV of many swept points,
// a dataset of long citations): then a 413 all the same.
Result<Reply> sized(std::string body, std::string_view type, const Config& config) {
    if (body.size() > config.max_answer_bytes) {
        return answer_too_large("is " + std::to_string(body.size()) + " bytes", config, "use fewer items or swept points");
    }
    return Reply{http::status::ok, std::move(body), std::string(type), Freshness::operational};
}

}  // namespace

Error answer_too_large(const std::string& size, const Config& config, std::string_view advice) {
    return Error(Errc::too_large,
                 "the answer " + size + "; at most " + std::to_string(config.max_answer_bytes) +
                     " are sent (--max-answer-bytes): " + std::string(advice),
                 "body");
}

Result<Reply> scenarios(const Call& call) {
    if (!call.request[http::field::content_type].starts_with("application/json")) {
        return Error(Errc::unsupported_media_type, "the body must be application/json: a scenario or an array of them",
                     "Content-Type");
    }
    const bool csv = call.csv;
    const auto body_parsed = parse_exact_json(call.request.body());
    if (!body_parsed) return body_parsed.error();
    const auto& body = *body_parsed;
    if (!body.is_array()) {
        const auto parsed = api::parse_scenario(body, call.data);
        if (!parsed.scenario) {
            return Reply{http::status::bad_request,
                         api::invalid_body_document("invalid_scenario", "Invalid scenario",
                                                    " in the scenario; each is listed with its JSON pointer", parsed.problems),
                         "application/problem+json", Freshness::operational};
        }
        if (const auto within = check_budget(cost_of(*parsed.scenario), call.config); !within) return within.error();
        const auto result = run_scenario(call.data, *parsed.scenario, call.cancel);
        if (csv) return sized(api::scenario_csv(parsed, result), "text/csv; charset=utf-8", call.config);
        return sized(api::scenario_document(parsed, result, call.data), "application/json", call.config);
    }
    const auto& documents = body.as_array();
    if (documents.size() > max_scenarios) {
        return Error(Errc::too_large, "a batch holds at most " + std::to_string(max_scenarios) + " scenarios", "body");
    }
    std::vector<api::ParsedScenario> batch;
    batch.reserve(documents.size());
    ScenarioCost cost;
    for (const auto& document : documents) {
        batch.push_back(api::parse_scenario(document, call.data));
        if (batch.back().scenario) cost += cost_of(*batch.back().scenario);
    }
    if (const auto within = check_budget(cost, call.config); !within) return within.error();
    api::JsonWriter w;
    std::string table;
    w.begin_object().key("results").begin_array();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const auto& parsed = batch[i];
        if (!parsed.scenario) {
            w.begin_object().field("index", static_cast<std::int64_t>(i));
            w.key("errors").raw(api::problems_array(parsed.problems)).end_object();
            continue;
        }
        const auto result = run_scenario(call.data, *parsed.scenario, call.cancel);
        if (csv) {
            std::string rows = api::scenario_csv(parsed, result);
            table += table.empty() ? rows : rows.substr(rows.find('\n') + 1);  // one header
        } else {
            w.raw(api::scenario_document(parsed, result, call.data));
        }
    }
    w.end_array().end_object();
    if (csv) return sized(std::move(table), "text/csv; charset=utf-8", call.config);
    return sized(w.take(), "application/json", call.config);
}

}  // namespace crossrate::server::handlers
