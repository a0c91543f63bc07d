#include "api/requests.hpp"
#include "tests/support/staged_dataset.hpp"

#include <gtest/gtest.h>

#include <map>

namespace crossrate::api {
namespace {

const Dataset& data() { return test::staged_dataset(); }

Result<ConvertRequest> parse(std::map<std::string, std::string, std::less<>> p) {
    return parse_convert_request(
        [&p](std::string_view name) -> std::optional<std::string_view> {
            const auto it = p.find(name);
            if (it == p.end()) return std::nullopt;
            return std::string_view(it->second);
        },
        data());
}

TEST(ConvertRequest, ParsesEveryParameterIntoTheModelsTypes) {
    const auto r = parse({{"amount", "5000"}, {"from", "rmb"}, {"to", "usd"}, {"date", "2022-12-15"},
                          {"kind", "market"}, {"policy", "nearest"}, {"max_gap", "14"}, {"location", "Sinuiju"},
                          {"places", "4"}});
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(r->amount.to_string(), "5000");
    EXPECT_EQ(r->from->code.view(), "CNY");
    EXPECT_EQ(format_date(*r->date), "2022-12-15");
    EXPECT_EQ(r->query.kind, RateKind::market);
    EXPECT_EQ(r->query.policy, LookupPolicy::nearest);
    EXPECT_EQ(*r->query.max_gap_days, 14);
    EXPECT_EQ(*r->query.location, "Sinuiju");
    EXPECT_EQ(*r->places, 4);
}

struct BadCase {
    std::map<std::string, std::string, std::less<>> params;
    Errc code;
    std::string param;
};

TEST(ConvertRequest, EachBadValueNamesItsParameter) {
    const std::map<std::string, std::string, std::less<>> ok = {{"amount", "1"}, {"from", "CNY"}, {"to", "USD"}};
    const auto with = [&](std::string key, std::string value) {
        auto p = ok;
        p[key] = value;
        return p;
    };
    const std::vector<BadCase> cases = {
        {with("amount", "abc"), Errc::invalid_amount, "amount"},
        {with("amount", "1e40"), Errc::overflow, "amount"},
        {with("from", "XYZ"), Errc::unknown_currency, "from"},
        {with("to", "dollar"), Errc::unknown_currency, "to"},
        {with("date", "2023-02-30"), Errc::invalid_date, "date"},
        {with("kind", "black"), Errc::invalid_parameter, "kind"},
        {with("policy", "sideways"), Errc::invalid_parameter, "policy"},
        {with("max_gap", "-1"), Errc::invalid_parameter, "max_gap"},
        {with("max_gap", "7days"), Errc::invalid_parameter, "max_gap"},
        {with("places", "19"), Errc::invalid_parameter, "places"},
        {with("location", ""), Errc::invalid_parameter, "location"},
        {{{"from", "CNY"}, {"to", "USD"}}, Errc::invalid_parameter, "amount"},
    };
    for (const auto& c : cases) {
        const auto r = parse(c.params);
        ASSERT_FALSE(r) << c.param;
        EXPECT_EQ(r.error().code(), c.code) << c.param << ": " << r.error().what();
        EXPECT_EQ(r.error().param(), c.param) << r.error().what();
    }
}

}  // namespace
}  // namespace crossrate::api
