#pragma once
// The dataset the build staged (fixtures and the pinned official series), loaded once per
// test process. Tests read data only from the repository's own build, never from outside it.

#include "pricing/dataset_loader.hpp"

namespace crossrate::test {

inline const Dataset& staged_dataset() {
    static const auto data = load_dataset(CROSSRATE_TEST_DATA_DIR).value();
    return *data;
}

}  // namespace crossrate::test
