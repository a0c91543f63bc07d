#include "server/reply_cache.hpp"

#include <algorithm>
#include <functional>

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

std::shared_ptr<const TaggedReply> ReplyCache::find(std::string_view target, std::uint64_t revision,
                                              Clock::time_point now) const {
    if (max_body_ == 0) return nullptr;
    Shard& s = shard(std::hash<std::string_view>{}(target));
    std::lock_guard lock(s.mutex);
    const auto it = s.entries.find(target);
    if (it == s.entries.end() || it->second.revision != revision || it->second.expires <= now) return nullptr;
    return it->second.reply;
}

bool ReplyCache::kept_again(std::string_view target, const Reply& reply) {
    if (reply.body.size() > max_body_) return false;
    const std::size_t hash = std::hash<std::string_view>{}(target);
    Shard& s = shard(hash);
    std::lock_guard lock(s.mutex);
    std::size_t& slot = s.seen[(hash / shards_.size()) % s.seen.size()];
    if (slot == hash) return true;
    slot = hash;  // the first time: remember it, keep nothing yet
    return false;
}

void ReplyCache::keep(std::string_view target, std::uint64_t revision, const Reply& reply, std::string_view etag,
                      std::size_t route, std::uint64_t answered_at, Clock::time_point now, std::string wire_head) {
    Shard& s = shard(std::hash<std::string_view>{}(target));
    auto kept = std::make_shared<const TaggedReply>(TaggedReply{reply, std::string(etag), route, answered_at, std::move(wire_head)});
    const std::size_t size = size_of(target, *kept);
    std::lock_guard lock(s.mutex);
    if (const auto old = s.entries.find(target); old != s.entries.end()) {
        s.bytes -= size_of(target, *old->second.reply);
        s.entries.erase(old);
    }
    // Full, in entries or in bytes: the expired go first, then any, one at a time.
    if (s.entries.size() >= max_per_shard_ || s.bytes + size > max_bytes_per_shard_) {
        for (auto it = s.entries.begin(); it != s.entries.end();) {
            if (it->second.expires > now) {
                ++it;
                continue;
            }
            s.bytes -= size_of(it->first, *it->second.reply);
            it = s.entries.erase(it);
        }
    }
    while (!s.entries.empty() && (s.entries.size() >= max_per_shard_ || s.bytes + size > max_bytes_per_shard_)) {
        s.bytes -= size_of(s.entries.begin()->first, *s.entries.begin()->second.reply);
        s.entries.erase(s.entries.begin());
    }
    s.bytes += size;
    s.entries.emplace(std::string(target), Entry{revision, now + ttl_, std::move(kept)});
}

}  // namespace crossrate::server
