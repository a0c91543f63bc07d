#pragma once
// All rate series, and the one lookup: a rate between two currencies on a date, of a kind,
// through whatever chain of series connects them. The answer keeps its legs, so it can show
// how a cross rate was built and which observations it stands on.

#include "pricing/rate_series.hpp"

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crossrate {

struct RateQuery {
    RateKind kind = RateKind::official;
    LookupPolicy policy = LookupPolicy::previous;
    std::optional<int> max_gap_days;  // default_max_gap_days(kind) when unset
    std::optional<std::string> location;  // a city for market rates; unset = the freshest city
};

// One step of a conversion path: `from` → `to` through one series, read directly or inverted.
struct RateLeg {
    CurrencyCode from;
    CurrencyCode to;
    const RateSeries* series = nullptr;
    bool inverted = false;  // the series quotes `from` per `to`, so the rate is 1 / value
    Decimal rate;           // units of `to` for one `from`
    SeriesHit hit;
    Date rate_date;  // the observation's date (the earlier one when interpolated)
    int age_days = 0;  // asked date − rate_date: negative when the observation is later
    // When the observation and the date asked fall on two sides of a redenomination (KPW,
    // 2009-11-30): what the observed value was multiplied by to be in the asked date's units.
    std::optional<Decimal> redenominated;
};

struct RateAnswer {
    CurrencyCode from;
    CurrencyCode to;
    Date date;            // the date asked about, or the latest one the path covers
    bool latest = false;  // no date was asked: `date` is the last one every leg has
    RateQuery query;  // as applied: max_gap_days and location filled in
    Decimal rate;     // units of `to` for one `from`: the product of the legs
    std::vector<RateLeg> legs;  // empty when from == to
    Date rate_date;             // of the stalest leg
    int age_days = 0;           // of the stalest leg
};

// The series are immutable once frozen and shared: a copy of the book (the next snapshot's)
// copies pointers, and a revision replaces the few series it changes. Legs and the path index
// point into series the book holds. A book is read at one revision: series and observations
// added later, or corrected by then, are not seen.
class RateBook {
public:
    // Loading: add series, then freeze(), which sorts them and builds the path index.
    void add(RateSeries series);
    Result<void> freeze();
    // A revision's changes: each series replaces the one with its key, or joins the book.
    Result<void> update(std::vector<RateSeries> changed);

    RevisionNumber revision() const noexcept { return revision_; }
    void read_at(RevisionNumber at) noexcept { revision_ = at; }

    const RateSeries* find(CurrencyCode base, CurrencyCode quote, RateKind kind, std::string_view location = {}) const;
    // The series with exactly this key, whatever the revision (for building the next book).
    const RateSeries* find_key(const SeriesKey& key) const;
    // The series that have observations at the book's revision, in key order.
    std::vector<const RateSeries*> series() const;
    // Locations that have series of `kind` (empty string for series without one).
    std::vector<std::string> locations(RateKind kind) const;

    // Without a date: the latest date on which every leg of the path has an observation.
    Result<RateAnswer> lookup(CurrencyCode from, CurrencyCode to, std::optional<Date> date,
                              const RateQuery& query) const;

private:
    struct Edge {
        CurrencyCode to;
        const RateSeries* series;
        bool inverted;
    };
    using Graph = std::map<CurrencyCode, std::vector<Edge>>;

    Result<void> index();
    static bool shows(const Graph& g, RevisionNumber at);
    const Graph* graph(RateKind kind, std::string_view location) const;
    Result<std::vector<Edge>> find_path(CurrencyCode from, CurrencyCode to, const RateQuery& query) const;
    Result<RateAnswer> lookup_at(CurrencyCode from, CurrencyCode to, std::optional<Date> date,
                                 const RateQuery& query) const;

    std::vector<RateSeries> pending_;  // added, not frozen yet
    std::vector<std::shared_ptr<const RateSeries>> series_;
    // Per (kind, location): the currencies each currency connects to, USD first. Built by
    // index(), then shared by the copies of the book (a past revision's view copies a pointer).
    using Graphs = std::map<std::pair<RateKind, std::string>, Graph>;
    std::shared_ptr<const Graphs> graphs_ = std::make_shared<const Graphs>();
    RevisionNumber revision_ = std::numeric_limits<RevisionNumber>::max();
};

}  // namespace crossrate
