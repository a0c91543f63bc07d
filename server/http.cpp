#include "server/http.hpp"

#include <boost/beast/http/rfc7230.hpp>

#include <string>

namespace crossrate::server {

bool keeps_alive(const Request& request) {
    bool close = false;
    bool keep_alive = false;
    for (const auto& f : request) {
        if (f.name() != http::field::connection) continue;
        http::token_list tokens(f.value());
        close = close || tokens.exists("close");
        keep_alive = keep_alive || tokens.exists("keep-alive");
    }
    return !close && (request.version() >= 11 || keep_alive);
}

std::string serialize_head(const http::response_header<>& res, bool end) {
    std::string out;
    out.reserve(384);
    out.append("HTTP/1.1 ");
    out.append(std::to_string(res.result_int()));
    out.push_back(' ');
    const auto reason = res.reason();
    out.append(reason.data(), reason.size());
    out.append("\r\n");
    for (const auto& field : res) {
        out.append(field.name_string().data(), field.name_string().size());
        out.append(": ", 2);
        out.append(field.value().data(), field.value().size());
        out.append("\r\n", 2);
    }
    if (end) out.append("\r\n", 2);
    return out;
}

}  // namespace crossrate::server
