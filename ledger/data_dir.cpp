#include "ledger/data_dir.hpp"

namespace crossrate {

Result<OpenedData> open_data_dir(const std::filesystem::path& fixtures, const std::filesystem::path& data_dir) {
    const auto fixtures_hash = hash_fixtures(fixtures);
    if (!fixtures_hash) return Error(fixtures_hash.error().code(), std::string("the dataset does not load: ") + fixtures_hash.error().what());
    const bool existed = std::filesystem::exists(data_dir / Store::file_name);
    auto store = Store::open(data_dir, *fixtures_hash);
    if (!store) return Error(store.error().code(), std::string("the data directory cannot be used: ") + store.error().what());
    auto revisions = store->revisions();
    if (!revisions) return revisions.error();
    auto records = store->records(revisions->back().number);
    if (!records) return records.error();
    std::vector<std::string> warnings;
    if (!existed) {
        warnings.push_back("no revision log in " + data_dir.string() + ": started a new one, with the fixtures as revision 1");
    }
    if (revisions->front().content_hash != *fixtures_hash) {
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
    if (!std::filesystem::is_regular_file(data_dir / Store::file_name)) {
        return Error(Errc::data_error, data_dir.string() + " holds no revision log (" + Store::file_name +
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

}  // namespace crossrate
