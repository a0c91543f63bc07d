#pragma once
// The HTTP types every part of the server shares.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace crossrate::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

}  // namespace crossrate::server
