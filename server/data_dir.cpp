#include "server/data_dir.hpp"

namespace crossrate::server {

Result<OpenedData> open_data_dir(const std::filesystem::path& fixtures, const std::filesystem::path& data_dir) {
    const auto fixtures_hash = hash_fixtures(fixtures);
    if (!fixtures_hash) return Error(fixtures_hash.error().code(), std::string("the dataset does not load: ") + fixtures_hash.error().what());
    auto store = Store::open(data_dir, *fixtures_hash);
    if (!store) return Error(store.error().code(), std::string("the data directory cannot be used: ") + store.error().what());
    auto revisions = store->revisions();
    if (!revisions) return revisions.error();
    auto records = store->records(revisions->back().number);
    if (!records) return records.error();
    std::vector<std::string> warnings;
    if (revisions->front().content_hash != *fixtures_hash) {
        warnings.push_back("the fixtures differ from those recorded as revision 1 (" + revisions->front().content_hash +
                           ", now " + *fixtures_hash + "): answers follow the fixtures as they are now");
    }
    auto data = load_dataset(fixtures, *records);
    if (!data) return Error(data.error().code(), std::string("the dataset does not load: ") + data.error().what());
    return OpenedData{std::move(*store), std::move(*revisions), std::move(*records), std::move(*data), std::move(warnings)};
}

}  // namespace crossrate::server
