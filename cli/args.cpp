#include "cli/args.hpp"

#include <algorithm>

namespace crossrate::cli {

std::optional<std::string> Args::value(std::string_view name) const {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

bool Args::flag(std::string_view name) const { return std::find(flags.begin(), flags.end(), name) != flags.end(); }

Result<Args> parse_args(std::span<char* const> argv, std::span<const OptionSpec> spec) {
    Args args;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string_view arg = argv[i];
        if (!arg.starts_with("--") || arg == "--") {
            // A lone "-5" is a negative amount, not an option.
            args.positional.emplace_back(arg);
            continue;
        }
        std::string_view name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (const auto eq = name.find('='); eq != std::string_view::npos) {
            inline_value = std::string(name.substr(eq + 1));
            name = name.substr(0, eq);
        }
        const auto it = std::find_if(spec.begin(), spec.end(), [&](const OptionSpec& s) { return s.name == name; });
        if (it == spec.end()) {
            return Error(Errc::invalid_parameter, "unknown option --" + std::string(name), std::string(name));
        }
        if (!it->takes_value) {
            if (inline_value) return Error(Errc::invalid_parameter, "--" + std::string(name) + " takes no value", std::string(name));
            args.flags.emplace_back(name);
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argv.size()) {
                return Error(Errc::invalid_parameter, "--" + std::string(name) + " needs a value", std::string(name));
            }
            inline_value = argv[++i];
        }
        if (!args.values.emplace(std::string(name), *inline_value).second) {
            return Error(Errc::invalid_parameter, "--" + std::string(name) + " given twice", std::string(name));
        }
    }
    return args;
}

}  // namespace crossrate::cli
