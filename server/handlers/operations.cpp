// Health, readiness, metrics and the OpenAPI document.

#include "api/json_writer.hpp"
#include "server/handlers/handlers.hpp"
#include "server/openapi.hpp"
#include "ledger/ledger.hpp"

namespace crossrate::server::handlers {

Reply healthz(const Call&) { return {http::status::ok, R"({"status":"ok"})", "application/json", Freshness::operational}; }

// Ready while the revision log takes writes. After a storage fault it is not (503, with the
// reason), so a load balancer sends writers elsewhere; reads keep being answered meanwhile, and
// each call tries the log again (at most once a second) until it recovers.
Reply readyz(const Call& call) {
    const bool writable = call.ledger == nullptr || call.ledger->probe();
    const bool ready = call.state.ready && writable;
    api::JsonWriter w;
    w.begin_object();
    w.field("status", !call.state.ready ? "starting" : writable ? "ready" : "read-only");
    w.field("revision", static_cast<std::int64_t>(call.state.revision));
    if (!writable) w.field("reason", call.ledger->fault());
    w.end_object();
    return {ready ? http::status::ok : http::status::service_unavailable, w.take(), "application/json",
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
