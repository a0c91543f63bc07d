#pragma once
// Command-line arguments: positionals and --name VALUE / --name=VALUE options, checked
// against what the command accepts. An unknown option is an error, never ignored.

#include "pricing/error.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace crossrate::cli {

struct OptionSpec {
    std::string_view name;  // without the dashes
    bool takes_value;
};

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string, std::less<>> values;
    std::vector<std::string> flags;

    std::optional<std::string> value(std::string_view name) const;
    bool flag(std::string_view name) const;
};

// argv after the command name.
Result<Args> parse_args(std::span<char* const> argv, std::span<const OptionSpec> spec);

}  // namespace crossrate::cli
