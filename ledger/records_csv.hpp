#pragma once
// Records as CSV, for bulk import (POST /v1/quotes, /v1/rates, /v1/sources with text/csv;
// `crossrate import`): one row per record under a header naming the columns, which also says
// what the records are. Each row becomes the JSON object a JSON write takes, so the checks are
// the same ones; a date's columns (observed_date, observed_precision, ...) become its object.
// The lists read out as CSV (GET /v1/quotes, /v1/rates/reports, /v1/sources) are written in
// the same columns, after an `id` column, so what reads out can be edited and written back.

#include "pricing/dataset_loader.hpp"
#include "ledger/ledger.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <span>
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
// quoting) go to `problems` as the rows are read. `text` must outlive the writer's use. The
// header may start with an `id` column (a list read out as CSV); a list column (a quote's
// `excerpt`) holds one entry a line.
Ledger::Records csv_records(Ledger::Kind kind, std::string_view text, std::vector<FieldProblem>& problems);

// The records in the import's columns, after an `id` column (which the import reads too): a
// list read out as CSV. Written back as they are, the rows are refused as JSON records with
// ids are; a row with its id moved under `supersedes` corrects the record, one with no id
// adds a new one. A quote whose amount is its range's midpoint leaves the amount empty, as
// the import takes such a quote; a list (a quote's excerpts) holds one entry a line.
std::string quotes_csv(std::span<const Quote* const> quotes);
std::string rate_reports_csv(std::span<const RateReport* const> reports);
std::string sources_csv(std::span<const Source* const> sources);

// The CSV column a problem's field (the pointer's part after the line: "observed/date",
// "excerpts/0") came from, "observed_date" and "excerpt"; the field itself when no column is.
std::string csv_column(Ledger::Kind kind, std::string_view field);

}  // namespace crossrate
