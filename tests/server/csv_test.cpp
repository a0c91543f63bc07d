// Every table the real server answers as CSV, read as a spreadsheet or a script reads it: by
// Python's csv module. The routes come from the server's own OpenAPI document (a route that
// answers CSV declares text/csv there, see openapi_test.cpp), so a new table is covered here
// as soon as it is served, and fails until it has an example below.

#include "tests/server/server_process.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace crossrate::test {
namespace {

namespace json = boost::json;
using Response = http::response<http::string_body>;

// Reads argv[1] with csv.reader (strict: a quoting error is an error) and argv[2] with json,
// every number kept as its text so decimals compare digit for digit.
constexpr std::string_view read_script = R"(import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, strict=True))
with open(sys.argv[2], encoding="utf-8") as f:
    answer = json.load(f, parse_float=str, parse_int=str)
json.dump({"rows": rows, "json": answer}, sys.stdout)
)";

// Rewrites the list in argv[1] as a writer sends it back (csv.writer, \r\n line ends): each
// id moved under supersedes ("correct") or cleared ("add").
constexpr std::string_view edit_script = R"(import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, strict=True))
header = rows[0]
out = csv.writer(sys.stdout)
out.writerow(header)
for row in rows[1:]:
    if sys.argv[2] == "correct":
        row[header.index("supersedes")] = row[0]
    row[0] = ""
    out.writerow(row)
)";

class TempFiles {
public:
    TempFiles() : dir_(std::filesystem::temp_directory_path() / ("crossrate-csv-" + std::to_string(std::random_device{}()))) {
        std::filesystem::create_directories(dir_);
    }
    ~TempFiles() { std::filesystem::remove_all(dir_); }
    std::string write(const std::string& name, std::string_view text) const {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }
    std::string read(const std::string& name) const {
        std::ifstream in(dir_ / name, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

private:
    std::filesystem::path dir_;
};

// Runs python3 with `script` and `args`; its standard output, or a failure with its errors.
std::optional<std::string> python(const TempFiles& files, std::string_view script, const std::vector<std::string>& args) {
    std::string command = "python3 " + files.write("script.py", script);
    for (const auto& a : args) command += " '" + a + "'";
    command += " > " + files.path("out") + " 2> " + files.path("err");
    if (std::system(command.c_str()) != 0) {
        ADD_FAILURE() << command << "\n" << files.read("err");
        return std::nullopt;
    }
    return files.read("out");
}

struct Read {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;  // by column
    json::value answer;                                   // the JSON answer, numbers as their text
};

// The CSV body as Python's csv module reads it, with the JSON answer beside it; checks what
// every table must hold: a header of unique names, and rows of its width.
std::optional<Read> read_with_python(const std::string& csv, const std::string& answer, const std::string& what) {
    TempFiles files;
    const auto out = python(files, read_script, {files.write("table.csv", csv), files.write("answer.json", answer)});
    if (!out) return std::nullopt;
    const auto parsed = json::parse(*out).as_object();
    const auto& rows = parsed.at("rows").as_array();
    if (rows.empty()) {
        ADD_FAILURE() << what << ": no header row";
        return std::nullopt;
    }
    Read read;
    for (const auto& name : rows[0].as_array()) read.header.emplace_back(name.as_string());
    EXPECT_EQ(std::set<std::string>(read.header.begin(), read.header.end()).size(), read.header.size())
        << what << ": a column named twice";
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& cells = rows[i].as_array();
        EXPECT_EQ(cells.size(), read.header.size()) << what << ": row " << i << " is not the header's width";
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < std::min(cells.size(), read.header.size()); ++c) row[read.header[c]] = cells[c].as_string();
        read.rows.push_back(std::move(row));
    }
    read.answer = parsed.at("json");
    return read;
}

// A JSON value as its CSV cell: text and numbers as written, true or false, and null or
// absent as an empty cell.
std::string cell_of(const json::value* v) {
    if (v == nullptr || v->is_null()) return "";
    if (v->is_bool()) return v->as_bool() ? "true" : "false";
    if (v->is_string()) return std::string(v->as_string());
    ADD_FAILURE() << "not a cell: " << json::serialize(*v);
    return "";
}

const json::value* at(const json::value& v, std::string_view pointer) {
    boost::system::error_code ec;
    const json::value* found = v.find_pointer(pointer, ec);
    return ec ? nullptr : found;
}

// How to ask a table route for an answer, and what its rows must say.
struct Example {
    std::string target;
    std::string list;  // the JSON pointer of the answer's rows; empty: the answer is one row
    std::vector<std::pair<std::string, std::string>> cells;  // a column and the JSON pointer in a row it holds
    std::size_t rows_per_item = 1;                           // CSV rows per JSON row (a scenario's measures)
    std::string body = {};                                   // a POST's
    // What the columns cannot say one to one.
    std::function<void(const json::value& item, const std::map<std::string, std::string>& row)> more = {};
};

std::string joined(const json::value* list, std::string_view separator) {
    std::string out;
    if (list == nullptr) return out;
    for (const auto& v : list->as_array()) out += (out.empty() ? "" : std::string(separator)) + cell_of(&v);
    return out;
}

constexpr std::string_view scenario = R"({"name": "A crackdown doubles bribes", "date": "2023-04-02", "currency": "CNY",
    "items": ["goat", "sheep", "rabbit"], "assumptions": {"bribe": "10000", "interdiction": "0.30"}})";

// By "METHOD path", as the OpenAPI document names the routes.
std::multimap<std::string, Example> examples() {
    std::multimap<std::string, Example> e;
    e.insert({"get /v1/convert",
              {"/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15", "",
               {{"amount", "/amount"}, {"result", "/result"}, {"rate", "/rate"}, {"rate_date", "/rate_date"},
                {"kind", "/kind"}}}});
    e.insert({"get /v1/rates",
              {"/v1/rates?base=USD&symbols=CNY,KPW,JPY&date=2023-04-03", "/rates",
               {{"quote", "/quote"}, {"rate", "/rate"}, {"rate_date", "/rate_date"}, {"age_days", "/age_days"},
                {"error", "/error/detail"}}}});
    e.insert({"get /v1/rates/series",
              {"/v1/rates/series?quote=CNY&start=2022-12-20&end=2023-01-10", "/points",
               {{"date", "/date"}, {"rate", "/rate"}, {"rate_date", "/rate_date"}, {"age_days", "/age_days"},
                {"error", "/gap"}}}});
    e.insert({"get /v1/rates/series",
              {"/v1/rates/series?base=USD&quote=KPW&kind=market&location=Sinuiju&start=2023-01-01&end=2023-12-31&interval=month&aggregate=mean",
               "/points",
               {{"date", "/date"}, {"end", "/end"}, {"rate", "/rate"}, {"count", "/count"},
                {"first_observed", "/first_observed"}, {"gap", "/gap"}}}});
    e.insert({"get /v1/rates/reports",
              {"/v1/rates/reports?limit=10000", "/reports",
               {{"id", "/id"}, {"kind", "/kind"}, {"base", "/base"}, {"quote", "/quote"}, {"value", "/value"},
                {"per", "/per"}, {"date", "/date/date"}, {"precision", "/date/precision"}, {"inferred", "/date/inferred"},
                {"date_note", "/date/note"}, {"approximate", "/approximate"}, {"qualifier", "/qualifier"},
                {"location", "/location"}, {"source", "/source/id"}, {"excerpt", "/excerpt"}, {"note", "/note"}}}});
    e.insert({"get /v1/sources",
              {"/v1/sources?limit=10000", "/sources",
               {{"id", "/id"}, {"kind", "/kind"}, {"publisher", "/publisher"}, {"title", "/title"}, {"label", "/label"},
                {"language", "/language"}, {"url", "/url"}, {"published_date", "/published/date"},
                {"published_inferred", "/published/inferred"}, {"published_english_date", "/published_english/date"},
                {"version", "/version"}, {"license", "/license"}}}});
    e.insert({"get /v1/quotes",
              {"/v1/quotes?limit=10000", "/quotes",
               {{"id", "/id"}, {"item", "/item"}, {"kind", "/kind"}, {"side", "/side"}, {"low", "/low"}, {"high", "/high"},
                {"approximate", "/approximate"}, {"qualifier", "/qualifier"}, {"tail", "/tail"}, {"currency", "/currency"},
                {"unit", "/unit"}, {"location", "/location"}, {"observed_date", "/observed/date"},
                {"observed_note", "/observed/note"}, {"source", "/source/id"}, {"note", "/note"}},
               1, "",
               [](const json::value& item, const std::map<std::string, std::string>& row) {
                   // A range's midpoint is left for the import to work out again.
                   const bool stated = cell_of(at(item, "/amount_basis")) == "stated";
                   EXPECT_EQ(row.at("amount"), stated ? cell_of(at(item, "/amount")) : "") << row.at("id");
                   EXPECT_EQ(row.at("excerpt"), joined(at(item, "/excerpts"), "\n")) << row.at("id");
               }}});
    e.insert({"get /v1/quotes/series",
              {"/v1/quotes/series?item=goat&currency=USD", "/points",
               {{"quote", "/quote"}, {"observed", "/observed/date"}, {"amount", "/amount"}, {"value", "/value"},
                {"low", "/low"}, {"rate", "/rate/value"}, {"rate_date", "/rate/rate_date"}, {"source", "/source"},
                {"gap", "/gap"}}}});
    e.insert({"get /v1/revisions",
              {"/v1/revisions", "/revisions",
               {{"number", "/number"}, {"created_at", "/created_at"}, {"author", "/author"}, {"note", "/note"},
                {"content_hash", "/content_hash"}}}});
    e.insert({"get /v1/currencies",
              {"/v1/currencies", "/currencies",
               {{"code", "/code"}, {"numeric", "/numeric"}, {"name", "/name"}, {"minor_units", "/minor_units"}},
               1, "",
               [](const json::value& item, const std::map<std::string, std::string>& row) {
                   EXPECT_EQ(row.at("aliases"), joined(at(item, "/aliases"), " ")) << row.at("code");
                   EXPECT_EQ(row.at("kinds"), joined(at(item, "/kinds"), " ")) << row.at("code");
               }}});
    e.insert({"get /v1/items",
              {"/v1/items", "/items",
               {{"id", "/id"}, {"name", "/name"}, {"category", "/category"}, {"direction", "/direction"},
                {"unit", "/unit"}, {"quotes", "/quotes"}}}});
    e.insert({"get /v1/assumptions",
              {"/v1/assumptions", "/assumptions",
               {{"id", "/id"}, {"value", "/value"}, {"unit", "/unit"}, {"description", "/description"},
                {"rationale", "/rationale"}, {"basis", "/basis"}}}});
    e.insert({"get /v1/margins",
              {"/v1/margins?items=goat,sheep,rabbit,chicken&date=2023-04-02", "/items",
               {{"item", "/item"}, {"buy", "/buy/value"}, {"sell", "/sell/value"}, {"gross", "/gross"},
                {"markup", "/markup"}, {"error", "/error/detail"}}}});
    e.insert({"get /v1/margins/series",
              {"/v1/margins/series?item=goat&start=2023-01-01&end=2023-06-01&interval=month", "/points",
               {{"date", "/date"}, {"buy", "/buy"}, {"sell", "/sell"}, {"gross", "/gross"}, {"markup", "/markup"},
                {"expected_net", "/expected_net"}, {"net_per_head", "/net_per_head"},
                {"quote_age_days", "/quote_age_days"}, {"rate_date", "/rate_date"}, {"regime", "/regime"},
                {"error", "/gap"}}}});
    // A row per margin measure (gross first), each with the scenario's id.
    e.insert({"post /v1/scenarios",
              {"/v1/scenarios", "/items",
               {{"item", "/item"}, {"scenario", "/scenario/gross"}, {"baseline", "/baseline/gross"},
                {"difference", "/difference/gross"}},
               4, std::string(scenario)}});
    return e;
}

// The routes whose documented 200 answer is text/csv, as "METHOD path", with the headers their
// text/csv examples document.
std::map<std::string, std::set<std::string>> csv_routes(Client& client) {
    const auto doc = json::parse(client.get("/openapi.json").body());
    std::map<std::string, std::set<std::string>> out;
    for (const auto& [path, item] : doc.at("paths").as_object()) {
        for (const auto& [method, op] : item.as_object()) {
            const auto* media = at(op, "/responses/200/content/text~1csv");
            if (media == nullptr) continue;
            auto& headers = out[std::string(method) + " " + std::string(path)];
            const auto first_line = [](const json::value& v) {
                const std::string text(v.as_string());
                return text.substr(0, text.find('\n'));
            };
            if (const auto* example = at(*media, "/example")) headers.insert(first_line(*example));
            if (const auto* many = at(*media, "/examples")) {
                for (const auto& [name, example] : many->as_object()) headers.insert(first_line(example.at("value")));
            }
        }
    }
    return out;
}

Response fetch(Client& client, const Example& e, std::string_view headers) {
    if (e.body.empty()) return client.get(e.target, headers);
    return client.post(e.target, e.body, headers);
}

std::string with_format_csv(const std::string& target) {
    return target + (target.find('?') == std::string::npos ? "?" : "&") + "format=csv";
}

const std::string writer = "Authorization: Bearer s3cret-token\r\n";

// A source whose text needs every kind of quoting, and a revision whose note does.
void write_a_source_that_needs_quoting(Client& client) {
    const auto res = client.post("/v1/sources", R"({"kind": "article", "publisher": "Test, \"Quoted\" Press",
        "title": "A title, with \"quotes\"", "label": "Says \"RMB 1,500\" a head,\nthen more", "language": "en",
        "url": "https://example.org/a?b=1,2", "published": {"date": "2024-05-02", "precision": "day", "inferred": false,
        "note": null}, "text": "excerpt only"})",
                                 writer + "X-Crossrate-Note: a note, with \"quotes\"\r\n");
    ASSERT_EQ(res.result_int(), 201) << res.body();
}

TEST(ServerCsv, EveryTableReadsBackWithPythonsCsvModuleAsItsJsonAnswers) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    write_a_source_that_needs_quoting(client);
    const auto routes = csv_routes(client);
    ASSERT_GE(routes.size(), 14u);
    const auto all = examples();
    for (const auto& [route, documented] : routes) {
        const auto [first, last] = all.equal_range(route);
        if (first == last) {
            ADD_FAILURE() << route << " answers CSV: give it an example in examples()";
            continue;
        }
        for (auto it = first; it != last; ++it) {
            const Example& e = it->second;
            SCOPED_TRACE(route + " " + e.target);
            const Response answer = fetch(client, e, "");
            ASSERT_EQ(answer.result_int(), 200) << answer.body();
            ASSERT_EQ(answer[http::field::content_type], "application/json");
            const Response csv = fetch(client, e, "Accept: text/csv\r\n");
            ASSERT_EQ(csv.result_int(), 200) << csv.body();
            EXPECT_EQ(csv[http::field::content_type], "text/csv; charset=utf-8");
            EXPECT_EQ(csv["X-Crossrate-Revision"], answer["X-Crossrate-Revision"]);
            EXPECT_EQ(csv[http::field::vary], "Accept");
            // A spreadsheet's "from web" sends no Accept: format=csv gives the same table.
            const Response by_format = e.body.empty() ? client.get(with_format_csv(e.target))
                                                      : client.post(with_format_csv(e.target), e.body);
            EXPECT_EQ(by_format[http::field::content_type], "text/csv; charset=utf-8");
            EXPECT_EQ(by_format.body(), csv.body());

            const auto read = read_with_python(csv.body(), answer.body(), route);
            ASSERT_TRUE(read.has_value());
            std::string header;
            for (const auto& name : read->header) header += (header.empty() ? "" : ",") + name;
            EXPECT_TRUE(documented.count(header)) << header << " is not a header the OpenAPI document gives";
            const json::value& doc = read->answer;
            const json::value* list = e.list.empty() ? &doc : at(doc, e.list);
            ASSERT_NE(list, nullptr) << e.list;
            const std::vector<json::value> items =
                e.list.empty() ? std::vector<json::value>{doc}
                               : std::vector<json::value>(list->as_array().begin(), list->as_array().end());
            ASSERT_FALSE(items.empty()) << "an example must answer rows";
            ASSERT_EQ(read->rows.size(), items.size() * e.rows_per_item);
            for (std::size_t i = 0; i < items.size(); ++i) {
                const auto& row = read->rows[i * e.rows_per_item];
                for (const auto& [column, pointer] : e.cells) {
                    ASSERT_TRUE(row.count(column)) << "no column " << column;
                    EXPECT_EQ(row.at(column), cell_of(at(items[i], pointer))) << "row " << i << ", " << column;
                }
                if (e.more) e.more(items[i], row);
            }
        }
    }
}

// The written source's text came through every kind of quoting, and the revision's note too.
TEST(ServerCsv, CommasQuotesAndLineBreaksSurvive) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    write_a_source_that_needs_quoting(client);
    const auto sources = client.get("/v1/sources?limit=10000&format=csv");
    const auto read = read_with_python(sources.body(), client.get("/v1/sources?limit=10000").body(), "sources");
    ASSERT_TRUE(read.has_value());
    const auto written = std::find_if(read->rows.begin(), read->rows.end(),
                                      [](const auto& row) { return row.at("publisher") == "Test, \"Quoted\" Press"; });
    ASSERT_NE(written, read->rows.end()) << sources.body();
    EXPECT_EQ(written->at("title"), "A title, with \"quotes\"");
    EXPECT_EQ(written->at("label"), "Says \"RMB 1,500\" a head,\nthen more");
    EXPECT_EQ(written->at("url"), "https://example.org/a?b=1,2");
    const auto revisions = read_with_python(client.get("/v1/revisions?format=csv").body(), "{}", "revisions");
    ASSERT_TRUE(revisions.has_value());
    ASSERT_EQ(revisions->rows.size(), 2u);
    EXPECT_EQ(revisions->rows[1].at("note"), "a note, with \"quotes\"");
}

// A list pages as CSV: the next page is in the Link header (format=csv kept), and the pages
// together are the whole list, in order.
TEST(ServerCsv, ListsPageThroughTheLinkHeader) {
    ServerProcess server;
    Client client(server.port());
    for (const std::string list : {"/v1/quotes", "/v1/rates/reports", "/v1/sources"}) {
        const auto whole = read_with_python(client.get(list + "?limit=10000&format=csv").body(), "{}", list);
        ASSERT_TRUE(whole.has_value());
        ASSERT_GT(whole->rows.size(), 14u) << list;
        std::vector<std::string> paged;
        std::string target = list + "?limit=7&format=csv";
        for (int pages = 0; !target.empty(); ++pages) {
            ASSERT_LT(pages, 1000) << list;
            const auto page = client.get(target);
            ASSERT_EQ(page.result_int(), 200) << page.body();
            const auto read = read_with_python(page.body(), "{}", target);
            ASSERT_TRUE(read.has_value());
            EXPECT_LE(read->rows.size(), 7u);
            for (const auto& row : read->rows) paged.push_back(row.at("id"));
            const std::string link(page[http::field::link]);
            target = link.empty() ? "" : link.substr(1, link.find('>') - 1);
            EXPECT_TRUE(target.empty() || target.find("format=csv") != std::string::npos) << link;
        }
        std::vector<std::string> ids;
        for (const auto& row : whole->rows) ids.push_back(row.at("id"));
        EXPECT_EQ(paged, ids) << list;
    }
}

Response post_csv(Client& client, std::string_view target, const std::string& body) {
    client.send("POST " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n" + writer +
                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    return client.read();
}

// What reads out as CSV is written back as CSV (a spreadsheet's \r\n line ends and all): as
// it is, it is refused (each row has an id); with the ids moved under supersedes it corrects
// every record, and what is served after is the same bar the ids.
TEST(ServerCsv, WhatReadsOutAsCsvIsWrittenBack) {
    ServerProcess server({"--tokens", "analyst:s3cret-token"});
    Client client(server.port());
    for (const auto& [list, write, rows, edit] :
         {std::tuple{std::string("/v1/quotes?item=goat"), "/v1/quotes", "/quotes", "correct"},
          std::tuple{std::string("/v1/rates/reports?location=Sinuiju"), "/v1/rates", "/reports", "correct"},
          std::tuple{std::string("/v1/sources?limit=3"), "/v1/sources", "/sources", "add"}}) {
        SCOPED_TRACE(list);
        const std::string before = client.get(with_format_csv(list)).body();
        const auto as_is = post_csv(client, write, before);
        EXPECT_EQ(as_is.result_int(), 400) << as_is.body();
        EXPECT_NE(as_is.body().find("\"pointer\":\"/2/id\""), std::string::npos) << as_is.body();
        TempFiles files;
        const auto edited = python(files, edit_script, {files.write("list.csv", before), edit});
        ASSERT_TRUE(edited.has_value());
        EXPECT_NE(edited->find("\r\n"), std::string::npos);
        const auto written = post_csv(client, write, *edited);
        ASSERT_EQ(written.result_int(), 201) << written.body();
        const auto write_answer = json::parse(written.body());
        const auto& ids = write_answer.at("ids").as_array();
        // What was read out, at the revision before the write; the corrections replace what they
        // correct, and added sources are the list's last.
        const std::string before_target = list + "&revision=" + std::to_string(write_answer.at("revision").as_int64() - 1);
        auto old = json::parse(client.get(before_target).body()).at_pointer(rows).as_array();
        const std::string after_target = std::string(edit) == "add" ? "/v1/sources?limit=10000" : list;
        auto after = json::parse(client.get(after_target).body()).at_pointer(rows).as_array();
        ASSERT_EQ(ids.size(), old.size());
        ASSERT_GE(after.size(), old.size());
        after.erase(after.begin(), after.end() - static_cast<std::ptrdiff_t>(old.size()));
        for (std::size_t i = 0; i < old.size(); ++i) {
            EXPECT_EQ(after[i].at("id"), ids[i]);
            // A source's "excerpt only" mark has no column in the import: it is not carried.
            const auto* text = after[i].as_object().if_contains("text");
            EXPECT_TRUE(text == nullptr || text->is_null()) << i;
            for (auto* record : {&after[i].as_object(), &old[i].as_object()}) {
                record->erase("id");
                record->erase("text");
            }
            EXPECT_EQ(after[i], old[i]) << i;
        }
    }
}

}  // namespace
}  // namespace crossrate::test
