#pragma once
// What the fuzz targets share: the staged dataset, loaded once, and a check that stops the run
// (abort: libFuzzer keeps the input) when a property the code promises does not hold.

#include "pricing/dataset_loader.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace crossrate::fuzz {

inline const Dataset& dataset() {
    static const auto data = load_dataset(CROSSRATE_FUZZ_DATA_DIR).value();
    return *data;
}

inline void require(bool holds, const char* what) {
    if (!holds) {
        std::fprintf(stderr, "property broken: %s\n", what);
        std::abort();
    }
}

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace crossrate::fuzz
