#pragma once
// Reading one JSON record strictly, for the fixtures and for writes alike (internal to
// pricing/).

#include "pricing/dataset.hpp"
#include "pricing/records.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate::detail {
namespace json = boost::json;

// The data error "<where>: field '<field>': <reason>".
Error data_error(const std::string& where, std::string_view field, std::string_view reason);

// Where a record's problems go. Checking a write: every problem, with its JSON pointer.
// Loading fixtures: the first, as a data error naming the file, the record and the field
// (the loader stops after that record). Either way reading goes on with empty values.
class Problems {
public:
    Problems(std::vector<FieldProblem>* all) noexcept : all_(all) {}
    Problems(std::optional<Error>& first) noexcept : first_(&first) {}

    void add(const std::string& where, const std::string& pointer, std::string_view field, std::string_view reason) const {
        if (all_ != nullptr) {
            all_->push_back({pointer + (field.empty() ? "" : "/" + std::string(field)), std::string(reason)});
        } else if (!*first_) {
            *first_ = data_error(where, field, reason);
        }
    }

private:
    std::vector<FieldProblem>* all_ = nullptr;
    std::optional<Error>* first_ = nullptr;
};

// One JSON record, read strictly: unknown fields and missing or mistyped required ones are
// problems naming the record and the field, given to `problems` (above).
class Record {
public:
    Record(const json::value& v, std::string where, std::initializer_list<std::string_view> fields, Problems problems,
           std::string pointer = {})
        : Record(v, std::move(where), std::span<const std::string_view>(fields.begin(), fields.size()), problems,
                 std::move(pointer)) {}
    Record(const json::value& v, std::string where, std::span<const std::string_view> fields, Problems problems,
           std::string pointer = {})
        : where_(std::move(where)), problems_(problems), pointer_(std::move(pointer)) {
        if (!v.is_object()) {
            problem("", "expected an object");
            return;
        }
        object_ = &v.as_object();
        if (const auto* id = object_->if_contains("id"); id && id->is_string()) {
            where_ += " (id '" + std::string(id->as_string()) + "')";
        }
        for (const auto& [key, value] : *object_) {
            if (std::find(fields.begin(), fields.end(), std::string_view(key)) == fields.end()) {
                problem(key, "unknown field");
            }
        }
    }

    const std::string& where() const noexcept { return where_; }
    bool has(std::string_view key) const { return object_ != nullptr && object_->contains(key); }
    // Present and not null: a required field that is null is missing.
    bool given(std::string_view key) const { return get(key) != nullptr && !get(key)->is_null(); }

    std::string text(std::string_view key) const {
        auto v = optional_text(key);
        if (!v) {
            if (!given(key)) problem(key, missing(key));
            return {};
        }
        if (v->empty()) problem(key, "must not be empty");
        return *v;
    }
    std::optional<std::string> optional_text(std::string_view key) const {
        const json::value* v = get(key);
        if (v == nullptr || v->is_null()) return std::nullopt;
        if (!v->is_string()) return problem(key, "expected a string"), std::nullopt;
        return std::string(v->as_string());
    }
    // An id, or an object holding one ({"id": ..., "publisher": ...} as GET answers show it).
    std::string reference(std::string_view key) const {
        const json::value* v = get(key);
        if (v != nullptr && v->is_object()) {
            const json::value* id = v->as_object().if_contains("id");
            if (id != nullptr && id->is_string() && !id->as_string().empty()) return std::string(id->as_string());
            problem(key, "expected an id, or an object with one");
            return {};
        }
        return text(key);
    }
    bool flag(std::string_view key) const {
        const json::value* v = get(key);
        if (v == nullptr) return problem(key, "missing (true or false)"), false;
        if (!v->is_bool()) return problem(key, "expected true or false"), false;
        return v->as_bool();
    }
    // Decimals are JSON strings ("0.15"), so no digit passes through a binary double.
    Decimal decimal(std::string_view key) const {
        auto d = optional_decimal(key);
        if (!d) {
            if (!given(key)) problem(key, missing(key));
            return Decimal();
        }
        return *d;
    }
    std::optional<Decimal> optional_decimal(std::string_view key) const {
        const json::value* v = get(key);
        if (v == nullptr || v->is_null()) return std::nullopt;
        if (!v->is_string()) return problem(key, "expected a decimal written as a string, such as \"1500\""), std::nullopt;
        auto d = Decimal::parse(v->as_string());
        if (!d) return problem(key, d.error().what()), std::nullopt;
        return *d;
    }
    std::optional<ReportedDate> reported_date(std::string_view key) const {
        auto d = optional_reported_date(key);
        if (!d && !given(key)) problem(key, missing(key));
        return d;
    }
    std::optional<ReportedDate> optional_reported_date(std::string_view key) const {
        const json::value* v = get(key);
        if (v == nullptr || v->is_null()) return std::nullopt;
        const Record r(*v, where_ + ": " + std::string(key), {"date", "precision", "inferred", "note"}, problems_,
                       pointer_ + "/" + std::string(key));
        // Every field is checked, whichever fail.
        const bool inferred = r.flag("inferred");
        std::string note = r.optional_text("note").value_or("");
        const auto precision = parse_date_precision(r.text("precision"));
        if (!precision) {
            if (r.given("precision")) r.problem("precision", precision.error().what());
            return std::nullopt;
        }
        const auto date = parse_period(r.text("date"), *precision);
        if (!date) {
            if (r.given("date")) r.problem("date", date.error().what());
            return std::nullopt;
        }
        return ReportedDate{*date, *precision, inferred, std::move(note)};
    }
    std::vector<std::string> texts(std::string_view key) const {
        const json::value* v = get(key);
        if (v == nullptr || !v->is_array() || v->as_array().empty()) return problem(key, "expected a non-empty array"), std::vector<std::string>{};
        std::vector<std::string> out;
        for (const auto& e : v->as_array()) {
            if (!e.is_string() || e.as_string().empty()) {
                problem(key, "expected non-empty strings");
                continue;
            }
            out.emplace_back(e.as_string());
        }
        return out;
    }
    std::vector<Citation> citations(std::string_view key) const {
        const json::value* v = get(key);
        if (v == nullptr || !v->is_array() || v->as_array().empty()) return problem(key, "expected a non-empty array"), std::vector<Citation>{};
        std::vector<Citation> out;
        for (std::size_t i = 0; i < v->as_array().size(); ++i) {
            const Record r(v->as_array()[i], where_ + ": " + std::string(key) + "[" + std::to_string(i) + "]",
                           {"source", "excerpt"}, problems_, pointer_ + "/" + std::string(key) + "/" + std::to_string(i));
            out.push_back({r.text("source"), r.text("excerpt")});
        }
        return out;
    }

    // "missing", and the shape expected where it is not obvious.
    static std::string missing(std::string_view key) {
        static constexpr std::pair<std::string_view, std::string_view> shapes[] = {
            {"source", "a source's id, or a new source's fields as an object"},
            {"observed", "{\"date\": \"2023-03\", \"precision\": \"month\", \"inferred\": true}"},
            {"date", "{\"date\": \"2023-04-02\", \"precision\": \"day\", \"inferred\": false}"},
            {"published", "{\"date\": \"2023-03-30\", \"precision\": \"day\", \"inferred\": false}"},
            {"amount", "a decimal as a string, such as \"1500\""},
            {"value", "a decimal as a string, such as \"8300\""},
            {"currency", "an ISO 4217 code such as \"CNY\""},
            {"unit", "what the price is per, such as \"head\" or \"kg\""},
        };
        for (const auto& [name, shape] : shapes) {
            if (name == key) return "missing: expected " + std::string(shape);
        }
        return "missing";
    }

    void problem(std::string_view key, std::string_view reason) const { problems_.add(where_, pointer_, key, reason); }

private:
    const json::value* get(std::string_view key) const { return object_ ? object_->if_contains(key) : nullptr; }

    const json::object* object_ = nullptr;
    std::string where_;
    Problems problems_;
    std::string pointer_;
};

// `upper_bound` is read from records written before `qualifier` and `tail` (see read_quote);
// `normalized` is what GET derives from the amount and unit: taken back, not read.
inline constexpr std::string_view quote_fields[] = {
    "id",       "item",     "kind",     "side",       "amount",   "amount_basis", "low",    "high",     "approximate",
    "qualifier", "tail",    "normalized", "currency", "unit",     "location", "observed", "source",
    "excerpts", "note",     "supersedes", "upper_bound"};

// A source's and a quote's fields, checked; the id is the caller's.
Source read_source(const Record& r);
Quote read_quote(const Record& r, const CurrencyTable& currencies);

}  // namespace crossrate::detail
