#include "store/store.hpp"

#include "store/pg_store.hpp"
#include "store/sqlite_store.hpp"

namespace crossrate {

bool is_postgresql_uri(std::string_view store) noexcept {
    return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> open_store(std::string_view store, const std::filesystem::path& data_dir,
                                          const std::string& fixtures_hash) {
    if (is_postgresql_uri(store)) {
        auto pg = PgStore::open(std::string(store), fixtures_hash);
        if (!pg) return pg.error();
        return std::unique_ptr<Store>(std::move(*pg));
    }
    if (!store.empty() && store != "sqlite") {
        return Error(Errc::invalid_parameter,
                     "--store must be sqlite or a postgresql:// connection URI, not '" + std::string(store.substr(0, 40)) + "'",
                     "store");
    }
    auto sqlite = SqliteStore::open(data_dir, fixtures_hash);
    if (!sqlite) return sqlite.error();
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(*sqlite)));
}

}  // namespace crossrate
