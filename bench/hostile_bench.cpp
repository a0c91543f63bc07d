// The hostile-load floors, measured in one run on this machine (bench/hostile.sh):
//  - a probe's latency on GET /healthz and GET /v1/convert while ten maximal-budget scenarios
//    run, against the same probe on an idle server and on the baseline responder;
//  - the server's resident memory growth for the largest requests of at most 64 KiB that its
//    default limits accept (a maximal Monte Carlo, the largest sweep, a batch of 20).
//
//   crossrate-hostile-bench [ROUNDS]

#include "tests/server/attacks.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

using namespace crossrate::test;

void row(const char* what, const Probe& probe) {
    std::printf("| %-58s | %6zu | %8.2f | %8.2f | %8.2f | %s\n", what, probe.answers(), probe.percentile_ms(50),
                probe.percentile_ms(99), probe.percentile_ms(100), probe.statuses().text().c_str());
}

// The probe alone against `port` for `seconds`.
void idle_row(const char* what, unsigned short port, const char* target, int seconds) {
    Probe probe(port, target);
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    probe.stop();
    row(what, probe);
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
    // The baseline responder, one thread per core as the server.
    const pid_t baseline = ::fork();
    if (baseline == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::execl(CROSSRATE_BASELINE, CROSSRATE_BASELINE, "18291", "2", nullptr);
        ::_exit(127);
    }
    ServerProcess server({"--threads", "2", "--log-level", "warn"});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));

    std::printf("probe: one GET every 10 ms on a kept-alive connection; %d round(s) of 10 maximal-budget scenarios\n\n",
                rounds);
    std::printf("| %-58s | %6s | %8s | %8s | %8s | statuses\n", "probe", "n", "p50 ms", "p99 ms", "max ms");
    std::printf("|%s|--------|----------|----------|----------|---------\n", std::string(60, '-').c_str());
    idle_row("baseline responder, idle", 18291, "/", 3);
    idle_row("crossrate GET /healthz, idle", server.port(), "/healthz", 3);
    idle_row("crossrate GET /v1/convert, idle", server.port(), "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15", 3);

    // A maximal-budget scenario: 2 items x 999,999 draws = 4,000,000 margin evaluations,
    // the default --scenario-budget.
    const std::string maximal = monte_carlo(999'999, R"("goat","sheep")");
    {
        Probe health(server.port(), "/healthz");
        Probe convert(server.port(), "/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15", std::chrono::milliseconds(10),
                      "127.0.0.4");
        Statuses storm;
        const auto started = std::chrono::steady_clock::now();
        for (int r = 0; r < rounds; ++r) scenario_storm(server.port(), 10, maximal, storm);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        health.stop();
        convert.stop();
        row("crossrate GET /healthz, 10 maximal scenarios running", health);
        row("crossrate GET /v1/convert, 10 maximal scenarios running", convert);
        std::printf("\nscenarios: %s in %.1f s\n", storm.text().c_str(), seconds);
    }

    // Memory: the largest requests the defaults accept, each on a fresh server, its peak
    // resident memory against its resident memory once warm.
    std::printf("\n| request (<= 64 KiB)                                 | body bytes | RSS warm MiB | peak after MiB | growth MiB | status\n");
    std::printf("|-----------------------------------------------------|------------|--------------|----------------|------------|-------\n");
    std::string batch = "[";
    for (int i = 0; i < 20; ++i) batch += (i ? "," : "") + monte_carlo(99'999);
    batch += "]";
    const std::pair<const char*, std::string> requests[] = {
        {"Monte Carlo, 2 items x 999,999 draws", maximal},
        {"sweep, 1 item x 60,000 points (the largest answer)",
         R"({"date":"2023-04-02","items":["goat"],"sweep":[{"parameter":"heads","from":1,"to":600,"step":1},)"
         R"({"parameter":"bribe","from":0,"to":99,"step":1}]})"},
        {"batch of 20 scenarios, 99,999 draws each", batch},
    };
    for (const auto& [what, body] : requests) {
        ServerProcess fresh({"--threads", "2", "--log-level", "warn"});
        Client client(fresh.port(), std::chrono::seconds(120));
        client.post("/v1/scenarios", monte_carlo(10));  // warm: the dataset touched, the pools started
        const double before = memory_mib(fresh.pid(), "VmRSS");
        const auto status = client.post("/v1/scenarios", body).result_int();
        const double peak = memory_mib(fresh.pid(), "VmHWM");
        std::printf("| %-51s | %10zu | %12.1f | %14.1f | %10.1f | %u\n", what, body.size(), before, peak, peak - before, status);
    }
    ::kill(baseline, SIGTERM);
    ::waitpid(baseline, nullptr, 0);
    return 0;
}
