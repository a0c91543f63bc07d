#include "server/throttle.hpp"

#include <gtest/gtest.h>

namespace crossrate::server {
namespace {

using namespace std::chrono_literals;
const auto t0 = Throttle::Clock::time_point{} + 1000s;

TEST(Throttle, HoldsAnAddressBackForTheRestOfItsMinute) {
    Throttle throttle(3);
    for (int i = 0; i < 2; ++i) throttle.failed("192.0.2.1", t0);
    EXPECT_FALSE(throttle.blocked("192.0.2.1", t0));
    throttle.failed("192.0.2.1", t0 + 10s);
    long wait = 0;
    EXPECT_TRUE(throttle.blocked("192.0.2.1", t0 + 10s, &wait));
    EXPECT_EQ(wait, 50);
    EXPECT_FALSE(throttle.blocked("192.0.2.2", t0 + 10s));
    EXPECT_FALSE(throttle.blocked("192.0.2.1", t0 + 60s));  // a new minute
}

TEST(Throttle, AnIpv6ClientIsItsSlash64) {
    Throttle throttle(2);
    throttle.failed("2001:db8:1:2::1", t0);
    throttle.failed("2001:db8:1:2:ffff::9", t0);
    EXPECT_TRUE(throttle.blocked("2001:db8:1:2::77", t0));
    EXPECT_FALSE(throttle.blocked("2001:db8:1:3::1", t0));
}

TEST(Throttle, AFloodOfOtherAddressesDoesNotFreeOneHeldBack) {
    Throttle throttle(2, 4);  // remembers 4 addresses
    throttle.failed("192.0.2.1", t0);
    throttle.failed("192.0.2.1", t0);
    ASSERT_TRUE(throttle.blocked("192.0.2.1", t0));
    for (int i = 0; i < 1000; ++i) throttle.failed("198.51." + std::to_string(i / 250) + "." + std::to_string(i % 250), t0 + 1s);
    EXPECT_TRUE(throttle.blocked("192.0.2.1", t0 + 2s));
}

}  // namespace
}  // namespace crossrate::server
