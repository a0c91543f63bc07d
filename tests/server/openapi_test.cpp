// The OpenAPI document and the route table describe the same API: a route the document
// lacks, or a documented path or parameter the server does not take, fails here.

#include "ledger/records_csv.hpp"
#include "server/openapi.hpp"
#include "server/route.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace crossrate::server {
namespace {

namespace json = boost::json;

const json::object& document() {
    static const json::value doc = json::parse(openapi_json());
    return doc.as_object();
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

TEST(OpenApi, IsOpenApi31) { EXPECT_EQ(document().at("openapi").as_string(), "3.1.0"); }

TEST(OpenApi, DocumentsEveryRouteWithExactlyItsParameters) {
    const auto& paths = document().at("paths").as_object();
    for (const auto& route : routes()) {
        const auto* path = paths.if_contains(route.path);
        ASSERT_NE(path, nullptr) << route.path << " is served but not documented";
        const auto method = lower(http::to_string(route.method));
        const auto* op = path->as_object().if_contains(method);
        ASSERT_NE(op, nullptr) << method << " " << route.path << " is served but not documented";
        std::set<std::string> documented;
        for (const auto& listed : op->at("parameters").as_array()) {
            // A shared parameter is a reference into components/parameters.
            const auto* ref = listed.as_object().if_contains("$ref");
            const auto& p = ref == nullptr ? listed
                                           : document().at("components").at("parameters").at(
                                                 std::string(ref->as_string()).substr(std::string("#/components/parameters/").size()));
            if (p.at("in").as_string() == "path") {  // the route's "{name}" segment
                EXPECT_NE(route.path.find("{" + std::string(p.at("name").as_string()) + "}"), std::string::npos);
                continue;
            }
            EXPECT_EQ(p.at("in").as_string(), "query");
            documented.emplace(p.at("name").as_string());
        }
        std::set<std::string> served(route.params.begin(), route.params.end());
        if (route.pinnable()) served.insert("revision");  // every read and computation takes it
        if (answers_csv(route.name)) served.insert("format");  // and the tables, format=csv
        EXPECT_EQ(documented, served) << route.path;
        EXPECT_TRUE(op->as_object().contains("responses"));
    }
}

TEST(OpenApi, DocumentsNoRouteTheServerLacks) {
    for (const auto& [path, item] : document().at("paths").as_object()) {
        for (const auto& [method, op] : item.as_object()) {
            const bool served = std::any_of(routes().begin(), routes().end(), [&](const Route& r) {
                return r.path == std::string_view(path) && lower(http::to_string(r.method)) == std::string_view(method);
            });
            EXPECT_TRUE(served) << method << " " << path << " is documented but not served";
        }
    }
}

// The headers a route's text/csv answer documents (its example, or each of its examples).
std::vector<std::string> documented_csv_headers(const json::object& media) {
    std::vector<std::string> headers;
    const auto first_line = [](const json::value& v) {
        const std::string text(v.as_string());
        return text.substr(0, text.find('\n'));
    };
    if (const auto* example = media.if_contains("example")) headers.push_back(first_line(*example));
    if (const auto* examples = media.if_contains("examples")) {
        for (const auto& [name, example] : examples->as_object()) headers.push_back(first_line(example.at("value")));
    }
    return headers;
}

const json::object* csv_answer(const Route& route) {
    const auto& op = document().at("paths").at(route.path).at(lower(http::to_string(route.method))).as_object();
    const auto* ok = op.at("responses").as_object().if_contains("200");
    const auto* content = ok == nullptr ? nullptr : ok->as_object().if_contains("content");
    const auto* csv = content == nullptr ? nullptr : content->as_object().if_contains("text/csv");
    return csv == nullptr ? nullptr : &csv->as_object();
}

// A table route (answers_csv) declares its text/csv answer and the header it starts with;
// no other route declares one.
TEST(OpenApi, EveryTableRouteDocumentsItsCsvAndItsColumns) {
    for (const auto& route : routes()) {
        const json::object* csv = csv_answer(route);
        EXPECT_EQ(csv != nullptr, answers_csv(route.name)) << route.path;
        if (csv == nullptr) continue;
        const auto headers = documented_csv_headers(*csv);
        EXPECT_FALSE(headers.empty()) << route.path << ": document the CSV header as the text/csv example";
        for (const auto& header : headers) EXPECT_NE(header.find(','), std::string::npos) << route.path;
    }
}

// The lists read out in the import's columns, and the import as it is read.
TEST(OpenApi, TheRecordListsAndTheImportsDocumentTheImportsHeader) {
    using Kind = Ledger::Kind;
    for (const auto& [list, write, kind] : {std::tuple{"quotes", "/v1/quotes", Kind::quote},
                                           std::tuple{"rate_reports", "/v1/rates", Kind::rate},
                                           std::tuple{"sources", "/v1/sources", Kind::source}}) {
        const auto route = std::find_if(routes().begin(), routes().end(), [&](const Route& r) { return r.name == list; });
        ASSERT_NE(route, routes().end()) << list;
        ASSERT_NE(csv_answer(*route), nullptr) << list;
        EXPECT_EQ(documented_csv_headers(*csv_answer(*route)), std::vector<std::string>{"id," + csv_header(kind)}) << list;
        const auto& import = document().at("paths").at(write).at("post").at("requestBody").at("content").at("text/csv");
        const std::string description(import.at("schema").at("description").as_string());
        EXPECT_NE(description.find("the header " + csv_header(kind) + ","), std::string::npos) << write << ": " << description;
    }
}

TEST(OpenApi, EveryErrorCodeTheModelRaisesIsDocumented) {
    const auto& codes =
        document().at("components").at("schemas").at("Problem").at("properties").at("code").at("enum").as_array();
    std::set<std::string> documented;
    for (const auto& c : codes) documented.emplace(c.as_string());
    for (int e = 0; e <= static_cast<int>(Errc::method_not_allowed); ++e) {  // the last
        EXPECT_TRUE(documented.count(std::string(to_string(static_cast<Errc>(e))))) << to_string(static_cast<Errc>(e));
    }
}

}  // namespace
}  // namespace crossrate::server
