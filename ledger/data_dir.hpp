#pragma once
// Opening a data directory: the revision log in its store, replayed onto the fixtures. The
// server does it at start-up and `crossrate import` before a local write.

#include "pricing/dataset_loader.hpp"
#include "store/store.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crossrate {

struct OpenedData {
    std::unique_ptr<Store> store;
    std::vector<Revision> revisions;     // oldest first; the fixtures are revision 1
    std::vector<StoredRecord> records;   // every record written since
    std::shared_ptr<const Dataset> dataset;  // the latest revision
    std::vector<std::string> warnings;   // e.g. the fixtures changed since revision 1
};

// `store_location`: "sqlite" (or empty) for <data_dir>/crossrate.sqlite3, or a PostgreSQL URI.
Result<OpenedData> open_data_dir(const std::filesystem::path& fixtures, const std::filesystem::path& data_dir,
                                 std::string_view store_location = {});

// For reads (the CLI's --data-dir): the dataset as revision `revision` of the log left it, the
// latest when unset. A folder without a revision log is an error; nothing is created.
Result<std::shared_ptr<const Dataset>> read_data_dir(const std::filesystem::path& fixtures,
                                                     const std::filesystem::path& data_dir,
                                                     std::optional<std::int64_t> revision);

// Where the binaries look when no folder is given: CROSSRATE_FIXTURES if set, else
// <folder of the executable>/../share/crossrate. (The model reads neither the environment
// nor the file system's layout: the programs do, here.)
std::filesystem::path default_fixtures_dir();
// <folder of the executable>/../share/<name>: where the build stages, and cmake --install
// puts, what the binaries read (share/<name> when the executable cannot be found).
std::filesystem::path installed_share_dir(std::string_view name);

}  // namespace crossrate
