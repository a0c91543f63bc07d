#include "server/problem.hpp"

#include "api/json_writer.hpp"

#include <new>

namespace crossrate::server {
namespace {

std::string_view title_of(Errc code) {
    switch (code) {
        case Errc::invalid_amount: return "Invalid amount";
        case Errc::overflow: return "Amount out of range";
        case Errc::division_by_zero: return "Division by zero";
        case Errc::unknown_currency: return "Unknown currency";
        case Errc::invalid_date: return "Invalid date";
        case Errc::invalid_parameter: return "Invalid parameter";
        case Errc::no_rate_series: return "No rate series";
        case Errc::no_rate_in_window: return "No rate in the window";
        case Errc::not_found: return "Not found";
        case Errc::too_large: return "Request too large";
        case Errc::unauthorized: return "Unauthorized";
        case Errc::forbidden: return "Forbidden";
        case Errc::conflict: return "Conflict";
        case Errc::unsupported_media_type: return "Unsupported media type";
        case Errc::data_error: return "Dataset error";
        case Errc::internal: return "Internal error";
        case Errc::overloaded: return "Overloaded";
        case Errc::deadline_exceeded: return "Deadline exceeded";
        case Errc::storage: return "Storage unavailable";
        case Errc::too_many_requests: return "Too many requests";
        case Errc::stale_revision: return "Revision not here yet";
        case Errc::method_not_allowed: return "Method not allowed";
    }
    return "Error";
}

}  // namespace

http::status status_of(Errc code) noexcept {
    switch (code) {
        case Errc::no_rate_series:
        case Errc::no_rate_in_window:
        case Errc::not_found: return http::status::not_found;
        case Errc::too_large: return http::status::payload_too_large;
        case Errc::unauthorized: return http::status::unauthorized;
        case Errc::forbidden: return http::status::forbidden;
        case Errc::conflict: return http::status::conflict;
        case Errc::unsupported_media_type: return http::status::unsupported_media_type;
        case Errc::too_many_requests: return http::status::too_many_requests;
        case Errc::stale_revision: return http::status::service_unavailable;
        case Errc::method_not_allowed: return http::status::method_not_allowed;
        case Errc::overloaded:
        case Errc::deadline_exceeded:
        case Errc::storage: return http::status::service_unavailable;
        case Errc::data_error:
        case Errc::internal: return http::status::internal_server_error;
        default: return http::status::bad_request;
    }
}

std::string_view retry_after_of(http::status status) noexcept {
    switch (status) {
        case http::status::service_unavailable: return "1";
        case http::status::too_many_requests: return "2";
        default: return {};
    }
}

Error fault_of(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) {
        return Error(Errc::overloaded, "the server ran out of memory for this request; retry later");
    }
    return Error(Errc::internal, "internal error; the fault was logged");
}

std::string_view route_hint(std::string_view param) noexcept {
    static constexpr std::pair<std::string_view, std::string_view> hints[] = {
        {"items", "/v1/items"},         {"item", "/v1/items"},           {"bribe_item", "/v1/items"},
        {"source", "/v1/sources"},      {"from", "/v1/currencies"},      {"to", "/v1/currencies"},
        {"base", "/v1/currencies"},     {"quote", "/v1/currencies"},     {"currency", "/v1/currencies"},
        {"symbols", "/v1/currencies"},  {"supersedes", "/v1/quotes or /v1/rates/reports"},
        {"revision", "/v1/revisions"},
    };
    for (const auto& [p, route] : hints) {
        if (p == param) return route;
    }
    return {};
}

std::string with_route_hint(std::string_view detail, std::string_view param) {
    const std::string_view route = route_hint(param);
    if (route.empty() || detail.find("/v1/") != std::string_view::npos) return std::string(detail);
    return std::string(detail) + " (see " + std::string(route) + ")";
}

Reply problem(const Error& error, std::string_view instance, std::optional<http::status> override_status) {
    const auto status = override_status.value_or(status_of(error.code()));
    api::JsonWriter w;
    w.begin_object();
    w.field("type", "urn:crossrate:problem:" + std::string(error.code_name()));
    w.field("title", title_of(error.code()));
    w.field("status", static_cast<int>(status));
    // What is missing or unknown says where to look: the model names no routes, the API does.
    const bool lookup = error.code() == Errc::not_found || error.code() == Errc::unknown_currency;
    w.field("detail", lookup ? with_route_hint(error.what(), error.param()) : std::string(error.what()));
    w.field("code", error.code_name());
    w.key("param");
    error.param().empty() ? w.null() : w.value(error.param());
    w.field("instance", instance);
    w.end_object();
    return {status, w.take(), "application/problem+json", Freshness::operational};
}

Response problem_response(const Error& error, std::string_view instance, std::optional<http::status> status) {
    Reply reply = problem(error, instance, status);
    Response res{reply.status, 11};
    res.set(http::field::content_type, reply.content_type);
    res.set(http::field::server, "crossrate");
    if (const auto wait = retry_after_of(reply.status); !wait.empty()) res.set(http::field::retry_after, wait);
    res.body() = std::move(reply.body);
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

}  // namespace crossrate::server
