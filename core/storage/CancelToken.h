#pragma once

#include <atomic>
#include <memory>

namespace moltdesk {

// Shared, copyable cancellation flag. A QFuture's own cancel() drops results already reported,
// so operations take one of these instead and finish with ErrorKind::Cancelled.
class CancelToken
{
public:
    CancelToken() : m_flag(std::make_shared<std::atomic_bool>(false)) {}
    void cancel() const { m_flag->store(true); }
    bool isCancelled() const { return m_flag->load(); }

private:
    std::shared_ptr<std::atomic_bool> m_flag;
};

} // namespace moltdesk
