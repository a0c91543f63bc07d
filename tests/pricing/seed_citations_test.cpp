// Every number of the seed articles is in the fixtures with the sentence it came from.

#include "pricing/margins.hpp"
#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <cctype>

#include <fstream>
#include <regex>
#include <sstream>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }

// Whether a record cites one of the seed articles (held whole), not a page held as excerpts.
bool from_seed(const std::string& source) {
    const Source* s = data().find_source(source);
    return s != nullptr && s->file.has_value();
}

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
        if (!from_seed(q.source)) continue;
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
        if (q.kind == "price" && from_seed(q.source)) seen[q.item + "/" + std::string(to_string(*q.side))] = q.amount.to_string();
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
    // Two decimal places in the text: a rounded figure, and kept as one.
    EXPECT_TRUE(s->info(stated).approximate);
}

// "they cost one-third of Chinese market prices" is held as a claim with its sentence, and set
// beside the article's own prices: the goat's agree (500 / 1,500), the sheep's (2/5) and the
// rabbit's (3/8) do not, and chickens have no price.
TEST(SeedCitations, TheOneThirdClaimIsHeldAndTheQuotedPricesAgreeOnlyForGoats) {
    ASSERT_EQ(data().claims.size(), 1u);
    const Claim& claim = data().claims[0];
    EXPECT_NE(data().articles.at(claim.source).find(claim.excerpt), std::string::npos);
    EXPECT_NE(claim.excerpt.find("one-third of Chinese market prices"), std::string::npos);
    EXPECT_EQ(claim.ratio, Decimal(1) / Decimal(3));
    EXPECT_TRUE(claim.approximate);
    std::map<std::string, std::pair<std::string, bool>> seen;
    for (const auto& i : check_claim(data(), claim)) {
        seen[i.item] = {i.quoted_ratio ? i.quoted_ratio->round(3).to_string() : "none", i.agrees};
    }
    EXPECT_EQ(seen["goat"], std::make_pair(std::string("0.333"), true));
    EXPECT_EQ(seen["sheep"], std::make_pair(std::string("0.400"), false));
    EXPECT_EQ(seen["rabbit"], std::make_pair(std::string("0.375"), false));
    EXPECT_EQ(seen["chicken"], std::make_pair(std::string("none"), false));
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

// Each item cites sentences that name it (sheep its own sentence, not the goat's), and every
// cited sentence is one sentence: none runs on across a paragraph of the article.
TEST(SeedCitations, EachItemsMentionsNameItAndNoExcerptCrossesAParagraph) {
    const auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    for (const auto& item : data().items) {
        std::string name = item.id;
        std::replace(name.begin(), name.end(), '_', ' ');
        // The bribe is named "bribe", or is the "money" soldiers take.
        const std::vector<std::string> names = item.id == "border_guard_bribe" ? std::vector<std::string>{"brib", "money"}
                                                                               : std::vector<std::string>{name};
        ASSERT_FALSE(item.mentions.empty()) << item.id;
        for (const auto& m : item.mentions) {
            if (!from_seed(m.source)) continue;  // the other reports' items: more_reports_test.cpp
            const std::string text = lower(m.excerpt);
            EXPECT_TRUE(std::any_of(names.begin(), names.end(), [&](const std::string& n) { return text.find(n) != std::string::npos; }))
                << item.id << " cites: " << m.excerpt;
            EXPECT_EQ(m.excerpt.find('\n'), std::string::npos) << item.id << " cites more than a sentence";
        }
    }
    for (const auto& q : data().quotes) {
        for (const auto& e : q.excerpts) EXPECT_EQ(e.find('\n'), std::string::npos) << q.id;
    }
    for (const auto& g : data().regimes) {
        for (const auto* list : {&g.evidence, &g.contrary}) {
            for (const auto& c : *list) EXPECT_EQ(c.excerpt.find('\n'), std::string::npos) << g.id << ": " << c.excerpt;
        }
    }
}

// The seed articles are cited with their pages, and their labels say only what they say: the
// livestock article claims "one-third of Chinese market prices", not a markup of three.
TEST(SeedCitations, EachArticleHasItsPageAndALabelTheTextBearsOut) {
    for (const auto& s : data().sources) {
        if (!s.file) continue;
        ASSERT_TRUE(s.url.has_value()) << s.id;
        EXPECT_TRUE(s.url->starts_with("https://www.dailynk.com/english/")) << *s.url;
        ASSERT_TRUE(s.published.has_value());
        EXPECT_NE(s.published->note.find("the English text states no date"), std::string::npos) << s.id;
    }
    const Source* livestock = data().find_source("dailynk-2023-03-30-yalu-livestock-smuggling");
    ASSERT_NE(livestock, nullptr);
    EXPECT_EQ(livestock->label.find("3x"), std::string::npos);
    EXPECT_NE(livestock->label.find("one-third"), std::string::npos);
    EXPECT_NE(data().articles.at(livestock->id).find("one-third of Chinese market prices"), std::string::npos);
    const Source* surveillance = data().find_source("dailynk-2023-12-08-china-border-surveillance");
    EXPECT_NE(surveillance->label.find("plans to install"), std::string::npos);
    EXPECT_NE(data().articles.at(surveillance->id).find("plans to install additional CCTVs"), std::string::npos);
}

}  // namespace
}  // namespace crossrate
