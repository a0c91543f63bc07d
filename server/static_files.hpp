#pragma once
// The dashboard's files (web/, staged with uPlot under <bin>/../share/crossrate-web), read
// once at start-up and served from memory. Only the files found then are served, so no
// request path can reach outside the folder; each text file is kept gzipped as well.

#include "pricing/error.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace crossrate::server {

struct StaticFile {
    std::string content_type;
    std::string body;
    std::string gzip;  // empty when compressing does not pay
    std::string etag;  // of the content: a changed file gets a new tag
};

class StaticFiles {
public:
    StaticFiles() = default;
    // Every regular file under `dir` (symbolic links are not followed), by URL path ("/app.js").
    static Result<StaticFiles> load(const std::filesystem::path& dir);

    // The file for a request path; "/" is "/index.html".
    const StaticFile* find(std::string_view path) const;

private:
    std::map<std::string, StaticFile, std::less<>> files_;
};

// Where the server looks when no folder is given: <folder of the executable>/../share/crossrate-web.
std::filesystem::path default_web_dir();

}  // namespace crossrate::server
