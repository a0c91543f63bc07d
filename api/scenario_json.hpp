#pragma once
// Scenario documents: JSON in (checked completely: every problem is listed with its JSON
// pointer), results out as JSON or CSV. The schema is in server/openapi.json (Scenario) and
// examples in fixtures/scenarios/.

#include "pricing/dataset_loader.hpp"
#include "pricing/scenario.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace crossrate::api {

using Problem = FieldProblem;  // pointer "/sweep/0/values/3", detail

struct ParsedScenario {
    std::optional<Scenario> scenario;  // set when there are no problems
    std::vector<Problem> problems;
    std::string id;  // a hash of the canonical content: "sc-" and 16 hex digits
};

// Numbers may be JSON numbers (read from their exact text: see exact_json.hpp) or strings.
ParsedScenario parse_scenario(const boost::json::value& document, const Dataset& data);

std::string scenario_document(const ParsedScenario& parsed, const ScenarioResult& result, const Dataset& data);
std::string scenario_csv(const ParsedScenario& parsed, const ScenarioResult& result);
// [{"pointer":…,"detail":…},…]: an invalid document's problems, for a batch answer's "errors".
std::string problems_array(const std::vector<Problem>& problems);

}  // namespace crossrate::api
