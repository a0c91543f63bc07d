#include "server/static_files.hpp"

#include "ledger/data_dir.hpp"
#include "pricing/fingerprint.hpp"

#include <zlib.h>

#include <fstream>
#include <sstream>

namespace crossrate::server {
namespace fs = std::filesystem;
namespace {

std::string_view content_type_of(const fs::path& path) {
    const std::string ext = path.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

// gzip (RFC 1952) at the best level: done once per file, at start-up.
std::string gzip(std::string_view data) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

// A validator of the file's bytes.
std::string etag_of(std::string_view bytes) { return "\"w-" + Fingerprint().add(bytes).hex() + "\""; }

}  // namespace

Result<StaticFiles> StaticFiles::load(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return Error(Errc::data_error, dir.string() + ": no such web folder");
    StaticFiles out;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_symlink() || !it->is_regular_file() || it->path().filename().string().starts_with('.')) continue;
        std::ifstream in(it->path(), std::ios::binary);
        if (!in) return Error(Errc::data_error, it->path().string() + ": cannot be read");
        std::ostringstream bytes;
        bytes << in.rdbuf();
        StaticFile file{std::string(content_type_of(it->path())), std::move(bytes).str(), {}, {}};
        file.etag = etag_of(file.body);
        if (file.content_type.starts_with("text/") || file.content_type.starts_with("application/json") ||
            file.content_type.starts_with("image/svg")) {
            file.gzip = gzip(file.body);
            if (file.gzip.size() >= file.body.size()) file.gzip.clear();
        }
        out.files_.emplace("/" + fs::relative(it->path(), dir).generic_string(), std::move(file));
    }
    if (ec) return Error(Errc::data_error, dir.string() + ": " + ec.message());
    return out;
}

const StaticFile* StaticFiles::find(std::string_view path) const {
    if (path == "/") path = "/index.html";
    const auto it = files_.find(path);
    return it == files_.end() ? nullptr : &it->second;
}

fs::path default_web_dir() { return installed_share_dir("crossrate-web"); }

}  // namespace crossrate::server
