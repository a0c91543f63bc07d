#include "api/scenario_json.hpp"

#include "pricing/exact_json.hpp"
#include "tests/support/staged_dataset.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace crossrate::api {
namespace {

const Dataset& data() { return test::staged_dataset(); }

ParsedScenario parse(std::string_view text) { return parse_scenario(parse_exact_json(text).value(), data()); }

TEST(ScenarioJson, EveryProblemIsListedWithItsPointer) {
    const auto p = parse(R"({"date": "2023-02-30", "currency": "XYZ", "items": ["goat", 7, "unicorn"],
        "assumptions": {"heads": "0.5", "interdiction": 2, "wings": 1},
        "sweep": [{"parameter": "heads", "from": 1, "to": 0, "step": 1}],
        "monte_carlo": {"draws": 2000000, "parameters": {"bribe": {"distribution": "normal"}}},
        "colour": "red"})");
    ASSERT_FALSE(p.scenario.has_value());
    std::map<std::string, std::string> by_pointer;
    for (const auto& problem : p.problems) by_pointer[problem.pointer] = problem.detail;
    for (const char* pointer : {"/colour", "/date", "/currency", "/items/1", "/items/2", "/assumptions/heads",
                                "/assumptions/interdiction", "/assumptions/wings", "/sweep/0/to",
                                "/monte_carlo/draws", "/monte_carlo/parameters/bribe/distribution"}) {
        EXPECT_TRUE(by_pointer.count(pointer)) << pointer << " not reported";
    }
    EXPECT_EQ(by_pointer["/items/2"], "no item 'unicorn' (see /v1/items)");
}

// max_gap is a whole number of days, as everywhere else (a string of digits is read too); a
// value of another type is a problem, not silently left out.
TEST(ScenarioJson, MaxGapIsANumberOfDays) {
    const auto number = parse(R"({"date": "2023-04-02", "items": ["goat"], "rates": {"kind": "market", "max_gap": 14}})");
    ASSERT_TRUE(number.scenario.has_value());
    EXPECT_EQ(number.scenario->rates.max_gap_days, 14);
    const auto text = parse(R"({"date": "2023-04-02", "items": ["goat"], "rates": {"kind": "market", "max_gap": "14"}})");
    EXPECT_EQ(text.scenario->rates.max_gap_days, 14);
    EXPECT_EQ(number.id, text.id);
    const auto wrong = parse(R"({"date": "2023-04-02", "items": ["goat"], "rates": {"max_gap": true}})");
    ASSERT_FALSE(wrong.scenario.has_value());
    EXPECT_EQ(wrong.problems.at(0).pointer, "/rates/max_gap");
}

TEST(ScenarioJson, TheIdHashesTheContentNotItsSpelling) {
    const auto a = parse(R"({"date": "2023-04-02", "items": ["goat"], "assumptions": {"bribe": 10000, "heads": "10"}})");
    const auto b = parse(R"({"assumptions": {"heads": 10.0, "bribe": "10000.00"}, "items": ["goat"], "date": "2023-04-02",
                             "currency": "cny"})");
    const auto c = parse(R"({"date": "2023-04-02", "items": ["goat"], "assumptions": {"bribe": 10001, "heads": "10"}})");
    ASSERT_TRUE(a.scenario && b.scenario && c.scenario);
    EXPECT_EQ(a.id.substr(0, 3), "sc-");
    EXPECT_EQ(a.id.size(), 19u);
    EXPECT_EQ(a.id, b.id);
    EXPECT_NE(a.id, c.id);
}

TEST(ScenarioJson, SweepsByRangeAndTheReportedBribeRange) {
    const auto p = parse(R"({"date": "2023-04-02", "currency": "USD", "items": ["goat"],
        "sweep": [{"parameter": "interdiction", "from": "0", "to": "0.5", "step": "0.05"}],
        "monte_carlo": {"draws": 10, "seed": 3, "parameters": {"bribe": {"distribution": "reported"}}}})");
    ASSERT_TRUE(p.scenario) << (p.problems.empty() ? "" : p.problems[0].detail);
    EXPECT_EQ(p.scenario->sweeps[0].values.size(), 11u);
    // "sometimes take even less": the going price as the mode, a lower tail down to the
    // reported_tail_floor assumption (named), and nothing above the reported figure.
    const auto& bribe = p.scenario->monte_carlo->parameters[0].second;
    EXPECT_EQ(bribe.kind, Distribution::Kind::triangular);
    EXPECT_EQ(bribe.mode.round(2).to_string(), "727.96");  // RMB 5,000 in dollars on the date
    EXPECT_EQ(bribe.high, bribe.mode);
    EXPECT_EQ(bribe.low.round(2).to_string(), "363.98");
    EXPECT_EQ(bribe.low_assumption, "reported_tail_floor");
}

// A sweep at the edges of the decimal: problems named by pointer, never a fault.
TEST(ScenarioJson, ASweepAtTheDecimalsEdgesIsCheckedNotThrown) {
    const std::string nines(38, '9');
    const auto sweep = [&](const std::string& from, const std::string& to, const std::string& step) {
        ParsedScenario p;
        EXPECT_NO_THROW(p = parse(R"({"date": "2023-04-02", "items": ["goat"], "sweep": [{"parameter": "bribe", "from": ")" +
                                  from + R"(", "to": ")" + to + R"(", "step": ")" + step + R"("}]})"));
        return p;
    };
    // The step past the last point would pass the largest decimal: the sweep ends at it.
    const auto wide = sweep("0", nines, "5" + std::string(37, '0'));
    ASSERT_TRUE(wide.scenario) << (wide.problems.empty() ? "" : wide.problems[0].detail);
    EXPECT_EQ(wide.scenario->sweeps[0].values.size(), 2u);
    // A step so small the count is no decimal: too many points.
    const auto fine = sweep("0", "1", "0." + std::string(37, '0') + "1");
    ASSERT_FALSE(fine.scenario);
    EXPECT_EQ(fine.problems.at(0).pointer, "/sweep/0");
    // A step that rounds away at the value's 38 digits would never end the sweep.
    const auto stuck = sweep("1" + std::string(37, '0'), "1" + std::string(36, '0') + "1", "0.4");
    ASSERT_FALSE(stuck.scenario);
    EXPECT_EQ(stuck.problems.at(0).pointer, "/sweep/0/step");
    const auto still = sweep("1" + std::string(37, '0'), "1" + std::string(37, '0'), "0.1");
    ASSERT_FALSE(still.scenario);
    EXPECT_EQ(still.problems.at(0).pointer, "/sweep/0/step");
    // A range wider than a decimal holds.
    const auto across = sweep("-" + nines, nines, "1");
    ASSERT_FALSE(across.scenario);
    bool said = false;
    for (const auto& problem : across.problems) said = said || problem.pointer == "/sweep/0/to";
    EXPECT_TRUE(said);
}

TEST(ScenarioJson, TheCostCountsEvaluationsOfEachItemSweepPointAndDraw) {
    const auto p = parse(R"({"date":"2023-04-02","items":["goat","sheep"],
        "sweep":[{"parameter":"heads","values":[1,2,3]},{"parameter":"bribe","values":["0","1000"]}],
        "monte_carlo":{"draws":10,"seed":1,"parameters":{"interdiction":{"distribution":"uniform","low":"0","high":"0.5"}}}})");
    ASSERT_TRUE(p.scenario);
    // Per item: the scenario and its baseline, each of 6 points twice, each of 10 draws twice.
    EXPECT_EQ(cost_of(*p.scenario).evaluations, 2u * (2 + 2 * 6 + 2 * 10));
}

TEST(ScenarioJson, AnItemListedTwiceIsAProblem) {
    const auto p = parse(R"({"date":"2023-04-02","items":["goat","rabbit","goat"]})");
    EXPECT_FALSE(p.scenario);
    ASSERT_EQ(p.problems.size(), 1u);
    EXPECT_EQ(p.problems[0].pointer, "/items/2");
}

TEST(ScenarioJson, TheShippedExamplesAreValidAndRun) {
    const auto dir = std::filesystem::path(CROSSRATE_TEST_DATA_DIR) / "scenarios";
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const auto p = parse(text.str());
        ASSERT_TRUE(p.scenario) << entry.path() << ": " << (p.problems.empty() ? "" : p.problems[0].pointer + " " + p.problems[0].detail);
        const auto result = run_scenario(data(), *p.scenario);
        const std::string rendered = scenario_document(p, result, data());
        // The size the budget counted before running holds the answer (a fuzz finding: the
        // yuan example's two-leg conversions took 11 KiB an item, over the 8 KiB first counted).
        EXPECT_LE(rendered.size(), cost_of(*p.scenario).answer_bytes) << entry.path();
        const auto doc = boost::json::parse(rendered).as_object();
        EXPECT_EQ(doc.at("id").as_string(), p.id);
        for (const auto& item : doc.at("items").as_array()) {
            EXPECT_TRUE(item.as_object().contains("scenario")) << entry.path();
            EXPECT_TRUE(item.as_object().contains("difference")) << entry.path();
        }
        const auto csv = scenario_csv(p, result);
        EXPECT_EQ(csv.rfind("scenario_id,item,section,", 0), 0u);
        ++files;
    }
    EXPECT_EQ(files, 4);
}

}  // namespace
}  // namespace crossrate::api
