#include "server/handlers/paging.hpp"

#include "api/requests.hpp"

#include <limits>

namespace crossrate::server::handlers {

Result<Page> page_of(const Query& query, char list, std::size_t end, std::size_t begin) {
    Page page;
    if (const auto limit = query.get("limit")) {
        const auto n = api::parse_count(*limit, "limit", static_cast<int>(max_page));
        if (!n || *n < 1) {
            return Error(Errc::invalid_parameter, "limit must be a whole number from 1 to " + std::to_string(max_page), "limit");
        }
        page.limit = static_cast<std::size_t>(*n);
    }
    if (const auto cursor = query.get("cursor")) {
        const auto n = cursor->size() > 1 && cursor->front() == list
                           ? api::parse_count(cursor->substr(1), "cursor", std::numeric_limits<int>::max())
                           : Result<int>(Error(Errc::invalid_parameter, "", "cursor"));
        if (!n || static_cast<std::size_t>(*n) >= end || static_cast<std::size_t>(*n) < begin) {
            return Error(Errc::invalid_parameter,
                         "cursor '" + std::string(*cursor) + "' is not one this list gave: use the `next` of a page", "cursor");
        }
        page.from = static_cast<std::size_t>(*n);
    }
    return page;
}

std::string cursor_of(char list, std::size_t position) { return list + std::to_string(position); }

std::string next_link(const Request& request, std::string_view cursor) {
    const std::string_view target(request.target().data(), request.target().size());
    const auto question = target.find('?');
    std::string link = "<" + std::string(target.substr(0, question)) + "?";
    for (std::string_view query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
         !query.empty();) {
        const auto amp = query.find('&');
        const std::string_view param = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (param.empty() || param.substr(0, param.find('=')) == "cursor") continue;
        link += std::string(param) + "&";
    }
    return link + "cursor=" + std::string(cursor) + ">; rel=\"next\"";
}

}  // namespace crossrate::server::handlers
