#include "server/reply_cache.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <iterator>
#include <new>

namespace crossrate::server {
namespace {

// A thread's last hit through find_repeated: which cache, target and revision, until when.
struct ThreadHit {
    std::uint64_t cache = 0;
    std::uint64_t revision = 0;
    ReplyCache::Clock::time_point expires{};
    std::string target;
    std::shared_ptr<const TaggedReply> reply;
};
thread_local ThreadHit thread_hit;
std::atomic<std::uint64_t> caches_made{0};

}  // namespace

ReplyCache::ReplyCache(std::size_t max_entries, std::size_t max_body, Clock::duration ttl, std::size_t max_bytes)
    : max_per_shard_(std::max<std::size_t>(1, max_entries / 16)),
      max_body_(std::min(max_body, max_bytes / 16)),
      max_bytes_per_shard_(max_bytes / 16),
      ttl_(ttl),
      serial_(caches_made.fetch_add(1, std::memory_order_relaxed) + 1) {}

std::size_t ReplyCache::size_of(std::string_view target, const TaggedReply& reply) noexcept {
    return target.size() + reply.reply.body.size() + reply.etag.size() + reply.wire_head.size() + sizeof(TaggedReply) + 64;
}

std::size_t ReplyCache::bytes() const {
    std::size_t total = 0;
    for (const Shard& s : shards_) {
        std::lock_guard lock(s.mutex);
        total += s.bytes;
    }
    return total;
}

ReplyCache::Shard& ReplyCache::shard(std::size_t hash) const { return shards_[hash % shards_.size()]; }

const ReplyCache::Entry* ReplyCache::Shard::live(const Key& key, std::uint64_t revision, Clock::time_point now) const {
    const auto it = entries.find(key.hash);
    if (it == entries.end() || it->second.target != key.target || it->second.revision != revision ||
        it->second.expires <= now) {
        return nullptr;
    }
    return &it->second;
}

ReplyCache::Found ReplyCache::lookup(const Key& target, std::uint64_t revision, Clock::time_point now) const {
    if (max_body_ == 0) return {};
    Shard& s = shard(target.hash);
    std::lock_guard lock(s.mutex);
    const Entry* entry = s.live(target, revision, now);
    return entry != nullptr ? Found{entry->reply, entry->expires} : Found{};
}

std::shared_ptr<const TaggedReply> ReplyCache::find(const Key& target, std::uint64_t revision,
                                                    Clock::time_point now) const {
    return lookup(target, revision, now).reply;
}

std::shared_ptr<const TaggedReply> ReplyCache::find_repeated(std::string_view target, std::uint64_t revision,
                                                             Clock::time_point now) const {
    ThreadHit& last = thread_hit;
    if (last.cache == serial_ && last.revision == revision && now < last.expires && last.target == target) {
        return last.reply;
    }
    if (last.cache == serial_ && last.revision < revision) forget_thread_hit();  // an old revision's: let it go
    auto [found, expires] = lookup(Key(target), revision, now);
    if (found == nullptr) return nullptr;
    // Named by its cache last, once the rest is in place: a target that cannot be copied (out of
    // memory) leaves no hit that answers for it.
    last.cache = 0;
    try {
        last.target.assign(target);
    } catch (const std::bad_alloc&) {
        return found;
    }
    last.revision = revision;
    last.expires = expires;
    last.reply = found;
    last.cache = serial_;
    return found;
}

void ReplyCache::forget_thread_hit() noexcept {
    thread_hit.cache = 0;
    thread_hit.reply.reset();
    thread_hit.target = std::string();
}

bool ReplyCache::kept_again(const Key& target, const Reply& reply) {
    if (reply.body.size() > max_body_) return false;
    Shard& s = shard(target.hash);
    std::lock_guard lock(s.mutex);
    std::size_t& slot = s.seen[(target.hash / shards_.size()) % s.seen.size()];
    if (slot == target.hash) return true;
    slot = target.hash;  // the first time: remember it, keep nothing yet
    return false;
}

void ReplyCache::keep(const Key& target, std::uint64_t revision, std::shared_ptr<const TaggedReply> kept,
                      Clock::time_point now) {
    Shard& s = shard(target.hash);
    const std::size_t size = size_of(target.target, *kept);
    std::lock_guard lock(s.mutex);
    const auto drop = [&](std::unordered_map<std::size_t, Entry>::iterator it) {
        s.bytes -= size_of(it->second.target, *it->second.reply);
        s.order.erase(it->second.place);
        s.entries.erase(it);
    };
    if (const auto old = s.entries.find(target.hash); old != s.entries.end()) drop(old);
    // Full, in entries or in bytes: the oldest go first (expired or not, they expire first).
    while (!s.order.empty() && (s.entries.size() >= max_per_shard_ || s.bytes + size > max_bytes_per_shard_)) {
        drop(s.entries.find(s.order.front()));
    }
    s.order.push_back(target.hash);
    try {
        s.entries.emplace(target.hash, Entry{std::string(target.target), revision, now + ttl_, std::move(kept), std::prev(s.order.end())});
    } catch (...) {
        s.order.pop_back();
        throw;
    }
    s.bytes += size;
}

}  // namespace crossrate::server
