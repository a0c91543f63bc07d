// GET /v1/convert and POST /v1/convert/batch.

#include "api/documents.hpp"
#include "pricing/exact_json.hpp"
#include "api/requests.hpp"
#include "server/handlers/handlers.hpp"
#include "server/memo.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <optional>

namespace crossrate::server::handlers {
namespace json = boost::json;

namespace {

// What a conversion's frame depends on: the pair, the date (as a day number), the query and
// the rounding (the location last, as it may hold any character). Made in `buffer` when it
// fits, as most keys do, so a frame found costs no allocation.
std::string_view frame_key(const api::ConvertRequest& r, int places, std::array<char, 64>& buffer, std::string& longer) {
    std::size_t size = 0;
    bool fits = true;
    const auto put = [&](std::string_view s) {
        fits = fits && size + s.size() <= buffer.size();
        if (fits) size = static_cast<std::size_t>(std::copy(s.begin(), s.end(), buffer.begin() + size) - buffer.begin());
    };
    const auto number = [&](std::optional<long long> n) {
        char digits[24];
        if (n) put(std::string_view(digits, static_cast<std::size_t>(std::to_chars(digits, std::end(digits), *n).ptr - digits)));
        put("|");
    };
    put(r.from->code.view());
    put(r.to->code.view());
    put("|");
    number(r.date ? std::optional<long long>(r.date->time_since_epoch().count()) : std::nullopt);
    number(static_cast<int>(r.query.kind));
    number(static_cast<int>(r.query.policy));
    number(r.query.max_gap_days);
    number(places);  // at most 43 bytes so far (six letters, four numbers, a day): it fits
    const std::string_view fixed(buffer.data(), size);
    if (!r.query.location) return fixed;
    put("@");
    put(*r.query.location);
    if (fits) return {buffer.data(), size};
    longer.assign(fixed).append("@").append(*r.query.location);
    return longer;
}

}  // namespace

// The rate, its legs and their provenance are the same for every amount converted at one
// pair, date, query and rounding: rendered once per revision, the amount's part on each request.
Result<Reply> convert(const Call& call) {
    const auto parsed = api::parse_convert_request(call.query.params(), call.data);
    if (!parsed) return parsed.error();
    const auto& request = *parsed;
    const Freshness freshness = freshness_of(request.date);
    const auto convert_here = [&] {
        return crossrate::convert(call.data.rates, request.amount, *request.from, *request.to, request.date, request.query,
                                  request.places);
    };
    if (call.csv) {
        const auto conversion = convert_here();
        if (!conversion) return conversion.error();
        return Reply{http::status::ok, api::conversion_csv(*conversion), "text/csv; charset=utf-8", freshness};
    }
    const int places = request.places.value_or(request.to->minor_units);
    std::array<char, 64> buffer;
    std::string longer;
    const std::string_view key = call.conversion_frames != nullptr ? frame_key(request, places, buffer, longer) : std::string_view();
    auto frame = call.conversion_frames != nullptr ? call.conversion_frames->find(key) : nullptr;
    if (frame == nullptr) {
        const auto conversion = convert_here();
        if (!conversion) return conversion.error();
        frame = std::make_shared<const api::ConversionFrame>(
            api::conversion_frame(request.from->code, request.to->code, places, api::rate_fragment(conversion->rate, call.data)));
        if (call.conversion_frames != nullptr) call.conversion_frames->keep(std::string(key), frame);
    }
    const auto result = converted_amount(request.amount, frame->rate, places);
    if (!result) return result.error();
    Reply reply{http::status::ok, api::conversion_document(request.amount, *result, *frame), "application/json", freshness};
    if (call.wants_variation) {
        // Any amount at this rate: its answer, or none for an amount refused (which is then
        // answered, and refused, the usual way). Its freshness is said again: it depends on
        // the day the answer is made.
        reply.variation = std::make_shared<const Variation>([frame, places, date = request.date](std::string_view text) {
            std::optional<Reply> varied;
            const auto amount = api::parse_amount(text, "amount");
            if (!amount) return varied;
            const auto converted = converted_amount(*amount, frame->rate, places);
            if (!converted) return varied;
            varied.emplace(http::status::ok, api::conversion_document(*amount, *converted, *frame), "application/json",
                           freshness_of(date));
            return varied;
        });
    }
    return reply;
}

namespace {

// One conversion of a batch: a flat object whose values are strings or numbers, read by the
// same parser as the query string of GET /v1/convert. Its problems are all listed, not only the
// first.
struct BatchEntry {
    std::optional<Conversion> conversion;
    std::vector<Error> problems;
};

BatchEntry convert_one(const json::value& item, const Dataset& data) {
    static constexpr std::string_view allowed[] = {"amount", "from", "to", "date", "kind", "policy", "max_gap",
                                                   "location", "places"};
    if (!item.is_object()) return {std::nullopt, {Error(Errc::invalid_parameter, "expected an object of conversion parameters")}};
    BatchEntry entry;
    for (const auto& [key, value] : item.as_object()) {
        if (std::find(std::begin(allowed), std::end(allowed), std::string_view(key)) == std::end(allowed)) {
            entry.problems.emplace_back(Errc::invalid_parameter, "unknown parameter '" + std::string(key) + "'", std::string(key));
        } else if (!value.is_string()) {  // numbers arrive as their exact text
            entry.problems.emplace_back(Errc::invalid_parameter, "'" + std::string(key) + "' must be a string or a number",
                                        std::string(key));
        }
    }
    const auto& object = item.as_object();
    const auto params = [&object](std::string_view name) -> std::optional<std::string_view> {
        const json::value* v = object.if_contains(name);
        if (v == nullptr || !v->is_string()) return std::nullopt;
        return std::string_view(v->as_string());
    };
    auto request = api::parse_convert_request(params, data);
    if (!request || !entry.problems.empty()) {
        const auto more = api::convert_request_problems(params, data);
        entry.problems.insert(entry.problems.end(), more.begin(), more.end());
        return entry;
    }
    auto conversion = crossrate::convert(data.rates, request->amount, *request->from, *request->to, request->date,
                                         request->query, request->places);
    if (!conversion) return {std::nullopt, {conversion.error()}};
    entry.conversion = std::move(*conversion);
    return entry;
}

}  // namespace

Result<Reply> convert_batch(const Call& call) {
    const auto type = call.request[http::field::content_type];
    if (!type.starts_with("application/json")) {
        return Error(Errc::unsupported_media_type, "the body must be application/json: an array of conversions",
                     "Content-Type");
    }
    const auto body = parse_exact_json(call.request.body());
    if (!body) return body.error();
    if (!body->is_array()) return Error(Errc::invalid_parameter, "the body must be a JSON array of conversions", "body");
    const auto& items = body->as_array();
    if (items.size() > call.config.max_batch) {
        return Error(Errc::too_large,
                     "a batch holds at most " + std::to_string(call.config.max_batch) + " conversions, not " +
                         std::to_string(items.size()),
                     "body");
    }
    api::JsonWriter w;
    w.begin_object().key("results").begin_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        call.cancel.check();
        if (w.str().size() > call.config.max_answer_bytes) {
            return answer_too_large("would be over " + std::to_string(w.str().size()) + " bytes", call.config,
                                    "send fewer conversions");
        }
        const auto entry = convert_one(items[i], call.data);
        if (entry.conversion) {
            w.raw(api::conversion_document(*entry.conversion, call.data));
        } else {
            // "error" is the first problem (as before); "errors" all of them.
            w.begin_object().field("index", static_cast<std::int64_t>(i));
            w.key("error").raw(api::error_document(entry.problems.front()));
            w.key("errors").begin_array();
            for (const auto& e : entry.problems) w.raw(api::error_document(e));
            w.end_array().end_object();
        }
    }
    w.end_array().end_object();
    return Reply{http::status::ok, w.take(), "application/json", Freshness::operational};
}

}  // namespace crossrate::server::handlers
