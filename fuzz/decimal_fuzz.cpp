// The Decimal parser and arithmetic: a parsed value prints to text that parses back to the
// same value; arithmetic either answers or fails with the domain error (overflow, division by
// zero), never anything else, and the checked functions and the operators agree.

#include "fuzz/fuzz_support.hpp"
#include "pricing/decimal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace crossrate;
    const std::string_view text = fuzz::text_of(data, size);
    const auto split = text.find('|');
    const auto a = Decimal::parse(text.substr(0, split));
    if (!a) return 0;
    const auto again = Decimal::parse(a->to_string());
    fuzz::require(again && *again == *a, "a decimal's text parses back to it");
    fuzz::require(a->trimmed() == *a, "trimming keeps the value");
    if (split == std::string_view::npos) return 0;
    const auto b = Decimal::parse(text.substr(split + 1));
    if (!b) return 0;
    // Each operation both ways: the checked function answers or returns a domain error, and
    // the operator answers the same or throws that same error.
    const auto attempt = [](const Result<Decimal>& checked_result, auto&& f) {
        if (!checked_result) {
            const Errc code = checked_result.error().code();
            fuzz::require(code == Errc::overflow || code == Errc::division_by_zero || code == Errc::invalid_amount,
                          "arithmetic fails only with a domain error");
        }
        try {
            const Decimal d = f();
            fuzz::require(checked_result && d.coefficient() == checked_result->coefficient() &&
                              d.scale() == checked_result->scale(),
                          "the operator answers what the checked function answers");
        } catch (const Error& e) {
            fuzz::require(!checked_result && e.code() == checked_result.error().code(),
                          "the operator throws the checked function's error");
        }
    };
    attempt(checked::add(*a, *b), [&] { return *a + *b; });
    attempt(checked::subtract(*a, *b), [&] { return *a - *b; });
    attempt(checked::multiply(*a, *b), [&] { return *a * *b; });
    attempt(checked::divide(*a, *b), [&] { return *a / *b; });
    attempt(checked::round(*a, 2), [&] { return a->round(2); });
    if (const auto product = checked::multiply(*a, *b)) {
        attempt(checked::round_significant(*product, 12), [&] { return product->round_significant(12); });
    }
    return 0;
}
