#pragma once
// What to answer: a function from a request to a response that knows no sockets. It routes,
// checks parameters, calls the handler, maps errors to problem+json, and applies the
// HTTP-level rules every answer shares (ETag and 304, Cache-Control, CORS, HEAD, 405).

#include "server/http.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/reply_cache.hpp"
#include "server/route.hpp"

#include <memory>
#include <optional>
#include <string_view>

namespace crossrate::server {

class App {
public:
    App(Config config, std::shared_ptr<const Dataset> data, Metrics& metrics, const Logger& log);

    struct Outcome {
        Response response;
        std::size_t route;  // index into routes(), or metrics.unmatched_route()
    };
    // Never throws: a fault in a handler is a 500 for this request only.
    Outcome handle(const Request& request, std::string_view request_id) const;

    const Config& config() const noexcept { return config_; }

private:
    Outcome answer(const Request& request) const;

    Config config_;
    std::shared_ptr<const Dataset> data_;
    mutable ReplyCache cache_;
    Metrics& metrics_;
    const Logger& log_;
};

// application/problem+json (RFC 9457) for a domain error, with the status its code maps to.
Reply problem(const Error& error, std::string_view instance, std::optional<http::status> status = std::nullopt);
http::status status_of(Errc code) noexcept;

}  // namespace crossrate::server
