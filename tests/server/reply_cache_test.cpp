#include "server/reply_cache.hpp"

#include <gtest/gtest.h>

namespace crossrate::server {
namespace {

using namespace std::chrono_literals;
const auto t0 = ReplyCache::Clock::time_point{} + 1000s;

Reply reply(std::string body) { return Reply{http::status::ok, std::move(body), "application/json", Freshness::past}; }

TEST(ReplyCache, KeepsATargetTheSecondTimeItIsAsked) {
    ReplyCache cache(64, 1024, 60s);
    cache.store("/v1/convert?amount=1", 1, reply("one"), "\"tag\"", 0, 1, t0);
    EXPECT_EQ(cache.find("/v1/convert?amount=1", 1, t0), nullptr);  // one-off requests are not kept
    cache.store("/v1/convert?amount=1", 1, reply("one"), "\"tag\"", 0, 1, t0);
    const auto hit = cache.find("/v1/convert?amount=1", 1, t0 + 1s);
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(hit->reply.body, "one");
    EXPECT_EQ(hit->etag, "\"tag\"");
    EXPECT_EQ(cache.find("/v1/convert?amount=2", 1, t0), nullptr);
}

TEST(ReplyCache, MissesAfterANewRevisionOrExpiry) {
    ReplyCache cache(64, 1024, 60s);
    cache.store("/x", 1, reply("one"), "\"tag\"", 0, 1, t0);
    cache.store("/x", 1, reply("one"), "\"tag\"", 0, 1, t0);
    ASSERT_NE(cache.find("/x", 1, t0), nullptr);
    EXPECT_EQ(cache.find("/x", 2, t0), nullptr);
    EXPECT_EQ(cache.find("/x", 1, t0 + 60s), nullptr);
}

TEST(ReplyCache, KeepsNeitherLargeAnswersNorMoreThanItsBound) {
    ReplyCache cache(16, 8, 60s);
    cache.store("/big", 1, reply("0123456789"), "\"tag\"", 0, 1, t0);
    EXPECT_EQ(cache.find("/big", 1, t0), nullptr);
    for (int i = 0; i < 1000; ++i) {
        cache.store("/t" + std::to_string(i), 1, reply("x"), "\"tag\"", 0, 1, t0);
        cache.store("/t" + std::to_string(i), 1, reply("x"), "\"tag\"", 0, 1, t0);
    }
    int kept = 0;
    for (int i = 0; i < 1000; ++i) kept += cache.find("/t" + std::to_string(i), 1, t0) != nullptr;
    EXPECT_LE(kept, 16);
    EXPECT_GT(kept, 0);
}

TEST(ReplyCache, HoldsNoMoreBytesThanItsBoundWhateverTheEntries) {
    ReplyCache cache(100'000, 256 * 1024, 60s, 4 << 20);  // 4 MiB for up to 100,000 answers
    const std::string body(200 * 1024, 'x');
    for (int i = 0; i < 200; ++i) {  // 40 MB asked to be kept
        cache.store("/t" + std::to_string(i), 1, reply(body), "\"tag\"", 0, 1, t0);
        cache.store("/t" + std::to_string(i), 1, reply(body), "\"tag\"", 0, 1, t0);
        ASSERT_LE(cache.bytes(), std::size_t(4) << 20) << i;
    }
    EXPECT_GT(cache.bytes(), std::size_t(1) << 20);  // and it does keep what fits
    // An answer larger than a shard's share is not kept at all.
    const std::string huge(300 * 1024, 'y');
    cache.store("/huge", 1, reply(huge), "\"tag\"", 0, 1, t0);
    cache.store("/huge", 1, reply(huge), "\"tag\"", 0, 1, t0);
    EXPECT_EQ(cache.find("/huge", 1, t0), nullptr);
}

TEST(ReplyCache, ZeroMaxBodyTurnsItOff) {
    ReplyCache cache(64, 0, 60s);
    cache.store("/x", 1, reply(""), "\"tag\"", 0, 1, t0);
    cache.store("/x", 1, reply(""), "\"tag\"", 0, 1, t0);
    EXPECT_EQ(cache.find("/x", 1, t0), nullptr);
}

}  // namespace
}  // namespace crossrate::server
