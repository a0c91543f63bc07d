#pragma once
// The one CSV writer of crossrate's tables (RFC 4180): a field holding a comma, a quote or a
// line break is quoted, its quotes doubled; lines end with \n.

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace crossrate::api {

class CsvWriter {
public:
    void row(std::initializer_list<std::string_view> fields) { write_row(fields); }
    // A row whose columns are a list (the records' columns, ledger/records_csv.hpp).
    void row(std::span<const std::string> fields) { write_row(fields); }
    std::string take() { return std::move(out_); }

private:
    template <class Fields>
    void write_row(const Fields& fields) {
        bool first = true;
        for (const std::string_view f : fields) {
            if (!first) out_.push_back(',');
            first = false;
            field(f);
        }
        out_.push_back('\n');
    }
    void field(std::string_view f) {
        if (f.find_first_of(",\"\r\n") == std::string_view::npos) {
            out_.append(f);
            return;
        }
        out_.push_back('"');
        for (const char c : f) {
            if (c == '"') out_.push_back('"');
            out_.push_back(c);
        }
        out_.push_back('"');
    }
    std::string out_;
};

}  // namespace crossrate::api
