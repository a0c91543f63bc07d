#pragma once
// A strict RFC 4180 reader: comma-separated, double quotes around fields that hold commas,
// quotes or line breaks, "" for a quote inside them. Records may be ragged; the caller says
// what a short record means. Fields are views into the text (or into the reader, where a
// quoted field had to be unescaped) and live until the next call to next().

#include "pricing/error.hpp"

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate {

class CsvReader {
public:
    // `name` is used in error messages ("fixtures/rates/market.csv").
    CsvReader(std::string_view text, std::string name);

    // The next record into `fields`: true, or false at the end; a data_error on a malformed
    // quote ("fixtures/rates/market.csv:12: a quoted field is never closed").
    Result<bool> read(std::vector<std::string_view>& fields);
    // The line the last record started on (1-based).
    std::size_t line() const noexcept { return record_line_; }
    const std::string& name() const noexcept { return name_; }

    // "fixtures/rates/market.csv:12: field 'value': reason" as a data_error.
    Error error(std::string_view field, std::string_view reason) const;

private:
    std::string_view text_;
    std::string name_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t record_line_ = 0;
    std::deque<std::string> unescaped_;
};

}  // namespace crossrate
