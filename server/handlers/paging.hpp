#pragma once
// Lists that page (GET /v1/quotes, /v1/rates/reports, /v1/sources, /v1/revisions): `limit`
// entries at most from an opaque `cursor` on; the answer's `next` (and a Link rel="next"
// header) names the page after. A cursor is the list's letter and the position of the page's
// first entry: positions never change, so a page is the same at any revision it is read at.

#include "server/route.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace crossrate::server::handlers {

inline constexpr std::size_t default_page = 1000;
inline constexpr std::size_t max_page = 10000;

struct Page {
    std::size_t limit = default_page;
    std::size_t from = 0;  // the position the cursor names; 0 without one
};

// The request's limit and cursor, checked: a cursor names a position of this list (letter
// `list`) from `begin` and below `end`.
Result<Page> page_of(const Query& query, char list, std::size_t end, std::size_t begin = 0);
std::string cursor_of(char list, std::size_t position);
// The reply's Link header for the page at `cursor`: the request's target, its cursor replaced.
std::string next_link(const Request& request, std::string_view cursor);

}  // namespace crossrate::server::handlers
