#include "pricing/rate_series.hpp"

#include <algorithm>
#include <map>

namespace crossrate {

RateSeries::RateSeries(SeriesKey key, std::vector<ObservationInfo> infos)
    : key_(std::move(key)), infos_(std::move(infos)) {}

std::uint32_t RateSeries::add_info(ObservationInfo info) {
    infos_.push_back(std::move(info));
    return static_cast<std::uint32_t>(infos_.size() - 1);
}

void RateSeries::add(Date date, Decimal value, std::uint32_t info, RevisionNumber revision, std::uint32_t rank) {
    const auto added = static_cast<std::uint32_t>(revision);
    observations_.push_back({date, value, info, added, 0, rank == 0 ? added : rank});
}

std::optional<std::uint32_t> RateSeries::supersede(Date date, const Decimal& value, std::string_view source, RevisionNumber by) {
    // A scan, not a search: observations added since freeze() are not in order yet.
    for (auto& o : observations_) {
        if (o.date == date && o.superseded == 0 && o.revision < by && o.value == value && infos_[o.info].source == source) {
            o.superseded = static_cast<std::uint32_t>(by);
            return o.rank;
        }
    }
    return std::nullopt;
}

bool RateSeries::visible(RevisionNumber at) const noexcept {
    if (observations_.empty() || first_revision_ > at) return false;
    return std::none_of(empty_.begin(), empty_.end(), [at](const auto& gap) { return gap.first <= at && at < gap.second; });
}

const RateObservation* RateSeries::last(RevisionNumber at) const noexcept {
    const std::size_t i =
        blocks_.back(observations_.size(), after_revision(at), [&](std::size_t j) { return visible_at(observations_[j], at); });
    return i == RevisionBlocks::none ? nullptr : &observations_[i];
}

Result<void> RateSeries::freeze() {
    std::stable_sort(observations_.begin(), observations_.end(),
                     [](const RateObservation& a, const RateObservation& b) { return a.date < b.date; });
    first_revision_ = std::numeric_limits<RevisionNumber>::max();
    empty_.clear();
    std::map<RevisionNumber, long> shown;  // observations gained (+) and lost (−) at each revision
    for (const auto& o : observations_) {
        first_revision_ = std::min<RevisionNumber>(first_revision_, o.revision);
        ++shown[o.revision];
        if (o.superseded != 0) --shown[o.superseded];
        if (o.value.signum() <= 0) {
            return Error(Errc::data_error,
                         label() + " on " + format_date(o.date) + ": a rate must be positive, not " + o.value.to_string());
        }
        if (o.info >= infos_.size()) return Error(Errc::data_error, label() + ": observation cites no source");
    }
    long count = 0;
    for (const auto& [revision, change] : shown) {
        const long before = count;
        count += change;
        if (before > 0 && count == 0) empty_.emplace_back(revision, std::numeric_limits<RevisionNumber>::max());
        if (before == 0 && count > 0 && !empty_.empty()) empty_.back().second = revision;
    }
    blocks_.build(observations_.size(), [&](std::size_t i) { return observations_[i].revision; });
    return {};
}

std::string RateSeries::label() const {
    std::string s = std::string(to_string(key_.kind)) + " " + key_.base.str() + "/" + key_.quote.str();
    if (!key_.location.empty()) s += " in " + key_.location;
    return s;
}

Result<SeriesHit> RateSeries::lookup(Date date, LookupPolicy policy, int max_gap_days, RevisionNumber at) const {
    // Binary search, then past the observations revision `at` does not show.
    const auto lower = std::lower_bound(observations_.begin(), observations_.end(), date,
                                        [](const RateObservation& o, Date d) { return o.date < d; });
    const auto shown = [&](std::size_t j) { return visible_at(observations_[j], at); };
    const auto from = static_cast<std::size_t>(lower - observations_.begin());
    const std::size_t after_at = blocks_.forward(from, observations_.size(), after_revision(at), shown);
    const std::size_t before_at = blocks_.back(from, after_revision(at), shown);
    const RateObservation* after = after_at == RevisionBlocks::none ? nullptr : &observations_[after_at];
    // Of the reports on a date, the one reported first is used; the others are named beside it.
    const auto hit = [&](const RateObservation* found, const RateObservation* second) {
        const RateObservation* begin = observations_.data();
        const RateObservation* end = begin + observations_.size();
        const RateObservation* run = found;
        while (run != begin && (run - 1)->date == found->date) --run;
        const RateObservation* used = nullptr;  // the lowest rank, then the first added
        for (const RateObservation* o = run; o != end && o->date == found->date; ++o) {
            if (visible_at(*o, at) && (used == nullptr || o->rank < used->rank)) used = o;
        }
        SeriesHit h{used->value, used, second, {}};
        for (const RateObservation* o = run; o != end && o->date == found->date; ++o) {
            if (o != used && visible_at(*o, at)) h.also.push_back(o);
        }
        return h;
    };
    if (after && after->date == date) return hit(after, nullptr);
    const RateObservation* before = before_at == RevisionBlocks::none ? nullptr : &observations_[before_at];

    const auto within = [&](const RateObservation* o) {
        return o != nullptr && std::abs(days_between(o->date, date)) <= max_gap_days;
    };
    const RateObservation* pick = nullptr;
    switch (policy) {
        case LookupPolicy::exact: break;
        case LookupPolicy::previous: pick = within(before) ? before : nullptr; break;
        case LookupPolicy::next: pick = within(after) ? after : nullptr; break;
        case LookupPolicy::nearest:
            if (within(before) && within(after)) {
                pick = days_between(before->date, date) <= days_between(date, after->date) ? before : after;
            } else {
                pick = within(before) ? before : within(after) ? after : nullptr;
            }
            break;
        case LookupPolicy::linear:
            if (within(before) && within(after)) {
                // Between the reports used on either date (`after` may not be its date's).
                const SeriesHit later = hit(after, nullptr);
                SeriesHit h = hit(before, later.first);
                // By days between the two (written rates may be as large as a decimal holds:
                // a line that leaves the decimal is this lookup's error).
                checked::Calculation c;
                const Decimal span(days_between(h.first->date, later.first->date));
                const Decimal elapsed(days_between(h.first->date, date));
                h.value = c.add(h.first->value,
                                c.divide(c.multiply(c.subtract(later.first->value, h.first->value), elapsed), span));
                return c.result(std::move(h));
            }
            break;
    }
    if (pick) return hit(pick, nullptr);
    return no_rate(date, policy, max_gap_days, before, after, at);
}

Error RateSeries::no_rate(Date date, LookupPolicy policy, int max_gap_days, const RateObservation* before,
                          const RateObservation* after, RevisionNumber at) const {
    const std::string gap = std::to_string(max_gap_days) + " day" + (max_gap_days == 1 ? "" : "s");
    std::string msg = "no " + label() + " rate ";
    switch (policy) {
        case LookupPolicy::exact: msg += "on " + format_date(date); break;
        case LookupPolicy::previous: msg += "within " + gap + " before " + format_date(date); break;
        case LookupPolicy::next: msg += "within " + gap + " after " + format_date(date); break;
        case LookupPolicy::nearest: msg += "within " + gap + " of " + format_date(date); break;
        case LookupPolicy::linear:
            msg += "on both sides of " + format_date(date) + " within " + gap + " (linear needs both)";
            break;
    }
    const auto first = std::find_if(observations_.begin(), observations_.end(), [at](const auto& o) { return visible_at(o, at); });
    if (first == observations_.end()) {
        msg += "; the series has no observations";
    } else if (!before) {
        msg += "; the series starts " + format_date(first->date);
    } else if (!after) {
        msg += "; the series ends " + format_date(last(at)->date) + " (asked without a date, the answer is its latest)";
    } else {
        msg += "; the nearest observations are " + format_date(before->date) + " and " + format_date(after->date);
    }
    return Error(Errc::no_rate_in_window, msg, "date");
}

}  // namespace crossrate
