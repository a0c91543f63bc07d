#pragma once
// What many answers at one revision share, made once and kept while that revision is served:
// a conversion's frame (its rate, with the document around the amount and the result
// rendered: pair, date, legs, provenance), reused by every amount converted at it. Keyed by
// text; bounded in entries (a full shard is emptied, the next uses refill it).

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace crossrate::server {

template <class T>
class Memo {
public:
    explicit Memo(std::size_t max_entries = 4096) : max_per_shard_(std::max<std::size_t>(1, max_entries / 16)) {}

    std::shared_ptr<const T> find(std::string_view key) const {
        const Shard& s = shard(key);
        std::lock_guard lock(s.mutex);
        const auto it = s.entries.find(key);
        return it == s.entries.end() ? nullptr : it->second;
    }

    void keep(std::string key, std::shared_ptr<const T> value) const {
        Shard& s = shard(key);
        std::lock_guard lock(s.mutex);
        if (s.entries.size() >= max_per_shard_) s.entries.clear();
        s.entries.insert_or_assign(std::move(key), std::move(value));
    }

private:
    struct KeyHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, std::shared_ptr<const T>, KeyHash, std::equal_to<>> entries;
    };
    Shard& shard(std::string_view key) const { return shards_[KeyHash{}(key) % shards_.size()]; }

    std::size_t max_per_shard_;
    mutable std::array<Shard, 16> shards_;
};

}  // namespace crossrate::server
