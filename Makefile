# The two commands of the README: `make run` and `make test`. Both install what is missing,
# then build Release in build/ (binaries in build/bin/).
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: all setup configure build run test bench sanitize tsan fuzz clean

all: build

setup:
	@scripts/setup.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt | setup
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: setup $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

ADDRESS ?= 127.0.0.1
PORT ?= 8080

run: build
	$(BUILD_DIR)/bin/crossrate-server --address $(ADDRESS) --port $(PORT)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

bench: build
	$(BUILD_DIR)/bin/crossrate-bench
	bench/http_load.sh
	bench/hostile.sh

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer, and under ThreadSanitizer.
sanitize: setup
	cmake --preset sanitize
	cmake --build --preset sanitize -j $(JOBS)
	ctest --preset sanitize -j $(JOBS) $(CTEST_ARGS)

tsan: setup
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --preset tsan -j $(JOBS) $(CTEST_ARGS)

# Each libFuzzer target for FUZZ_SECONDS (clang, ASan + UBSan), from the seed corpus in fuzz/corpus.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = fuzz_target fuzz_decimal fuzz_records fuzz_csv fuzz_scenario
fuzz: setup
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target $(FUZZ_TARGETS)
	scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) build-debug build-sanitize build-tsan build-fuzz
