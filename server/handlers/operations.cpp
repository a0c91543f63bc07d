// Health, readiness, metrics and the OpenAPI document.

#include "api/json_writer.hpp"
#include "server/handlers/handlers.hpp"
#include "server/openapi.hpp"
#include "ledger/ledger.hpp"

namespace crossrate::server::handlers {

Result<Reply> healthz(const Call&) {
    return Reply{http::status::ok, R"({"status":"ok"})", "application/json", Freshness::operational};
}

// Ready while the revision log takes writes. After a fault of a local log (SQLite) it is not
// (503, with the reason), so a load balancer sends writers elsewhere. A fleet's shared log
// (PostgreSQL) unreachable fails every replica alike: each stays ready, "read-only" (200), so the
// load balancer keeps sending reads, and writes answer 503 with Retry-After. Either way each
// call tries the log again (at most once a second) until it recovers.
Result<Reply> readyz(const Call& call) {
    const bool writable = call.ledger == nullptr || call.ledger->probe();
    const bool shared = call.ledger != nullptr && call.ledger->shared();
    const bool ready = call.state.ready && (writable || shared);
    api::JsonWriter w;
    w.begin_object();
    w.field("status", !call.state.ready ? "starting" : writable ? "ready" : "read-only");
    w.field("revision", static_cast<std::int64_t>(call.state.revision));
    if (!writable) w.field("reason", call.ledger->fault());
    w.end_object();
    return Reply{ready ? http::status::ok : http::status::service_unavailable, w.take(), "application/json",
                 Freshness::operational};
}

Result<Reply> metrics(const Call& call) {
    return Reply{http::status::ok, call.state.metrics.render(), "text/plain; version=0.0.4; charset=utf-8",
                 Freshness::operational};
}

Result<Reply> openapi(const Call&) {
    return Reply{http::status::ok, std::string(openapi_json()), "application/json", Freshness::reference};
}

}  // namespace crossrate::server::handlers
