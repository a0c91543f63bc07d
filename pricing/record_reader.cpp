#include "pricing/record_reader.hpp"

namespace crossrate::detail {

Error data_error(const std::string& where, std::string_view field, std::string_view reason) {
    std::string msg = where + ": ";
    if (!field.empty()) msg += "field '" + std::string(field) + "': ";
    return Error(Errc::data_error, msg + std::string(reason));
}

// A source's fields, checked; the id is the caller's.
Source read_source(const Record& r) {
    Source src{{}, r.text("kind"), r.text("publisher"), r.optional_text("title"), r.text("label"),
               r.text("language"), r.optional_text("url"), r.optional_reported_date("published"),
               r.optional_reported_date("published_english"), r.optional_text("version"),
               r.optional_text("license"), r.optional_text("file")};
    if (!src.kind.empty() && src.kind != "article" && src.kind != "dataset" && src.kind != "standard") {
        r.problem("kind", "expected article, dataset or standard");
    }
    src.text = r.optional_text("text");
    if (src.text && *src.text != "excerpt only") r.problem("text", "expected \"excerpt only\", or null");
    if (src.text && src.file) r.problem("text", "a source whose text is held (file) is not excerpt only");
    return src;
}

// A quote's fields, checked; the id is the caller's (fixtures give it, writes assign it).
Quote read_quote(const Record& r, const CurrencyTable& currencies) {
    Quote q;
    q.item = r.text("item");
    q.kind = r.text("kind");
    if (!q.kind.empty() && !is_quote_kind(q.kind)) r.problem("kind", "expected price, bribe, fee or penalty");
    if (const auto side_text = r.optional_text("side")) {
        if (const auto side = parse_quote_side(*side_text)) q.side = *side; else r.problem("side", side.error().what());
    } else if (q.kind == "price") {
        r.problem("side", "a price is seen on a side: origin (in the DPRK) or destination (in China)");
    }
    q.low = r.optional_decimal("low");
    q.high = r.optional_decimal("high");
    // A source that gives only a range ("RMB 10-20") states no single figure: the amount is
    // the range's midpoint, and says so.
    const auto basis = r.optional_text("amount_basis");
    if (basis && *basis != "stated" && *basis != "midpoint") r.problem("amount_basis", "expected stated or midpoint");
    const auto amount = r.optional_decimal("amount");
    bool unknown_amount = false;  // a midpoint no decimal holds: nothing to check against
    if ((basis == "midpoint" || (!amount && !r.given("amount"))) && q.low && q.high) {
        q.midpoint = true;
        const auto sum = checked::add(*q.low, *q.high);
        const auto midpoint = sum ? checked::divide(*sum, Decimal(2)) : Result<Decimal>(sum.error());
        if (!midpoint) {
            r.problem("high", midpoint.error().what());
            unknown_amount = true;
        } else {
            q.amount = *midpoint;
            if (amount && *amount != q.amount) r.problem("amount", "is not the midpoint of low and high");
        }
    } else if (amount) {
        q.amount = *amount;
        if (basis == "midpoint") r.problem("amount_basis", "a midpoint needs low and high");
    } else {
        r.problem("amount", "missing (a range without a stated figure gives low and high)");
    }
    if (!unknown_amount && q.amount.signum() <= 0 && amount) r.problem("amount", "must be positive");
    if (q.low && q.low->signum() <= 0) r.problem("low", "must be positive");
    if (!unknown_amount && q.low && *q.low > q.amount) r.problem("low", "is above the amount");
    if (!unknown_amount && q.high && *q.high < q.amount) r.problem("high", "is below the amount");
    q.approximate = r.flag("approximate");
    q.qualifier = r.optional_text("qualifier").value_or("");
    if (const auto tail = r.optional_text("tail")) {
        if (const auto parsed = parse_quote_tail(*tail)) q.tail = *parsed; else r.problem("tail", parsed.error().what());
    }
    // Records written before `tail`: "upper_bound": true made the amount a ceiling, which is a
    // lower tail bounded by the amount.
    if (r.given("upper_bound") && r.flag("upper_bound")) {
        if (q.tail == QuoteTail::upper) r.problem("upper_bound", "contradicts tail 'upper'");
        q.tail = QuoteTail::lower;
        if (!q.high) q.high = q.amount;
    }
    if (const auto code = r.text("currency"); !code.empty()) {
        if (const auto currency = currencies.find(code)) q.currency = (*currency)->code; else r.problem("currency", currency.error().what());
    }
    q.unit = r.text("unit");
    q.location = r.text("location");
    if (auto observed = r.reported_date("observed")) q.observed = *observed;
    q.source = r.reference("source");
    q.excerpts = r.texts("excerpts");
    q.note = r.optional_text("note").value_or("");
    return q;
}

}  // namespace crossrate::detail
