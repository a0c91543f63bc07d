// GET /v1/convert and POST /v1/convert/batch.

#include "api/documents.hpp"
#include "pricing/exact_json.hpp"
#include "api/requests.hpp"
#include "server/handlers/handlers.hpp"

#include <boost/json/value.hpp>

namespace crossrate::server::handlers {
namespace json = boost::json;

Reply convert(const Call& call) {
    const auto request = api::parse_convert_request(call.query.params(), call.data).value();
    const auto result = crossrate::convert(call.data.rates, request.amount, *request.from, *request.to, request.date,
                                           request.query, request.places)
                            .value();
    if (call.csv) return {http::status::ok, api::conversion_csv(result), "text/csv; charset=utf-8", freshness_of(request.date)};
    return {http::status::ok, api::conversion_document(result, call.data), "application/json",
            freshness_of(request.date)};
}

namespace {

// One conversion of a batch: a flat object whose values are strings or numbers, read by the
// same parser as the query string of GET /v1/convert.
Result<Conversion> convert_one(const json::value& item, const Dataset& data) {
    static constexpr std::string_view allowed[] = {"amount", "from", "to", "date", "kind", "policy", "max_gap",
                                                   "location", "places"};
    if (!item.is_object()) return Error(Errc::invalid_parameter, "expected an object of conversion parameters");
    for (const auto& [key, value] : item.as_object()) {
        if (std::find(std::begin(allowed), std::end(allowed), std::string_view(key)) == std::end(allowed)) {
            return Error(Errc::invalid_parameter, "unknown parameter '" + std::string(key) + "'", std::string(key));
        }
        if (!value.is_string()) {  // numbers arrive as their exact text
            return Error(Errc::invalid_parameter, "'" + std::string(key) + "' must be a string or a number",
                         std::string(key));
        }
    }
    const auto& object = item.as_object();
    const auto params = [&object](std::string_view name) -> std::optional<std::string_view> {
        const json::value* v = object.if_contains(name);
        if (v == nullptr) return std::nullopt;
        return std::string_view(v->as_string());
    };
    auto request = api::parse_convert_request(params, data);
    if (!request) return request.error();
    return crossrate::convert(data.rates, request->amount, *request->from, *request->to, request->date,
                              request->query, request->places);
}

}  // namespace

Reply convert_batch(const Call& call) {
    const auto type = call.request[http::field::content_type];
    if (!type.starts_with("application/json")) {
        throw Error(Errc::unsupported_media_type, "the body must be application/json: an array of conversions",
                    "Content-Type");
    }
    const json::value body = parse_exact_json(call.request.body()).value();
    if (!body.is_array()) throw Error(Errc::invalid_parameter, "the body must be a JSON array of conversions", "body");
    const auto& items = body.as_array();
    if (items.size() > call.config.max_batch) {
        throw Error(Errc::too_large,
                    "a batch holds at most " + std::to_string(call.config.max_batch) + " conversions, not " +
                        std::to_string(items.size()),
                    "body");
    }
    api::JsonWriter w;
    w.begin_object().key("results").begin_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        call.cancel.check();
        if (w.str().size() > call.config.max_answer_bytes) {
            throw answer_too_large("would be over " + std::to_string(w.str().size()) + " bytes", call.config,
                                   "send fewer conversions");
        }
        const auto result = convert_one(items[i], call.data);
        if (result) {
            w.raw(api::conversion_document(*result, call.data));
        } else {
            w.begin_object().field("index", static_cast<std::int64_t>(i));
            w.key("error").raw(api::error_document(result.error())).end_object();
        }
    }
    w.end_array().end_object();
    return {http::status::ok, w.take(), "application/json", Freshness::operational};
}

}  // namespace crossrate::server::handlers
