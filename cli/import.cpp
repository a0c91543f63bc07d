#include "cli/import.hpp"

#include "ledger/data_dir.hpp"
#include "ledger/records_csv.hpp"
#include "ledger/ledger.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace crossrate::cli {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr int exit_failure = 1;
constexpr int exit_problems = 2;

// "/3/amount" → "goats.csv:3: amount: …", "/3/observed/date" → "goats.csv:3: observed_date: …"
// (the column); "/1" (the header) → "goats.csv:1: …".
void print_problem(Ledger::Kind kind, const std::string& file, std::string_view pointer, std::string_view detail) {
    if (pointer.starts_with('/')) pointer.remove_prefix(1);
    const auto slash = pointer.find('/');
    const std::string_view line = pointer.substr(0, slash);
    std::cerr << file << ":" << (line.empty() ? "?" : line) << ": ";
    if (slash != std::string_view::npos) std::cerr << csv_column(kind, pointer.substr(slash + 1)) << ": ";
    std::cerr << detail << "\n";
}

int import_locally(const Args& args, Ledger::Kind kind, const std::string& file, const std::string& text,
                   const std::string& note) {
    const std::string fixtures = args.value("fixtures").value_or(default_fixtures_dir().string());
    auto opened = open_data_dir(fixtures, args.value("data-dir").value_or("var"), args.value("store").value_or("sqlite"));
    if (!opened) {
        std::cerr << "crossrate: " << opened.error().what() << "\n";
        return exit_failure;
    }
    for (const auto& warning : opened->warnings) std::cerr << "crossrate: " << warning << "\n";
    Ledger writer(std::move(opened->store), opened->dataset, opened->revisions, [](auto&&...) {});
    std::vector<FieldProblem> problems;
    const auto rows = csv_records(kind, text, problems);
    const char* user = std::getenv("USER");
    const std::string author = args.value("author").value_or(user != nullptr && *user != '\0' ? user : "local");
    const auto written = writer.add(kind, author, note, text, rows, problems);
    if (!problems.empty()) {
        for (const auto& p : problems) print_problem(kind, file, p.pointer, p.detail);
        std::cerr << "crossrate: " << problems.size() << " problems; nothing was written\n";
        return exit_problems;
    }
    if (!written) {
        std::cerr << "crossrate: " << written.error().what() << "\n";
        return exit_failure;
    }
    std::cout << written->response << "\n";
    return 0;
}

int import_to_server(std::string_view url, const std::string& token, Ledger::Kind kind, const std::string& file,
                     const std::string& text, const std::string& note) {
    const std::string target = "/v1/" + std::string(Ledger::kind_name(kind)) + "s";
    // http://HOST[:PORT][/]: the API's root; TLS is the proxy's business (see deploy/).
    if (!url.starts_with("http://")) {
        std::cerr << "crossrate: --server takes http://HOST[:PORT], not '" << url << "'\n";
        return exit_problems;
    }
    url.remove_prefix(7);
    while (url.ends_with('/')) url.remove_suffix(1);
    const auto colon = url.rfind(':');
    const std::string host(url.substr(0, colon));
    const std::string port(colon == std::string_view::npos ? "80" : url.substr(colon + 1));
    try {
        boost::asio::io_context io;
        boost::asio::ip::tcp::resolver resolver(io);
        boost::beast::tcp_stream stream(io);
        stream.expires_after(std::chrono::seconds(60));
        stream.connect(resolver.resolve(host, port));
        http::request<http::string_body> request(http::verb::post, target, 11);
        request.set(http::field::host, host);
        request.set(http::field::content_type, "text/csv");
        request.set(http::field::authorization, "Bearer " + token);
        request.set("X-Crossrate-Note", note);
        request.body() = text;
        request.prepare_payload();
        http::write(stream, request);
        boost::beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        if (response.result() == http::status::created) {
            std::cout << response.body() << "\n";
            return 0;
        }
        if (response.result() == http::status::bad_request) {
            const auto problem = json::parse(response.body());
            if (const auto* errors = problem.as_object().if_contains("errors")) {
                for (const auto& e : errors->as_array()) {
                    print_problem(kind, file, e.at("pointer").as_string(), e.at("detail").as_string());
                }
                std::cerr << "crossrate: " << std::string_view(problem.at("detail").as_string()) << "\n";
                return exit_problems;
            }
        }
        std::cerr << "crossrate: the server answered " << response.result_int() << ": " << response.body() << "\n";
        return exit_failure;
    } catch (const boost::system::system_error& e) {
        std::cerr << "crossrate: cannot import through " << host << ":" << port << ": " << e.code().message() << "\n";
        return exit_failure;
    } catch (const std::exception& e) {  // an answer that is not the API's JSON
        std::cerr << "crossrate: cannot import through " << host << ":" << port << ": " << e.what() << "\n";
        return exit_failure;
    }
}

}  // namespace

int run_import(const Args& args) {
    if (args.positional.size() != 1) {
        std::cerr << "crossrate: import takes one FILE.csv\n";
        return exit_problems;
    }
    const std::string& file = args.positional[0];
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << "crossrate: cannot read '" << file << "'\n";
        return exit_failure;
    }
    std::stringstream text;
    text << in.rdbuf();
    // The header says what the rows are, and so where they go.
    const auto kind = csv_kind(text.str());
    if (!kind) {
        std::cerr << file << ":1: expected the header of quotes, rates or sources:\n";
        for (const auto k : {Ledger::Kind::quote, Ledger::Kind::rate, Ledger::Kind::source}) {
            std::cerr << "  " << csv_header(k) << "\n";
        }
        return exit_problems;
    }
    const std::string note = args.value("note").value_or("imported from " + file).substr(0, 500);
    if (const auto url = args.value("server")) {
        const char* env = std::getenv("CROSSRATE_TOKEN");
        const auto token = args.value("token").value_or(env != nullptr ? env : "");
        if (token.empty()) {
            std::cerr << "crossrate: --server needs a writer's token: --token T or $CROSSRATE_TOKEN\n";
            return exit_problems;
        }
        return import_to_server(*url, token, *kind, file, text.str(), note);
    }
    return import_locally(args, *kind, file, text.str(), note);
}

}  // namespace crossrate::cli
