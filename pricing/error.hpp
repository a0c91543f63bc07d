#pragma once
// The one domain error of the model: a stable machine-readable code, a message that says
// why, and (where it came from a request) the offending parameter. Parsers and lookups
// return it in a result; arithmetic throws it on overflow.

#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace crossrate {

enum class Errc {
    invalid_amount,     // not a decimal number, or too many digits
    overflow,           // a result outside the documented decimal range
    division_by_zero,
    unknown_currency,
    invalid_date,
    invalid_parameter,  // a value of a known parameter that makes no sense (policy=sideways)
    no_rate_series,     // no series of the asked kind connects the currencies
    no_rate_in_window,  // a series exists, but no observation within max_gap
    not_found,          // an id (source, item, quote) that is not in the dataset
    too_large,          // a request beyond a configured limit (batch size, series points)
    unauthorized,       // a write without a bearer token
    forbidden,          // a write with a token that is not one of the writers'
    conflict,           // an Idempotency-Key used again for a different request
    unsupported_media_type,
    data_error,         // a fixture or import file that does not load
    internal,           // a fault of the server's own: the request may be fine
    overloaded,         // the server is out of room for this work now (a full queue, memory)
    deadline_exceeded,  // the work ran past its time and was stopped
    storage,            // the revision log cannot be written (disk full, file gone, I/O error)
    too_many_requests,  // this client has been slowed down (repeated bad tokens)
    stale_revision,     // another process wrote the revision first, or this replica is behind the asked one
    method_not_allowed, // the path exists for other methods
};

std::string_view to_string(Errc code) noexcept;

class Error : public std::runtime_error {
public:
    Error() : Error(Errc::invalid_parameter, "no error") {}  // for Result<T>::error() on a value
    Error(Errc code, std::string message, std::string param = {})
        : std::runtime_error(std::move(message)), code_(code), param_(std::move(param)) {}

    Errc code() const noexcept { return code_; }
    std::string_view code_name() const noexcept { return to_string(code_); }
    // The request parameter the error is about ("amount", "date"), or empty.
    const std::string& param() const noexcept { return param_; }

    Error with_param(std::string param) const { return Error(code_, what(), std::move(param)); }

private:
    Errc code_;
    std::string param_;
};

template <class T>
using Result = boost::system::result<T, Error>;

// Lets Result<T>::value() throw the Error itself (found by argument-dependent lookup).
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace crossrate
