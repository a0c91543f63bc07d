#include "server/metrics.hpp"

#include "server/compute.hpp"

#include <algorithm>
#include <cstdio>

namespace crossrate::server {

Metrics::Metrics(std::vector<std::string> routes)
    : routes_(std::move(routes)), per_route_(std::make_unique<PerRoute[]>(routes_.size() + 1)) {}

void Metrics::record(std::size_t route, unsigned status, std::chrono::microseconds elapsed) noexcept {
    PerRoute& r = per_route_[std::min(route, routes_.size())];
    const auto s = std::find(statuses.begin(), statuses.end(), status) - statuses.begin();
    r.by_status[static_cast<std::size_t>(s)].fetch_add(1, std::memory_order_relaxed);
    const auto b = std::lower_bound(bucket_micros.begin(), bucket_micros.end(), elapsed.count()) - bucket_micros.begin();
    r.buckets[static_cast<std::size_t>(b)].fetch_add(1, std::memory_order_relaxed);
    r.micros_sum.fetch_add(static_cast<std::uint64_t>(elapsed.count()), std::memory_order_relaxed);
}

std::string Metrics::render() const {
    std::string out;
    char line[256];
    const auto route_name = [&](std::size_t i) -> std::string_view {
        if (i < routes_.size()) return routes_[i];
        return "unmatched";
    };
    out += "# HELP crossrate_http_requests_total HTTP requests answered, by route and status.\n";
    out += "# TYPE crossrate_http_requests_total counter\n";
    for (std::size_t i = 0; i <= routes_.size(); ++i) {
        for (std::size_t s = 0; s <= statuses.size(); ++s) {
            const auto n = per_route_[i].by_status[s].load(std::memory_order_relaxed);
            if (n == 0) continue;
            const std::string status = s < statuses.size() ? std::to_string(statuses[s]) : "other";
            std::snprintf(line, sizeof line, "crossrate_http_requests_total{route=\"%.*s\",status=\"%s\"} %llu\n",
                          static_cast<int>(route_name(i).size()), route_name(i).data(), status.c_str(),
                          static_cast<unsigned long long>(n));
            out += line;
        }
    }
    out += "# HELP crossrate_http_request_duration_seconds Time from a request's last byte read to its answer.\n";
    out += "# TYPE crossrate_http_request_duration_seconds histogram\n";
    for (std::size_t i = 0; i <= routes_.size(); ++i) {
        std::uint64_t total = 0;
        for (const auto& b : per_route_[i].buckets) total += b.load(std::memory_order_relaxed);
        if (total == 0) continue;
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b <= bucket_micros.size(); ++b) {
            // Every bucket of a route that has any, empty ones included: a series that comes
            // and goes between scrapes breaks rate() and histogram_quantile().
            cumulative += per_route_[i].buckets[b].load(std::memory_order_relaxed);
            char le[32];
            if (b < bucket_micros.size()) {
                std::snprintf(le, sizeof le, "%g", static_cast<double>(bucket_micros[b]) / 1e6);
            } else {
                std::snprintf(le, sizeof le, "+Inf");
            }
            std::snprintf(line, sizeof line, "crossrate_http_request_duration_seconds_bucket{route=\"%.*s\",le=\"%s\"} %llu\n",
                          static_cast<int>(route_name(i).size()), route_name(i).data(), le,
                          static_cast<unsigned long long>(cumulative));
            out += line;
        }
        std::snprintf(line, sizeof line,
                      "crossrate_http_request_duration_seconds_sum{route=\"%.*s\"} %.6f\n"
                      "crossrate_http_request_duration_seconds_count{route=\"%.*s\"} %llu\n",
                      static_cast<int>(route_name(i).size()), route_name(i).data(),
                      static_cast<double>(per_route_[i].micros_sum.load(std::memory_order_relaxed)) / 1e6,
                      static_cast<int>(route_name(i).size()), route_name(i).data(),
                      static_cast<unsigned long long>(cumulative));
        out += line;
    }
    const auto gauge = [&out](std::string_view name, std::string_view type, std::string_view help, std::string value) {
        out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ").append(name).append(" ");
        out.append(type).append("\n").append(name).append(" ").append(value).append("\n");
    };
    gauge("crossrate_http_requests_in_flight", "gauge", "Requests being answered now.", std::to_string(in_flight.load()));
    gauge("crossrate_open_connections", "gauge", "Client connections open now.", std::to_string(open_connections.load()));
    gauge("crossrate_rejected_connections_total", "counter", "Connections answered 503 past --max-connections.",
          std::to_string(rejected_connections.load()));
    gauge("crossrate_dataset_revision", "gauge", "The dataset revision being served (applied by this replica).",
          std::to_string(revision.load()));
    if (const std::uint64_t seen = announced.load(); seen != 0) {
        const std::uint64_t applied = revision.load();
        gauge("crossrate_revision_announced", "gauge", "The latest revision the shared log announced to this replica.",
              std::to_string(seen));
        gauge("crossrate_revision_lag", "gauge", "Revisions announced by the shared log that this replica has not applied yet.",
              std::to_string(seen > applied ? seen - applied : 0));
    }
    if (compute != nullptr) {
        gauge("crossrate_compute_pending", "gauge", "Computing requests running or waiting for a compute thread.",
              std::to_string(compute->pending()));
        gauge("crossrate_compute_capacity", "gauge", "Computing requests that may run or wait at once (threads + queue).",
              std::to_string(compute->capacity()));
        gauge("crossrate_compute_refused_total", "counter", "Computing requests answered 503 because the pool was full.",
              std::to_string(compute->refused()));
    }
    gauge("crossrate_bad_tokens_total", "counter", "Writes with a missing or unknown bearer token.",
          std::to_string(bad_tokens.load()));
    gauge("crossrate_throttled_total", "counter", "Requests answered 429: too many bad tokens from one address.",
          std::to_string(throttled.load()));
    if (storage_writable != nullptr) {
        gauge("crossrate_storage_writable", "gauge", "1 while the revision log takes writes; 0 after a storage fault.",
              storage_writable->load() ? "1" : "0");
    }
    return out;
}

}  // namespace crossrate::server
