#pragma once
// A quotes CSV for the import tests: the header and one row that is valid against the
// fixtures (the Daily NK article's sentence, verbatim).

namespace crossrate::test {

inline constexpr const char* quote_csv_header =
    "item,kind,side,amount,low,high,approximate,upper_bound,currency,unit,location,observed_date,"
    "observed_precision,observed_inferred,observed_note,source,excerpt,note,supersedes\n";

inline constexpr const char* may_goat_csv_row =
    "goat,price,origin,550,,,true,false,CNY,head,\"North Korea, Yalu River border area\",2023-05,month,true,,"
    "dailynk-2023-03-30-yalu-livestock-smuggling,\"In China, demand is high for North Korean livestock because they "
    "cost one-third of Chinese market prices.\",,\n";

}  // namespace crossrate::test
