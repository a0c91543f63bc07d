#include "pricing/rate_book.hpp"

#include "pricing/redenomination.hpp"

#include <algorithm>
#include <deque>

namespace crossrate {
namespace {

CurrencyCode usd() {
    static const CurrencyCode code = *CurrencyCode::from_text("USD");
    return code;
}

bool same_place(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

}  // namespace

void RateBook::add(RateSeries series) { pending_.push_back(std::move(series)); }

Result<void> RateBook::freeze() {
    for (auto& s : pending_) {
        if (auto r = s.freeze(); !r) return r.error();
        series_.push_back(std::make_shared<const RateSeries>(std::move(s)));
    }
    pending_.clear();
    return index();
}

Result<void> RateBook::update(std::vector<RateSeries> changed) {
    for (auto& s : changed) {
        if (auto r = s.freeze(); !r) return r.error();
        auto next = std::make_shared<const RateSeries>(std::move(s));
        const auto same = std::find_if(series_.begin(), series_.end(), [&](const auto& x) {
            const auto& a = x->key();
            const auto& b = next->key();
            return a.kind == b.kind && a.base == b.base && a.quote == b.quote && a.location == b.location;
        });
        if (same != series_.end()) *same = std::move(next); else series_.push_back(std::move(next));
    }
    return index();
}

Result<void> RateBook::index() {
    std::sort(series_.begin(), series_.end(), [](const auto& a, const auto& b) {
        const auto& x = a->key();
        const auto& y = b->key();
        return std::tie(x.kind, x.location, x.base, x.quote) < std::tie(y.kind, y.location, y.base, y.quote);
    });
    auto graphs = std::make_shared<Graphs>();
    for (const auto& s : series_) {
        const auto& k = s->key();
        if (k.base == k.quote) return Error(Errc::data_error, s->label() + ": a series needs two different currencies");
        auto& g = (*graphs)[{k.kind, k.location}];
        auto& forward = g[k.base];
        auto& backward = g[k.quote];
        const auto twin = std::find_if(forward.begin(), forward.end(), [&](const Edge& e) { return e.to == k.quote; });
        if (twin != forward.end()) {
            return Error(Errc::data_error, s->label() + " and " + twin->series->label() + " describe the same pair twice");
        }
        forward.push_back({k.quote, s.get(), false});
        backward.push_back({k.base, s.get(), true});
    }
    // USD first, then alphabetical: paths through the dollar win ties, and answers are stable.
    for (auto& [key, g] : *graphs) {
        for (auto& [code, edges] : g) {
            std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
                return std::make_pair(a.to != usd(), a.to) < std::make_pair(b.to != usd(), b.to);
            });
        }
    }
    graphs_ = std::move(graphs);
    return {};
}

const RateSeries* RateBook::find(CurrencyCode base, CurrencyCode quote, RateKind kind, std::string_view location) const {
    for (const auto& s : series_) {
        const auto& k = s->key();
        if (k.base == base && k.quote == quote && k.kind == kind && same_place(k.location, location) &&
            s->visible(revision_)) {
            return s.get();
        }
    }
    return nullptr;
}

const RateSeries* RateBook::find_key(const SeriesKey& key) const {
    for (const auto& s : series_) {
        const auto& k = s->key();
        if (k.base == key.base && k.quote == key.quote && k.kind == key.kind && k.location == key.location) return s.get();
    }
    return nullptr;
}

std::vector<const RateSeries*> RateBook::series() const {
    std::vector<const RateSeries*> out;
    out.reserve(series_.size());
    for (const auto& s : series_) {
        if (s->visible(revision_)) out.push_back(s.get());
    }
    return out;
}

std::vector<std::string> RateBook::locations(RateKind kind) const {
    std::vector<std::string> out;
    for (const auto& [key, g] : *graphs_) {
        if (key.first == kind && shows(g, revision_)) out.push_back(key.second);
    }
    return out;
}

// Whether any series of `g` has observations at `at`.
bool RateBook::shows(const Graph& g, RevisionNumber at) {
    return std::any_of(g.begin(), g.end(), [at](const auto& node) {
        return std::any_of(node.second.begin(), node.second.end(), [at](const Edge& e) { return e.series->visible(at); });
    });
}

const RateBook::Graph* RateBook::graph(RateKind kind, std::string_view location) const {
    for (const auto& [key, g] : *graphs_) {
        if (key.first == kind && same_place(key.second, location)) return shows(g, revision_) ? &g : nullptr;
    }
    return nullptr;
}

// The shortest chain from `from` to `to` that uses at least one series of the asked kind;
// legs of other kinds may only be official (a market KPW rate reaches EUR through the
// official USD/EUR series, and the answer says so leg by leg). Breadth-first, so the fewest
// legs win; among equals, series of the asked kind, then USD, then alphabetical order.
Result<std::vector<RateBook::Edge>> RateBook::find_path(CurrencyCode from, CurrencyCode to,
                                                        const RateQuery& query) const {
    const Graph* asked = graph(query.kind, query.location.value_or(""));
    const Graph* official = query.kind == RateKind::official ? nullptr : graph(RateKind::official, "");
    const std::string kind_name(to_string(query.kind));
    if (asked == nullptr) {
        return Error(Errc::no_rate_series,
                     "no " + kind_name + " rates" +
                         (query.location ? " for location '" + *query.location + "'" : std::string()),
                     query.location ? "location" : "kind");
    }
    struct State {
        CurrencyCode node;
        bool used_asked;  // the path so far has a leg of the asked kind
        int parent;
        Edge via;
    };
    std::vector<State> states{{from, query.kind == RateKind::official, -1, {}}};
    const auto path_to = [&states](std::size_t last, const Edge& final_leg) {
        std::vector<Edge> path{final_leg};
        for (int s = static_cast<int>(last); states[static_cast<std::size_t>(s)].parent >= 0;
             s = states[static_cast<std::size_t>(s)].parent) {
            path.push_back(states[static_cast<std::size_t>(s)].via);
        }
        std::reverse(path.begin(), path.end());
        return path;
    };
    // A path never comes back to a currency it has passed (no USD -> CNY -> USD -> EUR).
    const auto on_path = [&states](std::size_t state, CurrencyCode code) {
        for (int s = static_cast<int>(state); s >= 0; s = states[static_cast<std::size_t>(s)].parent) {
            if (states[static_cast<std::size_t>(s)].node == code) return true;
        }
        return false;
    };
    const auto visited = [&states](CurrencyCode code, bool used) {
        return std::any_of(states.begin(), states.end(),
                           [&](const State& s) { return s.node == code && s.used_asked == used; });
    };
    for (std::size_t i = 0; i < states.size(); ++i) {
        const State current = states[i];
        // Finish from here if a leg reaches the target (of the asked kind first).
        for (const Graph* g : {asked, official}) {
            if (g == nullptr || !(current.used_asked || g == asked)) continue;
            if (const auto it = g->find(current.node); it != g->end()) {
                for (const Edge& e : it->second) {
                    if (e.to == to && e.series->visible(revision_)) return path_to(i, e);
                }
            }
        }
        for (const Graph* g : {asked, official}) {
            if (g == nullptr) continue;
            const auto it = g->find(current.node);
            if (it == g->end()) continue;
            for (const Edge& e : it->second) {
                const bool used = current.used_asked || g == asked;
                if (e.to == to || !e.series->visible(revision_) || on_path(i, e.to) || visited(e.to, used)) continue;
                states.push_back({e.to, used, static_cast<int>(i), e});
            }
        }
    }
    return Error(Errc::no_rate_series,
                 "no " + kind_name + " rate connects " + from.str() + " and " + to.str() +
                     (query.location ? " in " + *query.location : std::string()),
                 "kind");
}

Result<RateAnswer> RateBook::lookup_at(CurrencyCode from, CurrencyCode to, std::optional<Date> asked,
                                       const RateQuery& query) const {
    if (from == to) {
        // No rate is needed. Without a date, "latest" is the book's latest observation, as for
        // any other pair: the model reads no clock.
        Date d = asked.value_or(Date{});
        if (!asked) {
            for (const RateSeries* s : series()) d = std::max(d, s->last(revision_)->date);
        }
        return RateAnswer{from, to, d, !asked, query, Decimal(1), {}, d, 0};
    }
    auto path = find_path(from, to, query);
    if (!path) return path.error();
    Date date;
    if (asked) {
        date = *asked;
    } else {
        date = path->front().series->last(revision_)->date;
        for (const Edge& e : *path) date = std::min(date, e.series->last(revision_)->date);
    }
    RateAnswer answer{from, to, date, !asked, query, Decimal(1), {}, date, 0};
    for (const Edge& e : *path) {
        const int gap = e.series->key().kind == query.kind ? *query.max_gap_days
                                                            : default_max_gap_days(e.series->key().kind);
        auto hit = e.series->lookup(date, query.policy, gap, revision_);
        if (!hit) return hit.error();
        const CurrencyCode leg_from = answer.legs.empty() ? from : answer.legs.back().to;
        // A won observed in new won, read for a date of old won (or the other way round), is
        // scaled into the asked date's won; between two observations across the change, a line
        // would mix the two units.
        std::optional<Decimal> scaled;
        for (const CurrencyCode c : {e.series->key().base, e.series->key().quote}) {
            const auto factor = redenomination_factor(c, hit->first->date, date);
            if (hit->second && redenomination_factor(c, hit->first->date, hit->second->date)) {
                return Error(Errc::no_rate_in_window,
                             "linear interpolation across a redenomination is not done: " +
                                 redenomination_note(*redenomination_of(c)) + "; use previous, next or nearest",
                             "policy");
            }
            if (!factor) continue;
            // The series quotes `quote` per one `base`: a rescaled quote currency multiplies, a base divides.
            const auto by = c == e.series->key().quote ? Result<Decimal>(*factor) : checked::divide(Decimal(1), *factor);
            const auto value = by ? checked::multiply(hit->value, *by) : by;
            if (!value) return value.error();
            scaled = *by;
            hit->value = *value;
        }
        // A leg's rate and the product of the legs must fit a decimal (a written rate of 10^-38
        // inverts to none): an overflow is this answer's error, like a missing rate.
        const auto leg_rate = e.inverted ? checked::divide(Decimal(1), hit->value) : Result<Decimal>(hit->value);
        if (!leg_rate) return leg_rate.error();
        const auto product = checked::multiply(answer.rate, *leg_rate);
        if (!product) return product.error();
        RateLeg leg{leg_from, e.to, e.series, e.inverted, *leg_rate, *hit,
                    hit->first->date, days_between(hit->first->date, date), scaled};
        answer.rate = *product;
        if (answer.legs.empty() || std::abs(leg.age_days) > std::abs(answer.age_days)) {
            answer.rate_date = leg.rate_date;
            answer.age_days = leg.age_days;
        }
        answer.legs.push_back(std::move(leg));
    }
    return answer;
}

Result<RateAnswer> RateBook::lookup(CurrencyCode from, CurrencyCode to, std::optional<Date> date,
                                    const RateQuery& asked) const {
    RateQuery query = asked;
    if (!query.max_gap_days) query.max_gap_days = default_max_gap_days(query.kind);
    if (*query.max_gap_days < 0) {
        return Error(Errc::invalid_parameter, "max_gap must be 0 or more days", "max_gap");
    }
    if (query.location || query.kind == RateKind::official) return lookup_at(from, to, date, query);

    // No location asked: every place that has this kind of rate competes; the freshest wins
    // (then the latest date, then the first alphabetically). If none answers, the first
    // place's error explains.
    std::optional<RateAnswer> best;
    std::optional<Error> first_error;
    for (const auto& place : locations(query.kind)) {
        RateQuery q = query;
        if (!place.empty()) q.location = place;
        auto answer = lookup_at(from, to, date, q);
        if (!answer) {
            if (!first_error) first_error = answer.error();
            continue;
        }
        if (!best || std::make_pair(std::abs(answer->age_days), best->rate_date) <
                         std::make_pair(std::abs(best->age_days), answer->rate_date)) {
            best = std::move(*answer);
        }
    }
    if (best) return std::move(*best);
    if (first_error) return *first_error;
    return Error(Errc::no_rate_series, "no " + std::string(to_string(query.kind)) + " rates", "kind");
}

}  // namespace crossrate
