#pragma once
// Quotes as CSV, for bulk import (POST /v1/quotes with text/csv, `crossrate import`): one row
// per quote under a header naming the columns. Each row becomes the JSON object a JSON write
// takes, so the checks are the same ones.

#include "pricing/dataset_loader.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crossrate::server {

// The header a quotes CSV starts with.
std::string quote_csv_header();

// The rows as an object keyed by line number ("3"), for the writer to check with pointers
// such as "/3/amount"; problems with the file itself (header, field counts, quoting) go to
// `problems`.
boost::json::value quotes_from_csv(std::string_view text, std::vector<FieldProblem>& problems);

}  // namespace crossrate::server
