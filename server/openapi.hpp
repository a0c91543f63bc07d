#pragma once
// server/openapi.json, compiled in: the document GET /openapi.json serves.

#include <string_view>

namespace crossrate::server {

std::string_view openapi_json() noexcept;

}  // namespace crossrate::server
