// The request target: split, percent-decoded, checked against a route's parameters, and its
// values read by the shared parameter parsers. Every decoded name and value is UTF-8; every
// problem document the server would write of it is valid JSON text; a value found in place
// (plain_value_of) is the one parse_target reads.

#include "api/requests.hpp"
#include "api/utf8.hpp"
#include "fuzz/fuzz_support.hpp"
#include "server/problem.hpp"
#include "server/query.hpp"

#include <boost/json/parse.hpp>

#include <array>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace crossrate;
    const std::string_view target = fuzz::text_of(data, size);
    auto parsed = server::parse_target(target);
    const Error error = parsed ? Error() : parsed.error();
    if (parsed) {
        fuzz::require(api::is_utf8(parsed->path), "a decoded path is UTF-8");
        for (const auto& [name, value] : parsed->params) {
            fuzz::require(api::is_utf8(name) && api::is_utf8(value), "decoded parameters are UTF-8");
        }
        const server::Query query(parsed->params);
        static constexpr std::array<std::string_view, 5> allowed{"amount", "from", "to", "date", "kind"};
        (void)query.check(allowed);
        (void)api::parse_convert_request(query.params(), fuzz::dataset());
        (void)api::parse_margin_request(query.params(), fuzz::dataset());
        if (const auto date = query.get("date")) (void)api::parse_date_param(*date, "date");
        if (const auto n = query.get("amount")) (void)api::parse_count(*n, "amount", 1000);
    }
    // Where the reply cache finds an amount's value (an answer made from a kept one for another
    // amount): it is the value parse_target reads, of the one parameter of that name.
    if (const auto at = server::plain_value_of(target, "amount")) {
        fuzz::require(parsed.has_value(), "a target with a plain value parses");
        int named = 0;
        for (const auto& [name, value] : parsed->params) {
            if (name != "amount") continue;
            ++named;
            fuzz::require(value == target.substr(at->begin, at->end - at->begin), "the plain value is the parsed one");
        }
        fuzz::require(named == 1, "a plain value's parameter is named once");
    }
    // Whatever the target held, the problem document naming it is JSON.
    const auto reply = server::problem(error, target);
    boost::system::error_code ec;
    boost::json::parse(reply.body, ec);
    fuzz::require(!ec, "a problem document is valid JSON");
    return 0;
}
