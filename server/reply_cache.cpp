#include "server/reply_cache.hpp"

#include <algorithm>
#include <functional>
#include <iterator>

namespace crossrate::server {

ReplyCache::ReplyCache(std::size_t max_entries, std::size_t max_body, Clock::duration ttl, std::size_t max_bytes)
    : max_per_shard_(std::max<std::size_t>(1, max_entries / 16)),
      max_body_(std::min(max_body, max_bytes / 16)),
      max_bytes_per_shard_(max_bytes / 16),
      ttl_(ttl) {}

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

std::shared_ptr<const TaggedReply> ReplyCache::find(const Key& target, std::uint64_t revision,
                                                    Clock::time_point now) const {
    if (max_body_ == 0) return nullptr;
    Shard& s = shard(target.hash);
    std::lock_guard lock(s.mutex);
    const auto it = s.entries.find(target.hash);
    if (it == s.entries.end() || it->second.target != target.target || it->second.revision != revision ||
        it->second.expires <= now) {
        return nullptr;
    }
    return it->second.reply;
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
