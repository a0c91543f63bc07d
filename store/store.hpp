#pragma once
// The server's durable state in its data directory: an SQLite file (rollback journal,
// synchronous=FULL) holding the dataset's revision log. The fixtures are revision 1. The schema is versioned: a
// file from a newer crossrate, or one that is not a crossrate database, is refused with a
// clear error and left exactly as it was.

#include "pricing/dataset.hpp"
#include "pricing/error.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace crossrate {

struct Revision {
    std::int64_t number = 0;
    std::string created_at;  // UTC, ISO 8601
    std::string author;
    std::string note;
    std::string content_hash;  // of what the revision added (for revision 1, the fixtures)
};

// What a write added: see DataRecord (pricing/dataset.hpp). Records are never updated or
// deleted; a correction is a new record naming the id it supersedes.
using StoredRecord = DataRecord;

class Store {
public:
    static constexpr int schema_version = 3;
    static constexpr const char* file_name = "crossrate.sqlite3";

    // Opens <data_dir>/crossrate.sqlite3, creating the folder and the file on first start with
    // revision 1 recording `fixtures_hash`.
    static Result<Store> open(const std::filesystem::path& data_dir, const std::string& fixtures_hash);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    const std::filesystem::path& path() const noexcept { return path_; }
    Result<std::vector<Revision>> revisions() const;
    Result<Revision> latest() const;

    // Adds `records` as one new revision in one transaction: with synchronous=FULL, once this
    // returns the revision survives a crash, and if it fails nothing of it is kept. Not safe to
    // call from two threads at once (the caller serialises writers).
    // With an idempotency key, the answer given is kept with the revision, in the same
    // transaction, so a retry finds it.
    struct Idempotency {
        std::string key;
        std::string request_hash;
        std::string response;  // found: the answer kept; appending: filled by response_for
        std::function<std::string(const Revision&)> response_for;
    };
    Result<Revision> append(const std::string& author, const std::string& note, const std::vector<StoredRecord>& records,
                            const Idempotency* idempotency = nullptr);
    // A write, for a server at start: a folder or file that takes none is refused then, not
    // at the first write a client makes. (Reads, as the CLI's, need none.)
    Result<void> check_writable();
    // Whether the file is still the one opened (same device and inode, still linked).
    Result<void> check_file() const;
    // check_file() and a write of 1 MiB beside the log: after a storage fault, whether the log
    // takes writes again.
    Result<void> probe();

    // The answer kept for (author, key), if any: its request hash and response.
    Result<std::optional<Idempotency>> find_idempotent(const std::string& author, const std::string& key) const;
    // Every record of revisions 2..up_to, in the order they were added.
    Result<std::vector<StoredRecord>> records(std::int64_t up_to) const;
    // The records revision N added, in order.
    Result<std::vector<StoredRecord>> records_of(std::int64_t revision) const;

private:
    Result<std::vector<StoredRecord>> records_where(std::string_view relation, std::int64_t revision) const;
    Store(std::filesystem::path path, sqlite3* db, std::uint64_t device, std::uint64_t inode)
        : path_(std::move(path)), db_(db), device_(device), inode_(inode) {}

    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
    std::uint64_t device_ = 0;  // of the file opened
    std::uint64_t inode_ = 0;
};

// A content hash of a fixtures folder: every file's relative path and bytes, in path order.
Result<std::string> hash_fixtures(const std::filesystem::path& fixtures_dir);

}  // namespace crossrate
