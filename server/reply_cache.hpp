#pragma once
// Rendered answers to GET requests, by request target and dataset revision. An answer is a
// function of the two, so a repeated request (a dashboard polling the same URL) is answered
// from here without being computed again. A target is kept the second time it is asked for
// within a short while, so one-off requests (a converter with ever-new amounts) cost no more
// than a hash. Bounded in entries, in the size of one answer kept and in the bytes of all of
// them; entries expire after a minute, which bounds the only inputs that are not in the key
// (today's date, for answers about "now"). A full shard makes room by its oldest entries, the
// first to expire: each in constant time, however many it holds.

#include "server/body_file.hpp"
#include "server/fast_hash.hpp"
#include "server/route.hpp"

#include <array>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace crossrate::server {

// A successful read's reply with its entity tag and the route that made it.
struct TaggedReply {
    Reply reply;
    std::string etag;
    std::size_t route = 0;
    std::uint64_t answered_at = 0;  // the revision the answer is of (a pinned one, or the current)
    std::string wire_head;          // the answer's head as sent, up to the request's own id (App::ready_answer)
    BodyFile body_file{};           // a large body's bytes, to send without copying them (made when sent again)
};

class ReplyCache {
public:
    using Clock = std::chrono::steady_clock;

    ReplyCache(std::size_t max_entries, std::size_t max_body, Clock::duration ttl,
               std::size_t max_bytes = std::size_t(64) << 20);

    // A request target and its hash, made once for every look and store of one request.
    struct Key {
        Key(std::string_view t) noexcept : target(t), hash(spread(fast_hash(t))) {}
        Key(const char* t) noexcept : Key(std::string_view(t)) {}
        Key(const std::string& t) noexcept : Key(std::string_view(t)) {}
        std::string_view target;
        std::size_t hash;

    private:
        // fast_hash's low bits do not depend on every byte of a short last word (a target's
        // last character, for some lengths); the shard and the first-sighting slot are taken
        // from the low bits, so they are mixed here from all 64 (murmur3's finalizer, a bijection).
        static constexpr std::size_t spread(std::uint64_t h) noexcept {
            h ^= h >> 33;
            h *= 0xFF51AFD7ED558CCDull;
            h ^= h >> 33;
            h *= 0xC4CEB9FE1A85EC53ull;
            return h ^ (h >> 33);
        }
    };

    // What the kept answers hold now, in bytes (bodies, targets, tags).
    std::size_t bytes() const;

    std::shared_ptr<const TaggedReply> find(const Key& target, std::uint64_t revision, Clock::time_point now) const;
    // The same, looking first at the calling thread's last hit of this path (one target, one
    // answer, until the answer's own expiry or a new revision): a client polling one URL is
    // answered without hashing its target or taking a shard's lock, which every I/O thread
    // answering that URL would otherwise take in turn. A hit here becomes the thread's last; it
    // keeps its answer alive (one per I/O thread, at most the largest the cache keeps) until the
    // thread's next hit, or its next look at a newer revision.
    std::shared_ptr<const TaggedReply> find_repeated(std::string_view target, std::uint64_t revision,
                                                     Clock::time_point now) const;
    // Lets go of the calling thread's last hit (which keeps its answer alive): as the thread ends.
    static void forget_thread_hit() noexcept;
    // Keeps a reply the second time its target is stored (see above); `wire_head()` is asked for
    // only then: a one-off answer costs no more than the hash.
    template <class MakeWireHead>
    void store(const Key& target, std::uint64_t revision, const Reply& reply, std::string_view etag, std::size_t route,
               std::uint64_t answered_at, Clock::time_point now, MakeWireHead&& wire_head) {
        if (kept_again(target, reply)) {
            keep(target, revision,
                 std::make_shared<const TaggedReply>(TaggedReply{reply, std::string(etag), route, answered_at, wire_head()}), now);
        }
    }
    // The same, for an answer already made as a TaggedReply: kept as it is, not copied.
    void store(const Key& target, std::uint64_t revision, std::shared_ptr<const TaggedReply> answer, Clock::time_point now) {
        if (kept_again(target, answer->reply)) keep(target, revision, std::move(answer), now);
    }
    void store(const Key& target, std::uint64_t revision, const Reply& reply, std::string_view etag, std::size_t route,
               std::uint64_t answered_at, Clock::time_point now) {
        store(target, revision, reply, etag, route, answered_at, now, [] { return std::string(); });
    }

private:
    struct Entry {
        std::string target;
        std::uint64_t revision;
        Clock::time_point expires;
        std::shared_ptr<const TaggedReply> reply;
        std::list<std::size_t>::iterator place;  // in the shard's order
    };
    struct Shard {
        mutable std::mutex mutex;
        // By the target's hash; the entry's own target is compared, so two targets of one hash
        // are never confused (the later one replaces the earlier).
        std::unordered_map<std::size_t, Entry> entries;
        std::array<std::size_t, 256> seen{};  // hashes of targets asked for once, direct-mapped
        std::size_t bytes = 0;
        // The entries' hashes by when they were kept, oldest first: as every entry lives as
        // long, also the order they expire in. An entry leaves it as it leaves the map.
        std::list<std::size_t> order;

        // The entry of `key` that answers at `revision` at `now`, if one does (under the lock).
        const Entry* live(const Key& key, std::uint64_t revision, Clock::time_point now) const;
    };
    // A live entry's answer and expiry, or none.
    struct Found {
        std::shared_ptr<const TaggedReply> reply;
        Clock::time_point expires{};
    };
    Found lookup(const Key& target, std::uint64_t revision, Clock::time_point now) const;
    static std::size_t size_of(std::string_view target, const TaggedReply& reply) noexcept;
    // Whether `target` was stored a moment ago (and the reply is small enough to keep); the
    // first time, it is remembered.
    bool kept_again(const Key& target, const Reply& reply);
    void keep(const Key& target, std::uint64_t revision, std::shared_ptr<const TaggedReply> kept, Clock::time_point now);
    Shard& shard(std::size_t hash) const;

    std::size_t max_per_shard_;
    std::size_t max_body_;
    std::size_t max_bytes_per_shard_;
    Clock::duration ttl_;
    std::uint64_t serial_;  // this cache among all made in the process: a thread's last hit names it
    mutable std::array<Shard, 16> shards_;
};

}  // namespace crossrate::server
