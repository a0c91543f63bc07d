// The OpenAPI document and the route table describe the same API: a route the document
// lacks, or a documented path or parameter the server does not take, fails here.

#include "server/openapi.hpp"
#include "server/route.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <set>

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
