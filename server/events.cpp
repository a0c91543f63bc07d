#include "server/events.hpp"

#include "api/json_writer.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace crossrate::server {

std::string Events::describe(const Revision& revision, const std::vector<StoredRecord>& records) {
    api::JsonWriter w;
    w.begin_object();
    w.field("revision", static_cast<std::int64_t>(revision.number)).field("created_at", revision.created_at);
    w.field("author", revision.author).field("note", revision.note);
    w.key("records").begin_array();
    for (const auto& r : records) {
        if (r.revision != revision.number) continue;
        w.begin_object().field("kind", r.kind).field("id", r.id);
        w.key("supersedes");
        r.supersedes.empty() ? w.null() : w.value(r.supersedes);
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

void Events::publish(std::uint64_t revision, std::string data) {
    std::vector<std::shared_ptr<Subscriber>> wake;
    {
        std::lock_guard lock(mutex_);
        // Recorded before anyone is woken: a subscriber looks again before it waits.
        history_[revision] = std::make_shared<const std::string>(std::move(data));
        std::erase_if(subscribers_, [](const auto& w) { return w.expired(); });
        for (const auto& w : subscribers_) {
            if (auto s = w.lock()) wake.push_back(std::move(s));
        }
    }
    for (auto& s : wake) {
        auto executor = s->timer.get_executor();  // before `s` is moved into the handler
        boost::asio::post(executor, [keep = std::move(s)] { keep->timer.cancel(); });
    }
}

std::vector<Events::Event> Events::since(std::uint64_t last_id, std::size_t most) const {
    std::lock_guard lock(mutex_);
    std::vector<Event> out;
    for (auto it = history_.upper_bound(last_id); it != history_.end() && out.size() < most; ++it) {
        out.emplace_back(it->first, it->second);
    }
    return out;
}

std::uint64_t Events::latest() const {
    std::lock_guard lock(mutex_);
    return history_.empty() ? 0 : history_.rbegin()->first;
}

void Events::subscribe(const std::shared_ptr<Subscriber>& s) {
    std::lock_guard lock(mutex_);
    subscribers_.push_back(s);
}

void Events::unsubscribe(const Subscriber* s) {
    std::lock_guard lock(mutex_);
    std::erase_if(subscribers_, [s](const auto& w) {
        const auto locked = w.lock();
        return !locked || locked.get() == s;
    });
}

void Events::close() {
    std::vector<std::shared_ptr<Subscriber>> wake;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        for (const auto& w : subscribers_) {
            if (auto s = w.lock()) wake.push_back(std::move(s));
        }
    }
    for (auto& s : wake) {
        auto executor = s->timer.get_executor();  // before `s` is moved into the handler
        boost::asio::post(executor, [keep = std::move(s)] { keep->timer.cancel(); });
    }
}

bool Events::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

}  // namespace crossrate::server
