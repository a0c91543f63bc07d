#pragma once
// The revision log in PostgreSQL, shared by a fleet of replicas (libpq, Debian's libpq-dev;
// no C++ wrapper: the dozen calls used are plainer than a wrapper's abstractions). Revision
// numbers are assigned in the write's transaction under a transaction-scoped advisory lock, so
// writers on different replicas serialise there and the numbers stay gap-free; the commit
// announces the number with NOTIFY on `channel`. Migrations run under a session advisory lock:
// a second replica starting at the same time waits, and a schema newer than this build's is
// refused.

#include "store/store.hpp"

typedef struct pg_conn PGconn;

namespace crossrate {

struct PgResult;  // a libpq result, owned (pg_store.cpp)

class PgStore final : public Store {
public:
    // The channel each commit is announced on, with the revision number as its payload.
    static constexpr const char* channel = "crossrate_revisions";

    static Result<std::unique_ptr<PgStore>> open(const std::string& uri, const std::string& fixtures_hash);
    ~PgStore() override;
    PgStore(const PgStore&) = delete;
    PgStore& operator=(const PgStore&) = delete;

    std::string describe() const override;
    bool shared() const noexcept override { return true; }
    const std::string& uri() const noexcept { return uri_; }

    Result<std::vector<Revision>> revisions() const override;
    Result<std::vector<Revision>> revisions_after(std::int64_t number) const override;
    Result<Revision> latest() const override;
    Result<Revision> append(std::int64_t number, const std::string& author, const std::string& note,
                            const std::vector<StoredRecord>& records, const Idempotency* idempotency = nullptr) override;
    Result<void> check_writable() override;
    Result<void> probe() override;
    Result<std::optional<Idempotency>> find_idempotent(const std::string& author, const std::string& key) const override;
    Result<std::vector<StoredRecord>> records(std::int64_t up_to) const override;
    Result<std::vector<StoredRecord>> records_of(std::int64_t revision) const override;

    // The URI with its password (if any) left out, for logs.
    static std::string redact(std::string_view uri);
    // Connection parameters for libpq's *Params calls (expand_dbname = 1): the URI, a connect
    // timeout and keepalives unless it sets them, the application name. Shared with the
    // replica's listening connection.
    class Parameters {
    public:
        explicit Parameters(const std::string& uri);
        Parameters(const Parameters&) = delete;  // the pointers point into this object's strings
        Parameters& operator=(const Parameters&) = delete;
        const char* const* keys() const noexcept { return keys_.data(); }
        const char* const* values() const noexcept { return values_.data(); }

    private:
        std::vector<std::pair<std::string, std::string>> pairs_;
        std::vector<const char*> keys_, values_;  // into pairs_, each ended by a null
    };

private:
    explicit PgStore(std::string uri) : uri_(std::move(uri)) {}
    Result<void> connect() const;  // (re)connects when the connection is not usable
    // The first statement of an operation: on a connection found dropped, once more on a new one.
    Result<PgResult> first(const std::string& sql, const std::vector<std::string>& params = {}) const;

    std::string uri_;
    mutable PGconn* conn_ = nullptr;
};

}  // namespace crossrate
