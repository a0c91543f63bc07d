#pragma once
// The revision log in an SQLite file in the data directory (rollback journal,
// synchronous=FULL): the default store, for one machine. A file from a newer crossrate, or
// one that is not a crossrate database, is refused with a clear error and left as it was.

#include "store/store.hpp"

struct sqlite3;

namespace crossrate {

class SqliteStore final : public Store {
public:
    static constexpr const char* file_name = "crossrate.sqlite3";

    // Opens <data_dir>/crossrate.sqlite3, creating the folder and the file on first start with
    // revision 1 recording `fixtures_hash`.
    static Result<SqliteStore> open(const std::filesystem::path& data_dir, const std::string& fixtures_hash);

    SqliteStore(SqliteStore&&) noexcept;
    SqliteStore& operator=(SqliteStore&&) noexcept;
    ~SqliteStore() override;

    const std::filesystem::path& path() const noexcept { return path_; }
    std::string describe() const override { return "sqlite " + path_.string(); }
    bool shared() const noexcept override { return false; }

    Result<std::vector<Revision>> revisions() const override;
    Result<std::vector<Revision>> revisions_after(std::int64_t number) const override;
    Result<Revision> latest() const override;
    Result<Revision> append(std::int64_t number, const std::string& author, const std::string& note,
                            const std::vector<StoredRecord>& records, const Idempotency* idempotency = nullptr) override;
    Result<void> check_writable() override;
    // Whether the file is still the one opened (same device and inode, still linked).
    Result<void> check_file() const;
    // check_file() and a write of 1 MiB beside the log: after a storage fault, whether the log
    // takes writes again.
    Result<void> probe() override;
    Result<std::optional<Idempotency>> find_idempotent(const std::string& author, const std::string& key) const override;
    Result<std::vector<StoredRecord>> records(std::int64_t up_to) const override;
    Result<std::vector<StoredRecord>> records_of(std::int64_t revision) const override;

private:
    Result<std::vector<StoredRecord>> records_where(std::string_view relation, std::int64_t revision) const;
    Result<std::vector<Revision>> revisions_where(std::string_view clause, std::int64_t number) const;
    SqliteStore(std::filesystem::path path, sqlite3* db, std::uint64_t device, std::uint64_t inode)
        : path_(std::move(path)), db_(db), device_(device), inode_(inode) {}

    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
    std::uint64_t device_ = 0;  // of the file opened
    std::uint64_t inode_ = 0;
};

}  // namespace crossrate
