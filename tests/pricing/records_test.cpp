// Quotes and rates written through the API: checked like the fixtures, every problem listed,
// and joined to the dataset in the order they were written.

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

// A range's midpoint too large for a decimal is a problem of the range, not a fault.
TEST(Records, ARangeWhoseMidpointOverflowsIsAProblemOfTheRange) {
    std::string body(new_goat_price);
    const std::string nines(38, '9');
    body.replace(body.find("\"amount\": 550, \"low\": null, \"high\": null"), 40,
                 "\"amount\": null, \"low\": \"" + nines + "\", \"high\": \"" + nines + "\"");
    std::vector<FieldProblem> problems;
    EXPECT_FALSE(quote_from_json(parse_exact_json(body).value(), data(), "", problems).has_value());
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems[0].pointer, "/high");
    // Only that: no echo of it from the checks against the amount it left unknown.
    EXPECT_EQ(problems.size(), 1u) << problems.back().pointer << " " << problems.back().detail;
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

TEST(Records, AQuoteKeepsItsSourcesHedgeAndARecordOfAnEarlierVersionStillLoads) {
    std::string body(new_goat_price);
    body.replace(body.find("\"approximate\": true, \"upper_bound\": false"), 41,
                 "\"approximate\": true, \"qualifier\": \"around\", \"tail\": \"lower\"");
    std::vector<FieldProblem> problems;
    const auto q = quote_from_json(parse_exact_json(body).value(), data(), "", problems);
    ASSERT_TRUE(q.has_value()) << (problems.empty() ? "" : problems[0].pointer + " " + problems[0].detail);
    EXPECT_EQ(q->qualifier, "around");
    EXPECT_EQ(q->tail, QuoteTail::lower);
    EXPECT_FALSE(q->high.has_value());
    // Logs written before `tail` hold "upper_bound": true, a ceiling: it loads as a lower tail
    // bounded by the amount, so nothing they said is lost.
    std::string legacy(new_goat_price);
    legacy.replace(legacy.find("\"upper_bound\": false"), 20, "\"upper_bound\": true");
    const auto old = quote_from_json(parse_exact_json(legacy).value(), data(), "", problems);
    ASSERT_TRUE(old.has_value());
    EXPECT_EQ(old->tail, QuoteTail::lower);
    EXPECT_EQ(old->high, old->amount);
    body.replace(body.find("\"tail\": \"lower\""), 15, "\"tail\": \"sideways\"");
    EXPECT_FALSE(quote_from_json(parse_exact_json(body).value(), data(), "", problems).has_value());
    EXPECT_EQ(problems.back().pointer, "/tail");
}

// Beside prices and bribes, the wider reports give fees (smuggling, defection, brokers) and
// penalties (fines), in other currencies (a broker's fee in South Korean won).
TEST(Records, FeesAndPenaltiesAreQuotesToo) {
    for (const char* kind : {"fee", "penalty"}) {
        std::string body(new_goat_price);
        body.replace(body.find("\"kind\": \"price\""), 15, std::string("\"kind\": \"") + kind + "\"");
        body.replace(body.find("\"currency\": \"CNY\""), 17, "\"currency\": \"KRW\"");
        std::vector<FieldProblem> problems;
        const auto q = quote_from_json(parse_exact_json(body).value(), data(), "", problems);
        ASSERT_TRUE(q.has_value()) << kind << ": " << (problems.empty() ? "" : problems[0].pointer + " " + problems[0].detail);
        EXPECT_EQ(q->kind, kind);
        EXPECT_EQ(q->currency.view(), "KRW");
    }
    std::string gift(new_goat_price);
    gift.replace(gift.find("\"kind\": \"price\""), 15, "\"kind\": \"gift\"");
    std::vector<FieldProblem> problems;
    EXPECT_FALSE(quote_from_json(parse_exact_json(gift).value(), data(), "", problems).has_value());
    EXPECT_EQ(problems.back().pointer, "/kind");
}

TEST(Records, ANullRequiredFieldIsMissingNotZero) {
    std::string body(new_goat_price);
    body.replace(body.find("\"amount\": 550"), 13, "\"amount\": null");
    body.replace(body.find("\"unit\": \"head\""), 14, "\"unit\": null");
    std::vector<FieldProblem> problems;
    EXPECT_FALSE(quote_from_json(parse_exact_json(body).value(), data(), "", problems).has_value());
    std::set<std::string> pointers;
    for (const auto& p : problems) pointers.insert(p.pointer);
    EXPECT_EQ(pointers, (std::set<std::string>{"/amount", "/unit"}));
}

// Sinuiju's survey of 5 Feb 2023 (fixtures/rates/market.csv): USD 8380 KPW.
constexpr std::string_view sinuiju_rate = R"({
    "kind": "market", "base": "USD", "quote": "KPW", "value": "8395",
    "date": {"date": "2023-02-12", "precision": "day", "inferred": false, "note": null},
    "approximate": false, "location": "Sinuiju",
    "source": "dailynk-en/north-korean-foreign-exchange-rates-rise-amid-continued-hopes-restart-trade-march",
    "excerpt": null, "note": null})";

double rate_on(const Dataset& d, std::string_view date) {
    RateQuery q;
    q.kind = RateKind::market;
    q.location = "Sinuiju";
    q.policy = LookupPolicy::exact;
    const auto answer = d.rates.lookup(CurrencyCode::from_text("USD").value(), CurrencyCode::from_text("KPW").value(),
                                       parse_date(date).value(), q);
    return answer ? std::stod(answer->rate.to_string()) : -1;
}

TEST(Records, TheFixturesRatesAreReportsWithIdsNamingTheirDate) {
    const auto& reports = data().rate_reports;
    const auto it = std::find_if(reports.begin(), reports.end(),
                                 [](const RateReport& r) { return r.id == "market-usd-kpw-sinuiju-2023-02-05"; });
    ASSERT_NE(it, reports.end());
    EXPECT_EQ(it->value.to_string(), "8380");
    const auto reported = std::find_if(reports.begin(), reports.end(),
                                       [](const RateReport& r) { return r.id == "reported-cny-usd-2023-04-02"; });
    ASSERT_NE(reported, reports.end());
    EXPECT_EQ(reported->excerpt, "As of Apr. 2, RMB 1 is equal to USD 0.15.");
    EXPECT_TRUE(reported->date.inferred);
}

TEST(Records, AWrittenRateJoinsItsSeriesAndACorrectionTakesItsDate) {
    EXPECT_EQ(rate_on(data(), "2023-02-12"), -1);
    const std::string text = boost::json::serialize(parse_exact_json(sinuiju_rate).value());
    std::vector<DataRecord> records = {{2, "rate", "market-usd-kpw-sinuiju-2023-02-12-r2", text, ""}};
    EXPECT_EQ(rate_on(*load_dataset(CROSSRATE_TEST_DATA_DIR, records).value(), "2023-02-12"), 8395);

    std::string corrected(text);
    corrected.replace(corrected.find("8395"), 4, "8390");
    records.push_back({3, "rate", "market-usd-kpw-sinuiju-2023-02-12-r3", corrected, "market-usd-kpw-sinuiju-2023-02-12-r2"});
    const auto after = load_dataset(CROSSRATE_TEST_DATA_DIR, records).value();
    EXPECT_EQ(rate_on(*after, "2023-02-12"), 8390);
    EXPECT_EQ(after->rate_reports.size(), data().rate_reports.size() + 1);
}

// A second report for a place and date is kept beside the first unless it says it corrects
// it; a correction names a report of the same series and date.
TEST(Records, ASecondRateOnADateIsKeptUnlessItCorrectsTheFirst) {
    std::string body(sinuiju_rate);
    body.replace(body.find("2023-02-12"), 10, "2023-02-05");
    std::vector<FieldProblem> problems;
    EXPECT_TRUE(rate_from_json(parse_exact_json(body).value(), data(), "", problems).has_value());
    const std::string text = boost::json::serialize(parse_exact_json(body).value());
    const auto both = load_dataset(CROSSRATE_TEST_DATA_DIR, {{2, "rate", "market-usd-kpw-sinuiju-2023-02-05-r2", text, ""}}).value();
    EXPECT_EQ(rate_on(*both, "2023-02-05"), 8380);  // the survey's, added first
    EXPECT_EQ(both->rate_reports.size(), data().rate_reports.size() + 1);

    std::string elsewhere = body;
    elsewhere.insert(elsewhere.rfind('}'), R"(, "supersedes": "market-usd-kpw-sinuiju-2023-02-19")");
    problems.clear();
    EXPECT_FALSE(rate_from_json(parse_exact_json(elsewhere).value(), data(), "", problems).has_value());
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].pointer, "/supersedes");

    body.insert(body.rfind('}'), R"(, "supersedes": "market-usd-kpw-sinuiju-2023-02-05")");
    problems.clear();
    EXPECT_TRUE(rate_from_json(parse_exact_json(body).value(), data(), "", problems).has_value())
        << (problems.empty() ? "" : problems[0].pointer + " " + problems[0].detail);

    // The same report again (its source, place, date and value) is refused, not kept twice.
    const RateReport* survey = data().find_rate_report("market-usd-kpw-sinuiju-2023-02-05");
    ASSERT_NE(survey, nullptr);
    std::string again(sinuiju_rate);
    again.replace(again.find("2023-02-12"), 10, "2023-02-05");
    again.replace(again.find("8395"), 4, survey->value.to_string());
    const auto source_at = again.find("\"source\"");
    ASSERT_NE(source_at, std::string::npos);
    const auto value_from = again.find(':', source_at) + 1;
    const auto value_to = again.find_first_of(",}", again.find('"', again.find('"', value_from) + 1));
    again.replace(value_from, value_to - value_from, " \"" + survey->source + "\"");
    problems.clear();
    EXPECT_FALSE(rate_from_json(parse_exact_json(again).value(), data(), "", problems).has_value()) << again;
    ASSERT_EQ(problems.size(), 1u) << again;
    EXPECT_NE(problems[0].detail.find("the same report is already there"), std::string::npos) << problems[0].detail;
}

TEST(Records, EveryProblemOfARateIsListed) {
    std::vector<FieldProblem> problems;
    EXPECT_FALSE(rate_from_json(parse_exact_json(R"({"kind": "official", "base": "USD", "quote": "USD", "value": "0",
        "date": {"date": "2023-13-01", "precision": "day", "inferred": "no"}, "approximate": false,
        "source": "nowhere", "supersedes": "nothing"})").value(), data(), "/2", problems).has_value());
    std::set<std::string> pointers;
    for (const auto& p : problems) pointers.insert(p.pointer);
    for (const char* expected : {"/2/kind", "/2/quote", "/2/value", "/2/date/date", "/2/date/inferred", "/2/source",
                                 "/2/supersedes"}) {
        EXPECT_TRUE(pointers.count(expected)) << expected << " not reported";
    }

    problems.clear();
    EXPECT_FALSE(rate_from_json(parse_exact_json(R"({"kind": "reported", "base": "CNY", "quote": "USD", "value": "0.15",
        "date": {"date": "2023-04-09", "precision": "day", "inferred": false}, "approximate": false, "location": "Sinuiju",
        "source": "dailynk-2023-03-30-yalu-livestock-smuggling", "excerpt": "RMB 1 is USD 0.2"})").value(), data(), "",
                                problems).has_value());
    pointers.clear();
    for (const auto& p : problems) pointers.insert(p.pointer);
    // A reported rate has no city, and its sentence must stand in the article.
    EXPECT_EQ(pointers, (std::set<std::string>{"/location", "/excerpt"}));
}

TEST(Records, AQuoteMayCiteASourceTheSameWriteAdds) {
    std::string body(new_goat_price);
    const auto from = body.find("{\"id\": \"dailynk");
    body.replace(from, body.find('}', from) + 1 - from, "\"new-source-r2\"");
    body.replace(body.find("In China"), 9, "In Jilin,");  // no article text: nothing to be verbatim in
    std::vector<FieldProblem> problems;
    EXPECT_FALSE(quote_from_json(parse_exact_json(body).value(), data(), "", problems).has_value());
    Source added;
    added.id = "new-source-r2";
    problems.clear();
    EXPECT_TRUE(quote_from_json(parse_exact_json(body).value(), data(), "", problems, std::span(&added, 1)).has_value())
        << (problems.empty() ? "" : problems[0].pointer + " " + problems[0].detail);
}

}  // namespace
}  // namespace crossrate
