#include "server/reply_cache.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

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

// Full, it makes room by the oldest answers (the first to expire), never by one just kept.
TEST(ReplyCache, AFullCacheLetsItsOldestAnswersGo) {
    ReplyCache cache(1600, 1024, 60s);  // 100 answers a shard
    const auto at = [](int i) { return t0 + std::chrono::milliseconds(i); };
    for (int i = 0; i < 3000; ++i) {
        cache.store("/t" + std::to_string(i), 1, reply("x"), "\"tag\"", 0, 1, at(i));
        cache.store("/t" + std::to_string(i), 1, reply("x"), "\"tag\"", 0, 1, at(i));
    }
    const auto end = at(3000);
    for (int i = 2900; i < 3000; ++i) EXPECT_NE(cache.find("/t" + std::to_string(i), 1, end), nullptr) << i;
    for (int i = 0; i < 100; ++i) EXPECT_EQ(cache.find("/t" + std::to_string(i), 1, end), nullptr) << i;
    // One target kept again and again stays one answer, and its latest.
    for (int i = 0; i < 1000; ++i) {
        cache.store("/again", 1, reply(std::to_string(i)), "\"tag\"", 0, 1, end);
    }
    ASSERT_NE(cache.find("/again", 1, end), nullptr);
    EXPECT_EQ(cache.find("/again", 1, end)->reply.body, "999");
    for (int i = 2950; i < 3000; ++i) EXPECT_NE(cache.find("/t" + std::to_string(i), 1, end), nullptr) << i;
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

TEST(ReplyCache, TargetsDifferingOnlyInTheirLastCharacterAreKeptApart) {
    // Two targets asked in turn are each kept at their second sighting, unless they share the
    // first-sighting slot. Every length of last word (1 to 8 characters), ten targets each,
    // differing in the last character only: all of them kept.
    for (int pad = 0; pad < 8; ++pad) {
        ReplyCache cache(4096, 1024, 60s);
        std::vector<std::string> targets;
        for (char c = '0'; c <= '9'; ++c) targets.push_back("/v1/revisions/" + std::string(pad, '1') + c);
        for (int round = 0; round < 2; ++round) {
            for (const auto& t : targets) cache.store(t, 1, reply(t), "\"tag\"", 0, 1, t0);
        }
        for (const auto& t : targets) {
            const auto kept = cache.find(t, 1, t0);
            ASSERT_NE(kept, nullptr) << t;
            EXPECT_EQ(kept->reply.body, t);
        }
    }
}

// find_repeated answers what find does: the thread's last hit is the answer of that cache, that
// target and that revision, until the answer's own expiry.
TEST(ReplyCache, ARepeatedFindAnswersAsFindDoes) {
    ReplyCache cache(64, 1024, 60s);
    ReplyCache other(64, 1024, 60s);
    for (int i = 0; i < 2; ++i) {
        cache.store("/x", 1, reply("x at 1"), "\"tag\"", 0, 1, t0);
        cache.store("/x1", 1, reply("x1 at 1"), "\"tag\"", 0, 1, t0);
        other.store("/x", 1, reply("the other's x"), "\"tag\"", 0, 1, t0);
    }
    EXPECT_EQ(cache.find_repeated("/y", 1, t0), nullptr);
    const auto first = cache.find_repeated("/x", 1, t0);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->reply.body, "x at 1");
    EXPECT_EQ(cache.find_repeated("/x", 1, t0 + 1s), first);  // the thread's last hit
    // Another cache's answer to the same target, another target with the same beginning.
    EXPECT_EQ(other.find_repeated("/x", 1, t0)->reply.body, "the other's x");
    EXPECT_EQ(cache.find_repeated("/x", 1, t0)->reply.body, "x at 1");
    EXPECT_EQ(cache.find_repeated("/x1", 1, t0)->reply.body, "x1 at 1");
    EXPECT_EQ(cache.find_repeated("/x", 1, t0)->reply.body, "x at 1");
    // A new revision: the last hit is not its answer, and there is none yet.
    EXPECT_EQ(cache.find_repeated("/x", 2, t0), nullptr);
    for (int i = 0; i < 2; ++i) cache.store("/x", 2, reply("x at 2"), "\"tag\"", 0, 2, t0 + 2s);
    EXPECT_EQ(cache.find_repeated("/x", 2, t0 + 2s)->reply.body, "x at 2");
    // Past the answer's expiry (kept at t0 + 2s, for 60 s), found neither way.
    EXPECT_NE(cache.find_repeated("/x", 2, t0 + 61s), nullptr);
    EXPECT_EQ(cache.find_repeated("/x", 2, t0 + 62s), nullptr);
    EXPECT_EQ(cache.find("/x", 2, t0 + 62s), nullptr);
}

// The thread's last hit keeps its answer alive (it is handed out again) until the thread lets
// go, or moves on to a newer revision.
TEST(ReplyCache, TheThreadsLastHitIsLetGo) {
    std::weak_ptr<const TaggedReply> held;
    {
        ReplyCache cache(64, 1024, 60s);
        for (int i = 0; i < 2; ++i) cache.store("/x", 1, reply("x"), "\"tag\"", 0, 1, t0);
        held = cache.find_repeated("/x", 1, t0);
    }
    EXPECT_FALSE(held.expired());
    ReplyCache::forget_thread_hit();
    EXPECT_TRUE(held.expired());
    // Or when the thread next asks at a newer revision, found or not.
    ReplyCache cache(64, 1024, 60s);
    for (int i = 0; i < 2; ++i) cache.store("/x", 1, reply("x"), "\"tag\"", 0, 1, t0);
    held = cache.find_repeated("/x", 1, t0);
    for (int i = 0; i < 2; ++i) cache.store("/x", 2, reply("x at 2"), "\"tag\"", 0, 2, t0);
    EXPECT_FALSE(held.expired());
    EXPECT_EQ(cache.find_repeated("/y", 2, t0), nullptr);
    EXPECT_TRUE(held.expired());
}

TEST(ReplyCache, ZeroMaxBodyTurnsItOff) {
    ReplyCache cache(64, 0, 60s);
    cache.store("/x", 1, reply(""), "\"tag\"", 0, 1, t0);
    cache.store("/x", 1, reply(""), "\"tag\"", 0, 1, t0);
    EXPECT_EQ(cache.find("/x", 1, t0), nullptr);
    EXPECT_EQ(cache.find_repeated("/x", 1, t0), nullptr);
}

}  // namespace
}  // namespace crossrate::server

namespace crossrate::server {
namespace {

// The file's bytes, read back through the descriptor.
std::string contents(int fd) {
    std::string text(1 << 20, '\0');
    const ssize_t n = ::pread(fd, text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return text;
}

TEST(BodyFile, ALargeBodySentAgainGoesFromASealedFileOfTheSameBytes) {
    const int open_before = BodyFile::open_count();
    std::string body(BodyFile::min_size + 123, 'x');
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
    {
        const BodyFile file;
        EXPECT_EQ(file.for_sending(body), -1);  // the first sending: from memory, no file made
        const int fd = file.for_sending(body);
        ASSERT_GE(fd, 0);
        EXPECT_EQ(file.for_sending(body), fd);
        EXPECT_EQ(BodyFile::open_count(), open_before + 1);
        EXPECT_EQ(contents(fd), body);
        // Sealed: what the kernel may still be sending cannot change.
        EXPECT_EQ(::pwrite(fd, "!", 1, 0), -1);
        EXPECT_EQ(::ftruncate(fd, 1), -1);
        EXPECT_EQ(contents(fd), body);
    }
    EXPECT_EQ(BodyFile::open_count(), open_before);  // closed with its answer
}

TEST(BodyFile, SmallOrHugeBodiesAndBodiesPastTheLimitAreSentFromMemory) {
    const BodyFile small;
    const std::string short_body(BodyFile::min_size - 1, 'x');
    for (int i = 0; i < 3; ++i) EXPECT_EQ(small.for_sending(short_body), -1);
    const BodyFile huge;
    const std::string long_body(BodyFile::max_size + 1, 'x');
    for (int i = 0; i < 3; ++i) EXPECT_EQ(huge.for_sending(long_body), -1);

    const std::string body(BodyFile::min_size, 'x');
    BodyFile::set_max_open(BodyFile::open_count() + 1);
    const BodyFile first;
    const BodyFile second;
    first.for_sending(body);
    second.for_sending(body);
    EXPECT_GE(first.for_sending(body), 0);
    EXPECT_EQ(second.for_sending(body), -1);  // one file too many
    EXPECT_EQ(second.for_sending(body), -1);
    BodyFile::set_max_open(BodyFile::default_max_open);
    // A copy of an answer starts without its file.
    const BodyFile copy(first);
    EXPECT_EQ(copy.for_sending(body), -1);
}

}  // namespace
}  // namespace crossrate::server
