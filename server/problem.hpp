#pragma once
// Problem documents (RFC 9457, application/problem+json): the one place that turns a domain
// error into its status, title and body, for answers from the App and for the refusals the
// connection layer sends before any route is reached (a malformed request, a full server).

#include "pricing/error.hpp"
#include "server/route.hpp"

#include <optional>
#include <string_view>

namespace crossrate::server {

http::status status_of(Errc code) noexcept;

// The seconds a client should wait before retrying an answer of this status (503, 429), or
// empty: the Retry-After header, when there is one.
std::string_view retry_after_of(http::status status) noexcept;

// What a client is told of an exception that is not a domain error (the detail is logged,
// not sent): out of memory is 503 overloaded, anything else 500 internal.
Error fault_of(const std::exception& e);

// The document for `error`, with the status its code maps to (or `status`). `instance` is the
// request target; bytes that are not UTF-8 are replaced, so the document always is.
Reply problem(const Error& error, std::string_view instance, std::optional<http::status> status = std::nullopt);
// The route that lists what a parameter names ("items" -> "/v1/items"), or "".
std::string_view route_hint(std::string_view param) noexcept;
// `detail` and, where it names none, " (see <route>)" for `param`.
std::string with_route_hint(std::string_view detail, std::string_view param);

// The same as a whole response that closes the connection: for refusals made before a
// request reaches the App.
Response problem_response(const Error& error, std::string_view instance, std::optional<http::status> status = std::nullopt);

}  // namespace crossrate::server
