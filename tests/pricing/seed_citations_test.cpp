// Every number of the seed articles is in the fixtures with the sentence it came from.

#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }

std::string article(const Source& s) {
    std::ifstream in(std::filesystem::path(CROSSRATE_TEST_DATA_DIR) / *s.file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every sentence a record of the dataset cites from `source`.
std::vector<std::string> excerpts_from(const std::string& source) {
    std::vector<std::string> out;
    for (const auto& q : data().quotes) {
        if (q.source == source) out.insert(out.end(), q.excerpts.begin(), q.excerpts.end());
    }
    for (const auto* s : data().rates.series()) {
        for (const auto& o : s->observations()) {
            if (s->info(o).source == source) out.push_back(s->info(o).excerpt);
        }
    }
    return out;
}

std::string with_thousands(const Decimal& d) {
    std::string digits = d.to_string();
    const auto point = digits.find('.');
    for (auto i = static_cast<long>(point == std::string::npos ? digits.size() : point) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), ",");
    }
    return digits;
}

TEST(SeedCitations, EveryMoneyFigureInTheArticlesIsCitedByARecord) {
    const std::regex money(R"((RMB|USD) [0-9][0-9,]*(\.[0-9]+)?)");
    int figures = 0;
    for (const auto& s : data().sources) {
        if (!s.file) continue;
        const std::string text = article(s);
        const auto cited = excerpts_from(s.id);
        for (auto it = std::sregex_iterator(text.begin(), text.end(), money); it != std::sregex_iterator(); ++it) {
            ++figures;
            const std::string figure = it->str();
            const bool found = std::any_of(cited.begin(), cited.end(),
                                           [&](const std::string& e) { return e.find(figure) != std::string::npos; });
            EXPECT_TRUE(found) << s.id << ": '" << figure << "' is in the article but no record cites it";
        }
    }
    EXPECT_EQ(figures, 10);  // RMB 500, 1,500, 800, 30, 2,000, 80, 1; USD 0.15; RMB 5,000; USD 718
}

TEST(SeedCitations, EachQuoteAmountStandsInItsOwnSentence) {
    ASSERT_FALSE(data().quotes.empty());
    for (const auto& q : data().quotes) {
        ASSERT_EQ(q.currency.view(), "CNY") << q.id;  // the seeds write yuan as RMB
        const std::string figure = "RMB " + with_thousands(q.amount);
        const bool found = std::any_of(q.excerpts.begin(), q.excerpts.end(),
                                       [&](const std::string& e) { return e.find(figure) != std::string::npos; });
        EXPECT_TRUE(found) << q.id << ": '" << figure << "' is not in its excerpts";
    }
}

TEST(SeedCitations, TheLivestockPricesAreTheReportedOnes) {
    std::map<std::string, std::string> seen;
    for (const auto& q : data().quotes) {
        if (q.kind == "price") seen[q.item + "/" + std::string(to_string(q.side))] = q.amount.to_string();
    }
    const std::map<std::string, std::string> reported = {
        {"goat/origin", "500"},  {"goat/destination", "1500"},  {"sheep/origin", "800"},
        {"sheep/destination", "2000"}, {"rabbit/origin", "30"}, {"rabbit/destination", "80"}};
    EXPECT_EQ(seen, reported);
}

// "can reportedly bribe their way out of trouble for RMB 5,000 ... sometimes take even less":
// the going price, hedged, with a lower tail and no stated bound on either side.
TEST(SeedCitations, TheBribeIsTheReportedGoingPriceWithALowerTailNotACeiling) {
    const auto it = std::find_if(data().quotes.begin(), data().quotes.end(),
                                 [](const Quote& q) { return q.kind == "bribe"; });
    ASSERT_NE(it, data().quotes.end());
    const std::string& article = data().articles.at(it->source);
    EXPECT_NE(article.find("can reportedly bribe their way out of trouble for RMB 5,000"), std::string::npos);
    EXPECT_NE(article.find("sometimes take even less"), std::string::npos);
    EXPECT_EQ(it->amount.to_string(), "5000");
    EXPECT_EQ(it->tail, QuoteTail::lower);
    EXPECT_NE(it->qualifier.find("reportedly"), std::string::npos);
    EXPECT_FALSE(it->low.has_value());   // the text gives no figure below
    EXPECT_FALSE(it->high.has_value());  // nor says 5,000 is a maximum
    const bool less = std::any_of(it->excerpts.begin(), it->excerpts.end(), [](const std::string& e) {
        return e.find("sometimes take even less") != std::string::npos;
    });
    EXPECT_TRUE(less);
}

TEST(SeedCitations, ReportedRatesFollowFromTheirSentences) {
    const RateSeries* s =
        data().rates.find(*CurrencyCode::from_text("CNY"), *CurrencyCode::from_text("USD"), RateKind::reported);
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->observations().size(), 2u);
    const auto& implied = s->observations()[0];
    EXPECT_EQ(format_date(implied.date), "2022-12-23");
    EXPECT_TRUE(s->info(implied).approximate);
    EXPECT_NE(s->info(implied).excerpt.find("RMB 5,000 (around USD 718)"), std::string::npos);
    EXPECT_EQ(implied.value, Decimal(718) / Decimal(5000));
    const auto& stated = s->observations()[1];
    EXPECT_EQ(format_date(stated.date), "2023-04-02");
    EXPECT_EQ(s->info(stated).excerpt, "As of Apr. 2, RMB 1 is equal to USD 0.15.");
    EXPECT_EQ(stated.value.to_string(), "0.15");
}

TEST(SeedCitations, TheOneThirdPriceRatioIsCitedForLivestock) {
    const Item* goat = data().find_item("goat");
    ASSERT_NE(goat, nullptr);
    const bool found = std::any_of(goat->mentions.begin(), goat->mentions.end(), [](const Citation& c) {
        return c.excerpt.find("cost one-third of Chinese market prices") != std::string::npos;
    });
    EXPECT_TRUE(found);
}

TEST(SeedCitations, MarketRatesKeepTheirSurveyCitations) {
    const auto kpw = *CurrencyCode::from_text("KPW");
    const RateSeries* s = data().rates.find(*CurrencyCode::from_text("USD"), kpw, RateKind::market, "Pyongyang");
    ASSERT_NE(s, nullptr);
    const auto hit = s->lookup(parse_date("2023-02-19").value(), LookupPolicy::exact, 0);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->value.to_string(), "8360");
    EXPECT_EQ(s->info(*hit->first).source,
              "dailynk-en/north-korean-foreign-exchange-rates-rise-amid-continued-hopes-restart-trade-march");
    // "day-inferred" survey dates stay marked as inferred.
    const auto inferred = s->lookup(parse_date("2022-01-24").value(), LookupPolicy::exact, 0);
    ASSERT_TRUE(inferred);
    EXPECT_TRUE(s->info(*inferred->first).inferred);
}

}  // namespace
}  // namespace crossrate
