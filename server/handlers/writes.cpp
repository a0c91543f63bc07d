// Writes (POST /v1/quotes, /v1/rates, /v1/sources) and the revision log (GET /v1/revisions,
// JSON or CSV).

#include "api/csv_writer.hpp"
#include "api/documents.hpp"
#include "api/json_writer.hpp"
#include "api/requests.hpp"
#include "pricing/exact_json.hpp"
#include "server/handlers/handlers.hpp"
#include "server/problem.hpp"
#include "server/handlers/paging.hpp"
#include "server/tokens.hpp"
#include "server/events.hpp"
#include "ledger/records_csv.hpp"
#include "ledger/ledger.hpp"

#include <boost/json/value.hpp>

#include <limits>

namespace crossrate::server::handlers {
namespace json = boost::json;
namespace {

// The writer's name for the request's bearer token; refuses the request otherwise.
Result<std::string> authenticate(const Call& call) {
    if (call.ledger == nullptr || call.tokens.empty()) {
        return Error(Errc::forbidden, "writes are disabled on this server: no writer tokens are configured", "Authorization");
    }
    const auto token = bearer_token(call.request[http::field::authorization]);
    if (!token) return Error(Errc::unauthorized, "writes need Authorization: Bearer TOKEN", "Authorization");
    const auto name = call.tokens.name_for(*token);
    if (!name) return Error(Errc::forbidden, "the token is not a writer's", "Authorization");
    return *name;
}

Result<Reply> write(const Call& call, Ledger::Kind kind) {
    const auto author = authenticate(call);
    if (!author) return author.error();
    const std::string_view type = call.request[http::field::content_type];
    const bool csv = type.starts_with("text/csv");
    if (!type.starts_with("application/json") && !csv) {
        return Error(Errc::unsupported_media_type,
                     "the body must be application/json (one record or an array) or text/csv (a header, then one record a row)",
                     "Content-Type");
    }
    // The file's own problems (header, field counts, quoting) and the records' are listed together.
    std::vector<FieldProblem> problems;
    const auto parsed = csv ? Result<boost::json::value>() : parse_exact_json(call.request.body());
    if (!parsed) return parsed.error();
    const boost::json::value& body = *parsed;  // null for CSV
    const Ledger::Records records = csv ? csv_records(kind, call.request.body(), problems) : Ledger::json_records(body);
    const std::string_view note_header = call.request["X-Crossrate-Note"];
    const std::string note = note_header.empty() ? std::string(Ledger::kind_name(kind)) + "s added"
                                                 : std::string(note_header.substr(0, 500));
    const std::string_view key = call.request["Idempotency-Key"];
    if (key.size() > 200) return Error(Errc::invalid_parameter, "Idempotency-Key is longer than 200 characters", "Idempotency-Key");
    auto written = call.ledger->add(kind, *author, note, call.request.body(), records, problems, std::string(key));
    if (!problems.empty()) {
        for (auto& p : problems) {
            if (!p.detail.starts_with("no ")) continue;
            const std::string_view leaf = std::string_view(p.pointer).substr(p.pointer.rfind('/') + 1);
            p.detail = with_route_hint(p.detail, leaf);
        }
        return Reply{http::status::bad_request, api::invalid_body_document("invalid_record", "Invalid record", "; nothing was written", problems),
                     "application/problem+json", Freshness::operational};
    }
    if (!written) return written.error();
    // A retry gets the first answer again, with its status.
    return Reply{http::status::created, written->response, "application/json", Freshness::operational};
}

}  // namespace

Result<Reply> quotes_post(const Call& call) { return write(call, Ledger::Kind::quote); }
Result<Reply> sources_post(const Call& call) { return write(call, Ledger::Kind::source); }
Result<Reply> rates_post(const Call& call) { return write(call, Ledger::Kind::rate); }

// GET /v1/events: checks the request like any other (its parameters, Last-Event-ID) and
// answers an empty event-stream reply, which the session turns into the stream.
Result<Reply> events(const Call& call) {
    if (call.request.method() != http::verb::get) {
        return Error(Errc::invalid_parameter, "/v1/events is a stream of Server-Sent Events: GET it with an EventSource",
                     "method");
    }
    const auto whole = [](std::string_view text, const char* name) -> Result<void> {
        if (!api::parse_count(text, name, std::numeric_limits<int>::max())) {
            return Error(Errc::invalid_parameter, std::string(name) + " must be a revision number", name);
        }
        return {};
    };
    if (const std::string_view header = call.request["Last-Event-ID"]; !header.empty()) {
        if (const auto checked = whole(header, "Last-Event-ID"); !checked) return checked.error();
    }
    if (const auto param = call.query.get("last_event_id")) {
        if (const auto checked = whole(*param, "last_event_id"); !checked) return checked.error();
    }
    return Reply{http::status::ok, {}, "text/event-stream", Freshness::operational};
}

// GET /v1/revisions/N: what revision N added, as its event tells it.
Result<Reply> revision(const Call& call) {
    const auto text = call.query.get("number").value_or("");
    const auto n = api::parse_count(text, "number", std::numeric_limits<int>::max());
    if (!n || *n < 1) return Error(Errc::invalid_parameter, "a revision is a whole number from 1", "number");
    if (call.ledger == nullptr) return Error(Errc::not_found, "this server keeps no revision log", "number");
    const auto all = call.ledger->revisions();
    const auto it = std::find_if(all.begin(), all.end(), [&](const Revision& r) { return r.number == *n; });
    if (it == all.end()) {
        return Error(Errc::not_found, "no revision " + std::string(text) + "; the latest is " + std::to_string(all.back().number),
                     "number");
    }
    const auto records = call.ledger->records_of(it->number);
    if (!records) return records.error();
    return Reply{http::status::ok, Events::describe(*it, *records), "application/json", Freshness::past};
}

Result<Reply> revisions(const Call& call) {
    const auto all = call.ledger != nullptr ? call.ledger->revisions() : std::vector<Revision>();
    // Those the revision asked for knew; a cursor is a revision number.
    const auto known = static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const Revision& r) {
        return static_cast<std::uint64_t>(r.number) <= call.state.revision;
    }));
    const auto paged = page_of(call.query, 'v', known + 1, 1);
    if (!paged) return paged.error();
    const Page page = *paged;
    std::vector<const Revision*> selected;
    std::optional<std::string> next;
    for (std::size_t i = page.from == 0 ? 0 : page.from - 1; i < known; ++i) {
        const Revision& r = all[i];
        if (selected.size() == page.limit) {
            next = cursor_of('v', static_cast<std::size_t>(r.number));
            break;
        }
        selected.push_back(&r);
    }
    Reply reply{http::status::ok, {}, "application/json", Freshness::latest};
    if (call.csv) {
        api::CsvWriter csv;
        csv.row({"number", "created_at", "author", "note", "content_hash"});
        for (const Revision* r : selected) csv.row({std::to_string(r->number), r->created_at, r->author, r->note, r->content_hash});
        reply.body = csv.take();
        reply.content_type = "text/csv; charset=utf-8";
    } else {
        api::JsonWriter w;
        w.begin_object().field("current", static_cast<std::int64_t>(call.state.revision)).key("revisions").begin_array();
        for (const Revision* r : selected) {
            w.begin_object().field("number", static_cast<std::int64_t>(r->number)).field("created_at", r->created_at);
            w.field("author", r->author).field("note", r->note).field("content_hash", r->content_hash).end_object();
        }
        w.end_array().key("next");
        next ? w.value(*next) : w.null();
        w.end_object();
        reply.body = w.take();
    }
    if (next) reply.link = next_link(call.request, *next);
    return reply;
}

}  // namespace crossrate::server::handlers
