#pragma once

#include "Error.h"

#include <utility>
#include <variant>

namespace moltdesk {

// A value or an Error. Small on purpose: callers check ok() and then take value() or error().
template <typename T> class Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations that return nothing but may fail.
struct Done
{
};
using Status = Result<Done>;
inline Status success()
{
    return Status(Done{});
}

} // namespace moltdesk
