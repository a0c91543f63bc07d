#pragma once
// The write use-case, shared by the server and `crossrate import`: records checked completely against the snapshot being served (outside any lock), then, one
// write at a time, given ids, applied to the latest snapshot (pricing/apply.hpp), committed to
// the store as one new revision and served. Readers never wait: they keep the snapshot they
// started with, and the revision list is kept in memory.

#include "pricing/dataset_loader.hpp"
#include "store/store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace boost::json {
class value;
}

namespace crossrate {

class Ledger {
public:
    // `publish` makes a new revision's dataset the one served and announces what it added.
    using Publish = std::function<void(std::shared_ptr<const Dataset>, const Revision&, const std::vector<StoredRecord>&)>;
    // `revisions`: those `current` was built from (read with it, so a revision another process
    // commits meanwhile is caught up, not skipped).
    Ledger(std::unique_ptr<Store> store, std::shared_ptr<const Dataset> current, std::vector<Revision> revisions,
           Publish publish);

    struct Written {
        std::string response;  // the 201 body: revision, created_at, author, ids
        bool replayed = false;  // an Idempotency-Key retry: the first answer, nothing written again
    };
    enum class Kind { quote, source, rate };
    // "quote", as the store keeps records' kinds; the write endpoint is /v1/<name>s.
    static std::string_view kind_name(Kind kind) noexcept;
    // The records of a write, one at a time, each with the JSON pointer that names it ("/3");
    // called again when the write must be checked a second time. A CSV's rows are read one
    // by one, so a large import never holds all of them as JSON.
    using Visit = std::function<void(const std::string& pointer, const boost::json::value& record)>;
    using Records = std::function<void(const Visit&)>;
    // One record (a JSON object: pointer ""), or those of an array ("/0", "/1", ...).
    static Records json_records(const boost::json::value& body);

    // Adds the records, all or none, as one revision. A quote or rate whose `source` is an
    // object without an id adds that source in the same revision. Problems are listed, with
    // JSON pointers, in `problems`; then nothing is written.
    // With an `idempotency_key`, a retry of the same request (same writer, same body) gets the
    // first answer and writes nothing; the key with another body is a conflict.
    Result<Written> add(Kind kind, const std::string& author, const std::string& note, std::string_view raw_body,
                        const Records& records, std::vector<FieldProblem>& problems,
                        const std::string& idempotency_key = {});

    // Whether the revision log takes writes: false after a storage fault (disk full, I/O error,
    // the file gone), until probe() finds it writable again.
    bool writable() const noexcept { return writable_.load(); }
    const std::atomic<bool>& writable_flag() const noexcept { return writable_; }
    // Whether the log takes writes: true at once while it does; after a fault, tries it again
    // (at most once a second, and never waiting for a write in progress).
    bool probe();
    // What the last fault was (no path in it), empty when none.
    std::string fault() const;
    // The shared log went out of reach (its listening connection dropped): read-only until
    // probe() finds it back.
    void lost_store(std::string why);

    std::vector<Revision> revisions() const;
    // The latest revision this ledger has applied and serves.
    std::int64_t applied() const { return known(); }
    // Applies and serves, in order, the revisions other processes sharing the log committed
    // since (on a notification, or after reconnecting); the latest applied.
    Result<std::int64_t> follow();
    // Waits until revision `revision` is applied, at most `timeout`; whether it is.
    bool wait_for(std::int64_t revision, std::chrono::milliseconds timeout) const;
    // Whether the log is shared with other machines (PostgreSQL).
    bool shared() const noexcept { return store_->shared(); }
    std::string describe_store() const { return store_->describe(); }
    // The records revision N added (from the store: waits for a commit under way, if any).
    Result<std::vector<StoredRecord>> records_of(std::int64_t revision) const;

    // One write checked against a snapshot: its records without ids yet (see writer.cpp).
    struct Draft;

private:
    std::shared_ptr<const Dataset> current() const;
    // Under write_mutex_: applies and publishes the revisions another process (crossrate
    // import on the same data directory) committed since this ledger's latest.
    Result<void> catch_up();
    std::int64_t known() const;  // the latest revision this ledger has applied
    Result<std::optional<Written>> replay(const std::string& author, const std::string& key, std::string_view request) const;
    Result<Written> commit(const std::string& author, const std::string& note, Draft draft,
                           const std::string& idempotency_key, const std::string& request_hash);
    // Serves `snapshot` as revision `revision` (the one it was applied to) and announces it.
    void serve(std::shared_ptr<const Dataset> snapshot, const Revision& revision, const std::vector<StoredRecord>& records);

    std::mutex write_mutex_;          // one write at a time: its ids, apply and commit
    mutable std::mutex store_mutex_;  // the store's connection
    std::unique_ptr<Store> store_;
    mutable std::mutex current_mutex_;  // held for a pointer copy
    std::shared_ptr<const Dataset> current_;
    mutable std::mutex revisions_mutex_;
    std::vector<Revision> revisions_;
    mutable std::condition_variable applied_;  // a revision was served
    Publish publish_;
    std::atomic<bool> writable_{true};
    void set_fault(std::string what);
    // A storage fault marks the log read-only until probe() finds it back; any error is returned.
    Error storage_failed(Error e);
    mutable std::mutex fault_mutex_;  // apart from mutex_: /readyz never waits for a write
    std::string fault_;
    std::atomic<std::chrono::steady_clock::rep> last_probe_{0};  // ticks: read by probe(), set after a fault
};

}  // namespace crossrate
