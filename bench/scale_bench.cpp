// Data that grows, measured in one run on this machine (bench/scale.sh): for 1k, 10k and 100k
// generated quotes plus a tenth as many market rates, the import (CLI and over HTTP), the
// start-up, a single-record write, a weekly 9-year margins series, a page of quotes, a
// revision=2 read beside the same read now, memory after 1,000 writes; then 10 writers x 200
// writes beside 4 readers.
//
//   crossrate-scale-bench [SIZES...]   (default 1000 10000 100000)

#include "tests/server/server_process.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace crossrate::test;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* token = "bench:bench-secret-token";
constexpr const char* bearer = "Authorization: Bearer bench-secret-token\r\n";
// The source every generated record cites (added first, as revision 2).
constexpr const char* source_id = "crossrate-bench-2024-01-r2";

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

std::string sources_csv() {
    return "kind,publisher,title,label,language,url,published_date,published_precision,published_inferred,published_note,"
           "published_english_date,published_english_precision,published_english_inferred,published_english_note,version,"
           "license\n"
           "dataset,Crossrate bench,,generated survey rows for the scale benchmark,en,,2024-01,month,false,,,,,,,\n";
}

// `n` quotes: goat, sheep and rabbit on random days of 2015-2023, three cities a day (many rows
// share an item, side and date, as surveys of several cities on one day do).
std::string quotes_csv(std::size_t n, std::mt19937& rng) {
    static const char* items[] = {"goat", "sheep", "rabbit"};
    static const char* cities[] = {"Hyesan", "Sinuiju", "Pyongyang"};
    std::string out =
        "item,kind,side,amount,low,high,approximate,qualifier,tail,currency,unit,location,observed_date,observed_precision,"
        "observed_inferred,observed_note,source,excerpt,note,supersedes\n";
    std::uniform_int_distribution<int> day(0, 3286), amount(300, 2000), pick(0, 2), side(0, 1);
    const auto first = std::chrono::sys_days(std::chrono::year(2015) / 1 / 1);
    for (std::size_t i = 0; i < n; i += 3) {
        const std::chrono::year_month_day d(first + std::chrono::days(day(rng)));
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                      static_cast<unsigned>(d.day()));
        const char* item = items[pick(rng)];
        const char* s = side(rng) ? "destination" : "origin";
        for (std::size_t c = 0; c < 3 && i + c < n; ++c) {
            out += std::string(item) + ",price," + s + "," + std::to_string(amount(rng)) + ",,,false,,,CNY,head," +
                   cities[c] + "," + date + ",day,false,," + source_id + ",generated row,,\n";
        }
    }
    return out;
}

// `n` market rates, USD/KPW and CNY/KPW, one a city and date (cities the fixtures do not survey,
// so no generated rate needs to correct one of theirs).
std::string rates_csv(std::size_t n, std::mt19937& rng) {
    static const char* cities[] = {"Chongjin", "Rason", "Wonsan", "Hamhung", "Kanggye", "Nampo"};
    std::string out = "kind,base,quote,value,date,precision,inferred,date_note,approximate,location,source,excerpt,note,"
                      "supersedes\n";
    std::vector<int> slots(3287 * 6);
    for (std::size_t i = 0; i < slots.size(); ++i) slots[i] = static_cast<int>(i);
    std::shuffle(slots.begin(), slots.end(), rng);
    std::uniform_int_distribution<int> value(7000, 9000), base(0, 1);
    const auto first = std::chrono::sys_days(std::chrono::year(2015) / 1 / 1);
    for (std::size_t i = 0; i < n && i < slots.size(); ++i) {
        const std::chrono::year_month_day d(first + std::chrono::days(slots[i] / 6));
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                      static_cast<unsigned>(d.day()));
        const bool usd = base(rng) == 0;
        out += std::string("market,") + (usd ? "USD" : "CNY") + ",KPW," + std::to_string(usd ? value(rng) : value(rng) / 7) +
               "," + date + ",day,false,,false," + cities[slots[i] % 6] + "," + source_id + ",,,\n";
    }
    return out;
}

struct Run {
    double seconds = 0;
    double peak_mib = 0;
    int status = 0;
};

// The CLI, to completion: wall time, peak RSS and exit status.
Run cli(const std::vector<std::string>& args) {
    const auto start = Clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        std::vector<std::string> all{CROSSRATE_CLI};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    return {ms_since(start) / 1000.0, static_cast<double>(usage.ru_maxrss) / 1024.0, WEXITSTATUS(status)};
}

std::string post_csv(Client& c, std::string_view target, const std::string& body, int* status) {
    c.send("POST " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n" + bearer +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto res = c.read();
    *status = res.result_int();
    return res.body();
}

std::string one_quote(int i) {
    return R"({"item": "goat", "kind": "price", "side": "origin", "amount": ")" + std::to_string(400 + i % 500) +
           R"(", "low": null, "high": null, "approximate": false, "qualifier": null, "tail": null, "currency": "CNY",
           "unit": "head", "location": "Hyesan", "observed": {"date": "2024-0)" + std::to_string(1 + i % 9) + "-1" +
           std::to_string(i % 10) + R"(", "precision": "day", "inferred": false, "note": null}, "source": ")" + source_id +
           R"(", "excerpts": ["generated row"], "note": null})";
}

// Median and p99 of `target(i)` over `n` reads, each target different (no reply cache).
template <class Target>
std::pair<double, double> reads(Client& c, int n, Target target) {
    std::vector<double> ms;
    for (int i = 0; i < n; ++i) {
        const auto start = Clock::now();
        const auto res = c.get(target(i));
        ms.push_back(ms_since(start));
        if (res.result_int() != 200) std::fprintf(stderr, "  %s: %d %s\n", target(i).c_str(), res.result_int(), res.body().substr(0, 200).c_str());
    }
    return {percentile(ms, 50), percentile(ms, 99)};
}

std::string day_of(int i) {
    const std::chrono::year_month_day d(std::chrono::sys_days(std::chrono::year(2015) / 1 / 5) + std::chrono::days(i));
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return date;
}

void size_row(std::size_t n) {
    std::mt19937 rng(static_cast<unsigned>(n));
    const fs::path dir = fs::temp_directory_path() / ("crossrate-scale-" + std::to_string(n) + "-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto write = [&](const char* name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
        return (dir / name).string();
    };
    const std::string sources = write("sources.csv", sources_csv());
    const std::string quotes = write("quotes.csv", quotes_csv(n, rng));
    const std::string rates = write("rates.csv", rates_csv(n / 10, rng));
    const std::string data = (dir / "cli-data").string();

    // The CLI import: sources, then quotes, then rates, each one revision.
    cli({"import", sources, "--data-dir", data});
    const Run q = cli({"import", quotes, "--data-dir", data});
    const Run r = cli({"import", rates, "--data-dir", data});
    std::printf("\n## %zu quotes, %zu rates\n\n", n, n / 10);
    std::printf("CLI import: quotes %.2f s (peak %.0f MiB, exit %d), rates %.2f s (peak %.0f MiB, exit %d)\n", q.seconds,
                q.peak_mib, q.status, r.seconds, r.peak_mib, r.status);

    // Over HTTP, into a fresh server.
    {
        ServerProcess server({"--tokens", token, "--log-level", "warn"});
        Client c(server.port(), std::chrono::seconds(600));
        int status = 0;
        post_csv(c, "/v1/sources", sources_csv(), &status);
        std::ifstream qf(quotes), rf(rates);
        const std::string qtext((std::istreambuf_iterator<char>(qf)), {}), rtext((std::istreambuf_iterator<char>(rf)), {});
        auto start = Clock::now();
        const std::string answer = post_csv(c, "/v1/quotes", qtext, &status);
        const double quote_s = ms_since(start) / 1000;
        int rate_status = 0;
        start = Clock::now();
        post_csv(c, "/v1/rates", rtext, &rate_status);
        const double rate_s = ms_since(start) / 1000;
        std::printf("HTTP import: quotes %.2f s (%d), rates %.2f s (%d); server peak %.0f MiB\n", quote_s, status, rate_s,
                    rate_status, memory_mib(server.pid(), "VmHWM"));
        if (status != 201) std::printf("  %s\n", answer.substr(0, 300).c_str());
    }

    // Start-up on the CLI's data directory, then reads and writes.
    const auto start = Clock::now();
    ServerProcess server({"--tokens", token, "--log-level", "warn"}, data);
    const double startup_ms = ms_since(start);
    const double rss_start = memory_mib(server.pid(), "VmRSS");
    Client c(server.port(), std::chrono::seconds(600));
    std::printf("start-up %.0f ms, RSS %.0f MiB\n", startup_ms, rss_start);

    const auto [series50, series99] = reads(c, 20, [](int i) {
        return "/v1/margins/series?item=goat&start=" + day_of(i) + "&end=2023-12-31&currency=USD&interval=week";
    });
    const auto [page50, page99] = reads(c, 20, [n](int i) {
        return "/v1/quotes?item=goat&limit=1000&cursor=q" + std::to_string(static_cast<std::size_t>(i) * n / 40);
    });
    const auto [now50, now99] = reads(c, 50, [](int i) {
        return "/v1/margins?items=goat&date=" + day_of(i * 60) + "&currency=USD";
    });
    const auto [past50, past99] = reads(c, 50, [](int i) {
        return "/v1/margins?items=goat&date=" + day_of(i * 60) + "&currency=USD&revision=2";
    });
    std::printf("margins series, weekly, 9 years: p50 %.2f ms, p99 %.2f ms\n", series50, series99);
    std::printf("a page of 1,000 goat quotes: p50 %.2f ms, p99 %.2f ms\n", page50, page99);
    std::printf("margins now: p50 %.3f ms; at revision=2: p50 %.3f ms (ratio %.2f)\n", now50, past50, past50 / now50);

    std::vector<double> write_ms;
    const double rss_before = memory_mib(server.pid(), "VmRSS");
    for (int i = 0; i < 1000; ++i) {
        const auto t = Clock::now();
        const auto res = c.post("/v1/quotes", one_quote(i), bearer);
        write_ms.push_back(ms_since(t));
        if (res.result_int() != 201) std::printf("  write %d: %d %s\n", i, res.result_int(), res.body().substr(0, 200).c_str());
    }
    std::printf("single-record write: p50 %.2f ms, p99 %.2f ms; RSS %.0f -> %.0f MiB after 1,000 writes\n",
                percentile(write_ms, 50), percentile(write_ms, 99), rss_before, memory_mib(server.pid(), "VmRSS"));
    fs::remove_all(dir);
}

// 10 writers x 200 writes while 4 readers read.
void contention() {
    ServerProcess server({"--tokens", token, "--log-level", "warn"});
    {
        Client c(server.port());
        int status = 0;
        post_csv(c, "/v1/sources", sources_csv(), &status);
    }
    std::atomic<bool> done{false};
    std::atomic<int> acknowledged{0};
    std::vector<std::vector<double>> read_ms(4);
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int w = 0; w < 10; ++w) {
        threads.emplace_back([&, w] {
            Client c(server.port(), std::chrono::seconds(60));
            for (int i = 0; i < 200; ++i) {
                if (c.post("/v1/quotes", one_quote(w * 200 + i), bearer).result_int() == 201) ++acknowledged;
            }
        });
    }
    for (int r = 0; r < 4; ++r) {
        threads.emplace_back([&, r] {
            Client c(server.port(), std::chrono::seconds(60));
            for (int i = 0; !done.load(); ++i) {
                const auto t = Clock::now();
                c.get("/v1/margins?items=goat&date=" + day_of((i * 7 + r) % 3000) + "&currency=USD");
                read_ms[static_cast<std::size_t>(r)].push_back(ms_since(t));
            }
        });
    }
    for (int w = 0; w < 10; ++w) threads[static_cast<std::size_t>(w)].join();
    const double seconds = ms_since(start) / 1000;
    done = true;
    for (std::size_t i = 10; i < threads.size(); ++i) threads[i].join();
    std::vector<double> all;
    for (const auto& v : read_ms) all.insert(all.end(), v.begin(), v.end());
    Client c(server.port());
    const auto listed = c.get("/v1/quotes?limit=10000&source=" + std::string(source_id));
    std::size_t present = 0;
    for (std::size_t at = 0; (at = listed.body().find("\"id\":\"goat-origin-2024-", at)) != std::string::npos; ++at) ++present;
    std::printf("\n## 10 writers x 200 writes, 4 readers\n\n%d acknowledged, %zu present, %.1f s; readers p50 %.2f ms, "
                "p99 %.2f ms over %zu reads\n",
                acknowledged.load(), present, seconds, percentile(all, 50), percentile(all, 99), all.size());
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes;
    for (int i = 1; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
    if (sizes.empty()) sizes = {1000, 10000, 100000};
    for (const auto n : sizes) size_row(n);
    contention();
}
