// fixtures/more-reports.csv (80 figures from 51 public pages, as received) and the fixtures
// held together: every row is a record with every flag it came with, or is set aside with its
// reason in fixtures/README.md; and every record citing those pages is a row.

#include "pricing/csv.hpp"
#include "pricing/figures.hpp"
#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }

std::string read(const std::string& name) {
    std::ifstream in(std::filesystem::path(CROSSRATE_TEST_DATA_DIR) / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

using Row = std::map<std::string, std::string>;

// The rows by line number (line 1 is the header).
std::map<int, Row> rows() {
    static const std::string text = read("more-reports.csv");
    CsvReader csv(text, "more-reports.csv");
    std::vector<std::string_view> header, f;
    EXPECT_TRUE(csv.read(header).value());
    std::map<int, Row> out;
    for (int line = 2; csv.read(f).value(); ++line) {
        Row r;
        for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) r[std::string(header[i])] = f[i];
        out[line] = std::move(r);
    }
    return out;
}

// Lines of more-reports.csv that fixtures/README.md sets aside: "| 59 | ... | why |".
std::map<int, std::string> set_aside() {
    const std::string readme = read("README.md");
    const auto section = readme.find("## Rows of more-reports.csv set aside");
    EXPECT_NE(section, std::string::npos);
    std::map<int, std::string> out;
    const std::regex line(R"(\n\| (\d+) \|[^\n]*\| ([^|\n]+) \|)");
    const std::string rest = readme.substr(section, readme.find("\n## ", section + 1) - section);
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), line); it != std::sregex_iterator(); ++it) {
        out[std::stoi((*it)[1])] = (*it)[2];
    }
    return out;
}

const Source* source_of(const std::string& id) { return data().find_source(id); }

bool same_date(const ReportedDate& d, const Row& r) {
    return d.text() == r.at("observed_date") && to_string(d.precision) == r.at("observed_precision") &&
           (d.inferred ? "true" : "false") == r.at("observed_inferred");
}

bool optional_is(const std::optional<Decimal>& d, const std::string& text) {
    return text.empty() ? !d.has_value() : d.has_value() && *d == Decimal::parse(text).value();
}

std::string quote_matching(const Row& r, const std::set<std::string>& taken) {
    for (const auto& q : data().quotes) {
        const Source* s = source_of(q.source);
        if (taken.count(q.id) || s == nullptr || s->url != r.at("url")) continue;
        if (std::find(q.excerpts.begin(), q.excerpts.end(), r.at("sentence")) == q.excerpts.end()) continue;
        const bool amount = r.at("amount").empty() ? q.midpoint : !q.midpoint && q.amount == Decimal::parse(r.at("amount")).value();
        const std::string side = q.side ? std::string(to_string(*q.side)) : "";
        if (q.kind == r.at("kind") && side == r.at("side") && amount && optional_is(q.low, r.at("low")) &&
            optional_is(q.high, r.at("high")) && q.currency.view() == r.at("currency") && q.unit == r.at("unit") &&
            q.qualifier == r.at("qualifier") && q.location == r.at("location") && same_date(q.observed, r)) {
            return q.id;
        }
    }
    return {};
}

std::string rate_matching(const Row& r, const std::set<std::string>& taken) {
    for (const auto& rate : data().rate_reports) {
        const Source* s = source_of(rate.source);
        if (taken.count(rate.id) || s == nullptr || s->url != r.at("url") || rate.excerpt != r.at("sentence")) continue;
        // "KPW / 100 CNY": the value is per one yuan, quoted per 100.
        const std::string per = rate.per == Decimal(1) ? "" : rate.per.to_string() + " ";
        if (rate.kind == RateKind::market && rate.quote.view() == r.at("currency") &&
            per + rate.base.str() == r.at("unit") && stated_figure(rate) == Decimal::parse(r.at("amount")).value() &&
            rate.qualifier == r.at("qualifier") && same_date(rate.date, r)) {
            return rate.id;
        }
    }
    return {};
}

TEST(MoreReports, EveryRowIsARecordWithItsFlagsOrIsSetAsideWithAReason) {
    const auto all = rows();
    ASSERT_EQ(all.size(), 80u);
    const auto aside = set_aside();
    std::set<std::string> taken;
    int records = 0;
    for (const auto& [line, r] : all) {
        const std::string id = r.at("kind") == "rate" ? rate_matching(r, taken) : quote_matching(r, taken);
        if (id.empty()) {
            EXPECT_TRUE(aside.count(line)) << "more-reports.csv:" << line << " (" << r.at("item") << ", " << r.at("amount")
                                           << r.at("low") << ") is neither a record nor set aside in fixtures/README.md";
            continue;
        }
        EXPECT_FALSE(aside.count(line)) << "more-reports.csv:" << line << " is a record and also set aside";
        taken.insert(id);
        ++records;
    }
    EXPECT_EQ(records + static_cast<int>(aside.size()), 80);
    // And nothing else cites those pages: no record was made up beside the rows.
    for (const auto& q : data().quotes) {
        if (source_of(q.source)->text) {
            EXPECT_TRUE(taken.count(q.id)) << q.id << " cites a page but is no row";
        }
    }
    for (const auto& rate : data().rate_reports) {
        if (source_of(rate.source)->text) {
            EXPECT_TRUE(taken.count(rate.id)) << rate.id << " cites a page but is no row";
        }
    }
}

TEST(MoreReports, OneSourceAPageWithItsPublisherAndOnlyTheDatesGiven) {
    std::map<std::string, Row> pages;
    for (const auto& [line, r] : rows()) pages.emplace(r.at("url"), r);
    int excerpt_only = 0;
    for (const auto& s : data().sources) {
        if (!s.text) continue;
        ++excerpt_only;
        EXPECT_EQ(*s.text, "excerpt only");
        EXPECT_FALSE(s.file.has_value());
        ASSERT_TRUE(s.url && pages.count(*s.url)) << s.id;
        const Row& r = pages.at(*s.url);
        EXPECT_EQ(s.publisher, r.at("publisher")) << s.id;
        if (r.at("published").empty()) {
            EXPECT_FALSE(s.published.has_value()) << s.id;
        } else {
            ASSERT_TRUE(s.published.has_value()) << s.id;
            EXPECT_EQ(s.published->text(), r.at("published"));
            EXPECT_FALSE(s.published->inferred);
        }
    }
    EXPECT_EQ(excerpt_only, 51);
    EXPECT_EQ(pages.size(), 51u);
}

// The loader checks each excerpt carries its figure; these are the ways the pages write them.
TEST(MoreReports, ASentenceStatesItsFigureHoweverThePageWritesIt) {
    const auto d = [](const char* t) { return Decimal::parse(t).value(); };
    EXPECT_TRUE(states_figure("pork is being sold at 17,550 KPW.", d("17550")));
    EXPECT_TRUE(states_figure("costs about $0.50 (3,500 North Korean Won)", d("0.5")));
    EXPECT_TRUE(states_figure("to 12 million won ($10,000) a person", d("12000000")));
    EXPECT_TRUE(states_figure("they're asking for 3.5m won per person", d("3500000")));
    EXPECT_TRUE(states_figure("a stiff penalty of 40-50,000 yuan for each bag", d("40000")));
    EXPECT_TRUE(states_figure("a stiff penalty of 40-50,000 yuan for each bag", d("50000")));
    EXPECT_TRUE(states_figure("Rason imposed a RMB10 fee", d("10")));
    EXPECT_FALSE(states_figure("a stiff penalty of 40-50,000 yuan", d("45000")));
    EXPECT_FALSE(states_figure("pork is being sold at 17,550 KPW.", d("1755")));
    EXPECT_FALSE(states_figure("about 3 months", d("3000000")));
    EXPECT_FALSE(states_figure("12 millimetres", d("12000000")));
    // A number whose scaled value no decimal holds states no figure (and is no fault).
    EXPECT_FALSE(states_figure("99999999999999999999999999999999999999 million", d("1")));
}

// A page held as excerpts cannot be checked against its text, so a sentence without the
// figure the record takes from it stops loading.
TEST(MoreReports, AnExcerptWithoutItsFigureStopsTheLoad) {
    const auto fixtures = std::filesystem::temp_directory_path() / ("crossrate-more-reports-" + std::to_string(::getpid()));
    std::filesystem::remove_all(fixtures);
    std::filesystem::copy(CROSSRATE_TEST_DATA_DIR, fixtures, std::filesystem::copy_options::recursive);
    std::string quotes = read("quotes.json");
    const std::string from = "\"amount\": \"17550\"";
    ASSERT_NE(quotes.find(from), std::string::npos);
    quotes.replace(quotes.find(from), from.size(), "\"amount\": \"17500\"");
    std::ofstream(fixtures / "quotes.json") << quotes;
    const auto loaded = load_dataset(fixtures);
    std::filesystem::remove_all(fixtures);
    ASSERT_FALSE(loaded);
    EXPECT_NE(std::string(loaded.error().what()).find("17500 is not stated in its excerpt from dailynk/14406"), std::string::npos)
        << loaded.error().what();
}

}  // namespace
}  // namespace crossrate
