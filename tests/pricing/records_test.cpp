// Quotes written through the API: checked like the fixtures, every problem listed, and
// joined to the dataset in the order they were written.

#include "pricing/dataset_loader.hpp"
#include "pricing/exact_json.hpp"
#include "tests/support/staged_dataset.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <set>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }

constexpr std::string_view new_goat_price = R"({
    "item": "goat", "kind": "price", "side": "origin", "amount": 550, "low": null, "high": null,
    "approximate": true, "upper_bound": false, "currency": "CNY", "unit": "head",
    "location": "North Korea, Yalu River border area",
    "observed": {"date": "2023-05", "precision": "month", "inferred": true, "note": null},
    "source": {"id": "dailynk-2023-03-30-yalu-livestock-smuggling", "publisher": "Daily NK", "label": "…"},
    "excerpts": ["In China, demand is high for North Korean livestock because they cost one-third of Chinese market prices."],
    "note": null})";

TEST(Records, AQuoteShapedAsGetShowsItIsAValidWrite) {
    std::vector<FieldProblem> problems;
    const auto q = quote_from_json(parse_exact_json(new_goat_price).value(), data(), "/0", problems);
    ASSERT_TRUE(q.has_value()) << (problems.empty() ? "" : problems[0].pointer + " " + problems[0].detail);
    EXPECT_EQ(q->amount.to_string(), "550");
    EXPECT_EQ(q->source, "dailynk-2023-03-30-yalu-livestock-smuggling");
    EXPECT_EQ(q->observed.text(), "2023-05");
}

TEST(Records, AnExcerptOfAShippedArticleMustBeVerbatim) {
    std::string body(new_goat_price);
    body.replace(body.find("demand is high"), 14, "demand is huge");
    std::vector<FieldProblem> problems;
    EXPECT_FALSE(quote_from_json(parse_exact_json(body).value(), data(), "", problems).has_value());
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].pointer, "/excerpts/0");
}

TEST(Records, EveryProblemIsListedWithItsPointer) {
    std::vector<FieldProblem> problems;
    const auto q = quote_from_json(parse_exact_json(R"({"id": "mine", "item": "unicorn", "kind": "gift", "side": "up",
        "amount": "-5", "approximate": "yes", "upper_bound": false, "currency": "XYZ", "unit": "head",
        "location": "x", "observed": {"date": "2023-02-30", "precision": "day", "inferred": false},
        "source": "nowhere", "excerpts": [], "colour": "red", "supersedes": "goat-origin-1999"})").value(),
        data(), "/3", problems);
    EXPECT_FALSE(q.has_value());
    std::set<std::string> pointers;
    for (const auto& p : problems) pointers.insert(p.pointer);
    for (const char* expected : {"/3/colour", "/3/id", "/3/kind", "/3/side", "/3/amount", "/3/approximate",
                                 "/3/currency", "/3/observed/date", "/3/excerpts", "/3/item", "/3/source",
                                 "/3/supersedes"}) {
        EXPECT_TRUE(pointers.count(expected)) << expected << " not reported";
    }
}

TEST(Records, WrittenQuotesJoinTheDatasetAndCorrectionsReplace) {
    auto body = parse_exact_json(new_goat_price).value();
    const std::string text = boost::json::serialize(body);
    std::vector<DataRecord> records = {{2, "quote", "goat-origin-2023-05-r2", text, ""}};
    const auto with = load_dataset(CROSSRATE_TEST_DATA_DIR, records).value();
    EXPECT_EQ(with->quotes.size(), data().quotes.size() + 1);
    EXPECT_EQ(with->quotes.back().id, "goat-origin-2023-05-r2");

    records.push_back({3, "quote", "goat-origin-2023-05-r3", text, "goat-origin-2023-05-r2"});
    const auto corrected = load_dataset(CROSSRATE_TEST_DATA_DIR, records).value();
    EXPECT_EQ(corrected->quotes.size(), data().quotes.size() + 1);
    EXPECT_EQ(corrected->quotes.back().id, "goat-origin-2023-05-r3");

    const auto broken = load_dataset(CROSSRATE_TEST_DATA_DIR, {{2, "quote", "q", "{\"item\": 1}", ""}});
    ASSERT_FALSE(broken);
    EXPECT_NE(std::string(broken.error().what()).find("record q (revision 2)"), std::string::npos);
}

}  // namespace
}  // namespace crossrate
