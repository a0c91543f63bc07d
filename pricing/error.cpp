#include "pricing/error.hpp"

namespace crossrate {

std::string_view to_string(Errc code) noexcept {
    switch (code) {
        case Errc::invalid_amount: return "invalid_amount";
        case Errc::overflow: return "overflow";
        case Errc::division_by_zero: return "division_by_zero";
        case Errc::unknown_currency: return "unknown_currency";
        case Errc::invalid_date: return "invalid_date";
        case Errc::invalid_parameter: return "invalid_parameter";
        case Errc::no_rate_series: return "no_rate_series";
        case Errc::no_rate_in_window: return "no_rate_in_window";
        case Errc::not_found: return "not_found";
        case Errc::too_large: return "too_large";
        case Errc::unauthorized: return "unauthorized";
        case Errc::forbidden: return "forbidden";
        case Errc::conflict: return "conflict";
        case Errc::unsupported_media_type: return "unsupported_media_type";
        case Errc::data_error: return "data_error";
        case Errc::internal: return "internal";
        case Errc::overloaded: return "overloaded";
        case Errc::deadline_exceeded: return "deadline_exceeded";
        case Errc::storage: return "storage";
        case Errc::too_many_requests: return "too_many_requests";
        case Errc::stale_revision: return "stale_revision";
        case Errc::method_not_allowed: return "method_not_allowed";
    }
    return "unknown";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) { throw e; }

}  // namespace crossrate
