#include "pricing/margins.hpp"

#include "pricing/units.hpp"

#include <algorithm>


namespace crossrate {
namespace {

const Decimal zero{0};
const Decimal one{1};

Error no_assumption(std::string_view id) {
    return Error(Errc::data_error, "assumptions.json has no '" + std::string(id) + "'");
}

Result<Decimal> assumption_value(const Dataset& data, std::string_view id) {
    const Assumption* a = data.find_assumption(id);
    if (a == nullptr) return no_assumption(id);
    return a->value;
}

Result<MarginInput> assumed(const Dataset& data, std::string_view id) {
    MarginInput in;
    in.basis = Basis::assumption;
    in.assumption = data.find_assumption(id);
    if (in.assumption == nullptr) return no_assumption(id);
    in.value = in.assumption->value;
    return in;
}

MarginInput overridden(Decimal value) {
    MarginInput in;
    in.value = value;
    in.basis = Basis::override_;
    return in;
}

// The factor a currency's value is multiplied by in this query (1 unless overridden).
Decimal value_factor(const MarginQuery& q, CurrencyCode code) {
    for (const auto& [c, factor] : q.overrides.currency_value) {
        if (c == code) return factor;
    }
    return one;
}

// An amount in `from`, in the query's currency on its date (unrounded: rounding is the edge's).
Result<Decimal> in_target(const Dataset& data, const Decimal& amount, CurrencyCode from, const MarginQuery& q,
                          std::optional<RateAnswer>* conversion) {
    if (from == q.currency->code) return amount;
    auto rate = data.rates.lookup(from, q.currency->code, q.date, q.rates);
    if (!rate) return rate.error();
    checked::Calculation c;
    const Decimal shocked = c.divide(c.multiply(rate->rate, value_factor(q, from)), value_factor(q, q.currency->code));
    const Decimal value = c.multiply(amount, shocked);
    if (c.failed()) return c.result(value);
    if (conversion != nullptr) *conversion = std::move(*rate);
    return value;
}

// A quote's amount in the target currency, on the asked date.
Result<MarginInput> reported(const Dataset& data, const QuoteHit& hit, const MarginQuery& q) {
    const Quote* quote = hit.quote;
    MarginInput in;
    in.basis = Basis::reported;
    in.quote = quote;
    in.age_days = hit.age_days;
    in.age_days_farthest = hit.age_days_farthest;
    Decimal amount = quote->amount;
    for (const auto& [id, replaced] : q.overrides.quote_amounts) {
        if (id == quote->id) {
            amount = replaced;
            in.basis = Basis::override_;
        }
    }
    const bool shocked = value_factor(q, quote->currency) != one || value_factor(q, q.currency->code) != one;
    if (shocked && quote->currency != q.currency->code) in.basis = Basis::override_;
    auto value = in_target(data, amount, quote->currency, q, &in.conversion);
    if (!value) return value.error();
    in.value = *value;
    if (in.basis == Basis::reported && (quote->low || quote->high || quote->tail == QuoteTail::lower)) {
        // The range scales with the amount: the same conversion applies to its ends. A lower
        // tail the source gives no bound for runs down to an assumed share of the amount.
        checked::Calculation c;
        const Decimal per_unit = c.divide(*value, quote->amount);
        if (quote->low) {
            in.low = c.multiply(*quote->low, per_unit);
        } else if (quote->tail == QuoteTail::lower) {
            in.low_assumption = data.find_assumption("reported_tail_floor");
            if (in.low_assumption == nullptr) return no_assumption("reported_tail_floor");
            in.low = c.multiply(in.value, in.low_assumption->value);
        } else {
            in.low = in.value;
        }
        in.high = quote->high ? c.multiply(*quote->high, per_unit) : in.value;
        return c.result(std::move(in));
    }
    return in;
}

// Origin ÷ destination as the quotes report them, when both are in one currency. (Quoted
// amounts are positive, checked when loaded; a ratio no decimal holds is none.)
std::optional<Decimal> quoted_ratio(const Quote* buy, const Quote* sell) {
    if (buy == nullptr || sell == nullptr || buy->currency != sell->currency) return std::nullopt;
    const auto ratio = checked::divide(buy->amount, sell->amount);
    if (!ratio) return std::nullopt;
    return *ratio;
}

std::string_view interdiction_assumption(const Regime* regime) {
    if (regime == nullptr) return "interdiction_unknown";
    switch (regime->level) {
        case RegimeLevel::lax: return "interdiction_lax";
        case RegimeLevel::tightening: return "interdiction_tightening";
        case RegimeLevel::crackdown: return "interdiction_crackdown";
    }
    return "interdiction_unknown";
}

// The smallest whole number ≥ x (x > 0).
Decimal ceiling(checked::Calculation& c, const Decimal& x) {
    const Decimal whole = c.round(x, 0);
    return whole < x ? c.add(whole, one) : whole;
}

}  // namespace

std::string_view to_string(BribeModel m) noexcept { return m == BribeModel::when_caught ? "when_caught" : "per_crossing"; }

Result<BribeModel> parse_bribe_model(std::string_view text) {
    if (text == "when_caught") return BribeModel::when_caught;
    if (text == "per_crossing") return BribeModel::per_crossing;
    return Error(Errc::invalid_parameter, "bribe_model must be when_caught or per_crossing", "bribe_model");
}

std::string_view assumption_of(BribeModel m) noexcept {
    return m == BribeModel::when_caught ? "bribe_paid_when_caught" : "bribe_paid_per_crossing";
}

Result<Decimal> outlay(const MarginInputs& in) {
    checked::Calculation c;
    const Decimal cargo = c.multiply(in.heads, c.add(in.buy, in.transport));
    return c.result(in.bribe_model == BribeModel::when_caught ? c.add(cargo, c.multiply(in.interdiction, in.bribe))
                                                              : c.add(cargo, in.bribe));
}

std::string_view to_string(Basis b) noexcept {
    switch (b) {
        case Basis::reported: return "reported";
        case Basis::assumption: return "assumption";
        case Basis::override_: return "override";
    }
    return "assumption";
}

Result<MarginNumbers> evaluate_margin(const MarginInputs& in) {
    if (in.buy <= zero) return Error(Errc::invalid_parameter, "the buying price must be positive", "buy");
    if (in.sell < zero) return Error(Errc::invalid_parameter, "the selling price must not be negative", "sell");
    if (in.bribe < zero) return Error(Errc::invalid_parameter, "the bribe must not be negative", "bribe");
    if (in.transport < zero) return Error(Errc::invalid_parameter, "transport must not be negative", "transport");
    if (in.heads < one) return Error(Errc::invalid_parameter, "heads per crossing must be at least 1", "heads");
    if (in.interdiction < zero || in.interdiction > one) {
        return Error(Errc::invalid_parameter, "interdiction must be a probability from 0 to 1", "interdiction");
    }
    auto spent = outlay(in);
    if (!spent) return spent.error();
    // Past the checks above, only overflow can fail: every divisor is positive.
    checked::Calculation c;
    MarginNumbers n;
    n.gross = c.subtract(in.sell, in.buy);
    n.markup = c.divide(in.sell, in.buy);
    n.margin_share = in.sell.is_zero() ? zero : c.divide(n.gross, in.sell);
    const Decimal cost_per_head = c.add(in.buy, in.transport);
    const Decimal cargo = c.multiply(in.heads, cost_per_head);
    const Decimal p = in.interdiction;
    n.outlay = *spent;
    if (in.bribe_model == BribeModel::when_caught) {
        // Caught with probability p: the bribe is paid and the goods go on.
        n.expected_revenue = c.multiply(in.heads, in.sell);
        n.expected_net = c.subtract(n.expected_revenue, n.outlay);
        const Decimal before_bribe = c.subtract(n.expected_revenue, cargo);  // what the bribe may take, × p
        if (before_bribe >= zero && !p.is_zero()) n.breakeven_bribe = c.divide(before_bribe, p);
        const Decimal per_head_margin = c.subtract(in.sell, cost_per_head);
        if (per_head_margin > zero) {
            const Decimal expected_bribe = c.multiply(p, in.bribe);
            n.breakeven_heads =
                expected_bribe.is_zero() ? one : std::max(one, ceiling(c, c.divide(expected_bribe, per_head_margin)));
        }
        if (before_bribe >= zero) {
            n.breakeven_interdiction = in.bribe.is_zero() ? one : std::min(one, c.divide(before_bribe, in.bribe));
        }
    } else {
        const Decimal survives = c.subtract(one, p);
        const Decimal revenue_if_through = c.multiply(in.heads, in.sell);
        n.expected_revenue = c.multiply(survives, revenue_if_through);
        n.expected_net = c.subtract(n.expected_revenue, n.outlay);
        const Decimal before_bribe = c.subtract(n.expected_revenue, cargo);
        if (before_bribe >= zero) n.breakeven_bribe = before_bribe;
        const Decimal per_head_margin = c.subtract(c.multiply(survives, in.sell), cost_per_head);
        if (per_head_margin > zero) {
            n.breakeven_heads = in.bribe.is_zero() ? one : std::max(one, ceiling(c, c.divide(in.bribe, per_head_margin)));
        }
        if (!revenue_if_through.is_zero()) {
            const Decimal through = c.subtract(one, c.divide(n.outlay, revenue_if_through));
            if (through >= zero) n.breakeven_interdiction = through;
        }
    }
    n.net_per_head = c.divide(n.expected_net, in.heads);
    if (!n.outlay.is_zero()) n.return_on_outlay = c.divide(n.expected_net, n.outlay);
    return c.result(std::move(n));
}

Result<Decimal> expected_net(const MarginInputs& in) {
    checked::Calculation c;
    const Decimal cargo = c.multiply(in.heads, c.add(in.buy, in.transport));
    if (in.bribe_model == BribeModel::when_caught) {
        return c.result(c.subtract(c.subtract(c.multiply(in.heads, in.sell), cargo), c.multiply(in.interdiction, in.bribe)));
    }
    const Decimal revenue = c.multiply(c.multiply(c.subtract(one, in.interdiction), in.heads), in.sell);
    return c.result(c.subtract(c.subtract(revenue, cargo), in.bribe));
}

Result<QuoteHit> find_quote(const Dataset& data, std::string_view item, std::optional<QuoteSide> side,
                            std::string_view kind, Date date, LookupPolicy policy) {
    if (policy == LookupPolicy::linear) {
        return Error(Errc::invalid_parameter, "quotes are not interpolated: quote_policy may be previous, next, nearest "
                                              "or exact", "quote_policy");
    }
    const auto gap = assumption_value(data, "quote_max_gap_days");
    if (!gap) return gap.error();
    const int max_gap = static_cast<int>(gap->round(0).coefficient());  // a small whole number of days
    // Binary searches in the item's quotes by date. Ties go to the quote added first.
    const Quote* before = nullptr;  // the latest starting on or before the date
    const Quote* after = nullptr;   // the earliest ending on or after the date
    std::uint32_t before_at = 0;
    std::uint32_t after_at = 0;
    const auto matches = [&](std::uint32_t p) {
        return data.quotes.visible(p) && (!side || data.quotes[p].side == *side);
    };
    if (const QuoteDates* dates = data.quote_dates_of(item, kind)) {
        const auto observed = [&](std::uint32_t p) { return data.quotes[p].observed.date; };
        const auto consider_before = [&](std::uint32_t p) {
            const Date d = observed(p);
            if (before == nullptr || d > before->observed.date || (d == before->observed.date && p < before_at)) {
                before = &data.quotes[p];
                before_at = p;
            }
        };
        // Positions from this one on were added after the revision read.
        const std::size_t at = data.quotes.end_at(data.quotes.revision());
        for (const auto& searched : {std::pair(&dates->day, &dates->day_blocks), std::pair(&dates->coarse, &dates->coarse_blocks)}) {
            const std::vector<std::uint32_t>* list = searched.first;  // (not a structured binding: lambdas capture it)
            const RevisionBlocks* blocks = searched.second;
            // The last start on or before the date, then back over that day for the first added.
            const auto upper = std::upper_bound(list->begin(), list->end(), date,
                                                [&](Date d, std::uint32_t p) { return d < observed(p); });
            std::size_t i = blocks->back(static_cast<std::size_t>(upper - list->begin()), at,
                                         [&](std::size_t j) { return matches((*list)[j]); });
            if (i == RevisionBlocks::none) continue;
            const Date found = observed((*list)[i]);
            for (;;) {
                consider_before((*list)[i]);
                i = blocks->back(i, at, [&](std::size_t j) { return observed((*list)[j]) != found || matches((*list)[j]); });
                if (i == RevisionBlocks::none || observed((*list)[i]) != found) break;
            }
        }
        // After: a day's quote from the date on; a coarser one whose period reaches the date.
        const auto consider_after = [&](std::uint32_t p) {
            const Date d = observed(p);
            if (after == nullptr || std::pair(d, p) < std::pair(after->observed.date, after_at)) {
                after = &data.quotes[p];
                after_at = p;
            }
        };
        const auto lower = std::lower_bound(dates->day.begin(), dates->day.end(), date,
                                            [&](std::uint32_t p, Date d) { return observed(p) < d; });
        const std::size_t first = dates->day_blocks.forward(static_cast<std::size_t>(lower - dates->day.begin()),
                                                            dates->day.size(), at,
                                                            [&](std::size_t j) { return matches(dates->day[j]); });
        if (first != RevisionBlocks::none) consider_after(dates->day[first]);
        const std::size_t coarse = dates->coarse_blocks.forward(0, dates->coarse.size(), at, [&](std::size_t j) {
            return matches(dates->coarse[j]) && data.quotes[dates->coarse[j]].observed.last_day() >= date;
        });
        // By date: the first that reaches the date is the earliest.
        if (coarse != RevisionBlocks::none) consider_after(dates->coarse[coarse]);
    }
    const auto age = [date](const Quote* q) {
        if (q->observed.last_day() < date) return days_between(q->observed.last_day(), date);
        if (q->observed.date > date) return days_between(q->observed.date, date);
        return 0;
    };
    const Quote* pick = nullptr;
    switch (policy) {
        case LookupPolicy::previous: pick = before; break;
        case LookupPolicy::next: pick = after; break;
        case LookupPolicy::exact: pick = before != nullptr && age(before) == 0 ? before : nullptr; break;
        case LookupPolicy::nearest:
        case LookupPolicy::linear:
            pick = before == nullptr ? after : after == nullptr ? before : std::abs(age(after)) < std::abs(age(before)) ? after : before;
            break;
    }
    const std::string what = std::string(kind == "bribe" ? "bribe" : side == QuoteSide::origin ? "buying price"
                                                                                                  : "selling price") +
                             " for " + std::string(item);
    if (pick == nullptr || std::abs(age(pick)) > max_gap) {
        std::string msg = "no " + what + " (quote_policy " + std::string(to_string(policy)) + ") within " +
                          std::to_string(max_gap) + " days of " + format_date(date);
        if (before != nullptr) msg += "; the latest before is from " + before->observed.text();
        if (after != nullptr && after != before) msg += "; the first after is from " + after->observed.text();
        if (before == nullptr && after == nullptr) msg += "; none is reported";
        return Error(Errc::not_found, msg, "date");
    }
    const int farthest = pick->observed.date > date ? days_between(pick->observed.last_day(), date)
                                                    : days_between(pick->observed.date, date);
    return QuoteHit{pick, age(pick), farthest};
}

Result<std::string> cost_kind(const Dataset& data, std::string_view item) {
    const Item* i = data.find_item(item);
    if (i == nullptr) return Error(Errc::not_found, "no item '" + std::string(item) + "'" + data.near_item(item), "bribe_item");
    if (i->category != "bribe" && i->category != "fee" && i->category != "penalty") {
        return Error(Errc::invalid_parameter,
                     "bribe_item must name a bribe, fee or penalty item; '" + std::string(item) + "' is " +
                         i->category,
                     "bribe_item");
    }
    return i->category;
}

// Whether an item has a visible price on a side, at any date.
bool priced_on(const Dataset& data, std::string_view item, QuoteSide side) {
    const QuoteDates* dates = data.quote_dates_of(item, "price");
    if (dates == nullptr) return false;
    for (const auto* list : {&dates->day, &dates->coarse}) {
        for (const std::uint32_t p : *list) {
            if (data.quotes.visible(p) && data.quotes[p].side == side) return true;
        }
    }
    return false;
}

Result<MarginResult> compute_margin(const Dataset& data, const MarginQuery& q) {
    MarginResult r;
    r.item = data.find_item(q.item);
    if (r.item == nullptr) return Error(Errc::not_found, "no item '" + q.item + "'" + data.near_item(q.item), "items");
    r.date = q.date;
    r.currency = q.currency;
    r.regime = data.regime_on(q.date);
    r.bribe_model = q.bribe_model;
    const auto& o = q.overrides;
    // A price not found near the date: if the item is priced on one side only, it has no
    // margin at any date, and the answer says so rather than "none near". (The scan over the
    // item's quotes runs only then, never on a margin that is found.)
    const auto one_sided = [&]() -> std::optional<Error> {
        const bool origin = o.buy || priced_on(data, q.item, QuoteSide::origin);
        const bool destination = o.sell || priced_on(data, q.item, QuoteSide::destination);
        if (origin && destination) return std::nullopt;
        const std::string where = origin ? "only inside North Korea (origin)" : destination ? "only in China (destination)" : "on neither side";
        return Error(Errc::not_found,
                     "no margin for " + q.item + ": it is priced " + where +
                         ", and a margin needs a buying and a selling price (give buy= or sell= to supply one)",
                     "items");
    };
    const auto price = [&](std::optional<Decimal> given, QuoteSide side) -> Result<MarginInput> {
        if (given) return overridden(*given);
        auto quote = find_quote(data, q.item, side, "price", q.date, q.quote_policy);
        if (!quote) {
            if (auto reason = one_sided()) return *reason;
            return quote.error();
        }
        return reported(data, *quote, q);
    };
    auto buy = price(o.buy, QuoteSide::origin);
    if (!buy) return buy.error();
    auto sell = price(o.sell, QuoteSide::destination);
    if (!sell) return sell.error();
    r.buy = std::move(*buy);
    r.sell = std::move(*sell);
    r.per = r.item->unit;
    // Prices compare only per one measure: per jin against per kg converts both to per kg;
    // per head against per kg is no margin at all.
    if (r.buy.quote != nullptr && r.sell.quote != nullptr && r.buy.quote->unit != r.sell.quote->unit) {
        const auto b = measure_of(r.buy.quote->unit);
        const auto s = measure_of(r.sell.quote->unit);
        if (!b || !s || b->base != s->base) {
            return Error(Errc::not_found,
                         "the buying price of " + q.item + " is per " + r.buy.quote->unit + " and the selling price per " +
                             r.sell.quote->unit + ": not one measure, so no margin",
                         "items");
        }
        checked::Calculation c;
        for (auto& [in, m] : {std::pair(&r.buy, &*b), std::pair(&r.sell, &*s)}) {
            in->value = c.divide(in->value, m->per_base);
            if (in->low) in->low = c.divide(*in->low, m->per_base);
            if (in->high) in->high = c.divide(*in->high, m->per_base);
        }
        if (c.failed()) return c.result(std::move(r));
        r.per = b->base;
        r.units_converted = true;
    }

    if (o.bribe) {
        r.bribe = overridden(*o.bribe);
    } else {
        // The reported price of escaping arrest (or the bribe, fee or penalty the request
        // names); how a crossing pays it is the bribe model's.
        auto kind = cost_kind(data, q.bribe_item);
        if (!kind) return kind.error();
        auto quote = find_quote(data, q.bribe_item, std::nullopt, *kind, q.date, q.quote_policy);
        if (!quote) {
            return Error(quote.error().code(),
                         std::string(quote.error().what()) +
                             "; name another with bribe_item (a bribe, fee or penalty item) or give bribe=",
                         "bribe_item");
        }
        if (const auto m = measure_of(quote->quote->unit); m && m->dimension == Dimension::mass) {
            return Error(Errc::invalid_parameter,
                         q.bribe_item + " is priced per " + quote->quote->unit + ": not a cost per crossing", "bribe_item");
        }
        r.bribe_item = q.bribe_item;
        auto bribe = reported(data, *quote, q);
        if (!bribe) return bribe.error();
        r.bribe = std::move(*bribe);
    }
    r.bribe.applied_by = data.find_assumption(assumption_of(q.bribe_model));
    if (r.bribe.applied_by == nullptr) return no_assumption(assumption_of(q.bribe_model));
    const auto input = [&](const std::optional<Decimal>& given, std::string_view assumption) -> Result<MarginInput> {
        if (given) return overridden(*given);
        return assumed(data, assumption);
    };
    auto heads = input(o.heads, "heads_per_crossing");
    if (!heads) return heads.error();
    r.heads = std::move(*heads);
    auto transport = input(o.transport, "transport_per_head");
    if (!transport) return transport.error();
    r.transport = std::move(*transport);
    if (!o.transport && !r.transport.value.is_zero()) {
        // The transport assumption is in yuan.
        auto value = in_target(data, r.transport.value, *CurrencyCode::from_text("CNY"), q, nullptr);
        if (!value) return value.error();
        r.transport.value = *value;
    }
    auto interdiction = input(o.interdiction, interdiction_assumption(r.regime));
    if (!interdiction) return interdiction.error();
    r.interdiction = std::move(*interdiction);
    auto numbers = evaluate_margin({r.buy.value, r.sell.value, r.bribe.value, r.heads.value, r.transport.value,
                                    r.interdiction.value, q.bribe_model});
    if (!numbers) return numbers.error();
    r.numbers = std::move(*numbers);
    if (r.buy.low || r.sell.low || r.bribe.low || r.transport.low) {
        const auto end = [](const MarginInput& in, bool high) { return high ? in.high.value_or(in.value) : in.low.value_or(in.value); };
        // Worst: costs high, price low; best: the other way round.
        const MarginInputs worst{end(r.buy, true), end(r.sell, false), end(r.bribe, true), r.heads.value,
                                 end(r.transport, true), r.interdiction.value, q.bribe_model};
        const MarginInputs best{end(r.buy, false), end(r.sell, true), end(r.bribe, false), r.heads.value,
                                end(r.transport, false), r.interdiction.value, q.bribe_model};
        const auto low = expected_net(worst);
        if (!low) return low.error();
        const auto high = expected_net(best);
        if (!high) return high.error();
        checked::Calculation c;
        const MarginRange range{*low, *high, c.divide(*low, r.heads.value), c.divide(*high, r.heads.value)};
        if (c.failed()) return c.result(std::move(r));
        r.range = range;
    }
    for (const Claim& claim : data.claims) {
        if (std::find(claim.items.begin(), claim.items.end(), q.item) == claim.items.end()) continue;
        ClaimCheck check{&claim, std::nullopt, false};
        if (const auto ratio = quoted_ratio(r.buy.quote, r.sell.quote)) {
            check.quoted_ratio = *ratio;
            check.agrees = *ratio == claim.ratio;
        }
        r.claims.push_back(check);
    }
    return r;
}

std::vector<ClaimItem> check_claim(const Dataset& data, const Claim& claim) {
    std::vector<ClaimItem> out;
    const Date on = claim.observed.last_day();
    for (const auto& item : claim.items) {
        ClaimItem c;
        c.item = item;
        if (auto buy = find_quote(data, item, QuoteSide::origin, "price", on)) c.buy = buy->quote;
        if (auto sell = find_quote(data, item, QuoteSide::destination, "price", on)) c.sell = sell->quote;
        c.quoted_ratio = quoted_ratio(c.buy, c.sell);
        c.agrees = c.quoted_ratio && *c.quoted_ratio == claim.ratio;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace crossrate
