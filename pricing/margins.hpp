#pragma once
// Arbitrage margins: an item bought in the DPRK (origin) and resold in China (destination),
// on a date, in a target currency; then, per crossing, net of the bribe, transport and the
// risk of interdiction, with the break-evens. Every input says where it came from.
//
// The model of a crossing: `heads` animals bought at `buy` each and moved at `transport` each;
// with probability `interdiction` the crossing is caught. The source reports the bribe as what
// a caught smuggler pays to escape arrest; how a livestock crossing meets it is a modelling
// choice, one of two named assumptions:
//
//   when_caught (the default, bribe_paid_when_caught): the bribe is paid only when caught, and
//   paying it keeps the goods.
//     outlay = heads × (buy + transport) + interdiction × bribe     (expected)
//     expected revenue = heads × sell
//   per_crossing (bribe_paid_per_crossing): the bribe is paid on every crossing, and a caught
//   crossing loses the goods and the bribe (loss_when_interdicted).
//     outlay = heads × (buy + transport) + bribe
//     expected revenue = (1 − interdiction) × heads × sell
//
//   expected net      = expected revenue − outlay            (per crossing; ÷ heads per head)
//   return on outlay  = expected net ÷ outlay
//   break-evens       = the highest bribe, the fewest heads, the highest interdiction
//                       probability at which the expected net is still ≥ 0

#include "pricing/dataset.hpp"

#include <optional>
#include <string>
#include <vector>

namespace crossrate {

// Where an input's number comes from.
enum class Basis { reported, assumption, override_ };
std::string_view to_string(Basis b) noexcept;

// How the reported bribe enters a crossing's costs (see the model above).
enum class BribeModel { when_caught, per_crossing };
inline constexpr BribeModel default_bribe_model = BribeModel::when_caught;
std::string_view to_string(BribeModel m) noexcept;
Result<BribeModel> parse_bribe_model(std::string_view text);
// The assumption that documents a reading: "bribe_paid_when_caught", "bribe_paid_per_crossing".
std::string_view assumption_of(BribeModel m) noexcept;

// One input of a margin, in the target currency where it is money.
struct MarginInput {
    Decimal value;
    // The range the source gives, in the target currency; an end the source does not give
    // (the low end of "sometimes take even less") comes from the reported_tail_floor
    // assumption, named in low_assumption. Unset when the source gives one figure.
    std::optional<Decimal> low, high;
    const Assumption* low_assumption = nullptr;
    Basis basis = Basis::assumption;
    const Assumption* applied_by = nullptr;  // the bribe: the assumption on how it is paid
    const Quote* quote = nullptr;            // reported: the quote (source, sentences, date)
    const Assumption* assumption = nullptr;  // assumption: the documented default
    int age_days = 0;                        // reported: asked date − the quote's last observed day
    // A month's or year's quote could be from any day of it: the asked date − its farthest
    // day (the period's first day for an earlier quote). Equal to age_days for a day's quote.
    int age_days_farthest = 0;
    std::optional<RateAnswer> conversion;    // reported money in another currency: how it was converted
};

// The arithmetic alone, for sweeps and draws: exact decimals in, exact decimals out.
struct MarginInputs {
    Decimal buy, sell, bribe, heads, transport, interdiction;
    BribeModel bribe_model = default_bribe_model;
};
// What a crossing costs up front, expected: cargo, and the bribe as the model pays it.
// Errc::overflow when it leaves the decimal range.
Result<Decimal> outlay(const MarginInputs& in);
struct MarginNumbers {
    Decimal gross;          // sell − buy, per head
    Decimal markup;         // sell ÷ buy
    Decimal margin_share;   // gross ÷ sell
    Decimal outlay;         // per crossing
    Decimal expected_revenue;
    Decimal expected_net;   // per crossing
    Decimal net_per_head;
    std::optional<Decimal> return_on_outlay;      // none when nothing is spent
    std::optional<Decimal> breakeven_bribe;       // none when no bribe, not even zero, breaks even
    std::optional<Decimal> breakeven_heads;       // a whole number of heads; none if no load does
    std::optional<Decimal> breakeven_interdiction;  // none if it loses even when never stopped
};
// Error{invalid_parameter} for inputs outside their domain (buy ≤ 0, heads < 1, interdiction
// outside [0, 1], negative bribe or transport); Error{overflow} for numbers past the range.
Result<MarginNumbers> evaluate_margin(const MarginInputs& in);

// The expected net per crossing alone, for Monte Carlo draws: no domain checks (the
// distributions are checked once), no ratios; Error{overflow} past the range.
Result<Decimal> expected_net(const MarginInputs& in);

struct MarginOverrides {
    std::optional<Decimal> buy, sell;  // per head, in the target currency
    std::optional<Decimal> bribe;      // per crossing, in the target currency
    std::optional<Decimal> heads, transport, interdiction;
    // A quote's amount replaced (in the quote's own currency), by quote id.
    std::vector<std::pair<std::string, Decimal>> quote_amounts;
    // A currency's value against all others multiplied (0.9: the yuan weakens 10%).
    std::vector<std::pair<CurrencyCode, Decimal>> currency_value;
};

// The cost a crossing pays when caught (or on every crossing, by the bribe model), by item: the
// seeds' bribe to border guards unless a request names another bribe, fee or penalty. Which one
// applies is an assumption, as how it is paid is; a request that names none gets this one.
inline constexpr std::string_view default_bribe_item = "border_guard_bribe";

struct MarginQuery {
    std::string item;
    Date date;
    const Currency* currency = nullptr;
    RateQuery rates;  // how money in other currencies is converted
    MarginOverrides overrides;
    LookupPolicy quote_policy = LookupPolicy::previous;  // how quotes are found by date
    BribeModel bribe_model = default_bribe_model;
    std::string bribe_item = std::string(default_bribe_item);  // see default_bribe_item
};

// The expected net at the ends of the reported ranges: every ranged input at its worst for
// `low`, at its best for `high` (the net falls with buy, bribe and transport, rises with sell).
struct MarginRange {
    Decimal expected_net_low, expected_net_high;
    Decimal net_per_head_low, net_per_head_high;
};

// A source's claim about the item's prices beside what its quotes give: origin ÷ destination,
// each in the quote's own currency (both quotes in one currency, else no comparison).
struct ClaimCheck {
    const Claim* claim = nullptr;
    std::optional<Decimal> quoted_ratio;    // buy ÷ sell as reported
    bool agrees = false;                    // the quoted ratio is the claimed one, exactly
};

struct MarginResult {
    const Item* item = nullptr;
    Date date;
    const Currency* currency = nullptr;
    const Regime* regime = nullptr;  // the enforcement period on the date, if any
    BribeModel bribe_model = default_bribe_model;
    std::string bribe_item;  // whose quote the bribe is, when not overridden
    MarginInput buy, sell, bribe, heads, transport, interdiction;
    MarginNumbers numbers;
    std::optional<MarginRange> range;  // set when an input has a reported range
    std::vector<ClaimCheck> claims;    // what sources claim of the item's prices
    // What the prices are per: the item's unit, or the base both quotes were converted to
    // when the source priced one side per jin and the other per kg (units_converted).
    std::string per;
    bool units_converted = false;
};

Result<MarginResult> compute_margin(const Dataset& data, const MarginQuery& query);

// The quote kind of an item that can be a crossing's cost (bribe, fee or penalty, by its
// category), or why it cannot (param bribe_item).
Result<std::string> cost_kind(const Dataset& data, std::string_view item);

// A claim beside the quotes of each item it names, found as margins find them (the latest on
// or before the claim's period ends).
struct ClaimItem {
    std::string item;
    const Quote* buy = nullptr;
    const Quote* sell = nullptr;
    std::optional<Decimal> quoted_ratio;
    bool agrees = false;
};
std::vector<ClaimItem> check_claim(const Dataset& data, const Claim& claim);

// The quote of `item` on `side` (or of kind `bribe`) that serves `date`, by policy, no
// further than the quote_max_gap_days assumption. A quote covers its whole observed period
// (March 2023 covers every day of March): `previous` takes the latest observed on or before
// the date, `next` the earliest on or after it, `nearest` the closer (the earlier on a tie),
// `exact` one whose period covers the date. Quotes are not interpolated: `linear` is refused.
// age_days is the date minus the end of the period (negative for a later quote: the date
// minus its start; zero inside the period).
struct QuoteHit {
    const Quote* quote = nullptr;
    int age_days = 0;           // from the period's day nearest the date
    int age_days_farthest = 0;  // from its day farthest from it
};
Result<QuoteHit> find_quote(const Dataset& data, std::string_view item, std::optional<QuoteSide> side,
                            std::string_view kind, Date date, LookupPolicy policy = LookupPolicy::previous);

}  // namespace crossrate
