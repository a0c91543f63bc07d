#pragma once
// One series of rates: dated observations of one currency pair, of one kind, at one place.

#include "pricing/calendar.hpp"
#include "pricing/currency.hpp"
#include "pricing/decimal.hpp"
#include "pricing/rate_kind.hpp"
#include "pricing/table.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace crossrate {

// The citation behind observations: shared by a whole official series, one per reported rate.
struct ObservationInfo {
    std::string source;  // id of a Source in the dataset
    DatePrecision precision = DatePrecision::day;
    bool inferred = false;     // the date was worked out, not stated
    bool approximate = false;  // the source says "around"
    std::string excerpt;       // the verbatim sentence, where the rate came from an article
    std::string note;
};

struct RateObservation {
    Date date;
    Decimal value;  // units of the quote currency for one unit of the base currency
    std::uint32_t info = 0;
    // The revision that added it and the one whose correction replaced it (0: never), as for
    // records (see pricing/table.hpp): a series holds every observation it ever had.
    std::uint32_t revision = 1;
    std::uint32_t superseded = 0;
    // Among reports on one date, the one with the lowest rank is used: the revision that first
    // reported it, kept by its corrections (a correction takes the place of what it corrects).
    std::uint32_t rank = 1;
};

// Observations of `quote` per one `base`: USD/CNY 6.96 means 6.96 CNY for 1 USD.
struct SeriesKey {
    CurrencyCode base;
    CurrencyCode quote;
    RateKind kind = RateKind::official;
    std::string location;  // a city for market rates, empty otherwise
};

// What a lookup in one series found: one observation, or two for `linear`.
struct SeriesHit {
    Decimal value;
    const RateObservation* first = nullptr;
    const RateObservation* second = nullptr;  // only for linear interpolation
    // Other reports on first's date, not used: a date may hold reports of several sources, and
    // a lookup uses the one reported first (see RateObservation::rank).
    std::vector<const RateObservation*> also;
};

class RateSeries {
public:
    explicit RateSeries(SeriesKey key, std::vector<ObservationInfo> infos = {});

    // Loading: add in any order, then freeze(), which sorts by date (a date's reports in the
    // order they were added). `info` indexes the citations given to the constructor or add_info().
    std::uint32_t add_info(ObservationInfo info);
    // `rank`: see RateObservation; 0 is the revision's own.
    void add(Date date, Decimal value, std::uint32_t info = 0, RevisionNumber revision = 1, std::uint32_t rank = 0);
    // A correction at revision `by`: the observation on `date` with this value and source (a
    // date may hold reports of several sources) stops being visible from `by` on. Its rank, for
    // the correction to take; none when the series had no such observation.
    std::optional<std::uint32_t> supersede(Date date, const Decimal& value, std::string_view source, RevisionNumber by);
    Result<void> freeze();

    const SeriesKey& key() const noexcept { return key_; }
    // Every observation, of every revision, by date.
    std::span<const RateObservation> observations() const noexcept { return observations_; }
    // Whether the series has an observation at revision `at`, and the last one it has.
    bool visible(RevisionNumber at) const noexcept;
    const RateObservation* last(RevisionNumber at) const noexcept;
    const ObservationInfo& info(const RateObservation& o) const { return infos_[o.info]; }
    const std::vector<ObservationInfo>& infos() const noexcept { return infos_; }
    // "official USD/CNY", "market USD/KPW in Pyongyang".
    std::string label() const;

    // The observation(s) the policy picks for `date`, no further than max_gap_days away, as
    // the series was at revision `at`.
    Result<SeriesHit> lookup(Date date, LookupPolicy policy, int max_gap_days,
                             RevisionNumber at = std::numeric_limits<RevisionNumber>::max()) const;

private:
    Error no_rate(Date date, LookupPolicy policy, int max_gap_days, const RateObservation* before,
                  const RateObservation* after, RevisionNumber at) const;

    SeriesKey key_;
    std::vector<ObservationInfo> infos_;
    std::vector<RateObservation> observations_;
    RevisionBlocks blocks_;              // of observations_, for lookups at past revisions
    RevisionNumber first_revision_ = 1;  // of its earliest observation
    // Revision ranges [from, to) in which corrections left it no observation: worked out by
    // freeze(), so visible() costs no scan on a lookup. Nearly always empty.
    std::vector<std::pair<RevisionNumber, RevisionNumber>> empty_;
};

}  // namespace crossrate
