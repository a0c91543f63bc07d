#include "pricing/apply.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace crossrate {
namespace {

using SeriesId = std::tuple<RateKind, CurrencyCode, CurrencyCode, std::string>;

// Sorted `list` with `added` merged in (sorted by `before` first). A few are inserted where a
// search puts them (a copy of the list, and a few records read); many are merged, O(list +
// added log added), so a hundred thousand do not cost a sort each.
template <class Before>
void merge_into(std::vector<std::uint32_t>& list, std::vector<std::uint32_t> added, Before before) {
    std::sort(added.begin(), added.end(), before);
    if (added.size() <= 16) {
        for (const std::uint32_t a : added) list.insert(std::upper_bound(list.begin(), list.end(), a, before), a);
        return;
    }
    std::vector<std::uint32_t> merged;
    merged.reserve(list.size() + added.size());
    std::merge(list.begin(), list.end(), added.begin(), added.end(), std::back_inserter(merged), before);
    list = std::move(merged);
}

// Builds one revision onto a copy of the snapshot before it.
class Builder {
public:
    Builder(Dataset& next, RevisionNumber revision) : d_(next), revision_(revision) {}

    Result<void> add(Change change) {
        if (auto* s = std::get_if<Source>(&change.record)) return add_source(std::move(*s));
        if (auto* q = std::get_if<Quote>(&change.record)) return add_quote(std::move(*q), change.supersedes);
        return add_rate(std::move(std::get<RateReport>(change.record)), change.supersedes);
    }

    Result<void> finish() {
        for (auto& [key, added] : new_quotes_) {
            const auto by_date = [&](std::uint32_t a, std::uint32_t b) {
                return std::pair(d_.quotes[a].observed.date, a) < std::pair(d_.quotes[b].observed.date, b);
            };
            QuoteDates* dates = fresh_.own(d_.quote_dates[key]);
            merge_into(dates->day, std::move(added.first), by_date);
            merge_into(dates->coarse, std::move(added.second), by_date);
            // Keyed by position, which grows with the revision: no record is read to build them.
            dates->day_blocks.build(dates->day.size(), [&](std::size_t i) { return dates->day[i]; });
            dates->coarse_blocks.build(dates->coarse.size(), [&](std::size_t i) { return dates->coarse[i]; });
        }
        if (!new_rates_.empty()) {
            const auto by_date = [&](std::uint32_t a, std::uint32_t b) {
                return listed_before(d_.rate_reports[a], a, d_.rate_reports[b], b);
            };
            merge_into(*fresh_.own(d_.rate_order), std::move(new_rates_), by_date);
        }
        if (!series_.empty()) {
            std::vector<RateSeries> changed;
            for (auto& [id, s] : series_) changed.push_back(std::move(s));
            return d_.rates.update(std::move(changed));
        }
        return {};
    }

private:
    Error fail(std::string_view kind, const std::string& id, const std::string& what) const {
        return Error(Errc::data_error, std::string(kind) + " '" + id + "' (revision " + std::to_string(revision_) + "): " + what);
    }

    Result<void> cite(std::string_view kind, const std::string& id, const std::string& source,
                      std::span<const std::string> excerpts) {
        if (d_.find_source(source) == nullptr) return fail(kind, id, "cites unknown source '" + source + "'");
        const auto article = d_.articles.find(source);
        if (article == d_.articles.end()) return {};
        for (const auto& e : excerpts) {
            if (!e.empty() && article->second.find(e) == std::string::npos) {
                return fail(kind, id, "the excerpt is not verbatim in " + source + ": \"" + e + "\"");
            }
        }
        return {};
    }

    Result<void> add_source(Source s) {
        if (d_.source_positions.find(s.id) != nullptr) return fail("source", s.id, "the id is used twice");
        s.revision = revision_;
        s.superseded = 0;
        const std::string id = s.id;
        d_.source_positions(id, fresh_) = static_cast<std::uint32_t>(d_.sources.append(std::move(s), fresh_));
        return {};
    }

    Result<void> add_quote(Quote q, const std::string& supersedes) {
        if (d_.quote_positions.find(q.id) != nullptr) return fail("quote", q.id, "the id is used twice");
        if (d_.find_item(q.item) == nullptr) return fail("quote", q.id, "unknown item '" + q.item + "'");
        if (auto cited = cite("quote", q.id, q.source, q.excerpts); !cited) return cited;
        if (!supersedes.empty()) {
            const std::uint32_t* old = d_.quote_positions.find(supersedes);
            if (old == nullptr || !d_.quotes.visible(*old)) {
                return fail("quote", q.id, "corrects no current quote '" + supersedes + "'");
            }
            d_.quotes.edit(*old, fresh_).superseded = revision_;
        }
        q.revision = revision_;
        q.superseded = 0;
        const std::string id = q.id;
        auto& added = new_quotes_[quote_dates_key(q.item, q.kind)];
        const bool day = q.observed.precision == DatePrecision::day;
        const auto position = static_cast<std::uint32_t>(d_.quotes.append(std::move(q), fresh_));
        d_.quote_positions(id, fresh_) = position;
        (day ? added.first : added.second).push_back(position);
        return {};
    }

    RateSeries& series_of(const RateReport& r) {
        const SeriesId id{r.kind, r.base, r.quote, r.location};
        if (const auto it = series_.find(id); it != series_.end()) return it->second;
        const SeriesKey key{r.base, r.quote, r.kind, r.location};
        const RateSeries* shared = d_.rates.find_key(key);
        return series_.emplace(id, shared != nullptr ? *shared : RateSeries(key)).first->second;
    }

    Result<void> add_rate(RateReport r, const std::string& supersedes) {
        if (d_.rate_positions.find(r.id) != nullptr) return fail("rate", r.id, "the id is used twice");
        if (!info(r.kind).records) return fail("rate", r.id, std::string(to_string(r.kind)) + " rates are not records");
        if (auto cited = cite("rate", r.id, r.source, std::span(&r.excerpt, 1)); !cited) return cited;
        std::uint32_t rank = 0;  // a correction takes the place of what it corrects
        if (!supersedes.empty()) {
            const std::uint32_t* old = d_.rate_positions.find(supersedes);
            if (old == nullptr || !d_.rate_reports.visible(*old)) {
                return fail("rate", r.id, "corrects no current rate '" + supersedes + "'");
            }
            RateReport& replaced = d_.rate_reports.edit(*old, fresh_);
            replaced.superseded = revision_;
            const auto taken = series_of(replaced).supersede(replaced.date.date, replaced.value, replaced.source, revision_);
            if (!taken) return fail("rate", r.id, "the series holds no observation of '" + supersedes + "'");
            // Only where it keeps the series and date: otherwise it is a report of its own.
            if (rate_slot(replaced) == rate_slot(r)) rank = *taken;
        }
        r.revision = revision_;
        r.superseded = 0;
        RateSeries& series = series_of(r);
        series.add(r.date.date, r.value,
                   series.add_info({r.source, r.date.precision, r.date.inferred, r.approximate, r.excerpt, r.note}),
                   revision_, rank);
        const std::string id = r.id;
        const auto position = static_cast<std::uint32_t>(d_.rate_reports.append(std::move(r), fresh_));
        d_.rate_positions(id, fresh_) = position;
        new_rates_.push_back(position);
        return {};
    }

    Dataset& d_;
    RevisionNumber revision_;
    Fresh fresh_;
    // Per item and kind, the positions of new quotes observed on a day, and of coarser ones.
    std::map<std::string, std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>>> new_quotes_;
    std::vector<std::uint32_t> new_rates_;
    std::map<SeriesId, RateSeries> series_;  // copies of the series this revision changes
};

}  // namespace

Result<std::shared_ptr<const Dataset>> apply(const Dataset& base, RevisionNumber revision, std::vector<Change> changes) {
    if (base.revision != base.latest) {
        return Error(Errc::data_error, "revision " + std::to_string(revision) + " must be applied to the latest snapshot");
    }
    if (revision <= base.latest) {
        return Error(Errc::data_error, "revision " + std::to_string(revision) + " does not follow revision " +
                                           std::to_string(base.latest));
    }
    auto next = std::make_shared<Dataset>(base.at(revision));
    next->latest = revision;
    Builder builder(*next, revision);
    for (auto& change : changes) {
        if (auto added = builder.add(std::move(change)); !added) return added.error();
    }
    if (auto finished = builder.finish(); !finished) return finished.error();
    return std::shared_ptr<const Dataset>(std::move(next));
}

}  // namespace crossrate
