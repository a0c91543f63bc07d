// The Decimal parser and arithmetic: a parsed value prints to text that parses back to the
// same value; arithmetic either answers or throws the domain error (overflow, division by
// zero), never anything else.

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
    const auto attempt = [](auto&& f) {
        try {
            (void)f();
        } catch (const Error& e) {
            fuzz::require(e.code() == Errc::overflow || e.code() == Errc::division_by_zero ||
                              e.code() == Errc::invalid_amount,
                          "arithmetic fails only with a domain error");
        }
    };
    attempt([&] { return *a + *b; });
    attempt([&] { return *a - *b; });
    attempt([&] { return *a * *b; });
    attempt([&] { return *a / *b; });
    attempt([&] { return a->round(2); });
    attempt([&] { return (*a * *b).round_significant(12); });
    return 0;
}
