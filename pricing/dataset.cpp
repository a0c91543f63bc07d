#include "pricing/dataset.hpp"

#include "pricing/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace crossrate {

std::string_view to_string(QuoteSide side) noexcept { return side == QuoteSide::origin ? "origin" : "destination"; }

Result<QuoteSide> parse_quote_side(std::string_view text) {
    if (text == "origin") return QuoteSide::origin;
    if (text == "destination") return QuoteSide::destination;
    return Error(Errc::invalid_parameter, "'" + std::string(text) + "' is not a side (origin, destination)", "side");
}

bool is_quote_kind(std::string_view kind) noexcept {
    return std::find(std::begin(quote_kinds), std::end(quote_kinds), kind) != std::end(quote_kinds);
}

std::string_view to_string(QuoteTail tail) noexcept { return tail == QuoteTail::lower ? "lower" : "upper"; }

Result<QuoteTail> parse_quote_tail(std::string_view text) {
    if (text == "lower") return QuoteTail::lower;
    if (text == "upper") return QuoteTail::upper;
    return Error(Errc::invalid_parameter, "'" + std::string(text) + "' is not a tail (lower, upper)", "tail");
}

std::string_view to_string(RegimeLevel level) noexcept {
    switch (level) {
        case RegimeLevel::lax: return "lax";
        case RegimeLevel::tightening: return "tightening";
        case RegimeLevel::crackdown: return "crackdown";
    }
    return "lax";
}

Result<RegimeLevel> parse_regime_level(std::string_view text) {
    if (text == "lax") return RegimeLevel::lax;
    if (text == "tightening") return RegimeLevel::tightening;
    if (text == "crackdown") return RegimeLevel::crackdown;
    return Error(Errc::invalid_parameter,
                 "'" + std::string(text) + "' is not an enforcement level (lax, tightening, crackdown)", "level");
}

std::vector<Decimal> stated_figures(const Quote& q) {
    std::vector<Decimal> out;
    if (!q.midpoint) out.push_back(q.amount);
    if (q.low) out.push_back(*q.low);
    if (q.high) out.push_back(*q.high);
    return out;
}

std::string slug(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            out.push_back(static_cast<char>(std::tolower(u)));
        } else if (!out.empty() && out.back() != '-') {
            out.push_back('-');
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string rate_report_id(const RateReport& r) {
    std::string id = std::string(to_string(r.kind)) + "-" + slug(r.base.view()) + "-" + slug(r.quote.view());
    if (!r.location.empty()) id += "-" + slug(r.location);
    return id + "-" + r.date.text();
}

std::string rate_slot(const RateReport& r) {
    std::string slot(to_string(r.kind));
    slot += '|';
    slot += r.base.view();
    slot += '|';
    slot += r.quote.view();
    slot += '|';
    slot += r.location;
    slot += '|';
    slot += format_date(r.date.date);
    return slot;
}

bool listed_before(const RateReport& a, std::uint32_t a_position, const RateReport& b, std::uint32_t b_position) {
    return std::tie(a.date.date, a.kind, a.base, a.quote, a.location, a_position) <
           std::tie(b.date.date, b.kind, b.base, b.quote, b.location, b_position);
}

std::size_t Dataset::rate_order_index(std::uint32_t position) const {
    if (!rate_order) return 0;
    const RateReport& r = rate_reports[position];
    const auto it = std::lower_bound(rate_order->begin(), rate_order->end(), position, [&](std::uint32_t p, std::uint32_t) {
        return listed_before(rate_reports[p], p, r, position);
    });
    return static_cast<std::size_t>(it - rate_order->begin());
}

Dataset Dataset::at(RevisionNumber at) const {
    Dataset view = *this;
    view.revision = at;
    view.sources.read_at(at);
    view.quotes.read_at(at);
    view.rate_reports.read_at(at);
    view.rates.read_at(at);
    return view;
}

namespace {

template <class T>
const T* visible_by_id(const Table<T>& table, const ShardedMap<std::uint32_t>& positions, std::string_view id) {
    const std::uint32_t* p = positions.find(id);
    return p != nullptr && table.visible(*p) ? &table[*p] : nullptr;
}

}  // namespace

const Source* Dataset::find_source(std::string_view id) const noexcept {
    return visible_by_id(sources, source_positions, id);
}

const Quote* Dataset::find_quote(std::string_view id) const noexcept { return visible_by_id(quotes, quote_positions, id); }

const RateReport* Dataset::find_rate_report(std::string_view id) const noexcept {
    return visible_by_id(rate_reports, rate_positions, id);
}

std::string Dataset::near_item(std::string_view id) const {
    std::vector<std::string_view> ids;
    for (const auto& i : items) ids.push_back(i.id);
    return did_you_mean(id, ids);
}

std::string Dataset::near_source(std::string_view id) const {
    std::vector<std::string_view> ids;
    for (const auto& s : sources) ids.push_back(s.id);
    return did_you_mean(id, ids);
}

bool Dataset::reports_already(const RateReport& r) const {
    const RateSeries* series = rates.find_key({r.base, r.quote, r.kind, r.location});
    if (series == nullptr) return false;
    const auto all = series->observations();
    const auto day = std::lower_bound(all.begin(), all.end(), r.date.date,
                                      [](const RateObservation& o, Date d) { return o.date < d; });
    for (auto o = day; o != all.end() && o->date == r.date.date; ++o) {
        if (visible_at(*o, revision) && o->value == r.value && series->info(*o).source == r.source) return true;
    }
    return false;
}

std::vector<const RateReport*> Dataset::rate_reports_by_date() const {
    std::vector<const RateReport*> out;
    if (!rate_order) return out;
    out.reserve(rate_order->size());
    for (const std::uint32_t p : *rate_order) {
        if (rate_reports.visible(p)) out.push_back(&rate_reports[p]);
    }
    return out;
}

std::string quote_dates_key(std::string_view item, std::string_view kind) {
    std::string key(item);
    key += '\x1f';
    key += kind;
    return key;
}

const QuoteDates* Dataset::quote_dates_of(std::string_view item, std::string_view kind) const {
    const auto it = quote_dates.find(quote_dates_key(item, kind));
    return it == quote_dates.end() ? nullptr : it->second.get();
}

std::size_t Dataset::quote_count(std::string_view item) const {
    std::size_t n = 0;
    const std::string prefix = quote_dates_key(item, "");
    for (auto it = quote_dates.lower_bound(prefix); it != quote_dates.end() && it->first.starts_with(prefix); ++it) {
        for (const auto* list : {&it->second->day, &it->second->coarse}) {
            for (const std::uint32_t p : *list) n += quotes.visible(p);
        }
    }
    return n;
}

const Item* Dataset::find_item(std::string_view id) const noexcept {
    const auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == id; });
    return it == items.end() ? nullptr : &*it;
}

const Assumption* Dataset::find_assumption(std::string_view id) const noexcept {
    const auto it = std::find_if(assumptions.begin(), assumptions.end(), [&](const Assumption& a) { return a.id == id; });
    return it == assumptions.end() ? nullptr : &*it;
}

std::string Dataset::regime_gap(Date d) const {
    const Regime* before = nullptr;
    const Regime* after = nullptr;
    for (const auto& r : regimes) {
        if (r.end && r.end->last_day() < d && (before == nullptr || before->end->last_day() < r.end->last_day())) before = &r;
        if (d < r.start.date && (after == nullptr || r.start.date < after->start.date)) after = &r;
    }
    std::string gap = "no enforcement period is reported for " + format_date(d);
    if (before != nullptr) gap += "; the evidence of " + before->id + " ends " + before->end->text();
    if (after != nullptr) gap += "; that of " + after->id + " begins " + after->start.text();
    return gap;
}

const Regime* Dataset::regime_on(Date d) const noexcept {
    const Regime* found = nullptr;
    for (const auto& r : regimes) {
        if (r.covers(d) && (found == nullptr || found->start.date < r.start.date)) found = &r;
    }
    return found;
}

}  // namespace crossrate
