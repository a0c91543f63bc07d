#include "server/quote_csv.hpp"

#include "pricing/csv.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <iterator>

namespace crossrate::server {
namespace json = boost::json;
namespace {

constexpr std::string_view quote_columns[] = {
    "item",          "kind",          "side",          "amount",       "low",           "high",
    "approximate",   "upper_bound",   "currency",      "unit",         "location",      "observed_date",
    "observed_precision", "observed_inferred", "observed_note", "source", "excerpt", "note", "supersedes"};

}  // namespace

std::string quote_csv_header() {
    std::string header;
    for (auto c : quote_columns) header += (header.empty() ? "" : ",") + std::string(c);
    return header;
}

json::value quotes_from_csv(std::string_view text, std::vector<FieldProblem>& problems) {
    CsvReader csv(text, "body");
    std::vector<std::string_view> fields;
    json::object rows;  // by line number, so pointers name lines
    try {
        if (!csv.next(fields) || !std::equal(fields.begin(), fields.end(), std::begin(quote_columns), std::end(quote_columns))) {
            problems.push_back({"/1", "expected the header " + quote_csv_header()});
            return rows;
        }
        while (csv.next(fields)) {
            const std::string line = std::to_string(csv.line());
            if (fields.size() != std::size(quote_columns)) {
                problems.push_back({"/" + line, "expected " + std::to_string(std::size(quote_columns)) + " fields, found " +
                                                    std::to_string(fields.size())});
                continue;
            }
            const auto cell = [&](std::size_t i) -> json::value {
                return fields[i].empty() ? json::value(nullptr) : json::value(json::string(fields[i]));
            };
            // Anything but true/false stays text, for the record's checks to report.
            const auto flag = [&](std::size_t i) -> json::value {
                if (fields[i] == "true") return true;
                if (fields[i] == "false") return false;
                return json::string(fields[i]);
            };
            json::object q;
            const char* plain[] = {"item", "kind", "side", "amount", "low", "high"};
            for (std::size_t i = 0; i < 6; ++i) q[plain[i]] = cell(i);
            q["approximate"] = flag(6);
            q["upper_bound"] = flag(7);
            q["currency"] = cell(8);
            q["unit"] = cell(9);
            q["location"] = cell(10);
            json::object observed;
            observed["date"] = cell(11);
            observed["precision"] = cell(12);
            observed["inferred"] = flag(13);
            observed["note"] = cell(14);
            q["observed"] = std::move(observed);
            q["source"] = cell(15);
            json::array excerpts;
            if (!fields[16].empty()) excerpts.emplace_back(json::string(fields[16]));
            q["excerpts"] = std::move(excerpts);
            q["note"] = cell(17);
            if (!fields[18].empty()) q["supersedes"] = json::string(fields[18]);
            rows[line] = std::move(q);
        }
    } catch (const Error& e) {
        problems.push_back({"/" + std::to_string(csv.line()), e.what()});
    }
    return rows;
}

}  // namespace crossrate::server
