#include "ledger/records_csv.hpp"

#include "api/csv_writer.hpp"
#include "pricing/csv.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <span>
#include <stdexcept>

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
    {"text", "text"},
};

// The sources header before `text` ("excerpt only", or empty): still read.
std::span<const Column> legacy_source_columns() { return std::span(source_columns).first(std::size(source_columns) - 1); }

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
        case Ledger::Kind::source: return legacy_source_columns();
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

// Whether `fields` are the columns, after an `id` column when `with_id` (a list read out as
// CSV starts with its records' ids).
bool is_header(std::span<const Column> columns, std::span<const std::string_view> fields, bool with_id = false) {
    if (with_id) {
        if (fields.empty() || fields.front() != "id") return false;
        fields = fields.subspan(1);
    }
    return std::equal(fields.begin(), fields.end(), columns.begin(), columns.end(),
                      [](std::string_view f, const Column& c) { return f == c.name; });
}

// The columns a header names for `kind` (its own, or its earlier ones), and whether an `id`
// column comes first; none when it is not the kind's.
std::optional<std::pair<std::span<const Column>, bool>> header_of(Ledger::Kind kind,
                                                                   const std::vector<std::string_view>& fields) {
    for (const bool with_id : {false, true}) {
        for (const auto columns : {columns_of(kind), legacy_columns_of(kind)}) {
            if (!columns.empty() && is_header(columns, fields, with_id)) return std::pair(columns, with_id);
        }
    }
    return std::nullopt;
}

// An empty cell is null (absent); a flag other than true/false stays text for the record's
// checks to report; a list holds one entry a line; a date object none of whose cells is filled
// is left out. A filled `id` cell is the record's id, which the record's checks refuse as a
// JSON write's: ids are the server's to give.
json::object row_record(std::span<const Column> columns, std::span<const std::string_view> fields, bool with_id) {
    json::object record;
    if (with_id) {
        if (!fields.front().empty()) record["id"] = json::string(fields.front());
        fields = fields.subspan(1);
    }
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const Column& c = columns[i];
        const std::string_view cell = fields[i];
        json::value v;
        if (c.type == Column::list) {
            json::array list;
            for (std::size_t start = 0; start < cell.size();) {
                const std::size_t end = std::min(cell.find('\n', start), cell.size());
                std::string_view entry = cell.substr(start, end - start);
                if (entry.ends_with('\r')) entry.remove_suffix(1);
                if (!entry.empty()) list.emplace_back(json::string(entry));
                start = end + 1;
            }
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
    if (const auto header = csv.read(fields); !header || !*header) return std::nullopt;
    for (const auto kind : {Ledger::Kind::quote, Ledger::Kind::rate, Ledger::Kind::source}) {
        if (header_of(kind, fields)) return kind;
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
        CsvReader csv(text, "body");
        std::vector<std::string_view> fields;
        // A syntax error ends the reading, at its line.
        const auto readable = [&](const Result<bool>& read) {
            if (!read) problems.push_back({"/" + std::to_string(csv.line()), read.error().what()});
            return read && *read;
        };
        const auto first = csv.read(fields);
        if (!first) {
            readable(first);
            return;
        }
        const auto header = *first ? header_of(kind, fields) : std::nullopt;
        if (!header) {
            problems.push_back({"/1", "expected the header " + csv_header(kind)});
            return;
        }
        const auto [columns, with_id] = *header;
        const std::size_t width = columns.size() + (with_id ? 1 : 0);
        while (readable(csv.read(fields))) {
            const std::string line = "/" + std::to_string(csv.line());
            if (fields.size() != width) {
                problems.push_back({line, "expected " + std::to_string(width) + " fields, found " +
                                              std::to_string(fields.size())});
                continue;
            }
            visit(line, row_record(columns, fields, with_id));
        }
    };
}

namespace {

// The cells of a record's columns, as row_record reads them back: an empty cell for what is
// absent, true/false for a flag, a list one entry a line, decimals with their own digits.
std::string cell(const std::optional<std::string>& text) { return text.value_or(""); }
std::string cell(const std::optional<Decimal>& d) { return d ? d->to_string() : std::string(); }
std::string cell(bool flag) { return flag ? "true" : "false"; }
std::string cell(std::span<const std::string> list) {
    std::string out;
    for (const auto& entry : list) out += (out.empty() ? "" : "\n") + entry;
    return out;
}
// A date object's column `sub`; empty when there is no date.
std::string cell(const ReportedDate& d, std::string_view sub) {
    if (sub == "date") return d.text();
    if (sub == "precision") return std::string(to_string(d.precision));
    if (sub == "inferred") return cell(d.inferred);
    return d.note;
}
std::string cell(const std::optional<ReportedDate>& d, std::string_view sub) { return d ? cell(*d, sub) : std::string(); }

[[noreturn]] void no_cell(const Column& c) {
    throw std::logic_error("records_csv: no cell for the column " + std::string(c.name));
}

std::string cell(const Quote& q, const Column& c) {
    const std::string_view key = c.key;
    if (!c.sub.empty()) return cell(q.observed, c.sub);
    if (key == "item") return q.item;
    if (key == "kind") return q.kind;
    if (key == "side") return q.side ? std::string(to_string(*q.side)) : "";
    // A range's midpoint is no figure the source gave: left empty, it is worked out again.
    if (key == "amount") return q.midpoint ? "" : q.amount.to_string();
    if (key == "low") return cell(q.low);
    if (key == "high") return cell(q.high);
    if (key == "approximate") return cell(q.approximate);
    if (key == "qualifier") return q.qualifier;
    if (key == "tail") return q.tail ? std::string(to_string(*q.tail)) : "";
    if (key == "currency") return std::string(q.currency.view());
    if (key == "unit") return q.unit;
    if (key == "location") return q.location;
    if (key == "source") return q.source;
    if (key == "excerpts") return cell(q.excerpts);
    if (key == "note") return q.note;
    if (key == "supersedes") return {};
    no_cell(c);
}

std::string cell(const RateReport& r, const Column& c) {
    const std::string_view key = c.key;
    if (!c.sub.empty()) return cell(r.date, c.sub);
    if (key == "kind") return std::string(to_string(r.kind));
    if (key == "base") return std::string(r.base.view());
    if (key == "quote") return std::string(r.quote.view());
    if (key == "value") return r.value.to_string();
    if (key == "per") return r.per.to_string();
    if (key == "approximate") return cell(r.approximate);
    if (key == "qualifier") return r.qualifier;
    if (key == "location") return r.location;
    if (key == "source") return r.source;
    if (key == "excerpt") return r.excerpt;
    if (key == "note") return r.note;
    if (key == "supersedes") return {};
    no_cell(c);
}

std::string cell(const Source& s, const Column& c) {
    const std::string_view key = c.key;
    if (key == "published") return cell(s.published, c.sub);
    if (key == "published_english") return cell(s.published_english, c.sub);
    if (key == "kind") return s.kind;
    if (key == "publisher") return s.publisher;
    if (key == "title") return cell(s.title);
    if (key == "label") return s.label;
    if (key == "language") return s.language;
    if (key == "url") return cell(s.url);
    if (key == "version") return cell(s.version);
    if (key == "license") return cell(s.license);
    if (key == "text") return cell(s.text);
    no_cell(c);
}

template <class Record>
std::string records_csv(Ledger::Kind kind, std::span<const Record* const> records) {
    const auto columns = columns_of(kind);
    api::CsvWriter csv;
    std::vector<std::string> fields{"id"};
    for (const Column& c : columns) fields.emplace_back(c.name);
    csv.row(fields);
    for (const Record* record : records) {
        fields.clear();
        fields.push_back(record->id);
        for (const Column& c : columns) fields.push_back(cell(*record, c));
        csv.row(fields);
    }
    return csv.take();
}

}  // namespace

std::string quotes_csv(std::span<const Quote* const> quotes) { return records_csv(Ledger::Kind::quote, quotes); }
std::string rate_reports_csv(std::span<const RateReport* const> reports) {
    return records_csv(Ledger::Kind::rate, reports);
}
std::string sources_csv(std::span<const Source* const> sources) { return records_csv(Ledger::Kind::source, sources); }

}  // namespace crossrate
