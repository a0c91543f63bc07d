#include "server/app.hpp"

#include "api/json_writer.hpp"
#include "api/requests.hpp"
#include "ledger/ledger.hpp"
#include "server/fast_hash.hpp"

#include <boost/beast/http/rfc7230.hpp>
#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <cstring>
#include <cstdio>
#include <functional>
#include <limits>

namespace crossrate::server {
namespace {

std::string_view cache_control(Freshness f) {
    switch (f) {
        case Freshness::past: return "public, max-age=3600";
        case Freshness::latest: return "public, max-age=60";
        case Freshness::reference: return "public, max-age=300";
        case Freshness::operational: break;
    }
    return "no-store";
}

// If-None-Match holds `tag` (weak comparison, as RFC 9110 asks for GET).
bool matches(std::string_view header, std::string_view tag) {
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view candidate = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
        while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
        if (candidate.starts_with("W/")) candidate.remove_prefix(2);
        if (candidate == "*" || candidate == tag) return true;
    }
    return false;
}

// "r<revision>-<hash of the body>": the answer is a function of the revision and the request,
// and hashing the body makes the tag change exactly when the answer does.
std::string etag_for(std::uint64_t revision, std::string_view body) {
    static constexpr char hex[] = "0123456789abcdef";
    char tag[48] = "\"r";  // then up to 20 digits, a dash, 16 hex digits and the closing quote
    char* p = std::to_chars(tag + 2, tag + 24, revision).ptr;
    *p++ = '-';
    const std::uint64_t h = fast_hash(body);
    for (int shift = 60; shift >= 0; shift -= 4) *p++ = hex[(h >> shift) & 0xF];
    *p++ = '"';
    return std::string(tag, p);
}

// The reply cache's key for every value of one parameter of a target: the target with that
// value left out, a space in its place. No request target holds a space, so no request is
// answered from it as it is. Made on the stack when it fits, as most do.
class VariedKey {
public:
    VariedKey(std::string_view target, ValueAt value) {
        const std::size_t size = value.begin + 1 + (target.size() - value.end);
        if (size > buffer_.size()) longer_.resize(size);
        char* out = size <= buffer_.size() ? buffer_.data() : longer_.data();
        std::memcpy(out, target.data(), value.begin);
        out[value.begin] = ' ';
        std::memcpy(out + value.begin + 1, target.data() + value.end, target.size() - value.end);
        key_ = std::string_view(out, size);
    }
    VariedKey(const VariedKey&) = delete;
    VariedKey& operator=(const VariedKey&) = delete;
    std::string_view key() const noexcept { return key_; }

private:
    std::array<char, 192> buffer_;
    std::string longer_;
    std::string_view key_;
};

std::string allow_header(std::string_view path) {
    std::string allow;
    for (const std::size_t i : routes_at(path)) {
        const http::verb method = routes()[i].method;
        allow += std::string(http::to_string(method)) + ", ";
        if (method == http::verb::get) allow += "HEAD, ";
    }
    return allow + "OPTIONS";
}

// Whether an Accept-Encoding header takes gzip: named (or *) and not with q=0.
bool accepts_gzip(std::string_view header) {
    for (std::size_t start = 0; start < header.size();) {
        const std::size_t end = std::min(header.find(',', start), header.size());
        std::string_view item = header.substr(start, end - start);
        start = end + 1;
        while (item.starts_with(' ')) item.remove_prefix(1);
        const std::size_t semi = item.find(';');
        std::string_view name = item.substr(0, semi);
        while (name.ends_with(' ')) name.remove_suffix(1);
        if (name != "gzip" && name != "*") continue;
        if (semi == std::string_view::npos) return true;
        std::string_view q = item.substr(semi + 1);
        while (q.starts_with(' ')) q.remove_prefix(1);
        return !(q.starts_with("q=0") && q.find_first_not_of("0.", 3) == std::string_view::npos);
    }
    return false;
}

}  // namespace

App::App(Config config, std::shared_ptr<const Dataset> data, Metrics& metrics, const Logger& log,
         std::uint64_t revision)
    : config_(std::move(config)),
      snapshot_(std::make_shared<const Snapshot>(std::move(data), revision)),
      cache_(config_.cache_entries, config_.cache_max_body, std::chrono::seconds(60), config_.cache_bytes),
      metrics_(metrics),
      log_(log),
      allows_any_origin_(std::find(config_.cors_origins.begin(), config_.cors_origins.end(), "*") !=
                         config_.cors_origins.end()),
      revision_(revision) {
    metrics_.revision = revision;
    for (std::size_t i = 0; i < routes().size(); ++i) {
        if (!routes()[i].varies_by.empty()) varied_routes_.push_back(i);
    }
}

void App::publish(std::shared_ptr<const Dataset> data, std::uint64_t revision) {
    auto next = std::make_shared<const Snapshot>(std::move(data), revision);
    {
        std::lock_guard lock(snapshot_mutex_);
        snapshot_.swap(next);
        revision_.store(revision, std::memory_order_release);
    }  // the old snapshot is released outside the lock
    metrics_.revision = revision;
}

Error App::for_client(const Error& e, std::string_view target) const {
    if (e.code() == Errc::storage) log_.event(LogLevel::error, "storage fault answering " + std::string(target) + ": " + e.what());
    if (e.code() != Errc::data_error) return e;
    // The dataset failing to load while serving (a fixtures folder gone): the detail names
    // files, so it goes to the log only.
    log_.event(LogLevel::error, "dataset fault answering " + std::string(target) + ": " + e.what());
    return Error(Errc::internal, "internal error; the fault was logged");
}

bool App::is_import(const http::request_header<>& header) const {
    if (ledger_ == nullptr || header.method() != http::verb::post || !header[http::field::content_type].starts_with("text/csv")) {
        return false;
    }
    const std::string_view target(header.target().data(), header.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    if (path != "/v1/quotes" && path != "/v1/rates" && path != "/v1/sources") return false;
    const auto token = bearer_token(header[http::field::authorization]);
    return token && tokens_.name_for(*token).has_value();
}

App::Lane App::lane_of(const Request& request) const {
    // The same decoded path the answer routes on: an escaped letter in the path must not move
    // the work onto an I/O thread. Most targets have no escape at all, and are read as they are.
    const std::string_view target(request.target().data(), request.target().size());
    std::string_view path = target.substr(0, target.find('?'));
    std::optional<Target> parsed;
    if (path.find('%') != std::string_view::npos) {
        auto decoded = parse_target(target);
        if (!decoded) return Lane::io;  // a 400, cheap
        parsed = std::move(*decoded);
        path = parsed->path;
    }
    const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
    const Route* route = nullptr;
    for (const std::size_t i : routes_at(path)) {
        const Route& r = routes()[i];
        if (r.method == request.method() || (get && r.method == http::verb::get)) {
            route = &r;
            break;
        }
    }
    if (route == nullptr) return request.method() == http::verb::post ? Lane::compute : Lane::io;
    if (route->method == http::verb::post) return route->computes ? Lane::compute : Lane::write;
    // After a storage fault /readyz probes the data directory (a write and an fsync): beside
    // the writes, never on an I/O thread.
    if (route->name == "readyz" && ledger_ != nullptr && !ledger_->writable()) return Lane::write;
    // A replica of a fleet may wait for a revision another one wrote: never on an I/O thread.
    if (ledger_ != nullptr && ledger_->shared() && target.find("revision=") != std::string_view::npos) return Lane::compute;
    // A past revision (revision=N) costs what the current one does: it stays where its route is.
    return route->long_read ? Lane::compute : Lane::io;
}

namespace {

// Adds a request header the answer depends on to Vary (once).
void add_vary(Response& res, std::string_view header) {
    const std::string_view now = res[http::field::vary];
    if (now.find(header) != std::string_view::npos) return;
    res.set(http::field::vary, now.empty() ? std::string(header) : std::string(now) + ", " + std::string(header));
}

// An Accept field that names text/csv. Repeated fields are one list (RFC 9110 5.3): any of them.
bool names_csv(std::string_view accept) { return accept.find("text/csv") != std::string_view::npos; }

bool wants_csv(const Request& request) {
    const auto [first, last] = request.equal_range(http::field::accept);
    return std::any_of(first, last, [](const auto& f) { return names_csv({f.value().data(), f.value().size()}); });
}

}  // namespace

namespace {

// The fields of a reply's answer, in the order they are sent, to put(name, value): its type,
// freshness, tag, next page, revision, when to retry, and what varies it.
template <class Put>
void reply_fields(const Reply& reply, std::size_t route, std::string_view etag, std::uint64_t answered_at, Put&& put) {
    put("Content-Type", reply.content_type);
    put("Cache-Control", cache_control(reply.status == http::status::ok ? reply.freshness : Freshness::operational));
    if (!etag.empty()) put("ETag", etag);
    if (!reply.link.empty()) put("Link", reply.link);
    char revision[24];
    put("X-Crossrate-Revision", std::string_view(revision, std::to_chars(revision, std::end(revision), answered_at).ptr));
    if (const auto wait = retry_after_of(reply.status); !wait.empty()) put("Retry-After", wait);
    if (route < routes().size() && answers_csv(routes()[route].name)) put("Vary", "Accept");
}

// The fields every answer carries whatever the request: Server, CORS.
template <class Put>
void shared_fields(bool any_origin, Put&& put) {
    put("Server", "crossrate");
    if (any_origin) put("Access-Control-Allow-Origin", "*");
    // Readable from another origin's script: the validator, the revision, the request id, the
    // next page, how long to wait.
    put("Access-Control-Expose-Headers", "ETag, Link, Retry-After, X-Crossrate-Revision, X-Request-Id");
}

}  // namespace

Response App::headers_of(const Reply& reply, std::size_t route, std::string_view etag, std::uint64_t answered_at,
                         unsigned version) const {
    Response res{reply.status, version};
    reply_fields(reply, route, etag, answered_at, [&](std::string_view name, std::string_view value) { res.set(name, value); });
    return res;
}

std::string App::wire_head_of(const Reply& reply, std::size_t route, std::string_view etag,
                              std::uint64_t answered_at) const {
    std::string head;
    head.reserve(384);
    char number[24];
    const auto put = [&](std::string_view name, std::string_view value) {  // one resize a field
        const std::size_t at = head.size();
        head.resize(at + name.size() + value.size() + 4);
        char* p = std::copy(name.begin(), name.end(), head.data() + at);
        *p++ = ':';
        *p++ = ' ';
        p = std::copy(value.begin(), value.end(), p);
        *p++ = '\r';
        *p = '\n';
    };
    head.append("HTTP/1.1 ");
    head.append(number, std::to_chars(number, std::end(number), static_cast<unsigned>(reply.status)).ptr).push_back(' ');
    head.append(http::obsolete_reason(reply.status)).append("\r\n", 2);
    reply_fields(reply, route, etag, answered_at, put);
    shared_fields(allows_any_origin_, put);
    put("Content-Length", std::string_view(number, std::to_chars(number, std::end(number), reply.body.size()).ptr));
    head.append("X-Request-Id: ");
    return head;
}

App::Outcome App::outcome_of(Reply reply, std::size_t route, const Request& request, std::uint64_t answered_at,
                             std::string_view etag) const {
    Response res = headers_of(reply, route, etag, answered_at, request.version());
    res.body() = std::move(reply.body);
    return Outcome{std::move(res), route};
}

bool App::takes_ready_answer(const Request& request) const {
    // Only what the cached bytes say for every such request: a keep-alive HTTP/1.1 GET of JSON
    // that validates nothing (If-None-Match is a 304) and, unless every origin is allowed,
    // names no Origin (which the answer would echo).
    if (request.method() != http::verb::get || request.version() != 11) return false;
    // One pass over the fields (a client sends a few) rather than a lookup for each name. An
    // HTTP/1.1 connection is kept alive unless a Connection field says close (keeps_alive(),
    // which every other answer follows: the two must agree).
    for (const auto& f : request) {
        switch (f.name()) {
            case http::field::connection:
                if (http::token_list(f.value()).exists("close")) return false;
                break;
            case http::field::if_none_match: return false;
            case http::field::accept:
                if (names_csv({f.value().data(), f.value().size()})) return false;
                break;
            case http::field::origin:
                if (!allows_any_origin_) return false;
                break;
            default: break;
        }
    }
    return true;
}

std::shared_ptr<const TaggedReply> App::ready_answer(const Request& request, ReplyCache::Clock::time_point now) const {
    if (!takes_ready_answer(request)) return nullptr;
    const std::string_view target(request.target().data(), request.target().size());
    const std::uint64_t revision = revision_.load(std::memory_order_acquire);
    if (auto cached = cache_.find_repeated(target, revision, now)) return cached->wire_head.empty() ? nullptr : cached;
    try {
        return varied_answer(target, revision, now);
    } catch (const std::exception&) {  // out of memory: the usual way answers, or says why not
        return nullptr;
    }
}

std::shared_ptr<const TaggedReply> App::varied_answer(std::string_view target, std::uint64_t revision,
                                                      ReplyCache::Clock::time_point now) const {
    const std::string_view path = target.substr(0, target.find('?'));
    const auto route = std::find_if(varied_routes_.begin(), varied_routes_.end(),
                                    [&](std::size_t i) { return routes()[i].path == path; });
    if (route == varied_routes_.end()) return nullptr;
    const auto value = plain_value_of(target, routes()[*route].varies_by);
    if (!value) return nullptr;
    const auto kept = cache_.find(VariedKey(target, *value).key(), revision, now);
    if (kept == nullptr || kept->reply.variation == nullptr) return nullptr;
    auto reply = (*kept->reply.variation)(target.substr(value->begin, value->end - value->begin));
    if (!reply) return nullptr;  // a value the route refuses: answered the usual way
    std::string etag = etag_for(kept->answered_at, reply->body);
    auto made = std::make_shared<TaggedReply>(TaggedReply{std::move(*reply), std::move(etag), kept->route, kept->answered_at, {}});
    made->wire_head = wire_head_of(made->reply, made->route, made->etag, made->answered_at);
    return made;  // not kept itself: made again as cheaply as it would be found
}

std::optional<App::Outcome> App::route_of(const Request& request, const Target& parsed, std::uint64_t revision,
                                          std::size_t& index) const {
    const std::string_view target(request.target().data(), request.target().size());
    const auto same_path = routes_at(parsed.path);
    if (same_path.empty()) {
        const bool read = request.method() == http::verb::get || request.method() == http::verb::head;
        if (const StaticFile* file = read ? static_.find(parsed.path) : nullptr) {
            return Outcome{static_file(*file, request), metrics_.unmatched_route()};
        }
        return outcome_of(problem(Error(Errc::not_found, "no route " + parsed.path + " (see /openapi.json)"), target),
                          metrics_.unmatched_route(), request, revision);
    }
    if (request.method() == http::verb::options) {
        Response res{http::status::no_content, request.version()};
        res.set(http::field::allow, allow_header(parsed.path));
        res.set(http::field::access_control_allow_methods, allow_header(parsed.path));
        // What browser tools send: a writer's token and retry key, a write's note, an event
        // stream's resume point.
        res.set(http::field::access_control_allow_headers,
                "Authorization, Content-Type, Idempotency-Key, If-None-Match, Last-Event-ID, X-Crossrate-Note, X-Request-Id");
        res.set(http::field::access_control_max_age, "86400");
        return Outcome{std::move(res), metrics_.unmatched_route()};
    }
    const http::verb method = request.method() == http::verb::head ? http::verb::get : request.method();
    const auto route = std::find_if(same_path.begin(), same_path.end(), [&](std::size_t i) { return routes()[i].method == method; });
    if (route == same_path.end()) {
        const Error error(Errc::method_not_allowed,
                          std::string(request.method_string()) + " is not allowed on " + parsed.path + " (Allow lists what is)",
                          "method");
        auto outcome = outcome_of(problem(error, target, http::status::method_not_allowed), metrics_.unmatched_route(),
                                  request, revision);
        outcome.response.set(http::field::allow, allow_header(parsed.path));
        return outcome;
    }
    index = *route;
    return std::nullopt;
}

Result<App::Pinned> App::pinned(const Query& query, const Snapshot& snapshot) const {
    const auto asked = query.get("revision");
    if (!asked) return Pinned{snapshot.data, snapshot.revision};
    const auto n = api::parse_count(*asked, "revision", std::numeric_limits<int>::max());
    std::shared_ptr<const Dataset> data = snapshot.data;
    // A replica of a fleet may not have applied a revision another one wrote: it waits a while
    // for it (this runs on the compute lane, see lane_of()), then says to retry. Never an
    // answer at another revision.
    if (n && *n >= 1 && static_cast<std::uint64_t>(*n) > snapshot.revision && ledger_ != nullptr && ledger_->shared()) {
        if (!ledger_->wait_for(*n, config_.revision_wait)) {
            return Error(Errc::stale_revision,
                         "revision " + std::to_string(*n) + " is not applied on this replica yet (it has " +
                             std::to_string(ledger_->applied()) + "); retry",
                         "revision");
        }
        data = this->snapshot()->data;
    }
    if (!n || *n < 1 || static_cast<std::uint64_t>(*n) > data->revision) {
        return Error(Errc::invalid_parameter,
                     "revision must be a whole number from 1 to " + std::to_string(snapshot.revision) + " (the current one)",
                     "revision");
    }
    const auto at = static_cast<std::uint64_t>(*n);
    // The snapshot keeps every revision's records: a past one is the same data read through a
    // filter, not a rebuild.
    if (at != data->revision) data = std::make_shared<const Dataset>(data->at(at));
    return Pinned{std::move(data), at};
}

App::Outcome App::answer(const Request& request, const Cancellation& cancel, bool may_be_ready) const {
    const std::string_view target(request.target().data(), request.target().size());
    const auto snapshot = this->snapshot();  // one dataset and its revision for the whole answer
    const std::uint64_t revision = snapshot->revision;
    // A repeated read is answered before anything is parsed: the same target at the same
    // revision has the same answer. The cache keeps JSON answers only: a CSV one for the same
    // target is made afresh.
    const bool read = request.method() == http::verb::get || request.method() == http::verb::head;
    const auto now = ReplyCache::Clock::now();
    const bool csv = wants_csv(request);
    const ReplyCache::Key key(target);
    // A ready answer's caller has looked in the cache already (see handle()).
    const bool ready = may_be_ready && takes_ready_answer(request);
    if (read && !csv && !ready) {
        if (const auto cached = cache_.find(key, revision, now)) {
            return outcome_of(cached->reply, cached->route, request, cached->answered_at, cached->etag);
        }
    }
    auto parsed = parse_target(target);
    if (!parsed) return outcome_of(problem(parsed.error(), target), metrics_.unmatched_route(), request, revision);
    std::size_t index = 0;
    if (auto settled = route_of(request, *parsed, revision, index)) return std::move(*settled);
    const Route& route = routes()[index];
    const auto refuse = [&](const Error& error) { return outcome_of(problem(error, target), index, request, revision); };

    std::pair<std::string, std::string> path_parameter;
    path_matches(route, parsed->path, &path_parameter);
    const bool has_path_parameter = !path_parameter.first.empty();
    const Query query(std::move(parsed->params));
    // Every read and computation takes revision=N: the answer it gave at revision N, byte for
    // byte. A route that answers tables takes format=csv|json.
    const bool pinnable = route.pinnable();
    const bool tables = answers_csv(route.name);
    boost::container::small_vector<std::string_view, 24> allowed(route.params.begin(), route.params.end());
    if (pinnable) allowed.push_back("revision");
    if (tables) allowed.push_back("format");
    if (auto checked = query.check({allowed.data(), allowed.size()}); !checked) return refuse(checked.error());
    auto at = pinnable ? pinned(query, *snapshot) : Result<Pinned>(Pinned{snapshot->data, revision});
    if (!at) return refuse(at.error());
    const auto format = tables ? query.get("format") : std::nullopt;
    if (format && *format != "csv" && *format != "json") {
        return refuse(Error(Errc::invalid_parameter, "format must be csv or json", "format"));
    }

    // The path's own parameter joins the checked query ones for the handler.
    const Query with_path = has_path_parameter ? query.with(path_parameter.first, path_parameter.second) : Query();
    const ServerState state{metrics_, at->revision, true};
    const bool as_csv = tables && (format ? *format == "csv" : csv);
    // Kept ready to send, but for the request's own id (see ready_answer).
    const bool keep = read && !csv;
    const Call call{request, has_path_parameter ? with_path : query, *at->data, config_, state, ledger_, tokens_, cancel, as_csv,
                    at->data == snapshot->data ? &snapshot->conversion_frames : nullptr, ready && keep && !route.varies_by.empty()};
    // A handler's refusal, returned or (from deep inside a long loop: a deadline, shutdown) thrown.
    const auto refuse_handled = [&](const Error& e) {
        auto outcome = refuse(for_client(e, target));
        if (e.code() == Errc::unauthorized) outcome.response.set(http::field::www_authenticate, "Bearer realm=\"crossrate\"");
        return outcome;
    };
    try {
        auto handled = route.handler(call);
        if (!handled) return refuse_handled(handled.error());
        Reply reply = std::move(*handled);
        if (!read || reply.status != http::status::ok) {
            return outcome_of(std::move(reply), index, request, pinnable ? at->revision : revision);
        }
        std::string etag = etag_for(at->revision, reply.body);
        const bool kept = keep && reply.freshness != Freshness::operational;
        if (ready) {
            auto made = std::make_shared<TaggedReply>(TaggedReply{std::move(reply), std::move(etag), index, at->revision, {}});
            made->wire_head = wire_head_of(made->reply, index, made->etag, at->revision);
            if (kept) {
                cache_.store(key, revision, made, now);
                if (made->reply.variation != nullptr) {
                    if (const auto value = plain_value_of(target, route.varies_by)) {
                        cache_.store(VariedKey(target, *value).key(), revision, made, now);
                    }
                }
            }
            return Outcome{Response{}, index, std::move(made)};
        }
        if (kept) {
            cache_.store(key, revision, reply, etag, index, at->revision, now,
                         [&] { return wire_head_of(reply, index, etag, at->revision); });
        }
        return outcome_of(std::move(reply), index, request, at->revision, etag);
    } catch (const Error& e) {
        return refuse_handled(e);
    } catch (const std::exception& e) {
        log_.event(LogLevel::error, "handler fault on " + std::string(target) + ": " + e.what());
        return outcome_of(problem(fault_of(e), target), index, request, revision);
    }
}

// A dashboard file: revalidated on every use (its ETag makes that a 304), gzipped when the
// client takes it, and never allowed to load anything from another origin.
Response App::static_file(const StaticFile& file, const Request& request) const {
    Response res{http::status::ok, request.version()};
    res.set(http::field::content_type, file.content_type);
    res.set(http::field::cache_control, "no-cache");
    res.set(http::field::etag, file.etag);
    res.set("X-Content-Type-Options", "nosniff");
    if (file.content_type.starts_with("text/html")) {
        res.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    }
    if (!file.gzip.empty()) {
        res.set(http::field::vary, "Accept-Encoding");
        if (accepts_gzip(request[http::field::accept_encoding])) {
            res.set(http::field::content_encoding, "gzip");
            res.body() = file.gzip;
            return res;
        }
    }
    res.body() = file.body;
    return res;
}

App::Outcome App::handle(const Request& request, std::string_view request_id, const Cancellation& cancel,
                         bool may_be_ready) const {
    Outcome out = [&] {
        const std::string_view target(request.target().data(), request.target().size());
        try {
            return answer(request, cancel, may_be_ready);
        } catch (const std::exception& e) {  // a fault outside any handler (allocation, ...)
            log_.event(LogLevel::error, std::string("request fault: ") + e.what());
            return Outcome{problem_response(fault_of(e), target), metrics_.unmatched_route()};
        }
    }();
    if (out.ready != nullptr) return out;
    return finish(std::move(out), request, request_id);
}

App::Outcome App::refuse(const Request& request, std::string_view request_id, const Error& error) const {
    const std::string_view target(request.target().data(), request.target().size());
    Outcome out{problem_response(error, target), metrics_.unmatched_route()};
    return finish(std::move(out), request, request_id);
}

void App::shared_headers(Response& res) const {
    shared_fields(allows_any_origin_, [&](std::string_view name, std::string_view value) { res.set(name, value); });
}

App::Outcome App::finish(Outcome out, const Request& request, std::string_view request_id) const {
    Response& res = out.response;
    shared_headers(res);
    res.set("X-Request-Id", request_id);
    // CORS: reads are open to the configured origins.
    const auto origin = request[http::field::origin];
    const auto& origins = config_.cors_origins;
    if (!allows_any_origin_ && !origin.empty() && std::find(origins.begin(), origins.end(), origin) != origins.end()) {
        res.set(http::field::access_control_allow_origin, origin);
        add_vary(res, "Origin");
    }
    const std::string_view tag = res[http::field::etag];
    if (!tag.empty() && matches(request[http::field::if_none_match], tag)) {
        res.result(http::status::not_modified);
        res.body().clear();
        res.erase(http::field::content_type);
    }
    res.keep_alive(keeps_alive(request));
    if (request.method() == http::verb::head) {
        const auto size = res.body().size();
        res.body().clear();
        res.content_length(size);
    } else if (res.result() != http::status::not_modified && res.result() != http::status::no_content) {
        res.prepare_payload();
    }
    return out;
}

}  // namespace crossrate::server
