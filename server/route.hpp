#pragma once
// What a route is: a method, a path, the query parameters it takes, and a handler that turns
// a call into a reply. Handlers see the model and the parsed request, never a socket; the
// table of routes (routes.cpp) is the one list the router and the OpenAPI test read.

#include "pricing/cancellation.hpp"
#include "pricing/dataset.hpp"
#include "server/config.hpp"
#include "server/http.hpp"
#include "server/metrics.hpp"
#include "server/query.hpp"

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate::server {

// How long a client may reuse an answer (Cache-Control).
enum class Freshness {
    past,         // about a date gone by: an hour
    latest,       // about "now" or the latest data: a minute
    reference,    // lists of sources, items, currencies, the OpenAPI document: five minutes
    operational,  // health, readiness, metrics: never stored
};

struct Reply;
// How a computed answer changes with one query parameter's value (Route::varies_by): the reply
// the same request has with another value, or none for a value the route would refuse. Made by
// the handler from the parts of its answer that do not depend on the value, with the functions
// it answers with, so what it makes is the handler's own answer byte for byte.
using Variation = std::function<std::optional<Reply>(std::string_view value)>;

struct Reply {
    Reply() = default;
    Reply(http::status s, std::string b, std::string type = "application/json", Freshness f = Freshness::latest)
        : status(s), body(std::move(b)), content_type(std::move(type)), freshness(f) {}

    http::status status = http::status::ok;
    std::string body;
    std::string content_type = "application/json";
    Freshness freshness = Freshness::latest;
    std::string link;  // a Link header: a list's next page
    // Other values of the route's varies_by parameter, answered (see Call::wants_variation).
    std::shared_ptr<const Variation> variation;
};

// What the server knows beyond the dataset, for the operational routes.
struct ServerState {
    const Metrics& metrics;
    std::uint64_t revision;
    bool ready;
};

}  // namespace crossrate::server
namespace crossrate {
class Ledger;
}
namespace crossrate::api {
struct ConversionFrame;
}
namespace crossrate::server {

class Tokens;
template <class T>
class Memo;

struct Call {
    const Request& request;
    const Query& query;
    const Dataset& data;
    const Config& config;
    const ServerState& state;
    Ledger* ledger;        // none: writes are refused
    const Tokens& tokens;  // the writers
    const Cancellation& cancel;  // long loops check it: a deadline, and shutdown
    bool csv;  // the client asked for CSV (Accept: text/csv, or format=csv) on a route that answers it
    // Conversions' rendered frames at the revision served (none at a pinned past one).
    const Memo<api::ConversionFrame>* conversion_frames = nullptr;
    // The answer is kept ready to send, and its route varies_by a parameter: a 200 carries its
    // Variation, which answers the same request with other values of it from the reply cache.
    bool wants_variation = false;
};

struct Route {
    std::string_view name;  // metrics label: "convert"
    http::verb method;      // GET routes answer HEAD too
    std::string_view path;  // may end in one "{name}" segment: a path parameter, read as a query one
    std::vector<std::string_view> params;
    Result<Reply> (*handler)(const Call&);  // a refusal is its Error, returned
    // A POST that only computes (scenarios, batch conversions): like a read, it takes
    // revision=N and names the revision it answered at.
    bool computes = false;
    // A GET whose answer may take long (a series over years of dates, a list that grows with
    // the data, the revision log that a write holds while it commits): answered on the
    // compute pool, like the computing POSTs.
    bool long_read = false;
    // A stream (GET /v1/events): the handler checks the request, the session streams.
    bool stream = false;
    // A query parameter the answer's other values are made from without routing and parsing
    // the request again (Reply::variation): the conversion's amount. A converter asked for
    // ever-new amounts at one pair and date is answered from the reply cache this way.
    std::string_view varies_by = {};

    // Whether the route answers from the dataset without changing it.
    bool pinnable() const noexcept { return (method == http::verb::get && !stream) || computes; }
};

const std::vector<Route>& routes();

// Whether `path` is the route's; a "{name}" segment's value is put in `parameter`.
bool path_matches(const Route& route, std::string_view path, std::pair<std::string, std::string>* parameter = nullptr);
// The routes whose path `path` is (any method), as indexes into routes(), in the table's
// order: the fixed paths are looked up, not compared one by one.
struct RoutesAt {
    std::array<std::size_t, 4> index{};  // a path has a route per method it takes
    std::size_t size = 0;
    const std::size_t* begin() const noexcept { return index.data(); }
    const std::size_t* end() const noexcept { return index.data() + size; }
    bool empty() const noexcept { return size == 0; }
};
RoutesAt routes_at(std::string_view path);
// Their names, by index: the metrics' route labels.
std::vector<std::string> route_names();

// The freshness of an answer about `date` (none: the latest data).
Freshness freshness_of(std::optional<Date> date);

// Whether a route answers CSV (Accept: text/csv, or format=csv) beside JSON: it then takes the
// format parameter and its answers vary by Accept.
bool answers_csv(std::string_view route) noexcept;

}  // namespace crossrate::server
