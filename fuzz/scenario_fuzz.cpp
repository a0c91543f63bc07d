// Scenario documents: parsed and checked completely; a valid one within a small budget runs
// and renders to valid JSON; its cost is known before it runs.

#include "api/scenario_json.hpp"
#include "fuzz/fuzz_support.hpp"
#include "pricing/exact_json.hpp"

#include <boost/json/parse.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace crossrate;
    const auto body = parse_exact_json(fuzz::text_of(data, size));
    if (!body) return 0;
    const auto parsed = api::parse_scenario(*body, fuzz::dataset());
    fuzz::require(parsed.scenario.has_value() == parsed.problems.empty(), "a scenario is read exactly when it has no problems");
    if (!parsed.scenario) return 0;
    const auto cost = cost_of(*parsed.scenario);
    if (cost.evaluations > 20'000 || cost.answer_bytes > (1u << 20)) return 0;  // what the server would refuse
    const auto result = run_scenario(fuzz::dataset(), *parsed.scenario);
    const std::string document = api::scenario_document(parsed, result, fuzz::dataset());
    fuzz::require(document.size() <= cost.answer_bytes, "the answer is within its estimated size");
    boost::system::error_code ec;
    boost::json::parse(document, ec);
    fuzz::require(!ec, "a scenario's answer is valid JSON");
    (void)api::scenario_csv(parsed, result);
    return 0;
}
