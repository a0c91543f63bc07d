#include "server/body_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace crossrate::server {
namespace {

std::atomic<int> open_files{0};
std::atomic<int> max_open_files{BodyFile::default_max_open};

// A sealed memory file holding `body`, or -1.
int make_file(std::string_view body) noexcept {
    const int fd = ::memfd_create("crossrate-answer", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return -1;
    for (std::size_t done = 0; done < body.size();) {
        const ssize_t n = ::write(fd, body.data() + done, body.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            return -1;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

BodyFile::~BodyFile() {
    if (const int fd = fd_.load(std::memory_order_relaxed); fd >= 0) {
        ::close(fd);
        open_files.fetch_sub(1, std::memory_order_relaxed);
    }
}

int BodyFile::open_count() noexcept { return open_files.load(std::memory_order_relaxed); }
int BodyFile::max_open() noexcept { return max_open_files.load(std::memory_order_relaxed); }
void BodyFile::set_max_open(int n) noexcept { max_open_files.store(n, std::memory_order_relaxed); }

int BodyFile::for_sending(std::string_view body) const noexcept {
    const int fd = fd_.load(std::memory_order_acquire);
    if (fd != none || body.size() < min_size || body.size() > max_size) return fd >= 0 ? fd : -1;
    if (sends_.fetch_add(1, std::memory_order_relaxed) == 0) return -1;  // the first sending
    // One thread makes it; the others send from memory meanwhile.
    int expected = none;
    if (!fd_.compare_exchange_strong(expected, refused, std::memory_order_acq_rel)) return expected >= 0 ? expected : -1;
    if (open_files.fetch_add(1, std::memory_order_relaxed) >= max_open()) {
        open_files.fetch_sub(1, std::memory_order_relaxed);
        return -1;  // stays refused
    }
    const int made = make_file(body);
    if (made < 0) {
        open_files.fetch_sub(1, std::memory_order_relaxed);
        return -1;
    }
    fd_.store(made, std::memory_order_release);
    return made;
}

}  // namespace crossrate::server
