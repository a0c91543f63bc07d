#pragma once
// crossrate import: a quotes CSV written as one new revision, into a local data directory or
// through a running server's POST /v1/quotes.

#include "cli/args.hpp"

namespace crossrate::cli {

// Exit status: 0 written, 1 not written (unreachable server, refused token, store error),
// 2 the file has problems (each printed as FILE:LINE: field: detail; nothing written).
int run_import(const Args& args);

}  // namespace crossrate::cli
