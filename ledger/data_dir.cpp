#include "ledger/data_dir.hpp"

#include "store/sqlite_store.hpp"

#include <cstdlib>

namespace crossrate {

Result<OpenedData> open_data_dir(const std::filesystem::path& fixtures, const std::filesystem::path& data_dir,
                                 std::string_view store_location) {
    const auto fixtures_hash = hash_fixtures(fixtures);
    if (!fixtures_hash) return Error(fixtures_hash.error().code(), std::string("the dataset does not load: ") + fixtures_hash.error().what());
    const bool local = !is_postgresql_uri(store_location);
    const bool existed = local && std::filesystem::exists(data_dir / SqliteStore::file_name);
    auto store = open_store(store_location, data_dir, *fixtures_hash);
    if (!store) {
        return Error(store.error().code(), std::string(local ? "the data directory cannot be used: " : "the store cannot be used: ") +
                                               store.error().what());
    }
    auto revisions = (*store)->revisions();
    if (!revisions) return revisions.error();
    auto records = (*store)->records(revisions->back().number);
    if (!records) return records.error();
    std::vector<std::string> warnings;
    if (local && !existed) {
        warnings.push_back("no revision log in " + data_dir.string() + ": started a new one, with the fixtures as revision 1");
    }
    if (auto same = fixtures_match(revisions->front().content_hash, fixtures); !same || !*same) {
        warnings.push_back("the fixtures differ from those recorded as revision 1 (" + revisions->front().content_hash +
                           ", now " + *fixtures_hash + "): answers follow the fixtures as they are now");
    }
    auto data = load_dataset(fixtures, *records);
    if (!data) return Error(data.error().code(), std::string("the dataset does not load: ") + data.error().what());
    return OpenedData{std::move(*store), std::move(*revisions), std::move(*records), std::move(*data), std::move(warnings)};
}

Result<std::shared_ptr<const Dataset>> read_data_dir(const std::filesystem::path& fixtures,
                                                     const std::filesystem::path& data_dir,
                                                     std::optional<std::int64_t> revision) {
    if (!std::filesystem::is_regular_file(data_dir / SqliteStore::file_name)) {
        return Error(Errc::data_error, data_dir.string() + " holds no revision log (" + SqliteStore::file_name +
                                           "); the server or `crossrate import` makes one");
    }
    auto opened = open_data_dir(fixtures, data_dir);
    if (!opened) return opened.error();
    if (!revision || *revision == opened->revisions.back().number) return opened->dataset;
    if (*revision < 1 || *revision > opened->revisions.back().number) {
        return Error(Errc::not_found, "no revision " + std::to_string(*revision) + "; the latest is " +
                                          std::to_string(opened->revisions.back().number),
                     "revision");
    }
    return std::make_shared<const Dataset>(opened->dataset->at(static_cast<RevisionNumber>(*revision)));
}

std::filesystem::path installed_share_dir(std::string_view name) {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return std::filesystem::path("share") / name;
    return exe.parent_path().parent_path() / "share" / name;
}

std::filesystem::path default_fixtures_dir() {
    if (const char* env = std::getenv("CROSSRATE_FIXTURES"); env != nullptr && *env != '\0') return env;
    return installed_share_dir("crossrate");
}

}  // namespace crossrate
