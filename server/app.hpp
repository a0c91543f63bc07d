#pragma once
// What to answer: a function from a request to a response that knows no sockets. It routes,
// checks parameters, calls the handler, maps errors to problem+json, and applies the
// HTTP-level rules every answer shares (ETag and 304, Cache-Control, CORS, HEAD, 405).

#include "pricing/cancellation.hpp"
#include "server/http.hpp"
#include "api/documents.hpp"
#include "server/log.hpp"
#include "server/memo.hpp"
#include "server/metrics.hpp"
#include "server/problem.hpp"
#include "server/reply_cache.hpp"
#include "server/route.hpp"
#include "server/static_files.hpp"
#include "server/tokens.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

namespace crossrate {
class Ledger;
}

namespace crossrate::server {


class App {
public:
    App(Config config, std::shared_ptr<const Dataset> data, Metrics& metrics, const Logger& log,
        std::uint64_t revision = 1);

    struct Outcome {
        Response response;
        std::size_t route;  // index into routes(), or metrics.unmatched_route()
        // Instead of `response`, when handle() may answer so: a read's 200 as ready_answer()
        // gives it (see there), made without a Response: its wire_head, then the request's id.
        std::shared_ptr<const TaggedReply> ready = nullptr;
    };
    // Never throws: a fault in a handler is a 500 for this request only. Work that runs long
    // checks `cancel` and stops with a 503 once it says so. With `may_be_ready`, a request
    // ready_answer() would take is answered in `ready`, made without a Response and without
    // looking in the reply cache (the caller asks ready_answer() first); every other request,
    // and any without `may_be_ready`, in `response`.
    Outcome handle(const Request& request, std::string_view request_id, const Cancellation& cancel = {},
                   bool may_be_ready = false) const;
    // The refusal of a request with `error` (a full compute pool, a throttled client), with the
    // headers every answer carries.
    Outcome refuse(const Request& request, std::string_view request_id, const Error& error) const;
    // Where a request is answered: on the I/O thread that read it (quick), on the compute pool
    // (what may take long: scenarios, batches, series, lists, reads pinned to a past
    // revision), or in the write lane (writes: one at a time, so reads never queue behind them).
    enum class Lane { io, compute, write };
    Lane lane_of(const Request& request) const;

    // The answer to a repeated read, ready to send (see ReplyCache): its wire_head is the status
    // line and every field but the request's own id, ending in "X-Request-Id: ". None when the
    // request is not such a read, or its answer may depend on more than the target (a HEAD, a
    // conditional GET, CSV, an Origin to echo, a connection to close): then handle() answers.
    // `now` is the time the caller read as the request began (the cache's expiry is told by it).
    std::shared_ptr<const TaggedReply> ready_answer(const Request& request, ReplyCache::Clock::time_point now) const;
    // Whether a request's answer is the same bytes for every such request (see ready_answer).
    bool takes_ready_answer(const Request& request) const;

    // Whether a request's body may take --import-limit: a text/csv write with a writer's token.
    bool is_import(const http::request_header<>& header) const;

    const Config& config() const noexcept { return config_; }

    // A new revision: readers from now on see `data`; answers in flight keep theirs.
    void publish(std::shared_ptr<const Dataset> data, std::uint64_t revision);
    // Where writes go, and the writers' tokens; none: writes are refused.
    void set_ledger(Ledger* ledger, Tokens tokens) {
        ledger_ = ledger;
        tokens_ = std::move(tokens);
    }
    // The dashboard's files, served for GET paths no route has ("/" is index.html). Set before
    // serving.
    void set_static_files(StaticFiles files) { static_ = std::move(files); }

private:
    struct Snapshot {
        std::shared_ptr<const Dataset> data;
        std::uint64_t revision;
        Memo<api::ConversionFrame> conversion_frames{};
    };

    // The data a read is answered from: the snapshot's, or revision=N's.
    struct Pinned {
        std::shared_ptr<const Dataset> data;
        std::uint64_t revision;
    };

    // The steps of an answer: from the cache; else the route (or the answer itself: a
    // dashboard file, a preflight, a 404 or 405); the revision asked for; the handler's reply.
    Outcome answer(const Request& request, const Cancellation& cancel, bool may_be_ready) const;
    std::optional<Outcome> route_of(const Request& request, const Target& parsed, std::uint64_t revision,
                                    std::size_t& index) const;
    Result<Pinned> pinned(const Query& query, const Snapshot& snapshot) const;
    // A ready read of a route that varies_by a parameter, made from the kept answer of the same
    // request with another value of it (Reply::variation); none if there is none, or the
    // value is one the route refuses.
    std::shared_ptr<const TaggedReply> varied_answer(std::string_view target, std::uint64_t revision,
                                                     ReplyCache::Clock::time_point now) const;
    // A reply as a response: its status, type, freshness, tag, revision and what varies it.
    Response headers_of(const Reply& reply, std::size_t route, std::string_view etag, std::uint64_t answered_at,
                        unsigned version) const;
    Outcome outcome_of(Reply reply, std::size_t route, const Request& request, std::uint64_t answered_at,
                       std::string_view etag = {}) const;
    // The fields every answer carries whatever the request: Server, CORS.
    void shared_headers(Response& res) const;
    // A 200 read's head as sent (the fields of headers_of, shared_headers and Content-Length),
    // up to the request's id: "...X-Request-Id: ".
    std::string wire_head_of(const Reply& reply, std::size_t route, std::string_view etag, std::uint64_t answered_at) const;
    Outcome finish(Outcome out, const Request& request, std::string_view request_id) const;
    // What a client is told of an error: a dataset fault (whose detail names files) becomes an
    // internal error, logged.
    Error for_client(const Error& e, std::string_view target) const;
    Response static_file(const StaticFile& file, const Request& request) const;

    Config config_;
    // The dataset and its revision, swapped together. A mutex around the pointer's copy, not
    // std::atomic<std::shared_ptr>: libstdc++ 12 guards that with a lock bit ThreadSanitizer
    // cannot see, and the copy is a few nanoseconds either way.
    mutable std::mutex snapshot_mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::shared_ptr<const Snapshot> snapshot() const {
        std::lock_guard lock(snapshot_mutex_);
        return snapshot_;
    }
    Ledger* ledger_ = nullptr;
    Tokens tokens_;
    StaticFiles static_;
    mutable ReplyCache cache_;
    Metrics& metrics_;
    const Logger& log_;
    bool allows_any_origin_;  // cors_origins holds "*"
    std::atomic<std::uint64_t> revision_;  // the snapshot's, for ready_answer
    std::vector<std::size_t> varied_routes_;  // the routes that vary_by a parameter
};

}  // namespace crossrate::server
