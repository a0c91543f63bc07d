#pragma once
// Records as CSV, for bulk import (POST /v1/quotes, /v1/rates, /v1/sources with text/csv;
// `crossrate import`): one row per record under a header naming the columns, which also says
// what the records are. Each row becomes the JSON object a JSON write takes, so the checks are
// the same ones; a date's columns (observed_date, observed_precision, ...) become its object.

#include "pricing/dataset_loader.hpp"
#include "ledger/ledger.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate {

// The header a CSV of `kind` records starts with.
std::string csv_header(Ledger::Kind kind);

// The kind of records a CSV holds, by its header; none when the header is no kind's.
std::optional<Ledger::Kind> csv_kind(std::string_view text);

// The rows, one at a time as the JSON object a JSON write takes, each named by its line
// ("/3", so problems read "/3/amount"); problems with the file itself (header, field counts,
// quoting) go to `problems` as the rows are read. `text` must outlive the writer's use.
Ledger::Records csv_records(Ledger::Kind kind, std::string_view text, std::vector<FieldProblem>& problems);

// The CSV column a problem's field (the pointer's part after the line: "observed/date",
// "excerpts/0") came from, "observed_date" and "excerpt"; the field itself when no column is.
std::string csv_column(Ledger::Kind kind, std::string_view field);

}  // namespace crossrate
