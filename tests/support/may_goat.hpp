#pragma once
// A quote that is valid against the fixtures (the Daily NK article's sentence, verbatim), as
// a JSON record for POST /v1/quotes and as a quotes CSV's header and row for the import tests.

#include <string_view>

namespace crossrate::test {

inline constexpr std::string_view may_goat = R"({"item":"goat","kind":"price","side":"origin","amount":550,"low":null,
    "high":null,"approximate":true,"qualifier":null,"tail":null,"currency":"CNY","unit":"head",
    "location":"North Korea, Yalu River border area",
    "observed":{"date":"2023-05","precision":"month","inferred":true,"note":null},
    "source":{"id":"dailynk-2023-03-30-yalu-livestock-smuggling"},
    "excerpts":["In China, demand is high for North Korean livestock because they cost one-third of Chinese market prices."],
    "note":null})";

inline constexpr const char* quote_csv_header =
    "item,kind,side,amount,low,high,approximate,qualifier,tail,currency,unit,location,observed_date,"
    "observed_precision,observed_inferred,observed_note,source,excerpt,note,supersedes\n";

inline constexpr const char* may_goat_csv_row =
    "goat,price,origin,550,,,true,,,CNY,head,\"North Korea, Yalu River border area\",2023-05,month,true,,"
    "dailynk-2023-03-30-yalu-livestock-smuggling,\"In China, demand is high for North Korean livestock because they "
    "cost one-third of Chinese market prices.\",,\n";

// The same in the header of earlier versions (upper_bound where qualifier,tail are now).
inline constexpr const char* legacy_quote_csv =
    "item,kind,side,amount,low,high,approximate,upper_bound,currency,unit,location,observed_date,"
    "observed_precision,observed_inferred,observed_note,source,excerpt,note,supersedes\n"
    "goat,price,origin,550,,,true,false,CNY,head,\"North Korea, Yalu River border area\",2023-05,month,true,,"
    "dailynk-2023-03-30-yalu-livestock-smuggling,\"In China, demand is high for North Korean livestock because they "
    "cost one-third of Chinese market prices.\",,\n";

}  // namespace crossrate::test
