#pragma once
// A kept answer's body in a sealed memory file, for sendfile(2): the kernel sends the file's
// pages as they are, where a send from memory first copies the body into the socket's buffers
// (for a 21 KB margins answer, a quarter of the I/O thread's time per request). Made the second
// time the answer is sent, so an answer sent once costs nothing more; sealed, so its bytes cannot
// change while the kernel still holds its pages; and at most max_open() in the process, each
// holding a descriptor and up to max_size bytes (past that, answers are sent from memory as
// before): by default 128 files, 32 MiB at most beside the reply cache's own bytes.

#include <atomic>
#include <cstddef>
#include <string_view>

namespace crossrate::server {

class BodyFile {
public:
    static constexpr std::size_t min_size = 16 * 1024;  // smaller bodies are copied: one syscall, not two
    static constexpr std::size_t max_size = 256 * 1024;
    static constexpr int default_max_open = 128;

    BodyFile() noexcept = default;
    // A copy or a moved-to one starts without a file (the file belongs to its answer).
    BodyFile(const BodyFile&) noexcept {}
    BodyFile(BodyFile&&) noexcept {}
    BodyFile& operator=(const BodyFile&) = delete;
    BodyFile& operator=(BodyFile&&) = delete;
    ~BodyFile();

    // The descriptor to send `body` (always the same bytes, those of the answer holding this)
    // from, or -1: the body is too small or too large, this is its first sending, the file is being made on
    // another thread, or it cannot be (out of descriptors or memory, or the limit reached).
    int for_sending(std::string_view body) const noexcept;

    // Files open now, in the process; how many may be (the server sets it from its descriptors).
    static int open_count() noexcept;
    static int max_open() noexcept;
    static void set_max_open(int n) noexcept;

private:
    static constexpr int none = -1;     // no file (yet)
    static constexpr int refused = -2;  // none will be made
    mutable std::atomic<int> fd_{none};
    mutable std::atomic<unsigned> sends_{0};
};

}  // namespace crossrate::server
