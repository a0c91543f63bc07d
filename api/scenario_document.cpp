// Scenario results as JSON and CSV (the parsing is in scenario_json.cpp).

#include "api/documents.hpp"
#include "api/json_writer.hpp"
#include "api/margin_document.hpp"
#include "api/csv_writer.hpp"
#include "api/scenario_json.hpp"

namespace crossrate::api {
namespace {

Decimal ratio(const Decimal& d) { return shown(d, ratio_places).trimmed(); }

void write_percentiles(JsonWriter& w, const Percentiles& p, int places) {
    w.begin_object();
    w.field("mean", shown(p.mean, places)).field("p5", shown(p.p5, places)).field("p25", shown(p.p25, places));
    w.field("p50", shown(p.p50, places)).field("p75", shown(p.p75, places)).field("p95", shown(p.p95, places));
    w.field("min", shown(p.min, places)).field("max", shown(p.max, places));
    w.field("loss_probability", ratio(p.loss_probability));
    w.end_object();
}

void write_difference(JsonWriter& w, const MarginNumbers& s, const MarginNumbers& b, int places) {
    w.key("difference").begin_object();
    w.field("gross", shown_difference(s.gross, b.gross, places));
    w.field("expected_net", shown_difference(s.expected_net, b.expected_net, places));
    w.field("net_per_head", shown_difference(s.net_per_head, b.net_per_head, places));
    w.key("return_on_outlay");
    if (s.return_on_outlay && b.return_on_outlay) {
        w.value(ratio(*s.return_on_outlay - *b.return_on_outlay));
    } else {
        w.null();
    }
    w.end_object();
}

int places_of(const ParsedScenario& parsed) { return parsed.scenario->currency->minor_units; }

}  // namespace

std::string scenario_document(const ParsedScenario& parsed, const ScenarioResult& result, const Dataset& data) {
    const Scenario& s = *parsed.scenario;
    const int places = places_of(parsed);
    JsonWriter w;
    w.begin_object();
    w.field("id", parsed.id).field("name", s.name).field("date", format_date(s.date));
    w.field("currency", s.currency->code.view()).field("places", places);
    w.key("items").begin_array();
    for (const auto& item : result.items) {
        w.begin_object().field("item", item.item);
        if (!item.scenario || !item.baseline) {
            w.key("error").raw(error_document(item.scenario ? item.baseline.error() : item.scenario.error()));
            w.end_object();
            continue;
        }
        w.key("scenario").begin_object();
        write_margin(w, *item.scenario, places, data);
        w.end_object();
        w.key("baseline").begin_object();
        write_margin(w, *item.baseline, places, data);
        w.end_object();
        write_difference(w, item.scenario->numbers, item.baseline->numbers, places);
        if (!s.sweeps.empty()) {
            // Compact rows: the swept values, then expected net per crossing (scenario,
            // baseline, difference), net per head and return on outlay of the scenario.
            w.key("sweep").begin_object();
            w.key("parameters").begin_array();
            for (const auto& sw : s.sweeps) w.value(to_string(sw.parameter));
            w.end_array();
            w.key("columns").begin_array();
            for (const auto& sw : s.sweeps) w.value(to_string(sw.parameter));
            for (const char* c : {"expected_net", "baseline_expected_net", "difference", "net_per_head", "return_on_outlay"}) {
                w.value(c);
            }
            w.end_array();
            w.key("rows").begin_array();
            for (const auto& p : item.sweep) {
                w.begin_array();
                for (std::size_t k = 0; k < s.sweeps.size(); ++k) w.value(p.at[k].trimmed());
                w.value(shown(p.expected_net, places));
                w.value(shown(p.baseline_expected_net, places));
                w.value(shown_difference(p.expected_net, p.baseline_expected_net, places));
                w.value(shown(p.net_per_head, places));
                p.return_on_outlay ? w.value(ratio(*p.return_on_outlay)) : w.null();
                w.end_array();
            }
            w.end_array().end_object();
        }
        if (item.monte_carlo) {
            const auto& mc = *s.monte_carlo;
            w.key("monte_carlo").begin_object();
            w.field("draws", static_cast<std::int64_t>(mc.draws)).field("seed", static_cast<std::int64_t>(mc.seed));
            w.key("parameters").begin_object();
            for (const auto& [p, d] : mc.parameters) {
                w.key(to_string(p)).begin_object();
                w.field("distribution", d.kind == Distribution::Kind::uniform ? "uniform" : "triangular");
                w.field("low", d.low.trimmed());
                if (!d.low_assumption.empty()) w.field("low_basis", "assumption").field("low_assumption", d.low_assumption);
                if (d.kind == Distribution::Kind::triangular) w.field("mode", d.mode.trimmed());
                w.field("high", d.high.trimmed()).end_object();
            }
            w.end_object();
            w.key("expected_net");
            write_percentiles(w, item.monte_carlo->scenario, places);
            w.key("baseline_expected_net");
            write_percentiles(w, item.monte_carlo->baseline, places);
            w.key("difference").begin_object();
            w.field("mean", shown_difference(item.monte_carlo->scenario.mean, item.monte_carlo->baseline.mean, places));
            w.field("p50", shown_difference(item.monte_carlo->scenario.p50, item.monte_carlo->baseline.p50, places));
            w.end_object();
            w.end_object();
        }
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string scenario_csv(const ParsedScenario& parsed, const ScenarioResult& result) {
    const Scenario& s = *parsed.scenario;
    const int places = places_of(parsed);
    CsvWriter csv;
    // Each column named once: the scenario's id, then the measure under the scenario, on the
    // baseline, and their difference.
    csv.row({"scenario_id", "item", "section", "parameter_1", "value_1", "parameter_2", "value_2", "measure", "scenario",
             "baseline", "difference"});
    const auto row = [&](std::string_view item, std::string_view section, std::string_view p1, const std::string& v1,
                         std::string_view p2, const std::string& v2, std::string_view measure, const Decimal& a,
                         const Decimal& b) {
        csv.row({parsed.id, item, section, p1, v1, p2, v2, measure, a.to_string(), b.to_string(), (a - b).to_string()});
    };
    for (const auto& item : result.items) {
        if (!item.scenario || !item.baseline) {
            const Error& e = item.scenario ? item.baseline.error() : item.scenario.error();
            csv.row({parsed.id, item.item, "error", "", "", "", "", e.code_name(), e.what(), "", ""});
            continue;
        }
        const auto& sn = item.scenario->numbers;
        const auto& bn = item.baseline->numbers;
        row(item.item, "margin", "", "", "", "", "gross", shown(sn.gross, places), shown(bn.gross, places));
        row(item.item, "margin", "", "", "", "", "markup", ratio(sn.markup), ratio(bn.markup));
        row(item.item, "margin", "", "", "", "", "expected_net", shown(sn.expected_net, places), shown(bn.expected_net, places));
        row(item.item, "margin", "", "", "", "", "net_per_head", shown(sn.net_per_head, places), shown(bn.net_per_head, places));
        for (const auto& p : item.sweep) {
            const std::string v1 = p.at[0].trimmed().to_string();
            const std::string_view p2 = s.sweeps.size() > 1 ? to_string(s.sweeps[1].parameter) : "";
            const std::string v2 = s.sweeps.size() > 1 ? p.at[1].trimmed().to_string() : "";
            const std::string_view p1 = to_string(s.sweeps[0].parameter);
            row(item.item, "sweep", p1, v1, p2, v2, "expected_net", shown(p.expected_net, places), shown(p.baseline_expected_net, places));
            // The JSON's other measures of a point: the scenario's alone (the baseline does not sweep).
            csv.row({parsed.id, item.item, "sweep", p1, v1, p2, v2, "net_per_head", shown(p.net_per_head, places).to_string(), "", ""});
            csv.row({parsed.id, item.item, "sweep", p1, v1, p2, v2, "return_on_outlay",
                     p.return_on_outlay ? ratio(*p.return_on_outlay).to_string() : "", "", ""});
        }
        if (item.monte_carlo) {
            const auto& a = item.monte_carlo->scenario;
            const auto& b = item.monte_carlo->baseline;
            for (const auto& [name, x, y] : {std::tuple{"mean", a.mean, b.mean}, std::tuple{"p5", a.p5, b.p5},
                                             std::tuple{"p50", a.p50, b.p50}, std::tuple{"p95", a.p95, b.p95}}) {
                row(item.item, "monte_carlo", "", "", "", "", std::string("expected_net_") + name, shown(x, places),
                    shown(y, places));
            }
            row(item.item, "monte_carlo", "", "", "", "", "loss_probability", ratio(a.loss_probability),
                ratio(b.loss_probability));
        }
    }
    return csv.take();
}

}  // namespace crossrate::api
