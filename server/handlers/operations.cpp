// Health, readiness, metrics and the OpenAPI document.

#include "api/json_writer.hpp"
#include "server/handlers/handlers.hpp"
#include "server/openapi.hpp"

namespace crossrate::server::handlers {

Reply healthz(const Call&) { return {http::status::ok, R"({"status":"ok"})", "application/json", Freshness::operational}; }

Reply readyz(const Call& call) {
    api::JsonWriter w;
    w.begin_object();
    w.field("status", call.state.ready ? "ready" : "starting");
    w.field("revision", static_cast<std::int64_t>(call.state.revision));
    w.end_object();
    return {call.state.ready ? http::status::ok : http::status::service_unavailable, w.take(), "application/json",
            Freshness::operational};
}

Reply metrics(const Call& call) {
    return {http::status::ok, call.state.metrics.render(), "text/plain; version=0.0.4; charset=utf-8",
            Freshness::operational};
}

Reply openapi(const Call&) {
    return {http::status::ok, std::string(openapi_json()), "application/json", Freshness::reference};
}

}  // namespace crossrate::server::handlers
