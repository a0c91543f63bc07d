#pragma once
// The HTTP types every part of the server shares.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace crossrate::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The status line and fields as they go on the wire, and the blank line that ends them unless
// `end` is false (more fields follow). Every answer carries Content-Length or has no body, so
// no chunking is ever needed.
std::string serialize_head(const http::response_header<>& res, bool end = true);

// Whether the client keeps the connection after this request: HTTP/1.1 unless a Connection
// field lists "close", HTTP/1.0 only if one lists "keep-alive" and none "close". Every
// Connection field counts (a list may come over several, RFC 9110 5.3); Beast's
// message::keep_alive() reads only the first.
bool keeps_alive(const Request& request);

}  // namespace crossrate::server
