// crossrate: the pricing model from the shell. Every command loads the dataset, answers one
// question, and prints it for people or, with --json, as the v1 document the server returns.

#include "api/documents.hpp"
#include "pricing/exact_json.hpp"
#include "api/margin_document.hpp"
#include "api/scenario_json.hpp"
#include "api/requests.hpp"
#include "cli/args.hpp"
#include "cli/import.hpp"
#include "pricing/dataset_loader.hpp"
#include "ledger/data_dir.hpp"

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <fstream>
#include <sstream>
#include <iostream>
#include <span>
#include <string>

namespace crossrate::cli {
namespace {

constexpr int exit_failure = 1;  // the question has no answer (no rate, unknown item)
constexpr int exit_usage = 2;    // the question was malformed

struct Command {
    std::string_view name;
    std::string_view usage;
    std::vector<OptionSpec> options;
    int (*run)(const Args&, const Dataset&);
};

std::string rate_text(const Decimal& d) { return d.round_significant(api::rate_display_digits).trimmed().to_string(); }

// Options by their CLI names (--max-gap) through the shared parser's names (max_gap).
api::Params params_of(const Args& args, std::span<const std::string_view> positional_names) {
    return [&args, positional_names](std::string_view name) -> std::optional<std::string_view> {
        for (std::size_t i = 0; i < positional_names.size() && i < args.positional.size(); ++i) {
            if (positional_names[i] == name) return args.positional[i];
        }
        std::string cli_name(name);
        std::replace(cli_name.begin(), cli_name.end(), '_', '-');
        const auto it = args.values.find(cli_name);
        if (it == args.values.end()) return std::nullopt;
        return std::string_view(it->second);
    };
}

void print_legs(const RateAnswer& r) {
    for (const auto& leg : r.legs) {
        const auto& info = leg.series->info(*leg.hit.first);
        std::cout << "  " << leg.from.view() << " -> " << leg.to.view() << ": "
                  << (leg.inverted ? "1 / " : "") << leg.hit.first->value.to_string();
        if (leg.hit.second) std::cout << " .. " << leg.hit.second->value.to_string() << " (interpolated)";
        std::cout << "  [" << leg.series->label() << ", " << format_date(leg.rate_date) << ", " << leg.age_days
                  << " days old, source " << info.source << "]\n";
        if (!info.excerpt.empty()) std::cout << "    \"" << info.excerpt << "\"\n";
        if (!info.note.empty()) std::cout << "    note: " << info.note << "\n";
    }
}

int run_convert(const Args& args, const Dataset& data) {
    if (args.positional.size() != 3) {
        throw Error(Errc::invalid_parameter, "convert takes AMOUNT FROM TO", "amount");
    }
    static constexpr std::string_view names[] = {"amount", "from", "to"};
    const auto request = api::parse_convert_request(params_of(args, names), data).value();
    const auto c = convert(data.rates, request.amount, *request.from, *request.to, request.date, request.query,
                           request.places)
                       .value();
    if (args.flag("json")) {
        std::cout << api::conversion_document(c, data) << "\n";
        return 0;
    }
    if (args.flag("csv")) {
        std::cout << api::conversion_csv(c);
        return 0;
    }
    std::cout << c.amount.to_string() << " " << c.from->code.view() << " = " << c.result.to_string() << " "
              << c.to->code.view() << "\n";
    std::cout << "  on " << format_date(c.rate.date) << (c.rate.latest ? " (latest)" : "") << ": "
              << to_string(c.rate.query.kind) << " rate " << rate_text(c.rate.rate) << " " << c.to->code.view()
              << " per " << c.from->code.view() << ", observed " << format_date(c.rate.rate_date) << " ("
              << c.rate.age_days << " days old)\n";
    print_legs(c.rate);
    return 0;
}

int run_rates(const Args& args, const Dataset& data) {
    if (!args.positional.empty()) throw Error(Errc::invalid_parameter, "rates takes options only");
    const auto params = params_of(args, {});
    const Currency* base = api::parse_currency(params("base").value_or("USD"), "base", data).value();
    std::optional<Date> date;
    if (const auto d = params("date")) date = api::parse_date_param(*d, "date").value();
    const RateQuery query = api::parse_rate_query(params).value();
    std::vector<CurrencyCode> symbols;
    if (const auto list = params("symbols")) {
        for (std::size_t start = 0; start <= list->size();) {
            const std::size_t end = std::min(list->find(',', start), list->size());
            symbols.push_back(api::parse_currency(list->substr(start, end - start), "symbols", data).value()->code);
            start = end + 1;
        }
    } else {
        for (const auto& c : data.currencies.all()) {
            if (c.code != base->code) symbols.push_back(c.code);
        }
    }
    std::vector<api::RateRow> rows;
    for (const auto& quote : symbols) rows.push_back({quote, data.rates.lookup(base->code, quote, date, query)});
    if (args.flag("json")) {
        std::cout << api::rates_document(base->code, date, query, rows, data) << "\n";
        return 0;
    }
    if (args.flag("csv")) {
        std::cout << api::rates_csv(base->code, rows);
        return 0;
    }
    // Without --symbols, currencies the kind does not reach are left out of the table.
    const bool listed = params("symbols").has_value();
    for (const auto& row : rows) {
        if (row.answer) {
            std::printf("%s/%s  %-22s %s (%d days old)  %s\n", std::string(base->code.view()).c_str(),
                        row.quote.str().c_str(), rate_text(row.answer->rate).c_str(),
                        format_date(row.answer->rate_date).c_str(), row.answer->age_days,
                        row.answer->legs.empty() ? "" : row.answer->legs.back().series->label().c_str());
        } else if (listed || row.answer.error().code() != Errc::no_rate_series) {
            std::printf("%s/%s  %s\n", std::string(base->code.view()).c_str(), row.quote.str().c_str(),
                        row.answer.error().what());
        }
    }
    return 0;
}

int run_margins(const Args& args, const Dataset& data) {
    if (!args.positional.empty()) throw Error(Errc::invalid_parameter, "margins takes options only");
    const auto request = api::parse_margin_request(params_of(args, {}), data).value();
    std::vector<api::MarginRow> rows;
    for (const auto& item : request.items) {
        MarginQuery q = request.query;
        q.item = item;
        rows.push_back({item, compute_margin(data, q)});
    }
    const Currency& currency = *request.query.currency;
    const int places = request.places.value_or(currency.minor_units);
    if (args.flag("json")) {
        std::cout << api::margins_document(request.query.date, currency, rows, places, data) << "\n";
        return 0;
    }
    if (args.flag("csv")) {
        std::cout << api::margins_csv(request.query.date, currency, rows, places);
        return 0;
    }
    const std::string code(currency.code.view());
    const auto money = [&](const Decimal& d) { return d.round(places).to_string(); };
    const auto ratio = [](const Decimal& d) { return d.round(api::ratio_places).trimmed().to_string(); };
    const auto basis = [](const MarginInput& in) {
        std::string b(to_string(in.basis));
        if (in.quote) {
            b += " " + in.quote->id + ", " + std::to_string(in.age_days);
            if (in.age_days_farthest != in.age_days) b += "–" + std::to_string(in.age_days_farthest);
            b += " days old";
        }
        if (in.assumption) b += " " + in.assumption->id;
        return b;
    };
    const Regime* regime = data.regime_on(request.query.date);
    std::cout << "margins on " << format_date(request.query.date) << " in " << code
              << (regime ? ", enforcement " + std::string(to_string(regime->level)) + " (" + regime->id + ")"
                         : "; " + data.regime_gap(request.query.date))
              << "\n";
    int failures = 0;
    for (const auto& row : rows) {
        if (!row.result) {
            std::cout << "\n" << row.item << ": " << row.result.error().what() << "\n";
            ++failures;
            continue;
        }
        const MarginResult& r = *row.result;
        const MarginNumbers& n = r.numbers;
        std::cout << "\n" << r.item->id << " (per " << r.item->unit << ")\n"
                  << "  buy   " << money(r.buy.value) << " " << code << "  [" << basis(r.buy) << "]\n"
                  << "  sell  " << money(r.sell.value) << " " << code << "  [" << basis(r.sell) << "]\n"
                  << "  gross " << money(n.gross) << " " << code << ", markup " << ratio(n.markup) << ", "
                  << ratio(n.margin_share) << " of the selling price\n"
                  << "  per crossing: " << r.heads.value.to_string() << " head [" << basis(r.heads) << "], bribe "
                  << money(r.bribe.value) << " [" << basis(r.bribe)
                  << (r.bribe.applied_by ? ", " + r.bribe.applied_by->id : std::string()) << "], transport " << money(r.transport.value)
                  << "/head [" << basis(r.transport) << "], interdiction " << ratio(r.interdiction.value) << " ["
                  << basis(r.interdiction) << "]\n"
                  << "  expected net " << money(n.expected_net) << " " << code << " per crossing, "
                  << money(n.net_per_head) << " per head; return on outlay "
                  << (n.return_on_outlay ? ratio(*n.return_on_outlay) : std::string("n/a")) << "\n"
                  << (r.range ? "  over the reported ranges: expected net " + money(r.range->expected_net_low) +
                                    " to " + money(r.range->expected_net_high) + " " + code + " per crossing" +
                                    (r.bribe.low_assumption ? " (the bribe's low end: assumption " + r.bribe.low_assumption->id + ")"
                                                            : std::string()) + "\n"
                              : std::string())
                  << "  breaks even up to a bribe of "
                  << (n.breakeven_bribe ? money(*n.breakeven_bribe) : std::string("none")) << ", from "
                  << (n.breakeven_heads ? n.breakeven_heads->to_string() : std::string("no number of")) << " head, up to "
                  << (n.breakeven_interdiction ? ratio(*n.breakeven_interdiction) : std::string("no"))
                  << " interdiction\n";
    }
    return failures == static_cast<int>(rows.size()) ? exit_failure : 0;
}

// crossrate scenario run FILE [--csv] | crossrate scenario validate FILE
int run_scenario_command(const Args& args, const Dataset& data) {
    if (args.positional.size() != 2 || (args.positional[0] != "run" && args.positional[0] != "validate")) {
        throw Error(Errc::invalid_parameter, "scenario takes run FILE or validate FILE");
    }
    const std::string& file = args.positional[1];
    std::ifstream in(file);
    if (!in) throw Error(Errc::not_found, "cannot read '" + file + "'", "file");
    std::stringstream text;
    text << in.rdbuf();
    const auto document = parse_exact_json(text.str()).value();
    const auto parsed = api::parse_scenario(document, data);
    if (!parsed.scenario) {
        for (const auto& p : parsed.problems) {
            std::cerr << file << ": " << (p.pointer.empty() ? "/" : p.pointer) << ": " << p.detail << "\n";
        }
        return exit_usage;
    }
    if (args.positional[0] == "validate") {
        std::cout << file << ": valid scenario " << parsed.id << "\n";
        return 0;
    }
    const auto result = run_scenario(data, *parsed.scenario);
    std::cout << (args.flag("csv") ? api::scenario_csv(parsed, result) : api::scenario_document(parsed, result, data) + "\n");
    return 0;
}

int run_currencies(const Args& args, const Dataset& data) {
    if (args.flag("json")) {
        std::cout << api::currencies_document(data) << "\n";
        return 0;
    }
    for (const auto& c : data.currencies.all()) {
        std::string aliases;
        for (const auto& a : data.currencies.aliases_of(c.code)) aliases += " (also " + a.str() + ")";
        std::printf("%s %03d  %d  %s%s\n", c.code.str().c_str(), c.numeric, c.minor_units, c.name.c_str(),
                    aliases.c_str());
    }
    return 0;
}

int run_sources(const Args& args, const Dataset& data) {
    if (args.flag("json")) {
        std::cout << api::sources_document(data) << "\n";
        return 0;
    }
    for (const auto& s : data.sources) {
        std::cout << s.id << "\n  " << s.publisher << ": " << s.label << "\n";
        if (s.published) {
            std::cout << "  published " << s.published->text() << (s.published->inferred ? " (inferred)" : "");
            if (s.published_english) {
                std::cout << ", English " << s.published_english->text()
                          << (s.published_english->inferred ? " (inferred)" : "");
            }
            std::cout << "\n";
        }
        if (s.version) std::cout << "  version " << *s.version << (s.license ? ", license " + *s.license : "") << "\n";
    }
    return 0;
}

int run_items(const Args& args, const Dataset& data) {
    if (args.flag("json")) {
        std::cout << api::items_document(data) << "\n";
        return 0;
    }
    for (const auto& i : data.items) {
        std::size_t quotes = 0;
        for (const auto& q : data.quotes) quotes += q.item == i.id;
        std::printf("%-20s %-13s %-14s %zu quote%s\n", i.id.c_str(), i.category.c_str(), i.direction.c_str(), quotes,
                    quotes == 1 ? "" : "s");
    }
    return 0;
}

int run_quotes(const Args& args, const Dataset& data) {
    const auto item = args.value("item");
    if (item && data.find_item(*item) == nullptr) {
        throw Error(Errc::not_found, "no item '" + *item + "' (see crossrate items)", "item");
    }
    std::vector<const Quote*> quotes;
    for (const auto& q : data.quotes) {
        if (!item || q.item == *item) quotes.push_back(&q);
    }
    if (args.flag("json")) {
        std::cout << api::quotes_document(quotes, data) << "\n";
        return 0;
    }
    for (const Quote* q : quotes) {
        std::cout << q->id << ": " << q->item << " " << (q->side ? to_string(*q->side) : std::string_view(q->kind)) << " "
                  << (q->qualifier.empty() ? (q->approximate ? "about " : "") : q->qualifier + " ") << q->currency.view()
                  << " " << (q->midpoint ? q->low->to_string() + "-" + q->high->to_string() : q->amount.to_string())
                  << " per " << q->unit
                  << (q->tail ? std::string(q->tail == QuoteTail::lower ? " (and less)" : " (and more)") : std::string())
                  << ", observed " << q->observed.text()
                  << (q->observed.inferred ? " (inferred)" : "") << "\n  " << q->location << "; source " << q->source
                  << "\n";
        for (const auto& e : q->excerpts) std::cout << "  \"" << e << "\"\n";
    }
    return 0;
}

int run_regimes(const Args& args, const Dataset& data) {
    if (args.flag("json")) {
        std::cout << api::regimes_document(data) << "\n";
        return 0;
    }
    for (const auto& g : data.regimes) {
        std::cout << g.id << ": " << to_string(g.level) << " from " << g.start.text() << " to "
                  << (g.end ? g.end->text() + (g.end->inferred ? " (inferred)" : "") : std::string("open")) << "\n  "
                  << g.summary << "\n";
    }
    return 0;
}

int run_dataset(const Args&, const Dataset& data) {
    std::size_t observations = 0;
    for (const auto* s : data.rates.series()) observations += s->observations().size();
    std::cout << data.sources.size() << " sources, " << data.items.size() << " items, " << data.quotes.size()
              << " quotes, " << data.regimes.size() << " regimes, " << data.currencies.all().size()
              << " currencies, " << data.rates.series().size() << " rate series with " << observations
              << " observations\n";
    for (const auto& note : data.load_notes) std::cout << "  " << note << "\n";
    return 0;
}

const OptionSpec json_option{"json", false};
const OptionSpec csv_option{"csv", false};
const OptionSpec fixtures_option{"fixtures", true};

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"convert",
         "convert AMOUNT FROM TO [--date YYYY-MM-DD] [--kind official|reported|market]\n"
         "        [--policy previous|next|nearest|linear|exact] [--max-gap DAYS] [--location CITY] [--places N]\n"
         "        [--json | --csv]",
         {{"date", true}, {"kind", true}, {"policy", true}, {"max-gap", true}, {"location", true}, {"places", true},
          json_option, csv_option, fixtures_option},
         run_convert},
        {"rates",
         "rates [--base USD] [--symbols CNY,KPW] [--date YYYY-MM-DD] [--kind K] [--policy P] [--max-gap DAYS]\n"
         "        [--location CITY] [--json | --csv]",
         {{"base", true}, {"symbols", true}, {"date", true}, {"kind", true}, {"policy", true}, {"max-gap", true},
          {"location", true}, json_option, csv_option, fixtures_option},
         run_rates},
        {"margins",
         "margins --items goat,sheep,rabbit --date YYYY-MM-DD [--currency CNY] [--kind K] [--policy P]\n"
         "        [--max-gap DAYS] [--location CITY] [--quote-policy P] [--bribe-model when_caught|per_crossing]\n"
         "        [--bribe-item ITEM] [--heads N] [--bribe X] [--transport X] [--interdiction P] [--buy X] [--sell X] [--places N] [--json | --csv]",
         {{"items", true}, {"date", true}, {"currency", true}, {"kind", true}, {"policy", true}, {"max-gap", true},
          {"quote-policy", true}, {"bribe-model", true}, {"bribe-item", true},
          {"location", true}, {"heads", true}, {"bribe", true}, {"transport", true}, {"interdiction", true},
          {"buy", true}, {"sell", true}, {"places", true}, json_option, csv_option, fixtures_option},
         run_margins},
        {"scenario", "scenario run FILE [--csv] | scenario validate FILE   (see fixtures/scenarios/)",
         {{"csv", false}, fixtures_option}, run_scenario_command},
        {"currencies", "currencies [--json]", {json_option, fixtures_option}, run_currencies},
        {"sources", "sources [--json]", {json_option, fixtures_option}, run_sources},
        {"items", "items [--json]", {json_option, fixtures_option}, run_items},
        {"quotes", "quotes [--item ITEM] [--json]", {{"item", true}, json_option, fixtures_option}, run_quotes},
        {"regimes", "regimes [--json]", {json_option, fixtures_option}, run_regimes},
        {"dataset", "dataset            (what was loaded, and what the import set aside)", {fixtures_option},
         run_dataset},
        {"import",
         "import FILE.csv [--data-dir DIR | --store postgresql://...] [--author NAME] [--note TEXT]   (quotes, rates or sources, by the header; one new revision)\n"
         "        | import FILE.csv --server http://HOST:PORT [--token T] [--note TEXT]   (token else $CROSSRATE_TOKEN)",
         {{"data-dir", true}, {"store", true}, {"author", true}, {"note", true}, {"server", true}, {"token", true}, fixtures_option},
         nullptr},
    };
    return table;
}

void print_usage(std::ostream& out) {
    out << "usage: crossrate COMMAND [ARGS] [--fixtures DIR] [--data-dir DIR [--revision N]]\n\ncommands:\n";
    for (const auto& c : commands()) out << "  " << c.usage << "\n";
    out << "\nThe dataset is read from --fixtures DIR, else $CROSSRATE_FIXTURES, else <bin>/../share/crossrate.\n"
           "Reads take --data-dir DIR (else $CROSSRATE_DATA_DIR) to add what writes committed there, and\n"
           "--revision N to answer as at revision N of that log.\n"
           "Exit status: 0 answered, 1 no answer (the message says why), 2 malformed request.\n";
}

int fail(const Error& e, bool json) {
    if (json) {
        std::cerr << api::error_document(e) << "\n";
    } else {
        std::cerr << "crossrate: " << e.what() << "\n";
    }
    const bool usage = e.code() == Errc::invalid_parameter || e.code() == Errc::invalid_amount ||
                       e.code() == Errc::invalid_date || e.code() == Errc::unknown_currency;
    return usage ? exit_usage : exit_failure;
}

// The fixtures; or with --data-dir (else $CROSSRATE_DATA_DIR), the revision log replayed onto
// them, up to --revision N.
Result<std::shared_ptr<const Dataset>> read_dataset(const Args& args) {
    const auto fixtures = args.value("fixtures").value_or(default_fixtures_dir().string());
    const char* env = std::getenv("CROSSRATE_DATA_DIR");
    const auto data_dir = args.value("data-dir").value_or(env != nullptr ? env : "");
    std::optional<std::int64_t> revision;
    if (const auto text = args.value("revision")) {
        const auto n = api::parse_count(*text, "revision", std::numeric_limits<int>::max());
        if (!n || *n < 1) return Error(Errc::invalid_parameter, "--revision is a whole number from 1", "revision");
        if (data_dir.empty()) return Error(Errc::invalid_parameter, "--revision reads a data directory: give --data-dir DIR", "revision");
        revision = *n;
    }
    if (data_dir.empty()) {
        auto data = load_dataset(fixtures);
        if (!data) return Error(data.error().code(), std::string("the dataset does not load: ") + data.error().what());
        return data;
    }
    return read_data_dir(fixtures, data_dir, revision);
}

int main(int argc, char** argv) {
    const std::span<char* const> all(argv, static_cast<std::size_t>(argc));
    if (all.size() < 2 || std::string_view(all[1]) == "--help" || std::string_view(all[1]) == "help") {
        print_usage(all.size() < 2 ? std::cerr : std::cout);
        return all.size() < 2 ? exit_usage : 0;
    }
    const std::string_view name = all[1];
    const auto command = std::find_if(commands().begin(), commands().end(), [&](const Command& c) { return c.name == name; });
    if (command == commands().end()) {
        std::cerr << "crossrate: unknown command '" << name << "'\n";
        print_usage(std::cerr);
        return exit_usage;
    }
    // Every read takes the dataset from the fixtures, or from a data directory's revision log.
    std::vector<OptionSpec> options = command->options;
    if (command->run != nullptr) options.insert(options.end(), {{"data-dir", true}, {"revision", true}});
    const auto args = parse_args(all.subspan(2), options);
    if (!args) {
        std::cerr << "crossrate: " << args.error().what() << "\nusage: crossrate " << command->usage << "\n";
        return exit_usage;
    }
    if (command->run == nullptr) return run_import(*args);  // import opens a data directory, not just the fixtures
    const bool json = args->flag("json");
    const auto data = read_dataset(*args);
    if (!data) {
        std::cerr << "crossrate: " << data.error().what() << "\n";
        return data.error().code() == Errc::invalid_parameter ? exit_usage : exit_failure;
    }
    try {
        return command->run(*args, **data);
    } catch (const Error& e) {
        return fail(e, json);
    }
}

}  // namespace
}  // namespace crossrate::cli

int main(int argc, char** argv) { return crossrate::cli::main(argc, argv); }
