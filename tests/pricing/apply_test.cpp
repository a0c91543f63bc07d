// The versioned model: a revision applied to a snapshot makes the next one and leaves the one
// before as it was, and a past revision read from the latest snapshot is exactly what loading
// the log up to that revision gives.

#include "api/documents.hpp"
#include "api/json_writer.hpp"
#include "api/margin_document.hpp"
#include "pricing/apply.hpp"
#include "pricing/dataset_loader.hpp"
#include "pricing/margins.hpp"
#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

const Dataset& data() { return test::staged_dataset(); }

std::string goat(std::string_view amount, std::string_view date, std::string_view precision, std::string_view source) {
    return R"({"item": "goat", "kind": "price", "side": "origin", "amount": ")" + std::string(amount) +
           R"(", "low": null, "high": null, "approximate": false, "qualifier": null, "tail": null, "currency": "CNY",
           "unit": "head", "location": "Hyesan", "observed": {"date": ")" + std::string(date) + R"(", "precision": ")" +
           std::string(precision) + R"(", "inferred": false, "note": null}, "source": ")" + std::string(source) +
           R"(", "excerpts": ["In China, demand is high for North Korean livestock because they cost one-third of Chinese market prices."], "note": null})";
}

std::string market(std::string_view city, std::string_view value, std::string_view date) {
    return R"({"kind": "market", "base": "USD", "quote": "KPW", "value": ")" + std::string(value) +
           R"(", "date": {"date": ")" + std::string(date) + R"(", "precision": "day", "inferred": false, "note": null},
           "approximate": false, "location": ")" + std::string(city) + R"(", "source": "dailynk-2023-03-30-yalu-livestock-smuggling",
           "excerpt": null, "note": null})";
}

constexpr const char* seed = "dailynk-2023-03-30-yalu-livestock-smuggling";

// A log that adds, corrects, adds a source and a city, and corrects again.
std::vector<DataRecord> log() {
    return {
        {2, "quote", "goat-origin-2023-05-20-r2", goat("540", "2023-05-20", "day", seed), ""},
        {2, "rate", "market-usd-kpw-hyesan-2023-05-10-r2", market("Hyesan", "8300", "2023-05-10"), ""},
        {3, "quote", "goat-origin-2023-05-20-r3", goat("560", "2023-05-20", "day", seed), "goat-origin-2023-05-20-r2"},
        {4, "source", "rfa-2023-06-r4",
         R"({"kind": "article", "publisher": "RFA", "title": null, "label": "a later report", "language": "en",
             "url": null, "published": {"date": "2023-06", "precision": "month", "inferred": false, "note": null},
             "published_english": null, "version": null, "license": null})", ""},
        {4, "quote", "goat-origin-2023-06-r4", goat("600", "2023-06", "month", "rfa-2023-06-r4"), ""},
        {5, "rate", "market-usd-kpw-hyesan-2023-05-10-r5", market("Hyesan", "8350", "2023-05-10"),
         "market-usd-kpw-hyesan-2023-05-10-r2"},
        {6, "rate", "market-usd-kpw-testcity-2023-05-12-r6", market("Testcity", "8100", "2023-05-12"), ""},
        {7, "quote", "goat-origin-2023-06-r7", goat("610", "2023-06", "month", "rfa-2023-06-r4"), "goat-origin-2023-06-r4"},
    };
}

// Everything a read answers from the dataset, rendered.
std::string everything(const Dataset& d) {
    std::vector<const Quote*> quotes;
    for (const auto& q : d.quotes) quotes.push_back(&q);
    std::string out = api::quotes_document(quotes, d) + api::rate_reports_document(d.rate_reports_by_date(), d) +
                      api::sources_document(d) + api::items_document(d) + api::currencies_document(d);
    const Currency* cny = d.currencies.find(*CurrencyCode::from_text("CNY"));
    for (const char* date : {"2023-04-01", "2023-05-20", "2023-05-25", "2023-06-15", "2023-07-01"}) {
        MarginQuery q;
        q.item = "goat";
        q.date = *parse_date(date);
        q.currency = cny;
        q.quote_policy = LookupPolicy::nearest;
        const auto margin = compute_margin(d, q);
        if (margin) {
            api::JsonWriter w;
            api::write_margin(w, *margin, 2, d);
            out += w.take();
        } else {
            out += margin.error().what();
        }
        for (const char* city : {"", "Hyesan", "Testcity"}) {
            RateQuery rq;
            rq.kind = RateKind::market;
            if (*city) rq.location = city;
            rq.policy = LookupPolicy::nearest;
            rq.max_gap_days = 60;
            const auto rate = d.rates.lookup(*CurrencyCode::from_text("USD"), *CurrencyCode::from_text("KPW"), q.date, rq);
            if (rate) {
                api::JsonWriter w;
                w.begin_object();
                api::write_rate_answer(w, *rate, d);
                w.end_object();
                out += w.take();
            } else {
                out += rate.error().what();
            }
        }
    }
    return out;
}

TEST(Apply, APastRevisionReadsExactlyAsTheLogUpToItLoads) {
    const auto records = log();
    const auto latest = load_dataset(CROSSRATE_TEST_DATA_DIR, records).value();
    EXPECT_EQ(latest->latest, 7u);
    for (RevisionNumber n = 1; n <= 7; ++n) {
        std::vector<DataRecord> prefix;
        for (const auto& r : records) {
            if (static_cast<RevisionNumber>(r.revision) <= n) prefix.push_back(r);
        }
        const auto loaded = load_dataset(CROSSRATE_TEST_DATA_DIR, prefix).value();
        EXPECT_EQ(everything(latest->at(n)), everything(*loaded)) << "revision " << n;
    }
    // And the answers did change along the way: the filter is not a no-op.
    EXPECT_NE(everything(latest->at(1)), everything(latest->at(7)));
    EXPECT_NE(everything(latest->at(4)), everything(latest->at(5)));
}

TEST(Apply, TheSnapshotBeforeIsUntouchedAndSharesWhatWasNotChanged) {
    const auto before = load_dataset(CROSSRATE_TEST_DATA_DIR).value();
    const std::string then = everything(*before);
    Quote q = *before->find_quote("goat-origin-2023-03");
    q.id = "goat-origin-2023-03-r2";
    q.amount = Decimal(999);
    const auto after = apply(*before, 2, {Change{q, "goat-origin-2023-03"}}).value();
    EXPECT_EQ(everything(*before), then);
    EXPECT_EQ(before->find_quote("goat-origin-2023-03")->amount.to_string(), "500");
    EXPECT_EQ(after->find_quote("goat-origin-2023-03"), nullptr);
    EXPECT_EQ(after->find_quote("goat-origin-2023-03-r2")->amount.to_string(), "999");
    EXPECT_EQ(after->at(1).find_quote("goat-origin-2023-03")->amount.to_string(), "500");
    // The rate series no revision touched are the same objects in both.
    EXPECT_EQ(before->rates.series(), after->rates.series());
}

TEST(Apply, WhatBreaksTheModelIsRefusedAndNothingChanges) {
    const auto base = load_dataset(CROSSRATE_TEST_DATA_DIR).value();
    Quote q = *base->find_quote("goat-origin-2023-03");
    const auto twice = apply(*base, 2, {Change{q, ""}});
    ASSERT_FALSE(twice);
    EXPECT_NE(std::string(twice.error().what()).find("the id is used twice"), std::string::npos);
    q.id = "x-r2";
    const auto ghost = apply(*base, 2, {Change{q, "no-such-quote"}});
    ASSERT_FALSE(ghost);
    EXPECT_NE(std::string(ghost.error().what()).find("corrects no current quote"), std::string::npos);
    EXPECT_FALSE(apply(*base, 1, {}));             // not after the latest
    EXPECT_FALSE(apply(base->at(0), 2, {Change{q, ""}}));  // not the latest snapshot
    EXPECT_EQ(base->quotes.size(), data().quotes.size());
}

TEST(Apply, ATableCopySeesNeitherLaterRecordsNorLaterEdits) {
    Table<Quote> table;
    Fresh fresh;
    for (int i = 0; i < 600; ++i) {
        Quote q;
        q.id = "q" + std::to_string(i);
        table.append(q, fresh);
    }
    table.read_at(5);
    const Table<Quote> copy = table;
    Fresh next;
    table.edit(10, next).superseded = 3;
    table.append(Quote{}, next);
    EXPECT_EQ(copy.stored(), 600u);
    EXPECT_EQ(copy[10].superseded, 0u);
    EXPECT_EQ(table[10].superseded, 3u);
    EXPECT_EQ(table.size(), 600u);  // one hidden, one added
    EXPECT_EQ(copy.size(), 600u);
    EXPECT_EQ(&copy[300], &table[300]);  // untouched chunks are shared
}

}  // namespace
}  // namespace crossrate
