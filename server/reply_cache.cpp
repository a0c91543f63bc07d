#include "server/reply_cache.hpp"

#include <functional>

namespace crossrate::server {

ReplyCache::ReplyCache(std::size_t max_entries, std::size_t max_body, Clock::duration ttl)
    : max_per_shard_(std::max<std::size_t>(1, max_entries / 16)), max_body_(max_body), ttl_(ttl) {}

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

void ReplyCache::store(std::string_view target, std::uint64_t revision, const Reply& reply, std::string_view etag,
                       std::size_t route, std::uint64_t answered_at, Clock::time_point now) {
    if (reply.body.size() > max_body_) return;
    const std::size_t hash = std::hash<std::string_view>{}(target);
    Shard& s = shard(hash);
    {
        std::lock_guard lock(s.mutex);
        std::size_t& slot = s.seen[(hash / shards_.size()) % s.seen.size()];
        if (slot != hash) {  // the first time: remember it, keep nothing yet
            slot = hash;
            return;
        }
    }
    auto kept = std::make_shared<const TaggedReply>(TaggedReply{reply, std::string(etag), route, answered_at});
    std::lock_guard lock(s.mutex);
    if (s.entries.size() >= max_per_shard_ && s.entries.find(target) == s.entries.end()) {
        s.entries.erase(s.entries.begin());  // full: any one goes, in constant time
    }
    s.entries.insert_or_assign(std::string(target), Entry{revision, now + ttl_, std::move(kept)});
}

}  // namespace crossrate::server
