#pragma once
// The containers a snapshot of the model shares with the next one. A revision changes a few
// records; copying every list to make the next snapshot would cost the whole dataset on each
// write. Instead records live in fixed-size chunks and indexes in shards, each immutable once
// a snapshot holds it: the next snapshot copies the pointers, then only the chunks and shards
// its records touch (copy-on-write, a few hundred records, not the whole list). Nothing is
// ever removed: a correction marks the record it supersedes, so a record is visible at the
// revisions from the one that added it up to the one that superseded it, and a past revision
// is the same snapshot read through that filter.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace crossrate {

// Revision numbers: 1 is the fixtures; 0 as `superseded` means never.
using RevisionNumber = std::uint64_t;

// Whether a record (anything with `revision` and `superseded`) is part of revision `at`.
template <class T>
bool visible_at(const T& record, RevisionNumber at) noexcept {
    return record.revision <= at && (record.superseded == 0 || record.superseded > at);
}

// For a list kept in another order than the records were added (by date), the least key in
// each block of 64 entries, where a key grows with the revision that added the entry (the
// revision itself, or the record's position): a search at a past revision steps over whole
// blocks of entries added after it (keys from `limit` on) instead of one entry at a time.
class RevisionBlocks {
public:
    static constexpr std::size_t block = 64;
    static constexpr std::size_t none = static_cast<std::size_t>(-1);

    template <class KeyOf>
    void build(std::size_t n, KeyOf key_of) {
        least_.assign((n + block - 1) / block, std::numeric_limits<std::uint64_t>::max());
        for (std::size_t i = 0; i < n; ++i) least_[i / block] = std::min<std::uint64_t>(least_[i / block], key_of(i));
    }
    // The last index before `from` that `accept`s, or `none`.
    template <class Accept>
    std::size_t back(std::size_t from, std::uint64_t limit, Accept accept) const {
        for (std::size_t i = from; i > 0;) {
            if (!least_.empty() && least_[(i - 1) / block] >= limit) {
                i = (i - 1) / block * block;
                continue;
            }
            if (accept(i - 1)) return i - 1;
            --i;
        }
        return none;
    }
    // The first index from `from` (below `n`) that `accept`s, or `none`.
    template <class Accept>
    std::size_t forward(std::size_t from, std::size_t n, std::uint64_t limit, Accept accept) const {
        for (std::size_t i = from; i < n;) {
            if (!least_.empty() && least_[i / block] >= limit) {
                i = (i / block + 1) * block;
                continue;
            }
            if (accept(i)) return i;
            ++i;
        }
        return none;
    }

private:
    std::vector<std::uint64_t> least_;
};

// The least key a revision `at` does not show, for keys that are revision numbers.
inline std::uint64_t after_revision(RevisionNumber at) noexcept {
    return at == std::numeric_limits<RevisionNumber>::max() ? at : at + 1;
}

// The chunks and shards made while building one snapshot: those are still private to the
// builder and changed in place; any other is shared with a published snapshot and copied first.
class Fresh {
public:
    template <class T>
    T* own(std::shared_ptr<const T>& slot) {
        if (!slot) {
            auto made = std::make_shared<T>();
            T* raw = made.get();
            slot = std::move(made);
            made_.insert(raw);
            return raw;
        }
        if (made_.count(slot.get()) != 0) return const_cast<T*>(slot.get());
        auto copy = std::make_shared<T>(*slot);
        T* raw = copy.get();
        slot = std::move(copy);
        made_.insert(raw);
        return raw;
    }

private:
    std::unordered_set<const void*> made_;
};

// An append-only list of records in chunks of `chunk_size`: a position never changes, so
// indexes hold positions. Iterating visits the records visible at the table's revision.
template <class T>
class Table {
public:
    static constexpr std::size_t chunk_size = 256;
    using Chunk = std::vector<T>;

    // Every record stored, visible or not.
    std::size_t stored() const noexcept { return stored_; }
    const T& operator[](std::size_t position) const { return (*chunks_[position / chunk_size])[position % chunk_size]; }

    // The revision the table is read at: records added later, or superseded by then, are skipped.
    RevisionNumber revision() const noexcept { return revision_; }
    void read_at(RevisionNumber at) noexcept { revision_ = at; }
    bool visible(std::size_t position) const noexcept { return visible_at((*this)[position], revision_); }

    std::size_t append(T record, Fresh& fresh) {
        if (stored_ % chunk_size == 0) chunks_.emplace_back();
        Chunk* chunk = fresh.own(chunks_.back());
        if (chunk->capacity() < chunk_size) chunk->reserve(chunk_size);
        chunk->push_back(std::move(record));
        return stored_++;
    }
    T& edit(std::size_t position, Fresh& fresh) {
        return (*fresh.own(chunks_[position / chunk_size]))[position % chunk_size];
    }

    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T*;
        using reference = const T&;

        const_iterator() = default;
        const_iterator(const Table* table, std::size_t position) : table_(table), position_(position) { skip(); }
        reference operator*() const { return (*table_)[position_]; }
        pointer operator->() const { return &(*table_)[position_]; }
        std::size_t position() const noexcept { return position_; }
        const_iterator& operator++() {
            ++position_;
            skip();
            return *this;
        }
        const_iterator operator++(int) {
            auto before = *this;
            ++*this;
            return before;
        }
        bool operator==(const const_iterator& other) const noexcept { return position_ == other.position_; }

    private:
        void skip() {
            while (position_ < table_->stored_ && !table_->visible(position_)) ++position_;
        }
        const Table* table_ = nullptr;
        std::size_t position_ = 0;
    };

    const_iterator begin() const { return {this, 0}; }
    // The first position a record added after revision `at` has (records are added in
    // revision order): a search, so O(log n).
    std::size_t end_at(RevisionNumber at) const {
        std::size_t low = 0, high = stored_;
        while (low < high) {
            const std::size_t mid = low + (high - low) / 2;
            if ((*this)[mid].revision <= at) low = mid + 1; else high = mid;
        }
        return low;
    }
    // The first visible record from `position` on.
    const_iterator from(std::size_t position) const { return {this, std::min(position, stored_)}; }
    const_iterator end() const { return {this, stored_}; }
    bool empty() const { return begin() == end(); }
    // The records visible at the table's revision: a count, so linear.
    std::size_t size() const { return static_cast<std::size_t>(std::distance(begin(), end())); }
    const T& back() const {
        std::size_t p = stored_;
        while (p > 0 && !visible(p - 1)) --p;
        return (*this)[p - 1];
    }

private:
    std::vector<std::shared_ptr<const Chunk>> chunks_;
    std::size_t stored_ = 0;
    RevisionNumber revision_ = 1;
};

// A hash map from text keys split into shards, each shared between snapshots until a write
// touches it: a snapshot's copy costs the shard pointers, and a write the shards it changes.
template <class V>
class ShardedMap {
public:
    static constexpr std::size_t shards = 256;

    const V* find(std::string_view key) const {
        if (shards_.empty()) return nullptr;
        const auto& shard = shards_[index(key)];
        if (!shard) return nullptr;
        const auto it = shard->find(key);
        return it == shard->end() ? nullptr : &it->second;
    }
    V& operator()(const std::string& key, Fresh& fresh) {
        if (shards_.empty()) shards_.resize(shards);
        return (*fresh.own(shards_[index(key)]))[key];
    }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    using Shard = std::unordered_map<std::string, V, Hash, std::equal_to<>>;
    std::size_t index(std::string_view key) const noexcept { return (Hash{}(key) >> 7) % shards; }

    std::vector<std::shared_ptr<const Shard>> shards_;
};

}  // namespace crossrate
