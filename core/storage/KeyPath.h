#pragma once

#include "Result.h"

#include <QString>

namespace moltdesk {

// Maps object keys to relative filesystem paths, refusing any key that could land outside the
// directory it is meant for (restore targets, mount-mode buckets).
class KeyPath
{
public:
    static constexpr int kMaxKeyBytes = 1024;
    // The key as a relative path ("a/b.txt"), or InvalidInput saying why it is refused.
    static Result<QString> toRelativePath(const QString &key);
    // True when `path` (absolute, existing or not) stays inside `root` after resolving the symlinks
    // of every existing ancestor.
    static bool staysInside(const QString &root, const QString &path);
};

} // namespace moltdesk
