// The real crossrate-server under hostile input and load over loopback: every attack gets a
// 4xx or a deliberate 503, and the server goes on answering.

#include "tests/server/server_process.hpp"

#include <gtest/gtest.h>

#include <string>

namespace crossrate::test {
namespace {

// A chunked POST whose trailer holds one field of `size` bytes.
std::string chunked_with_trailer(std::size_t size) {
    return "POST /v1/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Trailer: " +
           std::string(size, 'a') + "\r\n\r\n";
}

TEST(Hostile, ATrailerCountsAgainstTheHeaderLimit) {
    ServerProcess server;
    for (const std::size_t size : {9'000u, 70'000u, 200'000u}) {
        Client client(server.port());
        client.send(chunked_with_trailer(size));
        const auto res = client.read();
        EXPECT_EQ(res.result_int(), 431) << size;
        EXPECT_EQ(res[http::field::content_type], "application/problem+json");
        EXPECT_NE(res.body().find("trailer"), std::string::npos) << res.body();
    }
    Client after(server.port());
    EXPECT_EQ(after.get("/healthz").result_int(), 200);
    EXPECT_FALSE(server.wait(std::chrono::milliseconds(0)).has_value()) << "the server exited:\n" << server.log();
}

TEST(Hostile, AHeaderOfAnySizeIsRefusedAtTheLargestLimit) {
    ServerProcess server({"--header-limit", "65535"});
    {
        Client client(server.port());  // within the limit: answered
        EXPECT_EQ(client.get("/healthz", "X-Big: " + std::string(65'000, 'b') + "\r\n").result_int(), 200);
    }
    for (const std::size_t size : {65'600u, 70'000u, 300'000u}) {
        Client client(server.port());
        client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(size, 'b') + "\r\n\r\n");
        EXPECT_EQ(client.read().result_int(), 431) << size;
    }
    Client client(server.port());  // a trailer just within the limit reaches the handler
    client.send(chunked_with_trailer(65'400));
    const auto res = client.read();
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_NE(res.body().find("invalid_scenario"), std::string::npos) << res.body();
    Client after(server.port());
    EXPECT_EQ(after.get("/healthz").result_int(), 200);
}

TEST(Hostile, AHeaderLimitBeyondWhatTheParserHoldsIsRefusedAtStart) {
    EXPECT_THROW(ServerProcess({"--header-limit", "65536"}), std::runtime_error);
}

}  // namespace
}  // namespace crossrate::test
