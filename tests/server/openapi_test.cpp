// The OpenAPI document and the route table describe the same API: a route the document
// lacks, or a documented path or parameter the server does not take, fails here; and the
// server's answers are what the document's schemas say, field for field.

#include "ledger/records_csv.hpp"
#include "pricing/rate_kind.hpp"
#include "server/app.hpp"
#include "server/openapi.hpp"
#include "server/route.hpp"

#include "pricing/dataset_loader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace crossrate::server {
namespace {

namespace json = boost::json;

const json::value& document_value() {
    static const json::value doc = json::parse(openapi_json());
    return doc;
}

const json::object& document() { return document_value().as_object(); }

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

TEST(OpenApi, IsOpenApi31) { EXPECT_EQ(document().at("openapi").as_string(), "3.1.0"); }

// The document's enums of rate kinds are the model's table of them: every kind where a rate
// is read, the kinds written as records where one is written.
TEST(OpenApi, RateKindEnumsAreTheModelsTableOfKinds) {
    std::vector<std::string> all, records;
    for (const RateKindInfo& k : rate_kinds) {
        all.emplace_back(k.name);
        if (k.records) records.emplace_back(k.name);
    }
    int seen = 0;
    const std::function<void(const json::value&, const std::string&)> walk = [&](const json::value& v, const std::string& at) {
        if (const auto* object = v.if_object()) {
            if (const auto* values = object->if_contains("enum"); values != nullptr && values->is_array()) {
                std::vector<std::string> names;
                bool kinds = false;
                for (const auto& e : values->as_array()) {
                    if (!e.is_string()) continue;
                    names.emplace_back(e.as_string());
                    kinds = kinds || parse_rate_kind(names.back()).has_value();
                }
                // "reported" is also a kind of input (a margin's basis, a Monte Carlo draw).
                const bool other = std::any_of(names.begin(), names.end(), [](const std::string& n) {
                    return !parse_rate_kind(n).has_value();
                });
                if (kinds && !other) {
                    ++seen;
                    EXPECT_TRUE(names == all || names == records) << at << " lists other kinds than the model's";
                }
            }
            for (const auto& [key, child] : *object) walk(child, at + "/" + std::string(key));
        } else if (const auto* array = v.if_array()) {
            for (std::size_t i = 0; i < array->size(); ++i) walk((*array)[i], at + "/" + std::to_string(i));
        }
    };
    walk(document_value(), "");
    EXPECT_GE(seen, 10);
}

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

// Statuses any request may meet, before or whatever its route: a bad parameter or target (400),
// another method (405), a body past --body-limit (413), a header past --header-limit (431), a
// fault (500), no room (503).
TEST(OpenApi, EveryOperationDeclaresWhatAnyRequestMayMeet) {
    for (const auto& [path, item] : document().at("paths").as_object()) {
        for (const auto& [method, op] : item.as_object()) {
            for (const char* status : {"400", "405", "413", "431", "500", "503"}) {
                EXPECT_TRUE(op.at("responses").as_object().contains(status)) << method << " " << path << " lacks " << status;
            }
        }
    }
}

// A JSON Schema check of the subset the document uses ($ref, type, enum, const, required,
// properties, additionalProperties, items, oneOf, allOf), stricter than JSON Schema in one way:
// a field the schema does not name is an error, so the document names every field it answers.
class SchemaCheck {
public:
    std::vector<std::string> errors;

    void check(const json::value& v, const json::object& schema, const std::string& at, bool strict = true) {
        const json::object& s = resolve(schema);
        if (const auto* type = s.if_contains("type"); type != nullptr && !has_type(v, *type)) {
            errors.push_back(at + ": " + json::serialize(v).substr(0, 80) + " is not " + json::serialize(*type));
            return;
        }
        if (const auto* c = s.if_contains("const"); c != nullptr && *c != v) errors.push_back(at + ": not " + json::serialize(*c));
        if (const auto* e = s.if_contains("enum")) {
            const auto& values = e->as_array();
            if (std::find(values.begin(), values.end(), v) == values.end()) errors.push_back(at + ": " + json::serialize(v) + " not in enum");
        }
        if (const auto* all = s.if_contains("allOf")) {
            for (const auto& b : all->as_array()) check(v, b.as_object(), at, false);
        }
        if (const auto* one = s.if_contains("oneOf")) {
            int matched = 0;
            for (const auto& b : one->as_array()) {
                SchemaCheck branch{doc_};
                branch.check(v, b.as_object(), at);
                matched += branch.errors.empty() ? 1 : 0;
            }
            if (matched != 1) errors.push_back(at + ": matches " + std::to_string(matched) + " of its oneOf branches");
        }
        if (v.is_object()) check_object(v.as_object(), s, at, strict);
        if (v.is_array()) {
            if (const auto* items = s.if_contains("items")) {
                for (std::size_t i = 0; i < v.as_array().size(); ++i) {
                    check(v.as_array()[i], items->as_object(), at + "/" + std::to_string(i));
                }
            }
        }
    }

    explicit SchemaCheck(const json::value& doc) : doc_(doc) {}

private:
    const json::value& doc_;

    const json::object& resolve(const json::object& s) const {
        const auto* ref = s.if_contains("$ref");
        if (ref == nullptr) return s;
        return resolve(doc_.at_pointer(std::string(ref->as_string()).substr(1)).as_object());
    }

    static bool has_type(const json::value& v, const json::value& type) {
        if (type.is_array()) {
            return std::any_of(type.as_array().begin(), type.as_array().end(), [&](const json::value& t) { return has_type(v, t); });
        }
        const auto& t = type.as_string();
        if (t == "null") return v.is_null();
        if (t == "boolean") return v.is_bool();
        if (t == "string") return v.is_string();
        if (t == "array") return v.is_array();
        if (t == "object") return v.is_object();
        if (t == "number") return v.is_number();
        if (t == "integer") return v.is_int64() || v.is_uint64() || (v.is_double() && v.as_double() == std::floor(v.as_double()));
        return false;
    }

    // The fields a schema names, with those of its allOf parts.
    void named(const json::object& schema, std::set<std::string>& names, bool& open) const {
        const json::object& s = resolve(schema);
        if (const auto* p = s.if_contains("properties")) {
            for (const auto& [k, _] : p->as_object()) names.emplace(k);
        }
        if (const auto* a = s.if_contains("additionalProperties"); a != nullptr && !(a->is_bool() && !a->as_bool())) open = true;
        if (const auto* all = s.if_contains("allOf")) {
            for (const auto& b : all->as_array()) named(b.as_object(), names, open);
        }
    }

    void check_object(const json::object& o, const json::object& s, const std::string& at, bool strict) {
        if (const auto* required = s.if_contains("required")) {
            for (const auto& r : required->as_array()) {
                if (!o.contains(r.as_string())) errors.push_back(at + ": lacks required " + std::string(r.as_string()));
            }
        }
        const auto* props = s.if_contains("properties");
        const auto* additional = s.if_contains("additionalProperties");
        std::set<std::string> names;
        bool open = false;
        named(s, names, open);
        if (strict && !s.contains("oneOf") && names.empty() && !open) errors.push_back(at + ": an object whose schema names no field");
        for (const auto& [key, value] : o) {
            const std::string here = at + "/" + std::string(key);
            if (props != nullptr && props->as_object().contains(key)) {
                check(value, props->as_object().at(key).as_object(), here);
            } else if (additional != nullptr && additional->is_object()) {
                check(value, additional->as_object(), here);
            } else if (additional != nullptr && additional->is_bool() && !additional->as_bool()) {
                errors.push_back(here + ": not allowed");
            } else if (strict && !s.contains("oneOf") && !open && !names.count(std::string(key))) {
                errors.push_back(here + ": not in the document");
            }
        }
    }
};

// The documented path a request's target falls under ("/v1/revisions/2" is "/v1/revisions/{number}").
std::string documented_path(std::string_view target) {
    const std::string path(target.substr(0, target.find('?')));
    for (const auto& [documented, _] : document().at("paths").as_object()) {
        std::string_view d = documented, p = path;
        bool same = true;
        while (same && (!d.empty() || !p.empty())) {
            const auto dn = d.find('/', 1), pn = p.find('/', 1);
            const auto ds = d.substr(0, dn), ps = p.substr(0, pn);
            same = ds == ps || (ds.size() > 2 && ds[1] == '{' && !ps.empty());
            d = dn == std::string_view::npos ? "" : d.substr(dn);
            p = pn == std::string_view::npos ? "" : p.substr(pn);
        }
        if (same) return std::string(documented);
    }
    return path;
}

struct Asked {
    http::verb method;
    std::string target;
    std::string body;
};

// Answers of every kind the model gives: found and not, a gap, a redenomination, a range, an
// override, a regime gap, aggregates, sweeps and draws, errors beside answers.
const std::vector<Asked> asked = {
    {http::verb::get, "/v1", ""},
    {http::verb::get, "/v1/currencies", ""},
    {http::verb::get, "/v1/rates?base=USD&symbols=CNY,KPW&date=2023-04-02&kind=market&location=Pyongyang", ""},
    {http::verb::get, "/v1/rates?base=USD&symbols=CNY,EUR,KPW", ""},
    {http::verb::get, "/v1/rates/series?quote=CNY&start=2023-01-31&end=2023-04-30&interval=month", ""},
    {http::verb::get, "/v1/rates/series?quote=CNY&start=2023-01-01&end=2023-03-31&interval=month&aggregate=mean", ""},
    {http::verb::get, "/v1/rates/series?quote=KPW&kind=market&location=Pyongyang&start=1990-01-01&end=2012-12-31&interval=year", ""},
    {http::verb::get, "/v1/rates/series?quote=KPW&kind=market&location=Pyongyang&start=1990-01-01&end=2012-12-31&interval=year&aggregate=max", ""},
    {http::verb::get, "/v1/rates/reports", ""},
    {http::verb::get, "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15", ""},
    {http::verb::get, "/v1/convert?amount=1&from=CNY&to=USD&date=2023-04-02&kind=reported", ""},
    {http::verb::get, "/v1/convert?amount=100000&from=KPW&to=CNY&date=2009-11-20&kind=market&policy=nearest&location=Sino-North%20Korean%20border", ""},
    {http::verb::get, "/v1/convert?amount=5&from=USD&to=USD", ""},
    {http::verb::get, "/v1/convert?amount=5&from=USD&to=EUR&policy=linear&date=2023-04-02", ""},
    {http::verb::get, "/v1/sources", ""},
    {http::verb::get, "/v1/items", ""},
    {http::verb::get, "/v1/quotes", ""},
    {http::verb::get, "/v1/quotes/series?item=blue_crab&currency=USD&unit=kg", ""},
    {http::verb::get, "/v1/quotes/series?item=rice&currency=KPW", ""},
    {http::verb::get, "/v1/regimes", ""},
    {http::verb::get, "/v1/assumptions", ""},
    {http::verb::get, "/v1/claims", ""},
    {http::verb::get, "/v1/margins?items=goat,sheep,rabbit,pollock&date=2023-04-02&currency=USD", ""},
    {http::verb::get, "/v1/margins?items=goat&date=2023-04-02&heads=20&bribe=100&buy=3&sell=9&transport=1&interdiction=0.5", ""},
    {http::verb::get, "/v1/margins?items=goat&date=2023-04-02&bribe_model=per_crossing", ""},
    {http::verb::get, "/v1/margins?items=crab&date=2017-08-15&currency=USD&bribe_item=seafood_police_bribe", ""},
    {http::verb::get, "/v1/margins?items=goat&date=2026-01-01", ""},
    {http::verb::get, "/v1/margins/series?item=goat&start=2022-01-01&end=2023-06-01&interval=month", ""},
    {http::verb::get, "/healthz", ""},
    {http::verb::get, "/openapi.json", ""},
    {http::verb::get, "/v1/convert?amount=1&from=CNY&to=USD&date=2023-02-30", ""},
    {http::verb::get, "/v1/quotes?item=unicorn", ""},
    {http::verb::post, "/v1/convert/batch",
     R"([{"amount": 5000, "from": "RMB", "to": "USD", "date": "2022-12-15"}, {"amount": 1, "from": "XYZ", "to": "USD"}])"},
    {http::verb::post, "/v1/scenarios",
     R"({"date": "2023-04-02", "items": ["goat", "pollock"], "assumptions": {"bribe": 10000},
         "sweep": [{"parameter": "heads", "values": [5, 10]}, {"parameter": "interdiction", "values": [0, 0.1]}],
         "monte_carlo": {"draws": 100, "parameters": {"bribe": {"distribution": "reported"}, "transport": {"distribution": "uniform", "low": 0, "high": 5}}}})"},
    {http::verb::post, "/v1/scenarios",
     R"([{"date": "2023-04-02", "items": ["goat"], "currency": "USD", "overrides": {"quotes": {"goat-origin-2023-03": 600}, "currency_value": {"CNY": 0.9}}},
         {"date": "2023-04-02", "items": ["rabbit"]}])"},
    {http::verb::post, "/v1/scenarios", R"({"date": "2023-04-02", "items": []})"},
};

TEST(OpenApi, AnswersAreWhatTheDocumentSaysFieldForField) {
    Metrics metrics{route_names()};
    Logger log{LogLevel::off};
    const App app({}, load_dataset(CROSSRATE_TEST_DATA_DIR).value(), metrics, log);
    for (const auto& a : asked) {
        Request req{a.method, a.target, 11};
        req.set(http::field::content_type, "application/json");
        req.body() = a.body;
        req.prepare_payload();
        const Response res = app.handle(req, "openapi-test").response;
        const auto status = std::to_string(res.result_int());
        const auto& op = document().at("paths").at(documented_path(a.target)).at(lower(http::to_string(a.method)));
        const auto* declared = op.at("responses").as_object().if_contains(status);
        ASSERT_NE(declared, nullptr) << a.target << " answered an undeclared " << status;
        const auto* ref = declared->as_object().if_contains("$ref");
        const auto& response = ref == nullptr ? *declared : document_value().at_pointer(std::string(ref->as_string()).substr(1));
        const auto type = std::string(res[http::field::content_type]).substr(0, std::string(res[http::field::content_type]).find(';'));
        const auto* content = response.at("content").as_object().if_contains(type);
        ASSERT_NE(content, nullptr) << a.target << ": " << status << " answered as " << type << ", undeclared";
        SchemaCheck schema{document_value()};
        schema.check(json::parse(res.body()), content->at("schema").as_object(), "");
        for (const auto& e : schema.errors) ADD_FAILURE() << a.target << " (" << status << ") " << e;
    }
}

}  // namespace
}  // namespace crossrate::server
