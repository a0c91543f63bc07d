// Records as CSV both ways: a list read out (GET /v1/quotes, /v1/rates/reports, /v1/sources as
// CSV) is written in the import's columns, so every record reads back as the record it was.

#include "ledger/records_csv.hpp"

#include "api/csv_writer.hpp"
#include "pricing/csv.hpp"
#include "pricing/records.hpp"
#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace crossrate {
namespace {

namespace json = boost::json;
using Kind = Ledger::Kind;

const Dataset& data() { return test::staged_dataset(); }

template <class T>
std::vector<const T*> all_of(const Table<T>& table) {
    std::vector<const T*> out;
    for (const T& record : table) out.push_back(&record);
    return out;
}

// The rows of `text` as the import reads them, with their problems.
std::vector<json::object> read_back(Kind kind, const std::string& text, std::vector<FieldProblem>& problems) {
    std::vector<json::object> rows;
    csv_records(kind, text, problems)([&](const std::string&, const json::value& row) { rows.push_back(row.as_object()); });
    return rows;
}

std::string problems_text(const std::vector<FieldProblem>& problems) {
    std::string out;
    for (const auto& p : problems) out += p.pointer + ": " + p.detail + "\n";
    return out;
}

// Each record written as CSV, read back as the import reads it and checked by `parse` (the
// write's checks) as a correction of itself (a source, never corrected, less its id); `same`
// compares what was read with the record.
template <class T, class Parse, class Same>
void expect_read_back(Kind kind, const std::string& text, const std::vector<const T*>& records, Parse parse, Same same) {
    std::vector<FieldProblem> problems;
    const auto rows = read_back(kind, text, problems);
    ASSERT_TRUE(problems.empty()) << problems_text(problems);
    ASSERT_EQ(rows.size(), records.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const T& record = *records[i];
        json::object row = rows[i];
        EXPECT_EQ(row.at("id").as_string(), record.id);
        if (row.contains("supersedes")) row["supersedes"] = row.at("id");
        row.erase("id");
        const std::optional<T> read = parse(row, "/" + std::to_string(i), problems);
        ASSERT_TRUE(read.has_value()) << record.id << "\n" << problems_text(problems);
        same(*read, record);
    }
}

std::string text(const std::optional<Decimal>& d) { return d ? d->to_string() : "(none)"; }
std::string text(const std::optional<ReportedDate>& d) {
    if (!d) return "(none)";
    return d->text() + " " + std::string(to_string(d->precision)) + (d->inferred ? " inferred " : " stated ") + d->note;
}

TEST(RecordsCsv, ListsAreWrittenInTheImportsColumnsAfterAnId) {
    for (const auto kind : {Kind::quote, Kind::rate, Kind::source}) {
        const std::string header = "id," + csv_header(kind) + "\n";
        const std::string empty = kind == Kind::quote  ? quotes_csv({})
                                  : kind == Kind::rate ? rate_reports_csv({})
                                                       : sources_csv({});
        EXPECT_EQ(empty, header);
        EXPECT_EQ(csv_kind(header), kind) << header;
    }
}

TEST(RecordsCsv, ARowWithItsIdIsRefusedAsAJsonRecordWithOneIs) {
    const auto quotes = all_of(data().quotes);
    const std::string text = quotes_csv(std::span(quotes).first(1));
    std::vector<FieldProblem> problems;
    const auto rows = read_back(Kind::quote, text, problems);
    ASSERT_TRUE(problems.empty()) << problems_text(problems);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("id").as_string(), quotes[0]->id);
    EXPECT_FALSE(quote_from_json(rows[0], data(), "/2", problems).has_value());
    ASSERT_EQ(problems.size(), 1u) << problems_text(problems);
    EXPECT_EQ(problems[0].pointer, "/2/id");
    EXPECT_EQ(csv_column(Kind::quote, "id"), "id");
}

TEST(RecordsCsv, EveryQuoteReadsBackAsItWas) {
    const auto quotes = all_of(data().quotes);
    // The cases the columns must carry: a range's midpoint, and more than one sentence.
    ASSERT_TRUE(std::any_of(quotes.begin(), quotes.end(), [](const Quote* q) { return q->midpoint; }));
    ASSERT_TRUE(std::any_of(quotes.begin(), quotes.end(), [](const Quote* q) { return q->excerpts.size() > 1; }));
    const auto parse = [](const json::object& row, const std::string& pointer, std::vector<FieldProblem>& problems) {
        return quote_from_json(row, data(), pointer, problems);
    };
    expect_read_back(Kind::quote, quotes_csv(quotes), quotes, parse, [](const Quote& b, const Quote& a) {
        EXPECT_EQ(b.item, a.item) << a.id;
        EXPECT_EQ(b.kind, a.kind) << a.id;
        EXPECT_EQ(b.side, a.side) << a.id;
        EXPECT_EQ(b.amount.to_string(), a.amount.to_string()) << a.id;
        EXPECT_EQ(b.midpoint, a.midpoint) << a.id;
        EXPECT_EQ(text(b.low), text(a.low)) << a.id;
        EXPECT_EQ(text(b.high), text(a.high)) << a.id;
        EXPECT_EQ(b.approximate, a.approximate) << a.id;
        EXPECT_EQ(b.qualifier, a.qualifier) << a.id;
        EXPECT_EQ(b.tail, a.tail) << a.id;
        EXPECT_EQ(b.currency.view(), a.currency.view()) << a.id;
        EXPECT_EQ(b.unit, a.unit) << a.id;
        EXPECT_EQ(b.location, a.location) << a.id;
        EXPECT_EQ(text(b.observed), text(a.observed)) << a.id;
        EXPECT_EQ(b.source, a.source) << a.id;
        EXPECT_EQ(b.excerpts, a.excerpts) << a.id;
        EXPECT_EQ(b.note, a.note) << a.id;
    });
}

TEST(RecordsCsv, EveryRateReportReadsBackAsItWas) {
    std::vector<const RateReport*> reports;
    for (std::size_t i = 0; i < data().rate_reports.stored(); ++i) {
        if (data().rate_reports.visible(i)) reports.push_back(&data().rate_reports[i]);
    }
    ASSERT_FALSE(reports.empty());
    const auto parse = [](const json::object& row, const std::string& pointer, std::vector<FieldProblem>& problems) {
        return rate_from_json(row, data(), pointer, problems);
    };
    expect_read_back(Kind::rate, rate_reports_csv(reports), reports, parse, [](const RateReport& b, const RateReport& a) {
        EXPECT_EQ(b.kind, a.kind) << a.id;
        EXPECT_EQ(b.base.view(), a.base.view()) << a.id;
        EXPECT_EQ(b.quote.view(), a.quote.view()) << a.id;
        EXPECT_EQ(b.value.to_string(), a.value.to_string()) << a.id;
        EXPECT_EQ(b.per.to_string(), a.per.to_string()) << a.id;
        EXPECT_EQ(text(b.date), text(a.date)) << a.id;
        EXPECT_EQ(b.approximate, a.approximate) << a.id;
        EXPECT_EQ(b.qualifier, a.qualifier) << a.id;
        EXPECT_EQ(b.location, a.location) << a.id;
        EXPECT_EQ(b.source, a.source) << a.id;
        EXPECT_EQ(b.excerpt, a.excerpt) << a.id;
        EXPECT_EQ(b.note, a.note) << a.id;
    });
}

// A source's `text` mark ("excerpt only": the page is held as excerpts) reads back too.
TEST(RecordsCsv, EverySourceReadsBackAsItWas) {
    const auto sources = all_of(data().sources);
    const auto parse = [](const json::object& row, const std::string& pointer, std::vector<FieldProblem>& problems) {
        return source_from_json(row, data(), pointer, problems);
    };
    expect_read_back(Kind::source, sources_csv(sources), sources, parse, [](const Source& b, const Source& a) {
        EXPECT_EQ(b.kind, a.kind) << a.id;
        EXPECT_EQ(b.publisher, a.publisher) << a.id;
        EXPECT_EQ(b.title, a.title) << a.id;
        EXPECT_EQ(b.label, a.label) << a.id;
        EXPECT_EQ(b.language, a.language) << a.id;
        EXPECT_EQ(b.url, a.url) << a.id;
        EXPECT_EQ(text(b.published), text(a.published)) << a.id;
        EXPECT_EQ(text(b.published_english), text(a.published_english)) << a.id;
        EXPECT_EQ(b.version, a.version) << a.id;
        EXPECT_EQ(b.license, a.license) << a.id;
        EXPECT_EQ(b.text, a.text) << a.id;
    });
}

// A list column holds one entry a line; a spreadsheet may end its lines with \r\n.
TEST(RecordsCsv, AnExcerptCellHoldsOneSentenceALine) {
    const auto quotes = all_of(data().quotes);
    const std::string written = quotes_csv(std::span(quotes).first(1));
    // The row as written, its id cleared (a new record) and three sentences in its excerpt.
    CsvReader reader(written, "test");
    std::vector<std::string_view> header, row;
    ASSERT_TRUE(reader.read(header).value());
    ASSERT_TRUE(reader.read(row).value());
    std::vector<std::string> header_cells(header.begin(), header.end());
    std::vector<std::string> cells(row.begin(), row.end());
    const auto excerpt = std::find(header_cells.begin(), header_cells.end(), "excerpt");
    ASSERT_NE(excerpt, header_cells.end());
    cells[0].clear();
    cells[static_cast<std::size_t>(excerpt - header_cells.begin())] = "one\r\ntwo\n\nthree";
    api::CsvWriter csv;
    csv.row(header_cells);
    csv.row(cells);
    std::vector<FieldProblem> problems;
    const auto rows = read_back(Kind::quote, csv.take(), problems);
    ASSERT_TRUE(problems.empty()) << problems_text(problems);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_FALSE(rows[0].contains("id"));
    const auto& excerpts = rows[0].at("excerpts").as_array();
    ASSERT_EQ(excerpts.size(), 3u);
    EXPECT_EQ(excerpts[0].as_string(), "one");
    EXPECT_EQ(excerpts[1].as_string(), "two");
    EXPECT_EQ(excerpts[2].as_string(), "three");
}

}  // namespace
}  // namespace crossrate
