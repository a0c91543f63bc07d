#pragma once
// The server's durable state: the dataset's revision log. The fixtures are revision 1; each
// write adds one revision, with its records, in one transaction. Two stores keep the same
// logical schema with versioned migrations: SQLite in a data directory (the default, one
// machine) and PostgreSQL (a fleet: replicas share the log, revision numbers are assigned in
// the database in the write's transaction, and each commit is announced with NOTIFY).

#include "pricing/dataset.hpp"
#include "pricing/error.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    // The schema both stores migrate to, one step per version.
    static constexpr int schema_version = 3;

    virtual ~Store() = default;

    // "sqlite var/crossrate.sqlite3", "postgresql db.example:5432/crossrate": for logs, no secret.
    virtual std::string describe() const = 0;
    // Whether other processes on other machines share this log (PostgreSQL): then a revision
    // may appear that this process did not write, announced on the log's channel.
    virtual bool shared() const noexcept = 0;

    virtual Result<std::vector<Revision>> revisions() const = 0;
    // The revisions numbered above `number`, in order.
    virtual Result<std::vector<Revision>> revisions_after(std::int64_t number) const = 0;
    virtual Result<Revision> latest() const = 0;

    // Adds `records` as revision `number`, in one transaction: once this returns the revision
    // survives a crash, and if it fails nothing of it is kept. When the log already holds
    // `number` (another process wrote it first), nothing is written and the error is
    // Errc::stale_revision: catch up and try again. Not safe to call from two threads at once.
    // With an idempotency key, the answer given is kept with the revision, in the same
    // transaction, so a retry (on any process sharing the log) finds it.
    struct Idempotency {
        std::string key;
        std::string request_hash;
        std::string response;  // found: the answer kept; appending: filled by response_for
        std::function<std::string(const Revision&)> response_for;
    };
    virtual Result<Revision> append(std::int64_t number, const std::string& author, const std::string& note,
                                    const std::vector<StoredRecord>& records, const Idempotency* idempotency = nullptr) = 0;
    // A write, for a server at start: a store that takes none is refused then, not at the
    // first write a client makes. (Reads, as the CLI's, need none.)
    virtual Result<void> check_writable() = 0;
    // After a fault: whether the log takes writes again.
    virtual Result<void> probe() = 0;

    // The answer kept for (author, key), if any: its request hash and response.
    virtual Result<std::optional<Idempotency>> find_idempotent(const std::string& author, const std::string& key) const = 0;
    // Every record of revisions 2..up_to, in the order they were added.
    virtual Result<std::vector<StoredRecord>> records(std::int64_t up_to) const = 0;
    // The records revision N added, in order.
    virtual Result<std::vector<StoredRecord>> records_of(std::int64_t revision) const = 0;
};

// Where the log is: "sqlite" (the default: <data_dir>/crossrate.sqlite3) or a libpq connection
// URI, "postgresql://USER@HOST:PORT/DB?..." (several hosts with target_session_attrs=read-write
// follow a promoted standby).
bool is_postgresql_uri(std::string_view store) noexcept;

// Opens (creating on first start, with revision 1 recording `fixtures_hash`) the log `store`
// names; `data_dir` is SQLite's.
Result<std::unique_ptr<Store>> open_store(std::string_view store, const std::filesystem::path& data_dir,
                                          const std::string& fixtures_hash);

// The content hash of a revision's records (and of a fixtures folder): what two stores and
// two replicas compare.
std::string records_hash(const std::vector<StoredRecord>& records);

// A content hash of a fixtures folder ("sha256:..."): every file's relative path and bytes, in
// path order.
Result<std::string> hash_fixtures(const std::filesystem::path& fixtures_dir);
// Whether a folder is the one whose hash a log recorded, in the algorithm it was recorded with
// (logs begun before SHA-256 hold "fnv1a64:...").
Result<bool> fixtures_match(const std::string& recorded, const std::filesystem::path& fixtures_dir);

}  // namespace crossrate
