#include "pricing/exact_json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <string>

namespace crossrate {
namespace {

namespace json = boost::json;

// A Boost.JSON parse handler that builds values like json::parser, but keeps each number's
// text instead of converting it.
struct ExactHandler {
    static constexpr std::size_t max_object_size = 1'000'000;
    static constexpr std::size_t max_array_size = 1'000'000;
    static constexpr std::size_t max_key_size = 4096;
    static constexpr std::size_t max_string_size = 1 << 20;

    explicit ExactHandler(json::storage_ptr storage) : stack(std::move(storage)) {}

    json::value_stack stack;
    std::string number;  // a number's text so far, when it arrives in parts

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_array_begin(json::error_code&) { return true; }
    bool on_array_end(std::size_t n, json::error_code&) {
        stack.push_array(n);
        return true;
    }
    bool on_object_begin(json::error_code&) { return true; }
    bool on_object_end(std::size_t n, json::error_code&) {
        stack.push_object(n);
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
        stack.push_chars(s);
        return true;
    }
    bool on_string(json::string_view s, std::size_t, json::error_code&) {
        stack.push_string(s);
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        stack.push_chars(s);
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code&) {
        stack.push_key(s);
        return true;
    }
    bool on_number_part(json::string_view s, json::error_code&) {
        number.append(s.data(), s.size());
        return true;
    }
    bool push_number(json::string_view s) {
        number.append(s.data(), s.size());
        stack.push_string(number);
        number.clear();
        return true;
    }
    bool on_int64(std::int64_t, json::string_view s, json::error_code&) { return push_number(s); }
    bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) { return push_number(s); }
    bool on_double(double, json::string_view s, json::error_code&) { return push_number(s); }
    bool on_bool(bool b, json::error_code&) {
        stack.push_bool(b);
        return true;
    }
    bool on_null(json::error_code&) {
        stack.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

Result<json::value> parse_exact_json(std::string_view text) {
    json::parse_options options;
    options.max_depth = 32;
    json::basic_parser<ExactHandler> parser(options, json::storage_ptr());
    parser.handler().stack.reset();
    json::error_code ec;
    const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!ec && used != text.size()) ec = json::error::extra_data;
    if (ec) {
        const auto upto = text.substr(0, std::min(used, text.size()));
        const auto line = std::count(upto.begin(), upto.end(), '\n') + 1;
        const auto last_break = upto.rfind('\n');
        const auto column = used - (last_break == std::string_view::npos ? 0 : last_break + 1) + 1;
        return Error(Errc::invalid_parameter,
                     "the body is not valid JSON: " + ec.message() + " at line " + std::to_string(line) +
                         ", column " + std::to_string(column),
                     "body");
    }
    return parser.handler().stack.release();
}

}  // namespace crossrate
