// The server's options as --help lists them.

#include "server/config.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace crossrate::server {
namespace {

// Every option is listed with its environment variable, the variables in one column, and no
// flag runs into its variable however long it is.
TEST(Config, HelpListsEveryOptionBesideItsVariableInOneColumn) {
    std::istringstream help(config_help());
    std::string line;
    std::size_t column = std::string::npos;
    int options = 0;
    while (std::getline(help, line)) {
        if (!line.starts_with("  --")) continue;
        ++options;
        const auto value = line.find(" VALUE ");
        ASSERT_NE(value, std::string::npos) << line;
        const auto variable = line.find("CROSSRATE_");
        ASSERT_NE(variable, std::string::npos) << line;
        EXPECT_GE(variable, value + 8) << line;  // at least two spaces after VALUE
        if (column == std::string::npos) column = variable;
        EXPECT_EQ(variable, column) << line;
    }
    EXPECT_GT(options, 20);
}

}  // namespace
}  // namespace crossrate::server
