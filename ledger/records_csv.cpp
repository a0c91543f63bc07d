#include "ledger/records_csv.hpp"

#include "pricing/csv.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <span>

namespace crossrate {
namespace json = boost::json;
namespace {

// Where a column's cell goes in the record: a field, or a field of a date object.
struct Column {
    enum Type { text, flag, list };
    std::string_view name;
    std::string_view key;
    std::string_view sub = {};  // the date object's field
    Type type = text;
};

constexpr Column quote_columns[] = {
    {"item", "item"},
    {"kind", "kind"},
    {"side", "side"},
    {"amount", "amount"},
    {"low", "low"},
    {"high", "high"},
    {"approximate", "approximate", {}, Column::flag},
    {"qualifier", "qualifier"},
    {"tail", "tail"},
    {"currency", "currency"},
    {"unit", "unit"},
    {"location", "location"},
    {"observed_date", "observed", "date"},
    {"observed_precision", "observed", "precision"},
    {"observed_inferred", "observed", "inferred", Column::flag},
    {"observed_note", "observed", "note"},
    {"source", "source"},
    {"excerpt", "excerpts", {}, Column::list},
    {"note", "note"},
    {"supersedes", "supersedes"},
};

// The quotes header before `qualifier` and `tail`, which had `upper_bound` in their place: still
// read (see read_quote).
std::span<const Column> legacy_quote_columns() {
    static const std::vector<Column> columns = [] {
        std::vector<Column> c;
        for (const Column& column : quote_columns) {
            if (column.name == "qualifier") {
                c.push_back({"upper_bound", "upper_bound", {}, Column::flag});
            } else if (column.name != "tail") {
                c.push_back(column);
            }
        }
        return c;
    }();
    return columns;
}

constexpr Column rate_columns[] = {
    {"kind", "kind"},
    {"base", "base"},
    {"quote", "quote"},
    {"value", "value"},
    {"per", "per"},
    {"date", "date", "date"},
    {"precision", "date", "precision"},
    {"inferred", "date", "inferred", Column::flag},
    {"date_note", "date", "note"},
    {"approximate", "approximate", {}, Column::flag},
    {"qualifier", "qualifier"},
    {"location", "location"},
    {"source", "source"},
    {"excerpt", "excerpt"},
    {"note", "note"},
    {"supersedes", "supersedes"},
};

constexpr Column source_columns[] = {
    {"kind", "kind"},
    {"publisher", "publisher"},
    {"title", "title"},
    {"label", "label"},
    {"language", "language"},
    {"url", "url"},
    {"published_date", "published", "date"},
    {"published_precision", "published", "precision"},
    {"published_inferred", "published", "inferred", Column::flag},
    {"published_note", "published", "note"},
    {"published_english_date", "published_english", "date"},
    {"published_english_precision", "published_english", "precision"},
    {"published_english_inferred", "published_english", "inferred", Column::flag},
    {"published_english_note", "published_english", "note"},
    {"version", "version"},
    {"license", "license"},
};

// The rates header before `per` and `qualifier`: still read (both are optional).
std::span<const Column> legacy_rate_columns() {
    static const std::vector<Column> columns = [] {
        std::vector<Column> c;
        for (const Column& column : rate_columns) {
            if (column.name != "per" && column.name != "qualifier") c.push_back(column);
        }
        return c;
    }();
    return columns;
}

// A kind's earlier header, still accepted.
std::span<const Column> legacy_columns_of(Ledger::Kind kind) {
    switch (kind) {
        case Ledger::Kind::quote: return legacy_quote_columns();
        case Ledger::Kind::rate: return legacy_rate_columns();
        case Ledger::Kind::source: return {};
    }
    return {};
}

std::span<const Column> columns_of(Ledger::Kind kind) {
    switch (kind) {
        case Ledger::Kind::quote: return quote_columns;
        case Ledger::Kind::rate: return rate_columns;
        case Ledger::Kind::source: return source_columns;
    }
    return quote_columns;
}

bool is_header(std::span<const Column> columns, const std::vector<std::string_view>& fields) {
    return std::equal(fields.begin(), fields.end(), columns.begin(), columns.end(),
                      [](std::string_view f, const Column& c) { return f == c.name; });
}

// An empty cell is null (absent); a flag other than true/false stays text for the record's
// checks to report; a date object none of whose cells is filled is left out.
json::object row_record(std::span<const Column> columns, const std::vector<std::string_view>& fields) {
    json::object record;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const Column& c = columns[i];
        const std::string_view cell = fields[i];
        json::value v;
        if (c.type == Column::list) {
            json::array list;
            if (!cell.empty()) list.emplace_back(json::string(cell));
            v = std::move(list);
        } else if (cell.empty()) {
            v = nullptr;
        } else if (c.type == Column::flag && (cell == "true" || cell == "false")) {
            v = cell == "true";
        } else {
            v = json::string(cell);
        }
        if (c.sub.empty()) {
            record[c.key] = std::move(v);
            continue;
        }
        if (v.is_null()) continue;
        json::value& date = record[c.key];
        if (!date.is_object()) date = json::object();
        date.as_object()[c.sub] = std::move(v);
    }
    return record;
}

}  // namespace

std::string csv_header(Ledger::Kind kind) {
    std::string header;
    for (const auto& c : columns_of(kind)) header += (header.empty() ? "" : ",") + std::string(c.name);
    return header;
}

std::optional<Ledger::Kind> csv_kind(std::string_view text) {
    CsvReader csv(text, "body");
    std::vector<std::string_view> fields;
    try {
        if (!csv.next(fields)) return std::nullopt;
    } catch (const Error&) {
        return std::nullopt;
    }
    for (const auto kind : {Ledger::Kind::quote, Ledger::Kind::rate, Ledger::Kind::source}) {
        if (is_header(columns_of(kind), fields)) return kind;
        if (!legacy_columns_of(kind).empty() && is_header(legacy_columns_of(kind), fields)) return kind;
    }
    return std::nullopt;
}

std::string csv_column(Ledger::Kind kind, std::string_view field) {
    const auto slash = field.find('/');
    const std::string_view key = field.substr(0, slash);
    std::string_view sub = slash == std::string_view::npos ? std::string_view() : field.substr(slash + 1);
    for (const auto& c : columns_of(kind)) {
        if (c.key != key) continue;
        if (c.sub.empty() || c.sub == sub) return std::string(c.name);  // a list's index goes with its column
    }
    return std::string(field);
}

Ledger::Records csv_records(Ledger::Kind kind, std::string_view text, std::vector<FieldProblem>& problems) {
    return [kind, text, &problems](const Ledger::Visit& visit) {
        std::span<const Column> columns = columns_of(kind);
        CsvReader csv(text, "body");
        std::vector<std::string_view> fields;
        try {
            const bool read = csv.next(fields);
            if (read && !legacy_columns_of(kind).empty() && is_header(legacy_columns_of(kind), fields)) columns = legacy_columns_of(kind);
            if (!read || !is_header(columns, fields)) {
                problems.push_back({"/1", "expected the header " + csv_header(kind)});
                return;
            }
            while (csv.next(fields)) {
                const std::string line = "/" + std::to_string(csv.line());
                if (fields.size() != columns.size()) {
                    problems.push_back({line, "expected " + std::to_string(columns.size()) + " fields, found " +
                                                  std::to_string(fields.size())});
                    continue;
                }
                visit(line, row_record(columns, fields));
            }
        } catch (const Error& e) {
            problems.push_back({"/" + std::to_string(csv.line()), e.what()});
        }
    };
}

}  // namespace crossrate
